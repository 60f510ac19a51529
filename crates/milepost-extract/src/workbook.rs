//! Reads back a pack workbook that an officer updated: the quarterly cycle's return leg.
//!
//! In: an `.xlsx` file from `outputs/packs/` (or any workbook with a Tracker sheet whose headings
//! milepost knows), edited in Excel or Calc: statuses chosen from the drop-down, new commentary,
//! revised dates, rows added or removed, the Summary sheet's `Plan` and `Period` set to the new
//! period. Out: the same [`Extracted`] a PDF gives, its records' provenance the sheet and row
//! ("Tracker, row 14"), and a [`Stated`] plan and period that the report stage uses before
//! anything it would guess from a title.
//!
//! Each row goes through the same normalisation as a PDF row (status wordings, the date grammar),
//! so an edit milepost cannot use is flagged with its cell ("status_unrecognised: 'Amberish' in
//! cell I14"), never dropped: a status not on the scale, a date it cannot read, a row with no
//! activity. Officers' wording is kept as typed; the drop-down's labels are on the scale.
//!
//! Not here: writing the workbook (`report::xlsx`); deciding which pack the records go in
//! (`report::plan`).

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use crate::budget::Limits;
use crate::config::{Config, Role};
use crate::error::{DocError, FileName, Warning};
use crate::extracted::Extracted;
use crate::normalise::{self, dates::PartialDate, quality};
use crate::record::Record;
use crate::rows::RawRow;

/// The sheet that holds the rows.
pub const TRACKER_SHEET: &str = "Tracker";
/// The sheet that holds the plan and period (label in column A, value in column B).
pub const SUMMARY_SHEET: &str = "Summary";
/// The Summary label of the plan's short name, which pairs a workbook with the plan's PDFs.
pub const PLAN_ID_LABEL: &str = "Plan ID";

pub use crate::period::Stated;

/// Whether a path is a workbook milepost reads back (not Excel's `~$` lock file).
pub fn is_workbook(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("xlsx")) && !name.starts_with("~$")
}

/// A column of the Tracker sheet, by what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Ref,
    Section,
    Outcome,
    Group,
    Activity,
    TargetPrinted,
    Target,
    Revised,
    Status,
    Rationale,
    Lead,
    /// "Other columns": the columns of the PDF no role fits, "Heading: text; …".
    Other,
}

/// The Tracker headings milepost writes, then any heading the column vocabulary knows (an
/// officer's own workbook: "RAG", "Milestone", "Due by").
fn col_of(heading: &str, cfg: &Config) -> Option<(Col, bool)> {
    let h = heading.trim().to_lowercase();
    let exact = match h.as_str() {
        "ref" => Some((Col::Ref, false)),
        "theme" => Some((Col::Section, false)),
        "recommendation" => Some((Col::Section, true)),
        "outcome" => Some((Col::Outcome, false)),
        "group" => Some((Col::Group, false)),
        "activity" => Some((Col::Activity, false)),
        "target date as printed" => Some((Col::TargetPrinted, false)),
        "target date" => Some((Col::Target, false)),
        "revised date" => Some((Col::Revised, false)),
        "status" => Some((Col::Status, false)),
        "rationale" => Some((Col::Rationale, false)),
        "lead" => Some((Col::Lead, false)),
        "other columns" => Some((Col::Other, false)),
        _ => None,
    };
    // What the PDF said, earlier periods and where: kept for the officer, not read back.
    const NOT_READ: [&str; 4] = ["status as printed", "earlier statuses", "file", "page"];
    if exact.is_some() || NOT_READ.contains(&h.as_str()) {
        return exact;
    }
    Some(match cfg.role_of_heading(heading)? {
        Role::Theme => (Col::Section, false),
        Role::Outcome => (Col::Outcome, false),
        Role::Activity => (Col::Activity, false),
        Role::Target => (Col::Target, false),
        Role::Status => (Col::Status, false),
        Role::Rationale => (Col::Rationale, false),
        Role::Ref => (Col::Ref, false),
        Role::Lead => (Col::Lead, false),
    })
}

/// "I14": a cell's reference, from 0-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A cell as text, the way an officer sees it ("3" not "3.0"); dates as a day.
fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) => date_of(d).map(|p| date_words(&p)).unwrap_or_default(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A date cell (or a plain number in a date column that is an Excel day: 2000 to 2099).
fn date_of(d: &Data) -> Option<PartialDate> {
    let (y, m, day) = match d {
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            (y, m, day)
        }
        Data::Float(f) if (36_526.0..73_051.0).contains(f) => serial_ymd(*f as i64),
        Data::Int(i) if (36_526..73_051).contains(i) => serial_ymd(*i),
        _ => return None,
    };
    (1..=12).contains(&m).then(|| PartialDate::day(y, m, day))
}

/// An Excel day number (1900 system, after February 1900) as a calendar date.
fn serial_ymd(serial: i64) -> (u16, u8, u8) {
    // Day 25569 is 1 January 1970; civil-from-days (Howard Hinnant's algorithm).
    let z = serial - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u16;
    (y, m, d)
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// "31 March 2026", or "March 2026" for a month.
fn date_words(p: &PartialDate) -> String {
    let month = MONTHS[usize::from(p.month.clamp(1, 12) - 1)];
    match p.day {
        Some(d) => format!("{d} {month} {}", p.year),
        None => format!("{month} {}", p.year),
    }
}

/// A date cell read as the officer meant it: the first of a month is the month (the pack writes
/// a month-only date that way, shown `mmm yyyy`) unless the wording as printed names that day.
fn as_meant(p: PartialDate, printed: &str) -> PartialDate {
    if p.day == Some(1) && !printed.contains('1') {
        PartialDate::month(p.year, p.month)
    } else {
        p
    }
}

/// Reads a workbook into records, within the document's limits.
pub fn extract(path: &Path, cfg: &Config, limits: &Limits) -> Result<Extracted, DocError> {
    let file = FileName::of(path);
    let bytes = std::fs::read(path).map_err(|source| DocError::Io { file: file.clone(), source })?;
    if bytes.is_empty() {
        return Err(DocError::Empty { file });
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocError::NotPackWorkbook { file, detail: "it is not an Excel workbook (.xlsx): save it from Excel as \"Excel Workbook\"".into() });
    }
    check_unpacked_size(Cursor::new(&bytes), &file, limits)?;
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| DocError::Damaged { file: file.clone(), detail: format!("the workbook could not be opened: {e}") })?;
    let names = wb.sheet_names();
    let tracker_name = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(TRACKER_SHEET))
        .cloned()
        .ok_or_else(|| DocError::NotPackWorkbook { file: file.clone(), detail: format!("it has no \"{TRACKER_SHEET}\" sheet (its sheets: {})", names.join(", ")) })?;
    let tracker = wb.worksheet_range(&tracker_name).map_err(|e| DocError::Damaged { file: file.clone(), detail: format!("the {tracker_name} sheet could not be read: {e}") })?;
    let mut warnings = Vec::new();
    let stated = match names.iter().find(|n| n.trim().eq_ignore_ascii_case(SUMMARY_SHEET)) {
        Some(n) => match wb.worksheet_range(n) {
            Ok(r) => summary_of(&r),
            Err(e) => {
                warnings.push(Warning { page: None, message: format!("the {n} sheet could not be read ({e}); the plan and period come from the file name") });
                Stated::default()
            }
        },
        None => Stated::default(),
    };
    let records = rows_of(&tracker, &tracker_name, &file.0, cfg).map_err(|detail| DocError::NotPackWorkbook { file: file.clone(), detail })?;
    if let Some(p) = &stated.period {
        if crate::period::Period::parse(p).is_none() && !p.eq_ignore_ascii_case(&crate::period::Period::NotStated.label()) {
            warnings.push(Warning {
                page: None,
                message: format!("{SUMMARY_SHEET} sheet: the period \"{p}\" is not one milepost can read; write e.g. \"Q3 2024/25\", \"September 2023\", \"2023/24\" or \"2021\""),
            });
        }
    }
    let quality = quality::assess(&records, &quality::TableCoverage::default());
    let mut title_lines: Vec<String> = stated.title.iter().cloned().collect();
    title_lines.extend(stated.period.iter().cloned());
    Ok(Extracted { file: file.0, page_count: 0, records, warnings, title_lines, tables: Vec::new(), quality, stated: Some(stated) })
}

/// Refuses a workbook whose parts would unpack past the decoded-size limit (a zip bomb), from the
/// sizes its directory declares; the worker's memory cap catches one that lies.
fn check_unpacked_size<R: Read + Seek>(bytes: R, file: &FileName, limits: &Limits) -> Result<(), DocError> {
    let mut zip = zip::ZipArchive::new(bytes).map_err(|e| DocError::Damaged { file: file.clone(), detail: format!("the workbook is not a readable ZIP archive: {e}") })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > limits.max_decoded_mb.saturating_mul(1_000_000) {
        return Err(DocError::TooComplex {
            file: file.clone(),
            page: None,
            detail: format!("{} MB of decoded data (the limit is {} MB)", total / 1_000_000, limits.max_decoded_mb),
        });
    }
    Ok(())
}

/// The Summary sheet's labelled values (label in column A, value in column B).
fn summary_of(r: &Range<Data>) -> Stated {
    let mut s = Stated::default();
    for row in r.rows() {
        let (Some(k), Some(v)) = (row.first(), row.get(1)) else { continue };
        let v = text_of(v);
        let v = (!v.is_empty()).then_some(v);
        match text_of(k).to_lowercase().as_str() {
            "plan" => s.title = v,
            "period" => s.period = v,
            "organisation" | "organization" => s.organisation = v,
            l if l == PLAN_ID_LABEL.to_lowercase() => s.plan_id = v.map(|p| crate::period::slugify(&p)).filter(|p| !p.is_empty()),
            _ => {}
        }
    }
    s
}

/// The Tracker sheet's columns: where each kind is, from its heading row.
struct SheetColumns {
    /// (column index, kind), the first column of each kind.
    cols: Vec<(usize, Col)>,
    /// The rows are actions (the sheet has a recommendation column).
    action: bool,
}

impl SheetColumns {
    /// The heading row (the first of the first ten with an activity column) and its columns.
    fn find(rows: &[&[Data]], sheet: &str, cfg: &Config) -> Result<(usize, SheetColumns), String> {
        let head = rows
            .iter()
            .take(10)
            .position(|row| row.iter().any(|c| matches!(col_of(&text_of(c), cfg), Some((Col::Activity, _)))))
            .ok_or_else(|| format!("its {sheet} sheet has no heading row with an \"Activity\" column"))?;
        let mut cols: Vec<(usize, Col)> = Vec::new();
        let mut action = false;
        for (j, c) in rows[head].iter().enumerate() {
            if let Some((col, is_rec)) = col_of(&text_of(c), cfg) {
                // The first column of each kind counts ("Target date" before a second "Due").
                if !cols.iter().any(|(_, k)| *k == col) {
                    cols.push((j, col));
                    action |= is_rec;
                }
            }
        }
        Ok((head, SheetColumns { cols, action }))
    }

    /// The cell of kind `col` in a row, with its column index.
    fn at(&self, row: &[Data], col: Col) -> Option<(usize, Data)> {
        let (j, _) = self.cols.iter().find(|(_, k)| *k == col)?;
        Some((*j, row.get(*j).cloned().unwrap_or(Data::Empty)))
    }

    fn text(&self, row: &[Data], col: Col) -> String {
        self.at(row, col).map(|(_, d)| text_of(&d)).unwrap_or_default()
    }
}

/// The Tracker sheet's rows as records; an error when it has no heading row milepost can use.
fn rows_of(r: &Range<Data>, sheet: &str, file: &str, cfg: &Config) -> Result<Vec<Record>, String> {
    let (top, left) = r.start().unwrap_or((0, 0));
    let rows: Vec<&[Data]> = r.rows().collect();
    let (head, sc) = SheetColumns::find(&rows, sheet, cfg)?;
    let action = sc.action;
    let text = |row: &[Data], col: Col| sc.text(row, col);
    let body = &rows[head + 1..];
    let has_status = body.iter().any(|row| !text(row, Col::Status).is_empty());
    // A row an officer added with its theme cell left empty belongs under the theme of the row
    // above, as a blank cell reads in a spreadsheet ("(none given)" stays none).
    let carry_section = body.iter().any(|row| !text(row, Col::Section).is_empty());
    let mut last_section: Option<String> = None;
    let mut out = Vec::new();
    for (i, row) in body.iter().enumerate() {
        if row.iter().all(|c| text_of(c).is_empty()) {
            continue;
        }
        let sheet_row = top + (head + 1 + i) as u32; // 0-based
        let cell = |col: Col| sc.at(row, col).map(|(j, _)| cell_ref(sheet_row, left + j as u32)).unwrap_or_default();
        let target_cell = sc.at(row, Col::Target).map(|(_, d)| d).unwrap_or(Data::Empty);
        let section_text = text(row, Col::Section);
        let section = match section_text.as_str() {
            "" if carry_section => last_section.clone(),
            "" | "(none given)" => None,
            s => Some(s.to_string()),
        };
        if !section_text.is_empty() {
            last_section = section.clone();
        }
        let raw = RawRow {
            page: sheet_row + 1,
            action,
            theme: if action { None } else { section.clone() },
            group: if action { section } else { Some(text(row, Col::Group)).filter(|s| !s.is_empty()) },
            outcome: Some(text(row, Col::Outcome)).filter(|s| !s.is_empty()),
            activity: text(row, Col::Activity),
            target: target_text(&target_cell, &text(row, Col::TargetPrinted)),
            status: text(row, Col::Status),
            has_status_column: has_status,
            rationale: text(row, Col::Rationale),
            reference: Some(text(row, Col::Ref)).filter(|s| !s.is_empty()),
            lead: Some(text(row, Col::Lead)).filter(|s| !s.is_empty()),
            // "Measure: 200 homes; Budget (£k): 120" back into its columns.
            extra: text(row, Col::Other).split("; ").filter_map(|p| p.split_once(": ")).map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        let mut rec = normalise::normalise(&raw, file, cfg);
        rec.source.bbox = None;
        rec.source.sheet = Some(sheet.to_string());
        // The revised date is its own column: what the officer left there is the revised date.
        if let Some((_, d)) = sc.at(row, Col::Revised) {
            read_revised(&d, &mut rec, &cell(Col::Revised));
        }
        if rec.activity.is_empty() {
            rec.flags.push(format!("no_activity: cell {}", cell(Col::Activity)));
        }
        name_cells_in_flags(&mut rec, cell);
        out.push(rec);
    }
    Ok(out)
}

/// The target: the wording as printed (`printed`) while the officer left the date alone; else
/// the date they entered (a date cell, or words such as "Spring 2026").
fn target_text(target_cell: &Data, printed: &str) -> String {
    match (date_of(target_cell), text_of(target_cell)) {
        (Some(d), _) => {
            let d = as_meant(d, printed);
            let printed_due = normalise::dates::parse_target(printed).due;
            if printed_due == Some(d) || printed_due.is_some_and(|p| p.day.is_none() && d.day.is_none() && (p.year, p.month) == (d.year, d.month)) {
                printed.to_string()
            } else {
                date_words(&d)
            }
        }
        // "Mar 2025 (ongoing)" is how the pack shows an ongoing date: the printed words say more.
        (None, t) if t.ends_with("(ongoing)") && !printed.is_empty() => printed.to_string(),
        (None, t) if !t.is_empty() => t,
        _ => printed.to_string(),
    }
}

/// The revised-date cell `d` (at `cell`) into the record: a date, nothing, or words read as a
/// date (flagged where they are none).
fn read_revised(d: &Data, rec: &mut Record, cell: &str) {
    match (date_of(d), text_of(d)) {
        (Some(p), _) => rec.target.revised_due = Some(as_meant(p, "")),
        (None, t) if t.is_empty() => rec.target.revised_due = None,
        (None, t) => match normalise::dates::parse_target(&t).due {
            Some(p) => rec.target.revised_due = Some(p),
            None => rec.flags.push(format!("date_unparsed: '{t}' in cell {cell}")),
        },
    }
}

/// Every flag names the cell to look at (`cell` gives a kind's cell reference on this row).
fn name_cells_in_flags(rec: &mut Record, cell: impl Fn(Col) -> String) {
    for f in &mut rec.flags {
        let col = if f.starts_with("status_") || f.starts_with("several_statuses") {
            Col::Status
        } else if f.starts_with("date_unparsed: '") && !f.contains(" in cell ") || f.starts_with("several_dates") {
            Col::Target
        } else {
            continue;
        };
        let c = cell(col);
        if !c.is_empty() {
            f.push_str(&format!(" in cell {c}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_excel_days() {
        assert_eq!(cell_ref(13, 8), "I14");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(serial_ymd(45_747), (2025, 3, 31));
        assert_eq!(serial_ymd(45_383), (2024, 4, 1));
        assert_eq!(as_meant(PartialDate::day(2025, 3, 1), "Mar 2025"), PartialDate::month(2025, 3));
        assert_eq!(as_meant(PartialDate::day(2025, 3, 1), "1 March 2025"), PartialDate::day(2025, 3, 1));
    }

    #[test]
    fn lock_files_are_not_workbooks() {
        assert!(is_workbook(Path::new("in/q4.xlsx")));
        assert!(!is_workbook(Path::new("in/~$q4.xlsx")));
        assert!(!is_workbook(Path::new("in/q4.pdf")));
    }
}
