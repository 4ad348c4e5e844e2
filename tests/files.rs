//! The file-writing side: temporary file names and their cleanup, locked
//! load-modify-save across processes, symlinks, ownership and permissions,
//! and saves killed half-way.
//!
//! The processes are this test binary run again: a test named `helper`
//! does nothing unless `COOKIEJAR_FILES_HELPER` tells it what to do.

// Test code: unwrap is the assertion.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cookiejar::{
    Format, Jar, JarFileLock, Limits, LoadOptions, SaveOptions, UpdateError, UpdateOptions,
};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};
use time::macros::datetime;
use time::OffsetDateTime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-01-01 12:00:00 UTC);
const HELPER: &str = "COOKIEJAR_FILES_HELPER";

fn url() -> Url {
    Url::parse("https://example.com/").unwrap()
}

/// A jar without the default limits (20 cookies a domain).
fn big_jar() -> Jar {
    Jar::builder()
        .limits(Limits {
            max_cookies: 1_000_000,
            max_cookies_per_domain: 1_000_000,
            ..Limits::default()
        })
        .build()
}

fn jar_with(names: impl IntoIterator<Item = String>) -> Jar {
    let mut jar = big_jar();
    for name in names {
        jar.set_cookie_at(&url(), &format!("{name}=v; Max-Age=99999"), NOW)
            .unwrap();
    }
    jar
}

fn names_in(path: &Path) -> Vec<String> {
    let mut jar = big_jar();
    jar.load_at(path, LoadOptions::default(), NOW).unwrap();
    let mut names: Vec<String> = jar.iter().map(|c| c.name().to_owned()).collect();
    names.sort();
    names
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn temp_files(dir: &Path) -> Vec<String> {
    dir_names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".cj-") && n.ends_with(".tmp"))
        .collect()
}

fn set_age(path: &Path, age: Duration) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

/// Runs this test binary as a helper process doing `task`.
fn helper_command(task: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "helper", "--nocapture", "--test-threads=1", "-q"])
        .env(HELPER, task);
    command
}

/// The helper processes' side: `update <path> <first> <count>` adds
/// cookies `p<first>`.. one locked update each; `save-loop <path> <n>`
/// prints its pids and then saves a jar of `n` cookies forever;
/// `save-once <path> <n>` saves it once and prints the pid it saw.
#[test]
fn helper() {
    let Ok(task) = std::env::var(HELPER) else {
        return;
    };
    let words: Vec<&str> = task.split(' ').collect();
    let path = Path::new(words[1]);
    let number = |i: usize| words[i].parse::<usize>().unwrap();
    match words[0] {
        "update" => {
            for i in number(2)..number(2) + number(3) {
                big_jar()
                    .update_file_at(path, UpdateOptions::default(), NOW, |jar| {
                        jar.set_cookie_at(&url(), &format!("p{i:03}=v; Max-Age=99999"), NOW)
                            .unwrap();
                    })
                    .unwrap();
            }
        }
        "save-loop" | "save-once" => {
            let jar = jar_with((0..number(2)).map(|i| format!("c{i}_{}", "v".repeat(3000))));
            // The pid outside the namespace (first of `NSpid`), to kill by.
            let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
            let host_pid = status
                .lines()
                .find_map(|l| l.strip_prefix("NSpid:"))
                .and_then(|p| p.split_whitespace().next().map(str::to_owned))
                .unwrap_or_else(|| std::process::id().to_string());
            loop {
                jar.save_at(path, Format::Netscape, SaveOptions::default(), NOW)
                    .unwrap();
                println!("saved pid={} host_pid={host_pid}", std::process::id());
                if words[0] == "save-once" {
                    break;
                }
            }
        }
        other => panic!("unknown helper task {other}"),
    }
}

#[test]
fn many_processes_updating_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.txt");
    const PROCESSES: usize = 20;
    const EACH: usize = 3;
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            helper_command(&format!("update {} {} {EACH}", path.display(), p * EACH))
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let expected: Vec<String> = (0..PROCESSES * EACH).map(|i| format!("p{i:03}")).collect();
    assert_eq!(names_in(&path), expected);
    assert_eq!(dir_names(dir.path()), ["shared.txt", "shared.txt.lock"]);
}

#[test]
fn many_threads_updating_one_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.json");
    std::thread::scope(|s| {
        for t in 0..4 {
            let path = &path;
            s.spawn(move || {
                for i in 0..10 {
                    big_jar()
                        .update_file_at(path, UpdateOptions::default(), NOW, |jar| {
                            jar.set_cookie_at(&url(), &format!("t{t}_{i}=v; Max-Age=99999"), NOW)
                                .unwrap();
                        })
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(names_in(&path).len(), 40);
}

#[test]
fn the_lock_is_held_on_the_sidecar_until_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jar.txt");
    let other = || fs::File::open(dir.path().join("jar.txt.lock")).unwrap();
    let lock = JarFileLock::acquire(&path).unwrap();
    assert!(matches!(
        other().try_lock(),
        Err(fs::TryLockError::WouldBlock)
    ));
    drop(lock);
    other().try_lock().unwrap();
    // An update takes the same lock: it is free again once it returns.
    big_jar()
        .update_file_at(&path, UpdateOptions::default(), NOW, |_| {
            assert!(matches!(
                other().try_lock(),
                Err(fs::TryLockError::WouldBlock)
            ));
        })
        .unwrap();
    other().try_lock().unwrap();
    assert!(!path.exists() || names_in(&path).is_empty());
}

#[test]
fn updates_create_load_keep_the_format_and_report() {
    let dir = tempfile::tempdir().unwrap();
    // A new file gets the format of its extension (JSON only with the
    // feature), and a missing file is an empty jar, even for a jar that
    // held cookies (the default load replaces).
    let path = dir.path().join("new.json");
    let mut jar = jar_with(["old".to_owned()]);
    let result = jar.update_file_at(&path, UpdateOptions::default(), NOW, |jar| {
        jar.set_cookie_at(&url(), "a=1; Max-Age=99999", NOW)
            .unwrap();
        jar.len()
    });
    if cfg!(not(feature = "json")) {
        assert!(matches!(result, Err(UpdateError::Save(_))));
        return;
    }
    let updated = result.unwrap();
    assert_eq!(updated.output, 1);
    assert!(updated.load.is_none());
    assert_eq!(updated.format, Format::Json);
    assert_eq!(updated.save.written, 1);
    assert!(fs::read_to_string(&path).unwrap().starts_with('{'));

    // An existing file keeps its own format whatever its name says, is
    // loaded (the report says so), and merges when asked.
    let txt = dir.path().join("cookies.json.bak");
    jar_with(["x".to_owned()])
        .save_at(&txt, Format::Json, SaveOptions::default(), NOW)
        .unwrap();
    let mut jar = jar_with(["mine".to_owned()]);
    let options = UpdateOptions {
        load: LoadOptions {
            merge: true,
            ..LoadOptions::default()
        },
        ..UpdateOptions::default()
    };
    let updated = jar.update_file_at(&txt, options, NOW, |_| ()).unwrap();
    assert_eq!(updated.format, Format::Json);
    assert_eq!(updated.load.unwrap().loaded, 1);
    assert_eq!(names_in(&txt), ["mine", "x"]);

    // An explicit format converts.
    let options = UpdateOptions {
        format: Some(Format::Netscape),
        ..UpdateOptions::default()
    };
    let updated = big_jar()
        .update_file_at(&txt, options, NOW, |_| ())
        .unwrap();
    assert_eq!(updated.format, Format::Netscape);
    assert!(fs::read_to_string(&txt).unwrap().starts_with('#'));
    assert_eq!(names_in(&txt), ["mine", "x"]);

    assert_eq!(Format::for_path("a/b.JSON"), Format::Json);
    assert_eq!(Format::for_path("cookies.txt"), Format::Netscape);
    assert_eq!(Format::for_path("json"), Format::Netscape);
}

#[test]
fn a_failed_load_runs_nothing_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    let bad = "example.com\tFALSE\t/\tFALSE\n";
    fs::write(&path, bad).unwrap();
    let mut jar = jar_with(["kept".to_owned()]);
    let mut called = false;
    let result = jar.update_file_at(&path, UpdateOptions::default(), NOW, |_| called = true);
    let error = result.unwrap_err();
    assert!(matches!(error, UpdateError::Load(_)), "{error:?}");
    assert!(error.to_string().contains("line 1"), "{error}");
    assert!(!called);
    assert_eq!(fs::read_to_string(&path).unwrap(), bad);
    assert_eq!(
        jar.len(),
        1,
        "a strict load failure leaves the jar as it was"
    );

    // A path that is a directory cannot be read.
    let error = big_jar()
        .update_file_at(dir.path(), UpdateOptions::default(), NOW, |_| ())
        .unwrap_err();
    assert!(matches!(error, UpdateError::Load(_)), "{error:?}");
    // A directory that does not exist cannot hold the lock file.
    let error = big_jar()
        .update_file_at(
            dir.path().join("no/jar.txt"),
            UpdateOptions::default(),
            NOW,
            |_| (),
        )
        .unwrap_err();
    assert!(matches!(error, UpdateError::Lock(_)), "{error:?}");
}

#[test]
fn long_file_names_can_be_saved_and_updated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j".repeat(250));
    jar_with(["a".to_owned()])
        .save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
        .unwrap();
    big_jar()
        .update_file_at(&path, UpdateOptions::default(), NOW, |jar| {
            jar.set_cookie_at(&url(), "b=1; Max-Age=99999", NOW)
                .unwrap();
        })
        .unwrap();
    assert_eq!(names_in(&path), ["a", "b"]);
    let longest = dir.path().join("k".repeat(255));
    big_jar()
        .update_file_at(&longest, UpdateOptions::default(), NOW, |_| ())
        .unwrap();
    assert_eq!(
        dir_names(dir.path()).len(),
        4,
        "two jars and two lock files"
    );
}

#[test]
fn stale_temporary_files_are_removed_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jar.txt");
    let hour = Duration::from_secs(3600);
    let files = [
        (".cj-0123456789abcdef.tmp", 2 * hour, false),
        (".jar.txt.1.0.tmp", 2 * hour, false),
        (".jar.txt.77.12.tmp", 3 * hour, false),
        (".cj-fedcba9876543210.tmp", Duration::from_secs(60), true),
        (".jar.txt.1.1.tmp", Duration::from_secs(60), true),
        (".cj-notours.tmp", 2 * hour, true),
        (".other.txt.1.0.tmp", 2 * hour, true),
        (".cj-0123456789abcdef.lock", 2 * hour, true),
        ("jar.txt.lock", 2 * hour, true),
    ];
    for (name, age, _) in files {
        fs::write(dir.path().join(name), b"left over").unwrap();
        set_age(&dir.path().join(name), age);
    }
    // A directory with our pattern is not ours to remove.
    fs::create_dir(dir.path().join(".cj-00000000000000aa.tmp")).unwrap();
    jar_with(["a".to_owned()])
        .save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
        .unwrap();
    let mut expected: Vec<String> = files
        .iter()
        .filter(|(_, _, kept)| *kept)
        .map(|(name, _, _)| (*name).to_owned())
        .collect();
    expected.push(".cj-00000000000000aa.tmp".into());
    expected.push("jar.txt".into());
    expected.sort();
    assert_eq!(dir_names(dir.path()), expected);
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn saving_through_a_symlink_replaces_the_target_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let target = real_dir.join("jar.txt");
        jar_with(["old".to_owned()])
            .save_at(&target, Format::Netscape, SaveOptions::default(), NOW)
            .unwrap();
        // A relative link, and a chain of two links to it.
        let link = dir.path().join("link.txt");
        symlink("real/jar.txt", &link).unwrap();
        let chain = dir.path().join("chain.txt");
        symlink(&link, &chain).unwrap();
        for (via, name) in [(&link, "one"), (&chain, "two")] {
            jar_with([name.to_owned()])
                .save_at(via, Format::Netscape, SaveOptions::default(), NOW)
                .unwrap();
            assert!(fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert!(fs::symlink_metadata(&chain)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(names_in(&target), [name]);
        }
        // Updates lock beside the target, so every link shares one lock.
        big_jar()
            .update_file_at(&chain, UpdateOptions::default(), NOW, |jar| {
                jar.set_cookie_at(&url(), "three=1; Max-Age=99999", NOW)
                    .unwrap();
            })
            .unwrap();
        assert_eq!(names_in(&target), ["three", "two"]);
        assert_eq!(dir_names(&real_dir), ["jar.txt", "jar.txt.lock"]);
        assert_eq!(dir_names(dir.path()), ["chain.txt", "link.txt", "real"]);

        // A dangling link is saved through: its target is created.
        let dangling = dir.path().join("dangling.txt");
        symlink("real/new.txt", &dangling).unwrap();
        jar_with(["n".to_owned()])
            .save_at(&dangling, Format::Netscape, SaveOptions::default(), NOW)
            .unwrap();
        assert!(fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(names_in(&real_dir.join("new.txt")), ["n"]);

        // A loop is an error, not a hang.
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        symlink(&b, &a).unwrap();
        symlink(&a, &b).unwrap();
        assert!(big_jar()
            .save_at(&a, Format::Netscape, SaveOptions::default(), NOW)
            .is_err());
    }

    #[test]
    fn a_replaced_file_keeps_owner_and_group_bits_but_never_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jar.txt");
        let jar = jar_with(["a".to_owned()]);
        let save = || {
            jar.save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
                .unwrap()
        };
        save();
        assert_eq!(mode(&path), 0o600, "a new file is private");
        for (before, after) in [
            (0o640, 0o640),
            (0o660, 0o660),
            (0o644, 0o640),
            (0o606, 0o600),
            (0o400, 0o400),
            (0o4755, 0o750),
        ] {
            fs::set_permissions(&path, fs::Permissions::from_mode(before)).unwrap();
            save();
            assert_eq!(mode(&path), after, "{before:o}");
        }
    }

    /// Only root may give a file to another user: the case where a save
    /// by root used to leave someone else's 0640 file root-owned and 0600.
    #[test]
    fn a_save_by_root_keeps_another_users_file_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jar.txt");
        let jar = jar_with(["a".to_owned()]);
        jar.save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
            .unwrap();
        let nobody = 65534;
        if std::os::unix::fs::chown(&path, Some(nobody), Some(nobody)).is_err() {
            eprintln!("note: skipping, not root (cannot chown)");
            return;
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        jar.save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
            .unwrap();
        let meta = fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (nobody, nobody));
        assert_eq!(mode(&path), 0o640);
        // The lock file an update by root creates is theirs too, so that
        // it does not lock them out of their own jar.
        big_jar()
            .update_file_at(&path, UpdateOptions::default(), NOW, |_| ())
            .unwrap();
        let lock = dir.path().join("jar.txt.lock");
        let meta = fs::metadata(&lock).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (nobody, nobody));
        assert_eq!(mode(&lock), 0o640);
        let meta = fs::metadata(&path).unwrap();
        assert_eq!(
            (meta.uid(), meta.gid(), mode(&path)),
            (nobody, nobody, 0o640)
        );
    }

    fn unshare_works() -> bool {
        Command::new("unshare")
            .args(["--pid", "--fork", "--kill-child", "true"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Runs the helper as pid 1 of a new pid namespace.
    fn as_pid_1(task: &str) -> Command {
        let helper = helper_command(task);
        let mut command = Command::new("unshare");
        command
            .args(["--pid", "--fork", "--kill-child"])
            .arg(helper.get_program())
            .args(helper.get_args())
            .env(HELPER, task);
        command
    }

    /// SIGKILLs a process in the middle of saving, again and again, each
    /// time as pid 1 of a fresh pid namespace (as in a container), then
    /// saves again as pid 1: every save succeeds, the jar file is always
    /// whole, and the next save removes what the kills left once it is old.
    #[test]
    fn saves_killed_half_way_never_block_the_next_or_tear_the_file() {
        if !unshare_works() {
            eprintln!("note: skipping, `unshare --pid --fork` is not available");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jar.txt");
        const COOKIES: usize = 1000;
        let task = format!("save-loop {} {COOKIES}", path.display());
        let mut leftovers = 0;
        let mut kills = 0;
        while kills < 30 && (kills < 8 || leftovers < 2) {
            let mut child = as_pid_1(&task).stdout(Stdio::piped()).spawn().unwrap();
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            // libtest's own lines come first.
            let first = lines
                .find_map(|l| l.ok().filter(|l| l.starts_with("saved ")))
                .expect("the helper saved");
            assert!(first.starts_with("saved pid=1 "), "{first}");
            let host_pid = first.rsplit("host_pid=").next().unwrap().to_owned();
            // Kill it once its next save has created its temporary file.
            let before = temp_files(dir.path()).len();
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while temp_files(dir.path()).len() == before && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_micros(200));
            }
            let killed = Command::new("kill")
                .args(["-KILL", &host_pid])
                .status()
                .unwrap();
            assert!(killed.success());
            kills += 1;
            drop(lines);
            // unshare exits once its child is dead and reaped.
            child.wait().unwrap();
            leftovers = temp_files(dir.path()).len();
            assert_eq!(names_in(&path).len(), COOKIES, "the jar file is whole");
        }
        assert!(
            leftovers >= 1,
            "no kill landed inside a save in {kills} tries"
        );
        // The name the old scheme gave pid 1's first save, which used to
        // fail every later save of pid 1 with `File exists`.
        fs::write(dir.path().join(".jar.txt.1.0.tmp"), b"left over").unwrap();
        for _ in 0..2 {
            let output = as_pid_1(&format!("save-once {} 3", path.display()))
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            assert!(String::from_utf8_lossy(&output.stdout).contains("saved pid=1 "));
            assert_eq!(names_in(&path).len(), 3);
        }
        // An hour later, the next save removes every leftover.
        let mut old: Vec<PathBuf> = temp_files(dir.path())
            .iter()
            .map(|n| dir.path().join(n))
            .collect();
        old.push(dir.path().join(".jar.txt.1.0.tmp"));
        for file in &old {
            set_age(file, Duration::from_secs(2 * 3600));
        }
        jar_with(["z".to_owned()])
            .save_at(&path, Format::Netscape, SaveOptions::default(), NOW)
            .unwrap();
        assert_eq!(dir_names(dir.path()), ["jar.txt"]);
        eprintln!("{kills} kills left {leftovers} temporary files, all removed");
    }
}
