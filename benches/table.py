#!/usr/bin/env python3
"""Print the README's benchmark table from criterion's results.

Usage: cargo bench --bench parse && python3 benches/table.py
       cargo bench --bench jar && python3 benches/table.py jar_lookup jar_store
Reads target/criterion/<group>/<impl>[/<size>]/new/{estimates,benchmark}.json
and compares every implementation with `cookiejar` from the same run.

On a noisy machine, run the bench several times into named baselines and
give their names: every ratio is still taken within one run, and the table
shows the median over the runs and their range.

       for i in 1 2 3 4 5; do cargo bench --bench parse -- --save-baseline run$i; done
       python3 benches/table.py --baselines run1 run2 run3 run4 run5
"""
import json
import pathlib
import statistics
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
PEERS = {"set_cookie": ["cookie"], "cookie_header": ["cookie"]}
# The jar groups of benches/jar.rs: one row per jar size, against cookie_store.
JAR_PEERS = {"jar_lookup": "cookie_store", "jar_store": "cookie_store"}
JAR_LABELS = {"jar_lookup": "lookup (`Cookie` header)", "jar_store": "store (replace one)"}


def load(group, impl, size, run="new"):
    d = root / group / impl / size if size else root / group / impl
    try:
        est = json.loads((d / run / "estimates.json").read_text())
        bench = json.loads((d / run / "benchmark.json").read_text())
    except FileNotFoundError:
        return None
    ns = est["median"]["point_estimate"]
    tp = bench.get("throughput") or {}
    nbytes = tp.get("Bytes")
    return ns, nbytes


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.1f} ns"


def fmt_ratio(r):
    return f"{r:,.0f}x" if r >= 100 else f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def sizes_of(group):
    base = root / group / "cookiejar"
    return sorted((p.name for p in base.iterdir() if p.name.isdigit()), key=int) if base.exists() else []


def locked_version(package):
    """The version of `package` in Cargo.lock, or "" if it is not there."""
    lock = root.parent.parent / "Cargo.lock"
    try:
        blocks = lock.read_text().split("[[package]]")
    except FileNotFoundError:
        return ""
    for block in blocks:
        if f'name = "{package}"\n' in block:
            for line in block.splitlines():
                if line.startswith("version = "):
                    return line.split('"')[1]
    return ""


def times_per_run(group, size, impls, runs):
    """For each run that has every one of `impls`, their median times."""
    per_run = []
    for run in runs:
        found = [load(group, impl, size, run) for impl in impls]
        if all(found):
            per_run.append([ns for ns, _ in found])
    return per_run


def ratio_text(per_run, num, den, bold=False):
    """Column `num` over column `den`, taken within each run: the median,
    and the range when there are several runs."""
    values = [r[num] / r[den] for r in per_run]
    text = f"{statistics.median(values):.1f}x"
    text = f"**{text}**" if bold else text
    return f"{text} ({min(values):.1f}-{max(values):.1f})" if len(values) > 1 else text


def label_of(group, size):
    return f"{group} ({size} pairs)" if size else group


def parse_table(groups, runs):
    """One row per input. Times are medians over `runs`; every ratio is
    taken within one run, then its median (and range, for several runs)."""
    rows = []
    for group in groups:
        for size in sizes_of(group) or [None]:
            for peer in PEERS.get(group, []):
                per_run = times_per_run(group, size, ("cookiejar", peer, "memchr_tokens", "memchr_count"), runs)
                if not per_run:
                    continue
                nbytes = load(group, "cookiejar", size, runs[0])[1]
                ours, theirs, tokens, count = (statistics.median(col) for col in zip(*per_run))
                mbs = nbytes / ours * 1e3 if nbytes else float("nan")
                rows.append(
                    f"| {label_of(group, size)} | {nbytes} B | {fmt_ns(ours)} | {mbs:.0f} MB/s | {fmt_ns(theirs)} "
                    f"| {ratio_text(per_run, 1, 0, True)} | {fmt_ns(tokens)} | {ratio_text(per_run, 0, 2, True)} "
                    f"| {fmt_ns(count)} | {ratio_text(per_run, 0, 3)} |"
                )
    print("| input | bytes | cookiejar (median) | cookiejar | `cookie` 0.18 (median) | speed-up "
          "| memchr tokenizer | cookiejar / tokenizer | memchr count | cookiejar / count |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def floors_table(groups, runs):
    """How far the floors are from the memchr count, and this crate from the
    safe-scalar tokenizer (the splits alone, found as this crate may)."""
    rows = []
    for group in groups:
        for size in sizes_of(group) or [None]:
            per_run = times_per_run(group, size, ("cookiejar", "memchr_count", "memchr_tokens", "scalar_tokens"), runs)
            if not per_run:
                continue
            count = statistics.median(r[1] for r in per_run)
            rows.append(
                f"| {label_of(group, size)} | {fmt_ns(count)} | {ratio_text(per_run, 2, 1)} "
                f"| {ratio_text(per_run, 3, 1)} | {ratio_text(per_run, 0, 3)} |"
            )
    if not rows:
        return
    print()
    print("| input | memchr count | memchr tokenizer / count | safe scalar tokenizer / count "
          "| cookiejar / scalar tokenizer |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def jar_table(groups):
    """Rows: operation and jar size; columns: both medians and the ratio."""
    version = locked_version("cookie_store")
    peer_names = {JAR_PEERS[g] for g in groups}
    rows = []
    for group in groups:
        peer = JAR_PEERS[group]
        for size in sizes_of(group):
            ours = load(group, "cookiejar", size)
            theirs = load(group, peer, size)
            if not ours or not theirs:
                continue
            ratio = theirs[0] / ours[0]
            rows.append(
                f"| {JAR_LABELS.get(group, group)} | {int(size):,} | {fmt_ns(ours[0])} "
                f"| {fmt_ns(theirs[0])} | **{fmt_ratio(ratio)}** |"
            )
    peer = " / ".join(sorted(peer_names))
    peer = f"`{peer}` {version}" if version and len(peer_names) == 1 else f"`{peer}`"
    print(f"| operation | cookies in jar | cookiejar (median) | {peer} (median) | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


args = sys.argv[1:]
runs = ["new"]
if "--baselines" in args:
    at = args.index("--baselines")
    runs, args = args[at + 1:], args[:at]
groups = args or ["set_cookie", "cookie_header"]
jar_groups = [g for g in groups if g in JAR_PEERS]
other_groups = [g for g in groups if g not in JAR_PEERS]
if other_groups:
    parse_table(other_groups, runs)
    floors_table(other_groups, runs)
if jar_groups:
    if other_groups:
        print()
    jar_table(jar_groups)
