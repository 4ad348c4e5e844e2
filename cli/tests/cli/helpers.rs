//! What every test file uses: the binary, its output, the sample jar.

use assert_cmd::Command;

/// The command under test.
pub(crate) fn cookiejar() -> Command {
    Command::cargo_bin("cookiejar").unwrap()
}

/// Its stdout.
pub(crate) fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// Runs the command: exit code, stdout, stderr.
pub(crate) fn run(args: &[&str]) -> (i32, String, String) {
    let out = cookiejar().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Parsed JSON output.
pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

pub(crate) const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/jars/browser-export.txt"
);
