//! The `tec-model` binary: parse arguments, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;
use tec_model::app::{self, exit};
use tec_model::cli::Cli;

fn main() -> ExitCode {
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
    match app::run(cli.into_config()) {
        Ok(code) => ExitCode::from(code),
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
