//! A browser's cookie database, read from a private copy.
//!
//! A running browser holds its database open: Firefox in WAL mode with the
//! newest rows still in `cookies.sqlite-wal`, Chromium with an exclusive
//! lock. Opening the original could fail with "database is locked" or,
//! worse, miss the rows in the WAL. So the database and its `-wal` and
//! `-journal` files are copied into a new private directory (mode 0700) and
//! the copy is opened; SQLite then replays the WAL (or rolls back a hot
//! journal) on the copy, as the browser would on its next start. The `-shm`
//! file is not copied: it is only an index of the WAL, which SQLite rebuilds,
//! and a stale one copied mid-write could mislead it.

use super::{ImportError, ImportErrorKind};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Row};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The largest database (with its WAL) that an import copies: a profile
/// with 100,000 cookies is about 40 MB.
pub(crate) const MAX_DATABASE_BYTES: u64 = 1 << 30;

/// A private copy of a database, removed when dropped.
#[derive(Debug)]
pub(crate) struct Copy {
    dir: PathBuf,
    pub(crate) connection: Connection,
}

impl Drop for Copy {
    fn drop(&mut self) {
        // Best effort: the directory is private and in the temp directory.
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn io_error(path: &Path, e: std::io::Error) -> ImportError {
    ImportError::new(ImportErrorKind::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

/// Runs `query` on the copy and hands every row, its first `N` columns
/// read, to `each`: the one row loop of both browsers' readers.
pub(crate) fn for_each_row<const N: usize>(
    copy: &Copy,
    db: &Path,
    query: &str,
    mut each: impl FnMut([Field; N]),
) -> Result<(), ImportError> {
    let mut statement = copy
        .connection
        .prepare(query)
        .map_err(|e| sqlite_error(db, &e))?;
    let mut rows = statement.query([]).map_err(|e| sqlite_error(db, &e))?;
    while let Some(row) = rows.next().map_err(|e| sqlite_error(db, &e))? {
        each(std::array::from_fn(|i| Field::read(row, i)));
    }
    Ok(())
}

/// A database whose table or column the reader needs is missing.
pub(crate) fn unknown_schema(db: &Path, missing: &str) -> ImportError {
    ImportError::new(ImportErrorKind::UnknownSchema {
        path: db.to_path_buf(),
        missing: missing.to_owned(),
    })
}

pub(crate) fn sqlite_error(path: &Path, e: &rusqlite::Error) -> ImportError {
    // rusqlite's messages name SQL and columns, never a row's values (no
    // value is ever bound into a query here).
    let message = match e {
        rusqlite::Error::SqliteFailure(f, Some(m)) => format!("{m} ({:?})", f.code),
        other => other.to_string(),
    };
    ImportError::new(ImportErrorKind::Database {
        path: path.to_path_buf(),
        message,
    })
}

fn private_dir() -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let mut last = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!(
            "cookiejar-import-{}-{n}-{nanos}",
            std::process::id()
        ));
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary directory")))
}

/// Copies `db` (and its `-wal` and `-journal`, where they exist) and opens
/// the copy.
///
/// # Errors
///
/// `NotFound` if `db` does not exist, `Io` if it cannot be read, `TooLarge`
/// over [`MAX_DATABASE_BYTES`], `Database` if SQLite cannot open the copy.
pub(crate) fn open_copy(db: &Path) -> Result<Copy, ImportError> {
    let meta = match fs::metadata(db) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ImportError::new(ImportErrorKind::NoDatabase {
                path: db.to_path_buf(),
            }))
        }
        Err(e) => return Err(io_error(db, e)),
    };
    if !meta.is_file() {
        return Err(ImportError::new(ImportErrorKind::NoDatabase {
            path: db.to_path_buf(),
        }));
    }
    let file_name = db.file_name().unwrap_or_default().to_os_string();
    let sidecar = |suffix: &str| {
        let mut name = file_name.clone();
        name.push(suffix);
        db.with_file_name(name)
    };
    let wal = sidecar("-wal");
    let wal_len = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if meta.len().saturating_add(wal_len) > MAX_DATABASE_BYTES {
        return Err(ImportError::new(ImportErrorKind::TooLarge {
            path: db.to_path_buf(),
            limit: MAX_DATABASE_BYTES,
        }));
    }
    let dir = private_dir().map_err(|e| io_error(&std::env::temp_dir(), e))?;
    // From here on the directory is removed on every path, with the copy.
    let target = dir.join("cookies.db");
    let copy_one = |from: &Path, to: &Path, required: bool| match fs::copy(from, to) {
        Ok(_) => Ok(()),
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(from, e)),
    };
    let copied = copy_one(db, &target, true)
        .and_then(|()| copy_one(&wal, &dir.join("cookies.db-wal"), false))
        .and_then(|()| copy_one(&sidecar("-journal"), &dir.join("cookies.db-journal"), false));
    if let Err(e) = copied {
        let _ = fs::remove_dir_all(&dir);
        return Err(e);
    }
    // Read-write: replaying a WAL or rolling back a hot journal writes to
    // the copy (never to the browser's files).
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    match Connection::open_with_flags(&target, flags) {
        Ok(connection) => {
            let copy = Copy { dir, connection };
            // A file that is not a database fails here, at the first read.
            copy.connection
                .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                .map_err(|e| sqlite_error(db, &e))?;
            Ok(copy)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&dir);
            Err(sqlite_error(db, &e))
        }
    }
}

/// The columns of `table`, lower-cased, in order; empty if there is no
/// such table.
pub(crate) fn columns(
    connection: &Connection,
    table: &str,
    db: &Path,
) -> Result<Vec<String>, ImportError> {
    let mut statement = connection
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .map_err(|e| sqlite_error(db, &e))?;
    let names = statement
        .query_map([table], |row| row.get::<_, String>(0))
        .map_err(|e| sqlite_error(db, &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sqlite_error(db, &e))?;
    Ok(names.into_iter().map(|n| n.to_ascii_lowercase()).collect())
}

/// A `SELECT` of `wanted` columns from `table`, with `NULL` for those the
/// table does not have (optional columns of other browser versions), and
/// an error naming the first missing one of `required`.
pub(crate) fn select(
    table: &str,
    present: &[String],
    wanted: &[&str],
    required: &[&str],
) -> Result<String, String> {
    if let Some(missing) = required.iter().find(|c| !present.iter().any(|p| p == *c)) {
        return Err((*missing).to_owned());
    }
    let list: Vec<String> = wanted
        .iter()
        .map(|c| {
            if present.iter().any(|p| p == c) {
                format!("\"{c}\"")
            } else {
                "NULL".to_owned()
            }
        })
        .collect();
    Ok(format!("SELECT {} FROM \"{table}\"", list.join(", ")))
}

/// A column's value as the decoders take it, whatever type SQLite stored
/// (its columns are typed by value, not by declaration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    Null,
    Int(i64),
    Bytes(Vec<u8>),
}

impl Field {
    pub(crate) fn read(row: &Row<'_>, index: usize) -> Field {
        match row.get_ref(index) {
            Ok(ValueRef::Integer(i)) => Field::Int(i),
            // SQLite's REAL for an integer column: an odd writer, or an
            // old schema; truncated (saturating) as SQLite's CAST does.
            Ok(ValueRef::Real(r)) => Field::Int(r as i64),
            Ok(ValueRef::Text(t) | ValueRef::Blob(t)) => Field::Bytes(t.to_vec()),
            Ok(ValueRef::Null) | Err(_) => Field::Null,
        }
    }

    /// An integer column: text digits are read as SQLite's affinity would.
    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Field::Int(i) => Some(*i),
            Field::Bytes(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
            Field::Null => None,
        }
    }

    /// A text column as UTF-8; `None` if it is not.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Field::Bytes(b) => String::from_utf8(b.clone()).ok(),
            Field::Int(i) => Some(i.to_string()),
            Field::Null => None,
        }
    }

    /// A blob column's bytes (empty for `NULL`).
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Field::Bytes(b) => b,
            _ => &[],
        }
    }
}
