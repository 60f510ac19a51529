//! Typesets a pack as a tagged PDF with Typst, used as a library (decision and measurements:
//! `../shared/docs/report-engine.md`).
//!
//! In: the template's text (`templates/report.typ`), the [`Pack`] (given to the template as the
//! virtual file `/data.json`) and an optional logo. Out: the PDF's bytes, tagged, titled, in
//! en-GB, exported as PDF/UA-1 (or, where Typst refuses UA-1 for this content, as a tagged PDF
//! with a note saying so), or the template's mistakes with their lines.
//!
//! The "world" Typst compiles in is in memory: the template, the JSON, the logo and the fonts
//! embedded in milepost (Liberation Sans, SIL OFL, in `fonts/`; Typst's own fonts for maths and
//! symbols). It reads no other file, fetches no package and knows no system fonts, so a pack
//! looks the same on every machine.
//!
//! Not here: what the pack says (`pack`); where it is written (`mod.rs`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::pack::Pack;

/// The shipped template, used when `templates/report.typ` is absent.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../../templates/report.typ");
/// The shipped tracker appendix template, used when `templates/appendix.typ` is absent.
pub const DEFAULT_APPENDIX: &str = include_str!("../../../../templates/appendix.typ");

/// The fonts, parsed once per process: the embedded Liberation Sans and Typst's own.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    // typst-assets has no sans-serif face; Liberation Sans is metric-compatible with Arial,
    // which most council trackers use.
    let ours: [&'static [u8]; 3] = [
        include_bytes!("../../../../fonts/LiberationSans-Regular.ttf"),
        include_bytes!("../../../../fonts/LiberationSans-Bold.ttf"),
        include_bytes!("../../../../fonts/LiberationSans-Italic.ttf"),
    ];
    let fonts: Vec<Font> = ours.into_iter().chain(typst_assets::fonts()).flat_map(|b| Font::iter(Bytes::new(b))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// How many documents are being compiled now, in any thread (see the eviction in [`render`]).
static RENDERING: AtomicUsize = AtomicUsize::new(0);
/// Whether the cache trimmer ([`trim_while_rendering`]) is running.
static TRIMMING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn project_file(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a fixed, valid virtual path")).intern()
}

/// The in-memory world: one template, the pack's JSON, maybe a logo.
struct PackWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    logo: Option<(FileId, Bytes)>,
    today: (i32, u8, u8),
}

impl World for PackWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        match &self.logo {
            Some((logo_id, bytes)) if *logo_id == id => Ok(bytes.clone()),
            _ => Err(FileError::AccessDenied),
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.0, self.today.1, self.today.2)
    }
}

/// A PDF made, and whether it is PDF/UA-1.
#[derive(Debug)]
pub struct Rendered {
    /// The PDF's bytes.
    pub bytes: Vec<u8>,
    /// Pages.
    pub pages: usize,
    /// True when exported as PDF/UA-1; false when Typst refused UA-1 and it is tagged only.
    pub ua1: bool,
    /// Why UA-1 was refused, in Typst's words.
    pub ua1_refused: Vec<String>,
    /// Time spent laying out (Typst's compile) and writing the PDF (export), for the benchmark
    /// (`examples/render_cost.rs`); never printed by a run.
    pub timings: (std::time::Duration, std::time::Duration),
}

/// Where the template lives, for messages ("templates/report.typ").
pub struct Template<'a> {
    /// Its text.
    pub text: &'a str,
    /// How messages name it.
    pub file: &'a str,
}

/// A template mistake as "file, line N: message (hint: …)".
fn describe(world: &PackWorld, file: &str, d: &SourceDiagnostic) -> crate::config::ConfigError {
    let line = if d.span.id() == Some(world.main.id()) { world.range(d.span).map(|r| super::settings::line_of(world.main.text(), r.start)) } else { None };
    let mut message = d.message.to_string();
    if d.span.id() == Some(world.data_id) {
        message.push_str(" (in the data milepost gives the template: please report it)");
    }
    for h in &d.hints {
        message.push_str("; hint: ");
        message.push_str(&h.v);
    }
    crate::config::ConfigError { file: file.to_string(), line, message }
}

/// Compiles and exports. `today` is the date Typst's `datetime.today()` gives.
pub fn render(template: &Template, pack: &Pack, logo: Option<&[u8]>, today: (i32, u8, u8)) -> Result<Rendered, Vec<crate::config::ConfigError>> {
    render_data(template, data_of(pack), logo_of(pack, logo), today)
}

/// The pack as the template reads it (`/data.json`).
pub fn data_of(pack: &Pack) -> Vec<u8> {
    serde_json::to_vec(pack).expect("a Pack is plain data")
}

/// The logo the template may show: its path in the pack's data and its bytes, where both are
/// given.
pub fn logo_of(pack: &Pack, logo: Option<&[u8]>) -> Option<(String, Vec<u8>)> {
    match (&pack.logo, logo) {
        (Some(path), Some(bytes)) => Some((path.clone(), bytes.to_vec())),
        _ => None,
    }
}

/// [`render`] from the pack's data as bytes ([`data_of`]): what a layout helper process is
/// given (`elsewhere`), with the same result.
pub fn render_data(template: &Template, data: Vec<u8>, logo: Option<(String, Vec<u8>)>, today: (i32, u8, u8)) -> Result<Rendered, Vec<crate::config::ConfigError>> {
    let world = PackWorld {
        main: Source::new(project_file("/report.typ"), template.text.to_string()),
        data_id: project_file("/data.json"),
        data: Bytes::new(data),
        logo: logo.map(|(path, bytes)| (project_file(&path), Bytes::new(bytes))),
        today,
    };
    let result = {
        let _counted = Rendering::start();
        let started = std::time::Instant::now();
        let compiled = typst::compile::<PagedDocument>(&world);
        let laid_out = started.elapsed();

        export(compiled.output, &world, template).map(|mut r| {
            r.timings = (laid_out, started.elapsed() - laid_out);
            r
        })
    };
    // Typst memoises layout work across compilations; a batch makes each document once, so the
    // cache only holds memory (on the 600-row tracker, most of the run's peak). Where another
    // document is being made beside this one, what it used since the last eviction stays (its
    // next layout pass needs it) and the rest goes now. Where none is, the trimmer empties the
    // cache at its next tick, on its own thread: freeing a long document's cache takes 6–7 ms
    // that the caller (the run, waiting for its last document) need not wait for.
    if RENDERING.load(Ordering::SeqCst) > 0 {
        typst::comemo::evict(1);
    }
    result
}

/// One compile counted in [`RENDERING`] while it lasts (also if it panics).
struct Rendering;

impl Rendering {
    fn start() -> Rendering {
        // The first compile after none: what the last document cached goes now, if the trimmer
        // has not emptied the cache yet (a thread that goes on to its next document at once
        // would otherwise carry the last one's cache into it).
        if RENDERING.fetch_add(1, Ordering::SeqCst) == 0 {
            forget_layouts();
        }
        // One trimmer while any compile runs; it stops when none does.
        if TRIMMING.compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst).is_ok()
            && std::thread::Builder::new().name("typst-cache-trim".into()).spawn(trim_while_rendering).is_err()
        {
            TRIMMING.store(false, Ordering::SeqCst);
        }
        Rendering
    }
}

/// Loads the fonts and Typst's library now rather than at the first layout (see
/// [`super::warm_up`]).
pub fn prepare() {
    LazyLock::force(&FONTS);
    LazyLock::force(&LIBRARY);
}

/// Drops everything Typst has memoised in this process (its fonts and library stay).
pub fn forget_layouts() {
    typst::comemo::evict(0);
}

/// How often the trimmer runs while any document is being laid out, and how many of its ticks
/// a memoised result may go unused before it is dropped.
///
/// Typst memoises every cell, paragraph and block it lays out, and a frame kept in that cache
/// is copied, not shared, when the layout above moves it (`Frame::translate`; measured with
/// massif: 47 of the 124 MB at the peak of the 600-row appendix). A batch lays out each
/// document once, so what one part of a long table cached is of no use to a later part. On the
/// 600-row tracker, with its pack and appendix laid out side by side, peak memory of the run
/// went 228 → 172 MB at 20 ms / 4 ticks, its time unchanged within the noise; 20 ms / 2 ticks
/// slowed it (results dropped before the next layout pass could reuse them); 40 ms / 2 ticks
/// saved as much. The PDFs are byte for byte the same: only what is recomputed changes.
const TRIM_EVERY: std::time::Duration = std::time::Duration::from_millis(20);
/// See [`TRIM_EVERY`].
const TRIM_UNUSED_TICKS: usize = 4;

/// Drops memoised layout results unused for [`TRIM_UNUSED_TICKS`] ticks, every [`TRIM_EVERY`],
/// while any document is being laid out.
fn trim_while_rendering() {
    loop {
        std::thread::sleep(TRIM_EVERY);
        if RENDERING.load(Ordering::SeqCst) == 0 {
            TRIMMING.store(false, Ordering::SeqCst);
            // A compile that started just now saw a trimmer running and started none.
            if RENDERING.load(Ordering::SeqCst) > 0 && TRIMMING.compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                continue;
            }
            // Nothing is being laid out: what the last documents cached is of no more use. (A
            // compile starting meanwhile only lays out again what this drops.)
            forget_layouts();
            break;
        }
        typst::comemo::evict(TRIM_UNUSED_TICKS);
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        RENDERING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The compiled document as PDF/UA-1 where allowed, else tagged PDF.
fn export(output: typst::diag::SourceResult<PagedDocument>, world: &PackWorld, template: &Template) -> Result<Rendered, Vec<crate::config::ConfigError>> {
    let doc = output.map_err(|errs| errs.iter().filter(|d| d.severity == Severity::Error).map(|d| describe(world, template.file, d)).collect::<Vec<_>>())?;
    let pages = doc.pages().len();
    let options = PdfOptions { standards: PdfStandards::new(&[PdfStandard::Ua_1]).expect("UA-1 alone is a valid set of standards"), ..Default::default() };
    match typst_pdf::pdf(&doc, &options) {
        Ok(bytes) => Ok(Rendered { bytes, pages, ua1: true, ua1_refused: Vec::new(), timings: Default::default() }),
        Err(ua_errs) => {
            // UA-1 validates on export; where this content breaks one of its rules, a tagged
            // PDF is still far better than none. The note says why, for the officer.
            let ua1_refused: Vec<String> = ua_errs.iter().map(|d| describe(world, template.file, d).to_string()).collect();
            let bytes = typst_pdf::pdf(&doc, &PdfOptions::default()).map_err(|errs| errs.iter().map(|d| describe(world, template.file, d)).collect::<Vec<_>>())?;
            Ok(Rendered { bytes, pages, ua1: false, ua1_refused, timings: Default::default() })
        }
    }
}
