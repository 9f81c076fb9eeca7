"""The extractor of this checkout against another version's, side by side in one run.

    git worktree add /tmp/tipfigures-old <commit>
    .venv/bin/python benchmarks/extraction_versions.py /tmp/tipfigures-old

Absolute throughput on a shared machine moves with its load; the ratio of two versions timed
alternately on the same texts, in the same minutes, does not. Each version runs in its own
process (their modules have the same names), over the corpus texts in sources/, five rounds
alternating, best CPU time of each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
CHILD = r"""
import glob, json, sys, time
from tipfigures.extract import extract
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1] + "/*/text.txt"))]
extract(texts[0])  # rules compiled before timing
start = time.process_time()
figures = sum(len(extract(t, reporting_period=2006, country_code="NGA").figures) for t in texts)
print(json.dumps({"cpu": time.process_time() - start, "chars": sum(map(len, texts)),
                  "figures": figures}))
"""


def timed(src: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "sources")], check=True,
                         capture_output=True, text=True, env={"PYTHONPATH": str(src)})
    return json.loads(out.stdout)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "src" / "tipfigures").is_dir():
        print("usage: extraction_versions.py OTHER_CHECKOUT (a folder with src/tipfigures)")
        return 2
    ours_src, theirs_src = ROOT / "src", Path(argv[0]) / "src"
    ours, theirs = [], []
    for _ in range(ROUNDS):
        ours.append(timed(ours_src))
        theirs.append(timed(theirs_src))
    best_ours = min(r["cpu"] for r in ours)
    best_theirs = min(r["cpu"] for r in theirs)
    chars = ours[0]["chars"]
    print(f"corpus: {chars:,} chars; best of {ROUNDS}, alternating, CPU time")
    print(f"  this checkout: {best_ours:.3f} s, {chars / best_ours / 1e6:.2f} MB/s, "
          f"{ours[0]['figures']} figures")
    print(f"  {argv[0]}: {best_theirs:.3f} s, {chars / best_theirs / 1e6:.2f} MB/s, "
          f"{theirs[0]['figures']} figures")
    print(f"  this checkout takes {best_ours / best_theirs:.2f}x the other's time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
