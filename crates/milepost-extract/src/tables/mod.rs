//! Finds tables on a page: ruled ones from their lines, borderless ones from text alignment.
//!
//! In: a [`PageLayout`]. Out: [`Table`]s, each a grid of [`Cell`]s with text (line breaks kept),
//! box, row and column spans, and fill colour. Regions enclosed by ruling lines are cut along
//! their lines ([`ruled`]); the words left over are searched for whitespace-aligned columns
//! ([`borderless`]). [`link_continuations`] marks a table that goes on from the previous page.
//!
//! The evidence both finders share has a module each: `fills` (what cell fills show of columns
//! and rows), `rhythm` (the pitch of wrapped lines), `subrows` (rows inside a band from where lines
//! start and end),
//! `cells` (a cell from its words), `continuations` (a table going on over a page break), and
//! [`runs_across`] (text across a column edge).
//!
//! Not here: deciding which rows are milestones, carrying merged cells down, or joining a row
//! split over a page break (all in `rows`).

pub mod borderless;
mod cells;
mod continuations;
mod fills;
mod rhythm;
pub mod ruled;
mod subrows;

pub(crate) use cells::count_header_rows;
pub use continuations::{link_continuations, CONTINUATION_TOL_PT};

use serde::Serialize;

use crate::geom::{BBox, Colour};
use crate::layout::PageLayout;

/// How a table was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Cut along drawn lines.
    Ruled,
    /// Columns from the alignment of text.
    Borderless,
}

/// One cell of a table. A merged cell appears once, at its top-left grid position.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Top grid row (0-based).
    pub row: usize,
    /// Left grid column (0-based).
    pub col: usize,
    /// Rows it spans (1 for an ordinary cell).
    pub row_span: usize,
    /// Columns it spans.
    pub col_span: usize,
    /// Its box on the page.
    pub bbox: BBox,
    /// Its text: words joined by spaces, lines by `\n`.
    pub text: String,
    /// The baseline of each line of `text`, top to bottom (to line up text across cells).
    pub line_baselines: Vec<f32>,
    /// Its fill colour, where it is shaded (not white).
    pub fill: Option<Colour>,
    /// The colour of most of its text, where it has text.
    pub text_colour: Option<Colour>,
    /// Whether most of its text is bold.
    pub bold: bool,
    /// Whether most of its text is italic.
    pub italic: bool,
    /// The font size of most of its text (0 when empty).
    pub size_pt: f32,
    /// The left and right of its text on the page (None when empty): where its column's text
    /// lies, when a column was found wider than its header's (one left empty on this page).
    #[serde(skip)]
    pub text_x: Option<(f32, f32)>,
}

/// A table on one page.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// 1-based page number.
    pub page: u32,
    /// 1-based index on the page, in reading order.
    pub index: usize,
    /// How it was found.
    pub kind: TableKind,
    /// Its box.
    pub bbox: BBox,
    /// Column boundaries, left to right (columns + 1 values).
    pub col_edges: Vec<f32>,
    /// Row boundaries, top to bottom (rows + 1 values).
    pub row_edges: Vec<f32>,
    /// The cells, in row then column order.
    pub cells: Vec<Cell>,
    /// How many leading rows are a header (bold or shaded heading row).
    pub header_rows: usize,
    /// Where this table goes on from the previous page: (page, index) of that table.
    pub continues: Option<(u32, usize)>,
}

impl Table {
    /// Number of grid rows.
    pub fn rows(&self) -> usize {
        self.row_edges.len().saturating_sub(1)
    }
    /// Number of grid columns.
    pub fn cols(&self) -> usize {
        self.col_edges.len().saturating_sub(1)
    }
    /// The cell whose area covers grid position (row, col), merged cells included.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span)
    }
    /// The table as a grid of strings; a merged cell's text sits in its top-left position and
    /// the positions it covers are empty.
    pub fn grid(&self) -> Vec<Vec<String>> {
        let mut g = vec![vec![String::new(); self.cols()]; self.rows()];
        for c in &self.cells {
            if c.row < g.len() && c.col < g[c.row].len() {
                g[c.row][c.col] = c.text.clone();
            }
        }
        g
    }
}

/// The tables of one page.
#[derive(Debug, Clone)]
pub struct PageTables {
    /// The page's layout, kept for the text outside tables (headings).
    pub layout: PageLayout,
    /// Its tables, in reading order.
    pub tables: Vec<Table>,
}

/// Finds every table on a page.
pub fn find_tables(layout: &PageLayout) -> Vec<Table> {
    let mut tables = ruled::find_ruled(layout);
    let used: Vec<bool> = layout.words.iter().map(|w| tables.iter().any(|t| t.bbox.contains_point(w.bbox.cx(), w.bbox.cy(), IN_TABLE_SLACK_PT))).collect();
    let ruled_edges: Vec<Vec<f32>> = tables.iter().filter(|t| t.cols() >= 2).map(|t| t.col_edges.clone()).collect();
    tables.extend(borderless::find_borderless(layout, &used, &ruled_edges));
    // Reading order: top to bottom, then left to right for tables side by side.
    tables.sort_by(|a, b| {
        if a.bbox.y_overlap(&b.bbox) > SIDE_BY_SIDE_OVERLAP * a.bbox.height().min(b.bbox.height()) {
            a.bbox.x0.total_cmp(&b.bbox.x0)
        } else {
            a.bbox.y0.total_cmp(&b.bbox.y0)
        }
    });
    for (i, t) in tables.iter_mut().enumerate() {
        t.index = i + 1;
        t.page = layout.page;
    }
    tables
}

/// Text runs across a column edge only where it reaches this far past it on both sides: a
/// glyph's box reaches a little past its ink (side bearings, a space's width), so a word that
/// ends at an edge, or a centred entry that touches it, is not across it.
pub(crate) const CROSS_PT: f32 = 2.0;
/// A word whose middle is within this of a ruled table's box is the table's (the borderless
/// finder leaves it alone).
const IN_TABLE_SLACK_PT: f32 = 1.0;
/// Two tables overlapping by more than this share of the shorter one's height stand side by
/// side (read left to right), else one above the other.
const SIDE_BY_SIDE_OVERLAP: f32 = 0.5;

/// Whether text from `x0` to `x1` runs across the column edge `e` (see [`CROSS_PT`]).
pub(crate) fn runs_across(x0: f32, x1: f32, e: f32) -> bool {
    x0 < e - CROSS_PT && x1 > e + CROSS_PT
}

#[cfg(test)]
mod tests {

    use super::*;

    use crate::corpus_tables as tables_of;

    #[test]
    fn text_runs_across_an_edge_only_past_it_on_both_sides() {
        assert!(runs_across(90.0, 120.0, 100.0));
        assert!(!runs_across(90.0, 101.5, 100.0), "a word ending at the edge");
        assert!(!runs_across(98.5, 120.0, 100.0), "a word starting at the edge");
    }

    /// (page, kind, rows, columns, header rows, continues) of a table.
    type Shape = (u32, TableKind, usize, usize, usize, Option<(u32, usize)>);

    fn shapes(pages: &[PageTables]) -> Vec<Shape> {
        pages.iter().flat_map(|p| &p.tables).map(|t| (t.page, t.kind, t.rows(), t.cols(), t.header_rows, t.continues)).collect()
    }

    #[test]
    fn a_ruled_tracker_is_a_table_a_page_with_a_row_for_each_milestone() {
        // Truth: 13, 16, 18 and 14 milestones on pages 1-4, under a header of 7 columns; page 4
        // opens with the rest of page 3's last row.
        let pages = tables_of("gold/docs/northdale-2024-q3-tracker.pdf");
        use TableKind::Ruled;
        assert_eq!(shapes(&pages), [(1, Ruled, 14, 7, 1, None), (2, Ruled, 17, 7, 1, Some((1, 1))), (3, Ruled, 19, 7, 1, Some((2, 1))), (4, Ruled, 16, 7, 1, Some((3, 1)))]);
        // Each status cell is filled with its RAG colour, as is each heading cell.
        let fills: Vec<usize> = pages.iter().flat_map(|p| &p.tables).map(|t| t.cells.iter().filter(|c| c.fill.is_some()).count()).collect();
        assert_eq!(fills, [7 + 13, 7 + 16, 7 + 18, 7 + 15]);
    }

    #[test]
    fn a_borderless_tracker_is_found_from_its_text_alone() {
        // Truth: 10, 5, 9, 9, 4, 3 and 6 milestones on pages 1-7, under a header of 5 columns,
        // with theme and group heading rows between them; no rules and no fills.
        let pages = tables_of("gold/docs/rotherham-2021-tracker-borderless.pdf");
        let got = shapes(&pages);
        assert_eq!(got.len(), 7);
        for ((page, kind, rows, cols, header, continues), milestones) in got.into_iter().zip([10, 5, 9, 9, 4, 3, 6]) {
            assert_eq!((kind, cols, header), (TableKind::Borderless, 5, 1), "page {page}");
            assert!(rows > milestones, "page {page}: {rows} rows for {milestones} milestones");
            assert_eq!(continues.is_some(), (2..=6).contains(&page), "page {page}");
        }
    }
}
