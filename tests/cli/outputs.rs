//! Outputs as the real binary writes them (issue 12): through symbolic links, into hard links,
//! FIFOs and devices, keeping permissions, leaving no debris when interrupted by a signal,
//! quiet when the reader goes away, and a failed stream marked so no reader takes it as data.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tec-model"))
}

fn scenario(name: &str) -> String {
    format!("{REPO}/scenarios/leicestershire/{name}")
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symlink_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.csv"), "old\n").unwrap();
    std::os::unix::fs::symlink("real.csv", dir.path().join("link.csv")).unwrap();
    let out = run_in(
        dir.path(),
        &["run", &scenario("scenario1.yaml"), "-o", "link.csv"],
    );
    assert!(out.status.success(), "{out:?}");
    let link = fs::symlink_metadata(dir.path().join("link.csv")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let real = fs::read_to_string(dir.path().join("real.csv")).unwrap();
    assert!(real.starts_with("\u{feff}section,figure"), "{real}");
    assert_eq!(names_in(dir.path()), ["link.csv", "real.csv"]);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_output_is_rewritten_so_every_name_sees_it() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.csv"), "old\n").unwrap();
    fs::hard_link(dir.path().join("a.csv"), dir.path().join("b.csv")).unwrap();
    let out = run_in(
        dir.path(),
        &["run", &scenario("scenario1.yaml"), "-o", "a.csv"],
    );
    assert!(out.status.success(), "{out:?}");
    let a = fs::metadata(dir.path().join("a.csv")).unwrap();
    let b = fs::metadata(dir.path().join("b.csv")).unwrap();
    assert_eq!(
        (a.ino(), a.nlink()),
        (b.ino(), 2),
        "still one file with two names"
    );
    let text = fs::read_to_string(dir.path().join("b.csv")).unwrap();
    assert!(text.starts_with("\u{feff}section,figure"), "{text}");
    assert_eq!(names_in(dir.path()), ["a.csv", "b.csv"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_output_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for (name, mode) in [("private.csv", 0o600), ("shared.csv", 0o664)] {
        let path = dir.path().join(name);
        fs::write(&path, "old\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        let out = run_in(
            dir.path(),
            &["run", &scenario("scenario1.yaml"), "-o", name],
        );
        assert!(out.status.success(), "{out:?}");
        let after = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(after, mode, "{name}");
        assert_ne!(fs::read_to_string(&path).unwrap(), "old\n");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = run_in(
        dir.path(),
        &["run", &scenario("scenario1.yaml"), "-o", "pipe.csv"],
    );
    assert!(out.status.success(), "{out:?}");
    let received = reader.join().unwrap();
    assert!(received.starts_with("section,figure"), "{received}");
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO is still a FIFO");
    assert_eq!(names_in(dir.path()), ["pipe.csv"]);
}

#[cfg(unix)]
#[test]
fn a_character_device_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let is_device = |p: &str| fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device());
    if !is_device("/dev/null") {
        eprintln!("skipping: /dev/null is not a character device here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["run", &scenario("scenario1.yaml"), "-o", "/dev/null"],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(is_device("/dev/null"), "/dev/null is still the device");
    assert!(
        names_in(Path::new("/dev"))
            .iter()
            .all(|n| !n.starts_with(".tmp"))
    );
}

/// Starts `args` in `dir` and waits until a temporary output file appears beside the target.
fn start_until_pending(dir: &Path, args: &[&str]) -> Child {
    let child = Command::new(binary())
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !names_in(dir).iter().any(|n| n.starts_with(".tmp")) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let it write for a moment, so the temporary files are not empty.
    std::thread::sleep(Duration::from_millis(200));
    child
}

#[cfg(unix)]
#[test]
fn a_signal_removes_every_temporary_file_and_exits_128_plus_its_number() {
    let cases = [
        (libc::SIGINT, 130, "simulate"),
        (libc::SIGTERM, 143, "sweep"),
        (libc::SIGHUP, 129, "simulate"),
    ];
    for (signal, code, command) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("out.json"), "earlier\n").unwrap();
        fs::write(dir.path().join("big.csv"), "earlier\n").unwrap();
        let uncertain = scenario("scenario4-uncertain.yaml");
        let plain = scenario("scenario1.yaml");
        let args: Vec<&str> = if command == "simulate" {
            let n = "200000000";
            vec![
                "simulate",
                &uncertain,
                "-n",
                n,
                "--samples",
                "s.csv",
                "-o",
                "out.json",
            ]
        } else {
            let vary = "benefits.care_hours.hourly_cost=1..100:2000000";
            vec!["sweep", &plain, "--vary", vary, "-o", "big.csv"]
        };
        let child = start_until_pending(dir.path(), &args);
        // SAFETY: kill only sends a signal to the child we started.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{command}: {out:?}");
        assert_eq!(names_in(dir.path()), ["big.csv", "out.json"], "{command}");
        for name in ["big.csv", "out.json"] {
            let text = fs::read_to_string(dir.path().join(name)).unwrap();
            assert_eq!(text, "earlier\n", "{command}: {name} is as it was");
        }
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly_with_exit_0() {
    let vary = "benefits.care_hours.hourly_cost=1..100:200000";
    let mut child = Command::new(binary())
        .args(["sweep", &scenario("scenario1.yaml"), "--vary", vary])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    lines.read_line(&mut first).unwrap();
    assert!(
        first.starts_with("hourly_cost") || first.contains("hourly_cost"),
        "{first}"
    );
    drop(lines);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "nothing said about the broken pipe");
}

/// A grid whose points past the first chunk (4,096) overflow the money type.
const FAILS_LATE: &str = "benefits.care_hours.hourly_cost=1..170000000000000000000000:5000";

#[test]
fn a_sweep_failing_part_way_ends_its_csv_stream_with_a_marker_no_reader_takes() {
    let out = Command::new(binary())
        .args(["sweep", &scenario("scenario1.yaml"), "--vary", FAILS_LATE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("#!\0TEC-MODEL ERROR: THE SWEEP FAILED after 4096 of 5000 points"));
    assert_eq!(
        text.lines().count(),
        4096 + 2,
        "the header, 4,096 good rows, the marker"
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Result<Vec<csv::StringRecord>, csv::Error> = reader.records().collect();
    assert!(rows.is_err(), "a strict CSV reader stops at the marker");
    assert!(String::from_utf8_lossy(&out.stderr).contains("too large for the money type"));
}

#[test]
fn a_sweep_failing_part_way_leaves_json_that_no_reader_takes() {
    let out = Command::new(binary())
        .args(["sweep", &scenario("scenario1.yaml"), "--vary", FAILS_LATE])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.trim_end().ends_with("the output is incomplete !!"),
        "{}",
        &text[text.len() - 200..]
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_err());
}

#[test]
fn a_sweep_failing_in_its_first_chunk_writes_nothing() {
    let vary = "benefits.care_hours.hourly_cost=1..10000000000000000000000000:5000";
    let out = Command::new(binary())
        .args(["sweep", &scenario("scenario1.yaml"), "--vary", vary])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// Scenario 1 with its benefit line labelled as a spreadsheet formula, over two lines.
fn with_label(dir: &Path, label: &str) -> PathBuf {
    let text = fs::read_to_string(scenario("scenario1.yaml")).unwrap();
    let changed = text.replace(
        "label: Home care hours avoided",
        &format!("label: {}", serde_json::to_string(label).unwrap()),
    );
    assert_ne!(text, changed);
    let path = dir.join("labelled.yaml");
    fs::write(&path, changed).unwrap();
    path
}

#[test]
fn a_label_that_a_spreadsheet_would_run_is_written_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = with_label(dir.path(), "=HYPERLINK(\"http://x\",\"care\")");
    let out = Command::new(binary())
        .args(["run", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    let label = "'=HYPERLINK(\"http://x\",\"care\")";
    assert!(cells.iter().any(|c| c.starts_with(label)), "{cells:?}");
    let risky = |c: &&String| c.starts_with(['=', '+', '@']);
    assert_eq!(
        cells.iter().filter(risky).count(),
        0,
        "no cell starts a formula"
    );
    let negative_numbers = cells.iter().filter(|c| c.starts_with('-'));
    assert!(
        negative_numbers
            .into_iter()
            .all(|c| c.parse::<f64>().is_ok())
    );
}

#[test]
fn a_label_with_a_line_break_keeps_markdown_tables_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = with_label(dir.path(), "Home care\nhours | avoided");
    let out = Command::new(binary())
        .args(["run", path.to_str().unwrap(), "--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("| Home care<br>hours \\| avoided (£) |"),
        "{text}"
    );
    let columns = |line: &str| line.matches('|').count() - line.matches("\\|").count();
    let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert!(
        table.iter().all(|l| columns(l) == columns(table[0])),
        "{text}"
    );
}
