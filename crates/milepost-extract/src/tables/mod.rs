//! Finds tables on a page: ruled ones from their lines, borderless ones from text alignment.
//!
//! In: a [`PageLayout`]. Out: [`Table`]s, each a grid of [`Cell`]s with text (line breaks kept),
//! box, row and column spans, and fill colour. Regions enclosed by ruling lines are cut along
//! their lines ([`ruled`]); the words left over are searched for whitespace-aligned columns
//! ([`borderless`]). [`link_continuations`] marks a table that goes on from the previous page.
//!
//! Not here: deciding which rows are milestones, carrying merged cells down, or joining a row
//! split over a page break (all in `rows`).

pub mod borderless;
pub mod ruled;
mod subrows;

use serde::Serialize;

use crate::geom::{BBox, Colour};
use crate::layout::{PageLayout, Word};

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

impl Cell {
    /// The cell at grid position (`row`, `col`), spanning `row_span` × `col_span`, over `bbox`,
    /// holding `words`: its text, lines, style and fill read from them and the page. (The one
    /// place the finders build a cell; they differ only in how they choose its words.)
    pub(crate) fn of_words(layout: &PageLayout, (row, col): (usize, usize), (row_span, col_span): (usize, usize), bbox: BBox, words: &[&Word]) -> Cell {
        let (text_colour, bold, italic) = text_style(words);
        let (text, line_baselines) = cell_text(words);
        Cell {
            row,
            col,
            row_span,
            col_span,
            bbox,
            text,
            line_baselines,
            fill: ruled::cell_fill(layout, &bbox),
            text_colour,
            bold,
            italic,
            size_pt: text_size(words),
            text_x: text_x(words),
        }
    }
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
    let used: Vec<bool> = layout.words.iter().map(|w| tables.iter().any(|t| t.bbox.contains_point(w.bbox.cx(), w.bbox.cy(), 1.0))).collect();
    let ruled_edges: Vec<Vec<f32>> = tables.iter().filter(|t| t.cols() >= 2).map(|t| t.col_edges.clone()).collect();
    tables.extend(borderless::find_borderless(layout, &used, &ruled_edges));
    // Reading order: top to bottom, then left to right for tables side by side.
    tables.sort_by(|a, b| if a.bbox.y_overlap(&b.bbox) > 0.5 * a.bbox.height().min(b.bbox.height()) { a.bbox.x0.total_cmp(&b.bbox.x0) } else { a.bbox.y0.total_cmp(&b.bbox.y0) });
    for (i, t) in tables.iter_mut().enumerate() {
        t.index = i + 1;
        t.page = layout.page;
    }
    tables
}

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

/// Text runs across a column edge only where it reaches this far past it on both sides: a
/// glyph's box reaches a little past its ink (side bearings, a space's width), so a word that
/// ends at an edge, or a centred entry that touches it, is not across it.
pub(crate) const CROSS_PT: f32 = 2.0;

/// Whether text from `x0` to `x1` runs across the column edge `e` (see [`CROSS_PT`]).
pub(crate) fn runs_across(x0: f32, x1: f32, e: f32) -> bool {
    x0 < e - CROSS_PT && x1 > e + CROSS_PT
}

/// Joins words into cell text: lines by baseline, words by spaces, lines by `\n`.
pub(crate) fn cell_text(words: &[&Word]) -> (String, Vec<f32>) {
    let mut ws: Vec<&Word> = words.to_vec();
    ws.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some(l) if (l[0].baseline - w.baseline).abs() <= 0.35 * w.size_pt => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    let baselines = lines.iter().map(|l| l[0].baseline).collect();
    let text = lines
        .into_iter()
        .map(|mut l| {
            // A right-to-left line reads from its right end.
            let rtl = l.iter().filter(|w| crate::layout::is_rtl(&w.text)).count() * 2 > l.len();
            l.sort_by(|a, b| if rtl { b.bbox.x0.total_cmp(&a.bbox.x0) } else { a.bbox.x0.total_cmp(&b.bbox.x0) });
            l.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    (text, baselines)
}

/// Column edges shown by cell fills inside `area`: (edges of a tiled row of fills, sides of a
/// stacked column of fills). A row of at least [`FILL_ROW_MIN`] shaded boxes side by side (a
/// header whose cells are each filled, as Word, Calc and ReportLab draw them) puts an edge
/// between each two; a column of filled cells (status colours) shows that column's sides.
/// Frames and borderless tables have no column lines, but their fills still show the columns.
pub(crate) fn fill_column_edges(layout: &PageLayout, area: &crate::geom::BBox) -> (Vec<f32>, Vec<f32>) {
    let inside: Vec<&crate::layout::Shade> =
        layout.shades.iter().filter(|s| s.bbox.cy() >= area.y0 - 2.0 && s.bbox.cy() <= area.y1 + 2.0 && mostly_over(s, area.x0, area.x1)).collect();
    let push = |v: &mut Vec<f32>, x: f32| {
        if v.iter().all(|e| (e - x).abs() > 2.0) {
            v.push(x);
        }
    };
    // Rows of boxes that start level and touch end to end (a two-level header's band and the
    // cells spanning both levels start level; the band's own sub-cells form a second row).
    // One row per level, not one per box in it.
    let mut rows: Vec<Vec<&crate::layout::Shade>> = Vec::new();
    let mut levels: Vec<f32> = Vec::new();
    for s in &inside {
        if levels.iter().any(|y| (y - s.bbox.y0).abs() < 1.0) {
            continue;
        }
        levels.push(s.bbox.y0);
        let mut row: Vec<&crate::layout::Shade> = inside.iter().copied().filter(|o| (o.bbox.y0 - s.bbox.y0).abs() < 1.0).collect();
        row.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
        if row.len() >= 2 && row.windows(2).all(|w| (w[1].bbox.x0 - w[0].bbox.x1).abs() <= 1.5) {
            rows.push(row);
        }
    }
    let mut tiled: Vec<f32> = Vec::new();
    // Only a tiling across (nearly) the whole width shows all the columns.
    let spans_width = |r: &Vec<&crate::layout::Shade>| r.last().expect("two or more").bbox.x1 - r[0].bbox.x0 >= 0.9 * area.width();
    // A tiling of several colours repeated down the table is row shading (zebra bands with the
    // status cell in its own colour), not a header: its pieces show one column, not all of
    // them. A header repeated over each section is one colour across.
    // Repeated anywhere on the page, not only in `area`: a table read as several areas (one per
    // zebra band) sees each band's tiling once. Stops at the second place found.
    let same_box = |a: &crate::layout::Shade, b: &crate::layout::Shade| (a.bbox.x0 - b.bbox.x0).abs() < 1.0 && (a.bbox.x1 - b.bbox.x1).abs() < 1.0;
    let repeated = |r: &Vec<&crate::layout::Shade>| {
        if r.iter().all(|t| t.colour == r[0].colour) {
            return false;
        }
        // Or below a cell of a column of fills (a status colour in a row above): a header is
        // above the rows it heads, and one row's pieces (shading either side of its status,
        // Calc joining the shaded cells beside each other) show only the columns they happen
        // to break at.
        let top = r[0].bbox.y0;
        if inside.iter().any(|s| s.bbox.y1 <= top + 1.0 && is_stacked(&inside, s)) {
            return true;
        }
        let mut tops: Vec<f32> = Vec::new();
        for o in layout.shades.iter().filter(|o| same_box(o, r[0])) {
            let y = o.bbox.y0;
            if tops.iter().any(|t| (t - y).abs() < 1.0) {
                continue;
            }
            if r[1..].iter().all(|t| layout.shades.iter().any(|p| (p.bbox.y0 - y).abs() < 1.0 && same_box(p, t))) {
                tops.push(y);
                if tops.len() >= 2 {
                    return true;
                }
            }
        }
        false
    };
    if rows.iter().any(|r| r.len() >= FILL_ROW_MIN && spans_width(r) && !repeated(r)) {
        for row in &rows {
            for w in row.windows(2) {
                push(&mut tiled, (w[0].bbox.x1 + w[1].bbox.x0) / 2.0);
            }
        }
    }
    // A column of filled cells (status colours down the RAG column): its two sides.
    let mut stacked: Vec<f32> = Vec::new();
    for s in &inside {
        if is_stacked(&inside, s) && s.bbox.width() < 0.4 * area.width() {
            push(&mut stacked, s.bbox.x0);
            push(&mut stacked, s.bbox.x1);
        }
    }
    tiled.sort_by(f32::total_cmp);
    stacked.sort_by(f32::total_cmp);
    (tiled, stacked)
}

/// The outer sides of columns of filled cells (status colours, most with no words) running
/// out past `area`, the text's extent, on its left and right, beside its rows.
pub(crate) fn fill_columns_beside(layout: &PageLayout, area: &crate::geom::BBox) -> (Option<f32>, Option<f32>) {
    let on_right = |s: &crate::layout::Shade| s.bbox.x1 > area.x1 + 2.0 && s.bbox.x0 > area.cx();
    let on_left = |s: &crate::layout::Shade| s.bbox.x0 < area.x0 - 2.0 && s.bbox.x1 < area.cx();
    let beside: Vec<&crate::layout::Shade> = layout
        .shades
        .iter()
        .filter(|s| s.bbox.cy() >= area.y0 && s.bbox.cy() <= area.y1 && s.bbox.width() < FILL_BESIDE_MAX_SHARE * area.width())
        // Running out past the text (the few words in them, "R", "B", centred, end short of
        // the cell's side), from beside it or from within its outer part.
        .filter(|s| on_right(s) && s.bbox.x0 - area.x1 <= FILL_BESIDE_GAP_PT || on_left(s) && area.x0 - s.bbox.x1 <= FILL_BESIDE_GAP_PT)
        .collect();
    let stacked: Vec<&&crate::layout::Shade> = beside.iter().filter(|s| is_stacked(&beside, s)).collect();
    let left = stacked.iter().filter(|s| on_left(s)).map(|s| s.bbox.x0).reduce(f32::min);
    let right = stacked.iter().filter(|s| on_right(s)).map(|s| s.bbox.x1).reduce(f32::max);
    (left, right)
}

/// A column of fills beside a table's text is at most this far from it (a gutter and the
/// cell's padding), ...
const FILL_BESIDE_GAP_PT: f32 = 40.0;
/// ... and narrower than this share of the table (a status column, not a sidebar).
const FILL_BESIDE_MAX_SHARE: f32 = 0.4;

/// Whether `s` is one of at least [`FILL_ROW_MIN`] fills with the same sides (a column of
/// filled cells).
fn is_stacked(fills: &[&crate::layout::Shade], s: &crate::layout::Shade) -> bool {
    fills.iter().filter(|o| (o.bbox.x0 - s.bbox.x0).abs() < 1.0 && (o.bbox.x1 - s.bbox.x1).abs() < 1.0).count() >= FILL_ROW_MIN
}

/// The tops of fills that mark rows between `x0`–`x1` and `y0`–`y1`: boxes stacked in one
/// column (at least [`FILL_ROW_MIN`] with the same sides: status colours), or shading as wide as
/// the table (zebra rows). Each such box is one row, so its top is a row edge.
pub(crate) fn fill_row_tops(layout: &PageLayout, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<f32> {
    let inside: Vec<&crate::layout::Shade> = layout.shades.iter().filter(|s| s.bbox.cy() > y0 && s.bbox.cy() < y1 && mostly_over(s, x0, x1)).collect();
    let mut tops: Vec<f32> = Vec::new();
    for s in &inside {
        let stacked = is_stacked(&inside, s);
        let zebra = s.bbox.width() >= 0.9 * (x1 - x0);
        if stacked || zebra {
            tops.push(s.bbox.y0);
        }
    }
    tops.sort_by(f32::total_cmp);
    tops.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    tops
}

/// Whether a fill lies mostly over the table between `x0` and `x1`. A table found from its text
/// ends where its text does; its cells' fills run on to the cells' sides, past a centred status
/// or a short last column.
fn mostly_over(s: &crate::layout::Shade, x0: f32, x1: f32) -> bool {
    s.bbox.width() <= FILL_INSIDE_WIDTH * (x1 - x0) + 8.0 && (s.bbox.x1.min(x1) - s.bbox.x0.max(x0)).max(0.0) >= FILL_INSIDE_SHARE * s.bbox.width()
}

/// A fill marks this table's rows or columns when this share of its width lies over the table ...
const FILL_INSIDE_SHARE: f32 = 0.6;
/// ... and it is no wider than this many times the table (not a page background).
const FILL_INSIDE_WIDTH: f32 = 1.15;

/// The bottoms of bands filled across the table between `x0`–`x1` and `y0`–`y1`: one box or
/// boxes side by side ending level (a header filled cell by cell, of one or two levels)
/// covering [`BAND_SPAN_SHARE`] of its width.
/// Text inside such a band and text below it are different rows: a heading set just under a
/// filled header, in the same bold, is not part of the header.
pub(crate) fn fill_band_bottoms(layout: &PageLayout, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<(f32, f32)> {
    let mut bands: Vec<(f32, f32, f32)> = Vec::new();
    for s in layout.shades.iter().filter(|s| s.bbox.cy() > y0 && s.bbox.cy() < y1) {
        let covered = (s.bbox.x1.min(x1) - s.bbox.x0.max(x0)).max(0.0);
        // Boxes ending level make one band, whatever their tops (a two-level header: a tall
        // cell beside a band over two cells).
        match bands.iter_mut().find(|b| (b.1 - s.bbox.y1).abs() < 1.0) {
            Some(b) => {
                b.0 = b.0.min(s.bbox.y0);
                b.2 += covered;
            }
            None => bands.push((s.bbox.y0, s.bbox.y1, covered)),
        }
    }
    let mut out: Vec<(f32, f32)> = bands.into_iter().filter(|b| b.2 >= BAND_SPAN_SHARE * (x1 - x0)).map(|b| (b.0, b.1)).collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1));
    out
}

/// A fill band covers at least this share of the table's width (cell padding and rounding
/// leave a little uncovered; a group row's fill beside a merged outcome column covers less).
const BAND_SPAN_SHARE: f32 = 0.9;

/// Puts column edges where cell fills show them: a text edge close to a fill edge moves onto it,
/// and fill edges the text missed (a colour-only status column, a group row crossing a gutter)
/// are added.
pub(crate) fn snap_to_fills(edges: &mut Vec<f32>, layout: &PageLayout, area: &crate::geom::BBox) {
    let (tiled, stacked) = fill_column_edges(layout, area);
    if edges.len() < 2 {
        return;
    }
    if !tiled.is_empty() {
        // A header filled cell by cell across the table: its cells are the columns.
        let (first, last) = (edges[0], *edges.last().expect("two ends"));
        *edges = std::iter::once(first).chain(tiled.into_iter().filter(|f| *f > first + 5.0 && *f < last - 5.0)).chain(std::iter::once(last)).collect();
        join_close_edges(edges);
        return;
    }
    let fills = stacked;
    if fills.is_empty() {
        return;
    }
    let (first, last) = (edges[0], *edges.last().expect("two ends"));
    let mut inner: Vec<f32> = edges[1..edges.len() - 1].iter().copied().filter(|e| fills.iter().all(|f| (f - e).abs() > FILL_EDGE_SNAP_PT)).collect();
    inner.extend(fills.iter().copied().filter(|f| *f > first + 5.0 && *f < last - 5.0));
    inner.sort_by(f32::total_cmp);
    *edges = std::iter::once(first).chain(inner).chain(std::iter::once(last)).collect();
    join_close_edges(edges);
}

/// Two inner edges closer than this are one: the white gap between two cells' fills (a header
/// filled cell by cell), not a column (no column is this narrow).
const FILL_GAP_MAX_PT: f32 = 6.0;

/// Joins inner edges closer than [`FILL_GAP_MAX_PT`] at their middle: a gap left as a column of
/// its own keeps any text running across it from joining the cells on either side.
fn join_close_edges(edges: &mut Vec<f32>) {
    let mut k = 1;
    while k + 2 < edges.len() {
        if edges[k + 1] - edges[k] < FILL_GAP_MAX_PT {
            edges[k] = (edges[k] + edges[k + 1]) / 2.0;
            edges.remove(k + 1);
        } else {
            k += 1;
        }
    }
}

/// A text edge this close to a fill edge is the same column edge.
const FILL_EDGE_SNAP_PT: f32 = 12.0;

/// Shaded boxes side by side that show columns: three or more (two could be a label and its
/// value).
const FILL_ROW_MIN: usize = 3;

/// The font size most of the words' letters are set in (0 when there are none).
/// The left and right of some words (None when there are none).
pub(crate) fn text_x(words: &[&Word]) -> Option<(f32, f32)> {
    let left = words.iter().map(|w| w.bbox.x0).reduce(f32::min)?;
    let right = words.iter().map(|w| w.bbox.x1).fold(left, f32::max);
    Some((left, right))
}

pub(crate) fn text_size(words: &[&Word]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = Vec::new();
    for w in words {
        let s = (w.size_pt * 2.0).round() / 2.0;
        match sizes.iter_mut().find(|(k, _)| *k == s) {
            Some(e) => e.1 += w.text.len(),
            None => sizes.push((s, w.text.len())),
        }
    }
    sizes.iter().max_by_key(|e| e.1).map(|e| e.0).unwrap_or(0.0)
}

/// The colour most of the words are drawn in, and whether most are bold and italic.
pub(crate) fn text_style(words: &[&Word]) -> (Option<Colour>, bool, bool) {
    if words.is_empty() {
        return (None, false, false);
    }
    let mut counts: Vec<(Colour, usize)> = Vec::new();
    for w in words {
        match counts.iter_mut().find(|(c, _)| *c == w.colour) {
            Some(e) => e.1 += w.text.len(),
            None => counts.push((w.colour, w.text.len())),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let bold = words.iter().filter(|w| w.bold).map(|w| w.text.len()).sum::<usize>() * 2 > words.iter().map(|w| w.text.len()).sum::<usize>();
    let italic = words.iter().filter(|w| w.italic).map(|w| w.text.len()).sum::<usize>() * 2 > words.iter().map(|w| w.text.len()).sum::<usize>();
    (Some(counts[0].0), bold, italic)
}

/// How many leading rows look like a header: every non-empty cell bold, or the row shaded
/// in one colour, and at least two cells with text.
pub(crate) fn count_header_rows(cells: &[Cell], rows: usize) -> usize {
    let mut n = 0;
    for r in 0..rows.min(2) {
        let row: Vec<&Cell> = cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
        if row.len() < 2 {
            break;
        }
        let all_bold = row.iter().all(|c| c.bold);
        let first_fill = row[0].fill;
        let shaded = first_fill.is_some() && row.iter().all(|c| c.fill == first_fill);
        if all_bold || (shaded && r == 0) {
            n += 1;
        } else {
            break;
        }
    }
    n
}
