//! tec-model: the money case for Technology Enabled Care in adult social care.
//!
//! The library holds the scenario format ([`scenario`]), the model generic over its number
//! type ([`model`], [`number`]), the report of a run ([`report`]), output formats
//! ([`export`]), regression checks against published figures ([`check`]), benefits realisation
//! against actuals ([`track`]) and the command-line layer ([`cli`], [`app`]); input files are
//! read within a bound ([`input`]), numbers in text by one rule ([`literal`]), errors quote
//! at most an excerpt of them ([`excerpt`]), and output files written atomically ([`output`]);
//! colour, quiet mode and progress for a person at a terminal ([`terminal`], [`progress`]);
//! [`robustness`] runs the whole pipeline on arbitrary bytes for the fuzz targets.

pub mod app;
pub mod chart;
pub mod check;
pub mod cli;
pub mod excerpt;
pub mod explain;
pub mod export;
pub mod fit;
pub mod fy;
pub mod html;
pub mod init;
pub mod input;
pub mod listing;
pub mod literal;
pub mod model;
pub mod number;
pub mod output;
pub mod progress;
pub mod report;
pub mod robustness;
pub mod scenario;
pub mod sensitivity;
pub mod simulate;
pub mod sobol;
pub mod stdout;
pub mod terminal;
pub mod track;
pub mod voi;
pub mod workbook;
