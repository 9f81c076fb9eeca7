"""Scores of the extractor on every gold set, as the Markdown table of docs/quality.md.

    .venv/bin/python benchmarks/gold_report.py

Each row is one set (development sets first, then the held-out ones); each column a measure of
`tipfigures evaluate` (figures: span and value equal the gold's; field accuracies on the
matched figures that carry the field; panel: a row is right when its key and value are the
gold's). The targets of issue 10 are checked on the held-out sets and printed as PASS/MISS.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tipfigures.evaluate import Score, evaluate_text, gold_files  # noqa: E402
from tipfigures.sources import load_source, source_from_text_file  # noqa: E402

GOLD = ROOT / "tests" / "gold"
SETS = [
    ("development", "human-rights sections and Russia", [GOLD, GOLD / "corpus"]),
    ("development", "TIP narratives", [GOLD / "tip"]),
    ("development", "other genres (NGO, UNODC, news, web)", [GOLD / "synthetic", GOLD / "web"]),
    ("held-out", "human-rights sections", [GOLD / "heldout"]),
    ("held-out", "TIP narratives", [GOLD / "heldout" / "tip"]),
    ("held-out", "web and news", [GOLD / "heldout" / "web"]),
]


def score_set(folders: list[Path]) -> tuple[int, Score]:
    total = Score()
    files = gold_files([folder for folder in folders if folder.is_dir()])
    for path in files:
        beside = path.with_suffix(".txt")
        source = source_from_text_file(beside) if beside.exists() else \
            load_source(ROOT / "sources" / path.stem)
        total.add(evaluate_text(path, source))
    return len(files), total


def main() -> int:
    print("| set | genre | texts | figures | F1 | period | indicator | role | panel rows | "
          "panel P | panel R | panel F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    held_out = Score()
    for kind, genre, folders in SETS:
        texts, s = score_set(folders)
        if kind == "held-out":
            held_out.add(s)
            f1_goal = "PASS" if s.f1 >= 0.95 else "MISS"
        print(f"| {kind} | {genre} | {texts} | {s.gold} | {s.f1:.3f}"
              f"{' ' + f1_goal if kind == 'held-out' else ''} | {s.accuracy('period'):.3f} | "
              f"{s.accuracy('indicator'):.3f} | {s.accuracy('role'):.3f} | "
              f"{s.observations_gold} | {s.observation_precision:.3f} | "
              f"{s.observation_recall:.3f} | {s.observation_f1:.3f} |")
    s = held_out
    goals = [
        ("held-out panel F1 >= 0.90", s.observation_f1, s.observation_f1 >= 0.90),
        ("held-out panel precision >= 0.92", s.observation_precision,
         s.observation_precision >= 0.92),
        ("held-out indicator accuracy >= 0.90", s.accuracy("indicator"),
         s.accuracy("indicator") >= 0.90),
        ("held-out period accuracy >= 0.90", s.accuracy("period"), s.accuracy("period") >= 0.90),
    ]
    print()
    for name, value, ok in goals:
        print(f"- {name}: {value:.3f} {'PASS' if ok else 'MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
