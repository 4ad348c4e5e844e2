#!/usr/bin/env python3
"""Print the README's benchmark table from criterion's results.

Usage: cargo bench --bench parse && python3 benches/table.py
Reads target/criterion/<group>/<impl>[/<size>]/new/{estimates,benchmark}.json
and compares every implementation with `cookiejar` from the same run.
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
PEERS = {"set_cookie": ["cookie"], "cookie_header": ["cookie"]}


def load(group, impl, size):
    d = root / group / impl / size if size else root / group / impl
    try:
        est = json.loads((d / "new" / "estimates.json").read_text())
        bench = json.loads((d / "new" / "benchmark.json").read_text())
    except FileNotFoundError:
        return None
    ns = est["median"]["point_estimate"]
    tp = bench.get("throughput") or {}
    nbytes = tp.get("Bytes")
    return ns, nbytes


def fmt_ns(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"


rows = []
for group in sys.argv[1:] or ["set_cookie", "cookie_header"]:
    base = root / group / "cookiejar"
    sizes = sorted((p.name for p in base.iterdir() if p.name.isdigit()), key=int) if base.exists() else []
    for size in sizes or [None]:
        ours = load(group, "cookiejar", size)
        floor = load(group, "memchr_floor", size)
        if not ours:
            continue
        ns, nbytes = ours
        mbs = nbytes / ns * 1e3 if nbytes else float("nan")
        for peer in PEERS.get(group, []):
            theirs = load(group, peer, size)
            if not theirs:
                continue
            label = f"{group} ({size} pairs)" if size else group
            rows.append(
                f"| {label} | {nbytes} B | {fmt_ns(ns)} | {mbs:.0f} MB/s | {fmt_ns(theirs[0])} "
                f"| **{theirs[0] / ns:.1f}x** | {fmt_ns(floor[0])} | {ns / floor[0]:.1f}x |"
            )

print("| input | bytes | cookiejar (median) | cookiejar | `cookie` 0.18 (median) | speed-up | memchr floor | cookiejar / floor |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
print("\n".join(rows))
