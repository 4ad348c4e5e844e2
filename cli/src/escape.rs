//! Terminal safety. Names, values, domains and paths come from servers and
//! files; printed raw, a control character can move the cursor, rewrite
//! what is on screen or, through C1 controls such as U+009B (CSI), send
//! commands to the terminal. Every string the command prints from a jar or
//! a header goes through [`text`] (tables and plain output) or [`json`]
//! (`--json` output).

use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is: C0 controls (TAB, CR
/// and LF included: they break the tables), DEL, C1 controls
/// (U+0080-U+009F), and the invisible or direction-changing format
/// characters (soft hyphen, zero-width characters, bidirectional
/// overrides and isolates, line and paragraph separators, variation
/// selectors, the byte-order mark, interlinear annotations, tags), which
/// can make one name look like another.
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{115f}'..='\u{1160}'
        | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}'
        | '\u{fffe}'..='\u{ffff}'
        | '\u{e0000}'..='\u{e0fff}'
    )
}

/// `s` for a terminal: each unsafe character (see [`is_unsafe`]) becomes
/// `\xNN` (below U+0080) or `\u{NNNN}`; everything else, backslashes
/// included, is unchanged, so an ordinary value prints as it is.
pub(crate) fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if c.is_ascii() {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// `value` as one line of JSON in which every unsafe character is a
/// `\uNNNN` escape. serde_json already escapes C0 controls; DEL, C1
/// controls and the format characters it writes raw, which is valid JSON
/// but reaches a terminal as it is. The escapes decode to the same
/// strings, so a JSON reader sees no difference.
pub(crate) fn json(value: &Value) -> String {
    let raw = value.to_string();
    if !raw.chars().any(is_unsafe) {
        return raw;
    }
    // Outside strings, serialized JSON is ASCII punctuation, digits and
    // keywords: an unsafe character can only be inside a string.
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unsafe_characters_are_escaped_for_the_terminal() {
        let cases = [
            ("plain", "plain"),
            ("a=b\\c", "a=b\\c"),
            ("a\u{1}b", "a\\x01b"),
            ("tab\there", "tab\\x09here"),
            ("cr\r\nlf", "cr\\x0d\\x0alf"),
            ("\u{1b}[31mred", "\\x1b[31mred"),
            ("del\u{7f}", "del\\x7f"),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("\u{80}\u{9f}", "\\u{80}\\u{9f}"),
            ("rtl\u{202e}gpj.exe", "rtl\\u{202e}gpj.exe"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("\u{feff}bom", "\\u{feff}bom"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("café", "café"),
            ("日本", "日本"),
        ];
        for (input, want) in cases {
            assert_eq!(text(input), want, "{input:?}");
        }
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_stays_the_same_data() {
        for s in [
            "a\u{1}b",
            "csi\u{9b}",
            "del\u{7f}",
            "rtl\u{202e}x",
            "tag\u{e0041}",
            "ok",
        ] {
            let value = json!({"name": s, "list": [s]});
            let line = json(&value);
            assert!(!line.chars().any(is_unsafe), "{line:?}");
            let back: Value = serde_json::from_str(&line).unwrap_or_default();
            assert_eq!(back, value);
        }
        assert_eq!(json(&json!("\u{9b}")), r#""\u009b""#);
        assert_eq!(json(&json!("\u{e0041}")), r#""\udb40\udc41""#);
    }
}
