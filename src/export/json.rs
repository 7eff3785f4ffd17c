//! JSON: the report struct as it is, money as exact decimal strings.

use super::Export;
use crate::report::Report;

pub struct JsonExport;

impl Export for JsonExport {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(report).expect("a report always serializes");
        out.push(b'\n');
        out
    }
}
