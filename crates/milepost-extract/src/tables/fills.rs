//! Evidence from cell fills: the columns a tiled header or a column of status colours shows,
//! the rows each status colour or zebra band shows, the bottom of a band filled across a table,
//! text edges snapped to the fills' sides, and one cell's fill. Both finders use it (ruled
//! tables with no column lines, borderless tables throughout).

use crate::geom::{BBox, Colour};
use crate::layout::{PageLayout, Shade};

/// A fill belongs to an area (a table's text, a band) when its centre or side is within this of
/// the area's edge: a cell's fill is drawn to the cell's border, a little outside its text; and
/// two fill sides this close are one edge (adjacent cells drawn with a hairline between).
pub(crate) const AREA_SLACK_PT: f32 = 2.0;
/// A column edge this close to a table's side is that side, not a column of its own (a fill
/// drawn inside the border, a border's width).
pub(crate) const INSIDE_SIDE_PT: f32 = 5.0;
/// Fill edges this close are at one level (or one box's side): producers draw a row's cell
/// fills at the same y, give or take rounding.
const SAME_LEVEL_PT: f32 = 1.0;
/// A colour is a cell's fill when it covers at least this share of the cell (a thin band or a
/// neighbour's fill running over its edge is not).
const CELL_FILL_MIN_SHARE: f32 = 0.5;
/// Fills side by side on one level tile a row when each meets the next within this (cell
/// fills abut, or leave a rule's width between them).
const TILE_GAP_PT: f32 = 1.5;
/// A column of stacked fills narrower than this share of the table is a column of status cells
/// (its sides are column edges); a wider one is row shading.
const STATUS_COLUMN_MAX_SHARE: f32 = 0.4;
/// A cell's fill may run this far past the table's text beyond [`FILL_INSIDE_WIDTH`]: the
/// padding of a narrow table's outer cells.
const FILL_OVERHANG_PT: f32 = 8.0;

/// Column edges shown by cell fills inside `area`: (edges of a tiled row of fills, sides of a
/// stacked column of fills). A row of at least [`FILL_ROW_MIN`] shaded boxes side by side (a
/// header whose cells are each filled, as Word, Calc and ReportLab draw them) puts an edge
/// between each two; a column of filled cells (status colours) shows that column's sides.
/// Frames and borderless tables have no column lines, but their fills still show the columns.
pub(crate) fn fill_column_edges(layout: &PageLayout, area: &BBox) -> (Vec<f32>, Vec<f32>) {
    let inside: Vec<&Shade> =
        layout.shades.iter().filter(|s| s.bbox.cy() >= area.y0 - AREA_SLACK_PT && s.bbox.cy() <= area.y1 + AREA_SLACK_PT && mostly_over(s, area.x0, area.x1)).collect();
    let push = |v: &mut Vec<f32>, x: f32| {
        if v.iter().all(|e| (e - x).abs() > AREA_SLACK_PT) {
            v.push(x);
        }
    };
    // Rows of boxes that start level and touch end to end (a two-level header's band and the
    // cells spanning both levels start level; the band's own sub-cells form a second row).
    // One row per level, not one per box in it.
    let mut rows: Vec<Vec<&Shade>> = Vec::new();
    let mut levels: Vec<f32> = Vec::new();
    for s in &inside {
        if levels.iter().any(|y| (y - s.bbox.y0).abs() < SAME_LEVEL_PT) {
            continue;
        }
        levels.push(s.bbox.y0);
        let mut row: Vec<&Shade> = inside.iter().copied().filter(|o| (o.bbox.y0 - s.bbox.y0).abs() < SAME_LEVEL_PT).collect();
        row.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
        if row.len() >= 2 && row.windows(2).all(|w| (w[1].bbox.x0 - w[0].bbox.x1).abs() <= TILE_GAP_PT) {
            rows.push(row);
        }
    }
    let mut tiled: Vec<f32> = Vec::new();
    // Only a tiling across (nearly) the whole width shows all the columns.
    let spans_width = |r: &Vec<&Shade>| r.last().expect("two or more").bbox.x1 - r[0].bbox.x0 >= BAND_SPAN_SHARE * area.width();
    // A tiling of several colours repeated down the table is row shading (zebra bands with the
    // status cell in its own colour), not a header: its pieces show one column, not all of
    // them. A header repeated over each section is one colour across.
    // Repeated anywhere on the page, not only in `area`: a table read as several areas (one per
    // zebra band) sees each band's tiling once. Stops at the second place found.
    let same_box = |a: &Shade, b: &Shade| (a.bbox.x0 - b.bbox.x0).abs() < SAME_LEVEL_PT && (a.bbox.x1 - b.bbox.x1).abs() < SAME_LEVEL_PT;
    let repeated = |r: &Vec<&Shade>| {
        if r.iter().all(|t| t.colour == r[0].colour) {
            return false;
        }
        // Or below a cell of a column of fills (a status colour in a row above): a header is
        // above the rows it heads, and one row's pieces (shading either side of its status,
        // Calc joining the shaded cells beside each other) show only the columns they happen
        // to break at.
        let top = r[0].bbox.y0;
        if inside.iter().any(|s| s.bbox.y1 <= top + SAME_LEVEL_PT && is_stacked(&inside, s)) {
            return true;
        }
        let mut tops: Vec<f32> = Vec::new();
        for o in layout.shades.iter().filter(|o| same_box(o, r[0])) {
            let y = o.bbox.y0;
            if tops.iter().any(|t| (t - y).abs() < SAME_LEVEL_PT) {
                continue;
            }
            if r[1..].iter().all(|t| layout.shades.iter().any(|p| (p.bbox.y0 - y).abs() < SAME_LEVEL_PT && same_box(p, t))) {
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
        if is_stacked(&inside, s) && s.bbox.width() < STATUS_COLUMN_MAX_SHARE * area.width() {
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
pub(crate) fn fill_columns_beside(layout: &PageLayout, area: &BBox) -> (Option<f32>, Option<f32>) {
    let on_right = |s: &Shade| s.bbox.x1 > area.x1 + AREA_SLACK_PT && s.bbox.x0 > area.cx();
    let on_left = |s: &Shade| s.bbox.x0 < area.x0 - AREA_SLACK_PT && s.bbox.x1 < area.cx();
    let beside: Vec<&Shade> = layout
        .shades
        .iter()
        .filter(|s| s.bbox.cy() >= area.y0 && s.bbox.cy() <= area.y1 && s.bbox.width() < FILL_BESIDE_MAX_SHARE * area.width())
        // Running out past the text (the few words in them, "R", "B", centred, end short of
        // the cell's side), from beside it or from within its outer part.
        .filter(|s| on_right(s) && s.bbox.x0 - area.x1 <= FILL_BESIDE_GAP_PT || on_left(s) && area.x0 - s.bbox.x1 <= FILL_BESIDE_GAP_PT)
        .collect();
    let stacked: Vec<&&Shade> = beside.iter().filter(|s| is_stacked(&beside, s)).collect();
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
fn is_stacked(fills: &[&Shade], s: &Shade) -> bool {
    fills.iter().filter(|o| (o.bbox.x0 - s.bbox.x0).abs() < SAME_LEVEL_PT && (o.bbox.x1 - s.bbox.x1).abs() < SAME_LEVEL_PT).count() >= FILL_ROW_MIN
}

/// The tops of fills that mark rows between `x0`–`x1` and `y0`–`y1`: boxes stacked in one
/// column (at least [`FILL_ROW_MIN`] with the same sides: status colours), or shading as wide as
/// the table (zebra rows). Each such box is one row, so its top is a row edge.
pub(crate) fn fill_row_tops(layout: &PageLayout, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<f32> {
    let inside: Vec<&Shade> = layout.shades.iter().filter(|s| s.bbox.cy() > y0 && s.bbox.cy() < y1 && mostly_over(s, x0, x1)).collect();
    let mut tops: Vec<f32> = Vec::new();
    for s in &inside {
        let stacked = is_stacked(&inside, s);
        let zebra = s.bbox.width() >= BAND_SPAN_SHARE * (x1 - x0);
        if stacked || zebra {
            tops.push(s.bbox.y0);
        }
    }
    tops.sort_by(f32::total_cmp);
    tops.dedup_by(|a, b| (*a - *b).abs() < SAME_LEVEL_PT);
    tops
}

/// The bottoms of group bands between `x0`–`x1` and `y0`–`y1`: one box shaded from a column
/// to the table's right side, at least [`GROUP_BAND_SHARE`] of its width, that neither stacks
/// with others (status colours) nor spans the whole table (zebra rows, found by their tops): a
/// group row set beside a merged outcome column. The row under it starts at its bottom, where
/// Word sets the next row right under it with no gap. (bottom, the band's left side).
pub(crate) fn group_band_bottoms(layout: &PageLayout, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<(f32, f32)> {
    let inside: Vec<&Shade> = layout.shades.iter().filter(|s| s.bbox.cy() > y0 && s.bbox.cy() < y1 && mostly_over(s, x0, x1)).collect();
    let mut bottoms: Vec<(f32, f32)> = inside
        .iter()
        .filter(|s| !is_stacked(&inside, s) && s.bbox.width() < BAND_SPAN_SHARE * (x1 - x0) && s.bbox.width() >= GROUP_BAND_SHARE * (x1 - x0) && s.bbox.x1 >= x1 - INSIDE_SIDE_PT)
        .map(|s| (s.bbox.y1, s.bbox.x0))
        .collect();
    bottoms.sort_by(|a, b| a.0.total_cmp(&b.0));
    bottoms.dedup_by(|a, b| (a.0 - b.0).abs() < SAME_LEVEL_PT);
    bottoms
}

/// A group band covers at least this share of the table's width (the columns right of a merged
/// outcome column: the activity, and all after it).
const GROUP_BAND_SHARE: f32 = 0.5;

/// Whether a fill lies mostly over the table between `x0` and `x1`. A table found from its text
/// ends where its text does; its cells' fills run on to the cells' sides, past a centred status
/// or a short last column.
fn mostly_over(s: &Shade, x0: f32, x1: f32) -> bool {
    s.bbox.width() <= FILL_INSIDE_WIDTH * (x1 - x0) + FILL_OVERHANG_PT && (s.bbox.x1.min(x1) - s.bbox.x0.max(x0)).max(0.0) >= FILL_INSIDE_SHARE * s.bbox.width()
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
        match bands.iter_mut().find(|b| (b.1 - s.bbox.y1).abs() < SAME_LEVEL_PT) {
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
pub(crate) fn snap_to_fills(edges: &mut Vec<f32>, layout: &PageLayout, area: &BBox) {
    let (tiled, stacked) = fill_column_edges(layout, area);
    if edges.len() < 2 {
        return;
    }
    if !tiled.is_empty() {
        // A header filled cell by cell across the table: its cells are the columns.
        let (first, last) = (edges[0], *edges.last().expect("two ends"));
        *edges = std::iter::once(first).chain(tiled.into_iter().filter(|f| *f > first + INSIDE_SIDE_PT && *f < last - INSIDE_SIDE_PT)).chain(std::iter::once(last)).collect();
        join_close_edges(edges);
        return;
    }
    let fills = stacked;
    if fills.is_empty() {
        return;
    }
    let (first, last) = (edges[0], *edges.last().expect("two ends"));
    let mut inner: Vec<f32> = edges[1..edges.len() - 1].iter().copied().filter(|e| fills.iter().all(|f| (f - e).abs() > FILL_EDGE_SNAP_PT)).collect();
    inner.extend(fills.iter().copied().filter(|f| *f > first + INSIDE_SIDE_PT && *f < last - INSIDE_SIDE_PT));
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

/// The colour of the shading that covers most of the cell, if any: boxes of one colour count
/// together (a merged cell is painted row by row: LaTeX's colortbl, some Word exports), and where
/// two colours each cover most of it the one drawn last wins, as it does on paper.
pub(crate) fn cell_fill(layout: &PageLayout, cb: &BBox) -> Option<Colour> {
    let area = cb.width() * cb.height();
    if area <= 0.0 {
        return None;
    }
    // (colour, area covered, last drawn)
    let mut cover: Vec<(Colour, f32, usize)> = Vec::new();
    for (i, s) in layout.shades.iter().enumerate() {
        let ov = s.bbox.x_overlap(cb) * s.bbox.y_overlap(cb);
        if ov <= 0.0 {
            continue;
        }
        match cover.iter_mut().find(|c| c.0 == s.colour) {
            Some(c) => {
                c.1 += ov;
                c.2 = i;
            }
            None => cover.push((s.colour, ov, i)),
        }
    }
    cover.into_iter().filter(|c| c.1 >= CELL_FILL_MIN_SHARE * area).max_by_key(|c| c.2).map(|c| c.0).filter(|c| !c.is_near_white())
}
