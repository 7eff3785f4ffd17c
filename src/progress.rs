//! A progress bar with an estimate of the time left, for commands that can run for more than
//! a second (`simulate`, `sweep`): on standard error, only on a terminal, only once the work
//! has taken a second, and never under `-q`. It never touches standard output.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Work shorter than this shows no bar.
const DELAY: Duration = Duration::from_secs(1);

/// Progress through `total` units of work (iterations, grid points).
pub struct Progress {
    started: Instant,
    total: u64,
    /// Whether a bar may be shown at all (standard error a terminal, not quiet).
    shown: bool,
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Progress {
    /// Progress through `total` units, starting now.
    pub fn new(total: u64) -> Self {
        use std::io::IsTerminal;
        Progress {
            started: Instant::now(),
            total,
            shown: std::io::stderr().is_terminal() && !crate::terminal::quiet(),
            bar: Mutex::new(None),
        }
    }

    fn style() -> indicatif::ProgressStyle {
        indicatif::ProgressStyle::with_template(
            "{wide_bar} {human_pos}/{human_len} ({percent}%) {elapsed_precise} elapsed, about {eta} left",
        )
        .expect("a valid template")
    }

    /// Records that `done` units are finished.
    pub fn update(&self, done: u64) {
        if !self.shown {
            return;
        }
        let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if bar.is_none() && self.started.elapsed() > DELAY {
            let new = indicatif::ProgressBar::new(self.total).with_style(Self::style());
            // The estimate counts from the start of the work, not from when the bar appears.
            new.set_elapsed(self.started.elapsed());
            *bar = Some(new);
        }
        if let Some(bar) = bar.as_ref() {
            bar.set_position(done);
        }
    }

    /// Runs `write` with the bar hidden, so text written to the same terminal (a sweep's rows
    /// on standard output) does not run into it.
    pub fn suspend<T>(&self, write: impl FnOnce() -> T) -> T {
        let bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        match bar.as_ref() {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Removes the bar, if it was shown.
    pub fn finish(&self) {
        let bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bar) = bar.as_ref() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
