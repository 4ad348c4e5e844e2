//! The real tools: how each logs in and saves its jar, how each loads a jar
//! and sends its cookies, and whether it is installed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A cookie-handling tool under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Curl,
    Wget,
    /// Python's `http.cookiejar.MozillaCookieJar` with `urllib`.
    Python,
    /// yt-dlp's `YoutubeDLCookieJar`, through `YoutubeDL.urlopen`.
    YtDlp,
}

/// Proxy settings in the environment would send the tools elsewhere, or
/// (`no_proxy=localhost`) around the test server.
const PROXY_VARIABLES: &[&str] = &[
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

fn driver() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tools/drive.py")
}

impl Tool {
    /// The fixture directory name under `testdata/tools/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tool::Curl => "curl",
            Tool::Wget => "wget",
            Tool::Python => "python",
            Tool::YtDlp => "yt-dlp",
        }
    }

    /// The tool's version line, or `None` if it is not installed.
    pub(crate) fn version(self) -> Option<String> {
        let (program, args): (&str, &[&str]) = match self {
            Tool::Curl => ("curl", &["--version"]),
            Tool::Wget => ("wget", &["--version"]),
            Tool::Python => (
                "python3",
                &[
                    "-c",
                    "import http.cookiejar, sys; print('Python', sys.version.split()[0], 'http.cookiejar')",
                ],
            ),
            Tool::YtDlp => (
                "python3",
                &[
                    "-c",
                    "import yt_dlp.version as v; print('yt-dlp', v.__version__)",
                ],
            ),
        };
        let output = Command::new(program).args(args).output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let line = text.lines().next()?;
        // "curl 7.88.1", "GNU Wget 1.21.3": the name and the version, not
        // the libraries and build that follow.
        let words = if matches!(self, Tool::Wget | Tool::Python) {
            3
        } else {
            2
        };
        Some(
            line.split_whitespace()
                .take(words)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// The command that follows the login chain from `url` and saves the
    /// tool's jar to `jar`.
    pub(crate) fn login_command(self, proxy: &str, jar: &Path, url: &str) -> Vec<String> {
        let jar = jar.display().to_string();
        match self {
            Tool::Curl => strings(&[
                "curl",
                "-q",
                "-s",
                "-S",
                // The test server's certificate is self-signed.
                "-k",
                "-f",
                "-x",
                proxy,
                "-L",
                "-b",
                "",
                "-c",
                &jar,
                "-o",
                "/dev/null",
                url,
            ]),
            Tool::Wget => {
                let (http, https) = (
                    format!("http_proxy={proxy}"),
                    format!("https_proxy={proxy}"),
                );
                strings(&[
                    "wget",
                    "--no-config",
                    "-q",
                    "--no-check-certificate",
                    "-e",
                    "use_proxy=on",
                    "-e",
                    &http,
                    "-e",
                    &https,
                    "--save-cookies",
                    &jar,
                    "--keep-session-cookies",
                    "-O",
                    "/dev/null",
                    url,
                ])
            }
            Tool::Python | Tool::YtDlp => self.driver_command(proxy, "login", &jar, &[url]),
        }
    }

    /// The commands that load `jar` and request each URL with its cookies.
    pub(crate) fn probe_commands(self, proxy: &str, jar: &Path, urls: &[&str]) -> Vec<Vec<String>> {
        let jar = jar.display().to_string();
        let (http, https) = (
            format!("http_proxy={proxy}"),
            format!("https_proxy={proxy}"),
        );
        match self {
            Tool::Curl => urls
                .iter()
                .map(|url| {
                    strings(&[
                        "curl",
                        "-q",
                        "-s",
                        "-S",
                        "-k",
                        "-f",
                        "-x",
                        proxy,
                        "-b",
                        &jar,
                        "-o",
                        "/dev/null",
                        url,
                    ])
                })
                .collect(),
            Tool::Wget => urls
                .iter()
                .map(|url| {
                    strings(&[
                        "wget",
                        "--no-config",
                        "-q",
                        "--no-check-certificate",
                        "-e",
                        "use_proxy=on",
                        "-e",
                        &http,
                        "-e",
                        &https,
                        "--load-cookies",
                        &jar,
                        "-O",
                        "/dev/null",
                        url,
                    ])
                })
                .collect(),
            Tool::Python | Tool::YtDlp => vec![self.driver_command(proxy, "probe", &jar, urls)],
        }
    }

    fn driver_command(self, proxy: &str, action: &str, jar: &str, urls: &[&str]) -> Vec<String> {
        let tool = if self == Tool::Python {
            "python"
        } else {
            "ytdlp"
        };
        let mut args = vec![
            "python3".to_string(),
            driver().display().to_string(),
            tool.into(),
            proxy.into(),
            action.into(),
            jar.into(),
        ];
        args.extend(urls.iter().map(|u| u.to_string()));
        args
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Runs a command, panicking with its output if it fails.
pub(crate) fn run(args: &[String]) {
    let (ok, output) = try_run(args);
    assert!(ok, "{} failed:\n{output}", args.join(" "));
}

/// Runs a command: whether it succeeded, and its output.
pub(crate) fn try_run(args: &[String]) -> (bool, String) {
    let (program, rest) = args.split_first().expect("a program");
    let mut command = Command::new(program);
    command.args(rest);
    for variable in PROXY_VARIABLES {
        command.env_remove(variable);
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The tool's version if it is installed. Outside CI a missing tool skips
/// the test with a printed note; under `CI=true`, where `.ci/run` installs
/// every tool, it is a failure.
pub(crate) fn require_tool(tool: Tool) -> Option<String> {
    // python3 runs the test server's proxy for every tool.
    match (tool.version(), Tool::Python.version()) {
        (Some(version), Some(_)) => Some(version),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "CI=true and {} or python3 is not installed (.ci/run installs them)",
                tool.name()
            )
        }
        _ => {
            // Straight to the stream, not eprintln!: the test harness
            // captures that, and the note would not be seen.
            let _ = writeln!(
                std::io::stderr(),
                "note: skipping, {} or python3 is not installed (CI installs them; see .ci/run)",
                tool.name()
            );
            None
        }
    }
}
