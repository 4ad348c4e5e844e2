#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) from the committed seed
# inputs, two at a time (this is a 2-core machine), and fails on any crash
# or failed property. Used by .ci/run; by hand: `bash fuzz/run-all.sh 1800`.
#
# The corpus starts from what the repository holds: testdata/fuzz/ (every
# past crasher and seed, replayed by tests/fuzz_regressions.rs too), the
# Set-Cookie corpus, and the jar files under testdata/. It is rebuilt in
# fuzz/corpus/ (ignored by git) on every run, so runs are repeatable.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
targets=$(cargo fuzz list)
rm -rf corpus
for t in $targets; do
    mkdir -p "corpus/$t"
    cp ../testdata/fuzz/* "corpus/$t/"
done
# One header a file for the header and date parsers.
n=0
while IFS= read -r line; do
    if [ -z "$line" ] || [ "${line:0:1}" = "#" ]; then continue; fi
    n=$((n + 1))
    for t in parse_set_cookie set_cookie_roundtrip parse_cookie_header parse_cookie_date split_set_cookie_list; do
        printf '%s' "$line" > "corpus/$t/header-$n"
    done
done < ../testdata/headers/set-cookie.txt
for dir in ../testdata/jars ../testdata/tools; do
    if [ -d "$dir" ]; then find "$dir" -type f \( -name '*.txt' -o -name '*.json' \); fi
done |
    while IFS= read -r f; do
        cp "$f" "corpus/load_netscape/$(basename "$f")"
        cp "$f" "corpus/load_json/$(basename "$f")"
    done
# replay_har starts from the HARs of a real Chromium (testdata/chromium/har/),
# cut to what the replay reads so that they fit in -max_len.
mkdir -p corpus/replay_har
for har in ../testdata/chromium/har/*.har; do
    python3 - "$har" "corpus/replay_har/$(basename "$har")" <<'PY'
import json, sys
har = json.load(open(sys.argv[1]))
keep = lambda hs, name: [h for h in hs if h["name"].lower() == name]
entries = [{
    "startedDateTime": e["startedDateTime"],
    "request": {"method": e["request"]["method"], "url": e["request"]["url"],
                "headers": keep(e["request"]["headers"], "cookie")},
    "response": {"headers": keep(e["response"]["headers"], "set-cookie")},
} for e in har["log"]["entries"]]
json.dump({"log": {"entries": entries}}, open(sys.argv[2], "w"), separators=(",", ":"))
PY
done
# import_browser_rows starts from testdata/fuzz/import_browser_rows-seed-*
# (one database of each browser), copied above with the rest of testdata/fuzz.
cargo fuzz build -O
mkdir -p logs
status=0
printf '%s\n' $targets | xargs -P 2 -I{} sh -c \
    "cargo fuzz run -O {} corpus/{} -- -dict=cookie.dict -max_len=4096 -max_total_time=$seconds -print_final_stats=1 > logs/{}.log 2>&1 || { echo 'FAILED: {}'; exit 1; }" ||
    status=1
for t in $targets; do
    # libFuzzer's closing line: "Done N runs in S second(s)", and its
    # final stats (executions, coverage).
    printf '%-22s %s  %s\n' "$t" "$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "logs/$t.log" | tail -1)" \
        "$(grep -Eo 'cov: [0-9]+' "logs/$t.log" | tail -1)"
done
if [ "$status" -ne 0 ]; then
    for t in $targets; do
        grep -q -E 'panicked|ERROR: libFuzzer|SUMMARY' "logs/$t.log" && { echo "== $t"; tail -40 "logs/$t.log"; }
    done
    echo "fuzzing found a crash or a failed property (artifacts in fuzz/artifacts/)"
fi
exit $status
