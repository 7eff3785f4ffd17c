//! The outputs of one run: one or more destinations (`-o a.csv -o b.json`, `-o -` for standard
//! output), each with its format, created before the work (a bad path fails at once), then
//! written, committed together and standard output last; so a long run need not be repeated
//! per format. A CSV file gets a UTF-8 byte-order mark (Excel then reads `£` and `±` right)
//! unless `--no-bom`; standard output, a pipe or a device never does.

use super::{OutputError, Pending};
use crate::export::Format;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The UTF-8 byte-order mark written first in a CSV file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
}

/// One output: where, and in which format (`None`: the command's usual one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub dest: Dest,
    pub format: Option<Format>,
}

/// Every output of a run, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    pub specs: Vec<OutputSpec>,
    /// Whether CSV files begin with a byte-order mark.
    pub bom: bool,
}

/// Why the outputs could not be written.
#[derive(Debug)]
pub enum WriteError {
    File(OutputError),
    Stdout(std::io::Error),
}

impl From<OutputError> for WriteError {
    fn from(error: OutputError) -> WriteError {
        WriteError::File(error)
    }
}

impl Outputs {
    /// One output to standard output.
    pub fn stdout(format: Option<Format>) -> Outputs {
        Outputs {
            specs: vec![OutputSpec {
                dest: Dest::Stdout,
                format,
            }],
            bom: true,
        }
    }

    /// The files among the outputs, to check against the inputs before anything is written.
    pub fn files(&self) -> Vec<&Path> {
        self.specs
            .iter()
            .filter_map(|s| match &s.dest {
                Dest::File(path) => Some(path.as_path()),
                Dest::Stdout => None,
            })
            .collect()
    }

    /// Creates every file output (empty, not yet in place), with `default` as the format of
    /// an output that names none.
    pub fn open(&self, default: Format) -> Result<Open, OutputError> {
        let mut sinks = Vec::with_capacity(self.specs.len());
        for spec in &self.specs {
            let to = match &spec.dest {
                Dest::Stdout => To::Stdout,
                Dest::File(path) => To::File(Pending::create(path)?),
            };
            sinks.push(Sink {
                format: spec.format.unwrap_or(default),
                to,
            });
        }
        Ok(Open {
            sinks,
            bom: self.bom,
        })
    }
}

struct Sink {
    format: Format,
    to: To,
}

enum To {
    Stdout,
    File(Pending),
}

/// The outputs of a run once created: written by [`Open::write`] or streamed by
/// [`Open::streams`] and [`Open::commit`]. Dropped unwritten, every file is removed.
pub struct Open {
    sinks: Vec<Sink>,
    bom: bool,
}

/// One output being streamed: its format and a writer (a CSV file's begins with the mark).
pub struct Stream<'a> {
    pub format: Format,
    pub writer: Box<dyn Write + 'a>,
    /// Standard output (rows there must not run into a progress bar on the same terminal).
    pub is_stdout: bool,
}

impl Open {
    fn bom_for(&self, sink: &Sink) -> bool {
        self.bom
            && sink.format == Format::Csv
            && matches!(&sink.to, To::File(p) if p.is_regular_file())
    }

    /// Renders each format once (`render`) and writes every output: the files, committed
    /// together, then standard output; a table to a terminal is passed through `paint`.
    pub fn write(
        self,
        render: impl Fn(Format) -> Vec<u8>,
        paint: impl Fn(&[u8]) -> Vec<u8>,
    ) -> Result<(), WriteError> {
        let mut rendered: Vec<(Format, Vec<u8>)> = Vec::new();
        for sink in &self.sinks {
            if !rendered.iter().any(|(f, _)| *f == sink.format) {
                rendered.push((sink.format, render(sink.format)));
            }
        }
        let bytes = |format: Format| {
            &rendered
                .iter()
                .find(|(f, _)| *f == format)
                .expect("rendered")
                .1
        };
        let boms: Vec<bool> = self.sinks.iter().map(|s| self.bom_for(s)).collect();
        let mut stdout = Vec::new();
        let mut files = Vec::new();
        for (sink, bom) in self.sinks.into_iter().zip(boms) {
            match sink.to {
                To::Stdout => stdout.push(sink.format),
                To::File(mut pending) => {
                    pending.write_with(|w| {
                        if bom {
                            w.write_all(BOM)?;
                        }
                        w.write_all(bytes(sink.format))
                    })?;
                    files.push(pending);
                }
            }
        }
        for pending in files {
            pending.commit()?;
        }
        let width = crate::fit::stdout_width();
        for format in stdout {
            let text = bytes(format);
            // A table to a terminal fits its width; a file or pipe gets the full width.
            let fitted;
            let text = match width {
                Some(width) if format == Format::Table => {
                    fitted = crate::fit::fit(&String::from_utf8_lossy(text), width).into_bytes();
                    &fitted
                }
                _ => text,
            };
            let coloured;
            let text = if format == Format::Table && crate::terminal::stdout_coloured() {
                coloured = paint(text);
                &coloured
            } else {
                text
            };
            crate::stdout::write_all(text).map_err(WriteError::Stdout)?;
        }
        Ok(())
    }

    /// A writer for every output, in the order given, for content written as it is made (a
    /// sweep's rows); then [`Open::commit`]. Standard output is locked for the duration.
    pub fn streams(&mut self) -> Result<Vec<Stream<'_>>, WriteError> {
        let boms: Vec<bool> = self.sinks.iter().map(|s| self.bom_for(s)).collect();
        let mut streams = Vec::with_capacity(self.sinks.len());
        for (sink, bom) in self.sinks.iter_mut().zip(boms) {
            let is_stdout = matches!(sink.to, To::Stdout);
            let (mut writer, path): (Box<dyn Write>, Option<PathBuf>) = match &mut sink.to {
                To::Stdout => (
                    Box::new(std::io::BufWriter::new(
                        crate::stdout::lock().map_err(WriteError::Stdout)?,
                    )),
                    None,
                ),
                To::File(pending) => {
                    let path = pending.path().to_path_buf();
                    (Box::new(pending.writer()?), Some(path))
                }
            };
            if bom {
                writer.write_all(BOM).map_err(|source| match path {
                    Some(path) => WriteError::File(OutputError { path, source }),
                    None => WriteError::Stdout(source),
                })?;
            }
            streams.push(Stream {
                format: sink.format,
                is_stdout,
                writer,
            });
        }
        Ok(streams)
    }

    /// The destination of the output at `index`, to name it in an error.
    pub fn dest(&self, index: usize) -> Dest {
        match &self.sinks[index].to {
            To::Stdout => Dest::Stdout,
            To::File(pending) => Dest::File(pending.path().to_path_buf()),
        }
    }

    /// Puts every streamed file in place (after the streams are flushed and dropped).
    pub fn commit(self) -> Result<(), OutputError> {
        for sink in self.sinks {
            if let To::File(pending) = sink.to {
                pending.commit()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(dir: &Path, names: &[&str], bom: bool) -> Outputs {
        Outputs {
            specs: names
                .iter()
                .map(|n| OutputSpec {
                    dest: Dest::File(dir.join(n)),
                    format: None,
                })
                .collect(),
            bom,
        }
    }

    #[test]
    fn each_format_is_rendered_once_and_only_csv_files_get_the_mark() {
        let dir = tempfile::tempdir().unwrap();
        let mut set = outputs(dir.path(), &["a.csv", "b.csv", "c.json"], true);
        set.specs[0].format = Some(Format::Csv);
        set.specs[1].format = Some(Format::Csv);
        set.specs[2].format = Some(Format::Json);
        let renders = std::cell::Cell::new(0);
        let render = |format: Format| {
            renders.set(renders.get() + 1);
            format!("{format:?}").into_bytes()
        };
        set.open(Format::Table)
            .unwrap()
            .write(render, |t| t.to_vec())
            .unwrap();
        assert_eq!(renders.get(), 2, "CSV once for two files, JSON once");
        assert_eq!(
            std::fs::read(dir.path().join("a.csv")).unwrap(),
            b"\xEF\xBB\xBFCsv"
        );
        assert_eq!(
            std::fs::read(dir.path().join("b.csv")).unwrap(),
            b"\xEF\xBB\xBFCsv"
        );
        assert_eq!(std::fs::read(dir.path().join("c.json")).unwrap(), b"Json");
        let mut plain = outputs(dir.path(), &["a.csv"], false);
        plain.specs[0].format = Some(Format::Csv);
        plain
            .open(Format::Table)
            .unwrap()
            .write(render, |t| t.to_vec())
            .unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"Csv");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_gets_no_mark_and_a_bad_path_leaves_no_other_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut device = outputs(Path::new("/dev"), &["null"], true);
        device.specs[0].format = Some(Format::Csv);
        let open = device.open(Format::Table).unwrap();
        assert!(!open.bom_for(&open.sinks[0]), "no mark into a device");
        open.write(|_| b"x".to_vec(), |t| t.to_vec()).unwrap();
        let bad = outputs(dir.path(), &["good.csv", "no/such/folder.csv"], true);
        assert!(bad.open(Format::Csv).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
