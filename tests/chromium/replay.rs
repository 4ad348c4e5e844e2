//! Replays a recording of `record.py` through the jar and compares, step by
//! step, the `Cookie` header Chromium sent with the one the jar builds, and
//! at the end Chromium's store with the jar's.

use cookiejar::{Jar, Limits, Profile, RequestContext};
use serde_json::Value;
use std::collections::BTreeSet;
use time::OffsetDateTime;
use url::Url;

/// One jar configuration the recordings are compared under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Config {
    pub(crate) name: &'static str,
    pub(crate) profile: Profile,
}

/// The default profile with the browser's limits, and the Chromium profile.
pub(crate) const CONFIGS: [Config; 2] = [
    Config {
        name: "rfc6265bis",
        profile: Profile::Rfc6265bis,
    },
    Config {
        name: "chromium",
        profile: Profile::Chromium,
    },
];

/// How a scenario went under one configuration.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) id: String,
    /// Every step's `Cookie` header was Chromium's.
    pub(crate) headers_agree: bool,
    /// The final stores hold the same cookies.
    pub(crate) store_agrees: bool,
    /// What differed, for people.
    pub(crate) differences: Vec<String>,
}

fn instant(v: &Value) -> OffsetDateTime {
    let seconds = v.as_f64().expect("a time in seconds");
    OffsetDateTime::from_unix_timestamp_nanos((seconds * 1e9) as i128).expect("a valid instant")
}

fn url(v: &Value) -> Url {
    Url::parse(v.as_str().expect("a URL string")).expect("a URL")
}

fn lines(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The schemeful site as Chromium compares sites for `SameSite`: the
/// scheme and the last two labels (enough for the scenarios' hosts).
fn site(u: &Url) -> (String, String) {
    let host = u.host_str().unwrap_or_default();
    let labels: Vec<&str> = host.rsplitn(3, '.').collect();
    let registrable = match labels.as_slice() {
        [tld, name, ..] => format!("{name}.{tld}"),
        _ => host.to_string(),
    };
    (u.scheme().to_string(), registrable)
}

/// One cookie as both stores are compared: Chromium's `domain` form (a
/// leading dot for a domain cookie), the flags, and the partition.
type StoreItem = (
    String,
    String,
    String,
    String,
    bool,
    bool,
    bool,
    Option<String>,
);

fn chromium_store(scenario: &Value) -> (BTreeSet<StoreItem>, Vec<(String, f64)>) {
    let mut items = BTreeSet::new();
    let mut expiries = Vec::new();
    for c in scenario["store"].as_array().into_iter().flatten() {
        let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
        let item = (
            s("name"),
            s("value"),
            s("domain"),
            s("path"),
            c["secure"].as_bool().unwrap_or(false),
            c["http_only"].as_bool().unwrap_or(false),
            c["session"].as_bool().unwrap_or(false),
            c["partition_key"].as_str().map(str::to_string),
        );
        if let Some(e) = c["expires"].as_f64() {
            expiries.push((format!("{}={}", item.0, item.2), e));
        }
        items.insert(item);
    }
    (items, expiries)
}

fn jar_store(jar: &Jar, now: OffsetDateTime) -> (BTreeSet<StoreItem>, Vec<(String, f64)>) {
    let mut items = BTreeSet::new();
    let mut expiries = Vec::new();
    for c in jar.iter().filter(|c| !c.is_expired_at(now)) {
        let domain = match c.host_only() {
            true => c.domain().to_string(),
            false => format!(".{}", c.domain()),
        };
        if let Some(e) = c.expiry_time() {
            let seconds = e.unix_timestamp_nanos() as f64 / 1e9;
            expiries.push((format!("{}={domain}", c.name()), seconds));
        }
        items.insert((
            c.name().to_string(),
            c.value().to_string(),
            domain,
            c.path().to_string(),
            c.secure_only(),
            c.http_only(),
            !c.persistent(),
            c.partition_key().map(str::to_string),
        ));
    }
    (items, expiries)
}

fn show(header: Option<&str>) -> String {
    match header {
        None => "(none)".into(),
        Some(h) if h.len() > 160 => format!("{}... ({} bytes)", &h[..160], h.len()),
        Some(h) => format!("{h:?}"),
    }
}

/// Replays one scenario under `config`.
pub(crate) fn replay(scenario: &Value, config: Config) -> Outcome {
    let id = scenario["id"].as_str().expect("an id").to_string();
    let mut jar = Jar::builder()
        .limits(Limits::BROWSER)
        .profile(config.profile)
        .build();
    let mut differences = Vec::new();
    let mut last = OffsetDateTime::UNIX_EPOCH;
    let steps = scenario["steps"].as_array().expect("steps");
    for (n, step) in steps.iter().enumerate() {
        let top = url(&step["url"]);
        let at = instant(&step["at"]);
        last = at;
        let top_context = RequestContext::default();
        let mut request = |jar: &mut Jar, u: &Url, context, at, recorded: &Value, set: &Value| {
            let got = jar.cookie_header_with(u, context, at);
            let want = recorded.as_str();
            if got.as_deref() != want {
                differences.push(format!(
                    "step {n} {u}: Chromium sent {}, the jar {}",
                    show(want),
                    show(got.as_deref())
                ));
            }
            for line in lines(set) {
                let _ = jar.set_cookie_with(u, line, context, at);
            }
        };
        request(
            &mut jar,
            &top,
            top_context,
            at,
            &step["cookie"],
            &step["set"],
        );
        if let Some(frame) = step.get("frame") {
            let framed = url(&frame["url"]);
            let at = instant(&frame["at"]);
            last = at;
            let mut context = RequestContext::default().top_level(&top);
            if site(&framed) != site(&top) {
                context = context.cross_site();
            }
            request(
                &mut jar,
                &framed,
                context,
                at,
                &frame["cookie"],
                &frame["set"],
            );
        }
    }
    let headers_agree = differences.is_empty();
    let (want, want_expiries) = chromium_store(scenario);
    let (got, got_expiries) = jar_store(&jar, last);
    let mut store_agrees = want == got;
    if !store_agrees {
        let missing: Vec<_> = want.difference(&got).map(|c| (&c.0, &c.2, &c.3)).collect();
        let extra: Vec<_> = got.difference(&want).map(|c| (&c.0, &c.2, &c.3)).collect();
        let cut = |v: Vec<_>| {
            format!(
                "{:?}{}",
                &v[..v.len().min(6)],
                if v.len() > 6 {
                    format!(" and {} more", v.len() - 6)
                } else {
                    String::new()
                }
            )
        };
        differences.push(format!(
            "store: only Chromium has {}, only the jar has {}",
            cut(missing),
            cut(extra)
        ));
    }
    // Expiry times within a few seconds (Chromium's clock and the server's
    // differ by the request's time in flight).
    for (key, want) in &want_expiries {
        if let Some((_, got)) = got_expiries.iter().find(|(k, _)| k == key) {
            if (got - want).abs() > 5.0 {
                store_agrees = false;
                differences.push(format!(
                    "store: {key} expires at {want:.0} in Chromium, at {got:.0} in the jar"
                ));
            }
        }
    }
    Outcome {
        id,
        headers_agree,
        store_agrees,
        differences,
    }
}
