"""Run every benchmark, print a table, write bench/out/latest.json."""

from __future__ import annotations

import json
import os
import platform
import sys

from bench import assessment, overlay
from bench.build import OUT

DEFAULT_SIZES = [1_000, 100_000, 1_000_000]


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "").split(",") if s] or DEFAULT_SIZES
    print(f"cxgap benchmarks on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")  # fmt: skip
    print("baseline: every answer row loaded into Python, statistics computed from the rows\n")
    only_overlay = sys.argv[1:] == ["overlay"]  # python -m bench overlay
    timings = ([] if only_overlay else assessment.run(sizes)) + overlay.run()
    header = f"{'benchmark':44} {'answers':>10} {'seconds':>9} {'baseline s':>11} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    for t in timings:
        ratio = f"{t.ratio:8.1f}x" if t.ratio else ""
        base = f"{t.baseline_seconds:11.3f}" if t.baseline_seconds else ""
        print(f"{t.name:44} {t.size:>10,} {t.seconds:9.3f} {base} {ratio}")
    OUT.mkdir(exist_ok=True)
    (OUT / "latest.json").write_text(
        json.dumps([t.__dict__ | {"ratio": t.ratio} for t in timings], indent=2)
    )


if __name__ == "__main__":
    main()
