//! Reads an input file whole, but never more than a bound: a device that never ends
//! (`/dev/zero`), a FIFO or a file that grows is cut off at the limit instead of exhausting
//! memory, whatever the file system says its size is.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read within its bound.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("is a directory")]
    Directory,
    /// Larger than the limit; the size when the file system knows it.
    #[error("is larger than {limit} bytes")]
    TooLarge { size: Option<u64>, limit: u64 },
}

/// The bytes of the file at `path`, if it holds at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(ReadError::Directory);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(metadata.len()),
            limit,
        });
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_and_large_files_stop_at_the_limit() {
        #[cfg(unix)]
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 1000),
            Err(ReadError::TooLarge { size: None, .. })
        ));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [b'x'; 11]).unwrap();
        assert!(matches!(
            read_bounded(&path, 10),
            Err(ReadError::TooLarge { size: Some(11), .. })
        ));
        assert_eq!(read_bounded(&path, 11).unwrap().len(), 11);
        assert!(matches!(
            read_bounded(dir.path(), 10),
            Err(ReadError::Directory)
        ));
    }
}
