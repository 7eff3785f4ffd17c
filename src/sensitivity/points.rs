//! `sweep --points FILE.csv`: design points brought from elsewhere (SALib's Saltelli design,
//! a Latin hypercube, a list of what-ifs), a column per input path (named as `--vary` names
//! them) and a row per point, each value read by the one rule for numbers and checked
//! against its input's range before anything runs.

use super::SensitivityError;
use super::vary::check_disjoint;
use crate::scenario::Scenario;
use crate::scenario::input::Input;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// The largest points file read.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Design points, checked.
#[derive(Debug, Clone)]
pub struct Points {
    pub file: PathBuf,
    pub inputs: Vec<Input>,
    /// Row by row, a value per input.
    values: Vec<Decimal>,
}

fn bad(file: &Path, line: Option<u64>, column: Option<usize>, message: String) -> SensitivityError {
    SensitivityError::Points {
        file: file.to_path_buf(),
        line,
        column,
        message,
    }
}

impl Points {
    /// Reads and checks the points in `file` against `scenario`.
    pub fn read(scenario: &Scenario, file: &Path) -> Result<Points, SensitivityError> {
        use crate::input::{ReadError, read_bounded};
        let fail = |m: String| bad(file, None, None, m);
        let bytes = read_bounded(file, MAX_FILE_BYTES).map_err(|e| match e {
            ReadError::Io(e) => fail(format!("cannot read the points file: {e}")),
            ReadError::Directory => fail("is a directory; give a CSV file of points".into()),
            ReadError::TooLarge { .. } => fail(format!(
                "is larger than {MAX_FILE_BYTES} bytes; split the points into several files"
            )),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| fail("is not UTF-8 text; save the points as UTF-8 CSV".into()))?;
        Points::parse(scenario, file, &text)
    }

    /// Parses points from `text` (read from `file`).
    pub fn parse(scenario: &Scenario, file: &Path, text: &str) -> Result<Points, SensitivityError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = reader
            .headers()
            .map_err(|e| bad(file, Some(1), None, format!("cannot read the header: {e}")))?
            .clone();
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(bad(
                file,
                Some(1),
                None,
                "the file is empty; the first line names an input path per column, e.g. `benefits.care_hours.hours_per_week,users.attrition`".into(),
            ));
        }
        let mut inputs = Vec::new();
        for (c, name) in header.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(bad(
                    file,
                    Some(1),
                    Some(c + 1),
                    "the column has no name; name an input path (`tec-model inputs` lists them)"
                        .into(),
                ));
            }
            let input = scenario
                .input(name)
                .map_err(|e| bad(file, Some(1), Some(c + 1), e.to_string()))?;
            inputs.push(input);
        }
        check_disjoint("--points", inputs.iter())
            .map_err(|e| bad(file, Some(1), None, e.to_string()))?;
        let mut values = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line());
                bad(file, line, None, format!("cannot read the row: {e}"))
            })?;
            let line = record.position().map(|p| p.line());
            if record.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            if record.len() != inputs.len() {
                return Err(bad(
                    file,
                    line,
                    None,
                    format!(
                        "the row has {} values, but the header names {} inputs",
                        record.len(),
                        inputs.len()
                    ),
                ));
            }
            for (c, (text, input)) in record.iter().zip(&inputs).enumerate() {
                let at = |m: String| bad(file, line, Some(c + 1), format!("{}: {m}", input.name));
                let value = crate::literal::decimal(text).map_err(at)?.normalize();
                input.check(value).map_err(|e| at(e.to_string()))?;
                values.push(value);
            }
            if values.len() / inputs.len() > super::sweep::MAX_POINTS {
                return Err(bad(
                    file,
                    line,
                    None,
                    format!("more than {} points", super::sweep::MAX_POINTS),
                ));
            }
        }
        Ok(Points {
            file: file.to_path_buf(),
            inputs,
            values,
        })
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.inputs.len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of point `index`, one per input.
    pub fn values_at(&self, index: usize) -> &[Decimal] {
        let width = self.inputs.len();
        &self.values[index * width..(index + 1) * width]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
        crate::scenario::load(&path).unwrap()
    }

    fn parse(text: &str) -> Result<Points, String> {
        Points::parse(&scenario(), Path::new("p.csv"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_a_column_per_input_and_a_row_per_point() {
        let points =
            parse("users.attrition,benefits.care_hours.hours_per_week\n0.1,2\n\n0.25,1.5e0\n")
                .unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(
            points.values_at(1),
            [Decimal::new(25, 2), Decimal::new(15, 1)]
        );
    }

    #[test]
    fn bad_points_name_the_line_and_column() {
        let error = parse("users.attrition,users.atrition\n0.1,0.2\n").unwrap_err();
        assert!(error.starts_with("p.csv:1:2: "), "{error}");
        assert!(error.contains("did you mean `users.attrition`"), "{error}");
        let error = parse("users.attrition,users.installs\n0.1,500\n0.2,lots\n").unwrap_err();
        assert!(error.starts_with("p.csv:3:2: users.installs: "), "{error}");
        let error = parse("users.attrition\n0.1\n1.5\n").unwrap_err();
        assert!(error.starts_with("p.csv:3:1: users.attrition: "), "{error}");
        let error = parse("users.attrition,users.installs\n0.1\n").unwrap_err();
        assert!(error.contains("p.csv:2: the row has 1 values"), "{error}");
        let error = parse("users.installs,users.installs[2023/24]\n1,2\n").unwrap_err();
        assert!(error.contains("sets the same input"), "{error}");
        assert!(parse("").unwrap_err().contains("the file is empty"));
    }
}
