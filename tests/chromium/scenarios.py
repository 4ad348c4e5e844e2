"""The scenarios record.py plays in Chromium and tests/chromium.rs replays
through the jar.

A scenario is a list of steps; a step is a browser-initiated navigation to
`url` whose response carries the `set` lines as `Set-Cookie` headers, and,
with `frame`, a page that frames another URL (a subresource navigation in
the frame's own context). `{date:+N}` in a line becomes the HTTP date N
seconds from the moment the step is played. Every scenario starts from an
empty store. Host names all resolve to 127.0.0.1 (record.py); ports are
left out here because cookies do not isolate by port (RFC 6265 section 8.5).
"""

SCENARIOS = []

H = "https://www.example.com"
P = "http://www.example.com"


def step(url, *lines, frame=None, frame_set=()):
    s = {"url": url, "set": list(lines)}
    if frame:
        s["frame"] = {"url": frame, "set": list(frame_set)}
    return s


def scenario(id, about, *steps):
    SCENARIOS.append({"id": id, "about": about, "steps": list(steps)})


def probe_all(*urls):
    return [step(u) for u in urls]


# A common probe set for one site.
SITE = [H + "/", P + "/", "https://api.example.com/", "https://example.com/",
        "https://other.example.org/", H + "/a/b/c"]


def set_then_probe(id, about, from_url, lines, probes=SITE):
    scenario(id, about, step(from_url, *lines), *probe_all(*probes))


# ------------------------------------------------------------ domains
D = "domain/"
set_then_probe(D + "host-only", "no Domain: host-only", H + "/", ["a=1"])
set_then_probe(D + "parent", "Domain=parent domain", H + "/", ["a=1; Domain=example.com"])
set_then_probe(D + "leading-dot", "Domain=.example.com", H + "/", ["a=1; Domain=.example.com"])
set_then_probe(D + "own-host", "Domain names the host itself", H + "/", ["a=1; Domain=www.example.com"])
set_then_probe(D + "sibling", "Domain of a sibling host", H + "/", ["a=1; Domain=api.example.com"])
set_then_probe(D + "other-site", "Domain of another site", H + "/", ["a=1; Domain=example.org"])
set_then_probe(D + "tld", "Domain=com", H + "/", ["a=1; Domain=com"])
set_then_probe(D + "dot-tld", "Domain=.com", H + "/", ["a=1; Domain=.com"])
set_then_probe(D + "upper-case", "Domain in upper case", H + "/", ["a=1; Domain=EXAMPLE.COM"])
set_then_probe(D + "trailing-dot", "Domain=example.com.", H + "/", ["a=1; Domain=example.com."])
set_then_probe(D + "only-dot", "Domain=.", H + "/", ["a=1; Domain=."])
set_then_probe(D + "only-dot-spaces", "Domain= . (a dot in spaces)", H + "/", ["a=1; Domain= . "])
set_then_probe(D + "two-dots", "Domain=..", H + "/", ["a=1; Domain=.."])
scenario(D + "only-dot-deletes", "Domain=. does not delete a stored cookie",
         step(H + "/", "a=1"), step(H + "/", "a=; Max-Age=0; Domain=."), step(H + "/"))
set_then_probe(D + "empty", "Domain= (empty)", H + "/", ["a=1; Domain="])
set_then_probe(D + "double-dot", "Domain=..example.com", H + "/", ["a=1; Domain=..example.com"])
set_then_probe(D + "empty-label", "Domain=www..example.com", H + "/", ["a=1; Domain=www..example.com"])
set_then_probe(D + "with-port", "Domain=example.com:443", H + "/", ["a=1; Domain=example.com:443"])
set_then_probe(D + "spaces", "Domain with spaces around", H + "/", ["a=1; Domain =  example.com  "])
set_then_probe(D + "last-wins", "two Domain attributes: the last counts", H + "/",
               ["a=1; Domain=example.org; Domain=example.com"])
set_then_probe(D + "last-wins-bad", "a good then a bad Domain", H + "/",
               ["a=1; Domain=example.com; Domain=example.org"])
set_then_probe(D + "deeper-host", "a.b.example.com sets Domain=example.com", "https://a.b.example.com/",
               ["a=1; Domain=example.com"], SITE + ["https://b.example.com/", "https://a.b.example.com/"])
set_then_probe(D + "superdomain-host", "example.com sets Domain=example.com", "https://example.com/",
               ["a=1; Domain=example.com"])
set_then_probe(D + "host-only-at-apex", "example.com host-only not sent to www", "https://example.com/",
               ["a=1"])
CO = ["https://www.example.co.uk/", "https://shop.example.co.uk/", "https://other.co.uk/"]
set_then_probe(D + "co-uk", "Domain=example.co.uk", "https://www.example.co.uk/",
               ["a=1; Domain=example.co.uk"], CO)
set_then_probe(D + "co-uk-suffix", "Domain=co.uk is a public suffix", "https://www.example.co.uk/",
               ["a=1; Domain=co.uk"], CO)
set_then_probe(D + "uk-suffix", "Domain=uk", "https://www.example.co.uk/", ["a=1; Domain=uk"], CO)
set_then_probe(D + "private-suffix", "Domain=github.io (a private suffix)", "https://me.github.io/",
               ["a=1; Domain=github.io", "b=2"], ["https://me.github.io/", "https://you.github.io/"])
set_then_probe(D + "private-suffix-own", "me.github.io sets Domain=me.github.io", "https://me.github.io/",
               ["a=1; Domain=me.github.io"], ["https://me.github.io/", "https://x.me.github.io/"])
set_then_probe(D + "ip-host", "an IP host, no Domain", "http://127.0.0.1/", ["a=1"],
               ["http://127.0.0.1/", "http://localhost/"])
set_then_probe(D + "ip-domain-self", "an IP host names itself", "http://127.0.0.1/",
               ["a=1; Domain=127.0.0.1"], ["http://127.0.0.1/"])
set_then_probe(D + "ip-domain-part", "an IP host names part of itself", "http://127.0.0.1/",
               ["a=1; Domain=0.0.1"], ["http://127.0.0.1/"])
set_then_probe(D + "localhost", "localhost host-only", "http://localhost/", ["a=1"],
               ["http://localhost/", "http://app.localhost/"])
set_then_probe(D + "localhost-domain", "app.localhost sets Domain=localhost", "http://app.localhost/",
               ["a=1; Domain=localhost"], ["http://localhost/", "http://app.localhost/"])
set_then_probe(D + "idn", "Domain as a U-label", "https://www.xn--bcher-kva.example.com/",
               ["a=1; Domain=bücher.example.com"],
               ["https://www.xn--bcher-kva.example.com/", "https://xn--bcher-kva.example.com/"])
set_then_probe(D + "unlisted-tld", "Domain of a TLD the list does not name", "https://app.corp/",
               ["a=1; Domain=corp", "b=2"], ["https://app.corp/", "https://corp/", "https://x.corp/"])

# ------------------------------------------------------------ paths
A = "path/"
PATHS = [H + "/", H + "/a", H + "/a/", H + "/a/b", H + "/ab", H + "/A/b", H + "/a/b/c/d"]
set_then_probe(A + "default-root", "default path from /", H + "/", ["a=1"], PATHS)
set_then_probe(A + "default-one", "default path from /a (a file at the root)", H + "/a", ["a=1"], PATHS)
set_then_probe(A + "default-dir", "default path from /a/b", H + "/a/b", ["a=1"], PATHS)
set_then_probe(A + "default-trailing", "default path from /a/", H + "/a/", ["a=1"], PATHS)
set_then_probe(A + "default-deep", "default path from /a/b/c/d", H + "/a/b/c/d", ["a=1"], PATHS)
set_then_probe(A + "explicit", "Path=/a", H + "/", ["a=1; Path=/a"], PATHS)
set_then_probe(A + "explicit-slash", "Path=/a/", H + "/", ["a=1; Path=/a/"], PATHS)
set_then_probe(A + "root", "Path=/ from /a/b", H + "/a/b", ["a=1; Path=/"], PATHS)
set_then_probe(A + "relative", "Path=a (relative: the default path)", H + "/a/b", ["a=1; Path=a"], PATHS)
set_then_probe(A + "empty", "Path= (empty: the default path)", H + "/a/b", ["a=1; Path="], PATHS)
set_then_probe(A + "case", "Path=/A is case-sensitive", H + "/", ["a=1; Path=/A"], PATHS)
set_then_probe(A + "deeper-than-request", "Path=/a/b/c set from /", H + "/", ["a=1; Path=/a/b/c"], PATHS)
set_then_probe(A + "last-wins", "two Path attributes", H + "/", ["a=1; Path=/x; Path=/a"], PATHS)
set_then_probe(A + "query", "a default path ignores the query", H + "/a/b?x=/y/z", ["a=1"], PATHS)
set_then_probe(A + "encoded", "Path=/a%2Fb is not decoded", H + "/", ["a=1; Path=/a%2Fb"],
               PATHS + [H + "/a%2Fb", H + "/a%2Fb/c"])
set_then_probe(A + "spaces", "Path with spaces around", H + "/", ["a=1; Path =  /a  "], PATHS)
set_then_probe(A + "two-paths-order", "longer paths first", H + "/",
               ["r=1; Path=/", "ab=1; Path=/a/b", "a=1; Path=/a"], PATHS)
set_then_probe(A + "same-name-paths", "one name, two paths: two cookies", H + "/",
               ["a=root; Path=/", "a=deep; Path=/a"], PATHS)
set_then_probe(A + "trailing-slash-request", "Path=/a/b/ and a request for /a/b", H + "/",
               ["a=1; Path=/a/b/"], PATHS + [H + "/a/b/"])
set_then_probe(A + "dot-segments", "Path=/a/../b is kept as written", H + "/", ["a=1; Path=/a/../b"],
               PATHS + [H + "/b", H + "/a/../b"])
set_then_probe(A + "long-attribute", "a Path over 1024 bytes is ignored", H + "/a/b",
               ["a=1; Path=/" + "p" * 1100], PATHS)
set_then_probe(A + "semicolon-encoded", "Path=/a;b cannot exist: ends at ;", H + "/",
               ["a=1; Path=/a;b"], PATHS)

# ------------------------------------------------------------ dates
T = "date/"
DATE_PROBES = [H + "/"]


def date_case(name, about, expires):
    set_then_probe(T + name, about, H + "/", ["a=1; Expires=" + expires], DATE_PROBES)


date_case("imf-future", "IMF-fixdate in a year", "{date:+31536000}")
date_case("imf-past", "IMF-fixdate in the past", "Thu, 01 Jan 2015 00:00:00 GMT")
date_case("rfc850", "RFC 850 date", "Thursday, 01-Jan-37 00:00:00 GMT")
date_case("asctime", "asctime date", "Thu Jan  1 00:00:00 2037")
date_case("two-digit-70", "two-digit year 70 is 1970", "Thu, 01 Jan 70 00:00:00 GMT")
date_case("two-digit-69", "two-digit year 69 is 2069", "Tue, 01 Jan 69 00:00:00 GMT")
date_case("year-1600", "year 1600", "Sat, 01 Jan 1600 00:00:00 GMT")
date_case("year-1601", "year 1601", "Mon, 01 Jan 1601 00:00:00 GMT")
date_case("year-9999", "year 9999", "Fri, 31 Dec 9999 23:59:59 GMT")
date_case("year-999", "year 999", "Thu, 01 Jan 999 00:00:00 GMT")
date_case("year-0100", "year 0100", "Thu, 01 Jan 0100 00:00:00 GMT")
scenario(T + "year-1600-deletes", "an Expires in 1600 deletes a stored cookie",
         step(H + "/", "a=1"), step(H + "/", "a=1; Expires=Sat, 01 Jan 1600 00:00:00 GMT"), step(H + "/"))
date_case("year-10000", "year 10000", "Sat, 01 Jan 10000 00:00:00 GMT")
date_case("year-99999", "year 99999", "Sat, 01 Jan 99999 00:00:00 GMT")
date_case("no-time", "a date without a time", "Thu, 01 Jan 2037")
date_case("day-32", "day 32", "Thu, 32 Jan 2037 00:00:00 GMT")
date_case("feb-30", "February 30", "Thu, 30 Feb 2037 00:00:00 GMT")
date_case("hour-24", "hour 24", "Thu, 01 Jan 2037 24:00:00 GMT")
date_case("lowercase", "lower-case month, no day name", "01 jan 2037 00:00:00 gmt")
date_case("other-zone", "a zone other than GMT", "Thu, 01 Jan 2037 00:00:00 PST")
date_case("garbage", "not a date: session cookie", "tomorrow")
date_case("zero", "Expires=0", "0")
date_case("far-future", "2100: capped at 400 days", "Fri, 01 Jan 2100 00:00:00 GMT")
date_case("dashes", "dashes as delimiters", "01-Jan-2037 00:00:00 GMT")
date_case("no-seconds", "time without seconds", "Thu, 01 Jan 2037 00:00 GMT")
date_case("one-digit-time", "one-digit hour", "Thu, 01 Jan 2037 1:02:03 GMT")
date_case("year-first", "year before the month", "2037 Jan 01 00:00:00")
scenario(T + "past-deletes", "a past Expires deletes",
         step(H + "/", "a=1; Expires={date:+3600}"), step(H + "/"),
         step(H + "/", "a=1; Expires=Thu, 01 Jan 2015 00:00:00 GMT"), step(H + "/"))
scenario(T + "two-expires", "two Expires, the last counts",
         step(H + "/", "a=1; Expires={date:+3600}; Expires=Thu, 01 Jan 2015 00:00:00 GMT",
              "b=1; Expires=Thu, 01 Jan 2015 00:00:00 GMT; Expires={date:+3600}"),
         step(H + "/"))
scenario(T + "bad-then-good", "an unparsable Expires after a good one is ignored",
         step(H + "/", "a=1; Expires={date:+3600}; Expires=nonsense"), step(H + "/"))

# ------------------------------------------------------------ Max-Age
M = "max-age/"


def max_age_case(name, about, value, extra=""):
    scenario(M + name, about, step(H + "/", f"a=1; Max-Age={value}{extra}"), step(H + "/"))


max_age_case("positive", "Max-Age=3600", "3600")
max_age_case("zero", "Max-Age=0", "0")
max_age_case("negative", "Max-Age=-1", "-1")
max_age_case("plus", "Max-Age=+3600", "+3600")
max_age_case("letters", "Max-Age=abc is ignored", "abc")
max_age_case("empty", "Max-Age= is ignored", "")
max_age_case("fraction", "Max-Age=1.5 is ignored", "1.5")
max_age_case("leading-zeros", "Max-Age=0060", "0060")
max_age_case("huge", "Max-Age over 400 days", "99999999999")
max_age_case("overflow", "Max-Age past i64", "99999999999999999999999")
max_age_case("minus-zero", "Max-Age=-0", "-0")
max_age_case("spaces", "Max-Age with spaces", " 60 ")
max_age_case("trailing-letters", "Max-Age=60s", "60s")
max_age_case("plus-zero", "Max-Age=+0", "+0")
scenario(M + "wins-over-expires", "Max-Age wins over a later Expires",
         step(H + "/", "a=1; Max-Age=0; Expires={date:+3600}", "b=1; Expires={date:+3600}; Max-Age=0",
              "c=1; Expires=Thu, 01 Jan 2015 00:00:00 GMT; Max-Age=3600"),
         step(H + "/"))
scenario(M + "deletes", "Max-Age=0 deletes a stored cookie",
         step(H + "/", "a=1", "b=2"), step(H + "/", "a=; Max-Age=0"), step(H + "/"))
scenario(M + "expires-later", "a short Max-Age runs out",
         step(H + "/", "a=1; Max-Age=1", "b=1"), step(H + "/"),
         {"url": H + "/", "set": [], "wait": 2.2})
scenario(M + "good-then-bad", "a good Max-Age, then an unparsable one",
         step(H + "/", "a=1; Max-Age=3600; Max-Age=abc", "b=1; Expires={date:+7200}; Max-Age=3600; Max-Age=x"),
         step(H + "/"))
scenario(M + "plus-then-bad", "Max-Age=+60 then Max-Age=+",
         step(H + "/", "a=1; Max-Age=+60; Max-Age=+"), step(H + "/"))
max_age_case("plus-minus", "Max-Age=+-5", "+-5")
max_age_case("double-plus", "Max-Age=++5", "++5")
scenario(M + "two", "two Max-Age, the last counts",
         step(H + "/", "a=1; Max-Age=0; Max-Age=3600", "b=1; Max-Age=3600; Max-Age=0"), step(H + "/"))

# ------------------------------------------------------------ overwrite and deletion
O = "overwrite/"
scenario(O + "same-value", "overwrite with the same value keeps its place",
         step(H + "/", "a=1", "b=2"), step(H + "/", "a=1"), step(H + "/"))
scenario(O + "new-value", "overwrite with a new value",
         step(H + "/", "a=1", "b=2"), step(H + "/", "a=9"), step(H + "/"))
scenario(O + "new-value-three", "overwrite the middle of three",
         step(H + "/", "a=1", "b=2", "c=3"), step(H + "/", "b=9"), step(H + "/"))
scenario(O + "new-value-other-group", "an overwrite moves only within its path length",
         step(H + "/", "a=1", "b=2; Path=/a", "c=3"), step(H + "/", "a=9"), step(H + "/a/x"))
scenario(O + "new-value-twice", "two overwrites with new values",
         step(H + "/", "a=1", "b=2", "c=3"), step(H + "/", "a=9", "b=8"), step(H + "/"))
scenario(O + "new-value-domain", "a domain cookie overwritten with a new value",
         step(H + "/", "a=1; Domain=example.com", "b=2"), step(H + "/", "a=2; Domain=example.com"),
         step(H + "/"))
scenario(O + "new-value-expired-other", "an overwrite beside a deletion",
         step(H + "/", "a=1", "b=2", "c=3"), step(H + "/", "c=; Max-Age=0", "a=5"), step(H + "/"))
scenario(O + "attributes-only", "overwrite with the same value and new attributes",
         step(H + "/", "a=1", "b=2"), step(H + "/", "a=1; HttpOnly; Max-Age=3600"), step(H + "/"))
scenario(O + "host-vs-domain", "host-only and domain cookie of one name",
         step(H + "/", "a=host", "a=domain; Domain=www.example.com"), step(H + "/"),
         step("https://sub.www.example.com/"))
scenario(O + "domain-replaces-domain", "Domain=example.com and .example.com are one",
         step(H + "/", "a=1; Domain=example.com"), step(H + "/", "a=2; Domain=.example.com"), step(H + "/"))
scenario(O + "delete-needs-path", "deleting with another path deletes nothing",
         step(H + "/", "a=1; Path=/a"), step(H + "/", "a=; Max-Age=0"), step(H + "/a"),
         step(H + "/", "a=; Max-Age=0; Path=/a"), step(H + "/a"))
scenario(O + "delete-needs-domain", "deleting a domain cookie needs its Domain",
         step(H + "/", "a=1; Domain=example.com"), step(H + "/", "a=; Max-Age=0"), step(H + "/"),
         step(H + "/", "a=; Max-Age=0; Domain=example.com"), step(H + "/"))
scenario(O + "delete-from-sibling", "a sibling deletes a domain cookie",
         step(H + "/", "a=1; Domain=example.com"),
         step("https://api.example.com/", "a=; Domain=example.com; Expires=Thu, 01 Jan 2015 00:00:00 GMT"),
         step(H + "/"))
scenario(O + "delete-missing", "deleting a cookie that is not there",
         step(H + "/", "a=; Max-Age=0"), step(H + "/"))
scenario(O + "delete-http-only", "an HTTP response deletes an HttpOnly cookie",
         step(H + "/", "a=1; HttpOnly"), step(H + "/", "a=; Max-Age=0"), step(H + "/"))
scenario(O + "http-only-replaced", "an HttpOnly cookie replaced by a plain one",
         step(H + "/", "a=1; HttpOnly"), step(H + "/", "a=2"), step(H + "/"))
scenario(O + "set-delete-set", "set, delete and set again in one response",
         step(H + "/", "a=1", "a=; Max-Age=0", "a=3"), step(H + "/"))
scenario(O + "many-in-one", "one name set three times in one response",
         step(H + "/", "a=1", "a=2", "a=3"), step(H + "/"))
scenario(O + "empty-value", "overwrite with an empty value",
         step(H + "/", "a=1"), step(H + "/", "a="), step(H + "/"))
scenario(O + "secure-from-http", "http may not overwrite a Secure cookie",
         step(H + "/", "a=1; Secure"), step(P + "/", "a=2"), step(H + "/"), step(P + "/"))
scenario(O + "secure-shadow-path", "http may not shadow a Secure cookie on a longer path",
         step(H + "/", "a=1; Secure; Path=/"), step(P + "/x/", "a=2; Path=/x"), step(H + "/x/y"),
         step(P + "/x/y"))
scenario(O + "secure-shadow-domain", "http may not shadow a Secure host cookie with a domain one",
         step(H + "/", "a=1; Secure"), step(P + "/", "a=2; Domain=example.com"), step(H + "/"),
         step("http://api.example.com/"))
scenario(O + "secure-other-name", "http sets another name beside a Secure cookie",
         step(H + "/", "a=1; Secure"), step(P + "/", "b=2"), step(H + "/"), step(P + "/"))
scenario(O + "secure-upgrade", "https replaces a plain cookie with a Secure one",
         step(P + "/", "a=1"), step(H + "/", "a=2; Secure"), step(H + "/"), step(P + "/"))
scenario(O + "secure-delete-from-http", "http may not delete a Secure cookie",
         step(H + "/", "a=1; Secure"), step(P + "/", "a=; Max-Age=0"), step(H + "/"))

# ------------------------------------------------------------ Secure
S = "secure/"
scenario(S + "from-https", "Secure from https: https only",
         step(H + "/", "a=1; Secure"), step(H + "/"), step(P + "/"))
scenario(S + "from-http", "Secure from http is refused",
         step(P + "/", "a=1; Secure"), step(H + "/"), step(P + "/"))
scenario(S + "from-localhost", "Secure from http://localhost",
         step("http://localhost/", "a=1; Secure"), step("http://localhost/"))
scenario(S + "from-loopback-ip", "Secure from http://127.0.0.1",
         step("http://127.0.0.1/", "a=1; Secure"), step("http://127.0.0.1/"))
scenario(S + "from-sub-localhost", "Secure from http://app.localhost",
         step("http://app.localhost/", "a=1; Secure"), step("http://app.localhost/"))
scenario(S + "upper-case", "SECURE in capitals",
         step(H + "/", "a=1; SECURE"), step(P + "/"), step(H + "/"))
scenario(S + "with-value", "Secure=no is still Secure",
         step(H + "/", "a=1; Secure=no"), step(P + "/"), step(H + "/"))
scenario(S + "plain-over-http", "a plain cookie from https goes to http",
         step(H + "/", "a=1"), step(P + "/"))
scenario(S + "http-only-flag", "HttpOnly does not restrict the HTTP request",
         step(H + "/", "a=1; HttpOnly", "b=2; httponly=false"), step(H + "/"), step(P + "/"))

# ------------------------------------------------------------ prefixes
X = "prefix/"
PFX = [H + "/", P + "/", "https://api.example.com/", H + "/a/"]


def prefix_case(name, about, from_url, line):
    set_then_probe(X + name, about, from_url, [line], PFX)


prefix_case("secure-ok", "__Secure- with Secure", H + "/", "__Secure-a=1; Secure")
prefix_case("secure-missing", "__Secure- without Secure", H + "/", "__Secure-a=1")
prefix_case("secure-http", "__Secure- from http", P + "/", "__Secure-a=1; Secure")
prefix_case("secure-lower", "__secure- in lower case without Secure", H + "/", "__secure-a=1")
prefix_case("secure-lower-ok", "__secure- in lower case with Secure", H + "/", "__secure-a=1; Secure")
prefix_case("secure-domain", "__Secure- with Domain", H + "/", "__Secure-a=1; Secure; Domain=example.com")
prefix_case("host-ok", "__Host- complete", H + "/", "__Host-a=1; Secure; Path=/")
prefix_case("host-no-path", "__Host- without Path", H + "/", "__Host-a=1; Secure")
prefix_case("host-no-path-root", "__Host- without Path from /", H + "/a", "__Host-a=1; Secure")
prefix_case("host-path-a", "__Host- with Path=/a", H + "/", "__Host-a=1; Secure; Path=/a")
prefix_case("host-domain", "__Host- with Domain", H + "/", "__Host-a=1; Secure; Path=/; Domain=example.com")
prefix_case("host-domain-self", "__Host- with Domain=its host", H + "/",
            "__Host-a=1; Secure; Path=/; Domain=www.example.com")
prefix_case("host-no-secure", "__Host- without Secure", H + "/", "__Host-a=1; Path=/")
prefix_case("host-upper", "__HOST- without Secure", H + "/", "__HOST-a=1; Path=/")
prefix_case("host-upper-ok", "__HOST- complete", H + "/", "__HOST-a=1; Secure; Path=/")
prefix_case("nameless-host", "a nameless cookie whose value looks like __Host-", H + "/",
            "__Host-a; Secure; Path=/")
prefix_case("nameless-secure", "a nameless cookie whose value looks like __Secure-", H + "/",
            "__Secure-a; Secure")
prefix_case("http-ok", "__Http- with Secure and HttpOnly", H + "/", "__Http-a=1; Secure; HttpOnly")
prefix_case("http-no-httponly", "__Http- without HttpOnly", H + "/", "__Http-a=1; Secure")
prefix_case("http-no-secure", "__Http- without Secure", H + "/", "__Http-a=1; HttpOnly")
prefix_case("http-lower", "__http- in lower case", H + "/", "__http-a=1; Secure")
prefix_case("http-domain", "__Http- with Domain", H + "/", "__Http-a=1; Secure; HttpOnly; Domain=example.com")
prefix_case("host-http-ok", "__Host-Http- complete", H + "/", "__Host-Http-a=1; Secure; HttpOnly; Path=/")
prefix_case("host-http-no-httponly", "__Host-Http- without HttpOnly", H + "/",
            "__Host-Http-a=1; Secure; Path=/")
prefix_case("host-http-domain", "__Host-Http- with Domain", H + "/",
            "__Host-Http-a=1; Secure; HttpOnly; Path=/; Domain=example.com")
prefix_case("host-http-upper", "__HOST-HTTP- without HttpOnly", H + "/", "__HOST-HTTP-a=1; Secure; Path=/")
prefix_case("not-a-prefix", "__Secure without the dash", H + "/", "__Securea=1")

# ------------------------------------------------------------ syntax
Y = "syntax/"
SYN = [H + "/"]


def syntax_case(name, about, *lines, group=Y):
    set_then_probe(group + name, about, H + "/", list(lines), SYN)


syntax_case("spaces", "spaces around name and value", "  a  =  1  ")
syntax_case("tab-value", "a TAB inside the value", "a=x\ty")
syntax_case("tab-name", "a TAB inside the name", "a\tb=1")
syntax_case("tab-around", "TABs around the value", "a=\t1\t")
syntax_case("tab-attribute", "a TAB inside an attribute value", "a=1; Path=/x\ty")
syntax_case("tab-attribute-name", "a TAB inside an unknown attribute", "a=1; Fo\to=bar")
syntax_case("tab-attribute-end", "a TAB at the end of an attribute value", "a=1; Path=/x\t")
syntax_case("tab-unknown-value", "a TAB inside an unknown attribute's value", "a=1; Foo=b\tr")
syntax_case("tab-expires", "a TAB inside an Expires date", "a=1; Expires=Thu, 01\tJan 2037 00:00:00 GMT")
syntax_case("tab-before-attribute", "a TAB before an attribute", "a=1;\tHttpOnly")
syntax_case("ctl", "a control character", "a=x\x01y")
syntax_case("del", "DEL in the value", "a=x\x7fy")
syntax_case("nameless", "a nameless cookie", "token")
syntax_case("nameless-equals", "=value", "=token")
syntax_case("empty-both", "= alone", "=")
syntax_case("empty-value", "a= (empty value)", "a=")
syntax_case("quoted", "a quoted value", 'a="x y"')
syntax_case("equals-in-value", "= in the value", "a=b=c")
syntax_case("utf8", "UTF-8 in the value", "a=héllo")
syntax_case("utf8-name", "UTF-8 in the name", "né=1")
syntax_case("semicolons", "empty attributes", "a=1;;; ;HttpOnly")
syntax_case("unknown-attr", "unknown attributes are ignored", "a=1; Foo=bar; Baz")
syntax_case("comma", "a comma in the value", "a=1,2")
syntax_case("two-cookies-comma", "a, b in one line is one cookie", "a=1, b=2")
syntax_case("space-in-name", "a space inside the name", "a b=1")
syntax_case("dollar-name", "$Version as a name", "$Version=1")
syntax_case("dollar-other", "a name starting with $", "$x=1")
syntax_case("samesite-bogus", "SameSite=bogus", "a=1; SameSite=bogus")
syntax_case("samesite-none-insecure", "SameSite=None without Secure", "a=1; SameSite=None")
syntax_case("samesite-none-secure", "SameSite=None with Secure", "a=1; SameSite=None; Secure")
syntax_case("samesite-strict", "SameSite=Strict on a top-level request", "a=1; SameSite=Strict")
syntax_case("samesite-lax", "SameSite=Lax on a top-level request", "a=1; SameSite=Lax")
syntax_case("priority", "Priority=High", "a=1; Priority=High")

# ------------------------------------------------------------ size
Z = "size/"
syntax_case("name-value-4096", "name and value of 4096 bytes", "n=" + "v" * 4095, group=Z)
syntax_case("name-value-4097", "name and value of 4097 bytes", "n=" + "v" * 4096, group=Z)
syntax_case("name-4096", "a name of 4096 bytes", "n" * 4095 + "=v", group=Z)
syntax_case("value-only-4096", "a nameless value of 4096 bytes", "v" * 4096, group=Z)
syntax_case("attribute-1024", "a Domain of 1024 bytes is read", "a=1; Domain=" + "x" * 1024, group=Z)
syntax_case("unknown-long", "an unknown attribute over 1024 bytes", "a=1; X=" + "y" * 2000, group=Z)
SIZES = [(f"{Z}many-small", "50 small cookies", [f"c{i}=v" for i in range(50)])]
for name, about, lines in SIZES:
    set_then_probe(name, about, H + "/", lines, SYN)
set_then_probe(Z + "header-big", "ten cookies of 4 KB: the Cookie header Chromium builds", H + "/",
               [f"c{i}=" + "v" * 4000 for i in range(10)], SYN)

# ------------------------------------------------------------ order
R = "order/"
scenario(R + "creation", "one path length: creation order",
         step(H + "/", "b=1", "a=1", "c=1"), step(H + "/"))
scenario(R + "creation-steps", "creation order over two responses",
         step(H + "/", "z=1"), step(H + "/", "a=1"), step(H + "/"))
scenario(R + "path-length", "longer paths first, whatever the creation order",
         step(H + "/", "a=1; Path=/", "b=1; Path=/x/y", "c=1; Path=/x"), step(H + "/x/y/z"))
scenario(R + "domain-and-host", "domain and host-only cookies interleave by creation",
         step(H + "/", "d1=1; Domain=example.com", "h1=1", "d2=1; Domain=example.com", "h2=1"),
         step(H + "/"))
scenario(R + "path-slash", "Path=/x/ sorts before Path=/x",
         step(H + "/", "a=1; Path=/x", "b=1; Path=/x/"), step(H + "/x/y"))

# ------------------------------------------------------------ limits
L = "limits/"
scenario(L + "domain-180", "180 cookies on one site: all kept",
         step(H + "/", *[f"c{i:03d}=v" for i in range(180)]), step(H + "/"))
scenario(L + "domain-181", "181 cookies on one site: the garbage collection",
         step(H + "/", *[f"c{i:03d}=v" for i in range(181)]), step(H + "/"))
scenario(L + "domain-181-secure", "181 cookies, the oldest ones Secure: Secure kept first",
         step(H + "/", *[f"s{i:03d}=v; Secure" for i in range(20)],
              *[f"c{i:03d}=v" for i in range(161)]), step(H + "/"))
scenario(L + "domain-181-priority", "181 cookies, the oldest with Priority=High",
         step(H + "/", *[f"h{i:03d}=v; Priority=High" for i in range(20)],
              *[f"c{i:03d}=v" for i in range(161)]), step(H + "/"))
scenario(L + "domain-181-low", "181 cookies, the newest with Priority=Low",
         step(H + "/", *[f"c{i:03d}=v" for i in range(141)],
              *[f"l{i:03d}=v; Priority=Low" for i in range(40)]), step(H + "/"))
scenario(L + "domain-over-two-hosts", "181 cookies over two hosts of one site",
         step(H + "/", *[f"w{i:03d}=v; Domain=example.com" for i in range(100)]),
         step("https://api.example.com/", *[f"a{i:03d}=v; Domain=example.com" for i in range(81)]),
         step(H + "/"))
scenario(L + "domain-181-expired", "181 cookies, the new ones deleting: no collection",
         step(H + "/", *[f"c{i:03d}=v" for i in range(180)]),
         step(H + "/", "c000=; Max-Age=0", "x=1"), step(H + "/"))
scenario(L + "domain-200-accessed", "180 cookies, 20 more after the first ones were sent",
         step(H + "/", *[f"c{i:03d}=v" for i in range(180)]), step(H + "/"),
         step(H + "/", *[f"n{i:03d}=v" for i in range(20)]), step(H + "/"))

# ------------------------------------------------------------ context: frames and partitions
C = "context/"
NEWS = "https://news.example.org/"
WIDGET = "https://widget.example.net/"
scenario(C + "partitioned-top-level", "a Partitioned cookie at the top level",
         step(H + "/", "p=1; Secure; Partitioned"), step(H + "/"), step("https://api.example.com/"))
scenario(C + "partitioned-insecure", "Partitioned without Secure",
         step(H + "/", "p=1; Partitioned"), step(H + "/"))
scenario(C + "partitioned-http", "Partitioned from http",
         step(P + "/", "p=1; Partitioned; Secure"), step(H + "/"))
scenario(C + "partitioned-frame", "a frame's Partitioned cookie stays under its top-level site",
         step(NEWS, frame=WIDGET, frame_set=["p=1; Secure; SameSite=None; Partitioned"]),
         step(NEWS, frame=WIDGET), step("https://shop.example.com/", frame=WIDGET), step(WIDGET))
scenario(C + "partitioned-two-sites", "one name partitioned under two top-level sites",
         step(NEWS, frame=WIDGET, frame_set=["p=news; Secure; SameSite=None; Partitioned"]),
         step("https://shop.example.com/", frame=WIDGET,
              frame_set=["p=shop; Secure; SameSite=None; Partitioned"]),
         step(NEWS, frame=WIDGET), step("https://shop.example.com/", frame=WIDGET))
scenario(C + "partitioned-and-not", "a partitioned and an unpartitioned cookie of one name",
         step(WIDGET, "p=top; Secure; SameSite=None"),
         step(NEWS, frame=WIDGET, frame_set=["p=framed; Secure; SameSite=None; Partitioned"]),
         step(NEWS, frame=WIDGET), step(WIDGET))
scenario(C + "partitioned-same-site-frame", "a frame of the same site",
         step(H + "/", frame="https://api.example.com/",
              frame_set=["p=1; Secure; SameSite=None; Partitioned"]),
         step(H + "/", frame="https://api.example.com/"), step("https://api.example.com/"))
scenario(C + "frame-samesite-none", "a cross-site frame: SameSite=None cookies",
         step(WIDGET, "n=1; Secure; SameSite=None", "l=1; SameSite=Lax", "s=1; SameSite=Strict"),
         step(NEWS, frame=WIDGET))
scenario(C + "frame-sets-lax", "a cross-site frame sets SameSite=Lax",
         step(NEWS, frame=WIDGET, frame_set=["l=1; SameSite=Lax; Secure", "n=1; SameSite=None; Secure"]),
         step(WIDGET))
scenario(C + "partitioned-host-prefix", "__Host- and Partitioned",
         step(NEWS, frame=WIDGET, frame_set=["__Host-p=1; Secure; Path=/; SameSite=None; Partitioned"]),
         step(NEWS, frame=WIDGET))

# ------------------------------------------------------------ HAR sessions (also written as .har)
scenario("har/login", "a login: redirects by hand, a session, a domain cookie, a logout",
         step("https://www.shop.example.com/", "visit=1; Path=/; Max-Age=86400", "ab=B; Domain=shop.example.com"),
         step("https://www.shop.example.com/login", "sid=s3cr3t; Path=/; Secure; HttpOnly",
              "__Host-csrf=t0k; Secure; Path=/"),
         step("https://api.shop.example.com/v1/me", "api=1; Path=/v1"),
         step("https://www.shop.example.com/account/", "tab=orders; Path=/account"),
         step("http://www.shop.example.com/", "plain=1"),
         step("https://www.shop.example.com/logout", "sid=; Path=/; Max-Age=0; Secure",
              "visit=2; Path=/; Max-Age=86400"),
         step("https://www.shop.example.com/account/"))
scenario("har/rules", "cookies Chromium refuses or sends differently from the RFC reading",
         step("https://www.shop.example.com/", "t=a\tb", "d=1; Domain=.", "m=1; Max-Age=+60",
              "y=1; Expires=Sat, 01 Jan 10000 00:00:00 GMT", "a=1", "b=2"),
         step("https://www.shop.example.com/", "a=9"),
         step("https://www.shop.example.com/"))
