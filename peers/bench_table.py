#!/usr/bin/env python3
"""Print the W1-W3 table of BENCHMARKS.md from Criterion's saved estimates.

Usage: python3 peers/bench_table.py [CRITERION_DIR]
CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, then target/criterion.
It reads <dir>/<W>/<peer>/new/estimates.json, as written by
`cargo bench -p sigfresh-peers --bench sign`. It prints medians in microseconds, with
Criterion's 95% confidence interval of each median.
"""

import json
import os
import sys


def main():
    if len(sys.argv) > 1:
        base = sys.argv[1]
    else:
        target = os.environ.get("CARGO_TARGET_DIR", "target")
        base = os.path.join(target, "criterion")
    rows = []
    for w in ("W1", "W2", "W3"):
        med = {}
        for peer in ("sigfresh", "aws-sigv4", "floor"):
            path = os.path.join(base, w, peer, "new", "estimates.json")
            with open(path, encoding="utf-8") as f:
                e = json.load(f)["median"]
            ci = e["confidence_interval"]
            med[peer] = (
                e["point_estimate"] / 1000,
                ci["lower_bound"] / 1000,
                ci["upper_bound"] / 1000,
            )
        rows.append((w, med))

    def cell(m):
        return "%.2f (%.2f–%.2f)" % m

    print("| workload | sigfresh µs | aws-sigv4 µs | floor µs | aws-sigv4 / sigfresh | sigfresh / floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for w, m in rows:
        print(
            "| %s | %s | %s | %s | %.1f× | %.1f× |"
            % (
                w,
                cell(m["sigfresh"]),
                cell(m["aws-sigv4"]),
                cell(m["floor"]),
                m["aws-sigv4"][0] / m["sigfresh"][0],
                m["sigfresh"][0] / m["floor"][0],
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
