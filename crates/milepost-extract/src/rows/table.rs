//! One tracker table's rows, read in three named steps: its columns (a header of its own, one
//! found by its shape, or those of the table it continues), then each row classified into a
//! [`RowKind`] (a repeated header, page furniture, a heading, a theme band, an outcome alone,
//! the rest of a row split over the page break, a milestone…), then each kind handed to the one
//! method that handles it ([`TableReader::handle`]). The decision of what a row is never
//! changes the state; the handlers do.
//!
//! In: a [`Table`] and the document's reading [`State`] (theme, outcome and group in force, the
//! last table's columns). Out: the rows pushed onto the state; `false` where the table is no
//! tracker (no header, and none to inherit).

use super::headings::{in_margin, is_marking, re_title, FURNITURE_BAND, THEME_MAX_WORDS};
use super::hierarchy::{self, Heading, Level};
use super::roles::{self, Col, Columns};
use super::{cell_text, joins, one_line, re_bullet, row_is_furniture, split_sub_items, title_case_if_shouting, update_outcome, RawRow, State};
use crate::config::{Config, Role};
use crate::geom::BBox;
use crate::tables::{Cell, Table, TableKind};

/// Reads one table's rows into the state; false where it is no tracker table.
/// `own_header`: the table's own header, as [`roles::read_header`] found it.
pub(super) fn read_table(table: &Table, own_header: super::OwnHeader, cfg: &Config, st: &mut State) -> bool {
    let Some((columns, first_data, continued)) = columns_of(table, own_header, cfg, st) else { return false };
    note_columns(table, &columns, st);
    let mut reader = TableReader::new(table, cfg, columns, continued, st.recommendation.is_some());
    for r in first_data..table.rows() {
        let kind = reader.classify(r, st);
        #[cfg(test)]
        tests::KINDS.with(|k| k.borrow_mut().push((table.page, kind.name())));
        reader.handle(r, kind, st);
    }
    true
}

/// The table's columns, the first row of data under them, and whether they were inherited
/// (the table goes on from one before it). None: no header, and none to inherit.
fn columns_of(table: &Table, own_header: super::OwnHeader, cfg: &Config, st: &mut State) -> Option<(Columns, usize, bool)> {
    // The header: in the first rows, or inherited from the table this one continues (or, for a
    // table with no header of its own, the last tracker table's columns with the same count).
    let header = own_header.filter(|(c, _, _)| !st.columns.as_ref().is_some_and(|prev| roles::foreign_header(table, c, prev, cfg)));
    // A header repeated on a later page, word for word, over as many columns: of the decisions
    // made under it, the one made on more rows stands (a page may hold too few rows to decide:
    // two rows under "Column 1 … Column 7" cannot tell a theme from an activity).
    let header = header.map(|(c, start, first_data)| match &st.headed {
        Some(prev) if prev.header_texts == c.header_texts && prev.roles.len() == c.roles.len() && prev.role(Role::Activity).is_some() && prev.evidence_rows > c.evidence_rows => {
            (roles::Columns { col_edges: c.col_edges, notes: Vec::new(), provisional: false, ..prev.clone() }, start, first_data)
        }
        _ => (c, start, first_data),
    });
    if let Some((c, start, first_data)) = header {
        theme_above_header(table, start, st);
        st.headed = Some(c.clone());
        return Some((c, first_data, false));
    }
    let same_count = |c: &&Columns| c.roles.len() == table.cols();
    let found = st
        .columns
        .as_ref()
        .filter(same_count)
        .and_then(|prev| roles::inherit(table, prev, cfg))
        .or_else(|| st.headed.as_ref().filter(same_count).and_then(|prev| roles::inherit(table, prev, cfg)))
        // Columns found differently: realigned with the header itself before the table just
        // read (itself perhaps realigned, and so a step further from the header).
        .or_else(|| st.headed.as_ref().and_then(|prev| roles::inherit(table, prev, cfg)))
        .or_else(|| st.columns.as_ref().and_then(|prev| roles::inherit(table, prev, cfg)));
    match (found, roles::header_by_shape(table, cfg, st.headed.is_none())) {
        (Some(c), _) => Some((c, 0, true)),
        // A header in words no list holds, set apart by its style: the columns by content.
        (None, Some((c, _, first_data))) => {
            st.headed = Some(c.clone());
            Some((c, first_data, false))
        }
        (None, None) => None,
    }
}

/// A theme heading set inside the table above its header (repeated with the header on every
/// page): one cell alone on its row, below the running header's band.
fn theme_above_header(table: &Table, header_row: usize, st: &mut State) {
    for r in 0..header_row {
        let cells: Vec<&Cell> = table.cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
        let band = FURNITURE_BAND * st.page_height_pt;
        if let [only] = cells[..].iter().copied().filter(|c| c.bbox.y1 >= band).collect::<Vec<_>>()[..] {
            let text = one_line(&only.text);
            if !re_title().is_match(&text) && !is_marking(&text) && text.split_whitespace().count() <= THEME_MAX_WORDS {
                st.set_theme_heading(title_case_if_shouting(&text));
            }
        }
    }
}

/// What the column decisions said, and the status column's heading, kept once each.
fn note_columns(table: &Table, columns: &Columns, st: &mut State) {
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
}

/// What one row of the table is.
enum RowKind<'t> {
    /// The header printed again inside the table (the same words as the header row).
    RepeatedHeader,
    /// A running header or footer the table took in (a line repeated at the same height on
    /// most pages).
    Furniture,
    /// A heading row that is page furniture: in the margin, a protective marking, or a line
    /// repeated on most pages.
    FurnitureHeading,
    /// "Recommendation 2: …" as a band in a table of actions (no outcomes or commentary): the
    /// recommendation of the actions below, as when it is printed above the table.
    Recommendation(String),
    /// A theme or group heading row (`hierarchy.rs` weighs the evidence), with its text.
    Heading(Heading<'t>, String),
    /// Under a header standing alone, its roles still to be decided with the table it heads:
    /// only its theme bands are read.
    Undecided,
    /// A bold first cell alone on its row where the outcome column is the first: a theme.
    ThemeBand(&'t Cell),
    /// Nothing in it (a status fill shared with the row below is that row's).
    Empty,
    /// Only an outcome: its cell's wrapped tail under a heading row that took its first line
    /// (a borderless table), or an outcome printed on a row of its own. The rows below carry it.
    OutcomeOnly,
    /// The rest of the last row read, split over the page break (`joins.rs` decides); the flag:
    /// whether the status words run on too.
    Continuation(DataCells<'t>, bool),
    /// A milestone or an action.
    Milestone(DataCells<'t>),
}

impl RowKind<'_> {
    /// The kind's name, for tests and debugging.
    #[cfg_attr(not(test), allow(dead_code))]
    fn name(&self) -> &'static str {
        match self {
            RowKind::RepeatedHeader => "repeated header",
            RowKind::Furniture => "furniture",
            RowKind::FurnitureHeading => "furniture heading",
            RowKind::Recommendation(_) => "recommendation",
            RowKind::Heading(h, _) if h.level == Level::Theme => "theme heading",
            RowKind::Heading(..) => "group heading",
            RowKind::Undecided => "undecided",
            RowKind::ThemeBand(_) => "theme band",
            RowKind::Empty => "empty",
            RowKind::OutcomeOnly => "outcome only",
            RowKind::Continuation(..) => "continuation",
            RowKind::Milestone(_) => "milestone",
        }
    }
}

/// The cells of a row of data, as printed (empty where the table has no such column).
struct DataCells<'t> {
    activity: String,
    /// The target cell, with a revised date from a column of its own as its "Revised:" line.
    target: String,
    status: String,
    status_cell: Option<&'t Cell>,
    rationale: String,
    reference: String,
    lead: String,
    /// The theme cell, where the table has a theme column.
    theme: Option<String>,
    outcome: String,
}

impl DataCells<'_> {
    /// The same cells, as the page-break join reads them.
    fn as_joined(&self) -> joins::RowCells<'_> {
        joins::RowCells {
            activity: &self.activity,
            target: &self.target,
            status: &self.status,
            status_fill: self.status_cell.and_then(|c| c.fill),
            rationale: &self.rationale,
            reference: &self.reference,
            lead: &self.lead,
            theme: self.theme.as_deref(),
            outcome: &self.outcome,
        }
    }
}

/// One table being read: its columns, and what holds from row to row within it.
struct TableReader<'t> {
    table: &'t Table,
    cfg: &'t Config,
    columns: Columns,
    act: Option<usize>,
    outcome: Option<usize>,
    theme: Option<usize>,
    group: Option<usize>,
    status: Option<usize>,
    target: Option<usize>,
    rationale: Option<usize>,
    reference: Option<usize>,
    lead: Option<usize>,
    /// A table with no outcome or commentary column (an action plan's, under recommendations).
    plain: bool,
    /// Whether the rows are actions (the table says "Action", or it is under a recommendation).
    action: bool,
    /// The body text size (a heading row stands out from it).
    body_pt: f32,
    /// The table may begin with the rest of a row from the page before.
    continues_a_page: bool,
    /// No row of the table has been read yet but furniture and repeated headers.
    first_row_on_page: bool,
}

impl<'t> TableReader<'t> {
    fn new(table: &'t Table, cfg: &'t Config, columns: Columns, continued: bool, under_recommendation: bool) -> TableReader<'t> {
        // An action plan: its table says "Action" with no status column, or it sits under a
        // "Recommendation N" heading (its Progress column may hold status words). (A tracker
        // whose themes read "Priority 1 – …" has commentary or outcomes beside its milestones;
        // an action plan's table has neither.) A recommendation band inside the table makes
        // the rows below it actions too (`handle`).
        let plain = columns.role(Role::Rationale).is_none() && columns.role(Role::Outcome).is_none();
        TableReader {
            table,
            cfg,
            act: columns.role(Role::Activity),
            outcome: columns.role(Role::Outcome),
            theme: columns.role(Role::Theme),
            group: columns.col(Col::Group),
            status: columns.role(Role::Status),
            target: columns.role(Role::Target),
            rationale: columns.role(Role::Rationale),
            reference: columns.role(Role::Ref),
            lead: columns.role(Role::Lead),
            plain,
            action: columns.action || (under_recommendation && plain),
            body_pt: hierarchy::body_size(table, &columns),
            continues_a_page: table.continues.is_some() || continued || table.kind == TableKind::Borderless,
            first_row_on_page: true,
            columns,
        }
    }

    fn text(&self, r: usize, c: Option<usize>) -> &'t str {
        cell_text(self.table, r, c).map(|c| c.text.as_str()).unwrap_or("")
    }

    /// What row `r` is. Reads the state, never changes it.
    fn classify(&self, r: usize, st: &State) -> RowKind<'t> {
        let table = self.table;
        if self.columns.is_repeated_header(table, r) {
            return RowKind::RepeatedHeader;
        }
        if row_is_furniture(table, r, st) {
            return RowKind::Furniture;
        }
        if let Some(h) = hierarchy::heading_row(table, r, &self.columns, self.body_pt) {
            let top = h.cell.line_baselines.first().map(|b| b - 0.9 * h.cell.size_pt.max(1.0)).unwrap_or(h.cell.bbox.y0);
            if in_margin(h.cell.bbox.y0, h.cell.bbox.y1, st.page_height_pt) || is_marking(&h.cell.text) || st.furniture.contains(&one_line(&h.cell.text), top) {
                return RowKind::FurnitureHeading;
            }
            let text = one_line(&h.cell.text);
            if self.plain && super::headings::is_recommendation(&text, h.cell.bold, true) {
                return RowKind::Recommendation(text);
            }
            return RowKind::Heading(h, text);
        }
        if self.act.is_none() {
            return RowKind::Undecided;
        }
        let first_only = (0..table.cols()).all(|c| c == 0 || self.text(r, Some(c)).trim().is_empty());
        if let Some(fc) = table.cell_at(r, 0).filter(|c| c.bold && first_only && !c.text.trim().is_empty() && self.outcome == Some(0)) {
            return RowKind::ThemeBand(fc);
        }
        let cells = self.data_cells(r);
        let fill = cells.status_cell.and_then(|c| c.fill);
        let fill_below = cell_text(table, r + 1, self.status).and_then(|c| c.fill);
        let all_empty = [&cells.activity, &cells.target, &cells.status, &cells.rationale].iter().all(|s| s.trim().is_empty()) && (fill.is_none() || fill == fill_below);
        if all_empty && cells.outcome.is_empty() {
            return RowKind::Empty;
        }
        if all_empty && cells.lead.is_empty() && cells.reference.is_empty() && !self.first_row_on_page {
            return RowKind::OutcomeOnly;
        }
        if self.first_row_on_page && self.continues_a_page && !st.rows.is_empty() {
            if let Some(runs_on) = joins::continues_previous(&cells.as_joined(), st, self.reference.is_some(), self.status.is_some(), self.cfg) {
                return RowKind::Continuation(cells, runs_on);
            }
        }
        RowKind::Milestone(cells)
    }

    fn data_cells(&self, r: usize) -> DataCells<'t> {
        let get = |c: Option<usize>| self.text(r, c);
        // A revised date in a column of its own is read as the target cell's "Revised:" line.
        let revised = get(self.columns.col(Col::Revised)).trim();
        let target = if revised.is_empty() || get(self.target).trim().is_empty() { get(self.target).to_string() } else { format!("{}\nRevised: {revised}", get(self.target)) };
        let status_cell = cell_text(self.table, r, self.status);
        DataCells {
            activity: get(self.act).to_string(),
            target,
            status: status_cell.map(|c| c.text.clone()).unwrap_or_default(),
            status_cell,
            rationale: get(self.rationale).to_string(),
            reference: get(self.reference).trim().to_string(),
            lead: get(self.lead).trim().to_string(),
            theme: self.theme.map(|_| get(self.theme).trim().to_string()),
            outcome: get(self.outcome).trim().to_string(),
        }
    }

    /// Does what row `r`'s kind asks of the state.
    fn handle(&mut self, r: usize, kind: RowKind<'t>, st: &mut State) {
        match kind {
            RowKind::RepeatedHeader | RowKind::Furniture | RowKind::Undecided => return,
            RowKind::FurnitureHeading => {}
            RowKind::Recommendation(text) => {
                st.recommendation = Some(text);
                st.group = None;
                self.action = true;
            }
            RowKind::Heading(h, text) => self.on_heading(r, &h, text, st),
            RowKind::ThemeBand(cell) => on_theme_band(self.table, cell, st),
            RowKind::Empty => st.last_was_group = false,
            RowKind::OutcomeOnly => {
                st.last_was_group = false;
                update_outcome(self.table, r, self.outcome, st);
                return;
            }
            RowKind::Continuation(cells, runs_on) => {
                st.last_was_group = false;
                let outcome_key = cell_text(self.table, r, self.outcome).map(|c| (self.table.page, self.table.index, c.row, c.col));
                joins::join_to_previous(&cells.as_joined(), runs_on, outcome_key, st);
            }
            RowKind::Milestone(cells) => {
                st.last_was_group = false;
                self.first_row_on_page = false;
                self.on_milestone(r, cells, st);
            }
        }
        self.first_row_on_page = false;
    }

    /// A theme or group heading row.
    fn on_heading(&self, r: usize, h: &Heading<'t>, text: String, st: &mut State) {
        // The outcome cell may start on this row: that resets the group, so first.
        update_outcome(self.table, r, self.outcome, st);
        match h.level {
            Level::Theme => {
                st.theme_row = Some(title_case_if_shouting(&text));
                st.outcome = None;
                st.group = None;
            }
            Level::Group => {
                // A wrapped heading's second line goes on with the same group.
                let wraps = st.last_was_group && (!h.wide || text.chars().next().is_some_and(char::is_lowercase));
                st.group = match st.group.take() {
                    Some(g) if wraps => Some(format!("{g} {text}")),
                    _ => Some(text),
                };
            }
        }
        st.last_was_group = h.level == Level::Group;
    }

    /// A milestone or action: its theme and group cells, then the row (or one row per bullet
    /// sub-item with its own date).
    fn on_milestone(&self, r: usize, cells: DataCells<'t>, st: &mut State) {
        let table = self.table;
        update_outcome(table, r, self.outcome, st);
        if let Some(theme) = cells.theme.as_deref().filter(|t| !t.is_empty()) {
            let theme = title_case_if_shouting(&one_line(theme));
            // A new theme starts its groups afresh (where no outcome column does).
            if st.theme_col.as_ref().is_some_and(|p| p != &theme) && self.outcome.is_none() {
                st.group = None;
            }
            st.theme_col = Some(theme);
        }
        if self.group.is_some() {
            let g = self.text(r, self.group).trim();
            if !g.is_empty() {
                st.group = Some(one_line(g));
            }
        }
        let (theme, group) = st.theme_and_group(self.action, self.theme.is_some());
        let bbox = BBox::new(table.col_edges[0], table.row_edges[r], *table.col_edges.last().expect("has edges"), table.row_edges[r + 1]);
        let DataCells { activity, target, status, status_cell, rationale, reference, lead, .. } = cells;
        let mut row = RawRow {
            page: table.page,
            bbox,
            action: self.action,
            theme,
            outcome: None,
            group,
            activity: activity.clone(),
            parent: None,
            target,
            status,
            status_fill: status_cell.and_then(|c| c.fill),
            status_text_colour: status_cell.and_then(|c| c.text_colour),
            has_status_column: self.status.is_some(),
            rationale,
            reference: (!reference.is_empty()).then_some(reference),
            lead: (!lead.is_empty()).then_some(lead),
            extra: self
                .columns
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
        if self.columns.uncertain {
            row.flags.push("columns_uncertain".into());
        }
        // An action with bullet sub-items, each with its own date level with it.
        let act_cell = cell_text(table, r, self.act);
        let subs = split_sub_items(act_cell, cell_text(table, r, self.target));
        if subs.len() <= 1 {
            st.rows.push(row);
            st.outcome_of_row.push(st.outcome);
            return;
        }
        // Bullets set in a row of their own (a gap after the lead-in) belong to the row above
        // when it ends with a colon; else the cell's first line leads them in.
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
    }
}

/// A bold first cell alone on its row, where the outcome column is the first: a theme, and the
/// start of a new outcome.
fn on_theme_band(table: &Table, fc: &Cell, st: &mut State) {
    st.theme_row = Some(title_case_if_shouting(&one_line(&fc.text)));
    st.outcome = None;
    st.outcome_cell = Some((table.page, table.index, fc.row, fc.col));
    st.outcome_last_line = None;
    st.group = None;
    st.last_was_group = false;
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use crate::config::Config;

    thread_local! {
        /// Each row's kind as `read_table` classified it: (page, kind).
        pub static KINDS: RefCell<Vec<(u32, &'static str)>> = const { RefCell::new(Vec::new()) };
    }

    /// The kinds of rows of one document of the test corpus, counted.
    fn kinds(name: &str) -> (BTreeMap<&'static str, usize>, Vec<(u32, &'static str)>) {
        let pages = crate::corpus_tables(name);
        KINDS.with(|k| k.borrow_mut().clear());
        super::super::find_rows(&pages, &Config::builtin());
        let seen = KINDS.with(|k| k.borrow().clone());
        let mut counts = BTreeMap::new();
        for (_, kind) in &seen {
            *counts.entry(*kind).or_default() += 1;
        }
        (counts, seen)
    }

    /// A continuation is the first row read on its page.
    fn continuations_open_their_page(seen: &[(u32, &'static str)]) {
        for (i, (page, kind)) in seen.iter().enumerate() {
            if *kind == "continuation" {
                assert!(i > 0 && seen[i - 1].0 < *page, "a continuation in the middle of page {page}");
            }
        }
    }

    #[test]
    fn a_ruled_tracker_is_milestones_and_one_row_split_over_a_page() {
        // Truth: 61 rows; the last row of page 3 runs on to the top of page 4.
        let (counts, seen) = kinds("gold/docs/northdale-2024-q3-tracker.pdf");
        assert_eq!(counts.get("milestone"), Some(&61), "{counts:?}");
        assert_eq!(seen.iter().filter(|(_, k)| *k == "continuation").collect::<Vec<_>>(), [&(4, "continuation")]);
        continuations_open_their_page(&seen);
    }

    #[test]
    fn a_borderless_tracker_has_theme_and_group_heading_rows() {
        // Truth: 46 rows under 16 groups and 4 themes.
        let (counts, seen) = kinds("gold/docs/rotherham-2021-tracker-borderless.pdf");
        assert_eq!(counts.get("milestone"), Some(&46), "{counts:?}");
        assert!(counts.get("group heading").is_some_and(|&n| n >= 16), "{counts:?}");
        assert!(counts.contains_key("theme heading"), "{counts:?}");
        continuations_open_their_page(&seen);
    }

    #[test]
    fn an_action_plan_splits_one_action_into_its_dated_bullets() {
        // Truth: 23 actions; a cell of bullets each with its own date gives one action a
        // bullet, so 21 rows of the table hold them.
        let (counts, seen) = kinds("gold/docs/peer-challenge-action-plan-2023.pdf");
        assert_eq!(counts.get("milestone"), Some(&21), "{counts:?}");
        continuations_open_their_page(&seen);
    }
}
