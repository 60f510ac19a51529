//! milepost's extraction stages: a PDF (or a pack workbook read back) into typed records. No
//! Typst, no SQLite: the report crates sit above this one.
//!
//! A chain of stages, one module each, each taking the previous one's output:
//!
//! 1. [`read`]: a PDF file → [`read::Document`]: glyphs, strokes and fills per page (hayro).
//! 2. [`layout`]: a page → [`layout::PageLayout`]: words, lines, rulings, shaded boxes.
//! 3. [`tables`]: a page layout → [`tables::Table`]s: grids of cells with spans and fills.
//! 4. [`rows`]: a document's tables → [`rows::RawRow`]s, with the hierarchy carried down.
//! 5. [`normalise`]: a raw row → [`record::Record`]: status scale, dates, clean text, flags.
//!
//! [`extract`] runs them all on one file; [`workbook`] builds the same [`Extracted`] from a pack
//! workbook officers updated (the quarterly cycle's return leg). [`budget`] is what one document
//! may cost; [`crops`] draws the page regions rows to review came from. The shared ideas
//! (records, periods, config, errors) come from `milepost-model` and are re-exported here under
//! the same names, so a stage names them as `crate::record` wherever they live.
//!
//! Reading one PDF's records, with nothing of the report crates:
//!
//! ```
//! use std::path::Path;
//! use milepost_extract::{config::Config, extract, Limits};
//!
//! let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../inputs/northdale-2024-q3-tracker.pdf");
//! let cfg = Config::builtin();
//! let got = extract(&pdf, &cfg, &Limits::default()).expect("the sample tracker reads");
//! assert!(got.records.len() > 10);
//! let first = &got.records[0];
//! println!("{} | {:?} | page {}", first.activity, first.status.value, first.source.page);
//! ```
#![deny(missing_docs)]

pub mod budget;
pub mod crops;
pub mod extracted;
pub mod layout;
pub mod normalise;
pub mod read;
pub mod rows;
pub mod tables;
pub mod workbook;

pub use milepost_model::{clock, config, error, geom, period, record};

use std::path::Path;

use rayon::prelude::*;

use config::Config;
use error::{DocError, Warning};
use read::{Document, PageSelection};
use record::Record;
use tables::PageTables;

pub use budget::Limits;
pub use extracted::Extracted;

/// Reads a document and finds its tables (stages 1–3), checking the limits and for scans. Each
/// page is laid out and its tables found on the core that drew it, as soon as it is drawn (the
/// page as drawn is dropped there); the document comes back with its pages as [`PageTables`],
/// in page order, without the pages that hold no text.
pub fn read_tables(path: &Path, pages: &PageSelection, limits: &Limits) -> Result<Document<PageTables>, DocError> {
    read_tables_keeping(path, pages, limits, true)
}

/// [`read_tables`] for a caller that needs the tables alone (`milepost tables`): each page's
/// words, lines, rulings and shades are dropped as soon as its tables are found (its number,
/// size and flags are kept), so that a long document's layouts are not all held at once and
/// the memory one page used serves the next.
pub fn read_tables_only(path: &Path, pages: &PageSelection, limits: &Limits) -> Result<Document<PageTables>, DocError> {
    read_tables_keeping(path, pages, limits, false)
}

fn read_tables_keeping(path: &Path, pages: &PageSelection, limits: &Limits, keep_layouts: bool) -> Result<Document<PageTables>, DocError> {
    let file = error::FileName::of(path);
    if let Ok(meta) = std::fs::metadata(path) {
        let mb = meta.len() as f64 / 1_000_000.0;
        if mb > limits.max_file_mb as f64 {
            return Err(DocError::TooLarge { file, size_mb: mb, limit_mb: limits.max_file_mb });
        }
    }
    let meter = budget::Meter::start(limits);
    // A page with no text is a scan only where an image covers most of it; otherwise it is blank
    // or holds drawings only.
    let laid = read::read_file_with(path, pages, &meter, limits, |raw| {
        let layout = layout::lay_out(&raw);
        let looks_scanned = raw.image_cover >= SCAN_COVER;
        drop(raw);
        let tables = if layout.no_text { Vec::new() } else { tables::find_tables(&layout) };
        let layout = if keep_layouts { layout } else { layout::PageLayout { words: Vec::new(), lines: Vec::new(), rulings: Vec::new(), shades: Vec::new(), ..layout } };
        (PageTables { layout, tables }, looks_scanned)
    })?;
    if laid.page_count > limits.max_pages {
        return Err(DocError::TooManyPages { file: laid.file, pages: laid.page_count, limit: limits.max_pages });
    }
    let read_any = !laid.pages.is_empty();
    let angled = laid.pages.iter().any(|(p, _)| p.layout.has_rotated_text);
    let mut doc = Document { file: laid.file, pages: Vec::with_capacity(laid.pages.len()), page_count: laid.page_count, warnings: laid.warnings };
    let mut scanned = Vec::new();
    for (pt, looks_scanned) in laid.pages {
        if pt.layout.no_text {
            if looks_scanned {
                scanned.push(pt.layout.page);
            }
            continue;
        }
        if pt.layout.ocr_only {
            doc.warnings.push(Warning { page: Some(pt.layout.page), message: "the page is a scan with an OCR text layer; check its rows against the PDF".into() });
        }
        doc.pages.push(pt);
    }
    if doc.pages.is_empty() && read_any {
        return Err(match scanned.first() {
            Some(&page) => DocError::NoTextLayer { file: doc.file, page },
            None => DocError::NoText { file: doc.file, pages: doc.page_count, angled },
        });
    }
    if let Some(over) = meter.timed_out() {
        return Err(read::over_budget_error(doc.file, None, &over));
    }
    for p in scanned {
        doc.warnings.push(Warning { page: Some(p), message: "the page has no text layer (it looks scanned) and was skipped; run OCR first".into() });
    }
    tables::link_continuations(&mut doc.pages);
    Ok(doc)
}

/// The share of a page one image must cover for a page without text to be called scanned.
pub const SCAN_COVER: f32 = 0.5;

/// Runs the whole pipeline on one document (stages 1–5).
pub fn extract(path: &Path, cfg: &Config, limits: &Limits) -> Result<Extracted, DocError> {
    if workbook::is_workbook(path) {
        return workbook::extract(path, cfg, limits);
    }
    let started = std::time::Instant::now();
    let doc = read_tables(path, &None, limits)?;
    let pages = doc.pages;
    // A numbered or lettered scale explained by a key on a page: read through that key.
    let key = rows::key::find_key(&pages, cfg);
    let keyed = key.as_ref().map(|k| cfg.with_status_key(&k.entries.iter().map(|e| (e.symbol.clone(), e.value)).collect::<Vec<_>>()));
    let cfg = keyed.as_ref().unwrap_or(cfg);
    // The date patterns are built on whichever core the rows stage leaves idle.
    let (found, ()) = rayon::join(|| rows::find_rows(&pages, cfg), normalise::dates::prepare);
    if started.elapsed().as_secs() >= limits.doc_timeout_s {
        return Err(DocError::TimedOut { file: doc.file, limit_s: limits.doc_timeout_s });
    }
    let file = doc.file.0.clone();
    if found.rows.is_empty() {
        return Err(DocError::NoRows { file: doc.file, pages: doc.page_count });
    }
    // Each row on its own, in order: spread over the cores (a long tracker has hundreds).
    let records: Vec<Record> = found.rows.par_iter().map(|r| normalise::normalise(r, &file, cfg)).collect();
    // The pages' layouts are dropped over the cores (a long tracker's words are many).
    let tables = pages.into_par_iter().flat_map_iter(|p| p.tables).collect();
    let mut warnings = doc.warnings;
    if let Some(k) = &key {
        let said = k.entries.iter().map(|e| format!("'{}' = {} ({})", e.symbol, e.meaning, e.value.key())).collect::<Vec<_>>().join(", ");
        warnings.push(Warning { page: Some(k.page), message: format!("the statuses were read through the key on this page: {said}") });
    }
    // What the column decisions overruled, so the officer can check the reading.
    for (page, note) in &found.notes {
        warnings.push(Warning { page: Some(*page), message: note.clone() });
    }
    let coverage = normalise::quality::TableCoverage {
        table_words: found.table_words,
        unread_words: found.unread_table_words,
        unread_pages: found.unread_pages.clone(),
        status_columns: found.status_columns.clone(),
    };
    let quality = normalise::quality::assess(&records, &coverage);
    if let Some(w) = &quality.warning {
        warnings.push(Warning { page: None, message: w.clone() });
    }
    Ok(Extracted { file, page_count: doc.page_count, records, warnings, title_lines: found.title_lines, tables, quality, stated: None })
}

/// [`extract`] with any panic caught and turned into an error for that document alone.
pub fn extract_guarded(path: &Path, cfg: &Config, limits: &Limits) -> Result<Extracted, DocError> {
    let run = std::panic::AssertUnwindSafe(|| extract(path, cfg, limits));
    std::panic::catch_unwind(run).unwrap_or_else(|payload| Err(DocError::Internal { file: error::FileName::of(path), page: None, message: error::panic_text(&*payload) }))
}

/// The page tables of one document of the repository's test corpus (`tests/corpus/<name>`),
/// for the stages' unit tests.
#[cfg(test)]
pub(crate) fn corpus_tables(name: &str) -> Vec<PageTables> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus").join(name);
    read_tables(&path, &None, &Limits::default()).expect("the document reads").pages
}
