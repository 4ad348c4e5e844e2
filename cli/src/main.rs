//! `cookiejar`: inspect, query and convert cookie jars from the shell.
//!
//! Exit codes: 0 success; 1 a negative answer (a cookie refused, no Cookie
//! header for the URL); 2 bad usage; 3 a file that cannot be read, parsed
//! or written.

use clap::{Args, Parser, Subcommand, ValueEnum};
use cookiejar::{
    Exclusion, Format, HttpDate, Jar, LoadOptions, RequestContext, SaveOptions, SetCookie,
};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::OffsetDateTime;
use url::Url;

#[derive(Parser)]
#[command(
    name = "cookiejar",
    version,
    about = "Inspect, query and convert HTTP cookie jars (JSON or Netscape cookies.txt)."
)]
#[command(
    after_help = "Exit codes: 0 success, 1 negative answer (cookie refused, no header), 2 usage, 3 file error."
)]
struct Cli {
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse Set-Cookie values and show their attributes (RFC 6265 section 5.2).
    Parse {
        /// Set-Cookie header values.
        #[arg(required = true)]
        set_cookie: Vec<String>,
    },
    /// Store Set-Cookie values received from a URL into a jar file.
    Store {
        #[command(flatten)]
        jar: JarFile,
        /// The URL the response came from.
        #[arg(long)]
        url: String,
        /// Set-Cookie header values.
        #[arg(required = true)]
        set_cookie: Vec<String>,
        #[command(flatten)]
        save: SaveFlags,
    },
    /// Print the Cookie header a request to URL would carry.
    Header {
        #[command(flatten)]
        jar: JarFile,
        /// The request URL.
        url: String,
    },
    /// Explain, for a URL, which cookies are sent and why the others are not.
    Explain {
        #[command(flatten)]
        jar: JarFile,
        /// The request URL.
        url: String,
        /// Treat the request as cross-site (SameSite rules apply).
        #[arg(long)]
        cross_site: bool,
    },
    /// List every cookie in a jar file.
    List {
        #[command(flatten)]
        jar: JarFile,
    },
    /// Convert a jar file between JSON and Netscape cookies.txt.
    Convert {
        /// The jar file to read (format detected from its content).
        input: PathBuf,
        /// The file to write.
        output: PathBuf,
        /// Output format (default: from the output's extension, .json or cookies.txt).
        #[arg(long, value_enum)]
        to: Option<FileFormat>,
        /// Skip bad entries (and report them) instead of failing.
        #[arg(long)]
        lenient: bool,
        #[command(flatten)]
        save: SaveFlags,
    },
    /// Remove expired cookies from a jar file.
    Purge {
        #[command(flatten)]
        jar: JarFile,
        #[command(flatten)]
        save: SaveFlags,
    },
}

#[derive(Args)]
struct JarFile {
    /// The jar file (JSON or Netscape cookies.txt, detected from its content).
    #[arg(long)]
    jar: PathBuf,
    /// Skip bad entries (and report them) instead of failing.
    #[arg(long)]
    lenient: bool,
}

#[derive(Args)]
struct SaveFlags {
    /// Also save session cookies (by default they end with the session).
    #[arg(long)]
    keep_session: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FileFormat {
    Json,
    Netscape,
}

/// A failure and its exit code.
struct Failure(u8, String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure(code, message)) => {
            eprintln!("cookiejar: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: &Cli) -> Result<u8, Failure> {
    let now = OffsetDateTime::now_utc();
    match &cli.command {
        Command::Parse { set_cookie } => Ok(parse(cli.json, set_cookie)),
        Command::Store {
            jar,
            url,
            set_cookie,
            save,
        } => {
            let url = parse_url(url)?;
            let (mut j, format) = open(&jar.jar, jar.lenient, true, now)?;
            let mut refused = false;
            let mut rows = Vec::new();
            for header in set_cookie {
                let outcome = j.set_cookie_at(&url, header, now);
                refused |= outcome.is_err();
                rows.push(match outcome {
                    Ok(stored) => json!({"set_cookie": header, "stored": format!("{stored:?}")}),
                    Err(rejection) => {
                        json!({"set_cookie": header, "refused": rejection.to_string()})
                    }
                });
            }
            let report = write(&j, &jar.jar, format, save, now)?;
            if report.session_skipped > 0 {
                eprintln!(
                    "note: {} session cookies were not saved; --keep-session keeps them",
                    report.session_skipped
                );
            }
            if cli.json {
                println!("{}", Value::Array(rows));
            } else {
                for row in rows {
                    let header = row.get("set_cookie").and_then(Value::as_str).unwrap_or("");
                    match row.get("refused") {
                        Some(why) => {
                            println!("refused  {}  ({})", header, why.as_str().unwrap_or(""))
                        }
                        None => println!("stored   {header}"),
                    }
                }
            }
            Ok(u8::from(refused))
        }
        Command::Header { jar, url } => {
            let url = parse_url(url)?;
            let (j, _) = open(&jar.jar, jar.lenient, false, now)?;
            match j.cookie_header_at(&url, now) {
                Some(header) if cli.json => println!("{}", json!({"cookie": header})),
                Some(header) => println!("{header}"),
                None if cli.json => println!("{}", json!({"cookie": null})),
                None => {}
            }
            Ok(u8::from(j.cookie_header_at(&url, now).is_none()))
        }
        Command::Explain {
            jar,
            url,
            cross_site,
        } => {
            let url = parse_url(url)?;
            let (j, _) = open(&jar.jar, jar.lenient, false, now)?;
            let context = if *cross_site {
                RequestContext::default().cross_site()
            } else {
                RequestContext::default()
            };
            let explained = j.explain_with(&url, context, now);
            if cli.json {
                let rows: Vec<Value> = explained
                    .iter()
                    .map(|e| json!({"name": e.cookie.name(), "domain": e.cookie.domain(), "path": e.cookie.path(), "sent": e.exclusion.is_none(), "reason": e.exclusion.map(|x| x.to_string())}))
                    .collect();
                println!("{}", Value::Array(rows));
            } else if explained.is_empty() {
                println!("no cookie in the jar concerns {url}");
            } else {
                let rows: Vec<[String; 4]> = explained
                    .iter()
                    .map(|e| {
                        [
                            if e.exclusion.is_none() {
                                "sent".into()
                            } else {
                                "not sent".into()
                            },
                            e.cookie.name().into(),
                            format!(
                                "{}{}",
                                if e.cookie.host_only() { "" } else { "." },
                                e.cookie.domain()
                            ) + e.cookie.path(),
                            e.exclusion
                                .map_or_else(String::new, |x: Exclusion| x.to_string()),
                        ]
                    })
                    .collect();
                print_table(&["", "NAME", "DOMAIN/PATH", "WHY NOT"], &rows);
            }
            Ok(0)
        }
        Command::List { jar } => {
            let (j, _) = open(&jar.jar, jar.lenient, false, now)?;
            list(cli.json, &j, now);
            Ok(0)
        }
        Command::Convert {
            input,
            output,
            to,
            lenient,
            save,
        } => {
            let (j, _) = open(input, *lenient, false, now)?;
            let format = match to {
                Some(FileFormat::Json) => Format::Json,
                Some(FileFormat::Netscape) => Format::Netscape,
                None => format_for_path(output),
            };
            let report = write(&j, output, format, save, now)?;
            eprintln!(
                "wrote {} cookies to {} ({} session cookies left out{})",
                report.written,
                output.display(),
                report.session_skipped,
                if save.keep_session {
                    ""
                } else {
                    "; --keep-session keeps them"
                }
            );
            Ok(0)
        }
        Command::Purge { jar, save } => {
            let (mut j, format) = open(&jar.jar, jar.lenient, false, now)?;
            let purged = j.purge_expired_at(now);
            write(&j, &jar.jar, format, save, now)?;
            println!("{purged} expired cookies removed, {} kept", j.len());
            Ok(0)
        }
    }
}

fn parse_url(url: &str) -> Result<Url, Failure> {
    Url::parse(url).map_err(|e| Failure(2, format!("invalid URL {url:?}: {e}")))
}

fn format_for_path(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
        _ => Format::Netscape,
    }
}

/// Loads a jar file; a missing file is an empty jar when `may_be_new`.
fn open(
    path: &Path,
    lenient: bool,
    may_be_new: bool,
    now: OffsetDateTime,
) -> Result<(Jar, Format), Failure> {
    let mut jar = Jar::new();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if may_be_new && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((jar, format_for_path(path)))
        }
        Err(e) => return Err(Failure(3, format!("cannot read {}: {e}", path.display()))),
    };
    let format = Format::detect(&text);
    let report = jar
        .load_text_at(
            &text,
            format,
            LoadOptions {
                lenient,
                ..LoadOptions::default()
            },
            now,
        )
        .map_err(|e| Failure(3, format!("{}: {e}", path.display())))?;
    for skipped in &report.skipped {
        eprintln!("cookiejar: {}: skipped {skipped}", path.display());
    }
    Ok((jar, format))
}

fn write(
    jar: &Jar,
    path: &Path,
    format: Format,
    save: &SaveFlags,
    now: OffsetDateTime,
) -> Result<cookiejar::SaveReport, Failure> {
    let options = SaveOptions {
        include_session_cookies: save.keep_session,
        ..SaveOptions::default()
    };
    jar.save_at(path, format, options, now)
        .map_err(|e| Failure(3, format!("cannot write {}: {e}", path.display())))
}

fn parse(as_json: bool, headers: &[String]) -> u8 {
    let mut refused = false;
    let mut rows = Vec::new();
    for header in headers {
        match SetCookie::parse(header) {
            Ok(c) => rows.push(json!({
                "name": c.name(), "value": c.value(),
                "expires": c.expires().map(|t| HttpDate(t).to_string()), "max_age": c.max_age(),
                "domain": c.domain(), "path": c.path(), "secure": c.secure(), "http_only": c.http_only(),
                "same_site": c.same_site().map(|s| s.as_str()), "partitioned": c.partitioned(),
                "version": c.version(), "comment": c.comment(),
                "other_attributes": c.unknown_attributes().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            })),
            Err(e) => {
                refused = true;
                rows.push(json!({"set_cookie": header, "error": e.to_string()}));
            }
        }
    }
    if as_json {
        println!("{}", Value::Array(rows));
    } else {
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                println!();
            }
            let Some(fields) = row.as_object() else {
                continue;
            };
            for (key, value) in fields {
                let shown = match value {
                    Value::Null => continue,
                    Value::Bool(false) => continue,
                    Value::Array(a) if a.is_empty() => continue,
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                println!("{key:<16} {shown}");
            }
        }
    }
    u8::from(refused)
}

fn list(as_json: bool, jar: &Jar, now: OffsetDateTime) {
    let mut cookies: Vec<_> = jar.iter().collect();
    cookies.sort_by(|a, b| (a.domain(), a.path(), a.name()).cmp(&(b.domain(), b.path(), b.name())));
    if as_json {
        let rows: Vec<Value> = cookies
            .iter()
            .map(|c| json!({
                "name": c.name(), "value": c.value(), "domain": c.domain(), "path": c.path(),
                "host_only": c.host_only(), "secure": c.secure_only(), "http_only": c.http_only(),
                "same_site": c.same_site().map(|s| s.as_str()),
                "expires": c.expiry_time().map(|t| HttpDate(t).to_string()), "expired": c.is_expired_at(now),
            }))
            .collect();
        println!("{}", Value::Array(rows));
        return;
    }
    let rows: Vec<[String; 5]> = cookies
        .iter()
        .map(|c| {
            let mut flags = Vec::new();
            if c.secure_only() {
                flags.push("Secure".to_string())
            }
            if c.http_only() {
                flags.push("HttpOnly".to_string())
            }
            if let Some(s) = c.same_site() {
                flags.push(format!("SameSite={s}"))
            }
            [
                format!("{}{}", if c.host_only() { "" } else { "." }, c.domain()),
                c.path().into(),
                c.name().into(),
                c.expiry_time()
                    .map_or("session".into(), |t| HttpDate(t).to_string()),
                flags.join(" "),
            ]
        })
        .collect();
    print_table(&["DOMAIN", "PATH", "NAME", "EXPIRES", "FLAGS"], &rows);
    println!("{} cookies", rows.len());
}

fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(str::len);
    for row in rows {
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
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
