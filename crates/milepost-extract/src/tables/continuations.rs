//! Tables that go on from the previous page: the same columns at the same places.

use super::{PageTables, Table, TableKind};

/// Marks each page's first table that continues the previous page's last table (or the table
/// above a borderless tail that ends the page): the same number of columns at the same places
/// (within [`CONTINUATION_TOL_PT`]).
pub fn link_continuations(pages: &mut [PageTables]) {
    for i in 1..pages.len() {
        let (before, after) = pages.split_at_mut(i);
        let prev = &before[i - 1];
        if prev.layout.page + 1 != after[0].layout.page {
            continue;
        }
        let Some(first) = after[0].tables.first_mut() else { continue };
        // The last table, or the table a borderless tail below it continues (a row cut by the
        // page's end, read from its text, its edges found a little inside the rules').
        let lines_up = |t: &Table| t.cols() == first.cols() && t.col_edges.iter().zip(&first.col_edges).all(|(a, b)| (a - b).abs() <= CONTINUATION_TOL_PT);
        for t in prev.tables.iter().rev() {
            if lines_up(t) {
                first.continues = Some((t.page, t.index));
                break;
            }
            if t.kind != TableKind::Borderless {
                break;
            }
        }
    }
}

/// Column edges of a table and its continuation agree within this (LibreOffice repeats a
/// table's grid exactly; Chromium within a pixel).
pub const CONTINUATION_TOL_PT: f32 = 4.0;
