"""Extraction benchmark: throughput, quantulum3 side by side, F1 on the gold, linearity.

    python benchmarks/extraction.py                  # 5 MB corpus, 256 KB quantulum3 sample
    python benchmarks/extraction.py --size-mb 20 --runs 5 --json results/extraction.json

1. Builds a corpus from the real source texts (sources/*/text.txt, joined by blank lines) repeated
   to at least --size-mb million characters, and times tipfigures.extract.extract on it (with a
   reporting period, as the pipeline calls it): best of --runs runs, in CPU time of the one
   thread (--cpu N also pins the process to CPU N).
2. Times quantulum3.parser.parse on the first --quantulum-kb thousand characters of the same
   corpus, fed paragraph by paragraph (its best case: quantulum3 slows down on long inputs, see
   the "whole texts" line), and extract on exactly the same sample, in the same run: the ratio.
3. Scores both against the gold annotations (tests/gold, tests/gold/heldout, tests/gold/synthetic)
   with tipfigures.evaluate.score. quantulum3's spans include unit words ("five years") where the
   gold's do not ("five"), so its lenient F1 (overlapping span, equal value) is printed too.
4. Linearity: extract on --linearity sizes (default 1 and 10 MB) of the corpus; the ratio of the
   times should be close to the ratio of the sizes.

"MB" means 10^6 characters (the corpus is almost all ASCII; its UTF-8 size is printed as well).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import tipfigures  # noqa: F401  (installed, or on PYTHONPATH)
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from tipfigures.evaluate import Score, gold_files, read_gold, score  # noqa: E402
from tipfigures.extract import extract  # noqa: E402
from tipfigures.sources import load_source, source_from_text_file  # noqa: E402

SOURCES = ROOT / "sources"
GOLD = ROOT / "tests" / "gold"
GOLD_SETS = {"development": [GOLD, GOLD / "tip", GOLD / "corpus"],
             "other genres (development)": [GOLD / "synthetic", GOLD / "web"],
             "held-out": [GOLD / "heldout", GOLD / "heldout" / "tip", GOLD / "heldout" / "web"]}
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
MB = 1_000_000

# Targets of issue 10 (the extractor with its structure stages).
TARGET_MB_PER_S = 1.5
TARGET_RATIO = 20.0


# ---------------------------------------------------------------------------------------------
# Corpus


def source_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SOURCES.glob("*/text.txt"))]


def corpus(size: int, texts: list[str]) -> str:
    """The texts, joined by blank lines, repeated to at least `size` characters."""
    unit = "\n\n".join(texts) + "\n\n"
    return unit * (size // len(unit) + 1)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for each non-blank paragraph of a text."""
    chunks, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        chunks.append((start, text[start:match.start()]))
        start = match.end()
    chunks.append((start, text[start:]))
    return [(offset, chunk) for offset, chunk in chunks if chunk.strip()]


def sample(text: str, size: int) -> str:
    """The first `size` characters of a text, cut back to the end of a paragraph."""
    if len(text) <= size:
        return text
    cut = text.rfind("\n\n", 0, size)
    return text[:cut if cut > 0 else size]


# ---------------------------------------------------------------------------------------------
# Timing


def pin(cpu: int | None) -> str:
    """Pin the process to one CPU when asked (extract is single-threaded either way)."""
    if cpu is None:
        return "one thread, not pinned"
    if not hasattr(os, "sched_setaffinity"):
        return "one thread (this OS cannot pin)"
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


@dataclass
class Timing:
    cpu: float  # best CPU time of the process (one thread: the time on one core)
    wall: float  # best wall time


def best_time(function: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """The shortest CPU and wall times of `runs` calls, and the last call's result.

    Rates are computed from CPU time: on a shared machine wall time also counts the time other
    processes held the core. Both are printed.
    """
    cpu, wall, result = float("inf"), float("inf"), None
    for _ in range(max(1, runs)):
        result = None
        gc.collect()
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        cpu = min(cpu, time.process_time() - cpu_start)
        wall = min(wall, time.perf_counter() - wall_start)
    return Timing(cpu, wall), result


# ---------------------------------------------------------------------------------------------
# quantulum3, seen as figures


@dataclass(frozen=True)
class QuantulumFigure:
    """A quantulum3 Quantity in the shape tipfigures.evaluate.score reads."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str | None
    qualifier: str = "exact"
    period: str | None = None
    indicator: str = "other"


def _quantulum_unit(quantity: Any) -> str | None:
    unit = quantity.unit
    if unit.entity.name == "currency":
        return getattr(unit, "currency_code", None) or unit.name
    if unit.name == "percentage":
        return "percent"
    if unit.name in ("year", "month", "week", "day", "hour"):
        return unit.name + "s"
    return None if unit.name == "dimensionless" else unit.name


def quantulum_parse() -> Callable[[str], list[Any]]:
    warnings.filterwarnings("ignore", module="quantulum3")  # "classifier not installed"
    from quantulum3 import parser

    parser.parse("Police identified 12 victims.")  # loads its unit tables: not part of the timing
    return parser.parse


def quantulum_figures(parse: Callable[[str], list[Any]], text: str) -> list[QuantulumFigure]:
    """quantulum3 on each paragraph of a text, as figures with offsets into the whole text."""
    found = []
    for offset, chunk in paragraphs(text):
        for q in parse(chunk):
            if q.span is None:
                continue
            value, value_max = float(q.value), None
            if q.uncertainty:  # a range "30,000 to 35,000" is 32500 +/- 2500
                value, value_max = q.value - q.uncertainty, q.value + q.uncertainty
            start, end = offset + q.span[0], offset + q.span[1]
            found.append(QuantulumFigure(start, end, text[start:end], value, value_max,
                                         _quantulum_unit(q)))
    return found


def quantulum_run(parse: Callable[[str], list[Any]], chunks: list[str]) -> int:
    return sum(len(parse(chunk)) for chunk in chunks)


# ---------------------------------------------------------------------------------------------
# F1 on the gold


def _gold_source(path: Path):
    beside = path.with_suffix(".txt")
    return source_from_text_file(beside) if beside.exists() else load_source(SOURCES / path.stem)


def gold_scores(parse: Callable[[str], list[Any]] | None) -> dict[str, dict[str, Score]]:
    """{set: {"tipfigures": Score, "quantulum3": Score}} over each gold set."""
    results: dict[str, dict[str, Score]] = {}
    for name, folders in GOLD_SETS.items():
        files = gold_files([folder for folder in folders if folder.is_dir()])
        if not files:
            continue
        ours, theirs = Score(), Score()
        for path in files:
            source = _gold_source(path)
            gold = read_gold(path, source.text)
            extraction = extract(source.text, reporting_period=source.reporting_period,
                                 country_code=source.metadata.get("country_code"))
            ours.add(score(extraction.figures, gold))
            if parse is not None:
                found = quantulum_figures(parse, source.text)
                theirs.add(score(found, gold))  # type: ignore[arg-type]
        results[name] = {"tipfigures": ours}
        if parse is not None:
            results[name]["quantulum3"] = theirs
    return results


# ---------------------------------------------------------------------------------------------
# Report


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _times(t: Timing) -> str:
    return f"{t.cpu:.3f} s CPU ({t.wall:.3f} s wall)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=5.0,
                        help="corpus size for the throughput run, in 10^6 characters (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs per timing; the best counts")
    parser.add_argument("--quantulum-kb", type=float, default=256,
                        help="size of the sample timed with quantulum3 and extract side by side, "
                             "in 10^3 characters (default 256)")
    parser.add_argument("--quantulum-runs", type=int, default=1)
    parser.add_argument("--linearity", type=float, nargs=2, default=[1.0, 10.0],
                        metavar=("SMALL_MB", "LARGE_MB"), help="sizes compared (default 1 10)")
    parser.add_argument("--reporting-period", type=int, default=2006,
                        help="the reporting period passed to extract, as the pipeline passes each "
                             "source's (default 2006; 0 for none)")
    parser.add_argument("--cpu", type=int, help="pin the process to this CPU")
    parser.add_argument("--no-quantulum", action="store_true", help="skip quantulum3")
    parser.add_argument("--no-linearity", action="store_true", help="skip the linearity run")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    pinned = pin(args.cpu)
    texts = source_texts()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"tipfigures extraction benchmark: extractor {tipfigures_version()}, Python "
          f"{platform.python_version()}, {platform.machine()}, {pinned}, load average {load:.2f}")
    results: dict[str, Any] = {"python": platform.python_version(), "pinned": pinned,
                               "load_average": load, "tipfigures": tipfigures_version(),
                               "reporting_period": args.reporting_period or None}

    # 1. throughput on the whole corpus
    text = corpus(int(args.size_mb * MB), texts)
    options = {"reporting_period": args.reporting_period or None}

    def run(piece: str) -> Any:
        return extract(piece, **options)

    run(text[:100_000])  # loads and compiles the rules: not part of the timing
    timing, extraction = best_time(lambda: run(text), args.runs)
    rate = len(text) / timing.cpu
    results["throughput"] = {"chars": len(text), "utf8_bytes": len(text.encode()),
                             "cpu_seconds": timing.cpu, "wall_seconds": timing.wall,
                             "chars_per_s": rate, "figures": len(extraction.figures),
                             "events": len(extraction.events)}
    print(f"\ncorpus: {len(texts)} source texts ({sum(map(len, texts)):,} chars) repeated to "
          f"{len(text):,} chars ({len(text.encode()):,} bytes UTF-8)")
    print(f"extract (reporting_period={options['reporting_period']}), best of {args.runs}: "
          f"{_times(timing)}: {rate / MB:.2f} MB/s "
          f"({rate:,.0f} chars/s); {len(extraction.figures):,} figures, "
          f"{len(extraction.events):,} events")
    del extraction

    # 2. quantulum3 side by side, on the same sample
    ratio = None
    parse = None
    if not args.no_quantulum:
        parse = quantulum_parse()
        piece = sample(text, int(args.quantulum_kb * 1000))
        chunks = [chunk for _, chunk in paragraphs(piece)]
        q_timing, q_count = best_time(lambda: quantulum_run(parse, chunks), args.quantulum_runs)
        e_timing, e_result = best_time(lambda: run(piece), args.runs)
        q_rate, e_rate = len(piece) / q_timing.cpu, len(piece) / e_timing.cpu
        ratio = e_rate / q_rate
        whole_timing, _ = best_time(lambda: quantulum_run(parse, texts), 1)
        whole_rate = sum(map(len, texts)) / whole_timing.cpu
        results["quantulum3"] = {
            "version": _version("quantulum3"), "sample_chars": len(piece),
            "paragraphs": len(chunks), "cpu_seconds": q_timing.cpu,
            "wall_seconds": q_timing.wall, "chars_per_s": q_rate, "quantities": q_count,
            "extract_cpu_seconds": e_timing.cpu, "extract_chars_per_s": e_rate, "ratio": ratio,
            "ratio_vs_corpus_throughput": rate / q_rate, "whole_texts_chars_per_s": whole_rate}
        print(f"\nside by side on the first {len(piece):,} chars of the corpus "
              f"({len(chunks):,} paragraphs):")
        print(f"  quantulum3 {_version('quantulum3')}, paragraph by paragraph, best of "
              f"{args.quantulum_runs}: {_times(q_timing)}: {q_rate:,.0f} chars/s; "
              f"{q_count:,} quantities")
        print(f"  extract, the sample at once, best of {args.runs}: {_times(e_timing)}: "
              f"{e_rate:,.0f} chars/s; {len(e_result.figures):,} figures")
        print(f"  ratio: {ratio:.1f}x on the sample ({rate / q_rate:.1f}x with the "
              f"{len(text) / MB:g} MB throughput)")
        print(f"  quantulum3 on the {len(texts)} texts whole (not by paragraph): "
              f"{whole_rate:,.0f} chars/s: it slows down on longer inputs")

    # 3. F1 on the gold
    scores = gold_scores(parse)
    rows = [[name, tool, str(s.gold), str(s.predicted), f"{s.precision:.3f}", f"{s.recall:.3f}",
             f"{s.f1:.3f}", f"{s.lenient_f1:.3f}"]
            for name, by_tool in scores.items() for tool, s in by_tool.items()]
    results["gold"] = {name: {tool: {"gold": s.gold, "predicted": s.predicted,
                                     "precision": s.precision, "recall": s.recall, "f1": s.f1,
                                     "lenient_f1": s.lenient_f1}
                              for tool, s in by_tool.items()}
                       for name, by_tool in scores.items()}
    print("\nF1 on the gold (a match needs the span and the value; lenient: an overlapping span "
          "and the value):")
    print(table(["set", "tool", "gold", "found", "precision", "recall", "F1", "lenient F1"],
                rows))

    # 4. linearity
    growth = expected = None
    if not args.no_linearity:
        timings = []
        for size_mb in args.linearity:
            size = int(size_mb * MB)
            piece = (text if size <= len(text) else corpus(size, texts))[:size]
            piece_timing, _ = best_time(lambda piece=piece: run(piece), args.runs)
            timings.append((len(piece), piece_timing))
        (small, small_t), (large, large_t) = timings
        growth, expected = large_t.cpu / small_t.cpu, large / small
        results["linearity"] = {"small_chars": small, "small_cpu_seconds": small_t.cpu,
                                "large_chars": large, "large_cpu_seconds": large_t.cpu,
                                "time_ratio": growth, "size_ratio": expected}
        print(f"\nlinearity (best of {args.runs}):")
        for size, size_t in timings:
            print(f"  {size / MB:5g} MB: {_times(size_t)}: {size / size_t.cpu / MB:.2f} MB/s")
        print(f"  time ratio {growth:.2f} for a size ratio of {expected:.2f}")

    # summary
    summary = [["throughput, one core", f"{rate / MB:.2f} MB/s", f">= {TARGET_MB_PER_S:g} MB/s",
                verdict(rate / MB >= TARGET_MB_PER_S)]]
    if ratio is not None:
        summary.append(["vs quantulum3, same text", f"{ratio:.1f}x", f">= {TARGET_RATIO:g}x",
                        verdict(ratio >= TARGET_RATIO)])
    if growth is not None and expected is not None:
        small_mb, large_mb = args.linearity
        summary.append([f"time {large_mb:g} MB / {small_mb:g} MB", f"{growth:.2f}",
                        f"~{expected:.0f} (linear)",
                        "PASS" if growth <= expected * 1.25 else "MISS"])
    for name, by_tool in scores.items():
        cells = ", ".join(f"{tool} {s.f1:.3f}" for tool, s in by_tool.items())
        summary.append([f"F1, {name} gold", cells, "", ""])
    print("\n" + table(["summary", "measured", "target", ""], summary))

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


def tipfigures_version() -> str:
    from tipfigures.extract import extractor_version

    return extractor_version()


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
