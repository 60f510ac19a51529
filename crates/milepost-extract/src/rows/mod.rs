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

use crate::config::{Config, Role};
use crate::geom::{BBox, Colour};
use crate::record::Kind;
use crate::tables::{Cell, PageTables, Table, TableKind};
use headings::{in_margin, is_marking, re_title, Furniture, Heading, FURNITURE_BAND, THEME_MAX_WORDS};
use hierarchy::Level;
use roles::{Col, Columns};

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
    // The title: the first lines of page 1 that are not page furniture (a running header repeats
    // the plan's name with its marking on every page), with protective markings taken out.
    if let Some(p) = pages.first() {
        out.title_lines = p
            .layout
            .lines
            .iter()
            .filter(|l| !st.furniture.contains(&p.layout.line_text(l), l.bbox.y0))
            .map(|l| headings::strip_markings(&p.layout.line_text(l)))
            .filter(|t| !t.is_empty())
            .take(6)
            .collect();
    }
    let mut pending_theme: Option<String> = None;
    for pt in pages {
        // Headings and tables in the order they are printed.
        let mut events: Vec<(f32, Option<Heading>, Option<&Table>)> = Vec::new();
        for h in headings::headings(pt, &st.furniture) {
            events.push(h);
        }
        for t in &pt.tables {
            events.push((t.bbox.y0, None, Some(t)));
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, heading, table) in events {
            match (heading, table) {
                (Some(Heading::Theme(t)), _) => pending_theme = Some(t),
                (Some(Heading::Prose), _) => pending_theme = None,
                (Some(Heading::Recommendation(r)), _) => {
                    // Over an action table it is the group; over a tracker ("Priority 1 – Safe
                    // streets" above a table with commentary) it is the theme.
                    st.recommendation = Some(r.clone());
                    st.group = None;
                    pending_theme = Some(r);
                }
                (None, Some(t)) => {
                    st.page_height_pt = pt.layout.height_pt;
                    // A theme heading set just above a table: it applies when the table is a tracker.
                    let before = (st.theme_heading.clone(), st.theme_row.clone(), st.outcome, st.group.clone());
                    if let Some(theme) = pending_theme.take() {
                        st.set_theme_heading(theme);
                    }
                    let words = t.cells.iter().map(|c| c.text.split_whitespace().count()).sum::<usize>();
                    // Actions as labelled fields, one record each (tried first: a list of
                    // labels and values can look like a narrow grid under a header).
                    if let Some(actions) = labelled::read_labelled(t, cfg) {
                        out.tracker_tables += 1;
                        out.table_words += words;
                        push_labelled(actions, &mut st);
                    } else if read_table(t, cfg, &mut st) {
                        out.tracker_tables += 1;
                        out.table_words += words;
                    } else {
                        // A table of three or more columns that was not read: a tracker table
                        // whose header was missed loses its rows (the self-check counts it).
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
                _ => {}
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
    let top = |c: &Cell| c.line_baselines.first().map(|b| b - 0.9 * c.size_pt.max(1.0)).unwrap_or(c.bbox.y0);
    let joined = cells.iter().map(|c| one_line(&c.text)).collect::<Vec<_>>().join(" ");
    st.furniture.contains(&joined, top(cells[0])) || cells.iter().all(|c| st.furniture.contains(&one_line(&c.text), top(c)))
}

fn cell_text(table: &Table, row: usize, col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| table.cell_at(row, c))
}

/// Reads one table; returns whether it was a tracker or action-plan table.
fn read_table(table: &Table, cfg: &Config, st: &mut State) -> bool {
    // The header: in the first rows, or inherited from the table this one continues (or, for a
    // table with no header of its own, the last tracker table's columns with the same count).
    let header = roles::read_header(table, cfg).filter(|(c, _, _)| !st.columns.as_ref().is_some_and(|prev| roles::foreign_header(table, c, prev, cfg)));
    // A header repeated on a later page, word for word, over as many columns: of the decisions
    // made under it, the one made on more rows stands (a page may hold too few rows to decide:
    // two rows under "Column 1 … Column 7" cannot tell a theme from an activity).
    let header = header.map(|(c, start, first_data)| match &st.headed {
        Some(prev) if prev.header_texts == c.header_texts && prev.roles.len() == c.roles.len() && prev.role(Role::Activity).is_some() && prev.evidence_rows > c.evidence_rows => {
            (roles::Columns { col_edges: c.col_edges, notes: Vec::new(), provisional: false, ..prev.clone() }, start, first_data)
        }
        _ => (c, start, first_data),
    });
    let (columns, first_data, continued) = match header {
        Some((c, start, first_data)) => {
            // A theme heading set inside the table above its header (repeated with the header
            // on every page): one cell alone on its row.
            for r in 0..start {
                let cells: Vec<&Cell> = table.cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
                let band = FURNITURE_BAND * st.page_height_pt;
                if let [only] = cells[..].iter().copied().filter(|c| c.bbox.y1 >= band).collect::<Vec<_>>()[..] {
                    let text = one_line(&only.text);
                    if !re_title().is_match(&text) && !is_marking(&text) && text.split_whitespace().count() <= THEME_MAX_WORDS {
                        let theme = title_case_if_shouting(&text);
                        st.set_theme_heading(theme);
                    }
                }
            }
            st.headed = Some(c.clone());
            (c, first_data, false)
        }
        None => {
            let same_count = |c: &&Columns| c.roles.len() == table.cols();
            let found = st
                .columns
                .as_ref()
                .filter(same_count)
                .and_then(|prev| roles::inherit(table, prev, cfg))
                .or_else(|| st.headed.as_ref().filter(same_count).and_then(|prev| roles::inherit(table, prev, cfg)))
                // Columns found differently: realigned with the header itself before the table
                // just read (itself perhaps realigned, and so a step further from the header).
                .or_else(|| st.headed.as_ref().and_then(|prev| roles::inherit(table, prev, cfg)))
                .or_else(|| st.columns.as_ref().and_then(|prev| roles::inherit(table, prev, cfg)));
            match (found, roles::header_by_shape(table, cfg, st.headed.is_none())) {
                (Some(c), _) => (c, 0, true),
                // A header in words no list holds, set apart by its style: the columns by content.
                (None, Some((c, _, first_data))) => {
                    st.headed = Some(c.clone());
                    (c, first_data, false)
                }
                (None, None) => return false,
            }
        }
    };
    for n in &columns.notes {
        if !st.notes.iter().any(|(_, m)| m == n) {
            st.notes.push((table.page, n.clone()));
        }
    }
    st.columns = Some(columns.clone());
    if let Some(h) = columns.role(Role::Status).and_then(|c| columns.printed.get(c)) {
        if !st.status_columns.contains(h) {
            st.status_columns.push(h.clone());
        }
    }
    let act_col = columns.role(Role::Activity);
    let outcome_col = columns.role(Role::Outcome);
    let theme_col = columns.role(Role::Theme);
    let group_col = columns.col(Col::Group);
    let status_col = columns.role(Role::Status);
    let target_col = columns.role(Role::Target);
    let rationale_col = columns.role(Role::Rationale);
    let ref_col = columns.role(Role::Ref);
    let lead_col = columns.role(Role::Lead);
    let is_continuation_page = table.continues.is_some() || continued || table.kind == TableKind::Borderless;
    let mut first_row_on_page = true;
    // An action plan: its table says "Action" with no status column, or it sits under a
    // "Recommendation N" heading (its Progress column may hold status words).
    // (A tracker whose themes read "Priority 1 – …" has commentary or outcomes beside its
    // milestones; an action plan's table has neither.)
    let plain = columns.role(Role::Rationale).is_none() && columns.role(Role::Outcome).is_none();
    let mut action = columns.action || (st.recommendation.is_some() && plain);
    let body_pt = hierarchy::body_size(table, &columns);
    for r in first_data..table.rows() {
        // A repeated header inside the table: the same words as the header row.
        if columns.is_repeated_header(table, r) {
            continue;
        }
        // A running header or footer the table took in (a line repeated at the same height on
        // most pages): page furniture, not a row.
        if row_is_furniture(table, r, st) {
            continue;
        }
        let get = |c: Option<usize>| cell_text(table, r, c).map(|c| c.text.as_str()).unwrap_or("");
        let act_cell = cell_text(table, r, act_col);
        // A theme or group heading row (hierarchy.rs weighs the evidence).
        if let Some(h) = hierarchy::heading_row(table, r, &columns, body_pt) {
            // A running header or footer taken into a table is page furniture, not a heading.
            let top = h.cell.line_baselines.first().map(|b| b - 0.9 * h.cell.size_pt.max(1.0)).unwrap_or(h.cell.bbox.y0);
            if in_margin(h.cell.bbox.y0, h.cell.bbox.y1, st.page_height_pt) || is_marking(&h.cell.text) || st.furniture.contains(&one_line(&h.cell.text), top) {
                first_row_on_page = false;
                continue;
            }
            let text = one_line(&h.cell.text);
            // "Recommendation 2: …" as a band in a table of actions (no outcomes or commentary):
            // the actions' recommendation, as when it is printed above the table.
            if plain && headings::is_recommendation(&text, h.cell.bold, true) {
                st.recommendation = Some(text);
                st.group = None;
                action = true;
                first_row_on_page = false;
                continue;
            }
            // The outcome cell may start on this row: that resets the group, so first.
            update_outcome(table, r, outcome_col, st);
            match h.level {
                Level::Theme => {
                    st.theme_row = Some(title_case_if_shouting(&text));
                    st.outcome = None;
                    st.group = None;
                }
                Level::Group => {
                    // A wrapped heading's second line goes on with the same group.
                    let before = st.group.clone();
                    let wraps = st.last_was_group && (!h.wide || text.chars().next().is_some_and(char::is_lowercase));
                    st.group = match before {
                        Some(g) if wraps => Some(format!("{g} {text}")),
                        _ => Some(text),
                    };
                }
            }
            st.last_was_group = h.level == Level::Group;
            first_row_on_page = false;
            continue;
        }
        // A header standing alone, its roles still to be decided with the table it heads: only
        // its theme bands are read here.
        if act_col.is_none() {
            continue;
        }
        let first_only = (0..table.cols()).all(|c| c == 0 || get(Some(c)).trim().is_empty());
        if let Some(fc) = table.cell_at(r, 0).filter(|c| c.bold && first_only && !c.text.trim().is_empty() && outcome_col == Some(0)) {
            st.theme_row = Some(title_case_if_shouting(&one_line(&fc.text)));
            st.outcome = None;
            st.outcome_cell = Some((table.page, table.index, fc.row, fc.col));
            st.outcome_last_line = None;
            st.group = None;
            st.last_was_group = false;
            first_row_on_page = false;
            continue;
        }
        st.last_was_group = false;
        let activity = get(act_col).to_string();
        // A revised date in a column of its own is read as the target cell's "Revised:" line.
        let revised = get(columns.col(Col::Revised)).trim();
        let target = if revised.is_empty() || get(target_col).trim().is_empty() { get(target_col).to_string() } else { format!("{}\nRevised: {revised}", get(target_col)) };
        let status_cell = cell_text(table, r, status_col);
        let status = status_cell.map(|c| c.text.clone()).unwrap_or_default();
        let rationale = get(rationale_col).to_string();
        let reference = get(ref_col).trim().to_string();
        let lead = get(lead_col).trim().to_string();
        // (A status fill the row below has too is that row's, its box's top a little above
        // that row's first line: an outcome's wrapped tail beside it is still only an outcome.)
        let fill = status_cell.and_then(|c| c.fill);
        let fill_below = cell_text(table, r + 1, status_col).and_then(|c| c.fill);
        let all_empty = [&activity, &target, &status, &rationale].iter().all(|s| s.trim().is_empty()) && (fill.is_none() || fill == fill_below);
        if all_empty && get(outcome_col).trim().is_empty() {
            first_row_on_page = false;
            continue;
        }
        // Only an outcome: its cell's wrapped tail under a heading row that took its first line
        // (a borderless table), or an outcome printed on a row of its own. Outcome text, not a
        // milestone; the rows below carry it.
        if all_empty && lead.is_empty() && reference.is_empty() && !first_row_on_page {
            update_outcome(table, r, outcome_col, st);
            continue;
        }
        // A row split over the page break (joins.rs decides, and joins it to the last row).
        if first_row_on_page && is_continuation_page && !st.rows.is_empty() {
            let cells = joins::RowCells {
                activity: &activity,
                target: &target,
                status: &status,
                status_fill: status_cell.and_then(|c| c.fill),
                rationale: &rationale,
                reference: &reference,
                lead: &lead,
                theme: theme_col.map(|_| get(theme_col).trim()),
                outcome: get(outcome_col).trim(),
            };
            if let Some(runs_on) = joins::continues_previous(&cells, st, ref_col.is_some(), status_col.is_some(), cfg) {
                let outcome_key = cell_text(table, r, outcome_col).map(|c| (table.page, table.index, c.row, c.col));
                joins::join_to_previous(&cells, runs_on, outcome_key, st);
                first_row_on_page = false;
                continue;
            }
        }
        first_row_on_page = false;
        update_outcome(table, r, outcome_col, st);
        if let Some(tc) = theme_col {
            let t = get(Some(tc)).trim().to_string();
            if !t.is_empty() {
                let theme = title_case_if_shouting(&one_line(&t));
                // A new theme starts its groups afresh (where no outcome column does).
                if st.theme_col.as_ref().is_some_and(|p| p != &theme) && outcome_col.is_none() {
                    st.group = None;
                }
                st.theme_col = Some(theme);
            }
        }
        if let Some(gc) = group_col {
            let g = get(Some(gc)).trim().to_string();
            if !g.is_empty() {
                st.group = Some(one_line(&g));
            }
        }
        let (theme, group) = st.theme_and_group(action, theme_col.is_some());
        let bbox = BBox::new(table.col_edges[0], table.row_edges[r], *table.col_edges.last().expect("has edges"), table.row_edges[r + 1]);
        let mut row = RawRow {
            page: table.page,
            bbox,
            action,
            theme,
            outcome: None,
            group,
            activity: activity.clone(),
            parent: None,
            target: target.clone(),
            status,
            status_fill: status_cell.and_then(|c| c.fill),
            status_text_colour: status_cell.and_then(|c| c.text_colour),
            has_status_column: status_col.is_some(),
            rationale,
            reference: (!reference.is_empty()).then_some(reference),
            lead: (!lead.is_empty()).then_some(lead),
            extra: columns
                .extra_columns()
                .filter_map(|(c, heading)| Some((heading.to_string(), cell_text(table, r, Some(c)).filter(|cell| cell.col == c && cell.col_span == 1)?.text.clone())))
                .filter(|(_, t)| !t.trim().is_empty())
                .collect(),
            flags: Vec::new(),
        };
        if activity.trim().is_empty() {
            row.flags.push("no_activity".into());
        }
        // An activity starting in lower case is the wrapped tail of the one above, read as a
        // row of its own (no truth row of the gold or synth sets starts so: 0 of 24,470).
        if activity.trim_start().chars().next().is_some_and(char::is_lowercase) {
            row.flags.push("activity_continues".into());
        }
        if columns.uncertain {
            row.flags.push("columns_uncertain".into());
        }
        // An action with bullet sub-items, each with its own date level with it.
        let subs = split_sub_items(act_cell, cell_text(table, r, target_col));
        if subs.len() > 1 {
            // Bullets set in a row of their own (a gap after the lead-in) belong to the row
            // above when it ends with a colon; else the cell's first line leads them in.
            let bullets_only = act_cell.is_some_and(|c| re_bullet().is_match(c.text.lines().next().unwrap_or("")));
            let lead_in = if bullets_only { st.rows.last().map(|r| r.activity.clone()).filter(|a| a.trim_end().ends_with(':')) } else { Some(subs[0].0.clone()) };
            for (k, (text, date)) in subs.into_iter().enumerate() {
                let mut sub = row.clone();
                sub.activity = text;
                sub.target = date;
                if k > 0 || bullets_only {
                    sub.parent = lead_in.as_deref().map(one_line);
                }
                st.rows.push(sub);
                st.outcome_of_row.push(st.outcome);
            }
        } else {
            st.rows.push(row);
            st.outcome_of_row.push(st.outcome);
        }
    }
    true
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
    let runs_on =
        (table.kind == TableKind::Borderless || lower) && st.outcome.is_some() && st.outcome_last_line.is_some_and(|(p, y)| p == table.page && first > y && first - y < 16.0);
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
        let k = items.iter().rposition(|(_, iy)| *iy <= y + 3.0).unwrap_or(0);
        dates[k].push(t.to_string());
    }
    // Only split when the bullets carry dates of their own.
    if dates.iter().skip(1).filter(|d| !d.is_empty()).count() == 0 {
        return vec![];
    }
    items.into_iter().zip(dates).map(|((t, _), d)| (t.join("\n"), d.join("\n"))).collect()
}
