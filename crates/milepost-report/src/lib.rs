//! milepost's outputs, from records: CSV, JSON Lines and Excel files ([`output`]), the Cabinet
//! report packs and the tracker appendix, laid out by Typst, with their workbooks ([`report`]),
//! every period of every plan in SQLite ([`history`]), and a run's files made durable together
//! ([`staged`]).
//!
//! Typst, rust_xlsxwriter and SQLite live in this crate only: the extraction crate below it
//! builds and tests without them. The shared ideas and the extraction stages are re-exported
//! under their usual names (`crate::record`, `crate::workbook`, …), so a module here names them
//! as it would in one crate.
#![deny(missing_docs)]

pub mod history;
pub mod output;
pub mod report;
pub mod staged;

pub use milepost_extract::{budget, crops, extracted, layout, normalise, read, rows, tables, workbook, Extracted, Limits};
pub use milepost_model::{clock, config, error, geom, period, record};
