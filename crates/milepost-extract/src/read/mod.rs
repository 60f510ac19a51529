//! Reads a PDF into what was drawn on each page: glyphs, straight strokes, filled rectangles.
//!
//! In: a file path (or bytes). Out: a [`Document`] of [`RawPage`]s, in page space (points, origin
//! top-left, page rotation applied). Uses `hayro-interpret` as a drawing device, so text colour,
//! fills drawn with `f*` (Word, LibreOffice and Chromium draw borders that way) and clips all
//! arrive. Each page runs under `catch_unwind`: a page that panics becomes a warning, not a crash.
//! Every drawing operation ticks the document's [`Meter`]: past its budget (work or time) the
//! whole document stops with `too_complex` or `timed_out`, and streams that would inflate past the
//! caps are refused before any page is drawn (`budget`).
//!
//! Not here: grouping glyphs into words and lines, or telling rulings from shading (`layout`);
//! finding tables (`tables`).

mod ink;
mod unicode;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayro_interpret::font::{Glyph as HGlyph, GlyphRun};
use hayro_interpret::hayro_syntax::page::Rotation;
use hayro_interpret::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache, InterpreterSettings, Paint, RenderContent, SoftMask};

use crate::budget::{self, Limits, Meter, OverBudget, TICK_BATCH};
use crate::error::{panic_text, DocError, FileName, Warning};
use crate::geom::{BBox, Colour};

/// One drawn glyph, in page space.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// The text it stands for (usually one character; ligatures give several).
    pub text: ecow::EcoString,
    /// Its box: baseline-relative, about [-0.2, +0.9] × size around the baseline.
    pub bbox: BBox,
    /// Font size in points, as drawn (after all transforms).
    pub size_pt: f32,
    /// Whether the font is bold (by weight or by name).
    pub bold: bool,
    /// Whether the font is italic or oblique (by its tables or by name).
    pub italic: bool,
    /// The fill colour of the text.
    pub colour: Colour,
    /// Whether it runs left to right, upright (false for rotated text).
    pub upright: bool,
    /// The direction it runs in, in degrees clockwise on the page (0, 90, 180 or 270).
    pub direction: u16,
    /// Whether it was drawn invisibly (the OCR text layer of a scan).
    pub invisible: bool,
}

/// A straight axis-aligned stroke (or the centre line of a thin filled rectangle).
#[derive(Debug, Clone, Copy)]
pub struct Stroke {
    /// Start point x.
    pub x0: f32,
    /// Start point y.
    pub y0: f32,
    /// End point x.
    pub x1: f32,
    /// End point y.
    pub y1: f32,
    /// Drawn width of the line in points.
    pub width_pt: f32,
    /// Its colour.
    pub colour: Colour,
}

/// A filled axis-aligned rectangle.
#[derive(Debug, Clone, Copy)]
pub struct FilledRect {
    /// Its box.
    pub bbox: BBox,
    /// Its fill colour.
    pub colour: Colour,
}

/// Everything drawn on one page.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    /// 1-based page number, as printed.
    pub page: u32,
    /// Page width in points (after rotation).
    pub width_pt: f32,
    /// Page height in points (after rotation).
    pub height_pt: f32,
    /// Page rotation in degrees (0, 90, 180, 270).
    pub rotation: u16,
    /// Glyphs inside the page and the clip.
    pub glyphs: Vec<Glyph>,
    /// Stroked axis-aligned lines.
    pub strokes: Vec<Stroke>,
    /// Filled axis-aligned rectangles (any size; `layout` sorts rulings from shading).
    pub fills: Vec<FilledRect>,
    /// How many images were drawn (a scan is one big image).
    pub images: u32,
    /// The largest share of the page (0–1) that one image covers.
    pub image_cover: f32,
}

impl RawPage {
    /// Whether the page has an invisible text layer (an OCR'd scan).
    pub fn has_ocr_layer(&self) -> bool {
        self.glyphs.iter().any(|g| g.invisible)
    }
    /// Whether the page has no text at all.
    pub fn has_no_text(&self) -> bool {
        self.glyphs.iter().all(|g| g.text.trim().is_empty())
    }
}

/// A whole PDF as read: its pages as drawn ([`RawPage`], what [`read_file`] gives), or as a
/// later stage made them from each page as soon as it was drawn ([`read_file_with`]).
#[derive(Debug, Clone)]
pub struct Document<P = RawPage> {
    /// The file's base name.
    pub file: FileName,
    /// The pages that were read (all of them, or those asked for), in page order.
    pub pages: Vec<P>,
    /// The number of pages in the file.
    pub page_count: u32,
    /// Problems met while reading that did not stop it.
    pub warnings: Vec<Warning>,
}

/// Which pages to read: `None` is all of them; otherwise 1-based page numbers.
pub type PageSelection = Option<Vec<u32>>;

/// Reads a PDF file from disk, its drawing counted on `meter`.
pub fn read_file(path: &Path, pages: &PageSelection, meter: &Meter, limits: &Limits) -> Result<Document, DocError> {
    read_file_with(path, pages, meter, limits, |raw| raw)
}

/// [`read_file`], each page handed to `then` as soon as it is drawn, on the core that drew it:
/// a long tracker's pages as drawn (millions of glyphs) are then never all held at once, and the
/// next stages run while other pages are still being read.
pub fn read_file_with<P: Send>(path: &Path, pages: &PageSelection, meter: &Meter, limits: &Limits, then: impl Fn(RawPage) -> P + Sync) -> Result<Document<P>, DocError> {
    let file = FileName::of(path);
    let bytes = std::fs::read(path).map_err(|source| DocError::Io { file: file.clone(), source })?;
    read_bytes_with(file, bytes, pages, meter, limits, then)
}

/// Reads a PDF from its bytes. The file name is only for messages.
pub fn read_bytes(file: FileName, bytes: Vec<u8>, pages: &PageSelection, meter: &Meter, limits: &Limits) -> Result<Document, DocError> {
    read_bytes_with(file, bytes, pages, meter, limits, |raw| raw)
}

/// [`read_bytes`], each page handed to `then` as soon as it is drawn (see [`read_file_with`]).
/// A panic in `then` is caught like one in drawing: that page is skipped with a warning.
pub fn read_bytes_with<P: Send>(
    file: FileName,
    bytes: Vec<u8>,
    pages: &PageSelection,
    meter: &Meter,
    limits: &Limits,
    then: impl Fn(RawPage) -> P + Sync,
) -> Result<Document<P>, DocError> {
    if bytes.is_empty() {
        return Err(DocError::Empty { file });
    }
    let header_warning = check_magic(&file, &bytes)?;
    let pdf = match catch_unwind(AssertUnwindSafe(|| Pdf::new(bytes))) {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected))) => return Err(DocError::Encrypted { file }),
        Ok(Err(LoadPdfError::Decryption(e))) => {
            // An encrypted file whose encryption hayro cannot undo is, for the officer, protected.
            let _ = e;
            return Err(DocError::Encrypted { file });
        }
        Ok(Err(LoadPdfError::Invalid)) => return Err(DocError::Damaged { file, detail: "no readable page tree or cross-reference table".into() }),
        Err(payload) => return Err(DocError::Internal { file, page: None, message: panic_text(&*payload) }),
    };
    if let Err(b) = budget::check_streams(&pdf, limits) {
        return Err(DocError::TooComplex { file, page: None, detail: bomb_text(&b) });
    }
    let page_count = pdf.pages().len() as u32;
    let mut warnings: Vec<Warning> = header_warning.into_iter().collect();
    if page_count == 0 {
        return Err(DocError::Damaged { file, detail: "no pages could be found".into() });
    }
    let wanted: Vec<u32> = match pages {
        None => (1..=page_count).collect(),
        Some(list) => {
            for p in list.iter().filter(|p| **p == 0 || **p > page_count) {
                warnings.push(Warning { page: Some(*p), message: format!("there is no page {p} (the PDF has {page_count})") });
            }
            list.iter().copied().filter(|p| *p >= 1 && *p <= page_count).collect()
        }
    };
    // Pages are read in parallel (rayon): one task per thread of the pool, each with its own
    // interpreter cache (it is not Send), taking the next page left until none is. A cache holds
    // the document's fonts as parsed: per task, each is parsed once per thread. (rayon's
    // `map_init` makes one per piece it splits the pages into: 16 on two threads for a 117-page
    // tracker, and parsing its fonts again each time was 8% of reading it.) A batch of many
    // documents already keeps every core busy, so this mostly helps one long document.
    // A page read, or its number and the panic that stopped it.
    type PageRead<P> = Result<P, (u32, Box<dyn std::any::Any + Send>)>;
    let slots: Vec<std::sync::Mutex<Option<PageRead<P>>>> = wanted.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let tasks = rayon::current_num_threads().clamp(1, wanted.len().max(1));
    rayon::scope(|s| {
        for _ in 0..tasks {
            s.spawn(|_| {
                let cache = InterpreterCache::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&page_no) = wanted.get(i) else { break };
                    let page = &pdf.pages()[(page_no - 1) as usize];
                    let read = catch_unwind(AssertUnwindSafe(|| then(read_page(page, page_no, &pdf, &cache, meter)))).map_err(|payload| (page_no, payload));
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(read);
                }
            });
        }
    });
    let results = slots.into_iter().filter_map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()));
    let mut out = Vec::with_capacity(wanted.len());
    for r in results {
        match r {
            Ok(p) => out.push(p),
            Err((page, payload)) => match payload.downcast_ref::<OverBudget>() {
                Some(over) => return Err(over_budget_error(file, Some(page), over)),
                None => warnings.push(Warning { page: Some(page), message: format!("this page could not be read and was skipped ({})", panic_text(&*payload)) }),
            },
        }
    }
    Ok(Document { file, pages: out, page_count, warnings })
}

/// The document error for a budget that ran out.
pub fn over_budget_error(file: FileName, page: Option<u32>, over: &OverBudget) -> DocError {
    match over {
        OverBudget::DrawOps { limit } => DocError::TooComplex { file, page: None, detail: format!("{limit} drawing operations") },
        OverBudget::PageOps { limit } => DocError::TooComplex { file, page, detail: format!("{limit} drawing operations") },
        OverBudget::Time { limit_s } => DocError::TimedOut { file, limit_s: *limit_s },
    }
}

fn bomb_text(b: &budget::Bomb) -> String {
    let mb = b.at_least as f64 / f64::from(1u32 << 20);
    if b.total {
        format!("{} MB of decompressed data (its streams inflate to at least {mb:.0} MB)", b.limit_mb)
    } else {
        format!("{} MB of decompressed data (object {} alone inflates to at least {mb:.0} MB)", b.limit_mb, b.object)
    }
}

/// Tells a non-PDF from a PDF by its first bytes, and names what it looks like instead. A file
/// whose `%PDF-` header is missing or displaced but which holds PDF objects is read, with a
/// warning (as poppler does).
fn check_magic(file: &FileName, bytes: &[u8]) -> Result<Option<Warning>, DocError> {
    // The header may follow some junk (the spec allows it within the first 1024 bytes).
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(None);
    }
    let start = &bytes[..bytes.len().min(64 * 1024)];
    let has = |pat: &[u8]| start.windows(pat.len()).any(|w| w == pat);
    if has(b" obj") && (has(b"endobj") || has(b"stream")) {
        return Ok(Some(Warning { page: None, message: "the file does not start with a PDF header (%PDF-); it was read anyway, so check its rows against the PDF".into() }));
    }
    let detail = if bytes.starts_with(b"PK\x03\x04") {
        " (it looks like a ZIP archive, perhaps a Word or Excel file)"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        " (it looks like an old Word or Excel file)"
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") {
        " (it looks like an image)"
    } else if head.iter().take(200).any(|b| *b == b'<') && String::from_utf8_lossy(head).to_lowercase().contains("<html") {
        " (it looks like a web page)"
    } else {
        ""
    };
    Err(DocError::NotPdf { file: file.clone(), detail: detail.to_string() })
}

fn read_page<'a>(page: &hayro_interpret::hayro_syntax::page::Page<'a>, page_no: u32, pdf: &'a Pdf, cache: &InterpreterCache<'a>, meter: &Meter) -> RawPage {
    let (w, h) = page.render_dimensions();
    let rotation = match page.rotation() {
        Rotation::None => 0,
        Rotation::Horizontal => 90,
        Rotation::Flipped => 180,
        Rotation::FlippedHorizontal => 270,
    };
    let initial = Affine::new(page.initial_transform(true).as_coeffs());
    // Annotations too: filled form fields and FreeText notes are printed through their appearances.
    let settings = InterpreterSettings { render_content: RenderContent::PAGE | RenderContent::ANNOTATIONS, ..Default::default() };
    let bbox = Rect::new(0.0, 0.0, f64::from(w), f64::from(h));
    let mut ctx = Context::new(initial, bbox, cache, pdf.xref(), settings);
    let mut dev = Collector::new(w, h, meter);
    hayro_interpret::interpret_page(page, &mut ctx, &mut dev);
    meter.add(dev.ops % TICK_BATCH);
    dev.settle_bold();
    let mut raw = RawPage {
        page: page_no,
        width_pt: w,
        height_pt: h,
        rotation,
        glyphs: dev.glyphs,
        strokes: dev.strokes,
        fills: dev.fills,
        images: dev.images,
        image_cover: dev.image_cover,
    };
    dedupe_glyphs(&mut raw.glyphs);
    turn_to_text_direction(&mut raw);
    raw
}

/// A page whose text mostly runs up or down (a table printed sideways) is turned so that its
/// text reads left to right, as an officer would turn the paper; boxes, lines and fills turn
/// with it.
fn turn_to_text_direction(raw: &mut RawPage) {
    let mut counts = [0usize; 4];
    for g in &raw.glyphs {
        counts[usize::from(g.direction / 90)] += 1;
    }
    let total: usize = counts.iter().sum();
    let (best, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n).map(|(i, n)| (i, *n)).unwrap_or((0, 0));
    if best == 0 || n * 2 <= total {
        return;
    }
    let (w, h) = (raw.width_pt, raw.height_pt);
    // The text direction becomes +x; its down (the direction turned a quarter clockwise) +y.
    let f = move |x: f32, y: f32| -> (f32, f32) {
        match best {
            1 => (y, w - x),
            2 => (w - x, h - y),
            _ => (h - y, x),
        }
    };
    let turn_box = |b: BBox| {
        let (a, c) = (f(b.x0, b.y0), f(b.x1, b.y1));
        BBox::new(a.0, a.1, c.0, c.1)
    };
    let dir = (best * 90) as u16;
    for g in &mut raw.glyphs {
        g.bbox = turn_box(g.bbox);
        g.upright = g.direction == dir;
        g.direction = (g.direction + 360 - dir) % 360;
    }
    for s in &mut raw.strokes {
        let (a, b) = (f(s.x0, s.y0), f(s.x1, s.y1));
        (s.x0, s.y0, s.x1, s.y1) = (a.0, a.1, b.0, b.1);
    }
    for fl in &mut raw.fills {
        fl.bbox = turn_box(fl.bbox);
    }
    if best != 2 {
        std::mem::swap(&mut raw.width_pt, &mut raw.height_pt);
    }
}

/// Text drawn with fill and stroke arrives twice, and Word's fake bold draws each glyph twice
/// with a tiny offset; keep one, or bold headings read "TThheemmee".
fn dedupe_glyphs(glyphs: &mut Vec<Glyph>) {
    // Bucket at 1 pt: fake-bold offsets are well under that, real repeated letters are wider.
    // A glyph of one character (nearly all) is keyed by one integer, character and position,
    // which hashes in two multiplications; the few of several characters by their text, borrowed
    // (no copy per glyph: this runs on every glyph of a file).
    let keep: Vec<bool> = {
        let mut seen_one: rustc_hash::FxHashSet<u128> = rustc_hash::FxHashSet::with_capacity_and_hasher(glyphs.len(), Default::default());
        let mut seen_more: rustc_hash::FxHashSet<(&str, i32, i32)> = rustc_hash::FxHashSet::default();
        glyphs
            .iter()
            .map(|g| {
                let (x, y) = ((g.bbox.x0).round() as i32, (g.bbox.y1).round() as i32);
                let mut chars = g.text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => seen_one.insert((u128::from(c) << 64) | (u128::from(x as u32) << 32) | u128::from(y as u32)),
                    _ => seen_more.insert((g.text.as_str(), x, y)),
                }
            })
            .collect()
    };
    let mut keep = keep.into_iter();
    glyphs.retain(|_| keep.next().unwrap_or(true));
}

/// The hayro device that collects what is drawn, ticking the document's meter as it goes.
struct Collector<'m> {
    width: f32,
    height: f32,
    clips: Vec<BBox>,
    glyphs: Vec<Glyph>,
    strokes: Vec<Stroke>,
    fills: Vec<FilledRect>,
    images: u32,
    image_cover: f32,
    meter: &'m Meter,
    ops: u64,
    font_text: unicode::FontText,
    ink: ink::InkCache,
    /// The glyphs drawn in fonts without metadata, by run, with their ink: bold is settled at
    /// the end of the page ([`Collector::settle_bold`]).
    ink_runs: Vec<(std::ops::Range<usize>, ink::RunInk)>,
}

impl<'m> Collector<'m> {
    fn new(width: f32, height: f32, meter: &'m Meter) -> Self {
        Collector {
            width,
            height,
            clips: Vec::new(),
            glyphs: Vec::new(),
            strokes: Vec::new(),
            fills: Vec::new(),
            images: 0,
            image_cover: 0.0,
            meter,
            ops: 0,
            font_text: unicode::FontText::default(),
            ink: ink::InkCache::default(),
            ink_runs: Vec::new(),
        }
    }

    /// Marks bold the runs (in fonts without metadata) whose strokes are markedly wider than the
    /// page's usual ones: see `ink::bold_runs`.
    fn settle_bold(&mut self) {
        let runs: Vec<ink::RunInk> = self.ink_runs.iter().map(|(_, r)| *r).collect();
        for ((range, _), bold) in self.ink_runs.iter().zip(ink::bold_runs(&runs)) {
            if bold {
                for g in &mut self.glyphs[range.clone()] {
                    g.bold = true;
                }
            }
        }
    }

    /// Counts `n` drawing operations, reporting to the shared meter in batches.
    fn tick(&mut self, n: u64) {
        let before = self.ops / TICK_BATCH;
        self.ops += n;
        let after = self.ops / TICK_BATCH;
        if after > before {
            if self.ops > self.meter.page_cap {
                std::panic::resume_unwind(Box::new(OverBudget::PageOps { limit: self.meter.page_cap }));
            }
            self.meter.add((after - before) * TICK_BATCH);
        }
    }

    /// The visible area: the page intersected with every clip in force.
    fn visible(&self) -> BBox {
        let mut v = BBox::new(0.0, 0.0, self.width, self.height);
        for c in &self.clips {
            v = BBox { x0: v.x0.max(c.x0), y0: v.y0.max(c.y0), x1: v.x1.min(c.x1), y1: v.y1.min(c.y1) };
        }
        v
    }
}

fn colour_of(paint: &Paint<'_>) -> Option<(Colour, f32)> {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().to_rgba8();
            Some((Colour { r, g, b }, f32::from(a) / 255.0))
        }
        Paint::Pattern(_) => None,
    }
}

/// Splits a path into its sub-paths as lists of points (curves flattened to their end points).
fn subpaths(path: &BezPath, t: Affine) -> Vec<(Vec<Point>, bool)> {
    let mut out: Vec<(Vec<Point>, bool)> = Vec::new();
    let mut cur: Vec<Point> = Vec::new();
    let mut curved = false;
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => {
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), curved));
                }
                cur.clear();
                curved = false;
                cur.push(t * p);
            }
            PathEl::LineTo(p) => cur.push(t * p),
            PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                curved = true;
                cur.push(t * p)
            }
            PathEl::ClosePath => {
                if let Some(first) = cur.first().copied() {
                    cur.push(first);
                }
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), curved));
                }
                curved = false;
            }
        }
    }
    if cur.len() > 1 {
        out.push((cur, curved));
    }
    out
}

/// If the points trace an axis-aligned rectangle, its box.
fn as_rect(pts: &[Point]) -> Option<BBox> {
    if pts.len() < 4 || pts.len() > 6 {
        return None;
    }
    const EPS: f64 = 0.5;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.x - b.x).abs() > EPS && (a.y - b.y).abs() > EPS {
            return None;
        }
    }
    let (x0, y0, x1, y1) = bounds(pts.iter().copied());
    Some(BBox::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32))
}

/// The smallest upright box holding the points: (x0, y0, x1, y1).
fn bounds(pts: impl IntoIterator<Item = Point>) -> (f64, f64, f64, f64) {
    pts.into_iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |(x0, y0, x1, y1), p| (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y)))
}

impl<'a> Device<'a> for Collector<'_> {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        self.tick(1);
        let Some((colour, alpha)) = colour_of(&props.paint) else { return };
        if alpha < 0.05 {
            return;
        }
        let t = props.transform;
        let visible = self.visible();
        match draw_mode {
            DrawMode::Fill(_) | DrawMode::FillAndStroke(_, _) => {
                for (pts, curved) in subpaths(path, t) {
                    if curved {
                        continue;
                    }
                    if let Some(b) = as_rect(&pts) {
                        let b = BBox { x0: b.x0.max(visible.x0), y0: b.y0.max(visible.y0), x1: b.x1.min(visible.x1), y1: b.y1.min(visible.y1) };
                        if b.width() > 0.0 && b.height() > 0.0 {
                            self.fills.push(FilledRect { bbox: b, colour });
                        }
                    }
                }
                if let DrawMode::FillAndStroke(_, sp) = draw_mode {
                    self.push_strokes(path, t, sp.line_width, colour);
                }
            }
            DrawMode::Stroke(sp) => self.push_strokes(path, t, sp.line_width, colour),
            DrawMode::Invisible => {}
        }
    }

    fn push_clip_path(&mut self, clip_path: &ClipPath) {
        self.tick(1);
        let b = clip_path.path.bounding_box();
        self.clips.push(BBox::new(b.x0 as f32, b.y0 as f32, b.x1 as f32, b.y1 as f32));
    }

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {
        self.tick(1);
    }

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let invisible = matches!(draw_mode, DrawMode::Invisible);
        let colour = colour_of(&props.paint).map(|c| c.0).unwrap_or(Colour::BLACK);
        let visible = self.visible();
        let (bold, italic, inked) = self.run_style(run);
        let first_glyph = self.glyphs.len();
        for g in run.glyphs() {
            self.tick(1);
            let text = match g.as_unicode() {
                Some(hayro_interpret::hayro_cmap::BfString::Char(c)) => char_text(c),
                Some(hayro_interpret::hayro_cmap::BfString::String(s)) => ecow::EcoString::from(s),
                // No ToUnicode entry: the embedded font's own tables may say.
                None => match &**g {
                    HGlyph::Outline(o) => match o.font_data().and_then(|d| self.font_text.lookup(d.cache_key, (*d.data).as_ref(), o.glyph_id().to_u32())) {
                        Some(t) => ecow::EcoString::from(t),
                        None => continue,
                    },
                    HGlyph::Type3(_) => continue,
                },
            };
            if text.chars().all(|c| c.is_control()) {
                continue;
            }
            let (adv, is_bold, is_italic) = match &**g {
                HGlyph::Outline(o) => (o.advance_width().unwrap_or(500.0), bold, italic),
                HGlyph::Type3(t3) => (t3.advance_width().unwrap_or(500.0), false, false),
            };
            let Some(Placed { bbox, size, upright, direction }) = placed(props.transform * g.transform(), adv) else { continue };
            // Clipped or off-page text still arrives from the interpreter; drop what cannot be seen.
            if !visible.contains_point(bbox.cx(), bbox.cy(), 1.0) {
                continue;
            }
            self.glyphs.push(Glyph { text, bbox, size_pt: size, bold: is_bold, italic: is_italic, colour, upright, direction, invisible });
        }
        if let Some(sum) = inked {
            self.ink_runs.push((first_glyph..self.glyphs.len(), sum));
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        self.tick(1);
        self.images += 1;
        // The transform maps the image's pixels to the page; its box there, clipped to what shows.
        let t = props.transform;
        let (iw, ih) = (f64::from(image.width()), f64::from(image.height()));
        let corners = [t * Point::new(0.0, 0.0), t * Point::new(iw, 0.0), t * Point::new(0.0, ih), t * Point::new(iw, ih)];
        let (x0, y0, x1, y1) = bounds(corners);
        let v = self.visible();
        let w = (x1.min(f64::from(v.x1)) - x0.max(f64::from(v.x0))).max(0.0);
        let h = (y1.min(f64::from(v.y1)) - y0.max(f64::from(v.y0))).max(0.0);
        let page = f64::from(self.width) * f64::from(self.height);
        if page > 0.0 && (w * h).is_finite() {
            self.image_cover = self.image_cover.max(((w * h) / page).min(1.0) as f32);
        }
    }

    fn pop_clip(&mut self) {
        self.clips.pop();
    }

    fn pop_transparency_group(&mut self) {}
}

impl Collector<'_> {
    /// A run's weight and slant, once (one run, one font), and for a font with no metadata the
    /// ink of its outlines (bold is decided once the whole page is read).
    fn run_style(&mut self, run: &GlyphRun<'_, '_>) -> (bool, bool, Option<ink::RunInk>) {
        // The run's weight and slant, once (one run, one font): from the font's name and weight
        // where hayro gives them; for a font with no metadata (Type 1, embedded or standard), from
        // its outlines (`ink`): italic now, bold once the whole page is read, against the page's
        // usual stroke.
        let mut inked: Option<ink::RunInk> = None;
        let (bold, italic) = match run.glyphs().first().map(|g| &**g) {
            Some(HGlyph::Outline(first)) => match first.font_data() {
                Some(d) => {
                    let name = d.postscript_name.as_deref().unwrap_or_default().to_ascii_lowercase();
                    let bold = d.weight.is_some_and(|w| w >= 600) || ["bold", "black", "heavy"].iter().any(|k| name.contains(k));
                    let italic = d.is_italic || name.contains("italic") || name.contains("oblique");
                    (bold, italic)
                }
                None => {
                    let mut sum = ink::RunInk::default();
                    for g in run.glyphs() {
                        if let HGlyph::Outline(o) = &**g {
                            if let Some(i) = self.ink.get(o.identifier().cache_key(), || o.outline()) {
                                sum.add(i);
                            }
                        }
                    }
                    inked = Some(sum);
                    (false, sum.italic())
                }
            },
            _ => (false, false),
        };
        (bold, italic, inked)
    }

    fn push_strokes(&mut self, path: &BezPath, t: Affine, line_width: f32, colour: Colour) {
        // Line width is in user space; scale it by the transform's mean scale.
        let c = t.as_coeffs();
        let scale = ((c[0] * c[3] - c[1] * c[2]).abs().sqrt()) as f32;
        let width_pt = (line_width * scale).max(0.1);
        let visible = self.visible();
        for (pts, curved) in subpaths(path, t) {
            if curved {
                continue;
            }
            for w in pts.windows(2) {
                let (a, b) = (w[0], w[1]);
                let horizontal = (a.y - b.y).abs() < 0.5;
                let vertical = (a.x - b.x).abs() < 0.5;
                if !(horizontal || vertical) || (horizontal && vertical) {
                    continue;
                }
                let s = Stroke { x0: a.x as f32, y0: a.y as f32, x1: b.x as f32, y1: b.y as f32, width_pt, colour };
                let mid = ((s.x0 + s.x1) / 2.0, (s.y0 + s.y1) / 2.0);
                if visible.contains_point(mid.0, mid.1, 2.0) {
                    self.strokes.push(s);
                }
            }
        }
    }
}

/// A glyph's text of one character. An ASCII one is copied from a table made once: making it
/// afresh writes its byte and then reads the whole string back, which the processor cannot
/// forward from the write, and that stall was a third of the time spent collecting glyphs.
fn char_text(c: char) -> ecow::EcoString {
    static ASCII: std::sync::LazyLock<[ecow::EcoString; 128]> = std::sync::LazyLock::new(|| std::array::from_fn(|i| ecow::EcoString::from(char::from(i as u8))));
    if c.is_ascii() {
        ASCII[c as usize].clone()
    } else {
        ecow::EcoString::from(c)
    }
}

/// Where a glyph drawn with transform `t` (glyph space, 1000 units an em) and advance `adv`
/// stands on the page.
struct Placed {
    bbox: BBox,
    size: f32,
    /// Set left to right, the right way up.
    upright: bool,
    /// The direction of writing, in degrees (0, 90, 180, 270).
    direction: u16,
}

/// How far a glyph's box reaches below its baseline, as a share of its size: room for
/// descenders. [`placed`] draws the box in glyph units (1000 an em), [-200, +900].
pub const GLYPH_DESCENT_EM: f32 = 0.2;
/// How far a glyph's box reaches above its baseline, as a share of its size: room for capitals
/// and accents (see [`GLYPH_DESCENT_EM`]).
pub const GLYPH_ASCENT_EM: f32 = 0.9;

/// None for a glyph too small or too large to be text (under 0.5 pt or over 500 pt).
fn placed(t: Affine, adv: f32) -> Option<Placed> {
    let origin = t * Point::new(0.0, 0.0);
    let up = t * Point::new(0.0, 1000.0) - origin;
    let size = up.hypot() as f32;
    if !size.is_finite() || !(0.5..=500.0).contains(&size) {
        return None;
    }
    let adv = if adv > 0.0 { f64::from(adv) } else { 500.0 };
    let corners = [t * Point::new(0.0, -200.0), t * Point::new(adv, -200.0), t * Point::new(0.0, 900.0), t * Point::new(adv, 900.0)];
    let (x0, y0, x1, y1) = bounds(corners);
    let bbox = BBox::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32);
    let right = t * Point::new(adv, 0.0) - origin;
    let upright = right.x > 0.0 && right.y.abs() < right.x * 0.1 && up.y < 0.0;
    let direction = if right.x.abs() >= right.y.abs() {
        if right.x >= 0.0 {
            0
        } else {
            180
        }
    } else if right.y > 0.0 {
        90
    } else {
        270
    };
    Some(Placed { bbox, size, upright, direction })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each page goes to the next stage as soon as it is drawn, and comes back in page order; a
    /// panic in that stage skips its page alone, with a warning naming the page.
    #[test]
    fn a_fault_in_the_next_stage_skips_that_page_only() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../inputs/northdale-2024-q3-tracker.pdf");
        let limits = Limits::default();
        let meter = Meter::start(&limits);
        let doc = read_file_with(&path, &None, &meter, &limits, |raw| {
            assert!(!raw.glyphs.is_empty(), "page {} was drawn first", raw.page);
            if raw.page == 2 {
                panic!("a fault after drawing");
            }
            raw.page
        })
        .expect("the other pages read");
        assert!(doc.page_count >= 3);
        let expected: Vec<u32> = (1..=doc.page_count).filter(|p| *p != 2).collect();
        assert_eq!(doc.pages, expected);
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        assert_eq!(doc.warnings[0].page, Some(2));
        assert!(doc.warnings[0].message.contains("could not be read and was skipped (a fault after drawing)"), "{}", doc.warnings[0].message);
    }
}
