//! What came out of one document: its records, warnings, tables and the self-check's verdict.
//!
//! The product of the extraction stages (`lib::extract`) and of the workbook reader
//! (`workbook`), which builds the same from a spreadsheet; kept apart from both so that neither
//! reaches into the other for it.

use crate::error::Warning;
use crate::period::Stated;
use crate::record::Record;
use crate::{normalise, tables};

/// What came out of one document.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The file's base name.
    pub file: String,
    /// Pages in the file.
    pub page_count: u32,
    /// The records, in document order.
    pub records: Vec<Record>,
    /// Problems that did not stop the document.
    pub warnings: Vec<Warning>,
    /// The first lines of text on the first page (for the report's title).
    pub title_lines: Vec<String>,
    /// Every table found, tracker or not (for `milepost tables` and the outputs folder).
    pub tables: Vec<tables::Table>,
    /// How well the document was probably read (the self-check).
    pub quality: normalise::quality::Quality,
    /// For a workbook read back: the plan and period its Summary sheet states.
    pub stated: Option<Stated>,
}
