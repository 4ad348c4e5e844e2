//! An exclusive lock on a jar file, across processes, for load-modify-save.
//!
//! The lock is taken on a sidecar file next to the jar, `<name>.lock`
//! (`.cj-<16 hex digits of a hash of the name>.lock` when that would be
//! longer than 255 bytes), never on the jar file itself: a save replaces
//! the jar file by renaming a new one over it, so a lock on the old file
//! would stop protecting anything the moment the first holder saved, and a
//! process waiting on it would wake up holding a lock on a file no one uses
//! any more. The sidecar is never renamed or removed (removing a lock file
//! races with a process that has just opened it), so it stays behind,
//! empty, after the first locked update.
//!
//! The lock is std's [`File::lock`]: `flock` on Unix, `LockFileEx` on
//! Windows. The operating system drops it when the process dies, so a
//! killed process never leaves a jar locked. It is advisory: it orders the
//! processes that take it ([`Jar::update_file_at`](crate::Jar::update_file_at)
//! and the CLI), not plain [`Jar::save_at`](crate::Jar::save_at) calls. Each
//! call opens its own lock file, so two threads of one process exclude
//! each other too; a thread that takes it twice for one jar waits forever.
//! `flock` over NFS depends on the server.

use super::atomic::{match_owner_and_mode, parent_dir, resolve_symlinks};
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The longest file name most file systems allow.
const NAME_MAX: usize = 255;

/// An exclusive lock on a jar file, across processes and threads, held
/// until it is dropped: for a load-modify-save that
/// [`Jar::update_file_at`](crate::Jar::update_file_at) does not fit (that
/// call takes this lock itself; do not take both for one file).
///
/// The lock is on a sidecar file, `<name>.lock` beside the jar file (beside
/// its target, if the path is a symlink, so that every link to one file
/// shares one lock), which stays behind, empty; a name too long for that
/// gets `.cj-<16 hex digits>.lock`. It is std's [`File::lock`]: `flock` on
/// Unix, `LockFileEx` on Windows, dropped by the operating system when the
/// process dies. It is advisory: it orders the processes that take it, not
/// plain saves.
///
/// ```
/// use cookiejar::{Format, Jar, JarFileLock, LoadOptions, SaveOptions};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("cookies.txt");
/// let _lock = JarFileLock::acquire(&path)?;
/// let mut jar = Jar::new();
/// jar.load_or_empty(&path, LoadOptions::default())?;
/// // ... change the jar ...
/// jar.save(&path, Format::Netscape, SaveOptions::default())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JarFileLock {
    _file: File,
}

impl JarFileLock {
    /// Waits for and takes the lock for the jar file at `path` (which need
    /// not exist yet).
    ///
    /// # Errors
    ///
    /// The lock file cannot be created or opened (the directory does not
    /// exist, no permission), or locking failed.
    pub fn acquire(path: impl AsRef<Path>) -> io::Result<JarFileLock> {
        let target = resolve_symlinks(path.as_ref())?;
        let lock_path = lock_path(&target)?;
        let file = open_or_create(&lock_path, &target)?;
        file.lock()?;
        Ok(JarFileLock { _file: file })
    }
}

/// Opens the lock file, creating it if need be. A new lock file gets the
/// jar file's owner, group and permissions as a save would give them, so
/// that whoever may update the jar may take its lock: a lock file that
/// root created for another user's jar must not lock that user out. An
/// existing one is opened for reading only if it cannot be opened for
/// writing (a shared lock file of another owner); either can be locked.
fn open_or_create(lock_path: &Path, target: &Path) -> io::Result<File> {
    let mut create = OpenOptions::new();
    create.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    match create.open(lock_path) {
        Ok(file) => {
            let jar = fs::metadata(target).ok().filter(fs::Metadata::is_file);
            match_owner_and_mode(&file, jar.as_ref())?;
            return Ok(file);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    match OpenOptions::new().read(true).write(true).open(lock_path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => File::open(lock_path),
        opened => opened,
    }
}

/// The sidecar lock file's path for the jar file at `target`.
pub(crate) fn lock_path(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the jar path has no file name")
    })?;
    let mut lock_name = OsString::from(name);
    lock_name.push(".lock");
    if lock_name.len() > NAME_MAX {
        lock_name = format!(".cj-{:016x}.lock", fnv1a(name.as_encoded_bytes())).into();
    }
    Ok(parent_dir(target).join(lock_name))
}

/// FNV-1a: a fixed hash, the same in every process and every build (std's
/// hashers promise neither), for the long-name lock file.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_sit_beside_the_jar_with_names_that_fit() {
        assert_eq!(
            lock_path(Path::new("dir/jar.txt")).unwrap(),
            Path::new("dir/jar.txt.lock")
        );
        assert_eq!(
            lock_path(Path::new("jar.txt")).unwrap(),
            Path::new("./jar.txt.lock")
        );
        let long = "j".repeat(251);
        let path = lock_path(Path::new(&long)).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name, format!(".cj-{:016x}.lock", fnv1a(long.as_bytes())));
        assert_eq!(name.len(), 25);
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        // The published FNV-1a test vector.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert!(lock_path(Path::new("/")).is_err());
    }
}
