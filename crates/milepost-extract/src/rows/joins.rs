//! Rows split over a page break: whether the first row on a page is the tail of the last row of
//! the page before, and joining it on.
//!
//! In: the row's cell texts and the rows read so far. Out: the decision, and the joined row. The
//! evidence: the table goes on from the page before (checked by the caller), and the part on
//! this page has no reference (where the table has a reference column), or no activity, or no
//! status (no words, no colour of its own), or an activity starting in lower case or with "(",
//! or status words that only make a wording together with the last row's ("Behind" /
//! "schedule").
//!
//! Not here: repeated headers (`roles`), heading rows (`hierarchy`).

use crate::config::Config;

use super::{append, one_line, State};

/// The cells of one row as printed (the columns the table has; empty where it has none).
pub(super) struct RowCells<'a> {
    pub activity: &'a str,
    pub target: &'a str,
    pub status: &'a str,
    /// The status cell's fill, where it has one (a status shown by colour alone).
    pub status_fill: Option<crate::geom::Colour>,
    pub rationale: &'a str,
    pub reference: &'a str,
    pub lead: &'a str,
    /// The theme cell, where the table has a theme column.
    pub theme: Option<&'a str>,
    pub outcome: &'a str,
}

/// Whether this row (the first on its page) goes on from the last row read: `Some(status runs
/// on)` when it does.
pub(super) fn continues_previous(cells: &RowCells<'_>, st: &State, has_ref: bool, has_status: bool, cfg: &Config) -> Option<bool> {
    let prev_status = st.rows.last().map(|r| r.status.clone()).unwrap_or_default();
    // "Behind" / "schedule": the status words themselves run on.
    let status = cells.status;
    let status_runs_on = !status.trim().is_empty() && cfg.status_of_words(status).is_none() && cfg.status_of_words(&format!("{prev_status} {status}")).is_some();
    // A status shown by colour alone is this row's own when it differs from the last row's, or
    // when the last row's activity ended its sentence (a cut cell's fill goes on over the page
    // break in the same colour, beside the rest of a sentence).
    let prev_fill = st.rows.last().and_then(|r| r.status_fill);
    let prev_ended = st.rows.last().is_some_and(|r| r.activity.trim_end().ends_with(['.', '!', '?']));
    let own_colour = cells.status_fill.is_some_and(|f| Some(f) != prev_fill || prev_ended);
    let split = if has_ref {
        cells.reference.is_empty()
    } else {
        cells.activity.trim().is_empty()
            || (has_status && status.trim().is_empty() && !own_colour)
            || cells.activity.chars().next().is_some_and(|c| c.is_lowercase() || c == '(')
            || status_runs_on
    };
    split.then_some(status_runs_on)
}

/// Joins the row's cells onto the last row read. `outcome_key` is the row's outcome cell (page,
/// table, row, column), where it has one.
pub(super) fn join_to_previous(cells: &RowCells<'_>, status_runs_on: bool, outcome_key: Option<(u32, usize, usize, usize)>, st: &mut State) {
    let last = st.rows.last_mut().expect("the caller checked there is a row");
    append(&mut last.activity, cells.activity);
    append(&mut last.target, cells.target);
    append(&mut last.rationale, cells.rationale);
    if last.status.trim().is_empty() {
        last.status = cells.status.to_string();
    } else if status_runs_on {
        append(&mut last.status, cells.status);
    }
    // Theme and lead cells can run on too ("Health and" / "Independence").
    if let Some(more_theme) = cells.theme.filter(|t| !t.is_empty()) {
        let joined = format!("{} {}", last.theme.clone().unwrap_or_default(), one_line(more_theme)).trim().to_string();
        last.theme = Some(joined.clone());
        st.theme_col = Some(joined);
    }
    if !cells.lead.is_empty() {
        last.lead = Some(format!("{} {}", last.lead.clone().unwrap_or_default(), cells.lead).trim().to_string());
    }
    // A merged outcome cell whose text runs on: its tail is on this page.
    if let Some(id) = st.outcome {
        if cells.outcome.chars().next().is_some_and(|c| c.is_lowercase()) {
            append(&mut st.outcomes[id], cells.outcome);
            st.outcome_cell = outcome_key;
        }
    }
}
