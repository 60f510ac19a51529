//! Heading rows inside a table: which rows are a theme or group heading rather than a
//! milestone, and which of the two they are.
//!
//! In: a table, a row, its columns. Out: a [`Heading`] or nothing. The evidence, combined in
//! [`heading_row`]:
//! - shape: a cell spanning from the activity column to the end of the row (a band), or an
//!   activity cell whose row has no date, status, commentary, lead or reference;
//! - typography against the table's body text: bold, italic, a larger size, capitals, a fill;
//! - position: a band that covers the first column while an outcome column exists is above the
//!   outcomes (a theme); group rows start after the outcome column.
//!
//! Theme or group: a heading set larger than the body, in capitals, or on a dark fill is a theme
//! (councils set themes as the stronger heading); an italic or body-size heading is a group;
//! with an outcome column, a band over the outcome column too is a theme.
//!
//! Not here: carrying them down (`mod`), headings outside tables (`mod::headings`).

use crate::config::Role;
use crate::tables::{Cell, Table, TableKind};

use super::roles::Columns;

/// A heading set this much larger than the body text is a theme (synth themes are 1–3 pt
/// larger; group rows are set at the body size).
const THEME_SIZE_STEP_PT: f32 = 0.75;
/// A fill darker than this (luma, 0 to 1) behind a band is a heading's (white text on navy or
/// dark green), not a light tint.
const DARK_FILL_LUMA: f32 = 0.45;

/// What a heading row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Theme,
    Group,
}

/// A heading row found in a table.
#[derive(Debug, Clone)]
pub(crate) struct Heading<'a> {
    pub level: Level,
    pub cell: &'a Cell,
    /// Whether it is a band from the activity column to the end of the row.
    pub wide: bool,
}

/// The body text size of a table: the usual size of its activity cells.
pub(crate) fn body_size(table: &Table, columns: &Columns) -> f32 {
    let Some(act) = columns.role(Role::Activity) else { return 0.0 };
    let mut sizes: Vec<f32> = table.cells.iter().filter(|c| c.col == act && c.col_span == 1 && c.size_pt > 0.0).map(|c| c.size_pt).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(0.0)
}

fn shouting(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// Whether row `r` is a heading (theme or group) rather than a milestone.
pub(crate) fn heading_row<'a>(table: &'a Table, r: usize, columns: &Columns, body_pt: f32) -> Option<Heading<'a>> {
    let act = columns.role(Role::Activity)?;
    let outcome_col = columns.role(Role::Outcome);
    let ac = match table.cell_at(r, act).filter(|c| !c.text.trim().is_empty()) {
        Some(c) => c,
        // A band whose words sit left of the activity column (a theme set from the first
        // column, the rest of the band empty): the row's one cell with text, when styled.
        None => {
            let own: Vec<&Cell> = table.cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
            let [only] = own[..] else { return None };
            let outcome_alone = outcome_col == Some(only.col) && only.col_span == 1;
            let styled = only.bold || only.fill.is_some_and(|f| !f.is_near_white()) || shouting(&only.text);
            if outcome_alone || !styled || only.col > act {
                return None;
            }
            only
        }
    };
    let covers_first = ac.col == 0;
    // Spanning from the activity column onwards (in a borderless table a short heading may reach
    // only the next column).
    let wide = ac.col_span >= 2 && ac.row == r && (ac.col_span + ac.col >= table.cols().saturating_sub(1) || table.kind == TableKind::Borderless);
    let others = [Role::Target, Role::Status, Role::Rationale, Role::Lead, Role::Ref];
    // Empty: no words, and no fill of its own (a shaded band colours every cell it crosses in
    // its own colour; a status fill differs from the heading's).
    let others_empty = others.iter().filter_map(|role| columns.role(*role)).all(|c| {
        table.cell_at(r, c).is_none_or(|cell| std::ptr::eq(cell, ac) || (cell.text.trim().is_empty() && cell.fill.is_none_or(|f| f.is_near_white() || Some(f) == ac.fill)))
    });
    let larger = body_pt > 0.0 && ac.size_pt >= body_pt + THEME_SIZE_STEP_PT;
    let styled = ac.bold || ac.italic || ac.fill.is_some() || larger || shouting(&ac.text);
    // A band in a ruled table is drawn as one cell; in a borderless one "wide" may only mean a
    // line of text ran across a gutter: then a status or commentary beside it makes it a row.
    let band = wide && (table.kind == TableKind::Ruled || styled || others_empty);
    if !(band || (others_empty && styled)) {
        return None;
    }
    let dark_fill = ac.fill.is_some_and(|f| !f.is_near_white() && f.luma() < DARK_FILL_LUMA);
    let level = if ac.italic && !larger {
        Level::Group
    } else if larger || shouting(&ac.text) || dark_fill || (covers_first && outcome_col.is_some_and(|o| o < act)) {
        Level::Theme
    } else {
        Level::Group
    };
    Some(Heading { level, cell: ac, wide })
}
