//! Temporary output files still being written, removed if the process is interrupted
//! (SIGINT, SIGTERM, SIGHUP), which then exits 130, 143 or 129 as a shell expects.
//!
//! A [`super::Pending`] output registers its temporary file here when it is created and
//! withdraws it when it is committed or dropped. The signal thread takes the same lock, so a
//! commit is either finished (the file is whole, under its own name) or never starts.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, even if a thread panicked while holding it (its paths are still right).
pub(super) fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn register(path: &Path) {
    pending().push(path.to_path_buf());
}

pub(super) fn withdraw(registry: &mut Vec<PathBuf>, path: &Path) {
    registry.retain(|p| p != path);
}

/// Removes every pending temporary file; returns how many there were.
fn remove_all(registry: &mut Vec<PathBuf>) -> usize {
    let count = registry.len();
    for path in registry.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    count
}

/// The exit code for a process ended by `signal`: 128 plus its number.
pub fn exit_code(signal: i32) -> i32 {
    128 + signal
}

/// Starts the thread that, on SIGINT, SIGTERM or SIGHUP, removes the pending temporary files
/// and exits with [`exit_code`]. Called once by the binary; a library user keeps its own
/// signal handling.
#[cfg(unix)]
pub fn remove_pending_on_signals() -> std::io::Result<()> {
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let mut registry = pending();
                remove_all(&mut registry);
                // Exit with the lock held: no commit can start after the files are gone.
                std::process::exit(exit_code(signal));
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn remove_pending_on_signals() -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_clears_the_registry_and_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut registry = Vec::new();
        for name in ["a.tmp", "b.tmp"] {
            let path = dir.path().join(name);
            std::fs::write(&path, b"x").unwrap();
            registry.push(path);
        }
        registry.push(dir.path().join("already-gone.tmp"));
        assert_eq!(remove_all(&mut registry), 3);
        assert!(registry.is_empty());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(exit_code(2), 130);
        assert_eq!(exit_code(15), 143);
        assert_eq!(exit_code(1), 129);
    }
}
