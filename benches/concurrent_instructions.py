#!/usr/bin/env python3
"""Instructions per operation of benches/concurrent.rs on one thread, under
valgrind's callgrind: `SharedJar` (sharded) beside one `RwLock<Jar>`, both
through reqwest's `CookieStore` trait, for lookups and for stores over the
bench's 400 sites. Each case runs with OPS and 2 * OPS operations; the
difference of the two counts over OPS is the cost of one operation (the
set-up cancels).

cargo bench --bench concurrent --features reqwest --no-run && python3 benches/concurrent_instructions.py [binary ...]

With binaries given (e.g. one built before a change), each is measured.
"""
import glob
import os
import re
import subprocess
import sys

OPS = 20_000
CASES = [("lookups", imp) for imp in ["shared", "one-lock"]] + [
    ("stores", imp) for imp in ["shared", "one-lock"]
]


def binary():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    found = [
        p
        for p in glob.glob(f"{target}/release/deps/concurrent-*")
        if os.access(p, os.X_OK) and "." not in os.path.basename(p)
    ]
    return max(found, key=os.path.getmtime)


def instructions(exe, imp, load, ops):
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, "instructions", imp, load, str(ops)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main():
    exes = sys.argv[1:] or [binary()]
    for exe in exes:
        print(exe)
        for load, imp in CASES:
            per_op = (instructions(exe, imp, load, 2 * OPS) - instructions(exe, imp, load, OPS)) / OPS
            print(f"  {load:8} {imp:9} {per_op:10,.0f} instructions per operation")


if __name__ == "__main__":
    main()
