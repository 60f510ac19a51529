//! Writes records to disk as JSONL, CSV and Excel, and a table's grid as CSV.
//!
//! In: `&[Record]` (or, for `milepost tables`, a grid of strings). Out: the bytes of each format,
//! and [`write_atomic`], which puts bytes at a path so that a killed run never leaves half a file.
//! The formats are built in memory and written separately, so a caller can build every output
//! before touching the disk.
//!
//! - JSONL is exactly the shape of `../shared/docs/records.md`, one record a line, as
//!   `../gold/score.py` reads it. It is data, so its text is left as printed.
//! - CSV and Excel carry the same fields as columns (see [`to_csv`]). Every text cell goes through
//!   [`neutralise`], because officers open these files in a spreadsheet, and a council's own text
//!   ("- to be confirmed", "=TBC") or a hostile PDF could otherwise run there as a formula.
//!
//! Not here: choosing file names and folders, skipping unchanged inputs and the manifest (all in
//! `batch`); turning [`OutputError`] into printed lines and exit code 3 (in `cli::report`); the
//! Cabinet report pack (in `report`).

use std::borrow::Cow;
use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rust_xlsxwriter::{ColNum, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet, XlsxError};

use crate::record::Record;

/// Why an output could not be written (names the path).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file or its folder could not be created, written or renamed into place.
    #[error("{path}: could not be written ({source})")]
    Write {
        /// The output file that was being written.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// rust_xlsxwriter refused the workbook (for example, more rows than a sheet holds).
    #[error("{path}: could not build the Excel workbook ({message})")]
    Excel {
        /// The workbook's path, once the caller has named it with [`OutputError::with_path`].
        path: String,
        /// rust_xlsxwriter's reason.
        message: String,
    },
}

/// What [`to_xlsx`] puts in [`OutputError::Excel`]'s path: it builds in memory and does not know
/// where the workbook will be saved, so the caller names it with [`OutputError::with_path`].
const IN_MEMORY: &str = "(in memory)";

impl OutputError {
    /// The same error, naming `path` as the output it is about.
    ///
    /// [`to_xlsx`] builds the workbook in memory and cannot know where it will be saved; a caller
    /// that does writes `to_xlsx(&records).map_err(|e| e.with_path(&path))`.
    pub fn with_path(self, path: &Path) -> OutputError {
        let path = path.display().to_string();
        match self {
            OutputError::Write { source, .. } => OutputError::Write { path, source },
            OutputError::Excel { message, .. } => OutputError::Excel { path, message },
        }
    }

    /// What the officer can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            OutputError::Write { .. } => "close the file if it is open in Excel, check the output folder can be written to and the disk has space, then run again",
            OutputError::Excel { .. } => "the CSV and JSONL outputs hold the same records; if this happens again, please report it",
        })
    }
}

/// Neutralises a spreadsheet cell that would run as a formula: text beginning with '=', '+', '-',
/// '@' (also tab or carriage return, per OWASP CSV injection) gets a leading apostrophe (').
/// Everything else is returned unchanged.
///
/// "-5" is neutralised too: Excel would read it as a formula (or a number), and a cell that
/// changes type on opening is exactly what the apostrophe prevents.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    // OWASP's "CSV Injection" list: the four characters that start a formula in Excel, LibreOffice
    // and Google Sheets, and tab and carriage return, which some importers strip before looking.
    const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    match cell.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Tells apart the temp files of several writes in one process (rayon writes in parallel).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes bytes to `path` atomically: a temp file in the same folder (named
/// `.<name>.tmp-<pid>-<counter>`), fsync, then rename over the target. A killed run never leaves
/// half a file at `path`. Creates the parent folder if missing.
///
/// A run killed mid-write may leave its hidden temp file behind; `path` itself then still holds
/// the previous complete output, or nothing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let fail = |source: std::io::Error| OutputError::Write { path: path.display().to_string(), source };
    let name = path.file_name().ok_or_else(|| fail(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path does not end in a file name")))?;
    // The temp file goes in the target's own folder: a rename is atomic only within one file
    // system, and a system temp folder is often on another (tmpfs).
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder {
        fs::create_dir_all(folder).map_err(fail)?;
    }
    let temp = temp_path(path, name);

    let written = write_and_sync(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if let Err(source) = written {
        // Best effort: the error that matters is the one above, and the temp file may not exist.
        let _ = fs::remove_file(&temp);
        return Err(fail(source));
    }
    sync_folder(folder.unwrap_or(Path::new(".")));
    Ok(())
}

/// The hidden temp file beside `path` that is renamed over it: `.<name>.tmp-<pid>-<counter>`.
pub(crate) fn temp_path(path: &Path, name: &std::ffi::OsStr) -> std::path::PathBuf {
    let mut temp_name = OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp-{}-{}", std::process::id(), TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)));
    path.with_file_name(temp_name)
}

/// Creates `temp` (never reusing an existing file) and writes `bytes` through to the disk, so that
/// the rename that follows cannot expose a file whose data is still only in the page cache.
fn write_and_sync(temp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename itself survive a power cut, where the platform allows it.
///
/// Best effort: the new file is already in place and complete, so a failure here is not worth
/// failing the output for. Windows cannot open a folder as a file, hence Unix only.
pub(crate) fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// One JSON object per line, exactly the records.md shape (serde of Record).
pub fn to_jsonl(records: &[Record]) -> Vec<u8> {
    let mut out = Vec::new();
    for record in records {
        serde_json::to_writer(&mut out, record).expect("a Record has only string keys and plain values, and a Vec cannot fail to grow");
        out.push(b'\n');
    }
    out
}

/// One column of the CSV and of the Excel "Records" sheet.
struct Column {
    /// The header, as records.md names the field (nested fields joined with `_`).
    name: &'static str,
    /// Width in Excel character units.
    width: f64,
    /// Whether Excel wraps its text: long prose columns, which would otherwise run off screen.
    wrap: bool,
}

/// The columns, in order. The CSV and the Excel sheet share them so that the two never drift.
/// Widths fit the Rotherham and action-plan fixtures on a landscape screen: prose columns wide
/// enough for a short sentence per line, dates and codes just wide enough for their values.
const COLUMNS: [Column; 21] = [
    Column { name: "file", width: 20.0, wrap: false },
    Column { name: "page", width: 6.0, wrap: false },
    Column { name: "bbox", width: 16.0, wrap: false },
    Column { name: "kind", width: 10.0, wrap: false },
    Column { name: "ref", width: 8.0, wrap: false },
    Column { name: "theme", width: 22.0, wrap: true },
    Column { name: "outcome", width: 36.0, wrap: true },
    Column { name: "group", width: 36.0, wrap: true },
    Column { name: "activity", width: 60.0, wrap: true },
    Column { name: "target_text", width: 28.0, wrap: true },
    Column { name: "target_start", width: 12.0, wrap: false },
    Column { name: "target_due", width: 12.0, wrap: false },
    Column { name: "target_revised_due", width: 12.0, wrap: false },
    Column { name: "target_ongoing", width: 10.0, wrap: false },
    Column { name: "status_text", width: 18.0, wrap: true },
    Column { name: "status_value", width: 12.0, wrap: false },
    Column { name: "status_colour", width: 10.0, wrap: false },
    Column { name: "rationale", width: 60.0, wrap: true },
    Column { name: "lead", width: 20.0, wrap: true },
    Column { name: "other_columns", width: 40.0, wrap: true },
    Column { name: "flags", width: 40.0, wrap: true },
];

/// A cell of a record's row. Text is already neutralised.
enum Value {
    Text(String),
    /// Written as a number in Excel so that the column sorts 2, 10 and not "10", "2".
    Number(u32),
    /// Written as TRUE/FALSE in Excel, so that its filter offers just the two.
    Bool(bool),
}

impl Value {
    fn text(s: &str) -> Value {
        Value::Text(neutralise(s).into_owned())
    }

    fn optional(s: Option<&str>) -> Value {
        Value::text(s.unwrap_or(""))
    }

    /// The cell as CSV text.
    fn into_string(self) -> String {
        match self {
            Value::Text(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

/// A record as a row, in the order of [`COLUMNS`].
fn record_row(r: &Record) -> [Value; COLUMNS.len()] {
    let date = |d: Option<crate::record::PartialDate>| Value::text(&d.map(|d| d.to_string()).unwrap_or_default());
    let bbox = r.source.bbox.map(|[x0, y0, x1, y1]| format!("{x0} {y0} {x1} {y1}")).unwrap_or_default();
    let kind = match r.kind {
        crate::record::Kind::Milestone => "milestone",
        crate::record::Kind::Action => "action",
    };
    [
        Value::text(&r.source.file),
        Value::Number(r.source.page),
        Value::text(&bbox),
        Value::text(kind),
        Value::optional(r.reference.as_deref()),
        Value::optional(r.theme.as_deref()),
        Value::optional(r.outcome.as_deref()),
        Value::optional(r.group.as_deref()),
        Value::text(&r.activity),
        Value::text(&r.target.text),
        date(r.target.start),
        date(r.target.due),
        date(r.target.revised_due),
        Value::Bool(r.target.ongoing),
        Value::optional(r.status.text.as_deref()),
        Value::text(r.status.value.key()),
        Value::optional(r.status.colour.as_deref()),
        Value::optional(r.rationale.as_deref()),
        Value::optional(r.lead.as_deref()),
        Value::optional(r.extra_text().as_deref()),
        Value::text(&r.flags.join("; ")),
    ]
}

/// CSV with a header row; columns: file, page, bbox, kind, ref, theme, outcome, group, activity,
/// target_text, target_start, target_due, target_revised_due, target_ongoing, status_text,
/// status_value, status_colour, rationale, lead, other_columns (columns no role fits, "Heading: text" joined with "; "), flags (flags joined with "; "); every text cell
/// passed through neutralise. bbox as "x0 y0 x1 y1" or empty.
///
/// Dates are the records.md partial dates (`2021-08`), `target_ongoing` is `true` or `false`, and
/// an absent value is an empty cell.
pub fn to_csv(records: &[Record]) -> Vec<u8> {
    // A byte-order mark first: without it, Excel opens a double-clicked CSV as Windows-1252 and
    // shows "–" and "’" as mojibake.
    let mut csv = csv::Writer::from_writer(UTF8_BOM.to_vec());
    csv.write_record(COLUMNS.iter().map(|c| c.name)).expect(IN_MEMORY_CSV);
    for record in records {
        csv.write_record(record_row(record).map(Value::into_string)).expect(IN_MEMORY_CSV);
    }
    csv.into_inner().expect(IN_MEMORY_CSV)
}

/// The UTF-8 byte-order mark that tells Excel how to read a CSV file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why the CSV writers' `expect`s hold: every row has the header's length and the sink is a `Vec`.
const IN_MEMORY_CSV: &str = "CSV rows of equal length written to memory cannot fail";

/// Excel's limit on the characters in one cell (Microsoft's "Excel specifications and limits");
/// rust_xlsxwriter refuses a longer string, which would fail the whole workbook.
const EXCEL_CELL_MAX_CHARS: usize = 32_767;

/// `s`, cut to fit one Excel cell, ending in "…" where it was cut. The CSV and JSONL keep the
/// full text; no real rationale comes near the limit, but one runaway merged cell should cost
/// its tail, not the workbook.
fn fit_cell(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(EXCEL_CELL_MAX_CHARS - 1) {
        Some((cut, _)) if s[cut..].chars().nth(1).is_some() => Cow::Owned(format!("{}…", &s[..cut])),
        _ => Cow::Borrowed(s),
    }
}

/// An Excel workbook: sheet "Records" (same columns as CSV, bold header row frozen, autofilter,
/// text wrapped in long-text columns, sensible column widths, dates as text), sheet "Flags" (file,
/// page, activity, flag — one row per flag; header only when none). All text cells neutralised
/// (use write_string, never write_formula; still neutralise, because a user may later re-save as
/// CSV).
///
/// An error names the path as "(in memory)"; name the real one with [`OutputError::with_path`].
/// A cell longer than Excel allows (32,767 characters) is cut and ends in "…".
pub fn to_xlsx(records: &[Record]) -> Result<Vec<u8>, OutputError> {
    build_workbook(records).map_err(|e| OutputError::Excel { path: IN_MEMORY.to_string(), message: e.to_string() })
}

fn build_workbook(records: &[Record]) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    // Top-aligned, so that a short cell sits level with the first line of a wrapped neighbour.
    let plain = Format::new().set_align(FormatAlign::Top);
    let wrapped = Format::new().set_align(FormatAlign::Top).set_text_wrap();

    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name("Records")?;
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    write_header(sheet, &names, &header)?;
    for (col, column) in (0..).zip(COLUMNS.iter()) {
        sheet.set_column_width(col, column.width)?;
    }
    for (row, record) in (1..).zip(records) {
        for ((col, column), value) in (0..).zip(COLUMNS.iter()).zip(record_row(record)) {
            let format = if column.wrap { &wrapped } else { &plain };
            match value {
                Value::Text(s) => sheet.write_string_with_format(row, col, fit_cell(&s), format)?,
                Value::Number(n) => sheet.write_number_with_format(row, col, n, format)?,
                Value::Bool(b) => sheet.write_boolean_with_format(row, col, b, format)?,
            };
        }
    }
    finish_table(sheet, records.len(), COLUMNS.len())?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("Flags")?;
    write_header(sheet, &["file", "page", "activity", "flag", "what to check"], &header)?;
    for (col, width) in (0..).zip([20.0, 6.0, 60.0, 40.0, 60.0]) {
        sheet.set_column_width(col, width)?;
    }
    let flags = records.iter().flat_map(|r| r.flags.iter().map(move |flag| (r, flag)));
    let mut rows = 0;
    for (row, (record, flag)) in (1..).zip(flags) {
        sheet.write_string_with_format(row, 0, fit_cell(&neutralise(&record.source.file)), &plain)?;
        sheet.write_number_with_format(row, 1, record.source.page, &plain)?;
        sheet.write_string_with_format(row, 2, fit_cell(&neutralise(&record.activity)), &wrapped)?;
        sheet.write_string_with_format(row, 3, fit_cell(&neutralise(flag)), &wrapped)?;
        sheet.write_string_with_format(row, 4, fit_cell(&neutralise(&crate::record::explain_flag(flag))), &wrapped)?;
        rows += 1;
    }
    finish_table(sheet, rows, 5)?;

    workbook.save_to_buffer()
}

fn write_header(sheet: &mut Worksheet, names: &[&str], format: &Format) -> Result<(), XlsxError> {
    for (col, name) in (0..).zip(names) {
        sheet.write_string_with_format(0, col, *name, format)?;
    }
    Ok(())
}

/// Freezes the header row and puts a filter over the header and `rows` rows below it.
fn finish_table(sheet: &mut Worksheet, rows: usize, cols: usize) -> Result<(), XlsxError> {
    // Past Excel's 1,048,576 rows the writes above have already failed, so this cannot overflow
    // in practice; saturating keeps it from panicking if it ever could.
    let last_row = RowNum::try_from(rows).unwrap_or(RowNum::MAX);
    let last_col = ColNum::try_from(cols.saturating_sub(1)).unwrap_or(ColNum::MAX);
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// The grid of a table as CSV (for `milepost tables`): rows of strings; cells neutralised.
///
/// Short rows are padded with empty cells to the widest row, so that every line has the same
/// number of fields (RFC 4180) and spreadsheets line the columns up.
pub fn grid_to_csv(grid: &[Vec<String>]) -> Vec<u8> {
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in grid {
        let cells = row.iter().map(|c| neutralise(c)).chain(std::iter::repeat(Cow::Borrowed("")));
        csv.write_record(cells.take(width).map(|c| c.into_owned())).expect(IN_MEMORY_CSV);
    }
    csv.into_inner().expect(IN_MEMORY_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Kind, PartialDate, Source, Status, StatusValue, Target};
    use std::path::PathBuf;

    /// A milestone row as the Rotherham tracker prints it.
    fn wath_library() -> Record {
        Record {
            source: Source { file: "rotherham-q2-2021.pdf".into(), page: 3, bbox: Some([56.7, 120.2, 785.1, 188.0]), sheet: None },
            kind: Kind::Milestone,
            theme: Some("Thriving Neighbourhoods".into()),
            outcome: Some("Putting communities at the heart of everything we do".into()),
            group: Some("Deliver libraries investment programme".into()),
            activity: concat!("Complete refurbishments at Wath library as part of the libraries refurbishment ", "programme.").into(),
            target: Target { text: "August 2021".into(), start: None, due: Some(PartialDate::month(2021, 8)), revised_due: None, ongoing: false },
            status: Status { text: Some("Completed".into()), value: StatusValue::Complete, colour: Some("#00B0F0".into()) },
            rationale: Some("The library reopened to the public on 23 August 2021.".into()),
            flags: vec![],
            reference: None,
            lead: None,
            extra: Default::default(),
            parent: None,
        }
    }

    /// An action-plan action with a ref, a lead, flags and text that looks like formulas.
    fn volunteers_action() -> Record {
        Record {
            source: Source { file: "volunteering-action-plan.pdf".into(), page: 2, bbox: None, sheet: None },
            kind: Kind::Action,
            theme: None,
            outcome: None,
            group: Some("Recommendation 1: Celebrate the council's achievements!".into()),
            activity: "=HYPERLINK(\"http://example.com\",\"Draft a Valuing Volunteers Policy\")".into(),
            target: Target {
                text: "Original target date: July – November 2021 Revised target date: February 2022".into(),
                start: Some(PartialDate::month(2021, 7)),
                due: Some(PartialDate::month(2021, 11)),
                revised_due: Some(PartialDate::month(2022, 2)),
                ongoing: true,
            },
            status: Status { text: Some("Amber/Green".into()), value: StatusValue::Unknown, colour: None },
            rationale: Some("- to be submitted to Cabinet in March".into()),
            flags: vec!["status_unrecognised: 'Amber/Green'".into(), "date_unparsed: 'Spring term'".into()],
            reference: Some("1.4.3".into()),
            lead: Some("Head of Libraries".into()),
            extra: Default::default(),
            parent: None,
        }
    }

    fn records() -> Vec<Record> {
        vec![wath_library(), volunteers_action()]
    }

    /// A fresh folder under the system temp folder, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(label: &str) -> TempDir {
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("milepost-output-{label}-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn entries(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(&self.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            names
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    // --- neutralise ---

    #[test]
    fn neutralise_prefixes_each_formula_start() {
        for cell in ["=SUM(A1:A2)", "+44 1709 382121", "-A1", "@SUM(A1)", "\tTBC", "\r=1+1"] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn neutralise_prefixes_a_negative_number() {
        assert_eq!(neutralise("-5"), "'-5");
    }

    #[test]
    fn neutralise_leaves_ordinary_text_borrowed() {
        for cell in ["Completed", "Behind schedule", "2021-08", "Q3 2024/25 = December", "'quoted", "£5m – agreed"] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    #[test]
    fn neutralise_leaves_empty_text_empty() {
        assert!(matches!(neutralise(""), Cow::Borrowed("")));
    }

    // --- write_atomic ---

    #[test]
    fn write_atomic_writes_the_bytes() {
        let dir = TempDir::new("writes");
        let path = dir.0.join("records.csv");
        write_atomic(&path, b"file,page\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"file,page\n");
    }

    #[test]
    fn write_atomic_overwrites_and_leaves_no_temp_file() {
        let dir = TempDir::new("overwrites");
        let path = dir.0.join("records.jsonl");
        write_atomic(&path, b"a much longer first version\n").unwrap();
        write_atomic(&path, b"second\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second\n");
        assert_eq!(dir.entries(), ["records.jsonl"]);
    }

    #[test]
    fn write_atomic_creates_missing_folders() {
        let dir = TempDir::new("folders");
        let path = dir.0.join("outputs").join("2021-q2").join("records.xlsx");
        write_atomic(&path, b"PK").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"PK");
    }

    #[test]
    fn write_atomic_error_names_the_path_when_the_parent_is_a_file() {
        let dir = TempDir::new("parent-file");
        let blocker = dir.0.join("outputs");
        fs::write(&blocker, b"not a folder").unwrap();
        let path = blocker.join("records.csv");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(matches!(err, OutputError::Write { .. }));
        let message = err.to_string();
        assert!(message.starts_with(&format!("{}: could not be written (", path.display())), "{message}");
        assert!(err.hint().is_some());
    }

    #[test]
    fn write_atomic_removes_its_temp_file_when_the_rename_fails() {
        // A folder in the way: the temp file is written, but renaming over a folder fails.
        let dir = TempDir::new("rename-fails");
        let path = dir.0.join("records.csv");
        fs::create_dir(&path).unwrap();
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(err.to_string().contains("records.csv"), "{err}");
        assert_eq!(dir.entries(), ["records.csv"]);
        assert!(path.is_dir());
    }

    #[test]
    fn write_atomic_refuses_a_path_without_a_file_name() {
        let err = write_atomic(Path::new("/"), b"x").unwrap_err();
        assert!(err.to_string().starts_with("/: could not be written"), "{err}");
    }

    // --- to_jsonl ---

    #[test]
    fn jsonl_round_trips_to_identical_records() {
        let records = records();
        let jsonl = to_jsonl(&records);
        let text = String::from_utf8(jsonl).unwrap();
        assert!(text.ends_with('\n'));
        let back: Vec<Record> = text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(back, records);
    }

    #[test]
    fn jsonl_lines_have_the_records_md_keys() {
        let text = String::from_utf8(to_jsonl(&records())).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        let keys = |v: &serde_json::Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let mut base = vec!["activity", "flags", "group", "kind", "outcome", "rationale", "source", "status", "target", "theme"];
        assert_eq!(keys(&lines[0]), base);
        base.extend(["lead", "ref"]);
        base.sort();
        assert_eq!(keys(&lines[1]), base);
        assert_eq!(keys(&lines[0]["source"]), ["bbox", "file", "page"]);
        assert_eq!(keys(&lines[0]["target"]), ["due", "ongoing", "revised_due", "start", "text"]);
        assert_eq!(keys(&lines[0]["status"]), ["colour", "text", "value"]);
        assert_eq!(lines[0]["kind"], "milestone");
        assert_eq!(lines[0]["target"]["due"], "2021-08");
        assert_eq!(lines[0]["status"]["value"], "complete");
        assert_eq!(lines[0]["status"]["colour"], "#00B0F0");
        assert_eq!(lines[1]["ref"], "1.4.3");
    }

    #[test]
    fn jsonl_keeps_text_as_printed() {
        // JSONL is data for scripts and the gold scorer, not a spreadsheet: no apostrophes.
        let text = String::from_utf8(to_jsonl(&[volunteers_action()])).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(line["activity"].as_str().unwrap(), volunteers_action().activity);
    }

    #[test]
    fn jsonl_of_no_records_is_empty() {
        assert!(to_jsonl(&[]).is_empty());
    }

    // --- to_csv ---

    fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new().has_headers(false).from_reader(bytes).records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
    }

    #[test]
    fn csv_has_the_header_row() {
        let csv = to_csv(&[]);
        assert!(csv.starts_with(UTF8_BOM), "Excel needs the byte-order mark");
        assert_eq!(
            String::from_utf8(csv[UTF8_BOM.len()..].to_vec()).unwrap(),
            "file,page,bbox,kind,ref,theme,outcome,group,activity,target_text,target_start,target_due,\
             target_revised_due,target_ongoing,status_text,status_value,status_colour,rationale,lead,other_columns,flags\n"
        );
    }

    #[test]
    fn csv_row_carries_each_field() {
        let rows = read_csv(&to_csv(&records()));
        assert_eq!(rows.len(), 3);
        let header = &rows[0];
        let wath: std::collections::HashMap<&str, &str> = header.iter().map(String::as_str).zip(rows[1].iter().map(String::as_str)).collect();
        assert_eq!(wath["file"], "rotherham-q2-2021.pdf");
        assert_eq!(wath["page"], "3");
        assert_eq!(wath["bbox"], "56.7 120.2 785.1 188");
        assert_eq!(wath["kind"], "milestone");
        assert_eq!(wath["ref"], "");
        assert_eq!(wath["target_text"], "August 2021");
        assert_eq!(wath["target_start"], "");
        assert_eq!(wath["target_due"], "2021-08");
        assert_eq!(wath["target_ongoing"], "false");
        assert_eq!(wath["status_text"], "Completed");
        assert_eq!(wath["status_value"], "complete");
        assert_eq!(wath["status_colour"], "#00B0F0");
        assert_eq!(wath["flags"], "");

        let action: std::collections::HashMap<&str, &str> = header.iter().map(String::as_str).zip(rows[2].iter().map(String::as_str)).collect();
        assert_eq!(action["bbox"], "");
        assert_eq!(action["kind"], "action");
        assert_eq!(action["ref"], "1.4.3");
        assert_eq!(action["target_start"], "2021-07");
        assert_eq!(action["target_revised_due"], "2022-02");
        assert_eq!(action["target_ongoing"], "true");
        assert_eq!(action["status_value"], "unknown");
        assert_eq!(action["lead"], "Head of Libraries");
        assert_eq!(action["flags"], "status_unrecognised: 'Amber/Green'; date_unparsed: 'Spring term'");
    }

    #[test]
    fn csv_neutralises_formula_cells() {
        let rows = read_csv(&to_csv(&[volunteers_action()]));
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        assert_eq!(rows[1][col("activity")], format!("'{}", volunteers_action().activity));
        assert_eq!(rows[1][col("rationale")], "'- to be submitted to Cabinet in March");
    }

    // --- to_xlsx ---

    #[test]
    fn xlsx_is_a_zip_with_both_sheets() {
        let xlsx = to_xlsx(&records()).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let contains = |needle: &[u8]| xlsx.windows(needle.len()).any(|w| w == needle);
        assert!(contains(b"xl/worksheets/sheet1.xml"));
        assert!(contains(b"xl/worksheets/sheet2.xml"));
    }

    #[test]
    fn xlsx_of_no_records_still_builds() {
        let xlsx = to_xlsx(&[]).unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }

    #[test]
    fn xlsx_survives_a_cell_longer_than_excel_allows() {
        let mut long = wath_library();
        long.rationale = Some("x".repeat(EXCEL_CELL_MAX_CHARS + 10));
        assert!(to_xlsx(&[long]).unwrap().starts_with(b"PK"));
    }

    #[test]
    fn fit_cell_cuts_only_past_the_limit() {
        let at_limit = "é".repeat(EXCEL_CELL_MAX_CHARS);
        assert!(matches!(fit_cell(&at_limit), Cow::Borrowed(_)));
        let over = "é".repeat(EXCEL_CELL_MAX_CHARS + 1);
        let cut = fit_cell(&over);
        assert_eq!(cut.chars().count(), EXCEL_CELL_MAX_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn excel_error_can_name_its_path() {
        let err = OutputError::Excel { path: IN_MEMORY.into(), message: "too many rows".into() };
        let err = err.with_path(Path::new("outputs/records.xlsx"));
        assert_eq!(err.to_string(), "outputs/records.xlsx: could not build the Excel workbook (too many rows)");
    }

    // --- grid_to_csv ---

    #[test]
    fn grid_csv_neutralises_and_pads_rows() {
        let grid = vec![vec!["Milestone".to_string(), "Target date".to_string(), "Status".to_string()], vec!["-Review the policy".to_string(), "March 2022".to_string()]];
        let rows = read_csv(&grid_to_csv(&grid));
        assert_eq!(rows[0], ["Milestone", "Target date", "Status"]);
        assert_eq!(rows[1], ["'-Review the policy", "March 2022", ""]);
    }

    #[test]
    fn grid_csv_of_no_rows_is_empty() {
        assert!(grid_to_csv(&[]).is_empty());
    }
}
