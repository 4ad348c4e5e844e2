#!/usr/bin/env python3
"""Drives Python's http.cookiejar or yt-dlp for tests/interop.rs.

    drive.py python|ytdlp PROXY login FILE URL   log in from URL (following
                                                 redirects) and save the jar
    drive.py python|ytdlp PROXY probe FILE URL.. load the jar from FILE and
                                                 request each URL once

Every request goes to the HTTP proxy PROXY (the test's server on
127.0.0.1; https through CONNECT, with a self-signed certificate that is
not verified), so that host names such as www.shop.example need no name
resolution; the cookie engines key on the URL, not on the connection.
"""

import http.cookiejar
import shutil
import ssl
import sys
import tempfile
import urllib.request


def python_login(proxy, path, url):
    jar = http.cookiejar.MozillaCookieJar(path)
    opener = python_opener(proxy, jar)
    opener.open(url).read()
    # Session cookies are the login: keep them, as a scripted login must.
    jar.save(ignore_discard=True)


def python_probe(proxy, path, urls):
    jar = http.cookiejar.MozillaCookieJar(path)
    jar.load(ignore_discard=True)
    opener = python_opener(proxy, jar)
    for url in urls:
        opener.open(url).read()


def python_opener(proxy, jar):
    # The test server's certificate is self-signed: not verified.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy}),
        urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
        urllib.request.HTTPCookieProcessor(jar),
    )


def ytdlp_params(proxy, path):
    return {
        "proxy": proxy,
        "cookiefile": path,
        "nocheckcertificate": True,
        "quiet": True,
        "no_warnings": True,
    }


def ytdlp_login(proxy, path, url):
    import yt_dlp

    # YoutubeDL loads the cookie file when it is created and saves it
    # (YoutubeDLCookieJar.save) when it is closed.
    with yt_dlp.YoutubeDL(ytdlp_params(proxy, path)) as ydl:
        ydl.urlopen(url).read()


def ytdlp_probe(proxy, path, urls):
    import yt_dlp

    # yt-dlp saves the jar on close: give it a copy, so that the file
    # under test stays as it was written.
    with tempfile.TemporaryDirectory() as scratch:
        copy = scratch + "/cookies.txt"
        shutil.copyfile(path, copy)
        with yt_dlp.YoutubeDL(ytdlp_params(proxy, copy)) as ydl:
            for url in urls:
                ydl.urlopen(url).read()


def main(argv):
    tool, proxy, action, path, *urls = argv
    commands = {
        ("python", "login"): lambda: python_login(proxy, path, urls[0]),
        ("python", "probe"): lambda: python_probe(proxy, path, urls),
        ("ytdlp", "login"): lambda: ytdlp_login(proxy, path, urls[0]),
        ("ytdlp", "probe"): lambda: ytdlp_probe(proxy, path, urls),
    }
    commands[(tool, action)]()


if __name__ == "__main__":
    main(sys.argv[1:])
