//! Shell completion and the manual page, both made from the command-line definition so they
//! cannot drift from it. `tec-model completions SHELL` prints a static script (commands,
//! options, their values, file names); with `--dynamic`, a script that asks tec-model at each
//! <TAB> (`TEC_MODEL_COMPLETE=SHELL tec-model -- ...`, answered in `main` before anything
//! else) and so also completes the input and output names of the scenario on the line.
//!
//! The dynamic part is clap_complete's `unstable-dynamic` feature (pinned with the crate's
//! minor version): the script it prints must come from the same build that answers it, so it
//! is sourced at shell start-up rather than saved.

use super::{Cli, UsageError};
use crate::scenario::error::suggest;
use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::EnvCompleter;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The environment variable that asks the binary for completions instead of a run.
pub const COMPLETE_VAR: &str = "TEC_MODEL_COMPLETE";

/// Answers a completion request (`TEC_MODEL_COMPLETE=bash tec-model -- ...`) and exits;
/// returns at once on an ordinary run. Call it first in `main`.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .complete();
}

/// The completion script for `shell`: static, or dynamic (see the module's documentation).
pub fn script(shell: clap_complete::Shell, dynamic: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if !dynamic {
        clap_complete::generate(shell, &mut Cli::command(), "tec-model", &mut out);
        return out;
    }
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        _ => &clap_complete::env::Elvish,
    };
    // The binary the shell will call: this one, as it was invoked (made absolute if it was
    // named by a relative path, so that it works from any folder).
    let program = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tec-model"));
    let program = if program.components().count() > 1 {
        std::env::current_dir()
            .map(|d| d.join(&program))
            .unwrap_or(program)
    } else {
        program
    };
    completer
        .write_registration(
            COMPLETE_VAR,
            "tec-model",
            "tec-model",
            &program.to_string_lossy(),
            &mut out,
        )
        .expect("writing to memory");
    out
}

/// The manual page (roff) of tec-model, or of one of its commands (`tec-model-run(1)`).
pub fn man_page(command: Option<&str>) -> Result<Vec<u8>, UsageError> {
    let mut root = Cli::command();
    root.build();
    let page = match command {
        None => root,
        Some(name) => {
            let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
            let Some(sub) = root.find_subcommand(name) else {
                return Err(UsageError::UnknownCommand {
                    name: crate::excerpt::excerpt(name),
                    hint: suggest(name, names.iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default(),
                    commands: names.join(", "),
                });
            };
            let full = format!("tec-model-{}", sub.get_name());
            sub.clone()
                .name(full.clone())
                .bin_name(format!("tec-model {}", sub.get_name()))
                .display_name(full)
                .version(super::VERSION)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .expect("writing to memory");
    Ok(out)
}

/// The subcommand and the scenario named on a command line being completed (`tec-model sweep
/// s.yaml --vary ...`): the first word that is not an option or an option's value after the
/// subcommand. `None` for standard input (`-`), which completion cannot read.
pub fn scenario_on_line(words: &[OsString]) -> Option<PathBuf> {
    let mut cmd = Cli::command();
    cmd.build();
    let takes_value = |command: &clap::Command, word: &str| -> bool {
        let found = if let Some(long) = word.strip_prefix("--") {
            command.get_arguments().find(|a| a.get_long() == Some(long))
        } else {
            let short = word.chars().nth(1);
            command.get_arguments().find(|a| a.get_short() == short)
        };
        found.is_some_and(|a| a.get_action().takes_values())
    };
    let mut words = words.iter().filter_map(|w| w.to_str());
    let mut sub: Option<&clap::Command> = None;
    while let Some(word) = words.next() {
        let command = sub.unwrap_or(&cmd);
        if word == "--" {
            return sub
                .and(words.next())
                .filter(|w| *w != "-")
                .map(PathBuf::from);
        }
        // `--vary=x` and `-ox` carry their value; `--vary x` and `-o x` take the next word.
        if word.starts_with('-') && word != "-" {
            let attached = word.contains('=') || (!word.starts_with("--") && word.len() > 2);
            if !attached && takes_value(command, word) {
                words.next();
            }
            continue;
        }
        match sub {
            None => sub = cmd.find_subcommand(word),
            Some(_) if word == "-" => return None,
            Some(_) => return Some(PathBuf::from(word)),
        }
        sub?;
    }
    None
}

/// The words of the command line being completed, as the shell passed them after `--`.
fn line() -> Vec<OsString> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let after = args
        .iter()
        .position(|a| a == "--")
        .map_or(args.len(), |i| i + 1);
    // The first word after `--` is the program's name.
    args.into_iter().skip(after + 1).collect()
}

/// The scenario on the line, loaded quietly (no warnings); `None` if it cannot be.
fn scenario() -> Option<crate::scenario::Scenario> {
    crate::scenario::load(&scenario_on_line(&line())?).ok()
}

/// Candidates for an input name: every input path of `scenario` beginning `current`, with its
/// value as help; `suffix` follows each (`=` for `--vary` and `--range`).
pub fn input_candidates(
    scenario: &crate::scenario::Scenario,
    current: &str,
    suffix: &str,
) -> Vec<CompletionCandidate> {
    let params = &scenario.params;
    let mut out = Vec::new();
    for (path, slots) in params.grouped() {
        if path.starts_with('(') {
            continue;
        }
        let value = |slot: usize| params.values[slot].normalize().to_string();
        let series = params.info[slots[0]].year.is_some();
        let help = if series {
            let values: Vec<String> = slots.iter().map(|s| value(*s)).collect();
            format!("per year: {}", values.join(", "))
        } else {
            value(slots[0])
        };
        if path.starts_with(current) {
            out.push(
                CompletionCandidate::new(format!("{path}{suffix}")).help(Some(help.clone().into())),
            );
        }
        // One year of a series, once its name and `[` are typed.
        if series && current.starts_with(&format!("{path}[")) {
            for slot in &slots {
                let year = params.info[*slot]
                    .year
                    .map(|t| scenario.model.year_label(t))
                    .unwrap_or_default();
                let name = format!("{path}[{year}]");
                if name.starts_with(current) {
                    out.push(
                        CompletionCandidate::new(format!("{name}{suffix}"))
                            .help(Some(value(*slot).into())),
                    );
                }
            }
        }
    }
    out
}

/// `--vary` of sweep and `--range` of tornado: `path=` for the input being typed.
pub fn input_values(current: &OsStr) -> Vec<CompletionCandidate> {
    match (current.to_str(), scenario()) {
        (Some(current), Some(scenario)) if !current.contains('=') => {
            input_candidates(&scenario, current, "=")
        }
        _ => Vec::new(),
    }
}

/// `solve --vary`: an input path.
pub fn input_path(current: &OsStr) -> Vec<CompletionCandidate> {
    match (current.to_str(), scenario()) {
        (Some(current), Some(scenario)) => input_candidates(&scenario, current, ""),
        _ => Vec::new(),
    }
}

/// The summary outputs every scenario has, with what they are.
fn summary_outputs() -> impl Iterator<Item = String> {
    crate::sensitivity::outputs::SUMMARY
        .iter()
        .map(|s| format!("summary.{s}"))
}

/// `--output-measure`, and `solve --target` (`summary.npv=`).
pub fn output_name(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    if current.contains('=') {
        return Vec::new();
    }
    let suffix = if line().iter().any(|w| w == "solve") {
        "="
    } else {
        ""
    };
    summary_outputs()
        .filter(|name| name.starts_with(current))
        .map(|name| CompletionCandidate::new(format!("{name}{suffix}")))
        .collect()
}

/// `sweep --outputs`: a comma-separated list, completed after its last comma.
pub fn output_list(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let (done, last) = match current.rsplit_once(',') {
        Some((done, last)) => (format!("{done},"), last),
        None => (String::new(), current),
    };
    summary_outputs()
        .filter(|name| name.starts_with(last))
        .map(|name| CompletionCandidate::new(format!("{done}{name}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn the_scenario_is_the_first_word_after_the_subcommand_that_is_not_an_option() {
        let on = |line: &str| scenario_on_line(&words(line));
        assert_eq!(on("sweep s.yaml --vary b"), Some("s.yaml".into()));
        assert_eq!(
            on("-q --color never sweep --vary b s.yaml"),
            Some("s.yaml".into())
        );
        assert_eq!(
            on("tornado -o out.csv --range=x s.yaml"),
            Some("s.yaml".into())
        );
        assert_eq!(
            on("solve -oout.csv --no-bom s.yaml --vary"),
            Some("s.yaml".into())
        );
        assert_eq!(on("sweep -- s.yaml"), Some("s.yaml".into()));
        assert_eq!(
            on("sweep - --vary b"),
            None,
            "standard input cannot be read"
        );
        assert_eq!(on("sweep --vary b"), None);
        assert_eq!(on("nosuch s.yaml"), None);
    }

    #[test]
    fn inputs_complete_from_the_scenario_with_their_values() {
        let scenario = crate::scenario::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/leicestershire/scenario4.yaml"
        )))
        .unwrap();
        let names = |current: &str, suffix: &str| -> Vec<String> {
            input_candidates(&scenario, current, suffix)
                .iter()
                .map(|c| c.get_value().to_string_lossy().into_owned())
                .collect()
        };
        let care = names("benefits.care_hours.h", "=");
        assert!(
            care.contains(&"benefits.care_hours.hours_per_week=".to_string()),
            "{care:?}"
        );
        assert!(care.iter().all(|n| n.starts_with("benefits.care_hours.h")));
        let years = names("users.installs[", "");
        assert!(
            years.contains(&"users.installs[2023/24]".to_string()),
            "{years:?}"
        );
        let help = input_candidates(&scenario, "benefits.care_hours.hours_per_week", "");
        assert_eq!(help[0].get_help().map(|h| h.to_string()), Some("2".into()));
    }

    #[test]
    fn output_lists_complete_after_the_last_comma() {
        let list: Vec<String> = output_list(OsStr::new("summary.npv,summary.pay"))
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(list, ["summary.npv,summary.payback_year"]);
    }

    #[test]
    fn man_pages_name_the_command_and_refuse_an_unknown_one() {
        let page = String::from_utf8(man_page(Some("sweep")).unwrap()).unwrap();
        assert!(page.contains("tec-model-sweep"), "{page}");
        let unknown = man_page(Some("swep")).unwrap_err().to_string();
        assert!(unknown.contains("did you mean `sweep`?"), "{unknown}");
    }
}
