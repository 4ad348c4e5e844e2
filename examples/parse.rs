//! Parses a file of `Set-Cookie` header values (one per line, `#` comments)
//! and prints what RFC 6265 section 5.2 makes of each.
//!
//! `cargo run --example parse -- testdata/headers/set-cookie.txt`

use cookiejar::{HttpDate, SetCookie};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse FILE   (one Set-Cookie value per line)");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("parse: cannot read {path}: {err}");
            return ExitCode::from(1);
        }
    };
    let mut failed = false;
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match SetCookie::parse(line) {
            Ok(c) => {
                let expires = c.expires().map(|t| HttpDate(t).to_string());
                println!(
                    "{:<22} domain={:<14} path={:<6} expires={:<31} max-age={:<9} {}{}{}",
                    c.name(),
                    c.domain().unwrap_or("-"),
                    c.path().unwrap_or("-"),
                    expires.as_deref().unwrap_or("-"),
                    c.max_age().map_or("-".to_string(), |m| m.to_string()),
                    if c.secure() { "Secure " } else { "" },
                    if c.http_only() { "HttpOnly " } else { "" },
                    c.same_site()
                        .map_or(String::new(), |s| format!("SameSite={s}")),
                );
            }
            Err(err) => {
                failed = true;
                println!("line {}: ignored: {err}", number + 1);
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
