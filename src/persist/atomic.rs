//! Writing a jar file atomically: a private temporary file in the target's
//! directory, flushed to disk, renamed over the old file.
//!
//! - **Temporary names** are `.cj-<16 hex digits>.tmp`: short (a jar whose
//!   own name is 250 bytes long still has a temporary name that fits in a
//!   255-byte file name), and unpredictable (std's randomly seeded hasher
//!   mixed with the pid, the time and a counter), so a name left behind by a
//!   killed process, or planted by another user, never blocks a later save.
//!   The file is created with `create_new` (`O_EXCL`, which also refuses to
//!   follow a planted symlink); a name that exists is retried with a fresh
//!   one, a bounded number of times.
//! - **Stale temporary files** (a save killed mid-write leaves one, as large
//!   as the jar) are removed by the next save into the same directory: only
//!   regular files that match the exact pattern, owned by the same user as
//!   the saving process, and not modified for an hour. No save takes an hour
//!   (the writer keeps the file's mtime fresh while it writes); and if one
//!   did, removing its file only makes its rename fail, so its save reports
//!   an error and the old jar file stays whole. The older name pattern,
//!   `.{name}.{pid}.{counter}.tmp`, is cleaned up the same way.
//! - **Symlinks**: a path that is a symlink is followed to its final target
//!   and the target is replaced, so the link stays a link. Only the last
//!   component is resolved; symlinked directories on the way need nothing.
//! - **Ownership and permissions** (Unix): a new file is 0600. When a file
//!   is replaced, the new one keeps the old owner and group where the
//!   process may set them (root can; an owner can keep a group it belongs
//!   to), and the old owner and group permission bits, never the bits for
//!   others: a save never leaves a cookie file world-readable. If the group
//!   cannot be kept, the group bits are dropped too, so that a group the old
//!   file never granted does not get access; if the owner cannot be kept,
//!   the file becomes the saving user's. A hard link to the old file keeps
//!   the old contents (a rename cannot update every link).

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How many fresh temporary names a save tries before giving up.
const NAME_ATTEMPTS: usize = 16;

/// How long a temporary file must have been left alone before a save
/// removes it as stale.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Symlinks followed before giving up, as Linux's `ELOOP` limit.
const MAX_SYMLINKS: usize = 40;

/// Writes `contents` to `path` (or, if `path` is a symlink, to its target)
/// through a private temporary file in the same directory and an atomic
/// rename.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = resolve_symlinks(path)?;
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the jar path has no file name")
    })?;
    let dir = parent_dir(&target);
    let old = fs::metadata(&target).ok().filter(fs::Metadata::is_file);
    let (mut file, temp) = create_temp(dir)?;
    remove_stale_temp_files(dir, name, &temp, &file);
    let written = match_owner_and_mode(&file, old.as_ref())
        .and_then(|()| file.write_all(contents))
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, &target));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    // Make the rename itself durable (best effort: not every platform can
    // open a directory).
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The directory a path's file is in (`.` for a bare name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Follows `path` while it is a symlink, to the path of the file it names
/// (which need not exist: a dangling link is saved through, creating its
/// target).
pub(crate) fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                // A relative link is relative to the link's directory.
                current = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&current).join(link)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_SYMLINKS} symlinks from {}",
        path.display()
    )))
}

/// Creates a new private temporary file in `dir`, under a fresh name.
fn create_temp(dir: &Path) -> io::Result<(File, PathBuf)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut last = None;
    for _ in 0..NAME_ATTEMPTS {
        let temp = dir.join(temp_name(random_u64()));
        match options.open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file name was free")))
}

/// `.cj-<16 hex digits>.tmp`.
fn temp_name(random: u64) -> String {
    format!(".cj-{random:016x}.tmp")
}

/// Whether `name` is one of [`temp_name`]'s, or an older version's
/// `.{jar_name}.{pid}.{counter}.tmp` for this jar.
fn is_our_temp_name(name: &OsStr, jar_name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let digits = |s: &str, hex: bool| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (hex && matches!(b, b'a'..=b'f')))
    };
    if let Some(hex) = name
        .strip_prefix(".cj-")
        .and_then(|rest| rest.strip_suffix(".tmp"))
    {
        return hex.len() == 16 && digits(hex, true);
    }
    let Some(jar_name) = jar_name.to_str() else {
        return false;
    };
    let legacy = name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(jar_name))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .and_then(|rest| rest.split_once('.'));
    matches!(legacy, Some((pid, counter)) if digits(pid, false) && digits(counter, false))
}

/// Removes stale temporary files from `dir` (see the module docs for which
/// ones); best effort, errors are ignored.
fn remove_stale_temp_files(dir: &Path, jar_name: &OsStr, ours: &Path, our_file: &File) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let our_name: Option<OsString> = ours.file_name().map(OsStr::to_os_string);
    let our_meta = our_file.metadata().ok();
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if Some(&name) == our_name.as_ref() || !is_our_temp_name(&name, jar_name) {
            continue;
        }
        // `DirEntry::metadata` does not follow symlinks.
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old_enough = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && old_enough && same_owner(&meta, our_meta.as_ref()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn same_owner(meta: &fs::Metadata, ours: Option<&fs::Metadata>) -> bool {
    use std::os::unix::fs::MetadataExt;
    ours.is_some_and(|ours| ours.uid() == meta.uid())
}

#[cfg(not(unix))]
fn same_owner(_: &fs::Metadata, _: Option<&fs::Metadata>) -> bool {
    true
}

/// Gives `file` the owner, group and permissions of the file `old`
/// describes, as the module docs say (nothing when there is no old file).
#[cfg(unix)]
pub(crate) fn match_owner_and_mode(file: &File, old: Option<&fs::Metadata>) -> io::Result<()> {
    use std::os::unix::fs::{fchown, MetadataExt, PermissionsExt};
    let Some(old) = old else {
        return Ok(());
    };
    let new = file.metadata()?;
    let mut mode = old.mode() & 0o770;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        let group_kept = fchown(file, Some(old.uid()), Some(old.gid())).is_ok()
            || fchown(file, None, Some(old.gid())).is_ok()
            || new.gid() == old.gid();
        if !group_kept {
            mode &= 0o700;
        }
    }
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub(crate) fn match_owner_and_mode(_: &File, _: Option<&fs::Metadata>) -> io::Result<()> {
    Ok(())
}

/// 64 bits no other process can guess: std's `RandomState` is seeded from
/// the operating system's random source once per thread and changes with
/// every instance; the pid, the time and a counter are mixed in so that two
/// names never repeat even if that seed did.
pub(crate) fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_short_and_recognized() {
        let name = temp_name(random_u64());
        assert_eq!(name.len(), 24);
        assert!(is_our_temp_name(OsStr::new(&name), OsStr::new("jar.txt")));
        assert_ne!(temp_name(random_u64()), temp_name(random_u64()));
    }

    #[test]
    fn only_our_exact_patterns_are_temp_names() {
        let jar = OsStr::new("jar.txt");
        for (name, ours) in [
            (".cj-0123456789abcdef.tmp", true),
            (".jar.txt.1.0.tmp", true),
            (".jar.txt.4242.17.tmp", true),
            (".cj-0123456789ABCDEF.tmp", false),
            (".cj-0123456789abcde.tmp", false),
            (".cj-0123456789abcdef0.tmp", false),
            (".cj-0123456789abcdeg.tmp", false),
            (".cj-0123456789abcdef.lock", false),
            ("cj-0123456789abcdef.tmp", false),
            (".jar.txt.1.tmp", false),
            (".jar.txt.1.x.tmp", false),
            (".jar.txt..0.tmp", false),
            (".other.txt.1.0.tmp", false),
            (".jar.txt.1.0.tmp.bak", false),
            ("jar.txt", false),
        ] {
            assert_eq!(is_our_temp_name(OsStr::new(name), jar), ours, "{name}");
        }
    }
}
