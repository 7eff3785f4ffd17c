//! Refuses an output that is the same file as one of the command's inputs (a scenario, every
//! parent in its `extends` chain, an actuals file) or as another of its outputs, before
//! anything is written: an output never destroys an input.

use std::path::{Path, PathBuf};

/// An output that would overwrite an input or another output.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: is the same file as {} {}; refusing to overwrite it (choose another output path)",
    output.display(),
    if *other_is_input { "the input" } else { "the other output" },
    other.display()
)]
pub struct ClashError {
    pub output: PathBuf,
    pub other: PathBuf,
    pub other_is_input: bool,
}

/// What makes two paths the same file: the device and inode of a file that exists, and the
/// absolute path with every symbolic link resolved (which also catches two outputs that do
/// not exist yet).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    inode: Option<(u64, u64)>,
    resolved: Option<PathBuf>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let metadata = std::fs::metadata(path).ok();
        Identity {
            inode: metadata.as_ref().and_then(inode),
            resolved: resolved(path),
        }
    }

    fn same_as(&self, other: &Identity) -> bool {
        let same_inode = matches!((self.inode, other.inode), (Some(a), Some(b)) if a == b);
        let same_path = matches!((&self.resolved, &other.resolved), (Some(a), Some(b)) if a == b);
        same_inode || same_path
    }
}

/// Checks every output against every input and against the outputs before it. A character
/// device (a terminal, `/dev/null`) may take several outputs: writing to it destroys nothing.
pub fn refuse_clashes(outputs: &[&Path], inputs: &[&Path]) -> Result<(), ClashError> {
    let inputs: Vec<(&Path, Identity)> = inputs.iter().map(|p| (*p, Identity::of(p))).collect();
    let mut earlier: Vec<(&Path, Identity)> = Vec::new();
    for output in outputs {
        let identity = Identity::of(output);
        if let Some((input, _)) = inputs.iter().find(|(_, i)| i.same_as(&identity)) {
            return Err(ClashError {
                output: output.to_path_buf(),
                other: input.to_path_buf(),
                other_is_input: true,
            });
        }
        if !is_char_device(output)
            && let Some((other, _)) = earlier.iter().find(|(_, i)| i.same_as(&identity))
        {
            return Err(ClashError {
                output: output.to_path_buf(),
                other: other.to_path_buf(),
                other_is_input: false,
            });
        }
        earlier.push((output, identity));
    }
    Ok(())
}

/// The absolute path with links resolved: the file itself if it exists, else its folder
/// resolved and its name appended (through a dangling link, the name the link points to).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return Some(canonical);
    }
    let target = super::target::resolve(path).map(|t| t.path).ok()?;
    let name = target.file_name()?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(std::fs::canonicalize(folder).ok()?.join(name))
}

#[cfg(unix)]
fn inode(metadata: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(not(unix))]
fn is_char_device(_: &Path) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_by_any_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("s.yaml");
        std::fs::write(&input, b"x").unwrap();
        let hard = dir.path().join("hard.yaml");
        std::fs::hard_link(&input, &hard).unwrap();
        let soft = dir.path().join("soft.yaml");
        std::os::unix::fs::symlink("s.yaml", &soft).unwrap();
        let dotted = dir.path().join(".").join("s.yaml");
        for output in [&input, &hard, &soft, &dotted] {
            let clash = refuse_clashes(&[output], &[&input]).unwrap_err();
            assert!(clash.other_is_input);
        }
        let other = dir.path().join("out.csv");
        assert!(refuse_clashes(&[&other], &[&input]).is_ok());
    }

    #[test]
    fn two_outputs_may_not_be_one_file_even_before_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("same.csv");
        let b = dir.path().join("sub/../same.csv");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let clash = refuse_clashes(&[&a, &b], &[]).unwrap_err();
        assert!(!clash.other_is_input);
        assert!(clash.to_string().contains("the other output"));
        let null = Path::new("/dev/null");
        assert!(refuse_clashes(&[null, null], &[]).is_ok());
    }
}
