//! Writes a sweep into one or more outputs at once (`-o grid.csv -o grid.json -o -`): each
//! chunk of points is evaluated once and written to every output in its own format, CSV and
//! JSON as the chunks arrive, tables once every point is in. A point that fails after output
//! has begun ends each streamed output with the marker of a failed stream
//! ([`super::sweep::failed_csv_line`]).

use super::SensitivityError;
use super::outputs;
use super::sweep::{Row, Sweep, failed_csv_line, failed_json_text};
use crate::check::measure::Measured;
use crate::export::Format;
use crate::scenario::Scenario;
use std::io::Write;

/// One output of the sweep: its format and where it goes.
pub struct Sink<'a> {
    pub format: Format,
    pub writer: &'a mut dyn Write,
    /// Standard output: a table there fits the terminal's width (`fit`), as every other
    /// command's does.
    pub is_stdout: bool,
}

/// Why a sweep stopped: its own error, or a write to output `sink` that failed.
#[derive(Debug)]
pub enum SweepWriteError {
    Sweep(SensitivityError),
    Write { sink: usize, source: std::io::Error },
}

impl From<SensitivityError> for SweepWriteError {
    fn from(error: SensitivityError) -> Self {
        SweepWriteError::Sweep(error)
    }
}

/// A chunk's writing, and what wraps it (hiding a progress bar meanwhile).
pub type ChunkWrite<'w> = dyn FnMut() -> Result<(), SweepWriteError> + 'w;
pub type Around<'a> = dyn Fn(&mut ChunkWrite<'_>) -> Result<(), SweepWriteError> + 'a;

/// How far each streamed output has got.
#[derive(Default, Clone, Copy)]
struct State {
    started: bool,
}

impl Sweep {
    /// Writes the sweep to every sink; `progress` hears the points done after each chunk, and
    /// `around_write` wraps each chunk's writing (to hide a progress bar meanwhile).
    pub fn write_to(
        &self,
        scenario: &Scenario,
        sinks: &mut [Sink<'_>],
        progress: &dyn Fn(u64),
        around_write: &Around<'_>,
    ) -> Result<(), SweepWriteError> {
        let mut states = vec![State::default(); sinks.len()];
        let keep_all = sinks
            .iter()
            .any(|s| matches!(s.format, Format::Table | Format::Markdown | Format::Xlsx));
        let mut all_rows: Vec<Row> = Vec::new();
        let header: Vec<&str> = (self.inputs().into_iter().map(|i| i.name.as_str()))
            .chain(self.outputs.iter().map(String::as_str))
            .collect();
        for chunk in self.chunks() {
            let start = chunk.start;
            let end = chunk.end;
            let rows = match self.evaluate(scenario, chunk) {
                Ok(rows) => rows,
                Err(error) => {
                    // A chunk is written only once every point in it is evaluated; a stream
                    // already begun is ended so that no reader takes it for a whole result.
                    let mut mark = || {
                        for (k, sink) in sinks.iter_mut().enumerate() {
                            let marker = match (sink.format, states[k].started) {
                                (Format::Csv, true) => {
                                    failed_csv_line(start, self.points(), &error, header.len())
                                }
                                (Format::Json, true) => {
                                    failed_json_text(start, self.points(), &error)
                                }
                                _ => continue,
                            };
                            write_or(k, sink.writer.write_all(marker.as_bytes()))?;
                            write_or(k, sink.writer.flush())?;
                        }
                        Ok(())
                    };
                    around_write(&mut mark)?;
                    return Err(SweepWriteError::Sweep(error));
                }
            };
            let mut write = || {
                for (k, sink) in sinks.iter_mut().enumerate() {
                    match sink.format {
                        Format::Csv => {
                            self.csv_chunk(&header, start, &rows, &mut states[k], sink.writer)
                        }
                        Format::Json => self.json_chunk(start, &rows, &mut states[k], sink.writer),
                        // Tables are written at the end; an SVG chart by the command.
                        Format::Table | Format::Markdown | Format::Svg | Format::Xlsx => Ok(()),
                    }
                    .and_then(|_| sink.writer.flush())
                    .map_err(|source| SweepWriteError::Write { sink: k, source })?;
                }
                Ok(())
            };
            around_write(&mut write)?;
            if keep_all {
                all_rows.extend(rows);
            }
            progress(end as u64);
        }
        let mut finish = || {
            for (k, sink) in sinks.iter_mut().enumerate() {
                let end = match sink.format {
                    Format::Csv | Format::Svg => continue,
                    // The workbook needs every row, so it is written once they are all in.
                    Format::Xlsx => {
                        let bytes =
                            crate::workbook::of::sweep(self, &all_rows, scenario.model.rounding)
                                .map_err(|e| SweepWriteError::Write {
                                    sink: k,
                                    source: std::io::Error::other(e.to_string()),
                                })?;
                        write_or(k, sink.writer.write_all(&bytes))?;
                        write_or(k, sink.writer.flush())?;
                        continue;
                    }
                    Format::Json if states[k].started => "\n  ]\n}\n".to_string(),
                    Format::Json => format!(
                        "{{\n  \"schema_version\": {},\n  \"rows\": []\n}}\n",
                        crate::export::schema::SCHEMA_VERSION
                    ),
                    Format::Table if sink.is_stdout => {
                        let tables = self.tables(&all_rows, Format::Table);
                        match crate::fit::stdout_width() {
                            Some(width) => crate::fit::fit(&tables, width),
                            None => tables,
                        }
                    }
                    format => self.tables(&all_rows, format),
                };
                write_or(k, sink.writer.write_all(end.as_bytes()))?;
                write_or(k, sink.writer.flush())?;
            }
            Ok(())
        };
        around_write(&mut finish)
    }

    fn csv_chunk(
        &self,
        header: &[&str],
        start: usize,
        rows: &[Row],
        state: &mut State,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        if !state.started {
            writer
                .write_record(crate::export::csv_record(header))
                .map_err(io_error)?;
            state.started = true;
        }
        for (offset, row) in rows.iter().enumerate() {
            let inputs = self
                .values_at(start + offset)
                .into_iter()
                .map(|v| v.to_string());
            let record: Vec<String> = inputs.chain(row.iter().map(outputs::plain)).collect();
            writer.write_record(&record).map_err(io_error)?;
        }
        writer.flush()
    }

    fn json_chunk(
        &self,
        start: usize,
        rows: &[Row],
        state: &mut State,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        for (offset, row) in rows.iter().enumerate() {
            let mut inputs = serde_json::Map::new();
            for (input, value) in self
                .inputs()
                .into_iter()
                .zip(self.values_at(start + offset))
            {
                inputs.insert(input.name.clone(), value.to_string().into());
            }
            let mut figures = serde_json::Map::new();
            for (name, value) in self.outputs.iter().zip(row) {
                let json = match value {
                    Measured::Year(None) => serde_json::Value::Null,
                    v => outputs::plain(v).into(),
                };
                figures.insert(name.clone(), json);
            }
            let object = SweepRow {
                inputs,
                outputs: figures,
            };
            if state.started {
                out.write_all(b",\n    ")?;
            } else {
                let version = crate::export::schema::SCHEMA_VERSION;
                write!(
                    out,
                    "{{\n  \"schema_version\": {version},\n  \"rows\": [\n    "
                )?;
            }
            state.started = true;
            serde_json::to_writer(&mut *out, &object).map_err(std::io::Error::from)?;
        }
        Ok(())
    }
}

/// `sweep`'s JSON, streamed: `schema_version`, then `rows` written as they are computed.
#[derive(schemars::JsonSchema)]
pub struct SweepJson {
    /// One row per point, in the order of the grid.
    pub rows: Vec<SweepRow>,
}

/// One point of a sweep.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct SweepRow {
    /// Each varied input's value, as exact decimal text, by input name.
    #[schemars(with = "std::collections::BTreeMap<String, crate::export::schema::DecimalText>")]
    pub inputs: serde_json::Map<String, serde_json::Value>,
    /// Each output: an amount as exact decimal text, a year as its label, `null` for no year.
    #[schemars(with = "std::collections::BTreeMap<String, Option<String>>")]
    pub outputs: serde_json::Map<String, serde_json::Value>,
}

fn write_or(sink: usize, result: std::io::Result<()>) -> Result<(), SweepWriteError> {
    result.map_err(|source| SweepWriteError::Write { sink, source })
}

/// The I/O error under a CSV error, so that a reader gone away is still seen as one.
fn io_error(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
