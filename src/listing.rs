//! `tec-model inputs`: a scenario's inputs, each with its value (or values per year) and
//! provenance, then every setting that changes money with its default when the file leaves it
//! out; as text lines (the table form), CSV and JSON (a row per input and year, values as
//! exact decimal text) or Markdown.

use crate::export::{Format, csv_record, markdown_cell};
use crate::scenario::Scenario;
use serde::Serialize;

/// One value of an input: a single value, or one year of a series.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputRow {
    pub path: String,
    /// The financial year, for a value per year.
    pub year: Option<String>,
    /// The value as exact decimal text.
    pub value: String,
    pub provenance: String,
}

/// A setting that changes money.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SettingRow {
    pub path: String,
    pub value: String,
    /// `None` when the file gives the value; else what the default means.
    pub default: Option<String>,
}

/// Everything `inputs` lists.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Listing {
    pub scenario: String,
    pub inputs: Vec<InputRow>,
    pub settings: Vec<SettingRow>,
}

impl Listing {
    pub fn of(scenario: &Scenario) -> Listing {
        let params = &scenario.params;
        let mut inputs = Vec::new();
        for (path, slots) in params.grouped() {
            for slot in slots {
                let info = &params.info[slot];
                inputs.push(InputRow {
                    path: path.to_string(),
                    year: info.year.map(|t| scenario.model.year_label(t)),
                    value: params.values[slot].normalize().to_string(),
                    provenance: info.provenance.to_string(),
                });
            }
        }
        let settings = params
            .settings
            .iter()
            .map(|s| SettingRow {
                path: s.path.clone(),
                value: s.value.clone(),
                default: s.default.clone(),
            })
            .collect();
        Listing {
            scenario: scenario.name.clone(),
            inputs,
            settings,
        }
    }
}

/// The listing in `format`.
pub fn render(scenario: &Scenario, format: Format) -> Vec<u8> {
    match format {
        // Xlsx and Svg: the CLI never offers them here; the listing stands in.
        Format::Table | Format::Xlsx | Format::Svg => lines(scenario).into_bytes(),
        Format::Json => crate::export::schema::to_json(&Listing::of(scenario)),
        Format::Csv => csv(&Listing::of(scenario)),
        Format::Markdown => markdown(scenario),
    }
}

/// CSV: a row per input and year, then a row per setting (`kind` tells them apart).
fn csv(listing: &Listing) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut put = |record: [&str; 6]| {
        writer
            .write_record(csv_record(record))
            .expect("CSV to memory");
    };
    put(["kind", "path", "year", "value", "provenance", "default"]);
    for row in &listing.inputs {
        let year = row.year.as_deref().unwrap_or("");
        put(["input", &row.path, year, &row.value, &row.provenance, ""]);
    }
    for s in &listing.settings {
        let (provenance, default) = match &s.default {
            Some(why) => ("default", why.as_str()),
            None => ("given", ""),
        };
        put(["setting", &s.path, "", &s.value, provenance, default]);
    }
    writer.into_inner().expect("CSV to memory")
}

/// An input as the text and Markdown forms show it: its values, the provenance most of its
/// years have, and each year whose own provenance differs.
struct Grouped {
    path: String,
    shown: String,
    provenance: String,
    /// `(year, value, provenance)` of the years set on their own.
    exceptions: Vec<(String, String, String)>,
}

fn grouped(scenario: &Scenario) -> Vec<Grouped> {
    let params = &scenario.params;
    let mut out = Vec::new();
    for (path, slots) in params.grouped() {
        let values: Vec<String> = slots
            .iter()
            .map(|s| params.values[*s].normalize().to_string())
            .collect();
        let shown = if params.info[slots[0]].year.is_some() {
            format!("[{}]", values.join(", "))
        } else {
            values.join("")
        };
        // A year set on its own (`overrides: { path[2023/24]: ... }`) has its own provenance:
        // the series shows the one most of its years have, and each other year its own.
        let provenance = |slot: &usize| &params.info[*slot].provenance;
        let usual = slots
            .iter()
            .map(provenance)
            .max_by_key(|p| {
                let count = slots.iter().filter(|s| provenance(s) == *p).count();
                (
                    count,
                    std::cmp::Reverse(slots.iter().position(|s| provenance(s) == *p)),
                )
            })
            .expect("an input has a slot");
        let exceptions = slots
            .iter()
            .filter(|slot| params.info[**slot].provenance != *usual)
            .map(|slot| {
                let info = &params.info[*slot];
                let year = info.year.map(|t| scenario.model.year_label(t));
                (
                    year.unwrap_or_default(),
                    params.values[*slot].normalize().to_string(),
                    info.provenance.to_string(),
                )
            })
            .collect();
        out.push(Grouped {
            path: path.to_string(),
            shown,
            provenance: usual.to_string(),
            exceptions,
        });
    }
    out
}

/// One line per input path: its value (or values per year) and where it comes from; then one
/// line per setting that changes money, with its default when the file leaves it out.
pub fn lines(scenario: &Scenario) -> String {
    let mut out = String::new();
    for g in grouped(scenario) {
        out.push_str(&format!("{} = {}  ({})\n", g.path, g.shown, g.provenance));
        for (year, value, provenance) in &g.exceptions {
            out.push_str(&format!("{}[{year}] = {value}  ({provenance})\n", g.path));
        }
    }
    for setting in &scenario.params.settings {
        out.push_str(&format!("{setting}\n"));
    }
    out
}

fn markdown(scenario: &Scenario) -> Vec<u8> {
    let cell = |text: &str| markdown_cell(text);
    let mut out = format!(
        "## Inputs: {}\n\n| input | value | provenance |\n| --- | --- | --- |\n",
        cell(&scenario.name)
    );
    for g in grouped(scenario) {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            cell(&g.path),
            cell(&g.shown),
            cell(&g.provenance)
        ));
        for (year, value, provenance) in &g.exceptions {
            out.push_str(&format!(
                "| `{}[{}]` | {} | {} |\n",
                cell(&g.path),
                cell(year),
                cell(value),
                cell(provenance)
            ));
        }
    }
    out.push_str("\n| setting | value | |\n| --- | --- | --- |\n");
    for s in &scenario.params.settings {
        let how = match &s.default {
            Some(why) => format!("default: {why}"),
            None => "given".into(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            cell(&s.path),
            cell(&s.value),
            cell(&how)
        ));
    }
    out.into_bytes()
}
