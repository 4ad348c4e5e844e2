#!/usr/bin/env python3
"""Records what headless Chromium does with the scenarios of scenarios.py.

    record.py OUT.json [--har DIR] [--only PREFIX]

Starts one headless Chromium (`--remote-debugging-pipe`: the DevTools
protocol over two pipes, so no websocket client is needed) with a fresh
profile, and a server on 127.0.0.1 (one plain and one TLS listener, the
self-signed certificate of testdata/tools/tls/, which Chromium is told to
ignore). `--host-resolver-rules` sends every host name to 127.0.0.1, so the
scenarios name real-looking sites and nothing leaves the machine.

Per scenario: the cookies are cleared, then each step is a browser-initiated
navigation (`Page.navigate`, as if typed: a top-level, same-site request)
to the step's URL, or to a page that frames another URL. The server answers
with the step's raw `Set-Cookie` lines and records the `Cookie` header each
request carried. At the end the store is read (`Storage.getCookies`).

OUT.json holds, per scenario, the steps as sent (every `Set-Cookie` line
exactly, dates already rendered), the instant of each response, the `Cookie`
header Chromium sent, why Chromium refused any `Set-Cookie` line (the
`blockedCookies` of `Network.responseReceivedExtraInfo`) and the final store.
tests/chromium.rs replays the same steps through the jar and compares.

With --har DIR, the scenarios whose id starts with `har/` are also written
as HAR 1.2 files (DIR/NAME.har), built from the DevTools Network events.
"""

import ctypes
import email.utils
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenarios  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CERT = os.path.join(ROOT, "testdata", "tools", "tls", "cert.pem")
KEY = os.path.join(ROOT, "testdata", "tools", "tls", "key.pem")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMEOUT = 15.0


# ---------------------------------------------------------------- server


class State:
    """What the server answers and what it saw, keyed by request number."""

    def __init__(self):
        self.lock = threading.Lock()
        self.responses = {}  # r -> (set-cookie lines, body bytes)
        self.seen = {}  # r -> (cookie header or None, time)
        self.cond = threading.Condition(self.lock)


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        r = query.get("r", [None])[0]
        # http.server reads header bytes as Latin-1: back to the bytes,
        # which Chromium sends as UTF-8.
        cookies = [c.encode("latin-1").decode("utf-8", "replace")
                   for c in self.headers.get_all("Cookie") or []]
        with STATE.lock:
            response = STATE.responses.get(r)
            if response is not None and r not in STATE.seen:
                STATE.seen[r] = ("; ".join(cookies) if cookies else None, time.time())
                STATE.cond.notify_all()
        set_cookies, body = response if response else ([], b"")
        head = [b"HTTP/1.1 200 OK", b"Content-Type: text/html; charset=utf-8",
                b"Cache-Control: no-store", b"Content-Length: " + str(len(body)).encode()]
        head += [b"Set-Cookie: " + line.encode("utf-8") for line in set_cookies]
        self.wfile.write(b"\r\n".join(head) + b"\r\n\r\n" + body)


def serve(tls):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERT, KEY)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


# ---------------------------------------------------------------- DevTools


class DevTools:
    """The DevTools protocol over `--remote-debugging-pipe` (fd 3: commands
    to Chromium, fd 4: replies and events, each message NUL-terminated)."""

    def __init__(self, args):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)
            # Linux: Chromium ends with this process, even if it is killed
            # (the test's timeout), so that no browser outlives the test.
            try:
                ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            except (OSError, AttributeError):
                pass

        self.profile = tempfile.mkdtemp(prefix="cookiejar-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--remote-debugging-pipe", f"--user-data-dir={self.profile}"] + args,
            preexec_fn=fds, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.replies = {}
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.from_chrome, 1 << 16)
            except OSError:
                chunk = b""
            with self.lock:
                if not chunk:
                    self.replies[None] = True
                    self.cond.notify_all()
                    return
                self.buffer += chunk
                while b"\0" in self.buffer:
                    message, self.buffer = self.buffer.split(b"\0", 1)
                    m = json.loads(message)
                    if "id" in m:
                        self.replies[m["id"]] = m
                    else:
                        self.events.append(m)
                    self.cond.notify_all()

    def send(self, method, params=None, session=None):
        with self.lock:
            self.next_id += 1
            i = self.next_id
        message = {"id": i, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + TIMEOUT
        with self.lock:
            while i not in self.replies:
                if None in self.replies or not self.cond.wait(deadline - time.time()):
                    raise RuntimeError(f"no reply to {method}")
            reply = self.replies.pop(i)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method, session, since):
        deadline = time.time() + TIMEOUT
        with self.lock:
            while True:
                for e in self.events[since:]:
                    if e.get("method") == method and e.get("sessionId") == session:
                        return
                if not self.cond.wait(max(0.0, deadline - time.time())):
                    raise RuntimeError(f"no {method}")

    def close(self):
        try:
            self.send("Browser.close")
        except RuntimeError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# ---------------------------------------------------------------- recording


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def render(line, now):
    """`{date:+3600}` becomes the IMF-fixdate of now + 3600 s."""
    out = ""
    while "{date:" in line:
        head, rest = line.split("{date:", 1)
        offset, rest = rest.split("}", 1)
        out += head + http_date(now + float(offset))
        line = rest
    return out + line


class Recorder:
    def __init__(self):
        self.plain = serve(False)
        self.tls = serve(True)
        self.r = 0
        self.chrome = DevTools([
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio",
            "--host-resolver-rules=MAP * 127.0.0.1", "--ignore-certificate-errors",
            "about:blank",
        ])
        self.version = self.chrome.send("Browser.getVersion")["product"]
        targets = self.chrome.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.chrome.send(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        self.chrome.send("Page.enable", session=self.session)
        self.chrome.send("Network.enable", session=self.session)
        self.chrome.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=self.session)

    def local(self, url, r):
        """The URL Chromium is sent to: the scenario's, with the port of the
        right listener and the request number in the query."""
        parts = urllib.parse.urlsplit(url)
        port = self.tls if parts.scheme == "https" else self.plain
        query = (parts.query + "&" if parts.query else "") + f"r={r}"
        return urllib.parse.urlunsplit(
            (parts.scheme, f"{parts.hostname}:{port}", parts.path, query, ""))

    def expect(self, set_cookies, body=b"ok"):
        self.r += 1
        r = str(self.r)
        with STATE.lock:
            STATE.responses[r] = (set_cookies, body)
        return r

    def wait_seen(self, r):
        deadline = time.time() + TIMEOUT
        with STATE.lock:
            while r not in STATE.seen:
                if not STATE.cond.wait(max(0.0, deadline - time.time())):
                    raise RuntimeError(f"request {r} never arrived")
            return STATE.seen[r]

    def step(self, step, now):
        """One navigation; returns the recorded step."""
        out = {"url": step["url"], "set": [render(s, now) for s in step.get("set", [])]}
        frame = step.get("frame")
        if frame:
            out["frame"] = {"url": frame["url"],
                            "set": [render(s, now) for s in frame.get("set", [])]}
            rf = self.expect(out["frame"]["set"])
            body = f'<iframe src="{self.local(frame["url"], rf)}"></iframe>'.encode()
            r = self.expect(out["set"], body)
        else:
            r = self.expect(out["set"])
        if step.get("wait"):
            time.sleep(step["wait"])
        since = len(self.chrome.events)
        self.chrome.send("Page.navigate", {"url": self.local(step["url"], r)}, session=self.session)
        self.chrome.wait_event("Page.loadEventFired", self.session, since)
        cookie, at = self.wait_seen(r)
        out["at"] = at
        out["cookie"] = cookie
        if frame:
            fcookie, fat = self.wait_seen(rf)
            out["frame"]["at"] = fat
            out["frame"]["cookie"] = fcookie
        # Give the ExtraInfo events (which may follow the load) a moment.
        time.sleep(0.05)
        out["blocked"] = self.blocked(since)
        return out, since

    def blocked(self, since):
        reasons = []
        for e in self.chrome.events[since:]:
            if e.get("method") == "Network.responseReceivedExtraInfo":
                for b in e["params"].get("blockedCookies", []):
                    reasons.append({"line": b.get("cookieLine", ""),
                                    "reasons": b.get("blockedReasons", [])})
        return reasons

    def store(self):
        cookies = self.chrome.send("Storage.getCookies")["cookies"]
        out = []
        for c in cookies:
            out.append({
                "name": c["name"], "value": c["value"], "domain": c["domain"],
                "path": c["path"], "secure": c["secure"], "http_only": c["httpOnly"],
                "session": c["session"], "expires": None if c["session"] else c["expires"],
                "same_site": c.get("sameSite"),
                "partition_key": (c.get("partitionKey") or {}).get("topLevelSite"),
            })
        out.sort(key=lambda c: (c["domain"], c["path"], c["name"], c["partition_key"] or ""))
        return out

    def scenario(self, s):
        self.chrome.send("Storage.clearCookies")
        steps = []
        first_event = len(self.chrome.events)
        for step in s["steps"]:
            recorded, _ = self.step(step, time.time() + step.get("wait", 0))
            steps.append(recorded)
        return {"id": s["id"], "about": s["about"], "steps": steps,
                "store": self.store()}, first_event


def har(recorder, since):
    """A HAR 1.2 log of the Network events from `since` on."""
    events = recorder.chrome.events[since:]
    requests = {}
    order = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        rid = p.get("requestId")
        if method == "Network.requestWillBeSent":
            if p.get("type") not in ("Document",):
                continue
            requests[rid] = {"sent": p, "extra": None, "response": None, "response_extra": None}
            order.append(rid)
        elif rid in requests and method == "Network.requestWillBeSentExtraInfo":
            requests[rid]["extra"] = p
        elif rid in requests and method == "Network.responseReceived":
            requests[rid]["response"] = p
        elif rid in requests and method == "Network.responseReceivedExtraInfo":
            requests[rid]["response_extra"] = p
    entries = []
    for rid in order:
        q = requests[rid]
        sent = q["sent"]
        headers = dict(sent["request"].get("headers", {}))
        if q["extra"]:
            headers = q["extra"]["headers"]
        request_headers = [{"name": k, "value": v} for k, v in headers.items()]
        response_headers = []
        status = 0
        if q["response_extra"]:
            for k, v in q["response_extra"]["headers"].items():
                for line in v.split("\n"):
                    response_headers.append({"name": k, "value": line})
            status = q["response_extra"].get("statusCode", 0)
        if q["response"]:
            status = q["response"]["response"].get("status", status)
        started = sent["wallTime"]
        entries.append({
            "startedDateTime": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started))
            + f".{int((started % 1) * 1000):03d}Z",
            "time": 0,
            "request": {"method": sent["request"]["method"], "url": sent["request"]["url"],
                        "httpVersion": "HTTP/1.1", "headers": request_headers,
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                         "headers": response_headers, "cookies": [],
                         "content": {"size": 0, "mimeType": "text/html"},
                         "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
        })
    return {"log": {"version": "1.2",
                    "creator": {"name": "cookiejar tests/chromium/record.py", "version": "1"},
                    "browser": {"name": "Chromium", "version": recorder.version},
                    "entries": entries}}


def main():
    args = sys.argv[1:]
    out = args[0]
    har_dir = args[args.index("--har") + 1] if "--har" in args else None
    only = args[args.index("--only") + 1] if "--only" in args else ""
    recorder = Recorder()
    results = []
    try:
        for s in scenarios.SCENARIOS:
            if not s["id"].startswith(only):
                continue
            result, since = recorder.scenario(s)
            results.append(result)
            if har_dir and s["id"].startswith("har/"):
                name = s["id"].split("/", 1)[1]
                with open(os.path.join(har_dir, name + ".har"), "w") as f:
                    json.dump(har(recorder, since), f, indent=1)
                    f.write("\n")
    finally:
        recorder.chrome.close()
    with open(out, "w") as f:
        json.dump({"chromium": recorder.version, "scenarios": results}, f, indent=1,
                  ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
