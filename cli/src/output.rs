//! Printing: tables, counts in words, notes on stderr and JSON lines, all
//! through the escaping of [`crate::escape`].

use crate::escape;
use serde_json::Value;
use std::io::Write as _;

/// `println!` for the answer on stdout. A reader that went away
/// (`cookiejar list | head`) ends the command quietly with exit code 0,
/// as `head` expects of the writer before it; `println!` would panic.
/// Any other write error is reported and exits with code 3 (a file error).
macro_rules! say {
    () => {
        $crate::output::write_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// What [`say!`] calls.
pub(crate) fn write_line(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        note(&format!("cannot write the output: {e}"));
        std::process::exit(3);
    }
}

/// `1 cookie`, `2 cookies`: `noun` is the singular, the plural adds `s`
/// to its last word.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `1 bad entry`, `2 bad entries`: a count with an irregular plural.
pub(crate) fn count_as(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// `was` or `were` for `n` things.
pub(crate) fn was(n: usize) -> &'static str {
    if n == 1 {
        "was"
    } else {
        "were"
    }
}

/// A note for the user on stderr (never part of the answer on stdout).
pub(crate) fn note(message: &str) {
    eprintln!("cookiejar: {}", escape::text(message));
}

/// One JSON document on stdout, on one line.
pub(crate) fn json(value: &Value) {
    crate::output::say!("{}", escape::json(value));
}

/// Columns padded to the widest cell; every cell escaped.
pub(crate) fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let rows: Vec<[String; N]> = rows
        .iter()
        .map(|row| row.clone().map(|cell| escape::text(&cell).into_owned()))
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        crate::output::say!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(0, "cookie"), "0 cookies");
        assert_eq!(count(1, "cookie"), "1 cookie");
        assert_eq!(count(2, "session cookie"), "2 session cookies");
        assert_eq!(count(1, "expired cookie"), "1 expired cookie");
        assert_eq!(count_as(2, "bad entry", "bad entries"), "2 bad entries");
        assert_eq!((was(1), was(0), was(3)), ("was", "were", "were"));
    }
}
