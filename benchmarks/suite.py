"""Goal 4 of issue 13: the whole test suite (`make test`: ruff, then pytest) in under 3 minutes.

    python benchmarks/suite.py

Runs `make test` as a user would, times it, prints the ten slowest tests pytest reports and a
PASS/MISS line with the load average (other work on a shared machine slows the suite down).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 180.0


def main() -> int:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    seconds = time.perf_counter() - started
    lines = result.stdout.splitlines()
    at = next((i for i, line in enumerate(lines) if "slowest 10 durations" in line), None)
    if at is not None:
        print("\n".join(lines[at:at + 11]))
    print(lines[-1] if lines else result.stderr[-2000:])
    ok = result.returncode == 0 and seconds <= TARGET_SECONDS
    print(f"\n== goal of issue 13 (load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after)")
    outcome = "passed" if not result.returncode else "FAILED"
    print(f"{'PASS' if ok else 'MISS'} 4. make test {outcome} in {seconds:.0f} s "
          f"(<= {TARGET_SECONDS:.0f})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
