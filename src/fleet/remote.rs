//! The Redis side of the fleet jar: key names, stream ids, the two Lua
//! scripts that make snapshots atomic, and decoding of the replies.

use redis::Value;
use std::fmt;
use std::str::FromStr;

/// A Redis stream entry id, `ms-seq`; ordered as Redis orders them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct StreamId(pub(crate) u64, pub(crate) u64);

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.0, self.1)
    }
}

impl FromStr for StreamId {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (ms, seq) = s.split_once('-').unwrap_or((s, "0"));
        Ok(StreamId(
            ms.parse().map_err(|_| ())?,
            seq.parse().map_err(|_| ())?,
        ))
    }
}

/// The keys of one jar. Both hold the jar name as their hash tag (`{…}`),
/// so that on Redis Cluster they live in one slot and the scripts, which
/// touch both, may run.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub(crate) log: String,
    pub(crate) snapshot: String,
}

impl Keys {
    pub(crate) fn new(jar_name: &str) -> Keys {
        Keys {
            log: format!("cookiejar:{{{jar_name}}}:log"),
            snapshot: format!("cookiejar:{{{jar_name}}}:snapshot"),
        }
    }
}

/// Whether `name` can be a jar name: 1 to 128 bytes of letters, digits
/// and `-_.:/@`; in particular no `{` or `}`, which would change the hash tag.
pub(crate) fn valid_jar_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@".contains(&b))
}

/// Writes a snapshot taken at log position `ARGV[1]` (`ARGV[2]`, `ARGV[3]`
/// its two numbers) with the state `ARGV[4]`, unless a snapshot as recent
/// is there, and trims the log of the entries before it. One script, so
/// one atomic step: no reader ever sees the log trimmed past a snapshot it
/// cannot read. If the log is gone (Redis lost its data), the entry id of
/// the snapshot is put back first, so that new entries sort after it.
pub(crate) const WRITE_SNAPSHOT: &str = r#"
local ms = tonumber(redis.call('HGET', KEYS[1], 'ms') or '-1')
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
local new_ms, new_seq = tonumber(ARGV[2]), tonumber(ARGV[3])
if ms > new_ms or (ms == new_ms and seq >= new_seq) then
  return 0
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'ms', ARGV[2], 'seq', ARGV[3], 'data', ARGV[4])
if redis.call('EXISTS', KEYS[2]) == 0 and (new_ms > 0 or new_seq > 0) then
  redis.call('XADD', KEYS[2], ARGV[1], 'op', '{"op":"noop"}')
end
redis.call('XTRIM', KEYS[2], 'MINID', ARGV[1])
return 1
"#;

/// The snapshot and every log entry after it, read in one atomic step:
/// `{snapshot id or '', snapshot data or '', entries}`.
pub(crate) const READ_FROM_SNAPSHOT: &str = r"
local id = redis.call('HGET', KEYS[1], 'id')
local data = redis.call('HGET', KEYS[1], 'data')
local start = '-'
if id then start = '(' .. id end
local entries = redis.call('XRANGE', KEYS[2], start, '+')
return {id or '', data or '', entries}
";

/// The text of a bulk or simple string reply.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Okay => Some("OK".to_owned()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Stream entries (`XRANGE`'s reply, one stream of `XREAD`'s) as
/// `(id, op text)`. An entry without an `op` field has `None`.
pub(crate) fn entries(value: &Value) -> Vec<(StreamId, Option<String>)> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Value::Array(pair) = item else {
                return None;
            };
            let id: StreamId = text(pair.first()?)?.parse().ok()?;
            let op = match pair.get(1) {
                Some(Value::Array(fields)) => fields
                    .chunks(2)
                    .find(|kv| kv.first().and_then(text).as_deref() == Some("op"))
                    .and_then(|kv| kv.get(1).and_then(text)),
                _ => None,
            };
            Some((id, op))
        })
        .collect()
}

/// The entries of `XREAD`'s reply (one stream), or none on a timeout.
pub(crate) fn xread_entries(value: &Value) -> Vec<(StreamId, Option<String>)> {
    match value {
        Value::Array(streams) => streams
            .iter()
            .flat_map(|stream| match stream {
                Value::Array(kv) => kv.get(1).map(entries).unwrap_or_default(),
                _ => Vec::new(),
            })
            .collect(),
        Value::Map(streams) => streams.iter().flat_map(|(_, v)| entries(v)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_ids_order_as_redis_orders_them() {
        let a: StreamId = "1700000000000-9".parse().unwrap();
        let b: StreamId = "1700000000001-0".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "1700000000000-9");
        assert!("x-1".parse::<StreamId>().is_err());
    }

    #[test]
    fn jar_names_keep_one_hash_tag() {
        assert!(valid_jar_name("crawler-7.login"));
        assert!(!valid_jar_name("a}b"));
        assert!(!valid_jar_name(""));
        let keys = Keys::new("job");
        assert_eq!(keys.log, "cookiejar:{job}:log");
        assert_eq!(keys.snapshot, "cookiejar:{job}:snapshot");
    }
}
