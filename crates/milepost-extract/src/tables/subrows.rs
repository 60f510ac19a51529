//! Rows inside a ruled band: tables whose rules are drawn only between blocks of rows (under a
//! merged outcome cell), or only around the header, hold several rows between two rules.
//!
//! In: a page's layout, a table's row edges (rules) and column edges. Out: the row edges with
//! "soft" edges added where a new row starts inside a band, and for each soft edge the columns
//! whose text flows across it (a merged cell, kept whole).
//!
//! The evidence for a row start inside a band: in at least two columns a paragraph starts at
//! the same height (cells of one row are top-aligned, so the status, the date and the activity
//! of the next row all begin level). A paragraph starts after a gap wider than
//! [`PARAGRAPH_GAP_PITCHES`] line pitches, where bold or italic text gives way to plain (a header
//! over the first row when no rule is drawn under it, a group heading over its first row), or
//! at the band's top. A single column with two
//! paragraphs (commentary in two parts) is not a new row, unless two other columns begin a new
//! cell there with no gap (a Word table with no cell padding: [`abuts_elsewhere`]).
//!
//! Not here: the rules themselves (`ruled`); tables with no rules (`borderless`).

use super::rhythm::line_pitch;
use crate::layout::{PageLayout, TextLine};

/// A gap between two lines of one column wider than this many line pitches starts a paragraph:
/// rows add cell padding above and below (Writer 0.1 cm, Chromium 4 px, ReportLab 3 pt), a
/// wrapped line does not (measured on the synth set: 1.4–2.5 pitches between rows, 1.0 inside).
const PARAGRAPH_GAP_PITCHES: f32 = 1.3;
/// A gap this many font sizes wider than the pitch also starts a paragraph: browsers round each
/// line box to whole pixels, so one band's wrapped lines are 16 or 17 px apart and its rows 22 px
/// (Chromium, 10.5 pt: 12.0 / 12.75 / 16.5 pt). Measured from a 12.75 pitch the row gap is 1.29
/// pitches, under [`PARAGRAPH_GAP_PITCHES`]; the smallest cell padding seen (Chromium 3 px a side)
/// adds 0.43 sizes, pixel rounding at most 0.07.
const PARAGRAPH_GAP_SIZES: f32 = 0.3;
/// Paragraph starts in different columns within this share of a pitch are level.
const LEVEL_PITCHES: f32 = 0.4;
/// A line reaching this little past a row edge is still on its side of it (a descender, an
/// accent, rounding), not printed across it.
const EDGE_OVERLAP_PT: f32 = 0.5;
/// Positions within this are one (a line's baseline and the next's on one line; an edge at a
/// band's own top or bottom).
const SAME_BASELINE_PT: f32 = 1.0;
/// A fill's top or a band's bottom marks a row only this far inside the band (a fill flush
/// with the band's rule is the band's own).
const BAND_INSIDE_PT: f32 = 2.0;
/// Row edges closer than this many line pitches are one edge (a fill's top just above the
/// first line of the row it marks).
const SAME_ROW_EDGE_PITCHES: f32 = 0.5;
/// The same number carried from one list to another (no measurement).
const SAME_NUMBER_PT: f32 = 0.01;
/// Columns that must start a paragraph level with each other for a new row.
const MIN_ALIGNED_COLUMNS: usize = 2;

/// One line of text inside one column of a band.
#[derive(Debug, Clone, Copy)]
struct ColLine {
    top: f32,
    bottom: f32,
    baseline: f32,
    /// All its words bold (a header line, a heading).
    bold: bool,
    /// All its words italic (a group heading).
    italic: bool,
    /// Its largest font size, in points.
    size: f32,
    /// The left and right of its words in the column, and the width of its first word.
    x0: f32,
    x1: f32,
    first_w: f32,
    /// Its words in the column.
    words: usize,
    /// Its first word starts with a capital letter or a digit (a cell's text starts so; a
    /// wrapped line mostly does not).
    starts_capital: bool,
    /// Its last word ends a sentence ("businesses.", "?"): a cell's text may end there.
    ends_sentence: bool,
}

impl ColLine {
    /// Whether two lines are set alike (weight and slant): a change of style between lines of
    /// one column starts a paragraph.
    fn same_style(&self, other: &ColLine) -> bool {
        self.bold == other.bold && self.italic == other.italic
    }
}

/// The lines of column `[x0, x1)` between `y0` and `y1`.
fn column_lines(layout: &PageLayout, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<ColLine> {
    column_lines_of(layout, lines_between(layout, y0, y1), x0, x1)
}

/// The lines of the page whose middles are between `y0` and `y1`.
fn lines_between(layout: &PageLayout, y0: f32, y1: f32) -> impl Iterator<Item = &TextLine> {
    layout.lines.iter().filter(move |l| !(l.bbox.cy() <= y0 || l.bbox.cy() >= y1))
}

/// [`column_lines`] among `lines` (a band's, found once for all its columns).
fn column_lines_of<'a>(layout: &PageLayout, lines: impl Iterator<Item = &'a TextLine>, x0: f32, x1: f32) -> Vec<ColLine> {
    let mut out: Vec<ColLine> = Vec::new();
    for l in lines {
        let mut found: Option<ColLine> = None;
        for w in &l.words {
            let w = &layout.words[*w];
            if w.bbox.cx() >= x0 && w.bbox.cx() < x1 {
                let f = found.get_or_insert(ColLine {
                    top: w.bbox.y0,
                    bottom: w.bbox.y1,
                    baseline: w.baseline,
                    bold: true,
                    italic: true,
                    size: w.size_pt,
                    x0: w.bbox.x0,
                    x1: w.bbox.x1,
                    first_w: w.bbox.width(),
                    words: 0,
                    starts_capital: w.text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
                    ends_sentence: false,
                });
                if w.bbox.x1 >= f.x1 {
                    f.ends_sentence = w.text.ends_with(['.', '!', '?']);
                }
                f.words += 1;
                f.x0 = f.x0.min(w.bbox.x0);
                f.size = f.size.max(w.size_pt);
                f.x1 = f.x1.max(w.bbox.x1);
                f.top = f.top.min(w.bbox.y0);
                f.bottom = f.bottom.max(w.bbox.y1);
                f.bold &= w.bold;
                f.italic &= w.italic;
            }
        }
        if let Some(f) = found {
            out.push(f);
        }
    }
    out.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    out
}

/// Whether the text of column `[x0, x1)` runs across the row edge at `edge` (between `y0` and
/// `y1`): a line just above it and one just below, no paragraph gap between them.
pub(crate) fn flows_across(layout: &PageLayout, x0: f32, x1: f32, edge: f32, y0: f32, y1: f32) -> bool {
    let ls = column_lines(layout, x0, x1, y0, y1);
    // No pitch measured here: a line's own height stands in for it.
    lines_flow(&ls, edge, None)
}

/// Whether column `[x0, x1)` holds text on both sides of `edge` (between `y0` and `y1`) that
/// does not run on across it: two cells' text, not one merged cell's. A rule drawn under only
/// some columns (under a band over two headings) still ends the other columns' cells there
/// when their text says so.
pub(crate) fn separate_across(layout: &PageLayout, x0: f32, x1: f32, edge: f32, y0: f32, y1: f32) -> bool {
    let ls = column_lines(layout, x0, x1, y0, y1);
    // A line printed across the edge (a merged cell's text centred over two rows) is one cell.
    if ls.iter().any(|l| l.top < edge - EDGE_OVERLAP_PT && l.bottom > edge + EDGE_OVERLAP_PT) {
        return false;
    }
    let above = ls.iter().any(|l| l.bottom <= edge + EDGE_OVERLAP_PT);
    let below = ls.iter().any(|l| l.top >= edge - EDGE_OVERLAP_PT);
    above && below && !lines_flow(&ls, edge, None)
}

/// Whether the paragraph starting at `y` in the columns `cs` is a heading set alone between
/// rows: a theme written as a bold line, a group as an italic one, with nothing of any other
/// column level with it (cells of one row start level; a heading row holds only its heading),
/// bold, italic or larger than the body, in one style. Such a line is a row of its own though
/// it starts in one column: a theme left at the foot of a page, its rows on the next.
fn heading_alone(lines: &[Vec<ColLine>], y: f32, cs: &[usize], pitch: f32, body_size: f32) -> bool {
    let mut level = lines.iter().enumerate().flat_map(|(c, ls)| ls.iter().map(move |l| (c, l))).filter(|(_, l)| (l.baseline - y).abs() <= LEVEL_PITCHES * pitch);
    let Some((c0, first)) = level.next() else { return false };
    let styled = |l: &ColLine| l.bold || l.italic || l.size > HEADING_SIZE_RATIO * body_size;
    cs.contains(&c0) && styled(first) && level.all(|(c, l)| cs.contains(&c) && l.same_style(first) && styled(l))
}

/// A line this many times the body size or more stands out as a heading, bold or not.
const HEADING_SIZE_RATIO: f32 = 1.1;

/// Whether the lines of one column run on across `edge`: a line just above and one just below,
/// no paragraph gap between them (`pitch`, else the upper line's height), and the same weight and
/// slant (a bold heading over plain text is a header over data, an italic line over plain a
/// group heading over its first row, not one cell).
fn lines_flow(ls: &[ColLine], edge: f32, pitch: Option<f32>) -> bool {
    let above = ls.iter().rfind(|l| l.bottom <= edge + EDGE_OVERLAP_PT);
    let below = ls.iter().find(|l| l.top >= edge - EDGE_OVERLAP_PT);
    match (above, below) {
        (Some(a), Some(b)) => {
            let gap = b.baseline - a.baseline;
            let wide = match pitch {
                Some(p) => paragraph_gap(gap, p, a.size),
                None => gap > PARAGRAPH_GAP_PITCHES * (a.bottom - a.top),
            };
            !wide && a.same_style(b)
        }
        _ => false,
    }
}

/// A paragraph start in one column alone, in a Word table whose cells have no padding (the
/// activity of one line beside a lead, a date and a status of two lines each; or a status of
/// one line beside an activity, a lead and a date that fill their rows): a new row when, level
/// with it, at least [`ABUTTING_COLUMNS`] other columns begin a line that would have fitted on
/// the line above (so began a new cell, though no gap shows it), and a column of wrapped text
/// is among them or is the one with the paragraph start. A date's writer-broken second line
/// may fit on its first, so short entries alone are not enough; a second paragraph inside one
/// cell has no new cells beside it.
fn abuts_elsewhere(lines: &[Vec<ColLine>], y: f32, cs: &[usize], xs: &[f32], pitch: f32) -> bool {
    if cs.len() != 1 {
        return false;
    }
    let abutting: Vec<usize> = (0..lines.len())
        .filter(|c| *c != cs[0])
        .filter(|c| {
            let ls = &lines[*c];
            let right = if short_entries(ls) { entries_right(ls, xs[*c], xs[*c + 1]) } else { wrap_right(ls) };
            ls.iter().position(|l| (l.baseline - y).abs() <= LEVEL_PITCHES * pitch).is_some_and(|k| k > 0 && ends_short(ls, k, right))
        })
        .collect();
    let wrapped = !short_entries(&lines[cs[0]]) || abutting.iter().any(|c| !short_entries(&lines[*c]));
    abutting.len() >= ABUTTING_COLUMNS && wrapped
}

/// Columns beside a lone paragraph start that must show a new cell for a row: see
/// [`abuts_elsewhere`].
const ABUTTING_COLUMNS: usize = 2;

/// Whether a gap between the baselines of two lines of one column (the upper set in `size`
/// points) starts a paragraph, where wrapped lines are `pitch` apart.
fn paragraph_gap(gap: f32, pitch: f32, size: f32) -> bool {
    gap > PARAGRAPH_GAP_PITCHES * pitch || (size > 0.0 && gap > pitch + PARAGRAPH_GAP_SIZES * size)
}

/// Row edges of a band split where rows start inside it; each added edge comes with the
/// columns whose text runs across it.
pub(crate) struct BandSplit {
    /// All row edges, top to bottom (the band's own edges included).
    pub edges: Vec<f32>,
    /// For each row after the first: `None` when a rule separates it from the row above, else
    /// the columns (true) whose text flows across the soft edge.
    pub soft: Vec<Option<Vec<bool>>>,
    /// For each row, the band of `ys` it lies in.
    pub band: Vec<usize>,
}

/// Whether a column holds short entries only (dates, names: a few words a line): such a column
/// breaks its lines where its writer did, not where the width ran out.
fn short_entries(ls: &[ColLine]) -> bool {
    ls.iter().all(|l| l.words <= SHORT_ENTRY_WORDS)
}

/// The right of a column's longest line: the width its text wraps at.
fn wrap_right(ls: &[ColLine]) -> f32 {
    ls.iter().map(|l| l.x1).fold(f32::MIN, f32::max)
}

/// Where a column of short entries would wrap: its right edge less the padding its text keeps
/// from its left edge (cells are padded alike on both sides). Its longest line says nothing of
/// its width: its writer broke its lines ("31 December" / "2024"), not the width. A column of
/// wrapped text wraps at its longest line ([`wrap_right`]).
fn entries_right(ls: &[ColLine], left: f32, right: f32) -> f32 {
    let pad = ls.iter().map(|l| l.x0).fold(f32::MAX, f32::min) - left;
    (right - pad.max(0.0)).max(wrap_right(ls))
}

/// Whether line `k` of a column follows a line that ended short: its first word and a space
/// would have fitted on the line above, so it was not wrapped there but began a new cell.
fn ends_short(ls: &[ColLine], k: usize, right: f32) -> bool {
    k > 0 && ls[k - 1].x1 + FIT_SPACE_EMS * ls[k].size + ls[k].first_w <= right + FIT_SLACK_PT
}

/// Whether line `k` of a column begins a sentence after one that ended the line above (a cell's
/// last line may be full, so it need not have ended short).
fn after_sentence(ls: &[ColLine], k: usize) -> bool {
    k > 0 && ls[k - 1].ends_sentence && ls[k].starts_capital
}

/// Row starts in a band with no paragraph gaps, found by where lines end short (see
/// `split_bands`): each column's wrap width is the right of its longest line.
fn fitted_row_starts(lines: &[Vec<ColLine>], band_top: f32, pitch: f32, strict_tight: bool) -> Vec<f32> {
    // The test is asked of the columns of wrapped text only.
    let short: Vec<bool> = lines.iter().map(|ls| short_entries(ls)).collect();
    let anchor = (0..lines.len()).find(|c| !short[*c] && !lines[*c].is_empty());
    let mut ys: Vec<f32> = lines.iter().flatten().filter(|l| !l.bold && l.baseline > band_top + LEVEL_PITCHES * pitch).map(|l| l.baseline).collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() <= LEVEL_PITCHES * pitch);
    let mut out = Vec::new();
    for y in ys {
        let mut level = 0;
        let mut all_short = true;
        // At least one column of wrapped text must show the new cell: its line there ends a
        // short line above, or begins its text in the band (level lines in short-entry columns
        // alone are a date's and a status's lines set side by side in one row).
        let mut shown = false;
        // Whether a line followed a sentence's end rather than a short line, and whether a column
        // of short entries (a date, a status, a lead) has a line level with it.
        let (mut by_sentence, mut short_level) = (false, false);
        for (c, ls) in lines.iter().enumerate() {
            let Some(k) = ls.iter().position(|l| (l.baseline - y).abs() <= LEVEL_PITCHES * pitch) else { continue };
            level += 1;
            if short[c] {
                short_level = true;
                continue;
            }
            // The line above in this column, if any, must have ended short, or ended a sentence
            // with this line beginning another (a cell's last line may be full: "… with
            // residents and businesses." / "Hold an asset management plan …").
            let fits = k == 0 || ends_short(ls, k, wrap_right(ls));
            let sentence = after_sentence(ls, k);
            if !fits && !sentence {
                all_short = false;
                break;
            }
            by_sentence |= !fits;
            shown = true;
        }
        // A second sentence inside one cell may sit level with another in the commentary beside
        // it ("… community centre." / "Ward members will be briefed …" beside "… next year." /
        // "Consultation with residents …"): a start read from a sentence's end needs a column of
        // short entries with a line there too, as a new row's date or lead has.
        if by_sentence && !short_level {
            continue;
        }
        // And the first column of wrapped text (the activity, where no outcome precedes it)
        // begins there: a paragraph inside one cell of commentary, beside a date's second line,
        // has nothing of the first column level with it.
        let anchor_here = anchor.is_some_and(|a| lines[a].iter().any(|l| (l.baseline - y).abs() <= LEVEL_PITCHES * pitch && (strict_tight || l.starts_capital)));
        if level >= MIN_ALIGNED_COLUMNS && all_short && shown && anchor_here {
            out.push(y);
        }
    }
    out
}

/// Rows are looked for where lines end short only in a band that holds several rows: of at
/// least this many lines ...
const TALL_BAND_LINES: usize = 4;
/// ... in a table of so few rules that a band cannot be a row (a frame with a rule under the
/// header: three) ...
const FEW_BANDS: usize = 3;
/// ... or this many times the lines of the table's usual band (rules drawn between blocks of
/// rows, not under each row).
const TALL_BAND_FACTOR: usize = 2;
/// Starts found where lines end short count only when a band holds this many.
const FITTED_MIN_STARTS: usize = 2;
/// A band is set tight when fewer than this share of the gaps between lines of its wrapped
/// columns are paragraph gaps (padded rows of two or three lines: a third to a half).
const TIGHT_GAP_SHARE: f32 = 0.15;
/// A column whose every line has at most this many words holds short entries ("15 September
/// 2024", "Head of Transformation").
const SHORT_ENTRY_WORDS: usize = 4;
/// A space between words, in font sizes (about a quarter of an em in the fonts measured).
const FIT_SPACE_EMS: f32 = 0.25;
/// A word fits on a line when it reaches no further than this past the column's longest line
/// (justification and kerning move a line's right end a little).
const FIT_SLACK_PT: f32 = 1.0;

/// Splits every band of `ys` (skipping those marked in `skip`) into its rows. Each band, in
/// steps: its line pitch ([`measure_band`]); rows where paragraphs start level in several
/// columns ([`paragraph_row_starts`]); whether it is set tight ([`tightness`]), and if so rows
/// where lines end short ([`fitted_row_starts`]); then the band cut at the row edges
/// ([`cut_band`]).
pub(crate) fn split_bands(layout: &PageLayout, ys: &[f32], xs: &[f32], skip: &[bool]) -> BandSplit {
    let cols = xs.len().saturating_sub(1);
    let mut split = BandSplit { edges: vec![ys[0]], soft: Vec::new(), band: Vec::new() };
    // The usual band's height in lines (its fullest column): a band holding several rows is
    // taller than the table's usual one, or the table has too few bands to have one a row.
    let band_cols: Vec<Vec<Vec<ColLine>>> = ys
        .windows(2)
        .map(|w| {
            let band: Vec<&TextLine> = lines_between(layout, w[0], w[1]).collect();
            (0..cols).map(|c| column_lines_of(layout, band.iter().copied(), xs[c], xs[c + 1])).collect()
        })
        .collect();
    let band_lines: Vec<usize> = band_cols.iter().map(|ls| ls.iter().map(Vec::len).max().unwrap_or(0)).collect();
    let mut sorted_lines = band_lines.clone();
    sorted_lines.sort_unstable();
    let usual_lines = sorted_lines.get(sorted_lines.len() / 2).copied().unwrap_or(0);
    for (b, band) in ys.windows(2).enumerate() {
        split.band.push(b);
        if b > 0 {
            split.soft.push(None);
        }
        let (y0, y1) = (band[0], band[1]);
        let lines = &band_cols[b];
        let measured = if skip.get(b).copied().unwrap_or(false) || cols < 2 { None } else { measure_band(lines) };
        if let Some((pitch, body_size)) = measured {
            let band_top = lines.iter().filter_map(|ls| ls.first()).map(|l| l.baseline).fold(f32::MAX, f32::min);
            let mut row_starts = paragraph_row_starts(lines, band_top, pitch, body_size, xs);
            let (strict_tight, tight) = tightness(lines, &row_starts, pitch);
            let several_rows = tight && band_lines[b] >= TALL_BAND_LINES && (ys.len() <= FEW_BANDS || band_lines[b] >= TALL_BAND_FACTOR * usual_lines.max(1));
            // Two starts at least: one alone is as likely a paragraph inside one cell ("…
            // Delivery Plan." / "This work will continue …") as a row.
            // Outside a band set tight throughout, the first column of wrapped text must also
            // begin with a capital letter or a digit there (a wrapped line of an activity mostly
            // does not).
            let fitted = if several_rows { fitted_row_starts(lines, band_top, pitch, strict_tight) } else { Vec::new() };
            let fitted = if fitted.len() >= FITTED_MIN_STARTS { fitted } else { Vec::new() };
            for y in &fitted {
                if row_starts.iter().all(|s| (s - y).abs() > LEVEL_PITCHES * pitch) {
                    row_starts.push(*y);
                }
            }
            row_starts.sort_by(f32::total_cmp);
            cut_band(layout, lines, xs, (y0, y1, b), pitch, (&row_starts, &fitted), &mut split);
        }
        split.edges.push(y1);
    }
    split
}

/// A band's line pitch (the smallest usual gap between lines of one column) and body text
/// size; None where it has fewer than two gaps, or only bold lines (a header of two levels, a
/// wrapped heading: not rows).
fn measure_band(lines: &[Vec<ColLine>]) -> Option<(f32, f32)> {
    let mut gaps: Vec<f32> = lines.iter().flat_map(|ls| ls.windows(2).map(|w| w[1].baseline - w[0].baseline)).filter(|g| *g > SAME_BASELINE_PT).collect();
    if gaps.len() < 2 || lines.iter().flatten().all(|l| l.bold) {
        return None;
    }
    gaps.sort_by(f32::total_cmp);
    let mut sizes: Vec<f32> = lines.iter().flatten().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
    Some((line_pitch(&gaps, body_size), body_size))
}

/// Rows where paragraphs start level in several columns. Paragraph starts (after the band's
/// first line) per column, each with whether it was seen after a line of the same column (a
/// gap, a change of style). A column whose text begins a paragraph's gap below the band's first
/// line (empty beside a group heading set level with an outcome) starts one there too, but such
/// starts alone make no row: the second line of a two-level header starts level in two columns
/// that way (and a bold first line, a header's, starts nothing so).
fn paragraph_row_starts(lines: &[Vec<ColLine>], band_top: f32, pitch: f32, body_size: f32, xs: &[f32]) -> Vec<f32> {
    let starts: Vec<Vec<(f32, bool)>> = lines
        .iter()
        .map(|ls| {
            let first = ls.first().filter(|l| !l.bold && paragraph_gap(l.baseline - band_top, pitch, l.size)).map(|l| (l.baseline, false));
            let after = ls.windows(2).filter(|w| paragraph_gap(w[1].baseline - w[0].baseline, pitch, w[0].size) || !w[0].same_style(&w[1])).map(|w| (w[1].baseline, true));
            first.into_iter().chain(after).collect()
        })
        .collect();
    let mut all: Vec<(f32, usize, bool)> = starts.iter().enumerate().flat_map(|(c, v)| v.iter().map(move |(y, seen)| (*y, c, *seen))).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Level starts in several columns.
    let mut row_starts: Vec<f32> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        let mut cs = vec![all[i].1];
        let mut seen = all[i].2;
        while j + 1 < all.len() && all[j + 1].0 - all[i].0 <= LEVEL_PITCHES * pitch {
            j += 1;
            seen |= all[j].2;
            if !cs.contains(&all[j].1) {
                cs.push(all[j].1);
            }
        }
        if seen && (cs.len() >= MIN_ALIGNED_COLUMNS || heading_alone(lines, all[i].0, &cs, pitch, body_size) || abuts_elsewhere(lines, all[i].0, &cs, xs, pitch)) {
            row_starts.push(all[i].0);
        }
        i = j + 1;
    }
    row_starts
}

/// Whether a band is set tight: (throughout, throughout or at two row starts at least).
///
/// A band set tight (Word's cells have no padding above or below, so no gap shows where a row
/// starts): a row also starts at a line level in two columns or more where, in each column with
/// a line there, the line above ended short: its first word would have fitted on that line, so
/// it was not wrapped there but began a new cell. (Wrapped text breaks only where the next word
/// does not fit: a row's wrapped lines in a grid's band never pass.) Set tight throughout: the
/// columns of wrapped text show hardly a paragraph gap (rows set with padding show one at every
/// row start, and are found by it above; a tight band shows one only at a blank line inside a
/// cell).
fn tightness(lines: &[Vec<ColLine>], row_starts: &[f32], pitch: f32) -> (bool, bool) {
    let wrapped_cols: Vec<&Vec<ColLine>> = lines.iter().filter(|ls| !short_entries(ls)).collect();
    let (para_gaps, all_gaps) = wrapped_cols
        .iter()
        .flat_map(|ls| ls.windows(2))
        .fold((0usize, 0usize), |(p, a), w| (p + usize::from(paragraph_gap(w[1].baseline - w[0].baseline, pitch, w[0].size)), a + 1));
    let tight = all_gaps > 0 && (para_gaps as f32) < TIGHT_GAP_SHARE * all_gaps as f32;
    // Or set tight, with cells of different heights: the shorter cells' columns show a gap at
    // each row start, but at some found by those gaps a column of wrapped text has its new cell
    // right under a line that ended short (no padding between the rows).
    let abutting = row_starts
        .iter()
        .filter(|y| {
            wrapped_cols.iter().any(|ls| {
                ls.iter()
                    .position(|l| (l.baseline - **y).abs() <= LEVEL_PITCHES * pitch)
                    .is_some_and(|k| k > 0 && !paragraph_gap(ls[k].baseline - ls[k - 1].baseline, pitch, ls[k - 1].size) && ends_short(ls, k, wrap_right(ls)))
            })
        })
        .count();
    (tight, tight || abutting >= FITTED_MIN_STARTS)
}

/// Cuts band `b` (`y0`..`y1`) at its row starts: each edge just above the tallest glyphs of the
/// new row's first lines, plus the top of each fill that marks a row (a status colour, a zebra
/// band: exact where rows are set tight) and the bottom of each group band, with the columns
/// whose text flows across each edge.
fn cut_band(layout: &PageLayout, lines: &[Vec<ColLine>], xs: &[f32], (y0, y1, b): (f32, f32, usize), pitch: f32, (row_starts, fitted): (&[f32], &[f32]), split: &mut BandSplit) {
    let cols = xs.len() - 1;
    let edge_above = |y: f32| lines.iter().flat_map(|ls| ls.iter()).filter(|l| (l.baseline - y).abs() <= LEVEL_PITCHES * pitch).map(|l| l.top).fold(y, f32::min) - EDGE_OVERLAP_PT;
    let mut row_edges: Vec<f32> = row_starts.iter().map(|y| edge_above(*y)).collect();
    let fitted_edges: Vec<f32> = fitted.iter().map(|y| edge_above(*y)).collect();
    let fills = super::fills::fill_row_tops(layout, xs[0], xs[cols], y0 + BAND_INSIDE_PT, y1 - BAND_INSIDE_PT);
    let bands = super::fills::group_band_bottoms(layout, xs[0], xs[cols], y0 + BAND_INSIDE_PT, y1 - BAND_INSIDE_PT);
    for top in fills.into_iter().chain(bands.iter().map(|b| b.0)) {
        if top > y0 + BAND_INSIDE_PT && top < y1 - BAND_INSIDE_PT && row_edges.iter().all(|e| (e - top).abs() > SAME_ROW_EDGE_PITCHES * pitch) {
            row_edges.push(top);
        }
    }
    row_edges.sort_by(f32::total_cmp);
    for edge in row_edges {
        if edge <= *split.edges.last().expect("starts with the top") + SAME_BASELINE_PT || edge >= y1 - SAME_BASELINE_PT {
            continue;
        }
        // Columns whose text runs across the edge (a merged cell's text).
        // (At a start found where lines end short, a column with a line there begins a new
        // cell, though no gap shows it.)
        let fitted_here = fitted_edges.iter().any(|e| (e - edge).abs() < SAME_NUMBER_PT);
        // Under a group band, each column it covers begins a new cell at its bottom.
        let band_over = |c: usize| bands.iter().any(|(bottom, left)| (bottom - edge).abs() <= SAME_ROW_EDGE_PITCHES * pitch && xs[c] >= left - super::fills::INSIDE_SIDE_PT);
        // At any row start, a column whose line there ends a short line above (the word would
        // have fitted: not wrapped) begins a new cell too. Where rows are set tight but a row's
        // date runs longer than its activity, the activity column shows no gap at the next row
        // start although the other columns do (Word tables through Writer).
        let new_cell = |c: usize, ls: &Vec<ColLine>| {
            let here = ls.iter().position(|l| l.top >= edge - EDGE_OVERLAP_PT && l.top <= edge + LEVEL_PITCHES * pitch + SAME_BASELINE_PT);
            let right = if short_entries(ls) { entries_right(ls, xs[c], xs[c + 1]) } else { wrap_right(ls) };
            // Or, in a column of wrapped text, the line above ended a sentence and this one
            // begins another: at a row start shown by other columns, a new cell (an activity
            // whose last line is full, "… Regeneration Framework." / "Complete …").
            band_over(c) || here.is_some_and(|k| fitted_here || ends_short(ls, k, right) || (!short_entries(ls) && after_sentence(ls, k)))
        };
        let flows: Vec<bool> = lines.iter().enumerate().map(|(c, ls)| !new_cell(c, ls) && lines_flow(ls, edge, Some(pitch))).collect();
        split.edges.push(edge);
        split.soft.push(Some(flows));
        split.band.push(b);
    }
}
