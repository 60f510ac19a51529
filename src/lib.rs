//! milepost turns the PDF appendices of public bodies (milestone trackers, action plans) into
//! typed records, and the records into report packs.
//!
//! The work is split into crates, each depending only on those below it (`crates/`):
//!
//! - `milepost-model`: the shared ideas below every stage: [`record`] (the typed records),
//!   [`period`] (a reporting period, a document's plan and period), [`clock`], [`config`] (the
//!   files users edit), [`error`], [`geom`] (boxes, colours).
//! - `milepost-extract`: the extraction stages, one module each, each taking the previous one's
//!   output, with no Typst and no SQLite:
//!   1. [`read`]: a PDF file → [`read::Document`]: glyphs, strokes and fills per page (hayro).
//!   2. [`layout`]: a page → [`layout::PageLayout`]: words, lines, rulings, shaded boxes.
//!   3. [`tables`]: a page layout → [`tables::Table`]s: grids of cells with spans and fills.
//!   4. [`rows`]: a document's tables → [`rows::RawRow`]s, with the hierarchy carried down.
//!   5. [`normalise`]: a raw row → [`record::Record`]: status scale, dates, clean text, flags.
//!
//!   [`extract`] runs them on one file; [`workbook`] reads a pack workbook officers updated back
//!   into records (the quarterly cycle's return leg); [`budget`] is what one document may cost;
//!   [`crops`] draws where rows to review came from; [`extracted`] is what one document gave.
//! - `milepost-score`: [`score`], records against hand-checked truth.
//! - `milepost-report`: [`output`] (CSV, JSON Lines, Excel), [`report`] (Cabinet report packs
//!   and the appendix, Typst, and their workbooks), [`history`] (every period of every plan, in
//!   SQLite), [`staged`] (a run's outputs made durable together).
//! - this crate: [`batch`] (many documents in parallel, the run manifest), [`isolate`] (a
//!   document read in a worker process), [`review`] (the review page) and the CLI.
//!
//! Each module is re-exported here under its name, so `milepost::record::Record` and
//! `milepost::extract` work whichever crate holds them.
#![deny(missing_docs)]

pub mod batch;
pub mod isolate;
pub mod review;

pub use milepost_extract::{budget, crops, extracted, layout, normalise, read, rows, tables, workbook};
pub use milepost_extract::{extract, extract_guarded, read_tables, read_tables_only, Extracted, Limits, SCAN_COVER};
pub use milepost_model::{clock, config, error, geom, period, record};
pub use milepost_report::{history, output, report, staged};
pub use milepost_score as score;
