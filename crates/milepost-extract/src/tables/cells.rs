//! A cell from its words: its text (words joined by spaces, lines by `\n`, with each line's
//! baseline), style (colour, bold, italic, size), the left and right of its text, and its fill;
//! and how many leading rows of a table are its header. The one place both finders build cells.

use super::{fills, Cell};
use crate::geom::{BBox, Colour};
use crate::layout::{PageLayout, Word};

/// Words of a cell whose baselines differ by at most this many of their sizes are on one line
/// (a superscript or a smaller word stays on its line; the next line is a whole line pitch down).
const CELL_LINE_BASELINE_SIZES: f32 = 0.35;

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
            fill: fills::cell_fill(layout, &bbox),
            text_colour,
            bold,
            italic,
            size_pt: text_size(words),
            text_x: text_x(words),
        }
    }
}

/// Joins words into cell text: lines by baseline, words by spaces, lines by `\n`.
pub(crate) fn cell_text(words: &[&Word]) -> (String, Vec<f32>) {
    let mut ws: Vec<&Word> = words.to_vec();
    ws.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut text = String::with_capacity(ws.iter().map(|w| w.text.len() + 1).sum());
    let mut baselines = Vec::new();
    // Each line a run of `ws`: the words whose baselines are near its first's.
    let mut start = 0;
    while start < ws.len() {
        let first = ws[start].baseline;
        let end = crate::layout::run_end(&ws, start, |w| (first - w.baseline).abs() <= CELL_LINE_BASELINE_SIZES * w.size_pt);
        let line = &mut ws[start..end];
        // A right-to-left line reads from its right end.
        let rtl = line.iter().filter(|w| crate::layout::is_rtl(&w.text)).count() * 2 > line.len();
        line.sort_by(|a, b| if rtl { b.bbox.x0.total_cmp(&a.bbox.x0) } else { a.bbox.x0.total_cmp(&b.bbox.x0) });
        if !baselines.is_empty() {
            text.push('\n');
        }
        for (i, w) in line.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&w.text);
        }
        baselines.push(first);
        start = end;
    }
    (text, baselines)
}

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

/// The leftmost of `words` whose centre lies between `x0` and `x1` (a line's first word in a
/// column).
pub(crate) fn first_word_in<'w>(words: impl Iterator<Item = &'w Word>, x0: f32, x1: f32) -> Option<&'w Word> {
    words.filter(|w| w.bbox.cx() >= x0 && w.bbox.cx() < x1).min_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0))
}

/// Whether a word begins in lower case: under text of its column, it goes on with a sentence
/// (a new cell begins with a capital or a figure).
pub(crate) fn begins_lower(w: &Word) -> bool {
    w.text.chars().next().is_some_and(char::is_lowercase)
}
