#!/usr/bin/env python3
"""Instructions per operation of benches/store_instructions.rs under
valgrind's callgrind: each case runs with OPS and 2 * OPS operations, and
the difference of the two counts over OPS is the cost of one operation.
OPS is large enough that the set-up's own variation (hash seeds differ
per run) stays under about 2% of the figure.

cargo bench --bench store_instructions --no-run && python3 benches/store_instructions.py [binary]
"""
import glob
import os
import re
import subprocess
import sys

CASES = [
    ("replace-spread", 10_000, 4_000),
    ("lookup-spread", 10_000, 4_000),
    ("replace-one-domain", 5_000, 2_000),
    ("replace-one-domain", 40_000, 2_000),
    ("insert-one-domain", 5_000, 2_000),
    ("insert-one-domain", 40_000, 2_000),
]


def binary():
    if len(sys.argv) > 1:
        return sys.argv[1]
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    found = [p for p in glob.glob(f"{target}/release/deps/store_instructions-*") if os.access(p, os.X_OK) and "." not in os.path.basename(p)]
    return max(found, key=os.path.getmtime)


def instructions(exe, case, cookies, ops):
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, case, str(cookies), str(ops)],
        capture_output=True, text=True, check=True,
    )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main():
    exe = binary()
    print("| case | cookies | instructions / operation |")
    print("| --- | --- | --- |")
    for case, cookies, ops in CASES:
        one = instructions(exe, case, cookies, ops)
        two = instructions(exe, case, cookies, 2 * ops)
        print(f"| {case} | {cookies} | {(two - one) / ops:,.0f} |", flush=True)


main()
