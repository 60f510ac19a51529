//! Bold and italic read from the glyphs' outlines, for fonts that do not say.
//!
//! hayro gives a font's name, weight and italic flag only for embedded TrueType and CFF fonts. A
//! Type 1 font, embedded (LaTeX) or not (the standard Helvetica / Times that xhtml2pdf, older Word
//! exports and many report writers leave unembedded, drawn by hayro from stand-in fonts), arrives
//! with none of that: every heading, group row and theme line would read as plain text. What is
//! always there is the outline each glyph is drawn with, and a bold face has thicker strokes and
//! an italic one slants.
//!
//! In: a glyph outline (font units, 1000 per em, y up). Out: its [`Ink`]: area, perimeter and
//! second moments; a [`RunInk`] sums them over a glyph run (one text-showing operation, so one
//! font) and says italic (ink leaning right by more than [`ITALIC_SLANT`]); [`bold_runs`] says
//! which runs of a page are bold (strokes [`BOLD_RATIO`] times the page's usual stroke or wider:
//! weights differ between families, so only a comparison within the page tells). Each glyph is
//! measured once per page (cache keyed by hayro's glyph identifier), and only for fonts that give
//! no metadata.

use rustc_hash::FxHashMap as HashMap;

use hayro_interpret::kurbo::{BezPath, PathEl, Point};

/// How much wider than the page's usual stroke a run's must be to be bold. Regular and bold faces
/// of one family differ by about 1.5 (hayro's stand-ins for Helvetica 78 → 117 thousandths of an em,
/// for Times 60 → 91); a medium or semibold face (1.1–1.2) stays plain, as its reader sees it.
pub const BOLD_RATIO: f64 = 1.25;

/// Slant (horizontal shift of the ink per unit of height, from its second moments) above which
/// a run is italic. Italic and oblique faces lean 10–15° (measured 0.18–0.20 for Helvetica
/// Oblique's stand-in, 0.25 for Times Italic's); upright text stays within ±0.1 over a few letters
/// (a "d" leans right, a "b" left), so 0.14 lies between. A run of one or two glyphs says too
/// little and is not called italic.
pub const ITALIC_SLANT: f64 = 0.14;

/// The fewest glyphs (with ink) a run needs for its slant to count: see [`ITALIC_SLANT`].
const ITALIC_MIN_GLYPHS: u32 = 3;

/// Flattening tolerance, in font units (1/1000 em): far finer than a stroke.
const FLATTEN_TOLERANCE: f64 = 2.0;

/// The ink of one glyph: area, outline length, and its central second moments.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ink {
    area: f64,
    perimeter: f64,
    /// Σ (x − x̄)(y − ȳ) dA and Σ (y − ȳ)² dA.
    cov_xy: f64,
    var_y: f64,
}

/// Measures an outline; `None` for a glyph with no ink (a space).
pub fn ink_of(path: &BezPath) -> Option<Ink> {
    let (mut a, mut sx, mut sy, mut sxy, mut syy, mut per) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut start = Point::ZERO;
    let mut last = Point::ZERO;
    let mut edge = |p0: Point, p1: Point| {
        let (x0, y0, x1, y1) = (p0.x, p0.y, p1.x, p1.y);
        let c = x0 * y1 - x1 * y0;
        a += c / 2.0;
        sx += (x0 + x1) * c / 6.0;
        sy += (y0 + y1) * c / 6.0;
        sxy += c * (2.0 * x0 * y0 + x0 * y1 + x1 * y0 + 2.0 * x1 * y1) / 24.0;
        syy += (y0 * y0 + y0 * y1 + y1 * y1) * c / 12.0;
        per += (p1 - p0).hypot();
    };
    hayro_interpret::kurbo::flatten(path.iter(), FLATTEN_TOLERANCE, |el| match el {
        PathEl::MoveTo(p) => {
            if last != start {
                edge(last, start);
            }
            start = p;
            last = p;
        }
        PathEl::LineTo(p) => {
            edge(last, p);
            last = p;
        }
        PathEl::ClosePath => {
            if last != start {
                edge(last, start);
            }
            last = start;
        }
        _ => {}
    });
    if last != start {
        edge(last, start);
    }
    // TrueType outlines run clockwise, CFF and Type 1 ones anticlockwise: the sign of the total says
    // which, and holes (wound the other way) subtract either way.
    if a < 0.0 {
        (a, sx, sy, sxy, syy) = (-a, -sx, -sy, -sxy, -syy);
    }
    if !a.is_finite() || a <= 1.0 || per <= 0.0 {
        return None;
    }
    let (mx, my) = (sx / a, sy / a);
    Some(Ink { area: a, perimeter: per, cov_xy: sxy - a * mx * my, var_y: syy - a * my * my })
}

/// The ink of each glyph met on a page, by hayro's glyph identifier.
#[derive(Default)]
pub struct InkCache {
    glyphs: HashMap<u128, Option<Ink>>,
}

impl InkCache {
    /// The ink of the glyph keyed `key`, measuring `outline` the first time.
    pub fn get(&mut self, key: u128, outline: impl FnOnce() -> BezPath) -> Option<Ink> {
        *self.glyphs.entry(key).or_insert_with(|| ink_of(&outline()))
    }
}

/// The ink of a run of glyphs, summed.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunInk {
    sum: Ink,
    glyphs: u32,
}

impl RunInk {
    pub fn add(&mut self, ink: Ink) {
        self.sum.area += ink.area;
        self.sum.perimeter += ink.perimeter;
        self.sum.cov_xy += ink.cov_xy;
        self.sum.var_y += ink.var_y;
        self.glyphs += 1;
    }

    /// Mean stroke width in thousandths of an em, if the run has ink.
    pub fn stroke(&self) -> Option<f64> {
        (self.glyphs > 0 && self.sum.perimeter > 0.0).then(|| 2.0 * self.sum.area / self.sum.perimeter)
    }

    /// Horizontal lean of the ink per unit height, if the run has enough glyphs to say.
    pub fn slant(&self) -> Option<f64> {
        (self.glyphs >= ITALIC_MIN_GLYPHS && self.sum.var_y > 0.0).then(|| self.sum.cov_xy / self.sum.var_y)
    }

    pub fn italic(&self) -> bool {
        self.slant().is_some_and(|s| s > ITALIC_SLANT)
    }
}

/// Which runs of a page are bold: those whose stroke is at least [`BOLD_RATIO`] times the page's
/// usual stroke (the median over its glyphs, so the body text sets it).
pub fn bold_runs(runs: &[RunInk]) -> Vec<bool> {
    let mut strokes: Vec<(f64, u32)> = runs.iter().filter_map(|r| r.stroke().map(|s| (s, r.glyphs))).collect();
    if strokes.is_empty() {
        return vec![false; runs.len()];
    }
    strokes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: u32 = strokes.iter().map(|s| s.1).sum();
    let mut seen = 0;
    let mut usual = strokes[0].0;
    for (s, n) in &strokes {
        seen += n;
        usual = *s;
        if seen * 2 >= total {
            break;
        }
    }
    runs.iter().map(|r| r.stroke().is_some_and(|s| s >= usual * BOLD_RATIO)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> BezPath {
        let mut p = BezPath::new();
        p.move_to((x0, y0));
        p.line_to((x1, y0));
        p.line_to((x1, y1));
        p.line_to((x0, y1));
        p.close_path();
        p
    }

    #[test]
    fn a_stem_measures_its_width() {
        // An upright stem 80 wide and 700 tall: stroke ≈ 2·A/P = 2·56000/1560 ≈ 72, no slant.
        let ink = ink_of(&rect(100.0, 0.0, 180.0, 700.0)).expect("ink");
        let mut run = RunInk::default();
        for _ in 0..3 {
            run.add(ink);
        }
        assert!((run.stroke().unwrap() - 71.8).abs() < 0.5, "{:?}", run.stroke());
        assert!(run.slant().unwrap().abs() < 1e-9);
        assert!(!run.italic());
    }

    #[test]
    fn a_sheared_thick_stem_is_bold_and_italic() {
        // A stem 130 wide leaning 0.2 to the right: a parallelogram.
        let mut p = BezPath::new();
        p.move_to((100.0, 0.0));
        p.line_to((230.0, 0.0));
        p.line_to((230.0 + 140.0, 700.0));
        p.line_to((100.0 + 140.0, 700.0));
        p.close_path();
        let ink = ink_of(&p).expect("ink");
        let mut run = RunInk::default();
        for _ in 0..3 {
            run.add(ink);
        }
        assert!(run.stroke().unwrap() > 100.0, "{:?}", run.stroke());
        assert!((run.slant().unwrap() - 0.2).abs() < 1e-6, "{:?}", run.slant());
        assert!(run.italic());
    }

    #[test]
    fn bold_is_wider_than_the_page_usual() {
        let thin = ink_of(&rect(0.0, 0.0, 80.0, 700.0)).unwrap();
        let thick = ink_of(&rect(0.0, 0.0, 125.0, 700.0)).unwrap();
        let run = |ink: Ink, n: u32| {
            let mut r = RunInk::default();
            for _ in 0..n {
                r.add(ink);
            }
            r
        };
        // Body text thin, a heading thick: the heading alone is bold.
        assert_eq!(bold_runs(&[run(thin, 40), run(thick, 8), run(thin, 30)]), vec![false, true, false]);
        // A serif page whose body is thinner still: the same thick run is bold, a 10% wider one not.
        let semi = ink_of(&rect(0.0, 0.0, 88.0, 700.0)).unwrap();
        assert_eq!(bold_runs(&[run(thin, 40), run(semi, 8)]), vec![false, false]);
        assert!(bold_runs(&[]).is_empty());
    }

    #[test]
    fn winding_and_holes() {
        // The same square wound either way has the same ink; a hole wound the other way subtracts.
        let a = ink_of(&rect(0.0, 0.0, 100.0, 100.0)).unwrap();
        let b = ink_of(&rect(100.0, 0.0, 0.0, 100.0)).unwrap();
        assert!((a.area - 10000.0).abs() < 1e-6 && (b.area - 10000.0).abs() < 1e-6);
        let mut ring = rect(0.0, 0.0, 100.0, 100.0);
        ring.extend(rect(75.0, 25.0, 25.0, 75.0).iter());
        assert!((ink_of(&ring).unwrap().area - 7500.0).abs() < 1e-6);
    }
}
