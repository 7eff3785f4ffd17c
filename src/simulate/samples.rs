//! Every iteration of a run, for audit (`--samples`): each block prepared on the worker that
//! made it (its CSV rows formatted, blocks side by side), then handed over in block order as
//! the run absorbs its statistics, so that writing them takes no more memory at ten million
//! iterations than at ten thousand, and formatting runs on every core.

use super::run::{Measure, OutputId};
use crate::scenario::Scenario;
use std::io::Write;

/// One block's iterations, as the run shows them to a [`SampleSink`].
#[derive(Debug, Clone)]
pub struct BlockSamples<'a> {
    /// The block's first iteration, counted from 0.
    pub first: u64,
    /// Which output each of `columns` holds.
    pub outputs: &'a [OutputId],
    /// One column per output, one value per iteration.
    pub columns: Vec<&'a [f64]>,
    /// Each iteration's payback year index; `u8::MAX` when not within the horizon.
    pub payback: &'a [u8],
    /// One column of draws per uncertain variable, when the run keeps draws.
    pub inputs: Vec<&'a [f64]>,
}

impl BlockSamples<'_> {
    /// Iterations in the block.
    pub fn len(&self) -> usize {
        self.payback.len()
    }

    pub fn is_empty(&self) -> bool {
        self.payback.is_empty()
    }
}

/// Where a run's iterations go: every block is prepared once, on any thread, and what was
/// prepared is taken in block order (a second pass over the blocks, when a percentile needs
/// one, prepares nothing again).
pub trait SampleSink: Sync {
    /// What a block becomes before it is taken (its rows, formatted).
    type Prepared: Send + Sync;
    /// Whether blocks are to be prepared and taken at all.
    fn wants_blocks(&self) -> bool {
        true
    }
    fn prepare(&self, block: &BlockSamples<'_>) -> Self::Prepared;
    fn take(&mut self, prepared: Self::Prepared) -> std::io::Result<()>;
}

/// No sink: nothing is prepared or taken.
pub struct NoSamples;

impl SampleSink for NoSamples {
    type Prepared = ();
    fn wants_blocks(&self) -> bool {
        false
    }
    fn prepare(&self, _: &BlockSamples<'_>) {}
    fn take(&mut self, _: ()) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every iteration's outputs, one column per output, in iteration order: the sink that keeps
/// everything in memory, for tests and benches.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    pub outputs: Vec<OutputId>,
    pub columns: Vec<Vec<f64>>,
    /// Payback year index per iteration; `u8::MAX` when not within the horizon.
    pub payback: Vec<u8>,
    /// Each variable's draws, one column per variable, for the iterations whose draws the run
    /// kept.
    pub inputs: Vec<Vec<f64>>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.payback.len()
    }

    pub fn is_empty(&self) -> bool {
        self.payback.is_empty()
    }

    pub fn column(&self, measure: Measure, year: Option<usize>) -> &[f64] {
        let index = self
            .outputs
            .iter()
            .position(|o| o.measure == measure && o.year == year)
            .expect("recorded output");
        &self.columns[index]
    }
}

impl SampleSink for Samples {
    /// The block's columns, copied.
    type Prepared = Samples;

    fn prepare(&self, block: &BlockSamples<'_>) -> Samples {
        let copy = |columns: &[&[f64]]| columns.iter().map(|c| c.to_vec()).collect();
        Samples {
            outputs: block.outputs.to_vec(),
            columns: copy(&block.columns),
            payback: block.payback.to_vec(),
            inputs: copy(&block.inputs),
        }
    }

    fn take(&mut self, block: Samples) -> std::io::Result<()> {
        if self.outputs.is_empty() {
            self.outputs = block.outputs;
            self.columns = vec![Vec::new(); block.columns.len()];
        }
        for (column, values) in self.columns.iter_mut().zip(block.columns) {
            column.extend(values);
        }
        self.payback.extend(block.payback);
        self.inputs
            .resize(block.inputs.len().max(self.inputs.len()), Vec::new());
        for (column, draws) in self.inputs.iter_mut().zip(block.inputs) {
            column.extend(draws);
        }
        Ok(())
    }
}

/// The headline outputs the audit file has, with their column names.
const HEADLINE: [(Measure, &str); 5] = [
    (Measure::CumulativeNet, "cumulative_net"),
    (Measure::Npv, "npv"),
    (Measure::Benefit, "total_benefit"),
    (Measure::Cost, "total_cost"),
    (Measure::ClosingUsers, "closing_users"),
];

/// The `--samples` CSV: a row an iteration with its draws, the headline figures over the
/// horizon and its payback year, written as the blocks arrive.
pub struct SamplesCsv<W: Write> {
    out: W,
    /// The payback column's year labels.
    years: Vec<String>,
}

impl<W: Write + Sync> SamplesCsv<W> {
    /// Starts the file with its header.
    pub fn new(mut out: W, scenario: &Scenario) -> std::io::Result<SamplesCsv<W>> {
        let mut header = csv::Writer::from_writer(Vec::new());
        let variables = scenario
            .uncertainty
            .variables
            .iter()
            .map(|v| v.name.as_str());
        let headline = HEADLINE.iter().map(|(_, name)| *name);
        let names: Vec<&str> = std::iter::once("iteration")
            .chain(variables)
            .chain(headline)
            .chain(["payback_year"])
            .collect();
        header.write_record(crate::export::csv_record(&names))?;
        out.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
        Ok(SamplesCsv {
            out,
            years: (0..scenario.model.years)
                .map(|t| scenario.model.year_label(t))
                .collect(),
        })
    }

    /// Flushes the output and gives it back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// `value` as its shortest decimal that reads back to the same f64, a whole number without a
/// decimal point: `4377563`, `0.8815522206631592`, `5.551115123125783e-17`. ryu rather than
/// `Display` halves the time a block's rows take (bench `simulate/samples_csv_one_block`).
fn shortest(buffer: &mut ryu::Buffer, value: f64) -> &str {
    let text = buffer.format(value);
    text.strip_suffix(".0").unwrap_or(text)
}

impl<W: Write + Sync> SampleSink for SamplesCsv<W> {
    /// The block's rows.
    type Prepared = std::io::Result<Vec<u8>>;

    fn prepare(&self, block: &BlockSamples<'_>) -> std::io::Result<Vec<u8>> {
        let headline: Vec<&[f64]> = HEADLINE
            .iter()
            .map(|(measure, _)| {
                let at = block
                    .outputs
                    .iter()
                    .position(|o| o.measure == *measure && o.year.is_none())
                    .expect("every headline output is recorded");
                block.columns[at]
            })
            .collect();
        let fields = 2 + block.inputs.len() + headline.len();
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(block.len() * 16 * fields));
        let mut record = csv::ByteRecord::with_capacity(24 * fields, fields);
        let (mut whole, mut float) = (itoa::Buffer::new(), ryu::Buffer::new());
        for i in 0..block.len() {
            record.clear();
            record.push_field(whole.format(block.first + i as u64).as_bytes());
            for column in block.inputs.iter().chain(&headline) {
                record.push_field(shortest(&mut float, column[i]).as_bytes());
            }
            let year = self.years.get(block.payback[i] as usize);
            record.push_field(year.map_or("", String::as_str).as_bytes());
            writer.write_byte_record(&record)?;
        }
        writer.into_inner().map_err(|e| e.into_error())
    }

    fn take(&mut self, rows: std::io::Result<Vec<u8>>) -> std::io::Result<()> {
        self.out.write_all(&rows?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<'a>(
        first: u64,
        outputs: &'a [OutputId],
        columns: &'a [Vec<f64>],
        payback: &'a [u8],
        inputs: &'a [Vec<f64>],
    ) -> BlockSamples<'a> {
        BlockSamples {
            first,
            outputs,
            columns: columns.iter().map(Vec::as_slice).collect(),
            payback,
            inputs: inputs.iter().map(Vec::as_slice).collect(),
        }
    }

    #[test]
    fn blocks_make_rows_in_order_and_kept_samples_their_columns() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/leicestershire/scenario4-uncertain.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        let variables = scenario.uncertainty.variables.len();
        let outputs = super::super::run::outputs(scenario.model.years);
        // Output o of iteration i is 100 o + i; draw v is v + i / 10.
        let columns = |from: u64, len: u64| -> Vec<Vec<f64>> {
            (0..outputs.len())
                .map(|o| {
                    (from..from + len)
                        .map(|i| (100 * o as u64 + i) as f64)
                        .collect()
                })
                .collect()
        };
        let inputs = |from: u64, len: u64| -> Vec<Vec<f64>> {
            (0..variables)
                .map(|v| {
                    (from..from + len)
                        .map(|i| v as f64 + i as f64 / 10.0)
                        .collect()
                })
                .collect()
        };
        let (first_columns, first_inputs) = (columns(0, 2), inputs(0, 2));
        let (next_columns, next_inputs) = (columns(2, 1), inputs(2, 1));
        let blocks = [
            block(0, &outputs, &first_columns, &[0, u8::MAX], &first_inputs),
            block(2, &outputs, &next_columns, &[4], &next_inputs),
        ];

        let mut csv = SamplesCsv::new(Vec::new(), &scenario).unwrap();
        let mut kept = Samples::default();
        // Prepared in any order, taken in block order.
        let prepared: Vec<_> = blocks.iter().rev().map(|b| csv.prepare(b)).collect();
        for rows in prepared.into_iter().rev() {
            csv.take(rows).unwrap();
        }
        for b in &blocks {
            let copy = kept.prepare(b);
            kept.take(copy).unwrap();
        }
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0][0], "iteration");
        assert_eq!(rows[0].len(), 1 + variables + 6);
        let at = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
        let cumulative = outputs
            .iter()
            .position(|o| o.measure == Measure::CumulativeNet && o.year.is_none())
            .unwrap();
        for (i, row) in rows[1..].iter().enumerate() {
            assert_eq!(row[0], i.to_string());
            assert_eq!(row[1], (i as f64 / 10.0).to_string());
            assert_eq!(
                row[at("cumulative_net")],
                (100 * cumulative + i).to_string()
            );
        }
        let payback: Vec<&str> = rows[1..].iter().map(|r| r[at("payback_year")]).collect();
        let year = |t| scenario.model.year_label(t);
        assert_eq!(payback, [year(0).as_str(), "", year(4).as_str()]);

        assert_eq!(kept.len(), 3);
        assert_eq!(
            kept.columns[cumulative],
            [0.0, 1.0, 2.0].map(|i| 100.0 * cumulative as f64 + i)
        );
        assert_eq!(kept.inputs[1], [1.0, 1.1, 1.2]);
        assert_eq!(kept.payback, [0, u8::MAX, 4]);
    }

    #[test]
    fn figures_are_written_shortest_and_read_back_exactly() {
        let mut buffer = ryu::Buffer::new();
        for (value, text) in [
            (4_377_563.0, "4377563"),
            (-179_520.0, "-179520"),
            (0.0, "0"),
            (0.8815522206631592, "0.8815522206631592"),
            (2f64.powi(-54), "5.551115123125783e-17"),
            (2510.196326478556, "2510.196326478556"),
        ] {
            assert_eq!(shortest(&mut buffer, value), text);
        }
        let mut x = 0.123_456_789_f64;
        for _ in 0..10_000 {
            x = (x * 7_919.377).fract() * 10f64.powi((x * 40.0) as i32 - 20);
            let text = shortest(&mut buffer, x).to_string();
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                x.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_failing_writer_fails_the_block() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("the disk filled up"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/leicestershire/scenario4-uncertain.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        let outputs = super::super::run::outputs(scenario.model.years);
        let columns = vec![vec![1.0; 10_000]; outputs.len()];
        let inputs = vec![vec![0.5; 10_000]; scenario.uncertainty.variables.len()];
        let payback = vec![1; 10_000];
        let mut csv = SamplesCsv::new(std::io::BufWriter::new(Full), &scenario).unwrap();
        let rows = csv.prepare(&block(0, &outputs, &columns, &payback, &inputs));
        let error = csv.take(rows).unwrap_err();
        assert!(error.to_string().contains("disk filled up"), "{error}");
    }
}
