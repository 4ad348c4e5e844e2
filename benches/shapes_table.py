#!/usr/bin/env python3
"""The README's time table of the parsing shapes (benches/parse.rs, groups
`shapes_set_cookie` and `shapes_cookie_header`), this crate against the
`cookie` crate, from criterion baselines of several runs: times are
medians over the runs, every ratio is taken within one run.

for i in $(seq 10); do cargo bench --bench parse -- shapes --save-baseline p15r$i; done
python3 benches/shapes_table.py p15r1 ... p15r10

Reads $CARGO_TARGET_DIR/criterion (or target/criterion).
"""
import json
import os
import pathlib
import statistics
import sys

root = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", pathlib.Path(__file__).resolve().parent.parent / "target")) / "criterion"
ROWS = [
    ("shapes_set_cookie", "mixed", "`Set-Cookie`, mixed"),
    ("shapes_set_cookie", "bare", "`Set-Cookie`, bare `name=value`"),
    ("shapes_set_cookie", "full", "`Set-Cookie`, full attributes"),
    ("shapes_set_cookie", "large", "`Set-Cookie`, large tokens"),
    ("shapes_cookie_header", "1-40", "`Cookie` header, 1-40 pairs"),
]


def median_ns(group, impl, shape, run):
    path = root / group / impl / shape / run / "estimates.json"
    try:
        return json.loads(path.read_text())["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def fmt(ns):
    return f"{ns / 1e6:.2f} ms" if ns >= 1e6 else f"{ns / 1000:.1f} µs"


runs = sys.argv[1:] or ["new"]
print("| shape | cookiejar (median) | `cookie` (median) | speed-up, median (range) | per run |")
print("| --- | --- | --- | --- | --- |")
for group, shape, label in ROWS:
    pairs = [(median_ns(group, "cookiejar", shape, r), median_ns(group, "cookie", shape, r)) for r in runs]
    pairs = [(a, b) for a, b in pairs if a and b]
    if not pairs:
        continue
    ratios = [b / a for a, b in pairs]
    print(
        f"| {label} | {fmt(statistics.median(a for a, _ in pairs))} | {fmt(statistics.median(b for _, b in pairs))} "
        f"| **{statistics.median(ratios):.1f}x** ({min(ratios):.1f}-{max(ratios):.1f}) | {', '.join(f'{x:.1f}' for x in ratios)} |"
    )
