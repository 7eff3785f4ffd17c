//! Every iteration of a run, for audit (`--samples`): handed over a block at a time, in block
//! order, as the run absorbs its statistics, so that writing them takes no more memory at ten
//! million iterations than at ten thousand.

use super::run::{Measure, OutputId};
use crate::scenario::Scenario;
use std::io::Write;

/// One block's iterations, as the run hands them to a [`SampleSink`].
#[derive(Debug, Clone, Copy)]
pub struct BlockSamples<'a> {
    /// The block's first iteration, counted from 0.
    pub first: u64,
    /// Which output each of `columns` holds.
    pub outputs: &'a [OutputId],
    /// One column per output, one value per iteration.
    pub columns: &'a [Vec<f64>],
    /// Each iteration's payback year index; `u8::MAX` when not within the horizon.
    pub payback: &'a [u8],
    /// One column of draws per uncertain variable, when the run keeps draws.
    pub inputs: &'a [Vec<f64>],
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

/// Where a run's iterations go, every block in order, each exactly once (a second pass over
/// the blocks, when a percentile needs one, hands nothing over again).
pub trait SampleSink {
    fn take(&mut self, block: &BlockSamples<'_>) -> std::io::Result<()>;
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
    fn take(&mut self, block: &BlockSamples<'_>) -> std::io::Result<()> {
        if self.outputs.is_empty() {
            self.outputs = block.outputs.to_vec();
            self.columns = vec![Vec::new(); block.columns.len()];
        }
        for (column, values) in self.columns.iter_mut().zip(block.columns) {
            column.extend_from_slice(values);
        }
        self.payback.extend_from_slice(block.payback);
        self.inputs
            .resize(block.inputs.len().max(self.inputs.len()), Vec::new());
        for (column, draws) in self.inputs.iter_mut().zip(block.inputs) {
            column.extend_from_slice(draws);
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
pub struct SamplesCsv<'a, W: Write> {
    writer: csv::Writer<W>,
    scenario: &'a Scenario,
    /// A row and a field, reused from row to row: formatting allocates nothing.
    record: csv::ByteRecord,
    field: String,
}

impl<'a, W: Write> SamplesCsv<'a, W> {
    /// Starts the file with its header.
    pub fn new(out: W, scenario: &'a Scenario) -> std::io::Result<SamplesCsv<'a, W>> {
        let mut writer = csv::Writer::from_writer(out);
        let variables = scenario
            .uncertainty
            .variables
            .iter()
            .map(|v| v.name.as_str());
        let headline = HEADLINE.iter().map(|(_, name)| *name);
        let header: Vec<&str> = std::iter::once("iteration")
            .chain(variables)
            .chain(headline)
            .chain(["payback_year"])
            .collect();
        writer.write_record(&header)?;
        Ok(SamplesCsv {
            writer,
            scenario,
            record: csv::ByteRecord::with_capacity(256, header.len()),
            field: String::new(),
        })
    }

    fn push(&mut self, value: impl std::fmt::Display) {
        use std::fmt::Write as _;
        self.field.clear();
        write!(self.field, "{value}").expect("formatting into a String cannot fail");
        self.record.push_field(self.field.as_bytes());
    }

    /// Flushes what is buffered and gives the writer back.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> SampleSink for SamplesCsv<'_, W> {
    fn take(&mut self, block: &BlockSamples<'_>) -> std::io::Result<()> {
        let headline: Vec<&[f64]> = HEADLINE
            .iter()
            .map(|(measure, _)| {
                let at = block
                    .outputs
                    .iter()
                    .position(|o| o.measure == *measure && o.year.is_none())
                    .expect("every headline output is recorded");
                block.columns[at].as_slice()
            })
            .collect();
        let years: Vec<String> = (0..self.scenario.model.years)
            .map(|t| self.scenario.model.year_label(t))
            .collect();
        for i in 0..block.len() {
            self.record.clear();
            self.push(block.first + i as u64);
            for column in block.inputs {
                self.push(column[i]);
            }
            for column in &headline {
                self.push(column[i]);
            }
            let payback = block.payback[i];
            let year = years.get(payback as usize).map_or("", String::as_str);
            self.record.push_field(year.as_bytes());
            self.writer.write_byte_record(&self.record)?;
        }
        Ok(())
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
            columns,
            payback,
            inputs,
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
        for b in &blocks {
            csv.take(b).unwrap();
            kept.take(b).unwrap();
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
        // The header fits the csv writer's buffer; ten thousand rows do not.
        let mut csv = SamplesCsv::new(Full, &scenario).unwrap();
        let error = csv
            .take(&block(0, &outputs, &columns, &payback, &inputs))
            .unwrap_err();
        assert!(error.to_string().contains("disk filled up"), "{error}");
    }
}
