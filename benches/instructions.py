#!/usr/bin/env python3
"""Instructions per operation of benches/instructions.rs under valgrind's
callgrind, this crate beside its peers on every workload shape of issue
15: each case runs with OPS and 2 * OPS operations, and the difference of
the two counts over OPS is the cost of one operation (the set-up cancels).

cargo bench --bench instructions --no-run && python3 benches/instructions.py [filter]

`filter` keeps the rows whose case contains it (`store`, `lookup`,
`set-cookie`, ...). Runs two valgrinds at a time.
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

PARSE = [("set-cookie", shape, 4_000) for shape in ["mixed", "bare", "full", "large"]]
PARSE.append(("cookie-header", "0", 2_000))
JAR_SIZES = ["10", "1000", "10000"]
ROWS = []
for case, size, ops in PARSE:
    ROWS.append((case, size, ops, ["cookiejar", "cookie"]))
for sites in JAR_SIZES:
    ROWS.append(("store", sites, 2_000, ["cookiejar", "cookie_store", "reqwest"]))
for sites in JAR_SIZES:
    ROWS.append(("lookup", sites, 2_000, ["cookiejar", "cookiejar-buf", "cookie_store", "reqwest"]))
# The peers' lookups scan every cookie of the jar: fewer operations.
SLOW = {("lookup", "1000"): 200, ("lookup", "10000"): 20}


def binary():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    found = [p for p in glob.glob(f"{target}/release/deps/instructions-*") if os.access(p, os.X_OK) and "." not in os.path.basename(p)]
    return max(found, key=os.path.getmtime)


def instructions(exe, case, imp, size, ops):
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, case, imp, size, str(ops)],
        capture_output=True, text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def per_op(exe, case, imp, size, ops):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        one, two = pool.map(lambda n: instructions(exe, case, imp, size, n), [ops, 2 * ops])
    return (two - one) / ops


def main():
    keep = sys.argv[1] if len(sys.argv) > 1 else ""
    exe = binary()
    print("| case | size | cookiejar | peer | peer / cookiejar | second peer | second / cookiejar |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for case, size, ops, impls in ROWS:
        if keep not in case:
            continue
        counts = [per_op(exe, case, imp, size, ops if imp.startswith("cookiejar") else SLOW.get((case, size), ops)) for imp in impls]
        ours = counts[0]
        cells = [f"{ours:,.0f}"]
        for imp, n in zip(impls[1:], counts[1:]):
            cells += [f"{imp} {n:,.0f}", f"**{n / ours:.2f}x**"]
        cells += [""] * (6 - len(cells) + 1)
        label = {"10": "100 cookies", "1000": "10k cookies", "10000": "100k cookies"}.get(size, size)
        print(f"| {case} | {label} | " + " | ".join(cells[:5]) + " |", flush=True)


main()
