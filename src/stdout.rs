//! Standard output as every command writes it: an error when it was closed (exit 3), and a
//! reader that went away (`| head`) told apart so the binary can stop quietly.
//!
//! Rust's runtime opens `/dev/null` on a standard stream that is closed when the process
//! starts, so a write to a closed standard output would silently succeed. The binary looks
//! before the runtime does (`main.rs`) and records it here with [`set_closed_at_start`].

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Records that standard output was closed when the process started.
pub fn set_closed_at_start(closed: bool) {
    CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

/// Standard output, locked, or the error that it was closed when the process started.
pub fn lock() -> io::Result<io::StdoutLock<'static>> {
    if CLOSED_AT_START.load(Ordering::Relaxed) {
        return Err(io::Error::other(ClosedStdout));
    }
    Ok(io::stdout().lock())
}

/// Writes all of `bytes` to standard output and flushes it.
pub fn write_all(bytes: &[u8]) -> io::Result<()> {
    let mut out = lock()?;
    out.write_all(bytes).and_then(|_| out.flush())
}

/// Marks the error of a standard output closed before the process started.
#[derive(Debug)]
struct ClosedStdout;

impl std::fmt::Display for ClosedStdout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output is closed")
    }
}

impl std::error::Error for ClosedStdout {}

/// True when a write failed because the reader went away (`tec-model ... | head`): not an
/// error of the tool's, so the binary exits 0 without a word, as ripgrep does.
pub fn is_reader_gone(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
}
