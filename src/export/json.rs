//! JSON: the report struct as it is, after `schema_version`, money as exact decimal strings.

use super::Export;
use crate::report::Report;

pub struct JsonExport;

impl Export for JsonExport {
    fn render(&self, report: &Report) -> Vec<u8> {
        super::schema::to_json(report)
    }
}
