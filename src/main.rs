//! The `tec-model` binary: parse arguments, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;
use tec_model::app::{self, exit};
use tec_model::cli::Cli;

/// Whether standard output was closed when the process started, read before Rust's runtime
/// opens `/dev/null` on it (which would make every write to it succeed, and the output vanish).
#[cfg(target_os = "linux")]
mod stdout_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn look() {
        // SAFETY: fcntl with F_GETFD only reads the descriptor's flags.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
        CLOSED.store(closed, Ordering::Relaxed);
    }

    // Constructors in .init_array run before `main` of the C runtime, and so before Rust's.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static LOOK: extern "C" fn() = look;

    pub fn closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(not(target_os = "linux"))]
mod stdout_at_start {
    pub fn closed() -> bool {
        false
    }
}

fn main() -> ExitCode {
    // A shell asking for completions (`TEC_MODEL_COMPLETE=bash tec-model -- ...`) is answered
    // before anything else is done or written.
    tec_model::cli::completion::answer_if_asked();
    tec_model::stdout::set_closed_at_start(stdout_at_start::closed());
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            let code = if error.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::SUCCESS
            };
            return ExitCode::from(code);
        }
    };
    tec_model::terminal::set_quiet(cli.quiet);
    if let Err(error) = tec_model::output::cleanup::remove_pending_on_signals() {
        tec_model::terminal::warn(format!("cannot watch for interrupting signals: {error}"));
    }
    let result = cli
        .into_config()
        .map_err(app::AppError::from)
        .and_then(app::run);
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) if error.is_reader_gone() => ExitCode::from(exit::SUCCESS),
        Err(error) => {
            // Whatever the error, it quotes at most an excerpt of the input.
            eprintln!(
                "error: {}",
                tec_model::excerpt::shorten_quoted(&error.to_string())
            );
            ExitCode::from(error.exit_code())
        }
    }
}
