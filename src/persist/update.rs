//! Load-modify-save of a jar file under an exclusive lock, so that
//! processes updating one file at once never lose each other's cookies.

use super::lock::JarFileLock;
use super::{Format, LoadError, LoadErrorKind, LoadOptions, LoadReport, SaveOptions, SaveReport};
use crate::jar::Jar;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use time::OffsetDateTime;

/// How [`Jar::update_file_at`] loads and saves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateOptions {
    /// How the file is loaded into the jar (by default it replaces what the
    /// jar held, and the first bad entry fails the update).
    pub load: LoadOptions,
    /// What is saved.
    pub save: SaveOptions,
    /// The format to save in. `None`: the file's own format, and for a new
    /// file [`Format::for_path`].
    pub format: Option<Format>,
}

/// What [`Jar::update_file_at`] did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Updated<R> {
    /// What the update closure returned.
    pub output: R,
    /// The load, or `None` when there was no file yet.
    pub load: Option<LoadReport>,
    /// The save.
    pub save: SaveReport,
    /// The format the file was saved in.
    pub format: Format,
}

/// Why [`Jar::update_file_at`] failed. The file is unchanged in every case.
#[derive(Debug)]
#[non_exhaustive]
pub enum UpdateError {
    /// The lock file could not be created or locked.
    Lock(io::Error),
    /// The file could not be read or loaded; the update closure did not
    /// run and nothing was saved.
    Load(LoadError),
    /// The new file could not be written.
    Save(io::Error),
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateError::Lock(e) => write!(f, "cannot lock the jar file: {e}"),
            UpdateError::Load(e) => fmt::Display::fmt(e, f),
            UpdateError::Save(e) => write!(f, "cannot write the jar file: {e}"),
        }
    }
}

impl std::error::Error for UpdateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UpdateError::Lock(e) | UpdateError::Save(e) => Some(e),
            UpdateError::Load(e) => Some(e),
        }
    }
}

impl Format {
    /// The format for a new file at `path`: JSON for a `.json` extension
    /// (any case), `cookies.txt` otherwise.
    pub fn for_path(path: impl AsRef<Path>) -> Format {
        match path.as_ref().extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Netscape,
        }
    }
}

impl Jar {
    /// Loads the jar file at `path` into this jar, runs `update` on the
    /// jar, and saves it back, holding an exclusive lock on the file all
    /// the while: processes (and threads) that update one file this way
    /// run one after the other, and none loses another's cookies. A missing
    /// file is an empty jar, created by the save.
    ///
    /// The lock is std's [`File::lock`] (`flock` on Unix, `LockFileEx` on
    /// Windows) on a sidecar file, `<name>.lock` beside the jar file (beside
    /// its target, if it is a symlink), which stays behind, empty. The jar
    /// file itself cannot be the lock: the save renames a new file over it.
    /// The operating system drops the lock when a process dies, so a killed
    /// update never leaves the file locked. The lock is advisory: plain
    /// [`Jar::save_at`] calls do not take it, and overwrite the file as
    /// they always do. Do not update the same file again from inside
    /// `update`: the second lock would wait for the first forever.
    ///
    /// The save is [`Jar::save_at`]'s: atomic, through symlinks, keeping
    /// the old file's owner and group where it can.
    ///
    /// # Errors
    ///
    /// An [`UpdateError`]; the file is then unchanged. In strict mode a
    /// load error leaves this jar unchanged and `update` is not called.
    ///
    /// # Example
    ///
    /// ```
    /// use cookiejar::{Jar, UpdateOptions};
    /// use url::Url;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("cookies.txt");
    /// let url = Url::parse("https://example.com/")?;
    /// let updated = Jar::new().update_file(&path, UpdateOptions::default(), |jar| {
    ///     jar.set_cookie(&url, "sid=1; Max-Age=3600").is_ok()
    /// })?;
    /// assert!(updated.output);
    /// assert_eq!(updated.save.written, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_file_at<R>(
        &mut self,
        path: impl AsRef<Path>,
        options: UpdateOptions,
        now: OffsetDateTime,
        update: impl FnOnce(&mut Jar) -> R,
    ) -> Result<Updated<R>, UpdateError> {
        let path = path.as_ref();
        let _lock = JarFileLock::acquire(path).map_err(UpdateError::Lock)?;
        let existing = file_format(path)
            .map_err(|e| UpdateError::Load(LoadError::new(LoadErrorKind::Io(e), None)))?;
        let load = match existing {
            Some(_) => Some(
                self.load_at(path, options.load, now)
                    .map_err(UpdateError::Load)?,
            ),
            None => {
                if !options.load.merge {
                    self.clear();
                }
                None
            }
        };
        let output = update(self);
        let format = options
            .format
            .or(existing)
            .unwrap_or_else(|| Format::for_path(path));
        let save = self
            .save_at(path, format, options.save, now)
            .map_err(UpdateError::Save)?;
        Ok(Updated {
            output,
            load,
            save,
            format,
        })
    }

    /// [`Jar::update_file_at`] at the system clock's time.
    ///
    /// # Errors
    ///
    /// As [`Jar::update_file_at`].
    pub fn update_file<R>(
        &mut self,
        path: impl AsRef<Path>,
        options: UpdateOptions,
        update: impl FnOnce(&mut Jar) -> R,
    ) -> Result<Updated<R>, UpdateError> {
        self.update_file_at(path, options, OffsetDateTime::now_utc(), update)
    }
}

/// The format of the file at `path` as [`Format::detect_bytes`] sees it
/// from the file's beginning, or `None` when there is no file.
fn file_format(path: &Path) -> io::Result<Option<Format>> {
    /// Enough for any byte-order mark and indentation before the `{`.
    const PREFIX: u64 = 64 * 1024;
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut prefix = Vec::new();
    file.take(PREFIX).read_to_end(&mut prefix)?;
    Ok(Some(Format::detect_bytes(&prefix)))
}
