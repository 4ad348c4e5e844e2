#!/usr/bin/env python3
"""The oracle of tests/rfc2109_python.rs: runs each scenario of scenarios.json through
Python's http.cookiejar with DefaultCookiePolicy(rfc2965=True,
rfc2109_as_netscape=False) and prints, as JSON, the Cookie header Python
sends for every "get" step (null when it sends none).

Usage: python_oracle.py scenarios.json > python.json
Time is the scenario's: time.time() is replaced by the step's "at" (seconds
after the scenario's epoch), so that Max-Age and Expires are deterministic.
"""
import email.message
import json
import sys
import time
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy

EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z, the same as the Rust side.
clock = [EPOCH]
time.time = lambda: clock[0]


class Response:
    """What CookieJar.extract_cookies reads: info() with the headers."""

    def __init__(self, headers):
        self.message = email.message.Message()
        for value in headers:
            self.message["Set-Cookie"] = value

    def info(self):
        return self.message


def run(scenario):
    policy = DefaultCookiePolicy(rfc2965=True, rfc2109_as_netscape=False)
    jar = CookieJar(policy)
    out = []
    for step in scenario["steps"]:
        clock[0] = EPOCH + step.get("at", 0)
        if "set" in step:
            request = urllib.request.Request(step["set"])
            jar.extract_cookies(Response(step["headers"]), request)
        else:
            request = urllib.request.Request(step["get"])
            jar.add_cookie_header(request)
            out.append(request.unredirected_hdrs.get("Cookie"))
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        scenarios = json.load(f)
    json.dump({s["name"]: run(s) for s in scenarios["scenarios"]}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
