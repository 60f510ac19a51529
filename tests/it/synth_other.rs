//! Documents from other producers and in other wordings, each held at its own floor:
//! `tests/corpus/synth-other/`, made by `../shared/gold/src/synth.py --extend
//! scripts/synth_ext.py` (WeasyPrint and wkhtmltopdf beside the four default producers; header
//! wordings, status scales, date styles and recommendation headings the default lists do not
//! have), with their exact truth.
//!
//! Each document and the mechanism that reads it:
//! - 0041 (Calc, frame, "BRAG" first, "Planned / completion"): the heading's first line is a
//!   status word ("Planned"), so the header was a row of data and no page was read. A header
//!   cell is data only when all of it is a status wording.
//! - 0154 (wkhtmltopdf, no rules, statuses "B", "G", "A", "R" under "Progress"): one-letter
//!   statuses count in the case listed; a column of a few short wordings repeated under a
//!   commentary heading is the status column.
//! - 0117 (ReportLab, theme column headed "Focus area"): a column left of the activity, under a
//!   heading milepost does not know, whose short wordings each run down a block of rows, is the
//!   theme.
//! - 0108 (Calc, zebra, status fills): one row's shading tiled around its status fill, below the
//!   status fills of the rows above, was taken for a header filled cell by cell, and the page's
//!   first four columns became one. A tiling below a filled cell of a status column is a row's.
//! - 0258 (WeasyPrint, zebra, status colours with a letter or nothing in them): a page with no
//!   header, its status fills running out past the text, lost its status column. A column of
//!   fills running out past a borderless table's text is its first or last column.
//! - 0443 (Chromium, frame, two-level header, a theme band right under it with no rule): the
//!   headings, cut apart, were joined again through the band into one cell overlapping the
//!   others. A ragged group of cells holding headings is joined along its rows only.
//! - 0370 (Calc action plan, "Key recommendation 1: …") and 0387 (ReportLab, "Area for
//!   improvement 1: …"): recommendation headings in other words, numbered and bold.
//! - 0021 (xhtml2pdf, frame, theme as a bold line, italic group rows) and 0056 (xhtml2pdf, rules
//!   between blocks, italic groups, theme heading once), made by `scripts/synth_ext2.py` with
//!   `SYNTH_PRODUCERS=xhtml2pdf --seeds 1-60`: the fonts are the standard Helvetica and Times,
//!   not embedded, for which hayro gives no name or weight, so no text was bold or italic and
//!   every theme and group became a row (0.83 and 0.90). Bold and italic are read from the
//!   glyph outlines (`read::ink`).
//! - 0028 and 0060 (pdfLaTeX, `SYNTH_PRODUCERS=latex … synth_ext2.py --seeds 1-80`): in 0028
//!   colortbl paints each merged header cell row by row, so no one box covered most of it, the
//!   cell had no fill, the header's lower level ("Rating", "Commentary") was not set like its
//!   top and became a row on every page (0.89); a cell's fill now sums the boxes of one colour.
//!   In 0060 (frame only, themes as bold lines, merged outcomes) a theme line has nothing level
//!   with it in the other columns, so no row started there and it joined the outcome above it
//!   (0.81); a bold, italic or larger line alone between rows is a row of its own.

use crate::common;

use milepost::config::Config;
use milepost::Limits;

/// Each document's floor: its row F1 and fields when the mechanisms were added (0.92–1.00),
/// less a margin.
const MIN_ROW_F1: f64 = 0.90;
const MIN_FIELDS: f64 = 0.90;
const FIXTURES: usize = 12;

#[test]
fn other_producers_and_wordings_read_above_their_floor() {
    let dir = common::corpus_dir().join("synth-other");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")).collect();
    files.sort();
    assert_eq!(files.len(), FIXTURES, "the fixtures");
    let cfg = Config::builtin();
    let mut records = Vec::new();
    for f in &files {
        let x = milepost::extract_guarded(f, &cfg, &Limits::default()).unwrap_or_else(|e| panic!("{}: no rows: {e}", f.display()));
        records.extend(x.records);
    }
    let score = common::score(&dir, &records);
    let mut low = Vec::new();
    for (name, d) in &score.documents {
        eprintln!("{name}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean);
        if d.f1 < MIN_ROW_F1 || d.field_mean < MIN_FIELDS {
            low.push(format!("{name}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean));
        }
    }
    assert_eq!(score.documents.len(), FIXTURES);
    assert!(low.is_empty(), "below the floor (row F1 {MIN_ROW_F1}, fields {MIN_FIELDS}): {low:?}");
}

/// The statuses of the letters document are read, not flagged: "G" is on track, and a
/// lower-case letter elsewhere is no status.
#[test]
fn one_letter_statuses_are_read() {
    let f = common::corpus_dir().join("synth-other/synth-0154.pdf");
    let x = milepost::extract_guarded(&f, &Config::builtin(), &Limits::default()).expect("reads");
    let known = x.records.iter().filter(|r| r.status.value != milepost::record::StatusValue::Unknown).count();
    assert!(known * 10 >= x.records.len() * 9, "{known} of {} rows have a status", x.records.len());
    assert!(x.records.iter().any(|r| r.status.text.as_deref() == Some("G") && r.status.value == milepost::record::StatusValue::OnTrack));
}

/// A font that says nothing of its weight or slant (the standard Helvetica, not embedded, as
/// xhtml2pdf leaves it) still shows bold and italic: the theme line is bold, the group row
/// italic, a milestone plain.
#[test]
fn bold_and_italic_without_font_metadata() {
    let f = common::corpus_dir().join("synth-other/synth-0021.pdf");
    let pages = milepost::read_tables(&f, &Some(vec![1]), &Limits::default()).expect("reads").pages;
    let cells: Vec<&milepost::tables::Cell> = pages.iter().flat_map(|p| p.tables.iter()).flat_map(|t| t.cells.iter()).collect();
    let cell = |start: &str| *cells.iter().find(|c| c.text.starts_with(start)).unwrap_or_else(|| panic!("no cell {start:?}"));
    let theme = cell("A Vibrant Town Centre");
    assert!(theme.bold && !theme.italic, "{theme:?}");
    let group = cell("Deliver our commitments on garden waste");
    assert!(group.italic && !group.bold, "{group:?}");
    let activity = cell("Adopt the library service review");
    assert!(!activity.bold && !activity.italic, "{activity:?}");
}

/// What councils publish beyond our generators' habits (issue 27): `tests/corpus/synth-councils/`,
/// made by `../shared/gold/src/synth.py --extend scripts/synth_ext3.py` (`SYNTH_FAMILY=<family>
/// --seeds 3001-3070`), renamed `<family>-<seed>.pdf` (the truth's `source.file` renamed to
/// match, nothing else changed). Families and what each needed:
/// - slides (PowerPoint decks through Impress; 3002: "Action | Led by | By when | How we will
///   measure success", officers' initials as leads, no status; 3003: "Commitment" beside
///   "Outcome", a bold group row): a lead column by content, the activity by content, an
///   unknown column kept in `extra`, a plan of actions keeping its slide titles as themes.
/// - blind (every heading replaced, "Field C", "Column 4", "Particulars"): a header found by its
///   style or by the data under it, the roles from content and place; a header standing alone
///   over a band decided with the table it heads (3014); the status column first and an outcome
///   repeated on every row beside the activities (4052), the commentary right of the activities
///   with the outcome and theme left of them (4038): both read at 0.0 before the roles were one
///   scored assignment (`rows/assign.rs`).
/// - small (board action logs of 2–6 rows): a long explanatory heading (3001: "Source (agenda
///   title / item / date / Action Ref)"), a key to a numbered scale (3003), a narrative "Progress"
///   column as the status (3006), "Status / update" (3013).
/// - extra (3008 "Shared outcome" tags beside the outcomes; 3063 "Risk score"), wordings (status
///   wordings no list holds, read by their cues), rules (vertical rules only, booktabs), docx
///   (3031: a Word table ruled only round its frame, its cells with no padding above or below,
///   so rows are found where lines end short rather than by gaps; 6009: the same, with dates
///   that run longer than their activities, so that the other columns show a gap at some row
///   starts and the activity column none, and rows of equal height show none anywhere; 3016: an
///   activity of one line beside a lead, a date and a status of two, the next row right under it,
///   0.68 before a lone paragraph start counted where two other columns begin a new cell level
///   with it; 4008: a cell whose last line is full, "… to Cabinet." / "Appoint …", 0.69 before a
///   line after a sentence's end counted as after a short line).
/// - rules 10523 (booktabs set by Writer: the header a dark band above the first rule, so the
///   ruled table holds no header row, and no table before it to continue): nothing was read
///   (0.0) before a headerless first table was read from its content (`roles::headerless`);
///   0.966 / 0.843 after.
/// - rules 10613 (Calc, ruled under the header only, rows set apart by wide padding, so each
///   row is a block of its own; a two-word theme wrapped, "Quality / Housing"): 0.557 before a
///   line that goes on with a sentence in another column ("… domestic abuse / safe
///   accommodation …") stopped counting as a new row of the first column; 1.000 after.
/// - small 10710 (a Writer action log in a frame, two lines a row set tight, the reference
///   column empty on each row's second line): 0.222 before a line whose first text goes on with
///   a lower-case word under text of its column stopped being a row of a grid (it was checked
///   in the first column only); 1.000 after.
/// - docx 10715 (Word: group rows shaded from the activity column to the right side beside a
///   merged outcome, the next row set right under them): 0.783 before the bottom of such a band
///   became a row edge where each column it covers begins a new cell (`fills::group_band_bottoms`);
///   0.870 after (page 4 still joins a group row to the row under it).
const COUNCILS: usize = 27;

fn councils() -> (Vec<milepost::record::Record>, Vec<(String, Vec<String>)>) {
    let dir = common::corpus_dir().join("synth-councils");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")).collect();
    files.sort();
    assert_eq!(files.len(), COUNCILS, "the fixtures");
    let cfg = Config::builtin();
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    for f in &files {
        let x = milepost::extract_guarded(f, &cfg, &Limits::default()).unwrap_or_else(|e| panic!("{}: no rows: {e}", f.display()));
        warnings.push((x.file.clone(), x.warnings.iter().map(|w| w.message.clone()).collect()));
        records.extend(x.records);
    }
    (records, warnings)
}

#[test]
fn council_layouts_read_above_their_floor() {
    let (records, _) = councils();
    let score = common::score(&common::corpus_dir().join("synth-councils"), &records);
    assert_eq!(score.documents.len(), COUNCILS);
    let mut low = Vec::new();
    let (mut f1, mut fields) = (0.0, 0.0);
    for (name, d) in &score.documents {
        eprintln!("{name}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean);
        f1 += d.f1;
        fields += d.field_mean;
        // Each at its reading when the mechanisms were added (0.855–1.000), less a margin; the
        // Word tables ruled only round their frames, their rows set tight: 3031 at 0.946 (0.486
        // before rows were found where lines end short, 0.811 before a column whose line ends a
        // short one begins a new cell at any row start: `tables/subrows.rs`), 6009 at 1.000
        // (0.245 before that, 0.653 before a band whose rows abut was taken for one set tight).
        let floor = if name.starts_with("docx-3031") { 0.91 } else { 0.83 };
        // (rules-10523: fields 0.843 when added, its outcomes read from content alone.)
        let fields_floor = if name.starts_with("rules-10523") { 0.80 } else { 0.85 };
        if d.f1 < floor || d.field_mean < fields_floor {
            low.push(format!("{name}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean));
        }
    }
    assert!(low.is_empty(), "below the floor: {low:?}");
    let n = score.documents.len() as f64;
    // Mean 0.991 / 0.977 when added (0.978 / 0.977 with the Word table beside them).
    assert!(f1 / n >= 0.96 && fields / n >= 0.95, "mean row F1 {:.3}, fields {:.3}", f1 / n, fields / n);
}

/// Heading-blind: the same trackers with every heading in words no list holds still read from
/// their content (0.960 / 0.946 over the first four when added; nothing was read before). With
/// 4052 and 4038, which read at 0.0 before the roles were one scored assignment, the six read at
/// 0.969 / 0.939.
#[test]
fn heading_blind_trackers_read_from_content() {
    let (records, _) = councils();
    let score = common::score(&common::corpus_dir().join("synth-councils"), &records);
    let blind: Vec<_> = score.documents.iter().filter(|(n, _)| n.starts_with("blind-")).collect();
    assert_eq!(blind.len(), 6);
    for (n, d) in &blind {
        eprintln!("{n}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean);
    }
    let f1 = blind.iter().map(|(_, d)| d.f1).sum::<f64>() / 6.0;
    let fields = blind.iter().map(|(_, d)| d.field_mean).sum::<f64>() / 6.0;
    assert!(f1 >= 0.95 && fields >= 0.93, "heading-blind mean row F1 {f1:.3}, fields {fields:.3}");
    // Each of the two that the assignment mended keeps its rows.
    for (n, d) in blind.iter().filter(|(n, _)| n.starts_with("blind-40")) {
        assert!(d.f1 >= 0.9, "{n}: row F1 {:.3}", d.f1);
    }
}

/// A "Led by" column of officers' initials (DPH, CPH, DDPH) is the lead column, never the
/// status column, and no warning tells the officer to add the initials to status.toml.
#[test]
fn a_lead_column_of_initials_is_never_the_status() {
    let (records, warnings) = councils();
    let deck: Vec<_> = records.iter().filter(|r| r.source.file == "slides-3002.pdf").collect();
    assert_eq!(deck.len(), 35);
    assert!(deck.iter().all(|r| r.status.text.is_none()), "a status read from the leads");
    assert!(deck.iter().any(|r| r.lead.as_deref() == Some("DDPH")) && deck.iter().any(|r| r.lead.as_deref() == Some("CPH")));
    let (_, ws) = warnings.iter().find(|(f, _)| f == "slides-3002.pdf").expect("read");
    assert!(!ws.iter().any(|w| w.contains("status.toml")), "{ws:?}");
}

/// A column no role fits ("How we will measure success", "Risk score", "Shared outcome") is
/// kept in each record's `extra` under its heading as printed, and named in a warning.
#[test]
fn an_unknown_column_is_kept() {
    let (records, warnings) = councils();
    let r = common::find(&records, "Launch the garden waste service review in Abbey Fields");
    assert_eq!(r.extra.get("How we will measure success").map(String::as_str), Some("Recycling rate"));
    let r = common::find(&records, "Produce the council tax support");
    assert_eq!(r.extra.get("Risk score").map(String::as_str), Some("16"));
    assert_eq!(r.extra.get("Shared outcome").map(String::as_str), Some("Place"));
    let (_, ws) = warnings.iter().find(|(f, _)| f == "slides-3002.pdf").expect("read");
    assert!(ws.iter().any(|w| w.contains("\"how we will measure success\"") && w.contains("other columns")), "{ws:?}");
}

/// A numbered scale is read through the key printed under the table ("4" = "Significantly
/// delayed / will not be met"), and the run says so; a narrative status keeps its words, its
/// value read from them where they say one and flagged where they say none.
#[test]
fn a_key_and_a_narrative_status() {
    use milepost::record::StatusValue;
    let (records, warnings) = councils();
    let r = common::find(&records, "Strategic Lead to review the terms of reference");
    assert_eq!((r.status.text.as_deref(), r.status.value), (Some("4"), StatusValue::OffTrack));
    let r = common::find(&records, "Board manager to write to the fire");
    assert_eq!(r.status.value, StatusValue::Complete);
    let (_, ws) = warnings.iter().find(|(f, _)| f == "small-3003.pdf").expect("read");
    assert!(ws.iter().any(|w| w.contains("key on this page") && w.contains("'4' = Significantly delayed")), "{ws:?}");
    let r = common::find(&records, "Democratic Services to report");
    assert_eq!((r.status.text.as_deref(), r.status.value), (Some("Item not due yet"), StatusValue::NotStarted));
    assert!(r.flags.iter().any(|f| f.starts_with("status_inferred")), "{:?}", r.flags);
    let r = common::find(&records, "Board manager to share the dat");
    assert_eq!(r.status.text.as_deref(), Some("Verbal update to be provided"));
    assert!(r.flags.iter().any(|f| f.starts_with("status_not_stated")), "{:?}", r.flags);
    let (_, ws) = warnings.iter().find(|(f, _)| f == "small-3006.pdf").expect("read");
    assert!(!ws.iter().any(|w| w.contains("status.toml")), "narrative updates are no wordings to list: {ws:?}");
}
