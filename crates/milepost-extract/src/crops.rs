//! Pictures of where rows came from: the region of a page a record was read from, rendered from
//! the PDF with the hayro renderer (the same hayro the reader interprets pages with).
//!
//! In: a PDF's path, the [`Limits`], and the regions wanted (page and box, in the reader's
//! points, origin top-left). Out: one [`Crop`] per region that could be drawn, as a PNG. Each
//! page that holds a wanted region is rendered once, at [`SCALE`] (less where that would pass
//! [`MAX_PAGE_PIXELS`]), and the regions are cut from it with a [`MARGIN`] around them; a region
//! taller than [`MAX_CROP_HEIGHT`] pixels is cut at that height. At most [`MAX_CROPS`] regions of
//! one document are drawn, and no page once the deadline the caller gives has passed.
//!
//! In a run this happens in the document's worker process, after its records are made: the
//! same memory cap and timeout as reading (`isolate`).
//!
//! Which rows are shown and drawn ([`rows_to_review`], [`regions_to_draw`]) is decided here too,
//! so that the worker that draws them (`isolate`) need not reach into the page that shows them.
//!
//! Not here: the page that shows them (`review`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayro::hayro_interpret::{InterpreterSettings, RenderContent};
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::Affine;
use hayro::vello_cpu;
use serde::{Deserialize, Serialize};

use crate::budget::Limits;
use crate::normalise::quality::{doubtful_rows, Quality};
use crate::record::Record;

/// Pixels per point a page is rendered at: 1.5 (108 dots per inch), so that 8-point table text
/// is 12 pixels high and reads clearly on a laptop screen. At 2 a row of the 600-row tracker
/// took 130 KB in the page (PNG, base64) against 53 KB at 1.5.
pub const SCALE: f64 = 1.5;
/// The most pixels one rendered page may have (about an A3 page at [`SCALE`]); a larger page is
/// rendered at a smaller scale, so that no page size can exhaust memory (4 bytes a pixel: 32 MB).
pub const MAX_PAGE_PIXELS: f64 = 8.0e6;
/// Points of page shown around a row's box, so that the row's neighbours and rules show.
pub const MARGIN: f32 = 6.0;
/// A crop is cut at this height in pixels (a row that fills a page is shown from its top).
pub const MAX_CROP_HEIGHT: u32 = 900;
/// Regions drawn for one document, at most (about 5 MB of the page): past this many doubtful
/// rows the document's table was read badly as a whole, and its rows link to the PDF instead.
pub const MAX_CROPS: usize = 100;

/// A region of a page wanted as a picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// 1-based page.
    pub page: u32,
    /// `[x0, y0, x1, y1]` in points, origin top-left (as [`crate::record::Source::bbox`]).
    pub bbox: [f32; 4],
}

/// A region drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crop {
    /// 1-based page.
    pub page: u32,
    /// The row's box it shows (the key a record finds its picture by).
    pub bbox: [f32; 4],
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
    /// Whether the row's box was taller than the picture shows.
    pub cut: bool,
    /// The PNG, base64 (it crosses the worker's JSON and goes into the page as a data URL).
    pub png_base64: String,
}

/// Draws the wanted regions of the PDF at `path`, stopping at `deadline` (the pages drawn by
/// then are kept). Regions of pages that cannot be drawn are left out; so are those past
/// [`MAX_CROPS`]. Never panics.
pub fn draw(path: &Path, regions: &[Region], limits: &Limits, deadline: std::time::Instant) -> Vec<Crop> {
    if regions.is_empty() {
        return Vec::new();
    }
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    if bytes.len() as u64 > limits.max_file_mb.saturating_mul(1_000_000) {
        return Vec::new();
    }
    catch_unwind(AssertUnwindSafe(|| draw_from(bytes, regions, limits, deadline))).unwrap_or_default()
}

fn draw_from(bytes: Vec<u8>, regions: &[Region], limits: &Limits, deadline: std::time::Instant) -> Vec<Crop> {
    let Ok(pdf) = Pdf::new(bytes) else { return Vec::new() };
    // The same refusal as reading: a decompression bomb is not drawn either.
    if crate::budget::check_streams(&pdf, limits).is_err() {
        return Vec::new();
    }
    let mut pages: Vec<u32> = regions.iter().take(MAX_CROPS).map(|r| r.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let cache = hayro::RenderCache::new();
    let settings = InterpreterSettings { render_content: RenderContent::PAGE | RenderContent::ANNOTATIONS, ..Default::default() };
    let mut out = Vec::new();
    for page_no in pages {
        if std::time::Instant::now() >= deadline {
            break;
        }
        let Some(page) = pdf.pages().get(page_no.wrapping_sub(1) as usize) else { continue };
        let (w, h) = page.render_dimensions();
        let scale = SCALE.min((MAX_PAGE_PIXELS / (f64::from(w) * f64::from(h)).max(1.0)).sqrt());
        let (pw, ph) = ((f64::from(w) * scale).ceil().min(f64::from(u16::MAX)) as u16, (f64::from(h) * scale).ceil().min(f64::from(u16::MAX)) as u16);
        if pw == 0 || ph == 0 {
            continue;
        }
        let drawn = catch_unwind(AssertUnwindSafe(|| {
            let mut ctx = vello_cpu::RenderContext::new(pw, ph);
            let transform = Affine::scale(scale) * Affine::new(page.initial_transform(true).as_coeffs().map(f64::from));
            hayro::render_into(page, &cache, &settings, &hayro::RenderSettings::default(), &mut ctx, transform);
            ctx.flush();
            let mut pixmap = vello_cpu::Pixmap::new(pw, ph);
            ctx.render_with(
                &mut pixmap,
                &mut vello_cpu::Resources::default(),
                vello_cpu::RasterizerSettings { target_init: vello_cpu::TargetInit::Clear(vello_cpu::color::palette::css::WHITE), ..Default::default() },
            );
            pixmap
        }));
        let Ok(pixmap) = drawn else { continue };
        for r in regions.iter().take(MAX_CROPS).filter(|r| r.page == page_no) {
            if let Some(c) = cut(&pixmap, r, scale as f32, w, h) {
                out.push(c);
            }
        }
    }
    out
}

/// The region, with its margin, cut from the rendered page and encoded as PNG.
fn cut(pixmap: &vello_cpu::Pixmap, r: &Region, scale: f32, w: f32, h: f32) -> Option<Crop> {
    let [x0, y0, x1, y1] = r.bbox;
    if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) || x1 <= x0 || y1 <= y0 {
        return None;
    }
    let px = |v: f32, limit: f32| ((v.clamp(0.0, limit)) * scale).round() as u32;
    let (left, top) = (px(x0 - MARGIN, w), px(y0 - MARGIN, h));
    let (right, bottom) = (px(x1 + MARGIN, w).min(u32::from(pixmap.width())), px(y1 + MARGIN, h).min(u32::from(pixmap.height())));
    if right <= left || bottom <= top {
        return None;
    }
    let cut = bottom - top > MAX_CROP_HEIGHT;
    let bottom = bottom.min(top + MAX_CROP_HEIGHT);
    let (cw, ch) = (right - left, bottom - top);
    let stride = usize::from(pixmap.width());
    let data = pixmap.data();
    let mut rgb = Vec::with_capacity((cw * ch * 3) as usize);
    for y in top..bottom {
        let row = &data[y as usize * stride + left as usize..y as usize * stride + right as usize];
        for p in row {
            // Drawn over opaque white: premultiplied and straight colour are the same.
            rgb.extend_from_slice(&[p.r, p.g, p.b]);
        }
    }
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, cw, ch);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let mut writer = enc.write_header().ok()?;
        writer.write_image_data(&rgb).ok()?;
        writer.finish().ok()?;
    }
    Some(Crop { page: r.page, bbox: r.bbox, width: cw, height: ch, cut, png_base64: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &png) })
}

/// The indexes of the records the page shows, in order: flagged or doubtful rows, and, where the
/// verdict is "check", every row of the pages the self-check names.
pub fn rows_to_review(records: &[Record], quality: Option<&Quality>) -> Vec<usize> {
    let doubtful = doubtful_rows(records);
    let check_pages: &[u32] = match quality {
        Some(q) if q.warning.is_some() => &q.pages,
        _ => &[],
    };
    (0..records.len())
        .filter(|&i| {
            let r = &records[i];
            !r.flags.is_empty() || doubtful[i] || (r.source.sheet.is_none() && check_pages.contains(&r.source.page))
        })
        .collect()
}

/// The regions to draw for a document's rows to review (rows with a box on a PDF page).
pub fn regions_to_draw(records: &[Record], quality: Option<&Quality>) -> Vec<Region> {
    rows_to_review(records, quality)
        .into_iter()
        .filter_map(|i| {
            let s = &records[i].source;
            match (&s.sheet, s.bbox) {
                (None, Some(bbox)) => Some(Region { page: s.page, bbox }),
                _ => None,
            }
        })
        .collect()
}
