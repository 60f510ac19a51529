//! Turns what was drawn on a page into words, text lines, ruling lines and shaded boxes.
//!
//! In: a [`RawPage`]. Out: a [`PageLayout`]: words with box, size, boldness and colour; lines of
//! words in reading order; horizontal and vertical [`Ruling`]s (stroked lines, and filled
//! rectangles thinner than [`RULING_MAX_WIDTH_PT`]) with collinear pieces joined; [`Shade`]s
//! (larger filled boxes, e.g. the RAG colour of a status cell).
//!
//! Not here: reading the PDF (`read`); deciding what is a table (`tables`).

use crate::geom::{BBox, Colour};
use crate::read::{Glyph, RawPage};

/// Fills thinner than this are drawn rules, not shading: Word, LibreOffice and Chromium draw
/// cell borders as 0.5–1.5 pt filled rectangles (measured on the gold documents).
pub const RULING_MAX_WIDTH_PT: f32 = 2.0;
/// Collinear ruling pieces closer than this along their line are one ruling.
const RULING_JOIN_GAP_PT: f32 = 3.0;
/// Ruling pieces whose positions differ by less than this are on the same line.
const RULING_SAME_LINE_PT: f32 = 1.0;
/// A gap between glyphs wider than this fraction of the font size splits words.
const WORD_GAP_EM: f32 = 0.18;
/// Glyphs (and words) whose baselines are within this many font sizes share a line: superscripts,
/// mixed fonts and rounding move a baseline a little; the next line is a whole size or more away.
const SAME_BASELINE_SIZES: f32 = 0.3;

/// A fill covering this share of the page or more is its background (a coloured slide, a
/// tinted sheet), not a cell's shading.
const BACKGROUND_MIN_SHARE: f32 = 0.8;
/// A stroke whose ends differ by less than this across it is straight along it (a horizontal
/// or vertical rule); a piece of rule shorter than this is a dot, no rule.
const FLAT_PT: f32 = 0.5;

/// A word: glyphs on one baseline with no space between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The text.
    pub text: String,
    /// Its box.
    pub bbox: BBox,
    /// Font size in points.
    pub size_pt: f32,
    /// Whether most of its glyphs are bold.
    pub bold: bool,
    /// Whether most of its glyphs are italic.
    pub italic: bool,
    /// Text colour.
    pub colour: Colour,
    /// Baseline y.
    pub baseline: f32,
}

/// A line of words on one baseline, left to right.
#[derive(Debug, Clone)]
pub struct TextLine {
    /// Indices into [`PageLayout::words`], left to right.
    pub words: Vec<usize>,
    /// The box around them.
    pub bbox: BBox,
    /// Baseline y.
    pub baseline: f32,
}

/// A horizontal or vertical ruling line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ruling {
    /// True for horizontal.
    pub horizontal: bool,
    /// y for a horizontal ruling, x for a vertical one.
    pub pos: f32,
    /// Where it starts along its line (x for horizontal, y for vertical).
    pub from: f32,
    /// Where it ends.
    pub to: f32,
}

impl Ruling {
    /// Whether this ruling covers `[a, b]` along its line, within `tol_pt`.
    pub fn covers(&self, a: f32, b: f32, tol_pt: f32) -> bool {
        self.from <= a + tol_pt && self.to >= b - tol_pt
    }
}

/// A filled box larger than a ruling: cell shading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shade {
    /// Its box.
    pub bbox: BBox,
    /// Its colour.
    pub colour: Colour,
}

/// One page, laid out.
#[derive(Debug, Clone, Default)]
pub struct PageLayout {
    /// 1-based page number.
    pub page: u32,
    /// Page width in points.
    pub width_pt: f32,
    /// Page height in points.
    pub height_pt: f32,
    /// Visible words (invisible OCR text included only when the page has nothing else).
    pub words: Vec<Word>,
    /// Lines of words, top to bottom.
    pub lines: Vec<TextLine>,
    /// Joined ruling lines.
    pub rulings: Vec<Ruling>,
    /// Shaded boxes, in drawing order.
    pub shades: Vec<Shade>,
    /// Whether the page's only text is an invisible OCR layer.
    pub ocr_only: bool,
    /// Whether the page has no text at all.
    pub no_text: bool,
    /// Whether text that is not upright (rotated) was found.
    pub has_rotated_text: bool,
}

impl PageLayout {
    /// The text of a line, words joined by single spaces.
    pub fn line_text(&self, line: &TextLine) -> String {
        line.words.iter().map(|i| self.words[*i].text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// Lays out one page.
pub fn lay_out(raw: &RawPage) -> PageLayout {
    let visible: Vec<&Glyph> = raw.glyphs.iter().filter(|g| !g.invisible).collect();
    let ocr_only = visible.iter().all(|g| g.text.trim().is_empty()) && raw.glyphs.iter().any(|g| g.invisible);
    let use_glyphs: Vec<&Glyph> = if ocr_only { raw.glyphs.iter().collect() } else { visible };
    let has_rotated_text = use_glyphs.iter().any(|g| !g.upright && !g.text.trim().is_empty());
    let words = make_words(&use_glyphs);
    let lines = make_lines(&words);
    let (rulings, shades) = make_rulings(raw);
    PageLayout { page: raw.page, width_pt: raw.width_pt, height_pt: raw.height_pt, no_text: words.is_empty(), words, lines, rulings, shades, ocr_only, has_rotated_text }
}

fn baseline_of(g: &Glyph) -> f32 {
    // read gives boxes of [-descent, +ascent] × size around the baseline, y down.
    g.bbox.y1 - crate::read::GLYPH_DESCENT_EM * g.size_pt
}

fn make_words(glyphs: &[&Glyph]) -> Vec<Word> {
    // Rotated text (e.g. vertical headers) is laid out by its own box order; upright text by
    // baseline then x. Content-stream order is not used: Calc and Chromium do not draw in
    // reading order.
    let order = by_baseline(glyphs);
    let glyph_at = |k: u64| glyphs[(k & u64::from(u32::MAX)) as usize];
    let mut words = Vec::with_capacity(order.len() / 4);
    // Cluster into baselines: a row is a run of `order`, measured against its first glyph.
    let mut row_keys: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let first = glyph_at(order[start]);
        let bl0 = baseline_of(first);
        let end = run_end(&order, start, |k| {
            let g = glyph_at(*k);
            (bl0 - baseline_of(g)).abs() <= SAME_BASELINE_SIZES * g.size_pt.min(first.size_pt)
        });
        // The row by x, ties kept in baseline order: x's key over the glyph's place in the row.
        row_keys.clear();
        row_keys.extend(order[start..end].iter().enumerate().map(|(rank, k)| (u64::from(sort_key(glyph_at(*k).bbox.x0)) << 32) | rank as u64));
        row_keys.sort_unstable();
        let mut cur: Vec<&Glyph> = Vec::new();
        for rk in &row_keys {
            let g = glyph_at(order[start + (rk & u64::from(u32::MAX)) as usize]);
            let is_space = g.text.chars().all(char::is_whitespace);
            if let Some(last) = cur.last() {
                let gap = g.bbox.x0 - last.bbox.x1;
                if is_space || gap > WORD_GAP_EM * g.size_pt.max(last.size_pt) || gap < -last.bbox.width() {
                    push_word(&mut words, &cur);
                    cur.clear();
                }
            }
            if !is_space {
                cur.push(g);
            }
        }
        push_word(&mut words, &cur);
        start = end;
    }
    // Text running sideways on an otherwise upright page (a rotated header cell) is not made
    // into words; `PageLayout::has_rotated_text` records that it was there. (A page whose text
    // mostly runs sideways was already turned upright by `read`.)
    words
}

/// The upright glyphs by baseline, drawing order breaking ties (a stable sort by baseline), each
/// as one integer: the baseline's [`sort_key`] over the glyph's index. Glyphs come in runs on one
/// baseline (a cell's line, drawn left to right), so the runs are sorted, not the glyphs: a
/// tracker page has a tenth as many. (An index fits the key's lower 32 bits: the budget stops a
/// page long before it draws 2³² glyphs.)
fn by_baseline(glyphs: &[&Glyph]) -> Vec<u64> {
    let keyed: Vec<u64> = glyphs.iter().enumerate().filter(|(_, g)| g.upright).map(|(i, g)| (u64::from(sort_key(baseline_of(g))) << 32) | i as u64).collect();
    let key = |k: u64| k >> 32;
    // Each run as its baseline's key over where it starts in `keyed`.
    let mut runs: Vec<u64> = Vec::new();
    for (at, k) in keyed.iter().enumerate() {
        if at == 0 || key(keyed[at - 1]) != key(*k) {
            runs.push((key(*k) << 32) | at as u64);
        }
    }
    runs.sort_unstable();
    let mut order = Vec::with_capacity(keyed.len());
    for r in runs {
        let start = (r & u64::from(u32::MAX)) as usize;
        order.extend(keyed[start..].iter().take_while(|k| key(**k) == key(r)));
    }
    order
}

/// Where the run that starts at `start` ends: the first item after it that is not `same` as it
/// (the items are sorted, so a line is a run of them). The item at `start` is always in its run.
pub(crate) fn run_end<T>(items: &[T], start: usize, same: impl Fn(&T) -> bool) -> usize {
    items.get(start + 1..).and_then(|rest| rest.iter().position(|x| !same(x))).map_or(items.len(), |n| start + 1 + n)
}

/// A key whose order as an unsigned integer is [`f32::total_cmp`]'s order of `x`.
fn sort_key(x: f32) -> u32 {
    let bits = x.to_bits() as i32;
    // total_cmp's own mapping to a signed order, then the sign bit flipped for unsigned.
    ((bits ^ ((((bits >> 31) as u32) >> 1) as i32)) as u32) ^ 0x8000_0000
}

fn push_word(words: &mut Vec<Word>, glyphs: &[&Glyph]) {
    if glyphs.is_empty() {
        return;
    }
    let mut text = String::with_capacity(glyphs.iter().map(|g| g.text.len()).sum());
    let mut bbox = glyphs[0].bbox;
    let mut bold = 0usize;
    let italic = glyphs.iter().filter(|g| g.italic).count() * 2 > glyphs.len();
    for g in glyphs {
        push_expanded(&mut text, &g.text);
        bbox = bbox.union(&g.bbox);
        if g.bold {
            bold += 1;
        }
    }
    let size = glyphs.iter().map(|g| g.size_pt).fold(0.0f32, f32::max);
    // Hebrew and Arabic are drawn right to left: glyphs in x order are the word backwards.
    if is_rtl(&text) {
        text = text.chars().rev().map(mirror).collect();
    }
    words.push(Word { text, bbox, size_pt: size, bold: bold * 2 > glyphs.len(), italic, colour: glyphs[0].colour, baseline: baseline_of(glyphs[0]) });
}

/// Appends glyph text with typographic ligatures spelt out: fonts map "ﬁ" to one glyph whose
/// text is U+FB01, and "Signiﬁcant delay" must read as the wording officers typed.
fn push_expanded(text: &mut String, glyph: &str) {
    if glyph.is_ascii() {
        text.push_str(glyph);
        return;
    }
    for c in glyph.chars() {
        match c {
            '\u{FB00}' => text.push_str("ff"),
            '\u{FB01}' => text.push_str("fi"),
            '\u{FB02}' => text.push_str("fl"),
            '\u{FB03}' => text.push_str("ffi"),
            '\u{FB04}' => text.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => text.push_str("st"),
            _ => text.push(c),
        }
    }
}

fn make_lines(words: &[Word]) -> Vec<TextLine> {
    // By baseline, then x, then index (the stable sort's order), as integers.
    let mut idx: Vec<(u64, usize)> = words.iter().enumerate().map(|(i, w)| ((u64::from(sort_key(w.baseline)) << 32) | u64::from(sort_key(w.bbox.x0)), i)).collect();
    idx.sort_unstable();
    let mut lines: Vec<TextLine> = Vec::new();
    for (_, i) in idx {
        let w = &words[i];
        match lines.last_mut() {
            Some(l) if (l.baseline - w.baseline).abs() <= SAME_BASELINE_SIZES * w.size_pt => {
                l.words.push(i);
                l.bbox = l.bbox.union(&w.bbox);
            }
            _ => lines.push(TextLine { words: vec![i], bbox: w.bbox, baseline: w.baseline }),
        }
    }
    for l in &mut lines {
        l.words.sort_by(|a, b| words[*a].bbox.x0.total_cmp(&words[*b].bbox.x0));
    }
    lines
}

fn make_rulings(raw: &RawPage) -> (Vec<Ruling>, Vec<Shade>) {
    let mut pieces: Vec<Ruling> = Vec::new();
    for s in &raw.strokes {
        // White lines are invisible on paper; they draw no border.
        if s.colour.is_near_white() {
            continue;
        }
        if (s.y0 - s.y1).abs() < FLAT_PT {
            pieces.push(Ruling { horizontal: true, pos: (s.y0 + s.y1) / 2.0, from: s.x0.min(s.x1), to: s.x0.max(s.x1) });
        } else {
            pieces.push(Ruling { horizontal: false, pos: (s.x0 + s.x1) / 2.0, from: s.y0.min(s.y1), to: s.y0.max(s.y1) });
        }
    }
    let mut shades = Vec::new();
    let page_area = raw.width_pt * raw.height_pt;
    for f in &raw.fills {
        let (w, h) = (f.bbox.width(), f.bbox.height());
        if w <= RULING_MAX_WIDTH_PT && h <= RULING_MAX_WIDTH_PT {
            continue;
        }
        if h <= RULING_MAX_WIDTH_PT {
            if !f.colour.is_near_white() {
                pieces.push(Ruling { horizontal: true, pos: f.bbox.cy(), from: f.bbox.x0, to: f.bbox.x1 });
            }
        } else if w <= RULING_MAX_WIDTH_PT {
            if !f.colour.is_near_white() {
                pieces.push(Ruling { horizontal: false, pos: f.bbox.cx(), from: f.bbox.y0, to: f.bbox.y1 });
            }
        } else if w * h < BACKGROUND_MIN_SHARE * page_area {
            // A page-sized fill is a background, not a cell.
            shades.push(Shade { bbox: f.bbox, colour: f.colour });
        }
    }
    (join_rulings(pieces), shades)
}

/// Joins collinear pieces with small gaps (Word draws each cell edge as its own piece).
pub fn join_rulings(mut pieces: Vec<Ruling>) -> Vec<Ruling> {
    pieces.retain(|r| r.to - r.from > FLAT_PT);
    pieces.sort_by(|a, b| a.horizontal.cmp(&b.horizontal).then(a.pos.total_cmp(&b.pos)).then(a.from.total_cmp(&b.from)));
    // Group by orientation and position, then merge intervals.
    let mut out: Vec<Ruling> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut j = i + 1;
        while j < pieces.len() && pieces[j].horizontal == pieces[i].horizontal && (pieces[j].pos - pieces[j - 1].pos).abs() <= RULING_SAME_LINE_PT {
            j += 1;
        }
        let mut group: Vec<Ruling> = pieces[i..j].to_vec();
        let pos = group.iter().map(|r| r.pos).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur = group[0];
        cur.pos = pos;
        for r in group.into_iter().skip(1) {
            if r.from <= cur.to + RULING_JOIN_GAP_PT {
                cur.to = cur.to.max(r.to);
            } else {
                out.push(cur);
                cur = Ruling { pos, ..r };
            }
        }
        out.push(cur);
        i = j;
    }
    out
}

/// Whether most letters of the text are from a right-to-left script (Hebrew, Arabic).
pub fn is_rtl(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let rtl = text.chars().filter(|c| ('\u{0590}'..='\u{08FF}').contains(c) || ('\u{FB1D}'..='\u{FDFF}').contains(c) || ('\u{FE70}'..='\u{FEFF}').contains(c)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    rtl > 0 && rtl * 2 >= letters
}

/// Brackets face the other way once a right-to-left word is put in reading order.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        _ => c,
    }
}

/// The part of a page inside `area` (points from the top-left corner, as `milepost tables
/// --area` takes it, like tabula's `-a` and pdfplumber's crop): words whose centre lies inside,
/// rulings cut to it, shades inside it. Lines keep only their words inside.
pub fn crop(layout: &PageLayout, area: &BBox) -> PageLayout {
    let mut index = vec![None; layout.words.len()];
    let mut words = Vec::new();
    for (i, w) in layout.words.iter().enumerate() {
        if area.contains_point(w.bbox.cx(), w.bbox.cy(), 0.0) {
            index[i] = Some(words.len());
            words.push(w.clone());
        }
    }
    let lines = layout
        .lines
        .iter()
        .filter_map(|l| {
            let ws: Vec<usize> = l.words.iter().filter_map(|i| index[*i]).collect();
            let first = *ws.first()?;
            let bbox = ws.iter().skip(1).fold(words[first].bbox, |b, i| b.union(&words[*i].bbox));
            Some(TextLine { words: ws, bbox, baseline: l.baseline })
        })
        .collect();
    let rulings = layout
        .rulings
        .iter()
        .filter_map(|r| {
            let (lo, hi, cross_lo, cross_hi) = if r.horizontal { (area.x0, area.x1, area.y0, area.y1) } else { (area.y0, area.y1, area.x0, area.x1) };
            if r.pos < cross_lo || r.pos > cross_hi {
                return None;
            }
            let (from, to) = (r.from.max(lo), r.to.min(hi));
            (to > from).then_some(Ruling { from, to, ..*r })
        })
        .collect();
    let shades = layout.shades.iter().filter(|s| area.contains_point(s.bbox.cx(), s.bbox.cy(), 0.0)).copied().collect();
    PageLayout { words, lines, rulings, shades, no_text: false, ..layout.clone() }
}

#[cfg(test)]
mod tests {
    use super::{baseline_of, by_baseline, sort_key};
    use crate::geom::{BBox, Colour};
    use crate::read::Glyph;
    use proptest::prelude::*;

    fn glyph(y1: f32, size_pt: f32, upright: bool) -> Glyph {
        Glyph {
            text: "a".into(),
            bbox: BBox { x0: 0.0, y0: y1 - size_pt, x1: 5.0, y1 },
            size_pt,
            bold: false,
            italic: false,
            colour: Colour::BLACK,
            upright,
            direction: 0,
            invisible: false,
        }
    }

    proptest! {
        /// The integer key orders floats as `total_cmp` does (NaNs and signed zeros included),
        /// so sorting keys gives the order the comparisons gave.
        #[test]
        fn sort_key_orders_as_total_cmp(a in any::<u32>(), b in any::<u32>()) {
            let (x, y) = (f32::from_bits(a), f32::from_bits(b));
            prop_assert_eq!(sort_key(x).cmp(&sort_key(y)), x.total_cmp(&y));
        }
    }

    proptest! {
        /// Sorting runs of glyphs on one baseline gives the order the stable sort of every
        /// upright glyph by baseline gave (ties in drawing order), on pages whose lines come in
        /// runs, interleaved, or not at all.
        #[test]
        fn runs_by_baseline_give_the_stable_sorts_order(lines in prop::collection::vec((0u8..12, 1u8..30, any::<bool>()), 0..200)) {
            let glyphs: Vec<Glyph> = lines.iter().map(|&(line, size, upright)| glyph(f32::from(line) * 11.0 + if line == 11 { f32::NAN } else { 0.0 }, f32::from(size) / 2.0, upright || size % 7 != 0)).collect();
            let refs: Vec<&Glyph> = glyphs.iter().collect();
            let mut stable: Vec<usize> = (0..refs.len()).filter(|i| refs[*i].upright).collect();
            stable.sort_by(|a, b| baseline_of(refs[*a]).total_cmp(&baseline_of(refs[*b])));
            let ours: Vec<usize> = by_baseline(&refs).into_iter().map(|k| (k & u64::from(u32::MAX)) as usize).collect();
            prop_assert_eq!(ours, stable);
        }
    }

    #[test]
    fn sort_key_orders_ordinary_values() {
        let xs = [f32::NEG_INFINITY, -1e9, -2.5, -0.0, 0.0, 1e-30, 3.0, 720.0, f32::INFINITY];
        for w in xs.windows(2) {
            assert!(sort_key(w[0]) < sort_key(w[1]), "{} {}", w[0], w[1]);
        }
    }
}
