//! What an output path names, and so how it is written: a new or regular file is replaced
//! atomically, a hard-linked file is rewritten in place once its content is complete, and a
//! FIFO or device is written straight into. Symbolic links are followed to their target.

use std::fs::Metadata;
use std::io;
use std::path::{Path, PathBuf};

/// How many symbolic links may lead to an output (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

/// Where an output goes once its links are followed, and how it must be written.
#[derive(Debug)]
pub struct Target {
    /// The file that will hold the output: the path given, or the end of its symbolic links.
    pub path: PathBuf,
    pub how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A file that does not exist yet: a temporary file renamed into place, with the
    /// permissions a new file would get.
    Create,
    /// A regular file: replaced atomically by a temporary file with the same permissions.
    Replace { mode: u32 },
    /// A regular file with other hard links: the complete output is copied into it in place,
    /// so every name of the file sees it.
    InPlace,
    /// A FIFO, character device or other special file: written straight into, never replaced.
    Direct,
}

/// Follows `path`'s symbolic links and decides how to write it, refusing a folder and a file
/// that is read-only (to its permissions, or to this user).
pub fn resolve(path: &Path) -> io::Result<Target> {
    // What the kernel opens, through every link: a FIFO or device is written straight into as
    // named, since links such as `/dev/stdout` -> `/proc/self/fd/1` -> `pipe:[...]` cannot be
    // followed by name.
    if let Ok(metadata) = std::fs::metadata(path) {
        if !metadata.is_file() && !metadata.is_dir() {
            return Ok(Target {
                path: path.to_path_buf(),
                how: How::Direct,
            });
        }
    }
    let path = follow_links(path)?;
    let metadata = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target {
                path,
                how: How::Create,
            });
        }
        Err(e) => return Err(e),
    };
    if metadata.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if !metadata.is_file() {
        return Ok(Target {
            path,
            how: How::Direct,
        });
    }
    refuse_read_only(&path, &metadata)?;
    let how = if links(&metadata) > 1 {
        How::InPlace
    } else {
        How::Replace {
            mode: mode(&metadata),
        }
    };
    Ok(Target { path, how })
}

/// The file at the end of `path`'s symbolic links (which may not exist yet). A relative link
/// is read from the folder of the link, as the kernel reads it.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(folder) if link.is_relative() => folder.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links lead to it"
    )))
}

/// A read-only output is the user's way of saying "keep this": it is never replaced, even by
/// a user (such as root) whom the permissions would not stop.
fn refuse_read_only(path: &Path, metadata: &Metadata) -> io::Result<()> {
    let read_only = || {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            "is read-only; tec-model will not replace it (remove it or make it writable first)",
        )
    };
    if metadata.permissions().readonly() {
        return Err(read_only());
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Err(read_only()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn links(metadata: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(metadata)
}

#[cfg(not(unix))]
fn links(_: &Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn mode(metadata: &Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&metadata.permissions()) & 0o7777
}

#[cfg(not(unix))]
fn mode(_: &Metadata) -> u32 {
    0o666
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_file_is_created_and_a_link_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.csv");
        assert_eq!(resolve(&new).unwrap().how, How::Create);
        let real = dir.path().join("real.csv");
        std::fs::write(&real, b"x").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        let target = resolve(&link).unwrap();
        assert_eq!(target.path, dir.path().join("real.csv"));
        assert!(matches!(target.how, How::Replace { .. }));
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink("later.csv", &dangling).unwrap();
        assert_eq!(
            resolve(&dangling).unwrap().path,
            dir.path().join("later.csv")
        );
    }

    #[test]
    fn permissions_hard_links_and_devices_decide_how() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.csv");
        std::fs::write(&private, b"x").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(resolve(&private).unwrap().how, How::Replace { mode: 0o600 });
        std::fs::hard_link(&private, dir.path().join("other-name.csv")).unwrap();
        assert_eq!(resolve(&private).unwrap().how, How::InPlace);
        assert_eq!(resolve(Path::new("/dev/null")).unwrap().how, How::Direct);
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o444)).unwrap();
        let refused = resolve(&private).unwrap_err();
        assert!(refused.to_string().contains("read-only"), "{refused}");
        assert!(resolve(dir.path()).is_err());
    }

    #[test]
    fn a_loop_of_links_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(resolve(&dir.path().join("a")).is_err());
    }
}
