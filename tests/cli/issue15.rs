//! Issue 15: the conventions of the tools users already have. Shell completions and the man
//! page, help with examples, the commit in `--version`, every command in every format with
//! several outputs from one run, CSV that Excel reads (a byte-order mark in files only, the
//! summary and notes in the CSV), colour only on a terminal, `-q`, a progress bar only on a
//! terminal, and a scenario read from standard input.

use super::{LEICS_ACTUALS, SCENARIO4, UNCERTAIN, stdout_of, tec};
use std::fs;
use std::path::Path;

const COMMANDS: [&str; 11] = [
    "run",
    "check",
    "simulate",
    "inputs",
    "compare",
    "sweep",
    "tornado",
    "solve",
    "sensitivity",
    "voi",
    "track",
];
const BOM: &str = "\u{feff}";

fn output(args: &[&str]) -> std::process::Output {
    tec().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn completions_for_every_shell_name_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        // The options of the commands are there too, and (but in PowerShell's and Elvish's) their values.
        for word in ["vary", "format", "no-bom"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        if !matches!(shell, "powershell" | "elvish") {
            assert!(script.contains("latin-hypercube"), "{shell}");
        }
        let dynamic = stdout_of(&["completions", shell, "--dynamic"]);
        assert!(dynamic.contains("TEC_MODEL_COMPLETE"), "{shell}: {dynamic}");
    }
}

#[test]
fn dynamic_completion_offers_the_inputs_of_the_scenario_on_the_line() {
    let complete = |words: &[&str]| {
        let out = tec()
            .env("TEC_MODEL_COMPLETE", "fish")
            .arg("--")
            .arg("tec-model")
            .args(words)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        text(&out.stdout)
    };
    let vary = complete(&["sweep", SCENARIO4, "--vary", "benefits.care_hours.h"]);
    assert!(
        vary.contains("benefits.care_hours.hours_per_week=\t2\n"),
        "{vary}"
    );
    assert!(
        vary.contains("benefits.care_hours.hourly_cost=\t15.71\n"),
        "{vary}"
    );
    assert!(!vary.contains("users."), "only those beginning so: {vary}");
    let solve = complete(&[
        "solve",
        "--target",
        "npv=0",
        SCENARIO4,
        "--vary",
        "users.att",
    ]);
    assert_eq!(
        solve.lines().next(),
        Some("users.attrition\t0.18"),
        "{solve}"
    );
    let range = complete(&["tornado", SCENARIO4, "--range", "users.installs["]);
    assert!(range.contains("users.installs[2023/24]="), "{range}");
    let target = complete(&["solve", SCENARIO4, "--target", "summary.n"]);
    assert_eq!(target.trim(), "summary.npv=");
    let commands = complete(&["tr"]);
    assert!(commands.starts_with("track"), "{commands}");
    // No scenario on the line (or one that cannot be read): no input candidates, no error.
    assert_eq!(complete(&["sweep", "--vary", "users."]), "");
    assert_eq!(complete(&["sweep", "nowhere.yaml", "--vary", "users."]), "");
}

#[test]
fn the_man_pages_list_the_commands_and_their_options() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH tec-model 1"),
        "{page:.300}"
    );
    for command in COMMANDS {
        assert!(page.contains(command), "the page lacks {command}");
    }
    assert!(
        page.contains("Examples:"),
        "the long help's examples are on the page"
    );
    let run = stdout_of(&["man", "run"]);
    assert!(run.contains(".TH tec-model-run 1"), "{run:.300}");
    assert!(run.contains("no\\-bom") || run.contains("no-bom"), "{run}");
    assert!(run.contains("standard input"), "{run}");
}

#[test]
fn short_help_is_short_and_long_help_has_examples() {
    for command in COMMANDS {
        let short = stdout_of(&[command, "-h"]);
        let long = stdout_of(&[command, "--help"]);
        assert!(!short.contains("Examples:"), "{command} -h: {short}");
        assert!(long.contains("Examples:"), "{command} --help: {long}");
        assert!(long.contains(&format!("tec-model {command} ")), "{long}");
        assert!(long.len() > short.len());
        // Piped help wraps at 100 columns (clap's `wrap_help`; on a terminal, its width).
        for line in short.lines() {
            assert!(line.chars().count() <= 100, "{command}: {line}");
        }
    }
    let top = stdout_of(&["--help"]);
    assert!(top.contains("cat scenario.yaml | tec-model run -"), "{top}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let version = stdout_of(&["--version"]);
    let commit = version
        .trim()
        .strip_prefix(concat!(
            "tec-model ",
            env!("CARGO_PKG_VERSION"),
            " (commit "
        ))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{version}"));
    let head = std::process::Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| text(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert_eq!(commit, head),
        None => assert!(commit == "unknown" || !commit.is_empty()),
    }
    assert_eq!(stdout_of(&["-V"]), version);
}

/// Each command's arguments, small enough to run quickly.
fn command_lines() -> Vec<Vec<&'static str>> {
    vec![
        vec!["run", SCENARIO4],
        vec!["check", "fixtures/hertfordshire.yaml"],
        vec!["simulate", UNCERTAIN, "-n", "200"],
        vec!["inputs", SCENARIO4],
        vec![
            "compare",
            SCENARIO4,
            "scenarios/leicestershire/scenario1.yaml",
        ],
        vec!["sweep", SCENARIO4, "--vary", "users.attrition=0.1..0.3:3"],
        vec![
            "tornado",
            SCENARIO4,
            "--range",
            "users.attrition=0.1..0.35",
            "--range",
            "users.installs=500..900",
        ],
        vec![
            "solve",
            SCENARIO4,
            "--vary",
            "benefits.care_hours.hours_per_week",
            "--target",
            "summary.cumulative_net=2000000",
        ],
        vec!["track", SCENARIO4, LEICS_ACTUALS],
        vec![
            "sweep",
            SCENARIO4,
            "--points",
            "tests/fixtures/points/scenario4.csv",
        ],
        vec!["sensitivity", UNCERTAIN, "-n", "64"],
        vec![
            "voi",
            UNCERTAIN,
            "examples/voi/smaller.yaml",
            "examples/voi/larger.yaml",
            "-n",
            "500",
        ],
    ]
}

#[test]
fn every_command_writes_every_format_and_several_at_once() {
    for line in command_lines() {
        let mut by_format = Vec::new();
        for format in ["table", "csv", "json", "markdown"] {
            let mut args = line.clone();
            args.extend(["--format", format]);
            let out = stdout_of(&args);
            assert!(
                !out.starts_with(BOM),
                "{line:?}: no mark on standard output"
            );
            match format {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&out)
                        .unwrap_or_else(|e| panic!("{line:?}: {e}: {out}"));
                }
                "csv" => {
                    let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
                    let width = reader.headers().unwrap().len();
                    for record in reader.records() {
                        assert_eq!(record.unwrap().len(), width, "{line:?}: {out}");
                    }
                }
                "markdown" => assert!(out.contains("| --") || out.contains("|--"), "{out}"),
                _ => assert!(!out.is_empty()),
            }
            by_format.push(out);
        }
        // One run, four outputs: each is what its own run writes (the CSV file with the mark).
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).display().to_string();
        let (csv, json, md) = (path("o.csv"), path("o.json"), path("o.md"));
        let mut args = line.clone();
        args.extend(["-o", &csv, "-o", &json, "-o", "-", "-o", &md]);
        // `-` among several takes the command's usual form: CSV for a sweep of one input.
        let usual = if line[0] == "sweep" { 1 } else { 0 };
        assert_eq!(stdout_of(&args), by_format[usual], "{line:?}");
        assert_eq!(
            fs::read_to_string(&csv).unwrap(),
            format!("{BOM}{}", by_format[1])
        );
        assert_eq!(fs::read_to_string(&json).unwrap(), by_format[2], "{line:?}");
        assert_eq!(fs::read_to_string(&md).unwrap(), by_format[3], "{line:?}");
    }
}

#[test]
fn a_byte_order_mark_begins_csv_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case.csv");
    let file = file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", SCENARIO4];
        args.extend(extra);
        stdout_of(&args)
    };
    assert_eq!(run(&["-o", file]), "");
    let bytes = fs::read(file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFsection,figure,"));
    // Excel then reads the pound sign of "Benefit per £1 of cost" as it is.
    assert!(text(&bytes).contains("summary,Benefit per £1 of cost,"));
    assert_eq!(run(&["-o", file, "--no-bom"]), "");
    assert!(fs::read(file).unwrap().starts_with(b"section,figure,"));
    // Standard output, `-o -` and a pipe named as a file stay plain.
    assert!(run(&["-f", "csv"]).starts_with("section,figure,"));
    assert!(run(&["-f", "csv", "-o", "-"]).starts_with("section,figure,"));
    #[cfg(target_os = "linux")]
    assert!(run(&["-f", "csv", "-o", "/dev/stdout"]).starts_with("section,figure,"));
    // JSON and Markdown files get none.
    let json = dir.path().join("case.json");
    run(&["-o", json.to_str().unwrap()]);
    assert!(fs::read(&json).unwrap().starts_with(b"{"));
    // Track and sweep CSV files too; simulate's --samples (for programs) does not.
    let track = dir.path().join("track.csv");
    stdout_of(&[
        "track",
        SCENARIO4,
        LEICS_ACTUALS,
        "-o",
        track.to_str().unwrap(),
    ]);
    assert!(fs::read(&track).unwrap().starts_with(b"\xEF\xBB\xBFkind,"));
    let samples = dir.path().join("samples.csv");
    let report = dir.path().join("report.csv");
    stdout_of(&[
        "simulate",
        UNCERTAIN,
        "-n",
        "20",
        "--samples",
        samples.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert!(fs::read(&samples).unwrap().starts_with(b"iteration,"));
    assert!(
        fs::read(&report)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFoutput,")
    );
}

#[test]
fn run_csv_holds_the_summary_and_the_rounding_note() {
    let csv = stdout_of(&["run", SCENARIO4, "-f", "csv"]);
    for row in [
        "summary,Cumulative net benefit,,,,,,2498933\n",
        "summary,NPV at 3.5%,,,,,,2235616\n",
        "summary,Payback year,,,,,,2022/23\n",
        "summary,Closing TEC users,,,,,,2731\n",
        "summary,Benefit per £1 of cost,,,,,,2.19\n",
        "note,\"Money in pounds, rounded half away from zero to the pound per line and year.\",,,,,,\n",
    ] {
        assert!(csv.contains(row), "{row}: {csv}");
    }
}

#[test]
fn track_csv_holds_the_actuals_note() {
    let csv = stdout_of(&["track", SCENARIO4, LEICS_ACTUALS, "-f", "csv"]);
    let second = csv.lines().nth(1).unwrap();
    assert_eq!(
        second,
        "note,,,,\"ILLUSTRATIVE: invented actuals for April to December 2021, not published figures\",,,,,"
    );
}

#[test]
fn colour_only_on_a_terminal_or_when_asked_and_never_in_files() {
    let track = |extra: &[&str], no_color: bool| {
        let mut command = tec();
        command
            .args(["track", SCENARIO4, LEICS_ACTUALS])
            .args(extra);
        if no_color {
            command.env("NO_COLOR", "1");
        } else {
            command.env_remove("NO_COLOR");
        }
        text(&command.output().unwrap().stdout)
    };
    assert!(
        !track(&[], false).contains('\x1b'),
        "a pipe is never coloured"
    );
    let always = track(&["--color", "always"], true);
    assert!(always.contains("\x1b[33mamber\x1b[0m"), "{always}");
    assert!(always.contains("\x1b[1;31mred\x1b[0m"));
    assert!(always.contains("\x1b[32mgreen\x1b[0m"));
    // Colour codes take no room: the lines are as long as the plain ones.
    let plain = track(&["--color", "never"], false);
    let stripped = always
        .replace("\x1b[33m", "")
        .replace("\x1b[1;31m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, plain);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("track.txt");
    track(
        &[
            "--color",
            "always",
            "-f",
            "table",
            "-o",
            file.to_str().unwrap(),
        ],
        false,
    );
    assert!(!fs::read_to_string(&file).unwrap().contains('\x1b'));
    // On a real terminal (util-linux `script` gives one): coloured unless NO_COLOR is set.
    if let Some(on_terminal) = on_a_terminal(&["track", SCENARIO4, LEICS_ACTUALS], &[]) {
        assert!(on_terminal.contains("\x1b[33mamber"), "{on_terminal}");
        let no_color = on_a_terminal(&["track", SCENARIO4, LEICS_ACTUALS], &[("NO_COLOR", "1")]);
        assert!(!no_color.unwrap().contains("\x1b["));
        let check = on_a_terminal(&["check", "fixtures/hertfordshire.yaml"], &[]).unwrap();
        assert!(check.contains("\x1b[32mpass\x1b[0m"), "{check}");
    }
}

/// What the binary writes with its standard streams on a terminal, through `script`; `None`
/// where `script` is not there.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let binary = env!("CARGO_BIN_EXE_tec-model");
    let line: Vec<String> = std::iter::once(binary)
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect();
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", &line.join(" "), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().ok()?;
    out.status.success().then(|| text(&out.stdout))
}

#[test]
fn check_fail_is_coloured_and_counted_red() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("f.yaml");
    let scenario =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario1.yaml");
    fs::write(
        &fixture,
        format!(
            "figures:\n  - figure: net\n    source: test\n    evidence: prediction\n    scenario: {}\n    measure: summary.cumulative_net\n    published: 1000\n",
            scenario.display()
        ),
    )
    .unwrap();
    let out = output(&["check", fixture.to_str().unwrap(), "--color", "always"]);
    assert_eq!(out.status.code(), Some(1));
    let table = text(&out.stdout);
    assert!(table.contains("\x1b[1;31mFAIL\x1b[0m"), "{table}");
    assert!(
        table.contains("0 passed, \x1b[1;31m1 failed\x1b[0m, 0 known"),
        "{table}"
    );
    // The same run writes its file uncoloured, and still exits 1.
    let json = dir.path().join("check.json");
    let out = output(&[
        "check",
        fixture.to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let rows: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(rows["figures"][0]["verdict"], "fail");
}

#[test]
fn quiet_silences_warnings_and_progress_but_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let source = fs::read_to_string("scenarios/leicestershire/scenario1.yaml").unwrap();
    let biased = source.replacen(
        "  discount_first_year: false\n",
        "  discount_first_year: false\n  optimism_bias: { value: 20, calibrated: true, reason: \"a typo\" }\n",
        1,
    );
    assert_ne!(biased, source);
    let file = dir.path().join("bias.yaml");
    fs::write(&file, biased).unwrap();
    let file = file.to_str().unwrap();
    let loud = output(&["run", file]);
    assert!(text(&loud.stderr).starts_with("warning: "), "{loud:?}");
    let quiet = output(&["-q", "run", file]);
    assert!(quiet.status.success());
    assert_eq!(text(&quiet.stderr), "");
    assert_eq!(quiet.stdout, loud.stdout);
    let quiet = output(&["run", file, "--quiet"]);
    assert_eq!(text(&quiet.stderr), "", "-q goes anywhere on the line");
    let error = output(&["-q", "run", "nowhere.yaml"]);
    assert_eq!(error.status.code(), Some(2));
    assert!(text(&error.stderr).starts_with("error: nowhere.yaml"));
}

#[test]
fn a_progress_bar_only_on_a_terminal_and_never_under_quiet() {
    // Long enough to pass the one second before a bar appears, in a debug build.
    let sweep = [
        "sweep",
        SCENARIO4,
        "--vary",
        "users.attrition=0.1..0.3:200",
        "--vary",
        "users.installs=500..900:200",
        "-o",
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grid.csv");
    let mut args = sweep.to_vec();
    args.push(file.to_str().unwrap());
    let piped = output(&args);
    assert!(piped.status.success());
    assert_eq!(text(&piped.stderr), "", "standard error is a pipe: no bar");
    if let Some(shown) = on_a_terminal(&args, &[]) {
        assert!(shown.contains("/40,000 ("), "{shown}");
        assert!(
            shown.contains("left"),
            "an estimate of the time left: {shown}"
        );
        let mut quiet = args.clone();
        quiet.insert(0, "-q");
        assert!(!on_a_terminal(&quiet, &[]).unwrap().contains("left"));
    }
}

#[test]
fn a_scenario_read_from_standard_input() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire");
    let text_of = |name: &str| fs::read_to_string(folder.join(name)).unwrap();
    // scenario4 extends scenario2: found from the current folder.
    let from_stdin = tec()
        .current_dir(&folder)
        .args(["run", "-"])
        .write_stdin(text_of("scenario4.yaml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(text(&from_stdin), stdout_of(&["run", SCENARIO4]));
    // `-` in and `-o -` out, and one of the compared scenarios.
    let json = tec()
        .current_dir(&folder)
        .args(["run", "-", "-o", "-", "-f", "json"])
        .write_stdin(text_of("scenario1.yaml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["file"], "<stdin>");
    let compared = tec()
        .current_dir(&folder)
        .args(["compare", "scenario1.yaml", "-", "-f", "csv"])
        .write_stdin(text_of("scenario4.yaml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(text(&compared).contains("2498933"), "{}", text(&compared));
    // More than a scenario file may hold is refused, without reading on for ever.
    let mut large = String::from("# a long comment\n");
    while large.len() <= 1024 * 1024 {
        large.push_str("# ..............................................................\n");
    }
    let refused = tec()
        .args(["inputs", "-"])
        .write_stdin(large)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        text(&refused)
            .contains("<stdin>: is more than 1048576 bytes; a scenario file may be at most"),
        "{}",
        text(&refused)
    );
}
