//! What goes into Redis: each change request as one stream entry (`Op`),
//! and the replica state as a snapshot. Both are versioned JSON through
//! private types, so that the public `Cookie` is not the wire format.

use crate::cookie::{to_nanos, Cookie, Priority, Rfc2109Attributes};
use crate::jar::RequestContext;
use crate::parse::SameSite;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// The snapshot format's version; a replica refuses others.
pub(crate) const SNAPSHOT_VERSION: u32 = 1;

/// An instant as Unix seconds and nanoseconds: every instant a cookie may
/// hold (up to the year 9999) fits, where `i64` nanoseconds end in 2262.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Instant(i64, u32);

impl From<OffsetDateTime> for Instant {
    fn from(t: OffsetDateTime) -> Self {
        Instant(t.unix_timestamp(), t.nanosecond())
    }
}

impl Instant {
    pub(crate) fn to_time(self) -> Option<OffsetDateTime> {
        let t = OffsetDateTime::from_unix_timestamp(self.0).ok()?;
        t.replace_nanosecond(self.1).ok()
    }
}

/// One entry of the log: a change request, applied by every replica in
/// log order through the jar's own policy code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Op {
    /// A `Set-Cookie` from a response to `url`, at `now` (the writer's clock,
    /// so that every replica gives the cookie the same creation time).
    Set {
        url: String,
        header: String,
        #[serde(default = "yes")]
        http_api: bool,
        #[serde(default)]
        cross_site: bool,
        #[serde(default)]
        navigation: bool,
        /// The top-level page's origin, which keys partitioned cookies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        top_level: Option<String>,
        now: Instant,
    },
    Remove {
        domain: String,
        path: String,
        name: String,
    },
    ClearDomain {
        domain: String,
    },
    Clear,
    Purge {
        now: Instant,
    },
    /// Changes nothing: marks the log position of a snapshot written back
    /// after Redis lost its data.
    Noop,
}

fn yes() -> bool {
    true
}

impl Op {
    pub(crate) fn set(
        url: &url::Url,
        header: &str,
        context: RequestContext,
        now: OffsetDateTime,
    ) -> Op {
        Op::Set {
            url: url.as_str().to_owned(),
            header: header.to_owned(),
            http_api: context.is_http_api(),
            cross_site: context.is_cross_site(),
            navigation: context.is_top_level_safe_navigation(),
            top_level: context.top_level_page(),
            now: now.into(),
        }
    }
}

/// The context an `Op::Set` was made in.
pub(crate) fn context(
    http_api: bool,
    cross_site: bool,
    navigation: bool,
    top_level: Option<&str>,
) -> RequestContext {
    let mut context = RequestContext::default();
    if let Some(page) = top_level.and_then(|page| url::Url::parse(page).ok()) {
        context = context.top_level(&page);
    }
    if !http_api {
        context = context.non_http_api();
    }
    if cross_site {
        context = context.cross_site();
    }
    if navigation {
        context = context.top_level_navigation("GET");
    }
    context
}

/// The replica state at one log position.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) version: u32,
    /// Least recently used first (the order to rebuild it in).
    pub(crate) cookies: Vec<SnapshotCookie>,
}

/// Every field of [`Cookie`], and its rank in creation order.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SnapshotCookie {
    name: String,
    value: String,
    domain: String,
    path: String,
    expiry: Option<Instant>,
    creation: Instant,
    last_access: Instant,
    host_only: bool,
    secure: bool,
    http_only: bool,
    same_site: Option<String>,
    partitioned: bool,
    /// The top-level site of a partitioned cookie (CHIPS).
    #[serde(default)]
    partition_key: Option<String>,
    /// Chromium's `Priority` (`Low`, `High`); absent for `Medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    version: u32,
    path_specified: bool,
    rank: u64,
}

impl SnapshotCookie {
    pub(crate) fn new(c: &Cookie, rank: u64) -> Self {
        // Destructured without `..`: a field added to `Cookie` does not
        // compile here until the snapshot carries it too.
        let Cookie {
            name,
            value,
            domain,
            path,
            expiry_time,
            creation_time,
            last_access_time,
            host_only,
            secure_only,
            http_only,
            same_site,
            partitioned,
            partition_key,
            priority,
            rfc2109,
        } = c;
        let last_access = crate::cookie::from_nanos(last_access_time.load(Ordering::Relaxed));
        SnapshotCookie {
            name: name.to_string(),
            value: value.to_string(),
            domain: domain.to_string(),
            path: path.to_string(),
            expiry: expiry_time.map(Instant::from),
            creation: (*creation_time).into(),
            last_access: last_access.into(),
            host_only: *host_only,
            secure: *secure_only,
            http_only: *http_only,
            same_site: same_site.map(|s| {
                match s {
                    SameSite::Strict => "strict",
                    SameSite::Lax => "lax",
                    SameSite::None => "none",
                }
                .to_owned()
            }),
            partitioned: *partitioned,
            partition_key: partition_key.as_deref().map(str::to_owned),
            priority: (*priority != Priority::Medium).then(|| priority.as_str().to_owned()),
            version: rfc2109.version,
            path_specified: rfc2109.path_specified,
            rank,
        }
    }

    /// The cookie and its creation rank, or `None` if an instant is out of
    /// range (a snapshot written by something else).
    pub(crate) fn into_cookie(self) -> Option<(Cookie, u64)> {
        let same_site = match self.same_site.as_deref() {
            None => None,
            Some("strict") => Some(SameSite::Strict),
            Some("lax") => Some(SameSite::Lax),
            Some("none") => Some(SameSite::None),
            Some(_) => return None,
        };
        let priority = match self.priority.as_deref() {
            None | Some("Medium") => Priority::Medium,
            Some("Low") => Priority::Low,
            Some("High") => Priority::High,
            Some(_) => return None,
        };
        let expiry_time = match self.expiry {
            Some(t) => Some(t.to_time()?),
            None => None,
        };
        let cookie = Cookie {
            name: self.name.into(),
            value: self.value.into(),
            domain: self.domain.into(),
            path: self.path.into(),
            expiry_time,
            creation_time: self.creation.to_time()?,
            last_access_time: AtomicI64::new(to_nanos(self.last_access.to_time()?)),
            host_only: self.host_only,
            secure_only: self.secure,
            http_only: self.http_only,
            same_site,
            partitioned: self.partitioned,
            partition_key: self.partition_key.map(Into::into),
            priority,
            rfc2109: Rfc2109Attributes {
                version: self.version,
                path_specified: self.path_specified,
            },
        };
        Some((cookie, self.rank))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_round_trip() {
        let url = url::Url::parse("https://a.example/x").unwrap();
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let ops = [
            Op::set(
                &url,
                "a=1; Path=/",
                RequestContext::default().cross_site(),
                now,
            ),
            Op::Remove {
                domain: "a.example".into(),
                path: "/".into(),
                name: "a".into(),
            },
            Op::ClearDomain {
                domain: "a.example".into(),
            },
            Op::Clear,
            Op::Purge { now: now.into() },
        ];
        for op in ops {
            let text = serde_json::to_string(&op).unwrap();
            assert_eq!(serde_json::from_str::<Op>(&text).unwrap(), op, "{text}");
        }
    }

    #[test]
    fn a_context_round_trips() {
        let page = url::Url::parse("https://www.news.example/story").unwrap();
        let context = RequestContext::default().cross_site().top_level(&page);
        let back = super::context(
            context.is_http_api(),
            context.is_cross_site(),
            context.is_top_level_safe_navigation(),
            context.top_level_page().as_deref(),
        );
        assert_eq!(back, context);
    }

    #[test]
    fn instants_to_the_year_9999_round_trip() {
        for t in [OffsetDateTime::UNIX_EPOCH, crate::cookie::LATEST] {
            assert_eq!(Instant::from(t).to_time(), Some(t));
        }
    }

    #[test]
    fn a_snapshot_keeps_the_priority() {
        let url = url::Url::parse("https://a.example/").unwrap();
        let mut jar = crate::Jar::builder()
            .profile(crate::Profile::Chromium)
            .build();
        for header in ["lo=1; Priority=Low", "mid=1", "hi=1; Priority=HIGH"] {
            jar.set_cookie(&url, header).unwrap();
        }
        let priorities: Vec<_> = jar
            .iter()
            .map(|c| {
                let snapshot = SnapshotCookie::new(c, 0);
                let json = serde_json::to_string(&snapshot).unwrap();
                let back: SnapshotCookie = serde_json::from_str(&json).unwrap();
                (c.name().to_owned(), back.into_cookie().unwrap().0.priority)
            })
            .collect();
        assert!(priorities.contains(&("lo".to_owned(), Priority::Low)));
        assert!(priorities.contains(&("mid".to_owned(), Priority::Medium)));
        assert!(priorities.contains(&("hi".to_owned(), Priority::High)));
    }
}
