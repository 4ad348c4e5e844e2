//! What goes into Redis: each change request as one stream entry (`Op`),
//! and the replica state as a snapshot. Both are versioned JSON through
//! private types, so that the public `Cookie` is not the wire format.

use crate::cookie::{to_nanos, utc, Cookie, Priority, Rfc2109Attributes};
use crate::jar::RequestContext;
use crate::parse::SameSite;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// The snapshot format's version; a replica reads this one and version 1
/// (which had no table of writers), and refuses others.
pub(crate) const SNAPSHOT_VERSION: u32 = 2;

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

/// A log entry: who wrote it and its number among that writer's
/// requests (its request id), and the request.
///
/// The request id makes a retry safe: a writer whose `XADD` failed after
/// it was sent cannot know whether Redis took it, and sends it again with
/// the same id; every replica applies the first entry with a given id and
/// skips the others (see [`Writers`]).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct LogEntry {
    #[serde(rename = "w")]
    pub(crate) writer: String,
    /// `None` in entries of writers that did not number their requests:
    /// never taken for a duplicate.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub(crate) seq: Option<u64>,
    #[serde(flatten)]
    pub(crate) op: Op,
}

/// The last request id applied from each writer, with the time (the
/// entry id's milliseconds) of that writer's last entry. A writer sends
/// its requests in order on one connection and resends a failed batch in
/// the same order, so an entry whose id is not above the writer's last is
/// a duplicate. Part of the replica's state, so it is in the snapshot too:
/// a replica rebuilt from a snapshot skips the same entries as one that
/// applied the whole log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Writers(HashMap<String, (u64, u64)>);

/// A writer's retries end this long after its first attempt (the builder
/// clamps its timeouts to it); a writer silent for longer than
/// [`Writers::KEEP_MS`] can send no more duplicates.
pub(crate) const MAX_RETRY_MS: u64 = 10 * 60 * 1000;

impl Writers {
    /// How long a silent writer is kept: well past [`MAX_RETRY_MS`], so
    /// that dropping it cannot change what any replica applies.
    const KEEP_MS: u64 = 6 * MAX_RETRY_MS;

    /// Whether the entry `writer`/`seq` at `ms` is new, noting it if so.
    pub(crate) fn admit(&mut self, writer: &str, seq: Option<u64>, ms: u64) -> bool {
        let Some(seq) = seq else {
            return true;
        };
        match self.0.get_mut(writer) {
            Some((last, _)) if seq <= *last => false,
            Some(slot) => {
                *slot = (seq, ms);
                true
            }
            None => {
                self.0.insert(writer.to_owned(), (seq, ms));
                true
            }
        }
    }

    /// The last request id applied from `writer`.
    pub(crate) fn last(&self, writer: &str) -> Option<u64> {
        self.0.get(writer).map(|&(seq, _)| seq)
    }

    /// The table for a snapshot at `ms`, without the writers silent for
    /// longer than [`Writers::KEEP_MS`].
    pub(crate) fn for_snapshot(&self, ms: u64) -> Vec<(String, u64, u64)> {
        let mut kept: Vec<_> = self
            .0
            .iter()
            .filter(|(_, &(_, last_ms))| last_ms.saturating_add(Self::KEEP_MS) >= ms)
            .map(|(writer, &(seq, last_ms))| (writer.clone(), seq, last_ms))
            .collect();
        kept.sort();
        kept
    }

    pub(crate) fn from_snapshot(rows: Vec<(String, u64, u64)>) -> Writers {
        Writers(
            rows.into_iter()
                .map(|(writer, seq, ms)| (writer, (seq, ms)))
                .collect(),
        )
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
    /// [`Writers`]: `(writer, last request id, last entry's ms)`.
    #[serde(default)]
    pub(crate) writers: Vec<(String, u64, u64)>,
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
            expiry: expiry_time.map(|t| Instant::from(OffsetDateTime::from(t))),
            creation: OffsetDateTime::from(*creation_time).into(),
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
            partition_key: partition_key.as_deref().map(|k| k.to_string()),
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
            Some(t) => Some(utc(t.to_time()?)),
            None => None,
        };
        let cookie = Cookie {
            name: self.name.into(),
            value: self.value.into(),
            domain: self.domain.into(),
            path: self.path.into(),
            expiry_time,
            creation_time: utc(self.creation.to_time()?),
            last_access_time: AtomicI64::new(to_nanos(self.last_access.to_time()?)),
            host_only: self.host_only,
            secure_only: self.secure,
            http_only: self.http_only,
            same_site,
            partitioned: self.partitioned,
            partition_key: self.partition_key.map(|k| Box::new(k.into())),
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
    fn a_writers_repeated_request_is_a_duplicate() {
        let mut writers = Writers::default();
        assert!(writers.admit("a", Some(1), 10));
        assert!(writers.admit("a", Some(2), 11));
        assert!(!writers.admit("a", Some(2), 12), "the retry of 2");
        assert!(!writers.admit("a", Some(1), 12));
        assert!(writers.admit("b", Some(1), 12), "another writer");
        assert!(writers.admit("a", None, 13), "unnumbered entries are new");
        assert!(writers.admit("a", None, 13));
        assert_eq!(writers.last("a"), Some(2));
        let back = Writers::from_snapshot(writers.for_snapshot(13));
        assert_eq!(back, writers);
        // A writer silent for an hour cannot send duplicates any more.
        let later = 11 + Writers::KEEP_MS + 1;
        assert_eq!(writers.for_snapshot(later), [("b".to_owned(), 1, 12)]);
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
