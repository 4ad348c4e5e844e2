//! `cookiejar`: inspect, query and convert cookie jars from the shell.
//!
//! Exit codes: 0 success; 1 a negative answer (a cookie refused or not
//! saved, no Cookie header for the URL); 2 bad usage; 3 a file that cannot
//! be read, parsed or written.

mod escape;
#[cfg(feature = "redis")]
mod fleet;
mod har;
#[cfg(feature = "browser")]
mod import;
mod inspect;
mod jarfile;
mod output;
mod rewrite;
mod store;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use cookiejar::{Format, Limits, NetscapeDialect, Profile, RequestContext};
use jarfile::Failure;
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;
use url::Url;

const AFTER_HELP: &str = "\
Files: a command that rewrites a jar file (store, purge) keeps every cookie
it read from it, session cookies included, except what it was asked to
remove; it does not rewrite a file whose cookies did not change. Expired
cookies are dropped when a file is read, and every command says how many.
A rewritten cookies.txt keeps its cookies and its line ends (LF or CRLF) but
not its comment lines; the command says so when it had some. convert writes
LF, curl's dialect (#HttpOnly_ lines) unless --wget or --python.

Output: names, values and domains are printed with control characters and
invisible format characters escaped (\\x01, \\u{9b}), so that a cookie cannot
send commands to the terminal; --json output escapes them as \\u0001.
Cookie values are credentials: store and list show them only with
--show-values (parse shows the header you typed; header prints the Cookie
header, which is its purpose).

--json: one JSON document on stdout. Every refusal, exclusion and skipped
entry has a stable snake_case \"code\" beside its \"reason\" text.

Exit codes: 0 success, 1 negative answer (cookie refused or not saved, no
header), 2 usage, 3 file error.";

#[derive(Debug, Parser)]
#[command(
    name = "cookiejar",
    version,
    about = "Inspect, query and convert HTTP cookie jars (JSON or Netscape cookies.txt).",
    after_long_help = AFTER_HELP,
    after_help = "Exit codes: 0 success, 1 negative answer, 2 usage, 3 file error. More with --help."
)]
struct Cli {
    /// Print one JSON document instead of tables (stable field names and codes).
    #[arg(long, global = true)]
    json: bool,
    /// Show cookie values in store and list output (hidden by default: they are credentials).
    #[arg(long, global = true)]
    show_values: bool,
    /// A public suffix list file to use instead of the bundled one (the
    /// format of publicsuffix.org's public_suffix_list.dat).
    #[arg(long, global = true, value_name = "FILE")]
    psl: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse Set-Cookie values and show their attributes (RFC 6265 section 5.2).
    Parse {
        /// Set-Cookie header values.
        #[arg(required = true)]
        set_cookie: Vec<String>,
    },
    /// Store Set-Cookie values received from a URL into a jar file (created if missing).
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
        session: SessionFlags,
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
        session: SessionFlags,
        /// Write cookies.txt for wget, which reads curl's `#HttpOnly_` lines as comments: HttpOnly cookies become plain lines (the flag is lost).
        #[arg(long)]
        wget: bool,
        /// Write cookies.txt for Python's http.cookiejar, which reads a session cookie's expiry 0 as expired: session cookies get an empty expiry (curl and wget then drop them).
        #[arg(long, conflicts_with = "wget")]
        python: bool,
    },
    /// Replay a browser's HAR export through the jar: every response's Set-Cookie at its recorded time, and for every request the difference between the Cookie header the browser sent and the one the jar would send, with the reason. Exit code 1 if any request differs.
    Har {
        /// The HAR file (HAR 1.2, as browsers' developer tools export it).
        file: PathBuf,
        /// The jar's profile.
        #[arg(long, value_enum, default_value = "rfc6265bis")]
        profile: ProfileArg,
        /// The jar's limits.
        #[arg(long, value_enum, default_value = "browser")]
        limits: LimitsArg,
    },
    /// Import the cookies of a Firefox or Chromium profile into a jar file.
    #[cfg(feature = "browser")]
    Import {
        /// The browser: firefox or chromium (Chromium or Chrome on Linux).
        #[arg(long = "from", value_name = "BROWSER")]
        from: cookiejar::import::Browser,
        /// The profile directory (or the cookie database); default: the browser's default profile.
        #[arg(long, value_name = "DIR")]
        profile: Option<PathBuf>,
        /// Chromium: a file holding the desktop keyring's secret, for values encrypted as v11.
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
        /// Only this site: its registrable domain and every subdomain.
        #[arg(long, value_name = "DOMAIN")]
        domain: Option<String>,
        /// The jar file to write (JSON if it ends in .json, else cookies.txt).
        output: PathBuf,
        /// Output format (default: from the output's extension).
        #[arg(long, value_enum)]
        to: Option<FileFormat>,
        #[command(flatten)]
        session: SessionFlags,
    },
    /// Remove expired cookies from a jar file (session cookies are kept).
    Purge {
        #[command(flatten)]
        jar: JarFile,
        /// Accepted for compatibility: session cookies are always kept.
        #[arg(long, hide = true)]
        keep_session: bool,
    },
}

#[derive(Debug, Args)]
struct JarFile {
    /// The jar file (JSON or Netscape cookies.txt, detected from its content).
    #[cfg_attr(feature = "redis", arg(long, required_unless_present = "redis"))]
    #[cfg_attr(not(feature = "redis"), arg(long, required = true))]
    jar: Option<PathBuf>,
    /// A fleet jar in Redis instead of a file (redis://[:password@]host[:port][/db]); with --jar-name.
    #[cfg(feature = "redis")]
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "jar",
        requires = "jar_name"
    )]
    redis: Option<String>,
    /// The fleet jar's name (its namespace in Redis).
    #[cfg(feature = "redis")]
    #[arg(long, value_name = "NAME", requires = "redis")]
    jar_name: Option<String>,
    /// Skip bad entries (and report them) instead of failing; a command that rewrites the file leaves them out.
    #[arg(long)]
    lenient: bool,
}

#[derive(Debug, Args)]
struct SessionFlags {
    /// Leave session cookies (no expiry) out of the file written; by default they are kept.
    #[arg(long)]
    drop_session: bool,
    /// Accepted for compatibility: session cookies are kept by default.
    #[arg(long, hide = true, conflicts_with = "drop_session")]
    keep_session: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProfileArg {
    /// RFC 6265bis, the library's default.
    Rfc6265bis,
    /// RFC 6265bis and Chromium's choices where they differ.
    Chromium,
    /// RFC 6265 as published in 2011.
    Rfc6265,
    /// RFC 2109.
    Rfc2109,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LimitsArg {
    /// 3000 cookies, 180 per site (what browsers keep).
    Browser,
    /// RFC 6265 section 6.1: 3000, 50 per site.
    Rfc6265,
    /// RFC 2109 section 6.3: 300, 20 per site (the library's default).
    Rfc2109,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FileFormat {
    Json,
    Netscape,
}

fn main() -> ExitCode {
    // `--version` names the bundled public suffix list too: how fresh it is
    // decides which hosting platforms are kept apart.
    let version = format!(
        "{} (public suffix list {})",
        env!("CARGO_PKG_VERSION"),
        cookiejar::PublicSuffixList::BUNDLED_VERSION
    );
    // clap takes a `&'static str`; this runs once per process.
    let version: &'static str = Box::leak(version.into_boxed_str());
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let outcome = match &cli.psl {
        Some(path) => jarfile::use_public_suffix_list(path).and_then(|()| run(&cli)),
        None => run(&cli),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(Failure(code, message)) => {
            output::note(&message);
            ExitCode::from(code)
        }
    }
}

impl JarFile {
    /// The file, or a usage error (with `--redis`, for a command that
    /// does not take a fleet jar).
    fn path(&self) -> Result<&PathBuf, Failure> {
        self.jar
            .as_ref()
            .ok_or_else(|| Failure(2, "this command needs --jar FILE".into()))
    }

    /// The fleet jar, if `--redis` was given.
    #[cfg(feature = "redis")]
    fn fleet(&self) -> Result<Option<cookiejar::FleetJar>, Failure> {
        match (&self.redis, &self.jar_name) {
            (Some(url), Some(name)) => fleet::open(url, name).map(Some),
            _ => Ok(None),
        }
    }
}

fn run(cli: &Cli) -> Result<u8, Failure> {
    let now = OffsetDateTime::now_utc();
    #[cfg(feature = "redis")]
    if let Some(code) = run_fleet(cli, now)? {
        return Ok(code);
    }
    match &cli.command {
        Command::Parse { set_cookie } => Ok(inspect::parse(cli.json, set_cookie)),
        Command::Store {
            jar,
            url,
            set_cookie,
            session,
        } => {
            let url = parse_url(url)?;
            let request = store::Request {
                jar: jar.path()?,
                lenient: jar.lenient,
                url: &url,
                headers: set_cookie,
                keep_session: !session.drop_session,
                show_values: cli.show_values,
                json: cli.json,
            };
            store::run(&request, now)
        }
        Command::Header { jar, url } => {
            inspect::header(cli.json, jar.path()?, jar.lenient, &parse_url(url)?, now)
        }
        Command::Explain {
            jar,
            url,
            cross_site,
        } => {
            let context = if *cross_site {
                RequestContext::default().cross_site()
            } else {
                RequestContext::default()
            };
            inspect::explain(
                cli.json,
                jar.path()?,
                jar.lenient,
                &parse_url(url)?,
                context,
                now,
            )
        }
        Command::List { jar } => {
            inspect::list(cli.json, cli.show_values, jar.path()?, jar.lenient, now)
        }
        Command::Convert {
            input,
            output,
            to,
            lenient,
            session,
            wget,
            python,
        } => {
            let format = match to {
                Some(FileFormat::Json) => Format::Json,
                Some(FileFormat::Netscape) => Format::Netscape,
                None => Format::for_path(output),
            };
            let convert = rewrite::Convert {
                input,
                output,
                format,
                lenient: *lenient,
                keep_session: !session.drop_session,
                dialect: match (*wget, *python) {
                    (true, _) => NetscapeDialect::Wget,
                    (_, true) => NetscapeDialect::Python,
                    _ => NetscapeDialect::Curl,
                },
                json: cli.json,
            };
            rewrite::convert(&convert, now)
        }
        #[cfg(feature = "browser")]
        Command::Import {
            from,
            profile,
            key_file,
            domain,
            output,
            to,
            session,
        } => {
            let request = import::Import {
                browser: *from,
                profile: profile.as_deref(),
                key_file: key_file.as_deref(),
                domain: domain.as_deref(),
                output,
                format: match to {
                    Some(FileFormat::Json) => Format::Json,
                    Some(FileFormat::Netscape) => Format::Netscape,
                    None => Format::for_path(output),
                },
                keep_session: !session.drop_session,
                json: cli.json,
            };
            import::run(&request, now)
        }
        Command::Purge { jar, .. } => rewrite::purge(cli.json, jar.path()?, jar.lenient, now),
        Command::Har {
            file,
            profile,
            limits,
        } => har::run(&har::Replay {
            file,
            profile: match profile {
                ProfileArg::Rfc6265bis => Profile::Rfc6265bis,
                ProfileArg::Chromium => Profile::Chromium,
                ProfileArg::Rfc6265 => Profile::Rfc6265,
                ProfileArg::Rfc2109 => Profile::Rfc2109,
            },
            limits: match limits {
                LimitsArg::Browser => Limits::BROWSER,
                LimitsArg::Rfc6265 => Limits::RFC6265,
                LimitsArg::Rfc2109 => Limits::RFC2109,
            },
            show_values: cli.show_values,
            json: cli.json,
        }),
    }
}

/// The commands on a fleet jar (`--redis`); `None` when there is none.
#[cfg(feature = "redis")]
fn run_fleet(cli: &Cli, now: OffsetDateTime) -> Result<Option<u8>, Failure> {
    let code = match &cli.command {
        Command::Store {
            jar,
            url,
            set_cookie,
            ..
        } => match jar.fleet()? {
            Some(fleet) => fleet::store(cli.json, &fleet, &parse_url(url)?, set_cookie, now)?,
            None => return Ok(None),
        },
        Command::Header { jar, url } => match jar.fleet()? {
            Some(fleet) => fleet::header(cli.json, &fleet, &parse_url(url)?, now),
            None => return Ok(None),
        },
        Command::Explain {
            jar,
            url,
            cross_site,
        } => match jar.fleet()? {
            Some(fleet) => {
                let mut context = RequestContext::default();
                if *cross_site {
                    context = context.cross_site();
                }
                fleet::explain(cli.json, &fleet, &parse_url(url)?, context, now)
            }
            None => return Ok(None),
        },
        Command::List { jar } => match jar.fleet()? {
            Some(fleet) => {
                fleet::list(cli.json, cli.show_values, &fleet);
                0
            }
            None => return Ok(None),
        },
        Command::Purge { jar, .. } if jar.redis.is_some() => {
            return Err(Failure(
                2,
                "purge works on files; a fleet jar purges itself".into(),
            ))
        }
        _ => return Ok(None),
    };
    Ok(Some(code))
}

fn parse_url(url: &str) -> Result<Url, Failure> {
    Url::parse(url).map_err(|e| Failure(2, format!("invalid URL {url:?}: {e}")))
}
