//! Writes output files atomically: a temporary file beside the target, then a rename, so a
//! failed or interrupted run never leaves a partial file nor clobbers an earlier one; and
//! never over an input ([`guard`]) or a special file ([`target`]).

pub mod cleanup;
pub mod guard;
pub mod set;
pub mod target;

use std::io::Write;
use std::path::{Path, PathBuf};
use target::How;

#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write the output: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` all at once or not at all.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams output to `path` through `write`, all at once or not at all (large files such as
/// Monte Carlo samples are written without being held in memory).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let mut pending = Pending::create(path)?;
    pending.write_with(write)?;
    pending.commit()
}

/// Streams into `path` all at once or not at all, for writers whose errors are their own
/// (`E`): `fill` writes into the temporary file, renamed over `path` only if `fill` succeeds
/// (a large sweep's CSV is written this way without being held in memory).
pub fn write_atomic_fill<E: From<OutputError>>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let mut pending = Pending::create(path)?;
    let mut failure = None;
    pending
        .write_with(|w| {
            fill(w).map_err(|e| {
                failure = Some(e);
                std::io::Error::other("the writer failed")
            })
        })
        .map_err(|e| failure.take().unwrap_or_else(|| E::from(e)))?;
    Ok(pending.commit()?)
}

/// An output file being written: a temporary file beside its target until [`Pending::commit`]
/// renames it into place. Dropped uncommitted (an error on the way), it is deleted and the
/// target is left as it was. A command with several outputs creates them all before its work
/// (so a bad path fails at once), writes them all, then commits them all.
///
/// The target is what the path names once symbolic links are followed ([`target::resolve`]):
/// a regular file keeps its permissions, a hard-linked file is rewritten in place once the
/// output is complete (every name sees it), a FIFO or device is written straight into, and a
/// read-only file is refused. Temporary files are removed if the process is interrupted
/// ([`cleanup`]).
pub struct Pending {
    path: PathBuf,
    sink: Sink,
}

enum Sink {
    /// Written into `temp`, then renamed over `target` or, `in_place`, copied into it.
    Staged {
        temp: Option<tempfile::NamedTempFile>,
        target: PathBuf,
        in_place: bool,
    },
    /// A FIFO or device, written as the content is made.
    Direct(std::fs::File),
}

impl Pending {
    /// Creates the temporary file beside `path`'s target; fails if that folder cannot take it,
    /// if `path` is a folder, or if it is a read-only file.
    pub fn create(path: &Path) -> Result<Pending, OutputError> {
        let fail = |source| OutputError {
            path: path.to_path_buf(),
            source,
        };
        let target = target::resolve(path).map_err(fail)?;
        let mode = match target.how {
            How::Direct => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target.path)
                    .map_err(fail)?;
                return Ok(Pending {
                    path: path.to_path_buf(),
                    sink: Sink::Direct(file),
                });
            }
            // A new output takes the permissions the user's umask gives a new file (0644 with
            // the usual 022); a replaced file keeps its own, so a private file stays private.
            How::Create => None,
            How::Replace { mode } => Some(mode),
            How::InPlace => Some(0o600),
        };
        let dir = match target.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(match mode {
            None => 0o666,
            Some(_) => 0o600,
        }));
        let temp = builder.tempfile_in(dir).map_err(fail)?;
        cleanup::register(temp.path());
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            let set = std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(mode));
            if let Err(e) = set {
                let mut registry = cleanup::pending();
                cleanup::withdraw(&mut registry, temp.path());
                drop(temp);
                return Err(fail(e));
            }
        }
        Ok(Pending {
            path: path.to_path_buf(),
            sink: Sink::Staged {
                temp: Some(temp),
                target: target.path,
                in_place: target.how == How::InPlace,
            },
        })
    }

    fn fail(&self, source: std::io::Error) -> OutputError {
        OutputError {
            path: self.path.clone(),
            source,
        }
    }

    /// Writes the content through `write` (buffered), replacing anything written before.
    pub fn write_with(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let mut buffered = self.writer()?;
        let result = write(&mut buffered).and_then(|_| buffered.flush());
        drop(buffered);
        result.map_err(|e| self.fail(e))
    }

    /// A buffered writer over the file, emptied first (a FIFO or device cannot be emptied:
    /// it is written once), for content written as it is made (flush it before
    /// [`Pending::commit`]).
    pub fn writer(&mut self) -> Result<std::io::BufWriter<&mut std::fs::File>, OutputError> {
        let path = &self.path;
        let file = match &mut self.sink {
            Sink::Direct(file) => return Ok(std::io::BufWriter::new(file)),
            Sink::Staged { temp, .. } => temp.as_mut().expect("uncommitted").as_file_mut(),
        };
        match file.set_len(0).and_then(|_| std::io::Seek::rewind(file)) {
            Ok(()) => Ok(std::io::BufWriter::new(file)),
            Err(source) => Err(OutputError {
                path: path.clone(),
                source,
            }),
        }
    }

    /// The file the content is to replace.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True for a regular file (new, replaced or rewritten in place); false for a FIFO or
    /// device written straight into.
    pub fn is_regular_file(&self) -> bool {
        matches!(self.sink, Sink::Staged { .. })
    }

    /// Syncs the file and renames it over the target (or copies it into a hard-linked one).
    pub fn commit(mut self) -> Result<(), OutputError> {
        let (temp, target, in_place) = match &mut self.sink {
            Sink::Direct(_) => return Ok(()),
            Sink::Staged {
                temp,
                target,
                in_place,
            } => (temp.take().expect("uncommitted"), target.clone(), *in_place),
        };
        let path = self.path.clone();
        let fail = |source| OutputError {
            path: path.clone(),
            source,
        };
        temp.as_file().sync_all().map_err(fail)?;
        // Under the registry's lock, so an interrupting signal sees the rename done or not begun.
        let mut registry = cleanup::pending();
        cleanup::withdraw(&mut registry, temp.path());
        if in_place {
            let copied = copy_into(temp.as_file(), &target);
            drop(temp);
            return copied.map_err(fail);
        }
        temp.persist(&target).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// Writes the whole of `from` into `target` in place, keeping the file (and its other names).
fn copy_into(mut from: &std::fs::File, target: &Path) -> std::io::Result<()> {
    std::io::Seek::rewind(&mut from)?;
    let mut to = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)?;
    std::io::copy(&mut from, &mut to)?;
    to.sync_all()
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Sink::Staged { temp, .. } = &mut self.sink {
            if let Some(temp) = temp.take() {
                let mut registry = cleanup::pending();
                cleanup::withdraw(&mut registry, temp.path());
                drop(temp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_output_is_as_readable_as_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let output = dir.path().join("out.csv");
        write_atomic(&output, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&output), mode(&plain));
    }

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
    fn a_write_failing_midway_leaves_no_file_and_the_earlier_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"earlier").unwrap();
        let result = write_atomic_with(&path, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err(std::io::Error::other("the disk filled up"))
        });
        assert!(
            result
                .unwrap_err()
                .to_string()
                .contains("the disk filled up")
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"earlier");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn streamed_fill_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"earlier").unwrap();
        let failed = write_atomic_fill(&path, |w| {
            w.write_all(b"partial").map_err(|source| OutputError {
                path: path.clone(),
                source,
            })?;
            Err(OutputError {
                path: path.clone(),
                source: std::io::Error::other("stopped"),
            })
        });
        assert!(failed.unwrap_err().to_string().contains("stopped"));
        assert_eq!(std::fs::read(&path).unwrap(), b"earlier");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_fill::<OutputError>(&path, |w| {
            w.write_all(b"streamed").map_err(|source| OutputError {
                path: path.clone(),
                source,
            })
        })
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"streamed");
    }

    #[test]
    fn uncommitted_outputs_vanish() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = Pending::create(&dir.path().join("a.csv")).unwrap();
        first.write_with(|w| w.write_all(b"a")).unwrap();
        assert!(Pending::create(&dir.path().join("no/b.csv")).is_err());
        drop(first);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/out.csv");
        assert!(write_atomic(&path, b"x").is_err());
    }
}
