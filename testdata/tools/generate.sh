#!/usr/bin/env bash
# Remakes the files under testdata/tools/ with the real tools installed on
# this machine (curl, wget, python3 with http.cookiejar, yt-dlp from PyPI):
# each tool follows the login chain of tests/interop/server.rs (served on
# 127.0.0.1, reached as an HTTP proxy), saves its cookies.txt (login.txt),
# loads it again and requests the probe URLs; the Cookie headers it sent
# are recorded (sent.txt). The live tests write these files before they
# assert anything, so a library failure does not stop the files.
set -uo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"

# The test server's https certificate (self-signed, for 100 years; the
# tools are told not to verify it). Kept once made, so that it does not
# change with every run.
if [ ! -f testdata/tools/tls/cert.pem ]; then
  mkdir -p testdata/tools/tls
  openssl req -x509 -newkey rsa:2048 -nodes -days 36500 \
    -keyout testdata/tools/tls/key.pem -out testdata/tools/tls/cert.pem \
    -subj "/CN=www.shop.example" \
    -addext "subjectAltName=DNS:www.shop.example,DNS:api.shop.example,DNS:localhost" 2>/dev/null
fi

# CI=true: a missing tool fails instead of skipping (and writing nothing).
CI=true COOKIEJAR_WRITE_FIXTURES=1 cargo test --quiet --all-features --test interop -- live:: >/tmp/interop-generate.log 2>&1
status=$?
[ $status -eq 0 ] || echo "note: some live tests failed (see /tmp/interop-generate.log); the files were written before asserting"

{
  cat <<'HEAD'
# Files written by the real tools

Made by `testdata/tools/generate.sh`; tests/interop/ reads them. Every
request went to the test server on 127.0.0.1 as an HTTP proxy (`proxy.py`:
https through CONNECT tunnels whose TLS it ends with the self-signed
`tls/cert.pem` and `tls/key.pem`, a test-only key made by openssl in
generate.sh), so the URLs name www.shop.example, api.shop.example and
localhost on port 8443. `drive.py` is the Python side (`http.cookiejar`,
yt-dlp). Per file: tool, version, command.

HEAD
  if command -v dpkg-query >/dev/null; then
    echo "Debian packages: $(dpkg-query -W -f '${Package} ${Version}, ' curl wget 2>/dev/null)on Debian $(cat /etc/debian_version 2>/dev/null)."
    echo
  fi
  for tool in curl wget python yt-dlp; do
    sed 's/^/- /' "testdata/tools/$tool/made-by.txt"
  done
  cat <<'TAIL'
- handmade/extension.txt: hand-made. No tool installed here writes what
  browser-extension exports write (a UTF-8 byte-order mark, CRLF line ends,
  fractional expiries such as 1830000000.561, a trailing TAB making 8
  fields, an expiry of -1, #HttpOnly_ lines); the file has each of these.
- handmade/comments.txt: hand-made, for how curl reads comments: a
  byte-order mark before the first cookie line, comments indented with
  spaces and with a TAB, a commented-out cookie, #HttpOnly_ on a domain
  cookie, a CR before a line end, no line end at the end.
- handmade/NAME.sent-by-curl.txt, handmade/NAME.sent-by-wget.txt: the Cookie
  header curl and wget sent to each probe URL after loading
  handmade/NAME.txt (same commands as for sent.txt above). Python and
  yt-dlp refuse both files whole ("does not look like a Netscape format
  cookies file": their first line must start with "# Netscape HTTP Cookie
  File" or "# HTTP Cookie File", byte-order mark excluded).
TAIL
} > testdata/tools/README.md
exit $status
