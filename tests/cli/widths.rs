//! Issue 15: tables fit the terminal. `TEC_MODEL_WIDTH` makes standard output count as a
//! terminal that wide (the documented test hook); a pipe or file gets the full width, and so
//! does `--wide`.

use super::{LEICS_ACTUALS, SCENARIO4, tec};

/// Standard output of a command run as on a terminal `width` columns wide (`None`: a pipe).
fn at_width(args: &[&str], width: Option<usize>) -> String {
    let mut command = tec();
    command
        .args(args)
        .env_remove("TEC_MODEL_WIDTH")
        .env("NO_COLOR", "1");
    if let Some(width) = width {
        command.env("TEC_MODEL_WIDTH", width.to_string());
    }
    let out = command.output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

const TRACK: [&str; 3] = ["track", SCENARIO4, LEICS_ACTUALS];

#[test]
fn run_check_and_track_fit_80_and_120_columns() {
    for width in [80, 120] {
        let run = at_width(&["run", SCENARIO4], Some(width));
        assert!(widest(&run) <= width, "run at {width}:\n{run}");
        insta::assert_snapshot!(format!("run_at_{width}"), run);
        let check = at_width(&["check", "fixtures/leicestershire.yaml"], Some(width));
        assert!(widest(&check) <= width, "check at {width}:\n{check}");
        insta::assert_snapshot!(format!("check_at_{width}"), check);
        let track = at_width(&TRACK, Some(width));
        assert!(widest(&track) <= width, "track at {width}:\n{track}");
        insta::assert_snapshot!(format!("track_at_{width}"), track);
    }
}

#[test]
fn a_ten_year_case_and_simulate_fit_too() {
    let simulate = [
        "simulate",
        "scenarios/leicestershire/scenario4-uncertain.yaml",
        "-n",
        "200",
        "-q",
    ];
    for args in [
        &["run", "scenarios/examples/time-profile.yaml"][..],
        &simulate[..],
    ] {
        let text = at_width(args, Some(80));
        assert!(widest(&text) <= 80, "{args:?}:\n{text}");
    }
}

#[test]
fn a_pipe_a_file_and_wide_get_the_full_width() {
    let full = at_width(&["run", SCENARIO4], None);
    assert!(
        widest(&full) > 120,
        "the table piped is whole: {}",
        widest(&full)
    );
    assert_eq!(at_width(&["run", SCENARIO4, "--wide"], Some(80)), full);
    let check = at_width(&["check", "fixtures/leicestershire.yaml"], None);
    assert!(widest(&check) > 120);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.txt");
    let file_arg = file.to_str().unwrap();
    // A file named by `-o` is full width even while standard output counts as a terminal.
    at_width(
        &["run", SCENARIO4, "--format", "table", "-o", file_arg],
        Some(80),
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), full);
}

#[test]
fn the_split_blocks_hold_every_year_once_and_repeat_the_labels() {
    let fitted = at_width(&["run", SCENARIO4], Some(80));
    for year in ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"] {
        assert_eq!(
            fitted.matches(year).count(),
            1 + usize::from(year == "2022/23"),
            "{year}"
        );
    }
    let blocks = fitted.matches('┌').count();
    assert!(blocks >= 2, "{fitted}");
    assert_eq!(fitted.matches("│ Installs").count(), blocks);
}

/// A sweep's two-way tables are written after its streamed rows, yet fit the terminal as every
/// other table does; piped, `--wide` or to a file they are whole.
#[test]
fn a_sweeps_two_way_tables_fit_the_terminal_too() {
    let args = [
        "sweep",
        SCENARIO4,
        "--vary",
        "users.attrition=0.1..0.3:5",
        "--vary",
        "benefits.care_hours.hours_per_week=1..3:9",
    ];
    let full = at_width(&args, None);
    assert!(widest(&full) > 80, "{full}");
    let fitted = at_width(&args, Some(80));
    assert!(widest(&fitted) <= 80, "{fitted}");
    // Every value of the varied hours still appears as a column, once per output's table.
    for hours in ["1.25", "2.75", "3"] {
        assert_eq!(
            fitted.matches(&format!(" {hours} │")).count(),
            full.matches(&format!(" {hours} │")).count(),
            "{hours}\n{fitted}"
        );
    }
    let mut wide = args.to_vec();
    wide.push("--wide");
    assert_eq!(at_width(&wide, Some(80)), full);
}
