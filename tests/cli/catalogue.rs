//! The catalogue of bad inputs (`tests/catalogue/cases.yaml`): every case is run through the
//! real binary in a fresh folder and must exit with its code, print its message fragment on
//! standard error naming the file at fault, print nothing on standard output, never panic,
//! finish within its time, and leave the folder exactly as it found it (no output, whole or
//! partial, no temporary file, and every input file as it was).
//!
//! Cases are data: adding a command's bad inputs means adding entries to the YAML file.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// The catalogue must keep at least this many cases (issue 6).
const MINIMUM_CASES: usize = 40;
/// A generous bound for a debug build on a busy 2-core machine.
const DEFAULT_SECONDS: f64 = 30.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// A short, unique name.
    name: String,
    /// What the case is about (for readers and failure messages).
    what: String,
    /// Files (and folders) made in the case's empty folder before the run.
    #[serde(default)]
    files: Vec<FileSpec>,
    /// The command line after `tec-model`, run in the case's folder; `{repo}` is this
    /// repository.
    args: Vec<String>,
    /// The exit code.
    code: i32,
    /// Fragments that standard error must contain.
    stderr: OneOrMany,
    /// The file that standard error must name; default: the first file of `files`.
    names: Option<String>,
    /// The longest the run may take, in seconds.
    max_seconds: Option<f64>,
    /// An address-space limit for the run, in MiB (bounded memory).
    memory_mb: Option<u64>,
    /// `full`: standard output is /dev/full (writes fail); `closed`: standard output is
    /// closed when the process starts.
    stdout: Option<String>,
    /// Fragments that standard error must not contain (a wrong hint, a parser's jargon).
    stderr_lacks: Option<OneOrMany>,
    /// The most bytes standard error may hold (an error quotes an excerpt, not a file).
    stderr_max_bytes: Option<usize>,
    /// Text given on standard input (`{repo}` replaced); default: none (/dev/null).
    stdin: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn all(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(list) => list.iter().map(String::as_str).collect(),
        }
    }
}

/// One file of a case. Exactly one way of giving its content.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    path: String,
    /// The text itself (`{repo}` is replaced).
    text: Option<String>,
    /// Raw bytes, in hexadecimal (spaces allowed).
    hex: Option<String>,
    /// A file of this repository to start from, changed by `replace` and `append`.
    copy: Option<String>,
    /// Pairs `[from, to]`: every `from` (which must occur) becomes `to`.
    #[serde(default)]
    replace: Vec<(String, String)>,
    append: Option<String>,
    /// Generated text: `head`, then `unit` `times` times (`{n}` in it is the count from 0),
    /// then `tail`; a list of these is joined.
    repeat: Option<Repeats>,
    /// Make a folder instead of a file.
    #[serde(default)]
    dir: bool,
    /// Make a symbolic link to this target instead of a file.
    symlink: Option<String>,
    /// Make a hard link to this file (made earlier in the list) instead of a file.
    hardlink: Option<String>,
    /// The file's permissions, in octal (`"444"`: read-only).
    mode: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Repeats {
    One(Repeat),
    Many(Vec<Repeat>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    #[serde(default)]
    head: String,
    unit: String,
    times: usize,
    #[serde(default)]
    tail: String,
}

fn repo(text: &str) -> String {
    text.replace("{repo}", REPO)
}

fn make(dir: &Path, spec: &FileSpec) -> Result<(), String> {
    let path = dir.join(&spec.path);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    if spec.dir {
        return fs::create_dir_all(&path).map_err(|e| e.to_string());
    }
    if let Some(target) = &spec.symlink {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(target, &path).map_err(|e| e.to_string());
        #[cfg(not(unix))]
        return Err(format!("symlink {target}: unix only"));
    }
    if let Some(target) = &spec.hardlink {
        return fs::hard_link(dir.join(target), &path).map_err(|e| e.to_string());
    }
    let bytes: Vec<u8> = if let Some(text) = &spec.text {
        repo(text).into_bytes()
    } else if let Some(hex) = &spec.hex {
        let digits: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
        (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?
    } else if let Some(source) = &spec.copy {
        let mut text = fs::read_to_string(Path::new(REPO).join(source))
            .map_err(|e| format!("{source}: {e}"))?;
        for (from, to) in &spec.replace {
            let from = repo(from);
            if !text.contains(&from) {
                return Err(format!("{source} does not contain {from:?}"));
            }
            text = text.replace(&from, &repo(to));
        }
        if let Some(extra) = &spec.append {
            text.push_str(&repo(extra));
        }
        text.into_bytes()
    } else if let Some(repeats) = &spec.repeat {
        let list = match repeats {
            Repeats::One(r) => std::slice::from_ref(r),
            Repeats::Many(list) => list.as_slice(),
        };
        let mut text = String::new();
        for r in list {
            text.push_str(&repo(&r.head));
            for n in 0..r.times {
                text.push_str(&r.unit.replace("{n}", &n.to_string()));
            }
            text.push_str(&repo(&r.tail));
        }
        text.into_bytes()
    } else {
        return Err(format!(
            "{}: give text, hex, copy, repeat, dir or symlink",
            spec.path
        ));
    };
    fs::write(&path, bytes).map_err(|e| e.to_string())?;
    if let Some(mode) = &spec.mode {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = u32::from_str_radix(mode, 8).map_err(|e| format!("mode {mode}: {e}"))?;
            fs::set_permissions(&path, fs::Permissions::from_mode(mode))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Every path under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            found.insert(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
        }
    }
    found
}

/// The bytes of every regular file among `paths` (under `dir`).
fn contents(dir: &Path, paths: &BTreeSet<PathBuf>) -> Vec<Option<Vec<u8>>> {
    paths
        .iter()
        .map(|p| dir.join(p))
        .filter(|p| fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .map(|p| fs::read(p).ok())
        .collect()
}

fn load() -> Vec<Case> {
    let path = Path::new(REPO).join("tests/catalogue/cases.yaml");
    let text = fs::read_to_string(&path).expect("tests/catalogue/cases.yaml");
    serde_yaml::from_str(&text).expect("the catalogue parses")
}

/// Runs `command` to its end, or kills it after `deadline` (a hang must fail the case, not
/// stall the suite).
fn finish(mut command: Command, deadline: Duration) -> std::io::Result<std::process::Output> {
    use std::io::Read;
    let started = Instant::now();
    let mut child = command.spawn()?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > deadline {
            child.kill()?;
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Runs one case; returns what went wrong, if anything.
fn run(case: &Case, binary: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = tempfile::tempdir().expect("temporary folder");
    for spec in &case.files {
        if let Err(e) = make(dir.path(), spec) {
            return vec![format!("cannot make {}: {e}", spec.path)];
        }
    }
    let before = tree(dir.path());
    let written = contents(dir.path(), &before);
    let args: Vec<String> = case.args.iter().map(|a| repo(a)).collect();
    let mut command = match case.memory_mb {
        // `ulimit -v` bounds the address space of the run and nothing else.
        Some(mb) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mb * 1024))
                .arg(binary)
                .args(&args);
            c
        }
        None => {
            let mut c = Command::new(binary);
            c.args(&args);
            c
        }
    };
    command
        .current_dir(dir.path())
        .env("RAYON_NUM_THREADS", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    // Standard input from a file outside the case's folder, which must be left as it was.
    let _stdin_file = match &case.stdin {
        Some(text) => {
            let mut file = tempfile::tempfile().expect("a temporary file");
            std::io::Write::write_all(&mut file, repo(text).as_bytes()).expect("written");
            std::io::Seek::rewind(&mut file).expect("rewound");
            command.stdin(file.try_clone().expect("a second handle"));
            Some(file)
        }
        None => None,
    };
    match case.stdout.as_deref() {
        None => {
            command.stdout(Stdio::piped());
        }
        Some("full") => {
            // Only the real device fills every write: a plain file called /dev/full (left by a
            // tool that replaced the device) would take the output and prove nothing.
            use std::os::unix::fs::FileTypeExt;
            let is_device = fs::metadata("/dev/full").is_ok_and(|m| m.file_type().is_char_device());
            if !is_device {
                eprintln!(
                    "skipping case `{}`: /dev/full is not a character device here",
                    case.name
                );
                return Vec::new();
            }
            match fs::OpenOptions::new().write(true).open("/dev/full") {
                Ok(full) => {
                    command.stdout(full);
                }
                Err(e) => {
                    eprintln!("skipping case `{}`: cannot open /dev/full: {e}", case.name);
                    return Vec::new();
                }
            }
        }
        Some("closed") => {
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                command.stdout(Stdio::null());
                // SAFETY: close is async-signal-safe, as pre_exec requires.
                unsafe {
                    command.pre_exec(|| {
                        libc::close(1);
                        Ok(())
                    });
                }
            }
        }
        Some(other) => return vec![format!("unknown stdout `{other}`")],
    }
    let limit = case.max_seconds.unwrap_or(DEFAULT_SECONDS);
    let started = Instant::now();
    let output = match finish(command, Duration::from_secs_f64(limit * 2.0)) {
        Ok(output) => output,
        Err(e) => return vec![format!("cannot run: {e}")],
    };
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    if output.status.code() != Some(case.code) {
        problems.push(format!(
            "exit {:?}, expected {}",
            output.status.code(),
            case.code
        ));
    }
    for fragment in case.stderr.all() {
        if !stderr.contains(&repo(fragment)) {
            problems.push(format!("stderr lacks {fragment:?}"));
        }
    }
    let names = case
        .names
        .clone()
        .or_else(|| case.files.first().map(|f| f.path.clone()));
    if let Some(name) = names.filter(|n| !n.is_empty()) {
        if !stderr.contains(&name) {
            problems.push(format!("stderr does not name {name}"));
        }
    }
    for fragment in case
        .stderr_lacks
        .as_ref()
        .map(OneOrMany::all)
        .unwrap_or_default()
    {
        if stderr.contains(&repo(fragment)) {
            problems.push(format!("stderr holds {fragment:?}"));
        }
    }
    if let Some(most) = case.stderr_max_bytes {
        if output.stderr.len() > most {
            problems.push(format!(
                "stderr is {} bytes, more than {most}",
                output.stderr.len()
            ));
        }
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        problems.push("it panicked".into());
    }
    if case.code == 2 && !stdout.is_empty() {
        problems.push(format!("printed on stdout: {:.200}", stdout));
    }
    if took > Duration::from_secs_f64(limit) {
        problems.push(format!("took {took:?}, more than {limit} s"));
    }
    let after = tree(dir.path());
    let added: Vec<_> = after.difference(&before).collect();
    if !added.is_empty() {
        problems.push(format!("left files behind: {added:?}"));
    }
    for path in before.iter().filter(|p| !after.contains(*p)) {
        problems.push(format!("{} was removed", path.display()));
    }
    if contents(dir.path(), &before) != written {
        problems.push("an input file was changed".into());
    }
    if !problems.is_empty() {
        problems.push(format!("stderr was: {}", stderr.trim_end()));
    }
    problems
}

/// Runs every case and reports every failure at once.
pub fn run_all(binary: &Path) {
    let cases = load();
    assert!(
        cases.len() >= MINIMUM_CASES,
        "the catalogue has {} cases; keep at least {MINIMUM_CASES}",
        cases.len()
    );
    let mut names = BTreeSet::new();
    for case in &cases {
        assert!(names.insert(&case.name), "case `{}` twice", case.name);
    }
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let problems = run(case, binary);
            (!problems.is_empty()).then(|| {
                format!(
                    "{} ({}):\n    {}",
                    case.name,
                    case.what,
                    problems.join("\n    ")
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} catalogue cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
