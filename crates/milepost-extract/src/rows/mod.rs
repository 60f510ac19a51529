//! Turns a document's tables into raw rows: which tables are trackers or action plans, which
//! column is which, and the hierarchy carried down to every row.
//!
//! In: the [`PageTables`] of a document, in page order, and the column vocabulary. Out:
//! [`RawRow`]s with the text of each field as printed, the status cell's colours, and the page
//! and box where the row starts. Carried down: the theme (a heading above the table, a theme
//! column, or a full-width theme row), the outcome (a merged cell, also across a page break),
//! the group (a full-width group row, a group column, or an action plan's "Recommendation N"
//! heading). Repeated header rows are skipped; a row split over a page break is joined.
//!
//! Each decision that weighs evidence has a file of its own:
//! - [`roles`]: which column is which, from heading and content, and where the header is;
//! - [`hierarchy`]: which rows inside a table are theme or group headings;
//! - [`headings`]: headings above tables, and page furniture (running headers and footers);
//! - [`joins`]: rows split over a page break;
//! - [`key`]: the document's own key to a numbered or lettered status scale;
//! - [`labelled`]: actions written as labelled fields ("Action:", "Lead:", "Due:") instead of a grid.
//!
//! This file walks the document in reading order and carries the hierarchy down.
//!
//! Not here: status values, dates and text clean-up (`normalise`); finding tables (`tables`).

use std::sync::OnceLock;

use regex::Regex;

mod assign;
mod headings;
mod hierarchy;
mod joins;
pub mod key;
mod labelled;
mod roles;
mod table;

use crate::config::Config;
use crate::geom::{BBox, Colour};
use crate::record::Kind;
use crate::tables::{Cell, PageTables, Table, TableKind};
use headings::{Furniture, Heading};
use roles::Columns;

/// A table's own header, as [`roles::read_header`] finds it: the columns, the first header row
/// and the first row under the header.
type OwnHeader = Option<(Columns, usize, usize)>;

/// An outcome cell's text goes on in a row that starts less than this below its last line
/// (about a line and a half): a row start found inside a wrapped outcome (a group heading
/// level with its first line) cut it.
const OUTCOME_RUN_ON_PT: f32 = 16.0;

/// A date line belongs to the item whose first line is at most this far below it: half a line
/// (an item's first line and its date are set on one baseline, give or take rounding).
const DATE_BESIDE_ITEM_PT: f32 = 3.0;

/// What the walk through a document meets on a page, top to bottom.
enum Event {
    /// A heading line outside the tables.
    Heading(Heading),
    /// The page's table with this index, and its own header.
    Table(usize, OwnHeader),
}

/// One row as printed, before normalisation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRow {
    /// 1-based page where the row starts.
    pub page: u32,
    /// The row's box on that page.
    pub bbox: BBox,
    /// Tracker row or action.
    pub action: bool,
    /// The theme, as printed.
    pub theme: Option<String>,
    /// The outcome, as printed (joined over rows and pages).
    pub outcome: Option<String>,
    /// The group, as printed.
    pub group: Option<String>,
    /// The activity cell (or one bullet of it).
    pub activity: String,
    /// For a bullet sub-item: the lead-in text of the cell it came from.
    pub parent: Option<String>,
    /// The target-date cell.
    pub target: String,
    /// The status cell's words.
    pub status: String,
    /// The status cell's fill.
    pub status_fill: Option<Colour>,
    /// The status cell's text colour.
    pub status_text_colour: Option<Colour>,
    /// Whether the table has a status column at all.
    pub has_status_column: bool,
    /// The rationale cell.
    pub rationale: String,
    /// The reference cell.
    pub reference: Option<String>,
    /// The lead cell.
    pub lead: Option<String>,
    /// Cells of columns no role fits: (heading as printed, text).
    pub extra: Vec<(String, String)>,
    /// Doubts found at this stage (`no_activity`, `activity_continues`, `columns_uncertain`).
    pub flags: Vec<String>,
}

impl RawRow {
    /// The record kind.
    pub fn kind(&self) -> Kind {
        if self.action {
            Kind::Action
        } else {
            Kind::Milestone
        }
    }
}

/// The rows of one document and what was learnt on the way.
#[derive(Debug, Clone, Default)]
pub struct DocRows {
    /// The rows, in document order.
    pub rows: Vec<RawRow>,
    /// How many tables were read as trackers or action plans.
    pub tracker_tables: usize,
    /// The first lines of text on the first page (for titles).
    pub title_lines: Vec<String>,
    /// Where a column's content overruled its heading: (page, sentence for the officer).
    pub notes: Vec<(u32, String)>,
    /// Words in tables of three or more columns (read or not).
    pub table_words: usize,
    /// Words in such tables that were not read as trackers or action plans.
    pub unread_table_words: usize,
    /// Pages holding such unread tables.
    pub unread_pages: Vec<u32>,
    /// The headings, as printed, of the columns read as the status column, once each.
    pub status_columns: Vec<String>,
}

fn re_bullet() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*([-•▪◦‣∙·*–]|\d+[.)]|[a-z][.)])\s+").expect("valid regex"))
}

/// Finds the rows of a whole document.
pub fn find_rows(pages: &[PageTables], cfg: &Config) -> DocRows {
    let mut st = State::default();
    let mut out = DocRows::default();
    st.furniture = Furniture::find(pages);
    out.title_lines = title_lines(pages, &st.furniture);
    let mut pending_theme: Option<String> = None;
    for (pt, events) in pages.iter().zip(page_events(pages, &st.furniture, cfg)) {
        for (_, event) in events {
            match event {
                Event::Heading(Heading::Theme(t)) => pending_theme = Some(t),
                Event::Heading(Heading::Prose) => pending_theme = None,
                Event::Heading(Heading::Recommendation(r)) => {
                    // Over an action table it is the group; over a tracker ("Priority 1 – Safe
                    // streets" above a table with commentary) it is the theme.
                    st.recommendation = Some(r.clone());
                    st.group = None;
                    pending_theme = Some(r);
                }
                Event::Table(i, own_header) => {
                    st.page_height_pt = pt.layout.height_pt;
                    read_one_table(&pt.tables[i], own_header, pending_theme.take(), cfg, &mut st, &mut out);
                }
            }
        }
    }
    // Outcome texts were gathered by id: joined pieces reach every row that shares them.
    for (row, id) in st.rows.iter_mut().zip(&st.outcome_of_row) {
        if let Some(id) = id {
            let text = st.outcomes[*id].trim().to_string();
            row.outcome = (!text.is_empty()).then_some(text);
        }
    }
    out.rows = st.rows;
    out.notes = st.notes;
    out.status_columns = st.status_columns;
    out
}

/// The title: the first lines of page 1 that are not page furniture (a running header repeats
/// the plan's name with its marking on every page), with protective markings taken out.
fn title_lines(pages: &[PageTables], furniture: &Furniture) -> Vec<String> {
    let Some(p) = pages.first() else { return Vec::new() };
    p.layout
        .lines
        .iter()
        .filter(|l| !furniture.contains(&p.layout.line_text(l), l.bbox.y0))
        .map(|l| headings::strip_markings(&p.layout.line_text(l)))
        .filter(|t| !t.is_empty())
        .take(6)
        .collect()
}

/// Each page's headings and tables in the order they are printed, each table with its own
/// header. They depend on that page alone, so they are read over the cores (on a long tracker
/// the headers are most of this stage); the document is then walked in order.
fn page_events(pages: &[PageTables], furniture: &Furniture, cfg: &Config) -> Vec<Vec<(f32, Event)>> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .map(|pt| {
            let mut events: Vec<(f32, Event)> = headings::headings(pt, furniture).into_iter().map(|(y, h)| (y, Event::Heading(h))).collect();
            events.extend(pt.tables.iter().enumerate().map(|(i, t)| (t.bbox.y0, Event::Table(i, roles::read_header(t, cfg)))));
            events.sort_by(|a, b| a.0.total_cmp(&b.0));
            events
        })
        .collect()
}

/// Reads one table into the state: as labelled actions, else as a grid; a table of three or
/// more columns that is neither is counted as unread (the self-check), and the hierarchy is
/// put back as it was. `theme`: a theme heading set just above it, which applies when the table
/// is a tracker.
fn read_one_table(t: &Table, own_header: OwnHeader, theme: Option<String>, cfg: &Config, st: &mut State, out: &mut DocRows) {
    let before = (st.theme_heading.clone(), st.theme_row.clone(), st.outcome, st.group.clone());
    if let Some(theme) = theme {
        st.set_theme_heading(theme);
    }
    let words = t.cells.iter().map(|c| c.text.split_whitespace().count()).sum::<usize>();
    // Actions as labelled fields, one record each (tried first: a list of labels and values
    // can look like a narrow grid under a header).
    if let Some(actions) = labelled::read_labelled(t, cfg) {
        out.tracker_tables += 1;
        out.table_words += words;
        push_labelled(actions, st);
    } else if table::read_table(t, own_header, cfg, st) {
        out.tracker_tables += 1;
        out.table_words += words;
    } else {
        // A tracker table whose header was missed loses its rows.
        if t.cols() >= 3 && t.rows() >= 2 {
            out.unread_table_words += words;
            out.table_words += words;
            if !out.unread_pages.contains(&t.page) {
                out.unread_pages.push(t.page);
            }
        }
        (st.theme_heading, st.theme_row, st.outcome, st.group) = before;
    }
}

#[derive(Default)]
struct State {
    theme_heading: Option<String>,
    theme_row: Option<String>,
    theme_col: Option<String>,
    recommendation: Option<String>,
    outcome: Option<usize>,
    outcomes: Vec<String>,
    /// The last outcome piece: (page, table index, cell origin, last baseline).
    outcome_cell: Option<(u32, usize, usize, usize)>,
    outcome_last_line: Option<(u32, f32)>,
    /// Whether the last outcome cell ran down to the last row of its table (it may go on over
    /// the page break).
    outcome_to_bottom: bool,
    group: Option<String>,
    /// Whether the previous row was a group heading (a wrapped heading goes on in the next).
    last_was_group: bool,
    columns: Option<Columns>,
    /// The columns of the last table that printed its own header: a continuation with the
    /// same columns takes them over those of a table in between read more loosely (a block
    /// found from text alignment, its outcome and activity joined).
    headed: Option<Columns>,
    /// The height of the page being read (running headers and footers sit at its edges).
    page_height_pt: f32,
    /// Lines repeated at the same place on most pages.
    furniture: Furniture,
    /// The printed headings of the status columns read, once each.
    status_columns: Vec<String>,
    /// What the column decisions said (page, note), once each.
    notes: Vec<(u32, String)>,
    rows: Vec<RawRow>,
    outcome_of_row: Vec<Option<usize>>,
}

impl State {
    /// The theme and group of a row read now: the theme from a theme column (where the table
    /// has one), else the theme row or heading above. An action plan's actions are grouped by
    /// their recommendation, which also stands above them as a heading (no theme then); a plan
    /// of actions under other headings (a slide's title naming a directorate, a group row)
    /// keeps them as theme and group.
    fn theme_and_group(&self, action: bool, theme_column: bool) -> (Option<String>, Option<String>) {
        if action && self.recommendation.is_some() {
            return (None, self.recommendation.clone());
        }
        let theme = if theme_column { self.theme_col.clone() } else { self.theme_row.clone().or_else(|| self.theme_heading.clone()) };
        (theme, self.group.clone())
    }

    /// A theme heading (above a table, or above its header): a new one starts the outcomes and
    /// groups under it afresh.
    fn set_theme_heading(&mut self, theme: String) {
        if self.theme_heading.as_deref() != Some(theme.as_str()) {
            self.theme_heading = Some(theme);
            self.theme_row = None;
            self.outcome = None;
            self.group = None;
        }
    }
}

/// "THRIVING NEIGHBOURHOODS" → "Thriving Neighbourhoods"; small words stay lower case.
pub fn title_case(s: &str) -> String {
    const SMALL: [&str; 9] = ["and", "of", "the", "for", "in", "on", "to", "a", "an"];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lw = w.to_lowercase();
            if i > 0 && SMALL.contains(&lw.as_str()) {
                lw
            } else {
                let mut cs = lw.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether every line of row `r` is page furniture ([`Furniture`]): each cell that starts on the
/// row is one line, found repeated at its height on most pages (alone, or with the rest of
/// the row as one printed line: "Plan: Q3 2024/25 … Northdale Borough Council").
fn row_is_furniture(table: &Table, r: usize, st: &State) -> bool {
    let mut cells: Vec<&Cell> = table.cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
    if cells.is_empty() || cells.iter().any(|c| c.row_span > 1 || c.text.trim().contains('\n')) {
        return false;
    }
    cells.sort_by_key(|c| c.col);
    let top = |c: &Cell| c.line_baselines.first().map(|b| b - crate::read::GLYPH_ASCENT_EM * c.size_pt.max(1.0)).unwrap_or(c.bbox.y0);
    let joined = cells.iter().map(|c| one_line(&c.text)).collect::<Vec<_>>().join(" ");
    st.furniture.contains(&joined, top(cells[0])) || cells.iter().all(|c| st.furniture.contains(&one_line(&c.text), top(c)))
}

fn cell_text(table: &Table, row: usize, col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| table.cell_at(row, c))
}

/// Adds the actions read from labelled fields, under the theme, group or recommendation in
/// force (a plan of such records is an action plan where no status is given).
fn push_labelled(actions: Vec<labelled::Labelled>, st: &mut State) {
    for a in actions {
        let action = a.status.trim().is_empty();
        let (theme, group) = st.theme_and_group(action, false);
        let mut row = RawRow {
            page: a.page,
            bbox: a.bbox.unwrap_or_default(),
            action,
            theme,
            group,
            activity: a.activity,
            target: a.target,
            status: a.status,
            status_fill: a.status_fill,
            has_status_column: !action,
            rationale: a.rationale,
            reference: a.reference.filter(|s| !s.trim().is_empty()),
            lead: a.lead.filter(|s| !s.trim().is_empty()),
            extra: a.extra,
            ..Default::default()
        };
        if row.activity.trim().is_empty() {
            row.flags.push("no_activity".into());
        }
        st.rows.push(row);
        st.outcome_of_row.push(None);
    }
}

fn title_case_if_shouting(s: &str) -> String {
    if s.chars().any(|c| c.is_lowercase()) {
        s.to_string()
    } else {
        title_case(s)
    }
}

fn append(to: &mut String, more: &str) {
    let more = more.trim();
    if more.is_empty() {
        return;
    }
    if !to.trim().is_empty() {
        to.push('\n');
    }
    to.push_str(more);
}

/// Tracks the outcome cell of row `r`: the same merged cell keeps the outcome; a new cell with
/// text starts one; in a borderless table, text that runs on from the previous piece (the next
/// line down) continues it.
fn update_outcome(table: &Table, r: usize, outcome_col: Option<usize>, st: &mut State) {
    let Some(cell) = outcome_col.and_then(|c| table.cell_at(r, c)) else { return };
    let key = (table.page, table.index, cell.row, cell.col);
    if st.outcome_cell == Some(key) {
        return;
    }
    let text = cell.text.trim();
    if text.is_empty() {
        return;
    }
    let first = cell.line_baselines.first().copied().unwrap_or(cell.bbox.y0);
    // In a borderless table, or (any table) where the text goes on in lower case: an outcome
    // cell split where a row starts inside it (a group heading level with its first line).
    let lower = text.chars().next().is_some_and(char::is_lowercase);
    let runs_on = (table.kind == TableKind::Borderless || lower)
        && st.outcome.is_some()
        && st.outcome_last_line.is_some_and(|(p, y)| p == table.page && first > y && first - y < OUTCOME_RUN_ON_PT);
    // A merged outcome cell broken by the page: it reached the foot of the last page's table,
    // and its words go on here mid-sentence ("… by engaging in" / "active, creative …").
    let goes_on =
        st.outcome.is_some() && st.outcome_to_bottom && st.outcome_last_line.is_some_and(|(p, _)| p + 1 == table.page) && text.chars().next().is_some_and(char::is_lowercase);
    let runs_on = runs_on || goes_on;
    // An outcome repeated on every row of its block is the same outcome, not a new block.
    let repeated = st.outcome.is_some_and(|id| one_line(&st.outcomes[id]) == one_line(text));
    if repeated {
        // The same outcome printed again on this row: nothing new.
    } else if runs_on {
        let id = st.outcome.expect("checked");
        append(&mut st.outcomes[id], text);
    } else {
        st.outcomes.push(text.to_string());
        st.outcome = Some(st.outcomes.len() - 1);
        st.group = None;
    }
    st.outcome_cell = Some(key);
    st.outcome_last_line = cell.line_baselines.last().map(|y| (table.page, *y));
    st.outcome_to_bottom = cell.row + cell.row_span >= table.rows();
}

/// Splits an action cell with bullet sub-items, each with a date printed level with it, into
/// (text, date) pairs: the lead-in first, then one per bullet. One pair when there is nothing
/// to split.
fn split_sub_items(act: Option<&Cell>, target: Option<&Cell>) -> Vec<(String, String)> {
    let (Some(act), Some(target)) = (act, target) else {
        return vec![];
    };
    let lines: Vec<&str> = act.text.split('\n').collect();
    if lines.len() != act.line_baselines.len() || !lines.iter().skip(1).any(|l| re_bullet().is_match(l)) {
        return vec![];
    }
    // Items: the lead-in, then each bullet with the lines that follow it.
    let mut items: Vec<(Vec<String>, f32)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let y = act.line_baselines[i];
        if i == 0 || re_bullet().is_match(l) {
            let text = re_bullet().replace(l, "").to_string();
            items.push((vec![text], y));
        } else if let Some(last) = items.last_mut() {
            last.0.push(l.to_string());
        }
    }
    let tlines: Vec<&str> = target.text.split('\n').collect();
    if tlines.len() != target.line_baselines.len() {
        return vec![];
    }
    let mut dates: Vec<Vec<String>> = vec![Vec::new(); items.len()];
    for (i, t) in tlines.iter().enumerate() {
        let y = target.line_baselines[i];
        // The item whose first line is at or above this date line (within half a line).
        let k = items.iter().rposition(|(_, iy)| *iy <= y + DATE_BESIDE_ITEM_PT).unwrap_or(0);
        dates[k].push(t.to_string());
    }
    // Only split when the bullets carry dates of their own.
    if dates.iter().skip(1).filter(|d| !d.is_empty()).count() == 0 {
        return vec![];
    }
    items.into_iter().zip(dates).map(|((t, _), d)| (t.join("\n"), d.join("\n"))).collect()
}
