//! Ruled tables: cut a region along its ruling lines into a grid, and merge grid cells that no
//! line separates (a merged outcome cell spans several rows, a group row spans the columns).
//!
//! In: a [`PageLayout`]. Out: [`Table`]s of kind `Ruled`. Tables ruled only with horizontal
//! lines, or missing their outer border, still get a grid: missing outer edges come from the
//! extent of the other rulings, and a table with no vertical rulings is left to `borderless`.
//!
//! Not here: tables with no lines at all (`borderless`).

use super::{count_header_rows, Cell, Table, TableKind};
use crate::geom::BBox;
use crate::layout::{PageLayout, Ruling, Word};

/// Rulings that meet within this distance are connected (LibreOffice borders overlap by
/// half a line width; Chromium's by 0.75 pt).
const TOUCH_TOL_PT: f32 = 3.0;
/// Ruling positions closer than this are one grid line (double borders, rounding).
const GRID_MERGE_PT: f32 = 2.5;
/// A wall is present between two grid cells when rulings cover this share of the edge.
const WALL_COVER: f32 = 0.6;
/// Rulings enclosing less than this are no table: an underline, a box round a word or a logo.
const MIN_TABLE_WIDTH_PT: f32 = 20.0;
/// Less than one line of text (8 pt) between the rules: a double rule or a box's border.
const MIN_TABLE_HEIGHT_PT: f32 = 8.0;
/// A rule within this of a grid already found is one of its own rules (or a rule beside it,
/// not the side of another table); and a rule this far inside a frame's sides stands between them.
const GRID_RULE_SLACK_PT: f32 = 2.0;
/// Rules whose heights differ by less than this are on one line (producers round positions;
/// Word draws a cell's edge as its own piece); a word whose middle is this close to a grid is in it.
const SAME_LINE_PT: f32 = 1.0;
/// Where the pieces of rules broken by a merged column end and start again, the same to within
/// this on every rule of the page.
const GAP_END_SAME_PT: f32 = 2.0;

/// Finds the ruled tables on a page.
pub fn find_ruled(layout: &PageLayout) -> Vec<Table> {
    let rulings = &layout.rulings;
    let n = rulings.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let hs: Vec<usize> = (0..n).filter(|i| rulings[*i].horizontal).collect();
    let vs: Vec<usize> = (0..n).filter(|i| !rulings[*i].horizontal).collect();
    for &h in &hs {
        for &v in &vs {
            let (hr, vr) = (&rulings[h], &rulings[v]);
            if vr.pos >= hr.from - TOUCH_TOL_PT && vr.pos <= hr.to + TOUCH_TOL_PT && hr.pos >= vr.from - TOUCH_TOL_PT && hr.pos <= vr.to + TOUCH_TOL_PT {
                let (a, b) = (find(&mut parent, h), find(&mut parent, v));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Ruling>> = Default::default();
    for (i, &ruling) in rulings.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(ruling);
    }
    let mut tables = Vec::new();
    for (_, group) in groups {
        if let Some(t) = grid_table(layout, &group) {
            tables.push(t);
        }
    }
    let more = rules_only_tables(layout, &tables);
    tables.extend(more);
    let sides = frame_side_tables(layout, &tables);
    tables.extend(sides);
    tables
}

/// A frame's sides alone: two vertical rules of the same extent, far apart, with nothing
/// joining them (a framed table continued from the page before: Calc draws its top and bottom
/// only where the table starts and ends). Read as a frame closed at their ends.
fn frame_side_tables(layout: &PageLayout, found: &[Table]) -> Vec<Table> {
    let free: Vec<&Ruling> = layout
        .rulings
        .iter()
        .filter(|r| !r.horizontal && r.to - r.from >= FRAME_SIDE_MIN_PT)
        .filter(|r| !found.iter().any(|t| t.bbox.contains_point(r.pos, (r.from + r.to) / 2.0, GRID_RULE_SLACK_PT)))
        .collect();
    let mut out = Vec::new();
    for (i, a) in free.iter().enumerate() {
        for b in free.iter().skip(i + 1) {
            let same = (a.from - b.from).abs() <= FRAME_ENDS_SAME_PT && (a.to - b.to).abs() <= FRAME_ENDS_SAME_PT;
            if !same || (a.pos - b.pos).abs() < FRAME_SIDE_MIN_PT {
                continue;
            }
            let (x0, x1) = (a.pos.min(b.pos), a.pos.max(b.pos));
            // Nothing else between them (a column rule would have joined a grid).
            if free.iter().any(|c| c.pos > x0 + GRID_RULE_SLACK_PT && c.pos < x1 - GRID_RULE_SLACK_PT && c.from < a.to && c.to > a.from) {
                continue;
            }
            let closed = [**a, **b, Ruling { horizontal: true, pos: a.from, from: x0, to: x1 }, Ruling { horizontal: true, pos: a.to, from: x0, to: x1 }];
            if let Some(t) = grid_table(layout, &closed) {
                out.push(t);
            }
        }
    }
    out
}

/// Frame sides are at least this long and this far apart (a table, not a margin line).
const FRAME_SIDE_MIN_PT: f32 = 100.0;
/// Two vertical rules are the sides of one frame when their tops and their bottoms each lie
/// within this of each other.
const FRAME_ENDS_SAME_PT: f32 = 3.0;

/// Words closer than this many ems are one run of text (an ordinary space is about 0.28 em);
/// a gutter between columns is wider.
const WORD_RUN_GAP_EM: f32 = 0.45;
/// Horizontal rules at least this long can separate the rows of a table.
const ROW_RULE_MIN_PT: f32 = 100.0;
/// A piece of a row rule (broken under a merged cell) is at least this long: one narrow
/// column.
const ROW_PIECE_MIN_PT: f32 = 30.0;
/// A rule under a table's top rule is one of its row edges when it overhangs the top rule's
/// ends by at most this (rules drawn cell by cell end a rule's width apart).
const STACK_OVERHANG_PT: f32 = 4.0;

/// Tables ruled with horizontal lines only (between rows, no column lines): rows from the
/// rules, columns from the alignment of the text between them, as in a borderless table.
fn rules_only_tables(layout: &PageLayout, found: &[Table]) -> Vec<Table> {
    let mut hs: Vec<Ruling> = layout
        .rulings
        .iter()
        .filter(|r| r.horizontal && r.to - r.from >= ROW_PIECE_MIN_PT)
        .filter(|r| !found.iter().any(|t| t.bbox.contains_point((r.from + r.to) / 2.0, r.pos, GRID_RULE_SLACK_PT)))
        .copied()
        .collect();
    hs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut out = Vec::new();
    let mut used = vec![false; hs.len()];
    // Each table starts at a rule as wide as it: a whole rule, or pieces of one bridged over
    // the gap a merged column leaves in every rule of the page.
    let seeds = bridge_merged_gaps(&hs);
    for seed in &seeds {
        if seed.to - seed.from < ROW_RULE_MIN_PT {
            continue;
        }
        // Rules stacked under this one within its extent: one table. A rule broken where a
        // merged cell runs on (Calc draws no rule under a merged outcome cell) is still one of
        // its row edges.
        let run: Vec<usize> = (0..hs.len())
            .filter(|j| !used[*j] && hs[*j].pos >= seed.pos - SAME_LINE_PT && hs[*j].from >= seed.from - STACK_OVERHANG_PT && hs[*j].to <= seed.to + STACK_OVERHANG_PT)
            .collect();
        for j in &run {
            used[*j] = true;
        }
        out.extend(table_between_rules(layout, &hs, &run, seed));
    }
    out
}

/// The table between the rules `run` (indices into `hs`) under `seed`, its columns from its
/// text; None where it is no table (fewer than three rules, fewer than two columns).
fn table_between_rules(layout: &PageLayout, hs: &[Ruling], run: &[usize], seed: &Ruling) -> Option<Table> {
    if run.len() < 3 {
        return None;
    }
    let ys = cluster(run.iter().map(|j| hs[*j].pos).collect());
    if ys.len() < 3 {
        return None;
    }
    let area = BBox::new(seed.from, ys[0], seed.to, *ys.last().expect("three or more"));
    let mut xs = super::borderless::column_edges_in(layout, &area);
    super::fills::snap_to_fills(&mut xs, layout, &area);
    if xs.len() < 3 {
        return None;
    }
    // The rules' ends are the table's sides.
    xs[0] = area.x0;
    *xs.last_mut().expect("non-empty") = area.x1;
    let words: Vec<&Word> = layout.words.iter().filter(|w| area.contains_point(w.bbox.cx(), w.bbox.cy(), 0.0)).collect();
    let (ys, figure) = split_figure_bands(layout, &ys, &xs, 3);
    let split = super::subrows::split_bands(layout, &ys, &xs, &figure);
    let ys = split.edges;
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // No column rules: cells join only where text flows across a soft row edge.
    let rules: Vec<Ruling> = run.iter().map(|j| hs[*j]).collect();
    // No column rules either: cells join across a column edge where a line of text runs
    // across it at an ordinary word gap (a theme band, a group row).
    let runs_across = |r: usize, c: usize| text_runs_across(layout, xs[c + 1], xs[c], xs[c + 2], ys[r], ys[r + 1]);
    let boxes = merge_cells(
        rows,
        cols,
        runs_across,
        |r, c| match &split.soft[r] {
            Some(flows) => flows[c],
            // A row edge with no rule over this column: the cell above runs on (merged).
            // (Only at a ruled edge: the line rows of a band of figures have no rule at all.)
            None => {
                let ruled_edge = coverage(&rules, true, ys[r + 1], xs[0], xs[cols]) > 0.0;
                // Merged only where the text runs on across the missing rule; a rule under a
                // band of a two-level header leaves the headings beside it unruled, not merged.
                ruled_edge
                    && coverage(&rules, true, ys[r + 1], xs[c], xs[c + 1]) < WALL_COVER
                    && super::subrows::flows_across(layout, xs[c], xs[c + 1], ys[r + 1], ys[r], ys[(r + 2).min(rows)])
            }
        },
        &[],
    );
    let mut cells = Vec::new();
    for (r0, c0, r1, c1) in boxes {
        let cb = BBox::new(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]);
        let cw: Vec<&Word> = words.iter().copied().filter(|w| cb.contains_point(w.bbox.cx(), w.bbox.cy(), 0.0)).collect();
        cells.push(Cell::of_words(layout, (r0, c0), (r1 - r0 + 1, c1 - c0 + 1), cb, &cw));
    }
    let header_rows = count_header_rows(&cells, rows);
    Some(Table { page: layout.page, index: 0, kind: TableKind::Ruled, bbox: area, col_edges: xs, row_edges: ys, cells, header_rows, continues: None })
}

/// The horizontal rules (sorted by height) with the pieces of one line joined where the gap
/// between two pieces recurs, at the same x, on at least [`BRIDGE_MIN_RULES`] lines: a merged
/// column (an outcome spanning its milestones) that no row rule crosses on this page. Pieces
/// are kept as they are; the joined rules only say how wide the table is.
fn bridge_merged_gaps(hs: &[Ruling]) -> Vec<Ruling> {
    // The check is quadratic in the rules: a page of thousands is a drawing, not a table.
    if hs.len() > BRIDGE_MAX_RULES {
        return hs.to_vec();
    }
    let gap_recurs = |a: &Ruling, b: &Ruling| {
        let mut ys: Vec<f32> = Vec::new();
        for x in hs {
            if (x.to - a.to).abs() <= GAP_END_SAME_PT
                && hs.iter().any(|y| (y.pos - x.pos).abs() < SAME_LINE_PT && (y.from - b.from).abs() <= GAP_END_SAME_PT)
                && ys.iter().all(|p| (p - x.pos).abs() >= SAME_LINE_PT)
            {
                ys.push(x.pos);
            }
        }
        ys.len() >= BRIDGE_MIN_RULES
    };
    let mut out: Vec<Ruling> = Vec::new();
    let mut done = vec![false; hs.len()];
    for i in 0..hs.len() {
        if done[i] {
            continue;
        }
        let mut line: Vec<usize> = (i..hs.len()).filter(|j| !done[*j] && (hs[*j].pos - hs[i].pos).abs() < SAME_LINE_PT).collect();
        line.sort_by(|a, b| hs[*a].from.total_cmp(&hs[*b].from));
        let mut cur = hs[line[0]];
        for w in line.windows(2) {
            let (a, b) = (&hs[w[0]], &hs[w[1]]);
            if b.from > a.to && gap_recurs(a, b) {
                cur.to = cur.to.max(b.to);
            } else {
                out.push(cur);
                cur = *b;
            }
        }
        out.push(cur);
        for j in line {
            done[j] = true;
        }
    }
    out.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    out
}

/// A gap in the row rules at the same place on this many lines is a merged column.
const BRIDGE_MIN_RULES: usize = 3;
/// Pages with more horizontal rules than this are not searched for bridged gaps.
const BRIDGE_MAX_RULES: usize = 400;

fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<Vec<f32>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - *c.last().expect("clusters are never empty") <= GRID_MERGE_PT => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.into_iter().map(|c| c.iter().sum::<f32>() / c.len() as f32).collect()
}

/// Share of `[a, b]` covered by rulings of the given orientation at `pos`.
fn coverage(rulings: &[Ruling], horizontal: bool, pos: f32, a: f32, b: f32) -> f32 {
    let len = b - a;
    if len <= 0.0 {
        return 1.0;
    }
    let mut covered = 0.0;
    for r in rulings.iter().filter(|r| r.horizontal == horizontal && (r.pos - pos).abs() <= GRID_MERGE_PT) {
        covered += (r.to.min(b) - r.from.max(a)).max(0.0);
    }
    (covered / len).min(1.0)
}

/// One group of touching rulings as a table, in steps: its grid lines ([`grid_lines`]),
/// columns the rulings leave out ([`virtual_column_edges`]), bands of figures and bands of rows
/// cut into rows (`split_figure_bands`, `subrows::split_bands`), heading rows
/// ([`heading_rows`]), cells merged where no wall parts them (`merge_cells`), and the words put
/// in them ([`fill_cells`]). None for a frame of one column or one empty cell.
fn grid_table(layout: &PageLayout, group: &[Ruling]) -> Option<Table> {
    let (bbox, mut xs, ys) = grid_lines(group)?;
    // Partly ruled: column lines in the header only, or no lines between the rows of figures.
    // A band that holds a grid of figures is cut into one row per line and one cell per column.
    // (Only a whole tiled header: a stacked status column alone would leave the others joined.)
    let virtual_edges = if xs.len() == 2 { virtual_column_edges(layout, &bbox, &xs) } else { Vec::new() };
    xs.splice(1..1, virtual_edges.iter().copied());
    let (ys, figure_rows) = if xs.len() >= 3 {
        split_figure_bands(layout, &ys, &xs, 4)
    } else {
        let n = ys.len() - 1;
        (ys, vec![false; n])
    };
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    if rows == 0 || cols == 0 {
        return None;
    }
    let rulings: Vec<Ruling> = group.to_vec();
    // Rules drawn only between blocks of rows: the rows inside each band.
    let split = super::subrows::split_bands(layout, &ys, &xs, &figure_rows);
    let figure_rows: Vec<bool> = split.band.iter().map(|b| figure_rows[*b]).collect();
    let ys = split.edges;
    let rows = ys.len() - 1;
    let heading_row = if virtual_edges.is_empty() { vec![false; rows] } else { heading_rows(layout, &xs, &ys) };
    let boxes = merge_cells(
        rows,
        cols,
        |r, c| {
            if virtual_edges.contains(&xs[c + 1]) {
                if heading_row[r] {
                    let e = xs[c + 1];
                    return layout.words.iter().any(|w| w.bbox.cy() > ys[r] && w.bbox.cy() < ys[r + 1] && super::runs_across(w.bbox.x0, w.bbox.x1, e));
                }
                return text_runs_across(layout, xs[c + 1], xs[c], xs[c + 2], ys[r], ys[r + 1]);
            }
            !figure_rows[r] && coverage(&rulings, false, xs[c + 1], ys[r], ys[r + 1]) < WALL_COVER
        },
        |r, c| match &split.soft[r] {
            Some(flows) => flows[c],
            None => {
                !figure_rows[r]
                    && !figure_rows[r + 1]
                    && coverage(&rulings, true, ys[r + 1], xs[c], xs[c + 1]) < WALL_COVER
                    && !super::subrows::separate_across(layout, xs[c], xs[c + 1], ys[r + 1], ys[r], ys[r + 2])
            }
        },
        &heading_row,
    );
    let cells = fill_cells(layout, &bbox, &xs, &ys, boxes);
    if rows * cols == 1 && cells.iter().all(|c| c.text.trim().is_empty()) {
        return None;
    }
    if cols == 1 {
        // A frame, a boxed paragraph or rules between lines of a one-column layout: the text
        // inside may still be a table, which the borderless finder sees once this is dropped.
        return None;
    }
    let header_rows = count_header_rows(&cells, rows);
    Some(Table { page: layout.page, index: 0, kind: TableKind::Ruled, bbox, col_edges: xs, row_edges: ys, cells, header_rows, continues: None })
}

/// The box of a group of rulings and its column and row lines (close positions merged); a
/// missing outer border is added where the other rulings show where the table ends. None where
/// the group has no horizontal or no vertical ruling, or is too small to be a table.
fn grid_lines(group: &[Ruling]) -> Option<(BBox, Vec<f32>, Vec<f32>)> {
    let hs: Vec<&Ruling> = group.iter().filter(|r| r.horizontal).collect();
    let vs: Vec<&Ruling> = group.iter().filter(|r| !r.horizontal).collect();
    if hs.is_empty() || vs.is_empty() {
        return None;
    }
    let bbox = group.iter().fold(None::<BBox>, |acc, r| {
        let b = if r.horizontal { BBox::new(r.from, r.pos, r.to, r.pos) } else { BBox::new(r.pos, r.from, r.pos, r.to) };
        Some(acc.map_or(b, |a| a.union(&b)))
    })?;
    if bbox.width() < MIN_TABLE_WIDTH_PT || bbox.height() < MIN_TABLE_HEIGHT_PT {
        return None;
    }
    let mut xs = cluster(vs.iter().map(|r| r.pos).collect());
    let mut ys = cluster(hs.iter().map(|r| r.pos).collect());
    if xs[0] > bbox.x0 + GRID_MERGE_PT {
        xs.insert(0, bbox.x0);
    }
    if *xs.last()? < bbox.x1 - GRID_MERGE_PT {
        xs.push(bbox.x1);
    }
    if ys[0] > bbox.y0 + GRID_MERGE_PT {
        ys.insert(0, bbox.y0);
    }
    if *ys.last()? < bbox.y1 - GRID_MERGE_PT {
        ys.push(bbox.y1);
    }
    Some((bbox, xs, ys))
}

/// The columns of a frame with no column lines (`xs` its two sides): the header's cell fills
/// show them; with no tiled header either, a frame ruled under its header (an outer frame and a
/// header underline) holds columns the text shows, as a table ruled with rows only does. Those
/// edges are walls only where no text runs across them (a group row spanning the columns).
fn virtual_column_edges(layout: &PageLayout, bbox: &BBox, xs: &[f32]) -> Vec<f32> {
    let inside = |x: &f32| *x > xs[0] + super::fills::INSIDE_SIDE_PT && *x < xs[1] - super::fills::INSIDE_SIDE_PT;
    let from_fills: Vec<f32> = super::fills::fill_column_edges(layout, bbox).0.into_iter().filter(inside).collect();
    if !from_fills.is_empty() {
        return from_fills;
    }
    let mut text_edges = super::borderless::column_edges_in(layout, bbox);
    // A column of status colours shows its two sides exactly (its text, if any, is centred or
    // absent).
    super::fills::snap_to_fills(&mut text_edges, layout, bbox);
    if text_edges.len() < 4 {
        return Vec::new();
    }
    text_edges[1..text_edges.len() - 1].iter().copied().filter(inside).collect()
}

/// Heading rows of a frame whose columns the text shows: one of the first two rows, all bold,
/// its words over three columns or more. Such a row is cut at every edge no word straddles: its
/// headings sit close together ("Action ref What we want to achieve") and read as one run, but
/// they name the columns below.
fn heading_rows(layout: &PageLayout, xs: &[f32], ys: &[f32]) -> Vec<bool> {
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    (0..rows)
        .map(|r| {
            if r >= 2 {
                return false;
            }
            let ws: Vec<&Word> = layout.words.iter().filter(|w| w.bbox.cy() > ys[r] && w.bbox.cy() < ys[r + 1] && w.bbox.cx() > xs[0] && w.bbox.cx() < xs[cols]).collect();
            let mut used: Vec<usize> = ws.iter().map(|w| xs.partition_point(|x| *x <= w.bbox.cx())).collect();
            used.sort_unstable();
            used.dedup();
            ws.len() >= 3 && ws.iter().all(|w| w.bold) && used.len() >= 3
        })
        .collect()
}

/// The cells of the merged boxes (first row, first column, last row, last column), each with
/// the words whose centre it holds.
fn fill_cells(layout: &PageLayout, bbox: &BBox, xs: &[f32], ys: &[f32], boxes: Vec<(usize, usize, usize, usize)>) -> Vec<Cell> {
    let in_table: Vec<&Word> = layout.words.iter().filter(|w| bbox.contains_point(w.bbox.cx(), w.bbox.cy(), SAME_LINE_PT)).collect();
    let by_height = ByHeight::of(in_table.iter().map(|w| w.bbox));
    let mut cells = Vec::with_capacity(boxes.len());
    let mut at: Vec<usize> = Vec::new();
    for (r0, c0, r1, c1) in boxes {
        let cb = BBox::new(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]);
        by_height.inside(&cb, &mut at);
        let words: Vec<&Word> = at.iter().map(|i| in_table[*i]).collect();
        cells.push(Cell::of_words(layout, (r0, c0), (r1 - r0 + 1, c1 - c0 + 1), cb, &words));
    }
    cells
}

/// Boxes by the height of their middles, so that a cell looks only at the words level with it
/// (a ruled table's every cell looked at every word of the table: a tenth of finding tables).
struct ByHeight {
    /// Each box's middle (x, y) and its place in the list given, by y then place; a middle that
    /// is no number is in no cell and left out.
    middles: Vec<(f32, f32, usize)>,
}

impl ByHeight {
    fn of(boxes: impl Iterator<Item = BBox>) -> ByHeight {
        let mut middles: Vec<(f32, f32, usize)> = boxes.enumerate().map(|(i, b)| (b.cx(), b.cy(), i)).filter(|m| !m.1.is_nan()).collect();
        middles.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));
        ByHeight { middles }
    }

    /// The places (in the order given) of the boxes whose middles `cell` holds, edges included,
    /// into `out`: the same as asking every box.
    fn inside(&self, cell: &BBox, out: &mut Vec<usize>) {
        let from = self.middles.partition_point(|m| m.1 < cell.y0);
        let to = self.middles.partition_point(|m| m.1 <= cell.y1);
        out.clear();
        out.extend(self.middles.get(from..to).unwrap_or_default().iter().filter(|m| cell.contains_point(m.0, m.1, 0.0)).map(|m| m.2));
        out.sort_unstable();
    }
}

/// Whether text runs across the column edge `e` (between columns `[left, e)` and `[e, right)`)
/// in the row between `y0` and `y1`: a line whose words run on over the edge at an ordinary
/// word gap (a band, a group row), and no line that keeps to the columns on both sides of it (a
/// header set above the band in the same row keeps them apart).
fn text_runs_across(layout: &PageLayout, e: f32, left: f32, right: f32, y0: f32, y1: f32) -> bool {
    let mut runs = false;
    for l in layout.lines.iter().filter(|l| l.bbox.cy() > y0 && l.bbox.cy() < y1) {
        let ws: Vec<&Word> = l.words.iter().map(|i| &layout.words[*i]).filter(|w| w.bbox.cx() >= left && w.bbox.cx() < right).collect();
        for pair in ws.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.bbox.cx() < e && b.bbox.cx() >= e {
                if b.bbox.x0 - a.bbox.x1 < WORD_RUN_GAP_EM * a.size_pt || a.bbox.x1 > e + super::CROSS_PT {
                    runs = true;
                } else {
                    return false;
                }
            }
        }
        if ws.iter().any(|w| super::runs_across(w.bbox.x0, w.bbox.x1, e)) {
            runs = true;
        }
    }
    runs
}

/// The root of grid cell `i`'s group in a union-find forest (paths halved on the way).
fn find(p: &mut [usize], i: usize) -> usize {
    let mut i = i;
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

/// Each group of joined grid cells, by its root: the rows and columns it covers (top, left,
/// bottom, right) and how many cells it holds.
fn group_spans(parent: &mut [usize], rows: usize, cols: usize) -> std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> {
    let mut spans: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> = Default::default();
    for r in 0..rows {
        for c in 0..cols {
            let root = find(parent, r * cols + c);
            let e = spans.entry(root).or_insert((r, c, r, c, 0));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
            e.4 += 1;
        }
    }
    spans
}

/// Joins elementary grid cells into merged cells: `right(r, c)` says whether cell (r, c) joins
/// the one to its right, `down(r, c)` the one below. Each joined group becomes one cell spanning
/// its bounding grid rectangle, as (top row, left column, bottom row, right column), sorted.
fn merge_cells(rows: usize, cols: usize, right: impl Fn(usize, usize) -> bool, down: impl Fn(usize, usize) -> bool, heading_rows: &[bool]) -> Vec<(usize, usize, usize, usize)> {
    let id = |r: usize, c: usize| r * cols + c;
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && right(r, c) {
                let (a, b) = (find(&mut parent, id(r, c)), find(&mut parent, id(r, c + 1)));
                parent[a] = b;
            }
            if r + 1 < rows && down(r, c) {
                let (a, b) = (find(&mut parent, id(r, c)), find(&mut parent, id(r + 1, c)));
                parent[a] = b;
            }
        }
    }
    let spans = |parent: &mut [usize]| group_spans(parent, rows, cols);
    // A group that is not a rectangle would become one cell over its bounding box. Where it
    // holds cells of a heading row (headings kept apart, each naming its column, joined down
    // to a band under them in some columns only) that box would join the headings again, and
    // overlap the ones outside the group: its cells are joined along their rows only. (A
    // ragged group of plain cells, a band and the sub-headings under it, stays one cell.)
    let first = spans(&mut parent);
    let roots: Vec<usize> = (0..rows * cols).map(|i| find(&mut parent, i)).collect();
    let in_heading_row = |root: usize| (0..rows).any(|r| heading_rows.get(r).copied().unwrap_or(false) && (0..cols).any(|c| roots[id(r, c)] == root));
    let ragged: Vec<usize> = first.iter().filter(|(root, e)| e.4 != (e.2 - e.0 + 1) * (e.3 - e.1 + 1) && in_heading_row(**root)).map(|(root, _)| *root).collect();
    if !ragged.is_empty() {
        let in_ragged: Vec<bool> = (0..rows * cols).map(|i| ragged.contains(&find(&mut parent, i))).collect();
        let mut again: Vec<usize> = (0..rows * cols).map(|i| if in_ragged[i] { i } else { find(&mut parent, i) }).collect();
        for r in 0..rows {
            for c in 0..cols.saturating_sub(1) {
                if in_ragged[id(r, c)] && in_ragged[id(r, c + 1)] && right(r, c) {
                    let (a, b) = (find(&mut again, id(r, c)), find(&mut again, id(r, c + 1)));
                    again[a] = b;
                }
            }
        }
        // Then runs of the same columns, one above the other, joined down all along, are one
        // cell again (a heading beside the band, two rows tall).
        let run_of = |again: &mut [usize], r: usize, c: usize| {
            let root = find(again, id(r, c));
            let cs: Vec<usize> = (0..cols).filter(|k| find(again, id(r, *k)) == root).collect();
            (cs[0], cs[cs.len() - 1])
        };
        for r in 0..rows.saturating_sub(1) {
            for c in 0..cols {
                if !in_ragged[id(r, c)] || !in_ragged[id(r + 1, c)] || find(&mut again, id(r, c)) == find(&mut again, id(r + 1, c)) {
                    continue;
                }
                let (a0, a1) = run_of(&mut again, r, c);
                if (a0, a1) == run_of(&mut again, r + 1, c) && (a0..=a1).all(|k| down(r, k)) {
                    let (a, b) = (find(&mut again, id(r, c)), find(&mut again, id(r + 1, c)));
                    again[a] = b;
                }
            }
        }
        parent = again;
    }
    let mut boxes: Vec<(usize, usize, usize, usize)> = spans(&mut parent).into_values().map(|e| (e.0, e.1, e.2, e.3)).collect();
    boxes.sort();
    boxes
}

/// A band between two rules that holds a grid of figures (many lines, each filling most
/// columns) is many rows: the rules only frame the header and the body.
fn split_figure_bands(layout: &PageLayout, ys: &[f32], xs: &[f32], min_lines: usize) -> (Vec<f32>, Vec<bool>) {
    let cols = xs.len() - 1;
    let mut out = vec![ys[0]];
    let mut figure = Vec::new();
    for band in ys.windows(2) {
        let line_ids: Vec<usize> = layout.lines.iter().enumerate().filter(|(_, l)| l.bbox.cy() > band[0] && l.bbox.cy() < band[1]).map(|(i, _)| i).collect();
        let is_filled: Vec<bool> = line_ids
            .iter()
            .map(|i| {
                let l = &layout.lines[*i];
                let n = (0..cols)
                    .filter(|c| {
                        l.words.iter().any(|w| {
                            // The columns bound x and the band bounds y: the word is in the table.
                            let w = &layout.words[*w];
                            w.bbox.cx() >= xs[*c] && w.bbox.cx() < xs[*c + 1]
                        })
                    })
                    .count();
                n as f32 >= FIGURE_LINE_COLUMNS * cols as f32
            })
            .collect();
        let filled = is_filled.iter().filter(|f| **f).count();
        if line_ids.len() >= min_lines && filled as f32 >= FIGURE_SHARE * line_ids.len() as f32 {
            // Each line its own row: split halfway between consecutive lines. A line set closer
            // under the line above than lines usually are is that row's text wrapping (a tracker
            // of one-line rows with one two-line action, its date wrapped beside it), not a row.
            let mut gaps: Vec<f32> = line_ids.windows(2).map(|p| layout.lines[p[1]].baseline - layout.lines[p[0]].baseline).collect();
            gaps.sort_by(f32::total_cmp);
            let usual = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
            let least = gaps.first().copied().unwrap_or(0.0);
            // A line at the least gap whose first text goes on with a lower-case word under text
            // of the same column continues the sentence above (an action wrapped beside its
            // wrapped date and lead, perhaps with the reference column empty on its second line:
            // every line fills the columns, but figures do not start in lower case). (Only the
            // line's first text: a new row's date may begin in lower case, "by 30 June".)
            let first_in = |l: &crate::layout::TextLine, c: usize| super::cells::first_word_in(l.words.iter().map(|w| &layout.words[*w]), xs[c], xs[c + 1]);
            let continues = |a: &crate::layout::TextLine, b: &crate::layout::TextLine| {
                (0..cols).find(|c| first_in(b, *c).is_some()).is_some_and(|c| first_in(a, c).is_some() && first_in(b, c).is_some_and(super::cells::begins_lower))
            };
            // A line of prose in the first column alone, under a line with text there too: the
            // rest of that cell (a second sentence: "… for the next four years." / "Ward members
            // will be briefed …"). A row of figures fills its columns; a heading inside a grid of
            // figures is a word or two.
            let words_in = |l: &crate::layout::TextLine, c: usize| {
                l.words
                    .iter()
                    .filter(|w| {
                        let w = &layout.words[**w];
                        w.bbox.cx() >= xs[c] && w.bbox.cx() < xs[c + 1]
                    })
                    .count()
            };
            let prose_tail = |a: &crate::layout::TextLine, b: &crate::layout::TextLine| {
                let first = words_in(b, 0);
                cols > 1 && first >= PROSE_TAIL_WORDS && first == b.words.len() && words_in(a, 0) > 0
            };
            for (k, pair) in line_ids.windows(2).enumerate() {
                let (a, b) = (&layout.lines[pair[0]], &layout.lines[pair[1]]);
                let gap = b.baseline - a.baseline;
                if gap < WRAPPED_GAP_SHARE * usual || (gap < ROW_GAP_SHARE * least && (continues(a, b) || (!is_filled[k + 1] && prose_tail(a, b)))) {
                    continue;
                }
                out.push((a.bbox.y1 + b.bbox.y0) / 2.0);
                figure.push(true);
            }
            figure.push(true);
        } else {
            figure.push(false);
        }
        out.push(band[1]);
    }
    (out, figure)
}

/// A band is a grid of figures when this share of its lines have text in at least
/// [`FIGURE_LINE_COLUMNS`] of the columns (a wrapped tracker row has one full line, then partial ones).
const FIGURE_SHARE: f32 = 0.8;
/// A line of a grid of figures has text in this share of the columns or more (three quarters).
const FIGURE_LINE_COLUMNS: f32 = 0.75;
/// A line closer than this share of the band's usual line gap under the line above
/// wraps that line's cell: wrapped lines sit at the leading (1.2 sizes), rows add padding (1.6
/// and more); a grid of figures has one gap throughout.
const WRAPPED_GAP_SHARE: f32 = 0.85;
/// A line of this many words or more in the first column alone, in a grid of one-line rows,
/// is the rest of the cell above (see `split_figure_bands`).
const PROSE_TAIL_WORDS: usize = 4;
/// A gap this many times the band's least one or wider parts rows, whatever the text says.
const ROW_GAP_SHARE: f32 = 1.3;

#[cfg(test)]
mod tests {
    use super::ByHeight;
    use crate::geom::BBox;
    use proptest::prelude::*;

    /// A coordinate on a coarse grid (so that middles fall on cell edges), now and then no number.
    fn coord() -> impl Strategy<Value = f32> {
        prop_oneof![20 => (0u8..40).prop_map(|v| f32::from(v) * 2.5), 1 => Just(f32::NAN), 1 => Just(-0.0f32)]
    }

    fn bbox() -> impl Strategy<Value = BBox> {
        (coord(), coord(), coord(), coord()).prop_map(|(x0, y0, x1, y1)| BBox { x0, y0, x1, y1 })
    }

    proptest! {
        /// A cell finds by height exactly the boxes, in their order, that asking every box finds.
        #[test]
        fn by_height_finds_what_asking_every_box_finds(words in prop::collection::vec(bbox(), 0..60), cells in prop::collection::vec(bbox(), 1..12)) {
            let by_height = ByHeight::of(words.iter().copied());
            let mut found = Vec::new();
            for c in &cells {
                let cell = BBox::new(c.x0, c.y0, c.x1, c.y1);
                by_height.inside(&cell, &mut found);
                let every: Vec<usize> = words.iter().enumerate().filter(|(_, w)| cell.contains_point(w.cx(), w.cy(), 0.0)).map(|(i, _)| i).collect();
                prop_assert_eq!(&found, &every);
            }
        }
    }
}
