//! The rules for a command's outputs on the command line: `--format`, one or more `-o` (`-`
//! for standard output), and the extensions that name a format. Contradictions are refused
//! before anything is read or written (exit 2).

use crate::export::Format;
use crate::output::set::{Dest, OutputSpec, Outputs};
use std::path::{Path, PathBuf};

/// An argument that clap accepts but that makes no sense with the others (exit 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UsageError {
    #[error(
        "{}: `--format {given}` does not match the file's extension `.{extension}` ({implied}); change one of them",
        path.display()
    )]
    FormatMismatch {
        path: PathBuf,
        given: &'static str,
        extension: String,
        implied: &'static str,
    },
    #[error(
        "{}: cannot tell the output format from the extension `.{extension}`{hint}; name the file .csv, .json, .md, .xlsx or .svg{or_format}",
        path.display()
    )]
    UnknownExtension {
        path: PathBuf,
        extension: String,
        hint: &'static str,
        /// How else to say the format: `--format`, unless several outputs rule it out.
        or_format: &'static str,
    },
    #[error(
        "{}: --samples writes CSV, but the file's extension is `.{extension}`; name it .csv",
        path.display()
    )]
    SamplesExtension { path: PathBuf, extension: String },
    #[error(
        "{}: report writes HTML, but the file's extension is `.{extension}`; name it .html",
        path.display()
    )]
    ReportExtension { path: PathBuf, extension: String },
    #[error("--chart draws an SVG chart: give --format svg (or -o chart.svg) with it")]
    ChartWithoutSvg,
    #[error("`{command}` does not write {format}; it writes {offered}")]
    FormatNotOffered {
        command: &'static str,
        format: &'static str,
        offered: String,
    },
    #[error(
        "--samples -: the samples go to a file (`--samples draws.csv`); standard output takes the report (`-o -`)"
    )]
    SamplesStdout,
    #[error(
        "`--format {given}` with {count} outputs: --format is the format of a single output; with several -o, each takes its format from its extension (.csv, .json, .md; `-` is the usual form), so drop --format"
    )]
    FormatWithSeveral { given: &'static str, count: usize },
    #[error("`-o -` (standard output) is given twice; give it once")]
    StdoutTwice,
    #[error(
        "`-` (standard input) is named twice; standard input can be read once, so name one scenario `-` at most"
    )]
    StdinTwice,
    #[error(
        "`tec-model man {name}`: there is no command `{name}`{hint}; the commands are {commands}"
    )]
    UnknownCommand {
        name: String,
        hint: String,
        commands: String,
    },
}

pub(crate) fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Xlsx => "xlsx",
        Format::Svg => "svg",
    }
}

/// The format an extension names, if it names one.
fn format_of_extension(extension: &str) -> Option<Format> {
    match extension {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Markdown),
        "xlsx" => Some(Format::Xlsx),
        "svg" => Some(Format::Svg),
        _ => None,
    }
}

fn extension_of(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The outputs `-o` and `--format` ask for: standard output alone when no `-o` is given.
/// With one output, `--format` must agree with its extension, and an extension that names no
/// format needs `--format`; with several, `--format` is refused and each output's extension
/// names its format (`-` and a path without an extension take the command's usual one).
pub fn outputs(
    format: Option<Format>,
    paths: Vec<PathBuf>,
    bom: bool,
) -> Result<Outputs, UsageError> {
    let dest = |path: PathBuf| {
        if path.as_os_str() == "-" {
            Dest::Stdout
        } else {
            Dest::File(path)
        }
    };
    let specs = match paths.len() {
        0 => vec![OutputSpec {
            dest: Dest::Stdout,
            format,
        }],
        1 => {
            let path = paths.into_iter().next().expect("one path");
            let dest = dest(path);
            let format = match &dest {
                Dest::Stdout => format,
                Dest::File(path) => format_if_given(format, Some(path), true)?,
            };
            vec![OutputSpec { dest, format }]
        }
        count => {
            if let Some(given) = format {
                return Err(UsageError::FormatWithSeveral {
                    given: format_name(given),
                    count,
                });
            }
            let mut specs = Vec::with_capacity(count);
            for path in paths {
                let dest = dest(path);
                let format = match &dest {
                    Dest::Stdout if specs.iter().any(|s: &OutputSpec| s.dest == Dest::Stdout) => {
                        return Err(UsageError::StdoutTwice);
                    }
                    Dest::Stdout => None,
                    Dest::File(path) => format_if_given(None, Some(path), false)?,
                };
                specs.push(OutputSpec { dest, format });
            }
            specs
        }
    };
    Ok(Outputs { specs, bom })
}

/// The format asked for, or implied by `output`'s extension. A known extension that differs
/// from `--format` is refused, and so is an extension that names no format unless `--format`
/// says what to write (a path without an extension, such as `/dev/stdout`, needs neither).
fn format_if_given(
    explicit: Option<Format>,
    output: Option<&PathBuf>,
    format_allowed: bool,
) -> Result<Option<Format>, UsageError> {
    let Some(path) = output else {
        return Ok(explicit);
    };
    let Some(extension) = extension_of(path) else {
        return Ok(explicit);
    };
    match (explicit, format_of_extension(&extension)) {
        (Some(given), Some(implied)) if given != implied => Err(UsageError::FormatMismatch {
            path: path.clone(),
            given: format_name(given),
            extension,
            implied: format_name(implied),
        }),
        (Some(given), _) => Ok(Some(given)),
        (None, Some(implied)) => Ok(Some(implied)),
        (None, None) => Err(UsageError::UnknownExtension {
            path: path.clone(),
            hint: match extension.as_str() {
                "xls" | "xlsm" => " (tec-model writes Excel workbooks as .xlsx)",
                "html" | "htm" => " (the HTML report is `tec-model report FILE -o report.html`)",
                _ => "",
            },
            or_format: if format_allowed {
                ", or give --format (table, csv, json, markdown, xlsx or svg)"
            } else {
                " (with several -o, --format cannot say)"
            },
            extension,
        }),
    }
}

/// `format` if `command` writes it: every command writes the text formats (table, csv, json,
/// markdown), and those named in `extra`.
pub(super) fn offered(
    command: &'static str,
    format: Format,
    extra: &[Format],
) -> Result<Format, UsageError> {
    let text = [Format::Table, Format::Csv, Format::Json, Format::Markdown];
    if text.contains(&format) || extra.contains(&format) {
        return Ok(format);
    }
    let offered: Vec<&str> = text.iter().chain(extra).map(|f| format_name(*f)).collect();
    Err(UsageError::FormatNotOffered {
        command,
        format: format_name(format),
        offered: offered.join(", "),
    })
}

/// `report` writes HTML: its output's extension, if any, must say so.
pub(super) fn report_path(output: Option<&PathBuf>) -> Result<(), UsageError> {
    if let Some(path) = output
        && let Some(extension) = extension_of(path)
        && extension != "html"
        && extension != "htm"
    {
        return Err(UsageError::ReportExtension {
            path: path.clone(),
            extension,
        });
    }
    Ok(())
}

/// `--samples` is always CSV: its extension, if any, must say so.
pub(super) fn samples_path(samples: Option<PathBuf>) -> Result<Option<PathBuf>, UsageError> {
    if let Some(path) = &samples {
        if path.as_os_str() == "-" {
            return Err(UsageError::SamplesStdout);
        }
        if let Some(extension) = extension_of(path)
            && extension != "csv"
        {
            return Err(UsageError::SamplesExtension {
                path: path.clone(),
                extension,
            });
        }
    }
    Ok(samples)
}

/// Standard input can be read once: at most one scenario may be `-`.
pub(super) fn stdin_once(scenarios: &[PathBuf]) -> Result<(), UsageError> {
    if scenarios.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(UsageError::StdinTwice);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn one_output_takes_its_format_from_format_or_its_extension() {
        let one = |format, name| outputs(format, paths(&[name]), true).map(|o| o.specs);
        assert_eq!(one(None, "out.CSV").unwrap()[0].format, Some(Format::Csv));
        assert_eq!(
            one(Some(Format::Json), "-").unwrap(),
            [OutputSpec {
                dest: Dest::Stdout,
                format: Some(Format::Json)
            }]
        );
        assert!(matches!(
            one(Some(Format::Csv), "r.json"),
            Err(UsageError::FormatMismatch { .. })
        ));
        assert_eq!(
            one(None, "case.xlsx").unwrap()[0].format,
            Some(Format::Xlsx)
        );
        let unknown = one(None, "report.xls").unwrap_err().to_string();
        assert!(
            unknown.contains("`.xls`") && unknown.contains(".xlsx"),
            "{unknown}"
        );
        assert!(one(None, "r.txt").is_err());
        assert!(one(Some(Format::Table), "r.txt").is_ok());
        assert_eq!(one(None, "/dev/stdout").unwrap()[0].format, None);
        assert_eq!(
            outputs(None, vec![], true).unwrap().specs[0].dest,
            Dest::Stdout
        );
    }

    #[test]
    fn several_outputs_each_take_their_extension_and_refuse_format() {
        let many = outputs(None, paths(&["a.csv", "b.json", "-", "c.md"]), false).unwrap();
        let formats: Vec<Option<Format>> = many.specs.iter().map(|s| s.format).collect();
        assert_eq!(
            formats,
            [
                Some(Format::Csv),
                Some(Format::Json),
                None,
                Some(Format::Markdown)
            ]
        );
        assert!(!many.bom);
        let with_format = outputs(Some(Format::Csv), paths(&["a.csv", "b.csv"]), true);
        assert!(matches!(
            with_format,
            Err(UsageError::FormatWithSeveral { count: 2, .. })
        ));
        assert_eq!(
            outputs(None, paths(&["-", "a.csv", "-"]), true),
            Err(UsageError::StdoutTwice)
        );
        let txt = outputs(None, paths(&["a.csv", "b.txt"]), true).unwrap_err();
        assert!(txt.to_string().contains("with several -o"), "{txt}");
    }

    #[test]
    fn samples_are_csv_and_stdin_is_read_once() {
        assert!(samples_path(Some("s.json".into())).is_err());
        assert!(samples_path(Some("s.csv".into())).is_ok());
        assert_eq!(
            samples_path(Some("-".into())),
            Err(UsageError::SamplesStdout)
        );
        assert!(stdin_once(&paths(&["-", "a.yaml"])).is_ok());
        assert_eq!(stdin_once(&paths(&["-", "-"])), Err(UsageError::StdinTwice));
    }
}
