//! Writes a pack as an Excel workbook: Summary (tables and native Excel charts: by theme, and by
//! period when earlier periods are known), Tracker (every row, ready to update next quarter),
//! Exceptions, Changes, Needs checking and Sources.
//!
//! In: a [`Pack`] (the same one the PDF shows, so the two agree). Out: the workbook's bytes.
//! Every text cell goes through [`neutralise`], so a tracker's "- to be confirmed" or a hostile
//! "=HYPERLINK(…)" stays text in Excel.
//!
//! Not here: the numbers (`summary`, `pack`); writing to disk (`mod.rs`).

use std::borrow::Cow;

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use super::pack::{Pack, RowView};
use crate::output::neutralise;

/// The sheet names, in order (tests check them).
pub const SHEETS: [&str; 6] = ["Summary", "Tracker", "Exceptions", "Changes", "Needs checking", "Sources"];

/// Excel's limit on characters in a cell.
const CELL_MAX_CHARS: usize = 32_767;

fn cell(s: &str) -> Cow<'_, str> {
    let s = neutralise(s);
    if s.chars().count() <= CELL_MAX_CHARS {
        return s;
    }
    let mut cut: String = s.chars().take(CELL_MAX_CHARS - 1).collect();
    cut.push('…');
    Cow::Owned(cut)
}

fn colour(hex: &str) -> u32 {
    u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0xFFFFFF)
}

struct Formats {
    header: Format,
    wrap: Format,
    plain: Format,
    title: Format,
    bold: Format,
    percent: Format,
    month: Format,
    day: Format,
    link: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new().set_bold().set_font_color(0xFFFFFF).set_background_color(0x1D3F6E).set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        plain: Format::new().set_align(FormatAlign::Top),
        title: Format::new().set_bold().set_font_size(14),
        bold: Format::new().set_bold(),
        percent: Format::new().set_num_format("0%"),
        month: Format::new().set_num_format("mmm yyyy").set_align(FormatAlign::Top).set_align(FormatAlign::Left),
        day: Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top).set_align(FormatAlign::Left),
        link: Format::new().set_font_color(0x0563C1).set_underline(rust_xlsxwriter::FormatUnderline::Single).set_align(FormatAlign::Top),
    }
}

/// One column of a row sheet: heading, width, wrapped, and how to read it from a row.
struct Col {
    name: &'static str,
    width: f64,
    wrap: bool,
    get: fn(&RowView) -> String,
}

/// Writes a table of rows with a frozen, filtered header, set to print on A4 landscape one page
/// wide with the header on every page; returns the last row written. With `link` (the input
/// folder from the packs folder), a PDF row's Page cell opens the source PDF at that page where
/// the viewer supports it.
fn row_sheet(ws: &mut Worksheet, f: &Formats, cols: &[Col], rows: &[RowView], link: Option<&str>) -> Result<u32, XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    for (c, col) in cols.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, col.name, &f.header)?;
        ws.set_column_width(c, col.width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, col) in cols.iter().enumerate() {
            let v = (col.get)(r);
            let fmt = if col.wrap { &f.wrap } else { &f.plain };
            let date = match col.name {
                "Target date" => r.due_date,
                "Revised date" => r.revised_date,
                _ => None,
            };
            if col.name == "Page" {
                match link.filter(|_| r.file.to_lowercase().ends_with(".pdf")) {
                    Some(base) => {
                        let url = rust_xlsxwriter::Url::new(format!("file:///{base}{}#page={v}", r.file)).set_text(v.as_str()).set_tip(format!("Open {} at page {v}", r.file));
                        ws.write_url_with_format(row, c as u16, url, &f.link)?;
                    }
                    None => {
                        ws.write_number_with_format(row, c as u16, v.parse::<f64>().unwrap_or(0.0), fmt)?;
                    }
                }
            } else if let Some(d) = date.filter(|_| !v.ends_with("(ongoing)")) {
                // A real date, so officers can sort and filter; shown as printed: a month
                // ("Mar 2025") or a day ("31/03/2025"). "Target date as printed" keeps the words.
                write_date(ws, row, c as u16, d, f)?;
            } else {
                ws.write_string_with_format(row, c as u16, cell(&v), fmt)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last = rows.len().max(1) as u32;
    ws.autofilter(0, 0, last, cols.len() as u16 - 1)?;
    Ok(last)
}

/// Writes a date as an Excel date: the first of the month, shown `mmm yyyy`, when only the month
/// is known; else the day, shown `dd/mm/yyyy`.
fn write_date(ws: &mut Worksheet, row: u32, col: u16, d: crate::record::PartialDate, f: &Formats) -> Result<(), XlsxError> {
    match rust_xlsxwriter::ExcelDateTime::from_ymd(d.year, d.month, d.day.unwrap_or(1)) {
        Ok(dt) => {
            let fmt = if d.day.is_some() { &f.day } else { &f.month };
            ws.write_datetime_with_format(row, col, &dt, fmt)?;
        }
        Err(_) => {
            ws.write_string_with_format(row, col, format!("{:04}-{:02}", d.year, d.month), &f.plain)?;
        }
    }
    Ok(())
}

/// Colours a status column by label, as the PDF's chips.
fn status_colours(ws: &mut Worksheet, pack: &Pack, col: u16, last: u32) -> Result<(), XlsxError> {
    for s in pack.styles.values() {
        let fmt = Format::new().set_background_color(colour(&s.colour)).set_font_color(colour(&s.text_colour)).set_bold();
        let cf = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(s.label.as_str())).set_format(fmt);
        ws.add_conditional_format(1, col, last, col, &cf)?;
    }
    Ok(())
}

const REF: Col = Col { name: "Ref", width: 8.0, wrap: false, get: |r| r.reference.clone() };
const ACTIVITY: Col = Col { name: "Activity", width: 55.0, wrap: true, get: |r| r.activity.clone() };
const STATUS: Col = Col { name: "Status", width: 13.0, wrap: false, get: |r| r.status_label.clone() };
const DUE: Col = Col { name: "Target date", width: 14.0, wrap: true, get: |r| r.due.clone() };
const REVISED: Col = Col { name: "Revised date", width: 13.0, wrap: false, get: |r| r.revised.clone() };
const RATIONALE: Col = Col { name: "Rationale", width: 60.0, wrap: true, get: |r| r.rationale.clone() };
const FILE: Col = Col { name: "File", width: 28.0, wrap: false, get: |r| r.file.clone() };
const PAGE: Col = Col { name: "Page", width: 6.0, wrap: false, get: |r| r.page.to_string() };

/// "Q2 2024/25: Behind; Q3 2024/25: Behind (Behind for 3 quarters)": a row's status in the
/// earlier periods the pack knows.
fn earlier_statuses(r: &RowView) -> String {
    let steps: Vec<String> = r.trail.iter().filter(|t| !t.status.is_empty()).map(|t| format!("{}: {}", t.period, t.status.replace('_', " "))).collect();
    let mut s = steps.join("; ");
    if !r.persist.is_empty() {
        s = format!("{s} ({})", r.persist);
    }
    s
}

/// A table of counts on the Summary sheet from row `top`: a heading row (`first`, then one
/// heading per count column, then Total), and a row per (name, counts, total). Returns its last
/// row. Charts draw from these tables (see [`add_series`]).
fn count_table<'r>(ws: &mut Worksheet, f: &Formats, top: u32, first: &str, heads: &[&str], rows: impl Iterator<Item = (&'r str, &'r [usize], usize)>) -> Result<u32, XlsxError> {
    ws.write_string_with_format(top, 0, cell(first), &f.header)?;
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(top, 1 + i as u16, cell(h), &f.header)?;
    }
    let total_col = 1 + heads.len() as u16;
    ws.write_string_with_format(top, total_col, "Total", &f.header)?;
    let mut last = top;
    for (name, counts, total) in rows {
        last += 1;
        ws.write_string_with_format(last, 0, cell(name), &f.wrap)?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number(last, 1 + i as u16, *n as f64)?;
        }
        ws.write_number(last, total_col, total as f64)?;
    }
    Ok(last)
}

/// One chart series per count column of the Summary table whose heading row is `top` and whose
/// last row is `last` (names in column A), in `fills`' colours, each bar labelled with its value.
fn add_series(chart: &mut Chart, top: u32, last: u32, fills: &[u32]) {
    for (i, fill) in fills.iter().enumerate() {
        let c = 1 + i as u16;
        chart
            .add_series()
            .set_name((SHEETS[0], top, c))
            .set_categories((SHEETS[0], top + 1, 0, last, 0))
            .set_values((SHEETS[0], top + 1, c, last, c))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(*fill)).set_border(rust_xlsxwriter::ChartLine::new().set_color(0x7F7F7F)))
            .set_data_label(rust_xlsxwriter::ChartDataLabel::new().show_value());
    }
}

/// The Summary sheet's status tables and charts, from `row` down: counts by status, by theme,
/// by period (when earlier periods are known), and a chart of each.
fn status_summary(ws: &mut Worksheet, f: &Formats, pack: &Pack, row: u32) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, "Status", &f.header)?;
    ws.write_string_with_format(row, 1, "Activities", &f.header)?;
    ws.write_string_with_format(row, 2, "Share", &f.header)?;
    for (i, s) in pack.statuses.iter().enumerate() {
        let r = row + 1 + i as u32;
        let fmt = Format::new().set_background_color(colour(&s.colour)).set_font_color(colour(&s.text_colour)).set_bold();
        ws.write_string_with_format(r, 0, cell(&s.label), &fmt)?;
        ws.write_number(r, 1, s.count as f64)?;
        ws.write_number_with_format(r, 2, f64::from(s.percent) / 100.0, &f.percent)?;
    }
    let total_row = row + 1 + pack.statuses.len() as u32;
    ws.write_string_with_format(total_row, 0, "Total", &f.bold)?;
    ws.write_number_with_format(total_row, 1, pack.total as f64, &f.bold)?;
    // By theme: counts, the table the chart draws from.
    let theme_top = total_row + 2;
    let labels: Vec<&str> = pack.statuses.iter().map(|s| s.label.as_str()).collect();
    let last = count_table(ws, f, theme_top, &pack.section_word, &labels, pack.themes.iter().map(|t| (t.name.as_str(), &t.counts[..], t.total)))?;
    let total_col = 1 + labels.len() as u16;
    ws.set_column_width(0, 40.0)?;
    ws.set_column_width(1, 12.0)?;
    for c in 2..=total_col {
        ws.set_column_width(c, 11.0)?;
    }
    // Status by period, oldest first, from the history: the table the second chart draws from.
    let period_top = last + 2;
    let period_last = if pack.period_shares.is_empty() {
        period_top
    } else {
        count_table(ws, f, period_top, "Period", &labels, pack.period_shares.iter().map(|p| (p.period.as_str(), &p.counts[..], p.total)))?
    };
    // Charts below the tables, one under the other (a worksheet row is 20 pixels high).
    let mut chart_row = if pack.period_shares.is_empty() { last + 2 } else { period_last + 2 };
    let fills: Vec<u32> = pack.statuses.iter().map(|s| colour(&s.colour)).collect();
    if pack.show_chart {
        let mut chart = Chart::new(ChartType::BarStacked);
        add_series(&mut chart, theme_top, last, &fills);
        let chart_title = format!("Activities by status for each {}", pack.section_word.to_lowercase());
        chart.title().set_name(chart_title.as_str());
        chart.y_axis().set_reverse();
        chart.legend().set_position(ChartLegendPosition::Bottom);
        // Excel keeps at most 255 characters of alternative text; the table beside the chart
        // holds every number.
        let alt = format!("Stacked bar chart of activities by status for each {}, drawn from the table above.", pack.section_word.to_lowercase());
        chart.set_alt_text(alt.as_str());
        let height = 80 + 40 * pack.themes.len() as u32;
        chart.set_width(720).set_height(height);
        ws.insert_chart(chart_row, 0, &chart)?;
        chart_row += height.div_ceil(20) + 2;
    }
    if !pack.period_shares.is_empty() {
        let mut chart = Chart::new(ChartType::ColumnPercentStacked);
        add_series(&mut chart, period_top, period_last, &fills);
        chart.title().set_name("Share of activities by status in each period");
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_alt_text("Stacked column chart of the share of activities in each status, one column per period, oldest first, drawn from the table above.");
        chart.set_width(720).set_height(360);
        ws.insert_chart(chart_row, 0, &chart)?;
    }

    Ok(())
}

/// The Summary sheet of an action plan with no statuses, from `row` down: actions by when they
/// are due (as of the report date), the same per recommendation with the earliest and latest
/// date, and a chart of it.
fn timescale_summary(ws: &mut Worksheet, f: &Formats, pack: &Pack, t: &super::timescales::Timescales, row: u32) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, cell(&format!("When due (as of {})", pack.produced)), &f.header)?;
    ws.write_string_with_format(row, 1, "Actions", &f.header)?;
    for (i, (b, n)) in t.buckets.iter().zip(&t.counts).enumerate() {
        ws.write_string(row + 1 + i as u32, 0, cell(b))?;
        ws.write_number(row + 1 + i as u32, 1, *n as f64)?;
    }
    let total_row = row + 1 + t.buckets.len() as u32;
    ws.write_string_with_format(total_row, 0, "Total", &f.bold)?;
    ws.write_number_with_format(total_row, 1, pack.total as f64, &f.bold)?;
    let top = total_row + 2;
    let n = t.short.len() as u16;
    ws.write_string_with_format(top, 0, cell(&pack.section_word), &f.header)?;
    for (i, b) in t.short.iter().enumerate() {
        ws.write_string_with_format(top, 1 + i as u16, cell(b), &f.header)?;
    }
    for (k, h) in ["Total", "Earliest", "Latest"].iter().enumerate() {
        ws.write_string_with_format(top, 1 + n + k as u16, *h, &f.header)?;
    }
    for (si, sec) in t.sections.iter().enumerate() {
        let r = top + 1 + si as u32;
        ws.write_string_with_format(r, 0, cell(&sec.name), &f.wrap)?;
        for (i, c) in sec.counts.iter().enumerate() {
            ws.write_number_with_format(r, 1 + i as u16, *c as f64, &f.plain)?;
        }
        ws.write_number_with_format(r, 1 + n, sec.total as f64, &f.plain)?;
        ws.write_string_with_format(r, 2 + n, cell(&sec.earliest), &f.plain)?;
        ws.write_string_with_format(r, 3 + n, cell(&sec.latest), &f.plain)?;
    }
    ws.set_column_width(0, 50.0)?;
    for c in 1..=3 + n {
        ws.set_column_width(c, 12.0)?;
    }
    if pack.show_chart {
        let last = top + t.sections.len() as u32;
        // Dark (due soonest) to pale (no date), as in the PDF; every bar also shows its number.
        const SHADES: [u32; 5] = [0x1D3F6E, 0x4F7FB8, 0xA9C4E4, 0xBEBEBE, 0xEBEBEB];
        let mut chart = Chart::new(ChartType::BarStacked);
        add_series(&mut chart, top, last, &SHADES[..usize::from(n).min(SHADES.len())]);
        let word = pack.section_word.to_lowercase();
        chart.title().set_name(format!("When the actions of each {word} are due").as_str());
        chart.y_axis().set_reverse();
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_alt_text(format!("Stacked bar chart of when the actions of each {word} are due, as of {}, drawn from the table above.", pack.produced).as_str());
        chart.set_width(720).set_height(80 + 40 * t.sections.len() as u32);
        ws.insert_chart(last + 2, 0, &chart)?;
    }
    Ok(())
}

/// Builds the workbook.
pub fn workbook(pack: &Pack) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let mut wb = Workbook::new();
    let section = |name: &'static str| Col { name, width: 24.0, wrap: true, get: |r| r.section.clone() };
    // The section column: Theme; Recommendation for an action plan; Group for a tracker grouped
    // by its groups (which then has no second Group column, and reads back as the group).
    let theme_col = section(match pack.section_word.as_str() {
        "Theme" => "Theme",
        "Group" => "Group",
        _ => "Recommendation",
    });

    // --- Summary ---
    let ws = wb.add_worksheet().set_name(SHEETS[0])?;
    ws.write_string_with_format(0, 0, cell(&pack.title), &f.title)?;
    let facts = [("Organisation", &pack.organisation), ("Plan", &pack.plan_title), ("Period", &pack.period), ("Produced", &pack.produced)];
    for (i, (k, v)) in facts.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *k, &f.bold)?;
        ws.write_string(2 + i as u32, 1, cell(v))?;
    }
    ws.write_string_with_format(6, 0, "Sources", &f.bold)?;
    ws.write_string(6, 1, cell(&pack.files.join(", ")))?;
    // The plan's short name: a workbook read back after an update joins the same plan's packs
    // (milepost reads Plan ID, Plan and Period from here; see `workbook`).
    ws.write_string_with_format(7, 0, crate::workbook::PLAN_ID_LABEL, &f.bold)?;
    ws.write_string(7, 1, cell(&pack.plan))?;
    ws.write_string_with_format(8, 0, cell(&pack.headline), &f.bold)?;
    let mut row = 9;
    if let Some(c) = &pack.changes {
        ws.write_string(row, 0, cell(&c.sentence))?;
        row += 1;
    }
    row += 1;
    if let Some(t) = &pack.timescales {
        timescale_summary(ws, &f, pack, t, row)?;
    } else {
        status_summary(ws, &f, pack, row)?;
    }

    // --- Tracker ---
    let ws = wb.add_worksheet().set_name(SHEETS[1])?;
    // An action plan with no statuses keeps the column, empty, for the next update to fill.
    let status = if pack.timescales.is_some() { Col { name: "Status", width: 13.0, wrap: false, get: |_| String::new() } } else { STATUS };
    let cols: Vec<Col> = [
        REF,
        section(theme_col.name),
        Col { name: "Outcome", width: 24.0, wrap: true, get: |r| r.outcome.clone() },
        Col { name: "Group", width: 24.0, wrap: true, get: |r| r.group.clone() },
        ACTIVITY,
        Col { name: "Target date as printed", width: 18.0, wrap: true, get: |r| r.target_text.clone() },
        DUE,
        REVISED,
        status,
        Col { name: "Status as printed", width: 13.0, wrap: true, get: |r| r.status_text.clone() },
        Col { name: "Earlier statuses", width: 22.0, wrap: true, get: earlier_statuses },
        RATIONALE,
        Col { name: "Lead", width: 16.0, wrap: true, get: |r| r.lead.clone() },
        Col { name: "Other columns", width: 24.0, wrap: true, get: |r| r.other.clone() },
        FILE,
        PAGE,
    ]
    .into_iter()
    .enumerate()
    .filter(|(i, c)| !(*i > 1 && c.name == theme_col.name))
    .map(|(_, c)| c)
    .collect();
    let last = row_sheet(ws, &f, &cols, &pack.rows, pack.source_link.as_deref())?;
    let status_col = cols.iter().position(|c| c.name == "Status").expect("the tracker has a status column") as u16;
    status_colours(ws, pack, status_col, last)?;
    let labels: Vec<&str> = pack.styles.values().map(|s| s.label.as_str()).collect();
    // Officers update the status next quarter: only the scale's statuses are accepted.
    let dv = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title("Status")?
        .set_input_message("Choose a status from the list.")?
        .set_error_title("Not a status")?
        .set_error_message(format!("Choose one of: {}.", labels.join(", ")))?;
    ws.add_data_validation(1, status_col, last.max(1), status_col, &dv)?;

    // --- Exceptions ---
    let ws = wb.add_worksheet().set_name(SHEETS[2])?;
    let rows: Vec<RowView> = pack.exceptions.iter().flat_map(|g| g.rows.iter().cloned()).collect();
    let cols = [REF, section(theme_col.name), ACTIVITY, STATUS, DUE, REVISED, RATIONALE, FILE, PAGE];
    let last = row_sheet(ws, &f, &cols, &rows, pack.source_link.as_deref())?;
    status_colours(ws, pack, 3, last)?;

    // --- Changes ---
    let ws = wb.add_worksheet().set_name(SHEETS[3])?;
    match &pack.changes {
        None => {
            ws.write_string(0, 0, "No earlier period of this plan was among the inputs, so there is nothing to compare with.")?;
            ws.set_column_width(0, 90.0)?;
        }
        Some(c) => {
            let heads = ["Change", "Ref", theme_col.name, "Activity", "Was", "Now", "Direction", "Target date", "Revised date"];
            let widths = [16.0, 8.0, 24.0, 55.0, 14.0, 14.0, 12.0, 14.0, 13.0];
            for (i, (h, w)) in heads.iter().zip(widths).enumerate() {
                ws.write_string_with_format(0, i as u16, *h, &f.header)?;
                ws.set_column_width(i as u16, w)?;
            }
            let mut lines: Vec<[String; 9]> = Vec::new();
            let base = |kind: &str, r: &RowView| {
                [kind.to_string(), r.reference.clone(), r.section.clone(), r.activity.clone(), String::new(), String::new(), String::new(), r.due.clone(), r.revised.clone()]
            };
            for m in &c.moves {
                let mut l = base("Status changed", &m.row);
                l[4] = m.before.clone();
                l[5] = m.row.status_label.clone();
                l[6] = m.direction.clone();
                lines.push(l);
            }
            for v in &c.revised {
                let mut l = base("Due date revised", &v.row);
                l[4] = v.before.clone();
                l[5] = v.row.revised.clone();
                lines.push(l);
            }
            for r in &c.added {
                let mut l = base("Added", r);
                l[5] = r.status_label.clone();
                lines.push(l);
            }
            for r in &c.removed {
                let mut l = base("Removed", r);
                l[4] = r.status_label.clone();
                lines.push(l);
            }
            for (i, l) in lines.iter().enumerate() {
                for (j, v) in l.iter().enumerate() {
                    ws.write_string_with_format(i as u32 + 1, j as u16, cell(v), if j == 3 { &f.wrap } else { &f.plain })?;
                }
            }
            ws.set_freeze_panes(1, 0)?;
            ws.autofilter(0, 0, lines.len().max(1) as u32, 8)?;
        }
    }

    // --- Needs checking ---
    let ws = wb.add_worksheet().set_name(SHEETS[4])?;
    let cols = [REF, ACTIVITY, Col { name: "What to check", width: 50.0, wrap: true, get: |r| r.flags.join("; ") }, STATUS, FILE, PAGE];
    row_sheet(ws, &f, &cols, &pack.flagged, pack.source_link.as_deref())?;

    // --- Sources ---
    let ws = wb.add_worksheet().set_name(SHEETS[5])?;
    row_sheet(ws, &f, &[REF, ACTIVITY, FILE, PAGE], &pack.rows, pack.source_link.as_deref())?;

    wb.save_to_buffer()
}
