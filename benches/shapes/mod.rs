//! The workload shapes of issue 15, generated from a fixed seed so that
//! every run, every bench and every peer sees the same bytes: `Set-Cookie`
//! corpora of four shapes, `Cookie` headers of 1 to 40 pairs, and a crawl
//! over many registrable domains whose responses include cookies a jar
//! must refuse (a public suffix or a foreign site as `Domain`).
//!
//! Shared by benches/parse.rs, benches/jar.rs and benches/instructions.rs
//! (`mod shapes;`); not a bench of its own.
#![allow(dead_code, unreachable_pub)] // each bench uses part of it

use url::Url;

pub mod jars;

/// Headers per corpus.
pub const CORPUS: usize = 1000;

/// A xorshift64* generator: small, fixed, the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }

    /// `len` characters of `alphabet`.
    pub fn token(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const NAMES: &[&str] = &[
    "sid",
    "_ga",
    "_gid",
    "csrftoken",
    "lang",
    "theme",
    "consent",
    "AWSALB",
    "cart",
    "prefs",
    "JSESSIONID",
    "__cf_bm",
    "_fbp",
    "session-id",
    "ubid-main",
    "tz",
];
const DATES: &[&str] = &[
    "Wed, 21 Oct 2037 07:28:00 GMT",
    "Thu, 01 Jan 2037 00:00:00 GMT",
    "Sunday, 06-Nov-33 08:49:37 GMT",
    "Sat, 13-Mar-2038 12:00:00 GMT",
    "Mon Dec  7 10:11:12 2037",
];

fn name(rng: &mut Rng) -> String {
    let n = *rng.pick(NAMES);
    match rng.range(0, 3) {
        0 => format!("{n}{}", rng.range(0, 99)),
        _ => n.to_owned(),
    }
}

/// `name=value`, 17 bytes on average: what most trackers and many
/// sessions send.
pub fn bare(rng: &mut Rng) -> String {
    let name = name(rng);
    let len = rng.range(6, 16);
    format!("{name}={}", rng.token(ALNUM, len))
}

/// Every common attribute, about 140 bytes.
pub fn full(rng: &mut Rng) -> String {
    let name = name(rng);
    let len = rng.range(16, 32);
    let value = rng.token(ALNUM, len);
    let date = *rng.pick(DATES);
    let domain = format!(
        "site{}.{}",
        rng.range(0, 999),
        rng.pick(&["com", "co.uk", "de"])
    );
    let path = *rng.pick(&["/", "/app", "/account/settings", "/api/v2"]);
    let same_site = *rng.pick(&["Lax", "Strict", "None"]);
    format!(
        "{name}={value}; Expires={date}; Max-Age={}; Domain={domain}; Path={path}; Secure; HttpOnly; SameSite={same_site}",
        rng.range(60, 31_536_000)
    )
}

/// A JWT or a session blob of 600 to 1,300 bytes, with the few attributes
/// such cookies carry: about 930 bytes.
pub fn large(rng: &mut Rng) -> String {
    let name = name(rng);
    let value = match rng.range(0, 1) {
        0 => {
            let (a, b, c) = (rng.range(30, 40), rng.range(500, 1100), rng.range(40, 90));
            format!(
                "eyJ{}.{}.{}",
                rng.token(BASE64URL, a),
                rng.token(BASE64URL, b),
                rng.token(BASE64URL, c)
            )
        }
        _ => {
            let len = rng.range(600, 1300);
            rng.token(ALNUM, len)
        }
    };
    format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

/// The real-world headers of `testdata/headers/set-cookie.txt`.
pub fn real_world() -> Vec<&'static str> {
    include_str!("../../testdata/headers/set-cookie.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The mixed corpus: the real-world headers (40%), bare pairs (20%), full
/// attributes (30%) and large tokens (10%), about 180 bytes on average.
pub fn mixed(rng: &mut Rng) -> String {
    let real = real_world();
    match rng.range(0, 9) {
        0..=3 => (*rng.pick(&real)).to_owned(),
        4 | 5 => bare(rng),
        6..=8 => full(rng),
        _ => large(rng),
    }
}

/// The `Set-Cookie` shapes, by bench id.
pub const SET_COOKIE_SHAPES: [&str; 4] = ["mixed", "bare", "full", "large"];

/// `CORPUS` headers of one shape (seeded by the shape's position).
pub fn set_cookie_corpus(shape: &str) -> Vec<String> {
    let (seed, make): (u64, fn(&mut Rng) -> String) = match shape {
        "mixed" => (1, mixed),
        "bare" => (2, bare),
        "full" => (3, full),
        "large" => (4, large),
        _ => panic!("unknown shape {shape}"),
    };
    let mut rng = Rng::new(seed);
    (0..CORPUS).map(|_| make(&mut rng)).collect()
}

/// `CORPUS` `Cookie` request headers of 1 to 40 pairs (about 1,060 bytes
/// on average).
pub fn cookie_headers() -> Vec<String> {
    let mut rng = Rng::new(5);
    (0..CORPUS)
        .map(|_| {
            let pairs = rng.range(1, 40);
            (0..pairs)
                .map(|_| {
                    let name = name(&mut rng);
                    let len = rng.range(8, 80);
                    format!("{name}={}", rng.token(BASE64URL, len))
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .collect()
}

/// Cookies the crawl sets on each registrable domain, and that lookups find.
pub const PER_DOMAIN: usize = 10;

/// The registrable domain of site `i`: under `com`, `co.uk`, `de` and the
/// private suffix `github.io`.
pub fn site(i: usize) -> String {
    let suffix = ["com", "co.uk", "de", "github.io"][i % 4];
    format!("site{i}.{suffix}")
}

fn public_suffix_of(i: usize) -> &'static str {
    ["com", "co.uk", "de", "github.io"][i % 4]
}

/// One response of a crawl: the URL, a `Set-Cookie`, and whether a jar
/// must store it.
pub struct Response {
    pub url: Url,
    pub set_cookie: String,
    pub accepted: bool,
}

/// Cookie `j` of site `i` (value round `round`), as the crawl receives it:
/// from `www.`, `api.` or the bare domain; a third host-only, the rest
/// `Domain=<site>`; paths `/` and `/app`; some `Secure`, `HttpOnly`,
/// `Max-Age`, `Expires`, `SameSite`.
pub fn crawl_cookie(i: usize, j: usize, round: usize) -> Response {
    let domain = site(i);
    let mut rng = Rng::new((i as u64) << 24 ^ (j as u64) << 8 ^ round as u64);
    let host = ["www.", "www.", "api.", ""][j % 4];
    let url = Url::parse(&format!("https://{host}{domain}/app/page{j}")).unwrap();
    let len = rng.range(16, 40);
    let mut h = format!("{}={}", NAMES[j % NAMES.len()], rng.token(ALNUM, len));
    h.push_str(if j == 7 || j == 8 {
        "; Path=/app"
    } else {
        "; Path=/"
    });
    if !j.is_multiple_of(3) {
        h.push_str("; Domain=");
        h.push_str(&domain);
    }
    if j % 4 == 1 {
        h.push_str("; Secure");
    }
    if j.is_multiple_of(2) {
        h.push_str("; HttpOnly");
    }
    match j % 5 {
        2 => h.push_str("; Max-Age=31536000"),
        3 => {
            h.push_str("; Expires=");
            h.push_str(DATES[j % 2]);
        }
        _ => {}
    }
    if j == 4 {
        h.push_str("; SameSite=Lax");
    }
    Response {
        url,
        set_cookie: h,
        accepted: true,
    }
}

/// A cookie site `i` sends that a jar must refuse: `Domain=` its public
/// suffix (k even) or another site (k odd).
pub fn refused_cookie(i: usize, k: usize, sites: usize) -> Response {
    let domain = site(i);
    let url = Url::parse(&format!("https://www.{domain}/")).unwrap();
    let target = match k % 2 {
        0 => public_suffix_of(i).to_owned(),
        _ => site((i + 1 + k) % sites.max(2)),
    };
    Response {
        url,
        set_cookie: format!("track{k}=1; Domain={target}; Path=/"),
        accepted: false,
    }
}

/// The crawl that fills a jar: every site's `PER_DOMAIN` cookies, and two
/// refused ones per site, in site order.
pub fn crawl(sites: usize) -> Vec<Response> {
    (0..sites)
        .flat_map(|i| {
            (0..PER_DOMAIN)
                .map(move |j| crawl_cookie(i, j, 0))
                .chain((0..2).map(move |k| refused_cookie(i, k, sites)))
        })
        .collect()
}

/// The measured stores: seeded sites, each a replacement of one of its
/// cookies with a new value (5 in 6) or a refused cookie (1 in 6).
pub fn crawl_stores(sites: usize, count: usize) -> Vec<Response> {
    let mut rng = Rng::new(6);
    (0..count)
        .map(|round| {
            let i = rng.range(0, sites - 1);
            match rng.range(0, 5) {
                0 => refused_cookie(i, rng.range(0, 1), sites),
                _ => crawl_cookie(i, rng.range(0, PER_DOMAIN - 1), round + 1),
            }
        })
        .collect()
}

/// The measured lookups: seeded pages on seeded sites' hosts, under `/app`
/// (every cookie of the site applies from `www.`, the host-only ones of
/// other hosts do not).
pub fn crawl_lookups(sites: usize, count: usize) -> Vec<Url> {
    let mut rng = Rng::new(7);
    (0..count)
        .map(|_| {
            let i = rng.range(0, sites - 1);
            let host = *rng.pick(&["www.", "www.", "api.", ""]);
            Url::parse(&format!(
                "https://{host}{}/app/page{}",
                site(i),
                rng.range(0, 9)
            ))
            .unwrap()
        })
        .collect()
}
