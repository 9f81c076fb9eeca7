"""`make bench`: every benchmark, one after the other, each printing its figures.

    python benchmarks/run.py                 # extraction, the pipeline, then the test suite
    python benchmarks/run.py extraction      # one of them (extraction, pipeline, suite)
Arguments after `--` go to the chosen benchmark: python benchmarks/run.py pipeline -- --sizes 1000
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {"extraction": HERE / "extraction.py", "pipeline": HERE / "pipeline.py",
              "suite": HERE / "suite.py"}


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    names = [a for a in (argv[:argv.index("--")] if "--" in argv else argv)] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
        return 2
    started = time.perf_counter()
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        result = subprocess.run([sys.executable, str(BENCHMARKS[name]), *extra], check=False)
        if result.returncode:
            return result.returncode
    print(f"\nmake bench: {(time.perf_counter() - started) / 60:.1f} min "
          f"(load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
