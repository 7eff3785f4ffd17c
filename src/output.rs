//! Writes output files atomically: a temporary file beside the target, then a rename, so a
//! failed run never leaves a partial file nor clobbers an earlier one.

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write the output: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` all at once or not at all.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |w| {
        w.write_all(bytes).map_err(|source| OutputError {
            path: path.to_path_buf(),
            source,
        })
    })
}

/// Streams into `path` all at once or not at all: `fill` writes into a buffered temporary
/// file beside it, renamed over `path` only if `fill` succeeds (a large sweep's CSV is
/// written this way without being held in memory).
pub fn write_atomic_with<E: From<OutputError>>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let fail = |source| OutputError {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(fail(std::io::Error::other("is a directory")).into());
    }
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    {
        let mut buffered = std::io::BufWriter::new(&mut temp);
        fill(&mut buffered)?;
        buffered.flush().map_err(fail)?;
    }
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn streamed_write_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"earlier").unwrap();
        let failed = write_atomic_with(&path, |w| {
            w.write_all(b"partial").map_err(|source| OutputError {
                path: path.clone(),
                source,
            })?;
            Err(OutputError {
                path: path.clone(),
                source: std::io::Error::other("stopped"),
            })
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"earlier");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_with::<OutputError>(&path, |w| {
            w.write_all(b"streamed").map_err(|source| OutputError {
                path: path.clone(),
                source,
            })
        })
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"streamed");
    }

    #[test]
    fn missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/out.csv");
        assert!(write_atomic(&path, b"x").is_err());
    }
}
