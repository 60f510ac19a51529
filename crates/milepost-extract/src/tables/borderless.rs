//! Borderless tables: columns from the whitespace that several lines of text share, rows from
//! the vertical rhythm of the lines, wrapped cells kept in one row.
//!
//! In: a [`PageLayout`] and which words already belong to ruled tables. Out: [`Table`]s of kind
//! `Borderless`. A run of lines is a table when most of its lines break into two or more
//! segments at the same gutters. A line that spans the gutters (a group row, a title) inside
//! the run becomes a row of one cell spanning the table.
//!
//! The column edges found from the text are checked against other evidence: a ruled table on
//! the page, or a borderless one above, whose columns these lines continue (`ruled_columns`);
//! cell fills (`snap_to_fills`); and centred text running across an edge from the gutter
//! (`widen_for_centred_text`). Rows come from the anchor column's paragraphs, short entries,
//! fills, bold lines between plain ones and, where rows are set without padding, from where
//! text had to wrap (`row_starts`, `forced_wrap_starts`).
//!
//! Not here: tables with ruling lines (`ruled`).

use super::{count_header_rows, Cell, Table, TableKind};
use crate::geom::BBox;
use crate::layout::{PageLayout, Word};

/// Words further apart than this many ems start a new segment (column) on a line.
const SEGMENT_GAP_EM: f32 = 0.45;
/// A gap between lines wider than this many typical line pitches ends a table.
const RUN_BREAK_PITCHES: f32 = 2.6;
/// ... except under a header (all bold so far): a gap up to this many pitches.
const HEADER_BREAK_PITCHES: f32 = 5.0;
/// A line at the left margin after a table's last row belongs to it when this close (pitches).
const TRAILING_GAP_PITCHES: f32 = 1.2;
/// A gap between lines wider than this many typical pitches starts a new row.
const ROW_BREAK_PITCHES: f32 = 1.3;
/// A gutter must be at least this wide (points).
const MIN_GUTTER_PT: f32 = 3.0;
/// A line with text in at least this share of the columns fills the row.
const FULL_LINE: f32 = 0.75;
/// A line shorter than this share of its column's text width ends its cell.
const SHORT_LINE: f32 = 0.6;
/// A gutter may be crossed by this share of the lines (group rows, titles).
const GUTTER_TOLERANCE: f32 = 0.1;
/// Only a word after a gap wider than this (ems), or first on its line, can start a column:
/// an ordinary space is about 0.28 em.
const ALIGN_GAP_EM: f32 = 0.4;
/// The anchor column is the leftmost that starts at least this share of the most paragraphs any
/// column starts.
const ANCHOR_SHARE: f32 = 0.95;
/// A column edge where at least this share of the lines start a word at the same x.
const ALIGN_SHARE: f32 = 0.2;
/// A word after a gap this wide (ems; Calc pads a cell by about 0.8 em) inside a line starts a
/// cell ...
const WIDE_GAP_EM: f32 = 0.6;
/// ... and a column edge where such words start at the same x on this share of the lines that
/// start at the table's left edge (about one a row).
const ROW_ALIGN_SHARE: f32 = 0.4;
/// ... at least this far (points) from every edge found otherwise.
const NEW_COLUMN_MIN_PT: f32 = 24.0;
/// A heading row among this many first lines shows column starts ...
const HEADER_LINES: usize = 3;
/// ... where this many lines (the heading's and two of data) start a word at the same x.
const HEADER_CONFIRM: u32 = 3;
/// An evenly spaced block below a ruled table's last rule with text in its anchor column on at
/// most this many lines is that many wrapped rows.
const TAIL_MAX_ROWS: usize = 2;
/// ... or, away from rules, a block of at most this many lines with a column of prose ...
const TAIL_MAX_LINES: usize = 15;
/// ... at least this many words a line on average.
const TAIL_PROSE_WORDS: f32 = 3.0;
/// Lines under a ruled table span at least this share of its width to take its columns.
const RULED_SPAN_SHARE: f32 = 0.7;
/// A word starting within this many points of its column's usual left edge starts a cell.
const ALIGNED_START_PT: f32 = 1.5;
/// A column's usual left edge needs this many cells starting there.
const ALIGNED_MIN_CELLS: usize = 3;
/// A word's side and an edge within this are level: a word belongs to a run of text (a segment)
/// when it lies within this of the run's ends (the run's box is the union of its words',
/// rounded), starts a column when it starts this far past the edge before, fits a line when it
/// ends no further than this past the column's right.
const WORD_EDGE_SLACK_PT: f32 = 0.5;
/// The line pitch taken for a block with no gap to measure (one line): 12 pt, single spacing of
/// the usual 10 pt text.
const DEFAULT_PITCH_PT: f32 = 12.0;
/// An ordinary space, in font sizes (0.25–0.3 in the fonts measured: Arial 0.278, Calibri 0.226,
/// Liberation Serif 0.25).
const SPACE_EM: f32 = 0.28;
/// An edge found from this block's text within this of a ruled (or earlier) table's column edge
/// is that edge: text starts a little inside a ruled cell (its padding, 2-6 pt in the producers
/// measured), and a centred column's text further.
const SAME_COLUMN_EDGE_PT: f32 = 8.0;
/// Edges that are one: the same number carried from one list to another (no measurement).
const SAME_EDGE_PT: f32 = 0.01;
/// A block's text lines up with a ruled table above or below when it starts no more than this
/// left of the table's left side (a centred first column) and comes within this of an inner
/// edge (half a column at most).
const RULED_NEAR_PT: f32 = 12.0;
/// ... and ends no more than this right of its right side (a short last line, a wider status).
const RULED_RIGHT_SLACK_PT: f32 = 20.0;
/// Words that end within this left of an edge are beside it (the column before has text).
const BESIDE_EDGE_PT: f32 = 40.0;
/// A row cut goes this far above the aligned start it cuts at, so that the start is below it.
const CUT_BEFORE_PT: f32 = 0.25;
/// A line pitch is at least this many sizes: a normal line (single spacing is about 1.15-1.2
/// in the producers measured; see `rhythm`).
const NORMAL_PITCH_EMS: f32 = 1.15;
/// A single trailing line indented this far past the block's left is one column's (the last
/// words of a cell), not prose after the table.
const TRAILING_INDENT_PT: f32 = 20.0;
/// A column edge needs at least this many lines starting at it, whatever the block's size.
const ALIGN_MIN_LINES: f32 = 3.0;
/// A column edge stands at least this far inside the block's left side ...
const EDGE_INSIDE_MIN_PT: f32 = 5.0;
/// ... and at least this far right of the edge before it (closer peaks are one ragged edge).
const PEAKS_APART_PT: f32 = 4.0;
/// A block is a grid of figures when this share of its lines or more fill (nearly) every column.
const FIGURE_LINES_SHARE: f32 = 0.6;
/// A block whose lines end short is a list, not a table, when fewer than this share of its
/// entries are set apart by extra space.
const LIST_SPACED_MAX_SHARE: f32 = 0.2;
/// A column edge goes this far left of where its column's text starts (text is left-aligned:
/// the left side of a column is crisp, its right ragged).
const EDGE_BEFORE_TEXT_PT: f32 = 1.0;
/// Lines whose baselines differ by no more than this are one line (no gap to measure a pitch by).
const SAME_BASELINE_PT: f32 = 1.0;
/// Half of the 1-point bins segment starts are counted in.
const HALF_BIN_PT: f32 = 0.5;
/// A word or line reaching no more than this past an edge is on its side of it.
const EDGE_SLACK_PT: f32 = 1.0;

struct Line<'a> {
    words: Vec<&'a Word>,
    bbox: BBox,
    baseline: f32,
    size: f32,
    segments: Vec<BBox>,
}

/// Finds borderless tables among the words not already in a ruled table. `ruled_edges` are the
/// column edges of the page's ruled tables: a block of the same table left unruled (rules drawn
/// only between blocks, the last block at the foot of the page) has the same columns.
pub fn find_borderless(layout: &PageLayout, used: &[bool], ruled_edges: &[Vec<f32>]) -> Vec<Table> {
    let lines = free_lines(layout, used);
    if lines.len() < 2 {
        return Vec::new();
    }
    let mut tables = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        // Find a run: from a multi-segment line, extend while gaps stay normal.
        if lines[start].segments.len() < 2 {
            start += 1;
            continue;
        }
        let pitch = typical_pitch(&lines[start..]);
        let mut end = start + 1;
        let mut last_multi = start;
        while end < lines.len() {
            let gap = lines[end].baseline - lines[end - 1].baseline;
            // A header (bold lines only so far) stands further above the first row, across a
            // theme heading, than rows stand apart.
            let header_only = lines[start..end].iter().all(|l| l.words.iter().all(|w| w.bold));
            let limit = if header_only { HEADER_BREAK_PITCHES } else { RUN_BREAK_PITCHES };
            if gap > limit * pitch {
                break;
            }
            if lines[end].segments.len() >= 2 {
                last_multi = end;
            }
            end += 1;
        }
        let run_end = trailing_end(&lines, start, last_multi, end);
        let multi = lines[start..run_end].iter().filter(|l| l.segments.len() >= 2).count();
        if multi >= 2 {
            // The borderless tables above on the page are hints too: a table broken by a gap
            // (a tall row, a heading) goes on with the same columns.
            let above: Vec<Vec<f32>> = tables.iter().map(|t: &Table| t.col_edges.clone()).collect();
            if let Some(t) = build(layout, &lines[start..run_end], ruled_edges, &above) {
                tables.push(t);
            }
        }
        start = run_end.max(start + 1);
    }
    tables
}

/// Where a table on the page (`hints`: a ruled table's edges, or a borderless table's above)
/// spans the same width as these lines, or these lines start at one of its inner edges, its
/// column edges that no word here straddles are this table's edges too (text-found gutters miss
/// a narrow one, an outcome set close to its activity). Returns the lines with their segments
/// split at the edges added, or None when none was.
///
/// The edges confirmed by the hint (found here too, or added) go in `confirmed`: the later
/// clean-ups that merge sparse columns keep them.
fn ruled_columns<'a>(edges: &mut Vec<f32>, lines: &[Line<'a>], hints: &[Vec<f32>], confirmed: &mut Vec<f32>) -> Option<Vec<Line<'a>>> {
    if lines.len() < 2 {
        return None;
    }
    let (x0, x1) = (edges[0], *edges.last()?);
    // The lines lie within the ruled table's width and span most of it (a centred first
    // column, a short last line, start a little inside its sides).
    // Or they start at one of its inner edges, the columns before empty here (an outcome
    // printed in the first row of its block only, above the last rule).
    let hint = hints.iter().find_map(|h| {
        let (h0, h1) = (h[0], h[h.len() - 1]);
        let spans = h.len() >= 3 && x0 >= h0 - RULED_NEAR_PT && x1 <= h1 + RULED_RIGHT_SLACK_PT;
        if spans && (x1 - x0) >= RULED_SPAN_SHARE * (h1 - h0) && (h0 - x0).abs() <= 0.5 * (h[1] - h0) {
            return Some(&h[..]);
        }
        let j = (1..h.len().saturating_sub(2)).find(|j| (h[*j] - x0).abs() <= 0.5 * (h[j + 1] - h[*j]).min(RULED_NEAR_PT))?;
        (spans && (x1 - x0) >= RULED_SPAN_SHARE * (h1 - h[j])).then_some(&h[j..])
    })?;
    let words = || lines.iter().flat_map(|l| l.words.iter());
    let mut added = Vec::new();
    for &h in &hint[1..hint.len() - 1] {
        let near = edges.iter().copied().find(|e| (e - h).abs() <= SAME_COLUMN_EDGE_PT);
        let straddled = words().any(|w| w.bbox.x0 < h - EDGE_SLACK_PT && w.bbox.x1 > h + EDGE_SLACK_PT);
        let both_sides = words().any(|w| w.bbox.x1 <= h && w.bbox.x1 > h - BESIDE_EDGE_PT) && words().any(|w| w.bbox.x0 >= h);
        match near {
            Some(e) => confirmed.push(e),
            None if !straddled && both_sides => {
                added.push(h);
                confirmed.push(h);
            }
            None => {}
        }
    }
    if added.is_empty() {
        return None;
    }
    edges.extend(added.iter().copied());
    edges.sort_by(f32::total_cmp);
    Some(split_segments(lines, |_, seg| added.iter().copied().filter(|h| seg.x0 < *h && seg.x1 > *h).collect()))
}

/// The lines with each segment cut where `cuts(line, segment)` says (x positions inside it).
fn split_segments<'a>(lines: &[Line<'a>], mut cuts: impl FnMut(&Line<'a>, &BBox) -> Vec<f32>) -> Vec<Line<'a>> {
    lines
        .iter()
        .map(|l| {
            let mut segments: Vec<BBox> = Vec::new();
            for seg in &l.segments {
                let mut cuts: Vec<f32> = cuts(l, seg);
                cuts.sort_by(f32::total_cmp);
                if cuts.is_empty() {
                    segments.push(*seg);
                    continue;
                }
                let mut bounds = vec![seg.x0 - WORD_EDGE_SLACK_PT];
                bounds.extend(cuts);
                bounds.push(seg.x1 + WORD_EDGE_SLACK_PT);
                for w in bounds.windows(2) {
                    let part: Vec<&&Word> = l
                        .words
                        .iter()
                        .filter(|x| x.bbox.cx() > w[0] && x.bbox.cx() <= w[1] && x.bbox.x0 >= seg.x0 - WORD_EDGE_SLACK_PT && x.bbox.x1 <= seg.x1 + WORD_EDGE_SLACK_PT)
                        .collect();
                    if let Some(first) = part.first() {
                        segments.push(part.iter().skip(1).fold(first.bbox, |b, x| b.union(&x.bbox)));
                    }
                }
            }
            Line { words: l.words.clone(), bbox: l.bbox, baseline: l.baseline, size: l.size, segments }
        })
        .collect()
}

/// Cell text set close to the cell before it (Calc pads cells by a point or two) joins the two
/// cells' words into one segment, which then reads as a line running across the gutter (a
/// group row). Where a word inside a segment starts exactly at a column's usual left edge and
/// the word before it ends left of the column, the segment is two cells: it is cut there, when
/// every piece then lies in one column. A group row's words meet a column's left edge only by
/// chance, and then its pieces still run across other gutters; a line of a single segment is
/// left whole when it starts in the first column, where group rows start. Returns None when
/// nothing was cut.
fn split_at_aligned_starts<'a>(lines: &[Line<'a>], edges: &[f32]) -> Option<Vec<Line<'a>>> {
    let cols = edges.len() - 1;
    // Each column's usual left edge: the commonest start of a segment in it, by 1-point bins.
    let lefts: Vec<Option<f32>> = (1..cols)
        .map(|c| {
            let mut starts: Vec<f32> = lines.iter().flat_map(|l| l.segments.iter()).map(|s| s.x0).filter(|x| *x >= edges[c] - super::CROSS_PT && *x < edges[c + 1]).collect();
            starts.sort_by(f32::total_cmp);
            let mut best: Option<(usize, f32)> = None;
            for &x in &starts {
                let n = starts.iter().filter(|y| (*y - x).abs() <= HALF_BIN_PT).count();
                if best.is_none_or(|(m, _)| n > m) {
                    best = Some((n, x));
                }
            }
            best.filter(|(n, _)| *n >= ALIGNED_MIN_CELLS).map(|(_, x)| x)
        })
        .collect();
    let cut_at = |l: &Line<'a>, seg: &BBox| -> Vec<f32> {
        // A line of one segment may be a group row across the table; not one starting in a
        // later column (a wrapped activity run up against its date, with the first column empty).
        if l.segments.len() < 2 && seg.x0 < edges[1] - super::CROSS_PT {
            return Vec::new();
        }
        let inside: Vec<&&Word> = l.words.iter().filter(|w| w.bbox.x0 >= seg.x0 - WORD_EDGE_SLACK_PT && w.bbox.x1 <= seg.x1 + WORD_EDGE_SLACK_PT).collect();
        let mut cuts = Vec::new();
        for (c, left) in lefts.iter().enumerate() {
            let (Some(left), e) = (left, edges[c + 1]) else { continue };
            if !super::runs_across(seg.x0, seg.x1, e) {
                continue;
            }
            if inside.windows(2).any(|p| p[0].bbox.x1 <= e + EDGE_SLACK_PT && (p[1].bbox.x0 - left).abs() <= ALIGNED_START_PT) {
                cuts.push(left - CUT_BEFORE_PT);
            }
        }
        // Every piece must then sit in one column: text that still runs across another gutter
        // is a heading spanning the table, whose words met a column edge by chance.
        let mut bounds = vec![seg.x0 - WORD_EDGE_SLACK_PT];
        bounds.extend(cuts.iter().copied());
        bounds.push(seg.x1 + WORD_EDGE_SLACK_PT);
        let one_column = bounds.windows(2).all(|b| {
            let piece: Vec<&&&Word> = inside.iter().filter(|w| w.bbox.cx() > b[0] && w.bbox.cx() <= b[1]).collect();
            let (x0, x1) = piece.iter().fold((f32::MAX, f32::MIN), |(a, z), w| (a.min(w.bbox.x0), z.max(w.bbox.x1)));
            !edges[1..cols].iter().any(|e| super::runs_across(x0, x1, *e))
        });
        if one_column {
            cuts
        } else {
            Vec::new()
        }
    };
    let mut any = false;
    let out = split_segments(lines, |l, seg| {
        let c = cut_at(l, seg);
        any |= !c.is_empty();
        c
    });
    any.then_some(out)
}

/// Lines of the free words, each split into segments at wide gaps.
fn free_lines<'a>(layout: &'a PageLayout, used: &[bool]) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for tl in &layout.lines {
        let words: Vec<&Word> = tl.words.iter().filter(|i| !used.get(**i).copied().unwrap_or(false)).map(|i| &layout.words[*i]).collect();
        if words.is_empty() {
            continue;
        }
        let size = words.iter().map(|w| w.size_pt).fold(0.0f32, f32::max);
        let mut segments: Vec<BBox> = Vec::new();
        for w in &words {
            match segments.last_mut() {
                Some(s) if w.bbox.x0 - s.x1 <= SEGMENT_GAP_EM * size => *s = s.union(&w.bbox),
                _ => segments.push(w.bbox),
            }
        }
        let bbox = words.iter().skip(1).fold(words[0].bbox, |b, w| b.union(&w.bbox));
        out.push(Line { baseline: tl.baseline, size, bbox, segments, words });
    }
    out
}

fn typical_pitch(lines: &[Line<'_>]) -> f32 {
    let mut gaps: Vec<f32> = lines.windows(2).take(40).map(|w| w[1].baseline - w[0].baseline).filter(|g| *g > SAME_BASELINE_PT).collect();
    if gaps.is_empty() {
        return lines.first().map(|l| l.size * super::rhythm::LEADING_SINGLE).unwrap_or(DEFAULT_PITCH_PT);
    }
    gaps.sort_by(f32::total_cmp);
    // The smallest common gap is the line pitch inside a cell; rows add padding on top.
    let q = gaps[gaps.len() / 4];
    // Lines of different columns need not share baselines (a merged cell starts higher), so
    // gaps between them can be a fraction of a pitch: never take less than a normal line.
    q.max(lines[0].size * NORMAL_PITCH_EMS)
}

/// Single-segment lines after the last multi-segment line belong to the table when they sit
/// inside a column other than the first (a long last cell), not when they start at the left
/// margin (the prose that follows the table).
fn trailing_end(lines: &[Line<'_>], start: usize, last_multi: usize, end: usize) -> usize {
    let left = lines[start..=last_multi].iter().map(|l| l.bbox.x0).fold(f32::MAX, f32::min);
    let mut e = last_multi + 1;
    let pitch = typical_pitch(&lines[start..end]);
    while e < end {
        let l = &lines[e];
        let gap = l.baseline - lines[e - 1].baseline;
        // At the left margin only when set close (the last words of a merged first-column
        // cell); prose after a table stands apart by a paragraph gap.
        if l.segments.len() == 1 && (l.bbox.x0 > left + TRAILING_INDENT_PT || gap <= TRAILING_GAP_PITCHES * pitch) {
            e += 1;
        } else {
            break;
        }
    }
    e
}

/// Column edges of a run of lines: gutters nobody's words cover, and left edges many lines share.
fn column_edges(lines: &[Line<'_>]) -> Vec<f32> {
    let x0 = lines.iter().map(|l| l.bbox.x0).fold(f32::MAX, f32::min);
    let x1 = lines.iter().map(|l| l.bbox.x1).fold(f32::MIN, f32::max);
    // Coverage of x by the words of multi-segment lines. Spaces inside wrapped text fall at
    // different places on each line; gutters between columns line up, so they stay (almost)
    // uncovered. A few lines may cross a gutter (group rows, titles): tolerate them.
    let width = (x1 - x0).ceil().max(1.0) as usize + 1;
    let mut cover = vec![0u32; width];
    let multi: Vec<&Line<'_>> = lines.iter().filter(|l| l.segments.len() >= 2).collect();
    for l in &multi {
        for w in &l.words {
            let a = ((w.bbox.x0 - x0).floor().max(0.0)) as usize;
            let b = ((w.bbox.x1 - x0).ceil() as usize).min(width - 1);
            for c in cover.iter_mut().take(b + 1).skip(a) {
                *c += 1;
            }
        }
    }
    // With few lines, a stripe crossed by one line is as likely a chance alignment of spaces.
    let tol = ((multi.len() as f32) * GUTTER_TOLERANCE - 1.0).floor().max(0.0) as u32;
    // Text in these tables is left-aligned, so a column's left edge is crisp and its right
    // edge ragged: put each boundary just before the next column's text starts.
    let mut edges = vec![x0];
    let mut i = 0;
    while i < width {
        if cover[i] <= tol {
            let s = i;
            while i < width && cover[i] <= tol {
                i += 1;
            }
            if (i - s) as f32 >= MIN_GUTTER_PT && s > 0 && i < width {
                edges.push(x0 + i as f32 - EDGE_BEFORE_TEXT_PT);
            }
        } else {
            i += 1;
        }
    }
    edges.push(x1);
    merge_alignment_edges(&mut edges, lines, x0);
    edges
}

/// Column edges of the text inside a box (for tables ruled with horizontal lines only).
pub(crate) fn column_edges_in(layout: &PageLayout, area: &BBox) -> Vec<f32> {
    let used: Vec<bool> = layout.words.iter().map(|w| !area.contains_point(w.bbox.cx(), w.bbox.cy(), 0.0)).collect();
    let lines = free_lines(layout, &used);
    if lines.is_empty() {
        return Vec::new();
    }
    let mut edges = column_edges(&lines);
    drop_empty_columns(&mut edges, &lines);
    merge_heading_only_columns(&mut edges, &lines);
    edges
}

/// A block of lines as a table, in named steps: its columns (from text edges, a ruled table's or
/// a borderless one's above, and fills), its rows (where paragraphs start, bold lines, fills),
/// then its cells. None where fewer than two columns are found.
fn build<'a>(layout: &PageLayout, lines: &[Line<'a>], ruled_edges: &[Vec<f32>], above: &[Vec<f32>]) -> Option<Table> {
    let mut edges = column_edges(lines);
    let mut confirmed = Vec::new();
    let mut from_above = Vec::new();
    let found = match ruled_columns(&mut edges, lines, ruled_edges, &mut confirmed) {
        Some(l) => Some(l),
        // No ruled table above: the columns of a borderless one above, where they line up.
        // (Its edges are kept like a ruled table's, but the lines are not below rules.)
        None if confirmed.is_empty() => ruled_columns(&mut edges, lines, above, &mut from_above),
        None => None,
    };
    let lines = found.as_deref().unwrap_or(lines);
    // The ruled table's columns stand, however sparse this block's text in one of them.
    // Lines with a ruled table's columns continue it, below its last rule.
    let below_rules = !confirmed.is_empty();
    settle_columns(layout, &mut edges, lines, confirmed, from_above);
    let edges = edges;
    let cols = edges.len() - 1;
    if cols < 2 {
        return None;
    }
    let resplit = split_at_aligned_starts(lines, &edges);
    let lines = resplit.as_deref().unwrap_or(lines);
    let crosses = |l: &Line<'_>| l.segments.iter().any(|s| edges[1..cols].iter().any(|e| super::runs_across(s.x0, s.x1, *e)));
    let starts = all_row_starts(layout, lines, &edges, &crosses, below_rules);
    let (mut cells, mut row_edges) = cells_of_rows(layout, lines, &edges, &starts);
    drop_title_rows(&mut cells, &mut row_edges);
    let rows = row_edges.len() - 1;
    let bbox = BBox::new(edges[0], row_edges[0], edges[cols], row_edges[rows]);
    let header_rows = count_header_rows(&cells, rows).max(1).min(rows);
    Some(Table { page: layout.page, index: 0, kind: TableKind::Borderless, bbox, col_edges: edges, row_edges, cells, header_rows, continues: None })
}

/// The column edges found from text, settled by the evidence round them: a column of status
/// fills beside the text, fill edges, empty and heading-only columns, and the edges of a ruled
/// (`confirmed`) or borderless (`from_above`) table above, which stand.
fn settle_columns(layout: &PageLayout, edges: &mut Vec<f32>, lines: &[Line<'_>], mut confirmed: Vec<f32>, from_above: Vec<f32>) {
    // Cell fills (a filled header, a column of status colours) show the columns exactly.
    let mut area = BBox::new(edges[0], lines[0].bbox.y0, *edges.last().expect("two ends"), lines[lines.len() - 1].bbox.y1);
    // A column of status colours beside the text, most of them holding no words (a page with
    // no header over them): the table's first or last column.
    let (left, right) = super::fills::fill_columns_beside(layout, &area);
    if let Some(x) = left {
        edges.insert(0, x);
        area.x0 = x;
    }
    if let Some(x) = right {
        edges.push(x);
        area.x1 = x;
    }
    super::fills::snap_to_fills(edges, layout, &area);
    drop_empty_columns(edges, lines);
    merge_heading_only_columns(edges, lines);
    // (Edges from a borderless table above were found from text: a centred column's may still
    // move, as this table's own do.)
    let ruled_confirmed = confirmed.clone();
    confirmed.extend(from_above);
    for e in &confirmed {
        if !edges.iter().any(|x| (x - e).abs() <= SAME_COLUMN_EDGE_PT) && *e > edges[0] && *e < edges[edges.len() - 1] {
            edges.push(*e);
        }
    }
    edges.sort_by(f32::total_cmp);
    // A text edge that now bounds an empty column beside a ruled one (the start of centred
    // words a little inside the ruled column) goes.
    let is_confirmed = |x: f32| confirmed.iter().any(|e| (e - x).abs() <= SAME_EDGE_PT);
    let mut c = 1;
    while c + 1 < edges.len() {
        let (a, b) = (edges[c - 1], edges[c]);
        let empty = column_is_empty(lines, a, b);
        if empty && is_confirmed(a) && !is_confirmed(b) {
            edges.remove(c);
        } else if empty && is_confirmed(b) && !is_confirmed(a) && c > 1 {
            edges.remove(c - 1);
        } else {
            c += 1;
        }
    }
    widen_for_centred_text(edges, lines, &ruled_confirmed);
}

/// Which lines start a row, from every kind of evidence.
fn all_row_starts(layout: &PageLayout, lines: &[Line<'_>], edges: &[f32], crosses: &dyn Fn(&Line<'_>) -> bool, below_rules: bool) -> Vec<bool> {
    // Rows start where a paragraph starts in the anchor column (the leftmost column that starts
    // about as many paragraphs as any): a merged cell's text may flow across rows, the anchor
    // column's does not. If its lines are evenly spaced, every line is a row, as tabula and
    // camelot read such tables. A line whose text runs across a gutter (a group row) is a row
    // of its own.
    let mut starts = row_starts(lines, edges, crosses, below_rules);
    // A line set all in bold between lines that are not (a group heading between rows, set in
    // the activity column only, the rows spaced evenly round it) is a row of its own.
    let all_bold = |l: &Line<'_>| !l.words.is_empty() && l.words.iter().all(|w| w.bold);
    for k in 1..lines.len() {
        if all_bold(&lines[k]) != all_bold(&lines[k - 1]) {
            starts[k] = true;
        }
    }
    // Fills show rows too: each status colour down a column, each band of zebra shading, is one
    // row, so the first line inside one starts a row (tight tables, where spacing cannot tell).
    let (x0, x1) = (edges[0], edges[edges.len() - 1]);
    for top in super::fills::fill_row_tops(layout, x0, x1, lines[0].bbox.y0 - super::fills::AREA_SLACK_PT, lines[lines.len() - 1].bbox.y1 + super::fills::AREA_SLACK_PT) {
        if let Some(k) = lines.iter().position(|l| l.bbox.cy() > top && l.bbox.y0 >= top - super::fills::AREA_SLACK_PT) {
            if !crosses(&lines[k]) {
                starts[k] = true;
            }
        }
    }
    // And the first line below a band filled across the table ends the band's row (a header).
    for (top, bottom) in
        super::fills::fill_band_bottoms(layout, x0, x1, lines[0].bbox.y0 - super::fills::AREA_SLACK_PT, lines[lines.len() - 1].bbox.y1 + super::fills::AREA_SLACK_PT)
    {
        if let Some(k) = lines.iter().position(|l| l.bbox.y0 >= bottom - EDGE_SLACK_PT) {
            if k > 0 && lines[k - 1].bbox.cy() > top && lines[k - 1].bbox.cy() < bottom {
                starts[k] = true;
            }
        }
    }
    starts
}

/// The lines grouped into rows at their starts, and each row cut into cells at the column edges
/// (columns joined where a segment of text runs across a gutter). Returns the cells and the row
/// edges (one more than the rows).
fn cells_of_rows(layout: &PageLayout, lines: &[Line<'_>], edges: &[f32], starts: &[bool]) -> (Vec<Cell>, Vec<f32>) {
    let cols = edges.len() - 1;
    let mut row_groups: Vec<Vec<usize>> = Vec::new();
    for (k, _) in lines.iter().enumerate() {
        if starts[k] || row_groups.is_empty() {
            row_groups.push(vec![k]);
        } else {
            row_groups.last_mut().expect("checked non-empty").push(k);
        }
    }
    let mut row_edges = Vec::with_capacity(row_groups.len() + 1);
    for g in &row_groups {
        let top = g.iter().map(|i| lines[*i].bbox.y0).fold(f32::MAX, f32::min);
        row_edges.push(top);
    }
    let bottom = lines.iter().map(|l| l.bbox.y1).fold(f32::MIN, f32::max);
    row_edges.push(bottom);
    let mut cells = Vec::new();
    for (r, g) in row_groups.iter().enumerate() {
        let words: Vec<&Word> = g.iter().flat_map(|i| lines[*i].words.iter().copied()).collect();
        // Columns joined in this row: a segment running across a gutter joins them.
        let mut starts: Vec<usize> = (0..cols).collect();
        for i in g {
            for s in &lines[*i].segments {
                for (k, e) in edges[1..cols].iter().enumerate() {
                    if super::runs_across(s.x0, s.x1, *e) {
                        starts.retain(|c| *c != k + 1);
                    }
                }
            }
        }
        for (n, &c0) in starts.iter().enumerate() {
            let c1 = starts.get(n + 1).copied().unwrap_or(cols);
            let (left, right) = (edges[c0], edges[c1]);
            let cw: Vec<&Word> = words.iter().copied().filter(|w| w.bbox.cx() >= left && w.bbox.cx() < right + SAME_EDGE_PT).collect();
            cells.push(Cell::of_words(layout, (r, c0), (1, c1 - c0), BBox::new(left, row_edges[r], right, row_edges[r + 1]), &cw));
        }
    }
    (cells, row_edges)
}

/// A title printed just above the table (one cell across it) is not part of it: such first rows
/// go, while more than two rows stay.
fn drop_title_rows(cells: &mut Vec<Cell>, row_edges: &mut Vec<f32>) {
    while row_edges.len() - 1 > 2 {
        let first: Vec<&Cell> = cells.iter().filter(|c| c.row == 0 && !c.text.trim().is_empty()).collect();
        if first.len() == 1 && first[0].col_span > 1 {
            cells.retain(|c| c.row != 0);
            for c in cells.iter_mut() {
                c.row -= 1;
            }
            row_edges.remove(0);
        } else {
            break;
        }
    }
}

/// Entries running across a column edge from a column holding only its heading that show the
/// two columns are one centred column.
const CENTRED_ENTRIES_MIN: usize = 3;

/// Moves a column's left edge left to the start of the text that runs across it from the
/// gutter: a centred column (a status) has its edge found where most of its words start, and
/// its longer entries ("Completed - ongoing", its heading) start left of that. Such a segment
/// would read as one joining two cells. It is moved only when the segment starts clear of the
/// column before (past the right end of every segment inside that column, by a gutter) and
/// lies mostly right of the edge: a group row running across starts in a column, not in a
/// gutter. Where the gutter was found as a column of its own (an edge where the longer entries
/// start, another where most do), holding nothing but the starts of those entries, the two
/// edges are one: the inner goes. Edges a ruled table confirmed stay. Segments starting at or
/// before the column before's edge (a band heading over two columns) are not the column's
/// entries, and a bold heading inside the column before does not bound its text.
fn widen_for_centred_text(edges: &mut Vec<f32>, lines: &[Line<'_>], confirmed: &[f32]) {
    let mut k = 1;
    while k + 1 < edges.len() {
        let e = edges[k];
        if confirmed.iter().any(|c| (c - e).abs() <= SAME_EDGE_PT) {
            k += 1;
            continue;
        }
        let segs = || lines.iter().flat_map(|l| l.segments.iter());
        // (A segment starting at or before the column before (a band heading over both, a title
        // or theme line across the table) says nothing of where this column's centred text
        // starts: that starts inside the column before, past its own text.)
        let crossing: Vec<&BBox> = segs().filter(|s| super::runs_across(s.x0, s.x1, e) && s.x0 > edges[k - 1] + WORD_EDGE_SLACK_PT).collect();
        let Some(start) = crossing.iter().map(|s| s.x0).reduce(f32::min) else {
            k += 1;
            continue;
        };
        let right_of_edge = crossing.iter().all(|s| s.cx() > e);
        // The segments inside the column before, and whether each is a bold heading.
        let bold = |l: &Line<'_>, s: &BBox| {
            let mut ws = l.words.iter().filter(|w| w.bbox.cx() >= s.x0 && w.bbox.cx() <= s.x1).peekable();
            ws.peek().is_some() && ws.all(|w| w.bold)
        };
        let inside: Vec<(f32, bool)> = lines
            .iter()
            .flat_map(|l| l.segments.iter().map(move |s| (l, s)))
            .filter(|(_, s)| s.x0 >= edges[k - 1] - WORD_EDGE_SLACK_PT && s.x1 <= e + super::CROSS_PT)
            .map(|(l, s)| (s.x1, bold(l, s)))
            .collect();
        let inside_left = inside.iter().map(|(x, _)| *x).reduce(f32::max);
        // (Not a bold heading: a band over this column and the one before, centred over both,
        // may end just short of this column's entries.)
        let plain_left = inside.iter().filter(|(_, b)| !b).map(|(x, _)| *x).reduce(f32::max);
        // A column holding no text of its own, only the starts of text running on past it (its
        // centred heading too, "RAG", perhaps mostly inside it), is part of the next; so is one
        // holding a single segment (its heading, set left while its entries are centred) where
        // several entries, centred (two in three or more starting clear of its left edge, where
        // left-aligned text set close to the next column's starts), run on past it.
        let clear = crossing.iter().filter(|s| s.x0 > edges[k - 1] + MIN_GUTTER_PT).count();
        let centred = clear >= CENTRED_ENTRIES_MIN && clear * 3 >= crossing.len() * 2;
        // (The first column too, when centred entries show it: a first column left empty is
        // not crossed by text starting inside it.)
        if (k >= 2 || centred) && (inside_left.is_none() || (inside.len() == 1 && centred)) {
            edges.remove(k);
            continue;
        }
        if right_of_edge && start > plain_left.unwrap_or(edges[k - 1]) + MIN_GUTTER_PT {
            edges[k] = start - EDGE_BEFORE_TEXT_PT;
        }
        k += 1;
    }
}

/// Where the lines start words, point by point from `x0` (`width` points): every word after a
/// gap wider than a space or first on its line; apart, those after a gap no space makes (a
/// column of one-line entries, dates, beside long commentary starts a word on few of the
/// lines, but on most rows); and how many lines start at the block's left (its rows).
fn word_starts(lines: &[Line<'_>], x0: f32, width: usize) -> (Vec<u32>, Vec<u32>, u32) {
    let mut starts = vec![0u32; width];
    let mut wide = vec![0u32; width];
    let mut row_starts = 0u32;
    for l in lines {
        let mut prev_end = f32::MIN;
        if l.words.first().is_some_and(|w| w.bbox.x0 <= x0 + ALIGNED_START_PT) {
            row_starts += 1;
        }
        for w in &l.words {
            let gap = w.bbox.x0 - prev_end;
            if gap > ALIGN_GAP_EM * w.size_pt {
                let b = ((w.bbox.x0 - x0).round().max(0.0) as usize).min(width - 1);
                starts[b] += 1;
                if gap > WIDE_GAP_EM * w.size_pt && prev_end > f32::MIN {
                    wide[b] += 1;
                }
            }
            prev_end = w.bbox.x1;
        }
    }
    (starts, wide, row_starts)
}

/// Adds column edges where many lines start a word at the same x (left-aligned columns),
/// replacing gutter edges close to them.
fn merge_alignment_edges(edges: &mut Vec<f32>, lines: &[Line<'_>], x0: f32) {
    let x1 = *edges.last().expect("edges has both ends");
    let width = (x1 - x0).ceil().max(1.0) as usize + 2;
    let (starts, wide, row_starts) = word_starts(lines, x0, width);
    let threshold = (lines.len() as f32 * ALIGN_SHARE).max(ALIGN_MIN_LINES) as u32;
    // Lines starting at the table's left edge stand for its rows (the first column's entries).
    let wide_threshold = (row_starts as f32 * ROW_ALIGN_SHARE).max(ALIGN_MIN_LINES) as u32;
    let mut peaks: Vec<f32> = Vec::new();
    let mut wide_peaks: Vec<f32> = Vec::new();
    let mut i = 1;
    while i + 1 < width {
        let sum = starts[i - 1] + starts[i] + starts[i + 1];
        let wide_sum = wide[i - 1] + wide[i] + wide[i + 1];
        let peak = starts[i] >= starts[i - 1] && starts[i] >= starts[i + 1];
        if peak && sum >= threshold {
            let x = x0 + i as f32;
            if x > x0 + EDGE_INSIDE_MIN_PT && peaks.last().is_none_or(|p| x - p > PEAKS_APART_PT) {
                peaks.push(x);
            }
            i += 2;
        } else if peak && wide_sum >= wide_threshold {
            wide_peaks.push(x0 + i as f32);
            i += 2;
        } else {
            i += 1;
        }
    }
    // A column found only by its rows' starts is one no gutter or common edge showed at all:
    // it stands well clear of the others (a centred status column starts its words at several
    // x near its one edge).
    for w in wide_peaks {
        let clear = |e: f32| (w - EDGE_BEFORE_TEXT_PT - e).abs() > NEW_COLUMN_MIN_PT;
        if edges.iter().all(|e| clear(*e)) && peaks.iter().all(|p| clear(p - EDGE_BEFORE_TEXT_PT)) {
            peaks.push(w);
        }
    }
    // A heading row's cells show the columns too (a page with few rows under its header): a
    // bold line of several segments near the top whose segment starts where data words start
    // on at least two other lines.
    for l in lines.iter().take(HEADER_LINES).filter(|l| l.segments.len() >= 3 && l.words.iter().all(|w| w.bold)) {
        for seg in &l.segments[1..] {
            let b = ((seg.x0 - x0).round().max(0.0) as usize).min(width - 2);
            let near = starts[b.saturating_sub(1)] + starts[b] + starts[b + 1];
            let x = x0 + b as f32;
            let clear = |e: f32| (x - EDGE_BEFORE_TEXT_PT - e).abs() > NEW_COLUMN_MIN_PT / 2.0;
            if near >= HEADER_CONFIRM && edges.iter().all(|e| clear(*e)) && peaks.iter().all(|p| clear(p - EDGE_BEFORE_TEXT_PT)) {
                peaks.push(x);
            }
        }
    }
    peaks.sort_by(f32::total_cmp);
    if peaks.is_empty() {
        return;
    }
    let inner: Vec<f32> = edges[1..edges.len() - 1].iter().copied().filter(|e| peaks.iter().all(|p| (p - EDGE_BEFORE_TEXT_PT - e).abs() > SAME_COLUMN_EDGE_PT)).collect();
    let mut all: Vec<f32> = inner.into_iter().chain(peaks.iter().map(|p| p - EDGE_BEFORE_TEXT_PT)).collect();
    all.sort_by(f32::total_cmp);
    let first = edges[0];
    edges.clear();
    edges.push(first);
    edges.extend(all);
    edges.push(x1);
}

/// Each column's lines (those with text in it, lines running across a gutter left out), the
/// gaps between them and their usual pitch: the evidence rows are found from.
struct ColumnLines {
    /// Per column: the lines with text in it.
    lines: Vec<Vec<usize>>,
    /// Per column: the baseline gaps between those lines.
    gaps: Vec<Vec<f32>>,
    /// Per column: its wrapped-line pitch, where it has gaps.
    pitch: Vec<Option<f32>>,
    /// The least pitch of the columns with two gaps or more.
    table_pitch: Option<f32>,
}

impl ColumnLines {
    fn of(lines: &[Line<'_>], edges: &[f32], crosses: &dyn Fn(&Line<'_>) -> bool) -> ColumnLines {
        let cols = edges.len() - 1;
        let mut col_lines: Vec<Vec<usize>> = vec![Vec::new(); cols];
        for (k, l) in lines.iter().enumerate() {
            if crosses(l) {
                continue;
            }
            for (c, lines_here) in col_lines.iter_mut().enumerate() {
                if words_in_column(l, edges, c) > 0 {
                    lines_here.push(k);
                }
            }
        }
        // The wrapped-line pitch: each column's lower-quartile gap, the least of them (a column
        // of references, one line a row, has only row gaps; the commentary beside it wraps).
        // Where few cells wrap, most gaps are row gaps and the quartile is one, wider than
        // wrapped lines can be: the pitch is then the smallest gap that recurs
        // (`subrows::line_pitch`). (Not always that: a column's lines set a little off the
        // others' baselines, a date centred beside a long cell, make small gaps that recur too.)
        let gaps: Vec<Vec<f32>> = col_lines.iter().map(|ks| ks.windows(2).map(|w| lines[w[1]].baseline - lines[w[0]].baseline).collect()).collect();
        let pitch: Vec<Option<f32>> = gaps
            .iter()
            .zip(&col_lines)
            .map(|(g, ks)| {
                let mut s = g.clone();
                s.sort_by(f32::total_cmp);
                let size = ks.first().map_or(0.0, |k| lines[*k].size);
                s.get(s.len() / 4).map(|q| if size > 0.0 && *q > super::rhythm::LEADING_MAX * size { super::rhythm::line_pitch(&s, size) } else { *q })
            })
            .collect();
        let table_pitch = pitch.iter().zip(&gaps).filter(|(_, g)| g.len() >= 2).filter_map(|(q, _)| *q).reduce(f32::min);
        ColumnLines { lines: col_lines, gaps, pitch, table_pitch }
    }

    /// The lines of column `c` that start a paragraph (a gap wider than [`ROW_BREAK_PITCHES`]
    /// pitches above them), and whether there is any such gap.
    fn paragraph_starts(&self, c: usize, lines: &[Line<'_>]) -> (Vec<usize>, bool) {
        let ks = &self.lines[c];
        if ks.is_empty() {
            return (Vec::new(), false);
        }
        let own = self.pitch[c].unwrap_or(0.0);
        let pitch = self.table_pitch.map_or(own, |t| own.min(t)).max(lines[ks[0]].size * super::rhythm::LEADING_MIN);
        let mut out = vec![ks[0]];
        let mut uneven = false;
        for (i, g) in self.gaps[c].iter().enumerate() {
            if *g > ROW_BREAK_PITCHES * pitch {
                out.push(ks[i + 1]);
                uneven = true;
            }
        }
        (out, uneven)
    }

    /// Whether column `c` holds prose: two lines or more, of [`TAIL_PROSE_WORDS`] words a line.
    fn is_prose(&self, c: usize, lines: &[Line<'_>], edges: &[f32]) -> bool {
        let words: usize = self.lines[c].iter().map(|k| words_in_column(&lines[*k], edges, c)).sum();
        self.lines[c].len() >= 2 && words as f32 >= TAIL_PROSE_WORDS * self.lines[c].len() as f32
    }
}

/// Which lines start a new row (see `build`), in steps: each column's paragraphs, the anchor
/// column (the leftmost that starts about as many as any); then a grid of figures (every line a
/// row), evenly spaced lines ([`evenly_spaced_starts`]), or the anchor's paragraphs and the
/// entries of short-entry columns, with the ends of short lines in a list
/// ([`list_line_starts`]) and of bold heading rows.
/// `below_rules`: the lines continue a ruled table on the page (the same columns), below its
/// last rule.
fn row_starts(lines: &[Line<'_>], edges: &[f32], crosses: &dyn Fn(&Line<'_>) -> bool, below_rules: bool) -> Vec<bool> {
    let cols = edges.len() - 1;
    let cl = ColumnLines::of(lines, edges, crosses);
    let counts: Vec<(Vec<usize>, bool)> = (0..cols).map(|c| cl.paragraph_starts(c, lines)).collect();
    let max = counts.iter().map(|c| c.0.len()).max().unwrap_or(0);
    let anchor = (0..cols).find(|c| counts[*c].0.len() as f32 >= ANCHOR_SHARE * max as f32).unwrap_or(0);
    let (anchor_starts, uneven) = &counts[anchor];
    // A grid of figures: most lines fill most columns, so no line is the wrapped tail of
    // another; every line is a row.
    // (Not below a ruled table's rules where a column holds prose: the rows there are the
    // rows above, their cells wrapped side by side.)
    let prose = (0..cols).filter(|c| *c != anchor).any(|c| cl.is_prose(c, lines, edges));
    let full = cl.lines.iter().map(|ks| ks.len()).sum::<usize>();
    let filled_lines = (0..lines.len()).filter(|k| cl.lines.iter().filter(|ks| ks.contains(k)).count() as f32 >= FULL_LINE * cols as f32).count();
    // (Nor where a column holds prose and the anchor column's lines are set apart in
    // paragraphs: rows with their padding, their cells wrapped side by side; a grid of figures
    // has one gap throughout.)
    // (A grid of figures has no prose at all: where the anchor column is prose, set apart in
    // paragraphs, its lines are not each a row either.)
    if full > 0 && filled_lines as f32 >= FIGURE_LINES_SHARE * lines.len() as f32 && !((prose || cl.is_prose(anchor, lines, edges)) && (below_rules || *uneven)) {
        return vec![true; lines.len()];
    }
    // Columns of short entries (a status, a reference: at most two short lines each) start a
    // row with each entry, even where the rows are set without padding (Calc), so spacing
    // alone cannot tell a wrapped line from the next row.
    let short_entry_starts = short_entry_starts(lines, &cl.lines, edges);
    if !uneven && short_entry_starts.is_empty() {
        return evenly_spaced_starts(lines, edges, crosses, &cl.lines[anchor], prose, below_rules);
    }
    let mut starts = vec![false; lines.len()];
    for k in anchor_starts.iter().chain(&short_entry_starts) {
        starts[*k] = true;
    }
    list_line_starts(lines, (edges[anchor], edges[anchor + 1]), crosses, anchor_starts.len(), &mut starts);
    for (k, l) in lines.iter().enumerate() {
        if crosses(l) {
            starts[k] = true;
        }
        // The end of a bold heading row: the first plain line after it starts the next row.
        let bold = |l: &Line<'_>| l.words.iter().all(|w| w.bold);
        if k > 0 && bold(&lines[k - 1]) && !bold(l) {
            starts[k] = true;
        }
    }
    // Lines of other columns printed level with the anchor's first line belong to its row;
    // a row start moves up to the first line at the same baseline (already the case: lines
    // are whole baselines).
    starts
}

/// Row starts where the lines are evenly spaced: every line is a row (tabula and camelot read
/// such tables so, sparse first columns and all), except where the anchor column has text on
/// one or two lines only and the other cells wrap under it: one or two rows at the foot of a
/// page. Wrapping shows as a column of prose (several words a line); a grid of short entries
/// under a sparse first column is a row a line. Below a ruled table's last rule (the same
/// columns, rows that wrap above) the block may be long: one row's commentary.
fn evenly_spaced_starts(lines: &[Line<'_>], edges: &[f32], crosses: &dyn Fn(&Line<'_>) -> bool, anchor_lines: &[usize], prose: bool, below_rules: bool) -> Vec<bool> {
    // Below the rules, evenly spaced lines are one row cut by the page's end: the rules part
    // the rows above, and rows that share a band are set apart by their padding.
    let wraps = below_rules || (prose && lines.len() <= TAIL_MAX_LINES);
    if !below_rules && (!wraps || anchor_lines.len() > TAIL_MAX_ROWS || anchor_lines.len() * 2 >= lines.len()) {
        // Rows set with no padding (Calc): where prose wraps, a line whose every cell's first
        // word could not have ended the line above is that line's wrapping.
        return if prose { forced_wrap_starts(lines, edges, crosses) } else { vec![true; lines.len()] };
    }
    let mut starts = vec![false; lines.len()];
    starts[0] = true;
    if !below_rules {
        // (Not a line that goes on with a sentence of the line above in another column: the
        // anchor's own cell wrapped, "Quality / Housing" beside "Introduce the domestic abuse /
        // safe accommodation service".)
        for k in anchor_lines.iter().filter(|k| !continues_a_sentence(lines, edges, **k)) {
            starts[*k] = true;
        }
    }
    for (k, l) in lines.iter().enumerate() {
        if crosses(l) {
            starts[k] = true;
        }
    }
    starts
}

/// Whether line `k` goes on with a sentence of the line above: in some column with text on both,
/// its first word there begins in lower case (a new cell begins with a capital or a figure).
fn continues_a_sentence(lines: &[Line<'_>], edges: &[f32], k: usize) -> bool {
    use super::cells::{begins_lower, first_word_in};
    k > 0
        && (0..edges.len() - 1).any(|c| {
            let first = |l: &Line<'_>| first_word_in(l.words.iter().copied(), edges[c], edges[c + 1]).is_some_and(begins_lower);
            first_word_in(lines[k - 1].words.iter().copied(), edges[c], edges[c + 1]).is_some() && first(&lines[k])
        })
}

/// Wrapped text fills its column before it wraps: after a short line in the anchor column
/// (`al`..`ar`) the next anchor line is a new row, even at the ordinary line pitch (a list of
/// names). Only in a column of short entries (names, numbers); a column of wrapped prose has
/// short last lines, and its rows are already told apart by their spacing; and only where
/// spacing alone found few rows (`spaced_rows`) among many lines (a header over a uniform list).
fn list_line_starts(lines: &[Line<'_>], (al, ar): (f32, f32), crosses: &dyn Fn(&Line<'_>) -> bool, spaced_rows: usize, starts: &mut [bool]) {
    // Lines running across gutters (titles, group rows) say nothing about the column's width.
    let in_anchor = |l: &Line<'_>| -> Option<f32> {
        if crosses(l) {
            return None;
        }
        l.words.iter().filter(|w| w.bbox.cx() >= al && w.bbox.cx() < ar).map(|w| w.bbox.x1).fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
    };
    let text_right = lines.iter().filter_map(in_anchor).fold(al, f32::max);
    let mut rights: Vec<f32> = lines.iter().filter_map(in_anchor).collect();
    rights.sort_by(f32::total_cmp);
    let list_like = rights.get(rights.len() / 2).is_some_and(|m| *m < al + SHORT_LINE * (text_right - al)) && (spaced_rows as f32) < LIST_SPACED_MAX_SHARE * rights.len() as f32;
    if !list_like {
        return;
    }
    let mut prev_short = false;
    for (k, l) in lines.iter().enumerate() {
        if let Some(right) = in_anchor(l) {
            if prev_short {
                starts[k] = true;
            }
            prev_short = right < al + SHORT_LINE * (text_right - al);
        }
    }
}

/// Lines that start an entry in a column of short entries: every entry (lines at the usual
/// pitch) has at most [`SHORT_ENTRY_LINES`] lines of at most [`SHORT_ENTRY_WORDS`] words, and
/// there are at least three entries.
fn short_entry_starts(lines: &[Line<'_>], col_lines: &[Vec<usize>], edges: &[f32]) -> Vec<usize> {
    let mut gaps: Vec<f32> = col_lines.iter().flat_map(|ks| ks.windows(2).map(|w| lines[w[1]].baseline - lines[w[0]].baseline)).filter(|g| *g > SAME_BASELINE_PT).collect();
    if gaps.len() < 4 {
        return Vec::new();
    }
    gaps.sort_by(f32::total_cmp);
    let pitch = gaps[gaps.len() / 4];
    let mut out = Vec::new();
    for (c, ks) in col_lines.iter().enumerate() {
        if ks.len() < 3 {
            continue;
        }
        let words_in = |k: usize| words_in_column(&lines[k], edges, c);
        let mut entries: Vec<Vec<usize>> = Vec::new();
        for (i, k) in ks.iter().enumerate() {
            if i == 0 || lines[*k].baseline - lines[ks[i - 1]].baseline > ROW_BREAK_PITCHES * pitch {
                entries.push(vec![*k]);
            } else {
                entries.last_mut().expect("started").push(*k);
            }
        }
        let short = entries.iter().all(|e| e.len() <= SHORT_ENTRY_LINES && e.iter().all(|k| words_in(*k) <= SHORT_ENTRY_WORDS));
        if short && entries.len() >= 3 {
            out.extend(entries.iter().skip(1).map(|e| e[0]));
        }
    }
    out
}

/// Which lines of evenly spaced rows start a row, by how text wraps: a cell's text breaks a line
/// only where the next word would not fit. A line goes on from the line above when in every
/// column where it has words the line above has words too and the first of them would not have
/// fitted after them (within the column's widest line); else it starts a row.
fn forced_wrap_starts(lines: &[Line<'_>], edges: &[f32], crosses: &dyn Fn(&Line<'_>) -> bool) -> Vec<bool> {
    let cols = edges.len() - 1;
    let in_col = |l: &Line<'_>, c: usize| -> Vec<(f32, f32, f32)> {
        let mut ws: Vec<(f32, f32, f32)> = l.words.iter().filter(|w| w.bbox.cx() >= edges[c] && w.bbox.cx() < edges[c + 1]).map(|w| (w.bbox.x0, w.bbox.x1, w.size_pt)).collect();
        ws.sort_by(|a, b| a.0.total_cmp(&b.0));
        ws
    };
    // Each column's right end: the furthest any line's text reaches in it.
    let right: Vec<f32> = (0..cols).map(|c| lines.iter().filter(|l| !crosses(l)).flat_map(|l| in_col(l, c)).map(|w| w.1).fold(f32::MIN, f32::max)).collect();
    let mut starts = vec![true; lines.len()];
    for k in 1..lines.len() {
        if crosses(&lines[k]) || crosses(&lines[k - 1]) {
            continue;
        }
        let mut any = false;
        let mut wraps = true;
        for (c, &right_c) in right.iter().enumerate() {
            let here = in_col(&lines[k], c);
            let Some(first) = here.first() else { continue };
            let above = in_col(&lines[k - 1], c);
            let Some(last) = above.last() else {
                wraps = false;
                break;
            };
            any = true;
            let space = SPACE_EM * first.2;
            if last.1 + space + (first.1 - first.0) <= right_c + WORD_EDGE_SLACK_PT {
                wraps = false;
                break;
            }
        }
        if any && wraps {
            starts[k] = false;
        }
    }
    starts
}

/// An entry of a short-entry column has at most this many lines ("Significant / delay").
const SHORT_ENTRY_LINES: usize = 2;
/// ... of at most this many words ("Completed - ongoing").
const SHORT_ENTRY_WORDS: usize = 3;

/// A column with words only in the first few lines is a heading over the column beside it
/// ("Clave" left-aligned over right-aligned codes): join it to that column.
fn merge_heading_only_columns(edges: &mut Vec<f32>, lines: &[Line<'_>]) {
    let head = (lines.len() / 6).max(3);
    // Only in a grid of figures: in a table of prose a column may well have words in one row only.
    let cols0 = edges.len() - 1;
    let filled = lines
        .iter()
        .filter(|l| (0..cols0).filter(|c| l.words.iter().any(|w| w.bbox.cx() >= edges[*c] && w.bbox.cx() < edges[*c + 1])).count() as f32 >= FULL_LINE * (cols0 as f32 - 1.0))
        .count();
    if (filled as f32) < FIGURE_LINES_SHARE * lines.len() as f32 {
        return;
    }
    loop {
        let cols = edges.len() - 1;
        if cols < 3 || lines.len() < 8 {
            return;
        }
        let used_in = |c: usize| -> Vec<usize> { (0..lines.len()).filter(|k| lines[*k].words.iter().any(|w| w.bbox.cx() >= edges[c] && w.bbox.cx() < edges[c + 1])).collect() };
        let mut merged = false;
        for c in 0..cols {
            let ks = used_in(c);
            if ks.iter().all(|k| *k < head) {
                let right_has_data = c + 1 < cols && used_in(c + 1).iter().any(|k| *k >= head);
                // Remove the edge between this column and its neighbour (the right one if it
                // holds the figures, else the left one).
                let edge = if right_has_data || c == 0 { c + 1 } else { c };
                edges.remove(edge);
                merged = true;
                break;
            }
        }
        if !merged {
            return;
        }
    }
}

/// How many of the line's words have their centre in column `c` of `edges`.
fn words_in_column(line: &Line<'_>, edges: &[f32], c: usize) -> usize {
    line.words.iter().filter(|w| w.bbox.cx() >= edges[c] && w.bbox.cx() < edges[c + 1]).count()
}

/// Whether no word of the lines has its centre in `[a, b)`.
fn column_is_empty(lines: &[Line<'_>], a: f32, b: f32) -> bool {
    !lines.iter().any(|l| l.words.iter().any(|w| w.bbox.cx() >= a && w.bbox.cx() < b))
}

/// Removes columns no word falls in (an alignment edge and a gutter edge a little apart).
fn drop_empty_columns(edges: &mut Vec<f32>, lines: &[Line<'_>]) {
    let mut c = 0;
    while c + 1 < edges.len() && edges.len() > 3 {
        if column_is_empty(lines, edges[c], edges[c + 1]) {
            // Keep the outer edges of the table.
            let idx = if c == 0 { 1 } else { c };
            edges.remove(idx);
        } else {
            c += 1;
        }
    }
}
