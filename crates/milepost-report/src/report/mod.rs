//! The report stage: records → Cabinet report packs, one PDF and one Excel workbook per plan and
//! period, in `outputs/packs/`, and the tracker appendix itself (`outputs/appendix/`, laid out
//! by `templates/appendix.typ` from the same data), which milepost reads back as the same
//! records.
//!
//! In: every record of a run, what is known of each input document ([`DocInfo`]: its file name
//! and title lines), and the [`ReportConfig`] (`templates/report.toml`, `templates/report.typ`,
//! the input folder's optional `milepost-plans.toml`). Out: the files, written atomically, and
//! for each pack a [`PackWritten`]; for each document whose plan or period cannot be told, a
//! [`ReportError`] naming the file and what to add. One bad document does not stop the others'
//! packs. Packs are built in parallel, one per core (Typst lays out a document on one thread):
//! the first thread in this process, the others, where the caller gives helpers, in layout
//! helper processes beside it ([`elsewhere`]: two layouts in one process slow each other down).
//!
//! The parts:
//! - [`plan`]: which plan and period a document is.
//! - [`summary`]: the numbers (counts, by theme, exceptions, changes between periods): pure
//!   functions on records.
//! - [`pack`]: everything one pack shows, worded, as the template's JSON and the workbook's cells.
//! - [`pdf`]: Typst as a library: the template compiled to a tagged PDF (PDF/UA-1 where allowed).
//! - [`elsewhere`]: the same, in a helper process, through a pipe.
//! - [`xlsx`]: the Excel pack.
//! - [`settings`]: the pack's settings, from `report.toml`.
//!
//! Not here: reading PDFs or making records (the earlier stages); printing messages (the CLI).

pub mod elsewhere;
pub mod pack;
pub mod pdf;
pub mod plan;
pub mod settings;
pub mod summary;
pub mod timescales;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use plan::{DocInfo, Period, PlanFile, PlanPeriod, PLANS_FILE};
pub use settings::Settings;

use crate::config::ConfigError;
use crate::output::OutputError;
use crate::record::{Kind, Record, Source, Status, StatusValue, Target};
use crate::staged::Staged;

/// The folder, under the output folder, that packs go in.
pub const PACKS_DIR: &str = "packs";
/// The folder, under the output folder, that tracker appendices go in.
pub const APPENDIX_DIR: &str = "appendix";

/// Why a pack (or a document's part in one) could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The template failed on this pack's data (the sample compiled, so it is data-specific).
    #[error("{pack}: the report template failed: {}", .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Template {
        /// The pack's file name.
        pack: String,
        /// Typst's messages, with file and line.
        errors: Vec<ConfigError>,
    },
    /// The Excel workbook could not be built.
    #[error("{pack}: could not build the Excel pack ({message})")]
    Excel {
        /// The pack's file name.
        pack: String,
        /// rust_xlsxwriter's reason.
        message: String,
    },
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] OutputError),
    /// The history database could not be read (packs are made without the stored periods) or
    /// updated.
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
}

impl ReportError {
    /// What the officer can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ReportError::Template { .. } => Some("check the lines named in templates/report.typ, then run `milepost check`".into()),
            ReportError::Excel { .. } => Some("the PDF pack and the records.xlsx output hold the same rows; if this happens again, please report it".into()),
            ReportError::Write(e) => e.hint().map(String::from),
            ReportError::History(_) => Some(format!(
                "packs were made without the earlier periods it holds; if it is damaged, move {} out of the output folder and run again",
                crate::history::HISTORY_FILE
            )),
        }
    }
}

/// A pack written.
#[derive(Debug, Clone)]
pub struct PackWritten {
    /// Plan short name.
    pub plan: String,
    /// Period ("Q3 2024/25").
    pub period: String,
    /// The PDF's path.
    pub pdf: PathBuf,
    /// The workbook's path.
    pub xlsx: PathBuf,
    /// Rows in the pack.
    pub rows: usize,
    /// Pages of the PDF.
    pub pages: usize,
    /// The previous period it was compared with, if any.
    pub compared_with: Option<String>,
    /// Whether the PDF is PDF/UA-1 (false: tagged only; `notes` says why).
    pub ua1: bool,
    /// Things the officer should know (UA-1 refused, and why).
    pub notes: Vec<String>,
    /// The files written (relative to the output folder) with the blake3 hash of their bytes.
    pub files: Vec<(String, String)>,
    /// What the pack is made from, hashed: its records, the earlier period's it is compared with,
    /// and the run's setup (version, templates). The same fingerprint next run reuses the pack.
    pub fingerprint: String,
    /// Whether the pack was kept from an earlier run (its fingerprint and files unchanged).
    pub reused: bool,
}

/// A pack an earlier run made (from its manifest), which this run may keep.
#[derive(Debug, Clone)]
pub struct PriorPack {
    /// [`PackWritten::fingerprint`].
    pub fingerprint: String,
    /// Its files with their hashes.
    pub files: Vec<(String, String)>,
    /// Pages of its PDF.
    pub pages: usize,
    /// Whether its PDF is PDF/UA-1.
    pub ua1: bool,
}

/// What [`build_packs`] did: packs written, and problems that stopped a document or a pack.
#[derive(Debug, Default)]
pub struct PackRun {
    /// Packs written.
    pub written: Vec<PackWritten>,
    /// Documents left out, and packs that failed.
    pub errors: Vec<ReportError>,
    /// Each plan and period this run read, with its files and records (stored in the history,
    /// where one was given; the review page links each input to its pack from them).
    pub periods: Vec<(PlanPeriod, Vec<String>, Vec<Record>)>,
}

/// The report's configuration: settings, template, logo, plans file, date.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// `report.toml`, checked.
    pub settings: Settings,
    /// The template's text.
    pub template: String,
    /// How messages name the template (`templates/report.typ`).
    pub template_file: String,
    /// The tracker appendix's template (`templates/appendix.typ`).
    pub appendix: String,
    /// How messages name it.
    pub appendix_file: String,
    /// The logo's bytes, if `report.toml` names one.
    pub logo: Option<Vec<u8>>,
    /// The input folder's `milepost-plans.toml`.
    pub plans: PlanFile,
    /// The date printed as "produced" (year, month, day); `None`: today.
    pub produced_on: Option<(i32, u8, u8)>,
    /// The input folder, where known: the workbook's Page cells link to the source PDFs there.
    pub input_dir: Option<PathBuf>,
}

impl ReportConfig {
    /// The shipped settings and template, no plans file.
    pub fn builtin() -> ReportConfig {
        ReportConfig {
            settings: Settings::builtin(),
            template: pdf::DEFAULT_TEMPLATE.to_string(),
            template_file: "templates/report.typ".into(),
            appendix: pdf::DEFAULT_APPENDIX.to_string(),
            appendix_file: "templates/appendix.typ".into(),
            logo: None,
            plans: PlanFile::default(),
            produced_on: None,
            input_dir: None,
        }
    }

    /// Loads `report.toml` and `report.typ` from the templates folder (each falls back to the
    /// shipped one when absent), the logo it names, and `milepost-plans.toml` from the input
    /// folder when given. Every mistake is returned, each with its file and line.
    pub fn load(templates_dir: &Path, input_dir: Option<&Path>) -> Result<ReportConfig, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let toml_path = templates_dir.join("report.toml");
        let shown = toml_path.display().to_string();
        let mut toml_text = String::new();
        let settings = match std::fs::read_to_string(&toml_path) {
            Ok(text) => {
                let s = Settings::parse(&shown, &text).map_err(|e| errors.extend(e)).ok();
                toml_text = text;
                s
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Settings::builtin()),
            Err(e) => {
                errors.push(ConfigError { file: shown, line: None, message: format!("could not be read ({e})") });
                None
            }
        };
        let mut typ = |name: &str, builtin: &str| {
            let path = templates_dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(t) => (t, path.display().to_string()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (builtin.to_string(), format!("templates/{name} (built in)")),
                Err(e) => {
                    errors.push(ConfigError { file: path.display().to_string(), line: None, message: format!("could not be read ({e})") });
                    (String::new(), String::new())
                }
            }
        };
        let (template, template_file) = typ("report.typ", pdf::DEFAULT_TEMPLATE);
        let (appendix, appendix_file) = typ("appendix.typ", pdf::DEFAULT_APPENDIX);
        let logo = match settings.as_ref().and_then(|s| s.logo.clone()) {
            Some(l) => match std::fs::read(templates_dir.join(&l)) {
                Ok(b) => Some(b),
                Err(e) => {
                    let line = toml_text.lines().position(|t| t.trim_start().starts_with("logo") && t.contains(l.as_str())).map(|i| i + 1);
                    errors.push(ConfigError { file: shown_of(&toml_path), line, message: format!("the logo \"{l}\" could not be read from {} ({e})", templates_dir.display()) });
                    None
                }
            },
            None => None,
        };
        let plans = match input_dir {
            Some(d) => PlanFile::load(d).map_err(|e| errors.extend(e)).unwrap_or_default(),
            None => PlanFile::default(),
        };
        match settings {
            Some(settings) if errors.is_empty() => {
                Ok(ReportConfig { settings, template, template_file, appendix, appendix_file, logo, plans, produced_on: None, input_dir: input_dir.map(Path::to_path_buf) })
            }
            _ => Err(errors),
        }
    }
}

impl ReportConfig {
    /// Whether both templates are the shipped ones and no logo is named: the tests compile
    /// exactly these against the sample, so a run need not check them again (35 ms and 10 MB
    /// of a run's start).
    pub fn templates_are_shipped(&self) -> bool {
        self.template == pdf::DEFAULT_TEMPLATE && self.appendix == pdf::DEFAULT_APPENDIX && self.logo.is_none()
    }
}

fn shown_of(p: &Path) -> String {
    p.display().to_string()
}

/// "22 November 2026".
fn long_date((y, m, d): (i32, u8, u8)) -> String {
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    format!("{d} {} {y}", MONTHS.get(usize::from(m.saturating_sub(1))).copied().unwrap_or("?"))
}

fn today() -> (i32, u8, u8) {
    let now = crate::clock::now_utc(); // "YYYY-MM-DDTHH:MM:SSZ"
    let n = |r: std::ops::Range<usize>| now.get(r).and_then(|s| s.parse::<i32>().ok()).unwrap_or(1);
    (n(0..4), n(5..7) as u8, n(8..10) as u8)
}

/// One pack's inputs: its plan and period, records and source documents.
struct Group {
    plan: PlanPeriod,
    files: Vec<String>,
    records: Vec<Record>,
    /// PDFs of the same plan and period left out because an updated workbook replaces them.
    superseded: Vec<String>,
}

/// Groups the records into packs by plan and period, in input order.
fn group(records: &[Record], docs: &[DocInfo], plans: &PlanFile) -> Vec<Group> {
    let mut by_file: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for r in records {
        let f = r.source.file.as_str();
        if !by_file.contains_key(f) {
            order.push(f);
        }
        by_file.entry(f).or_default().push(r);
    }
    let mut groups: Vec<Group> = Vec::new();
    for file in order {
        let doc = docs.iter().find(|d| d.file == file).cloned().unwrap_or_else(|| DocInfo { file: file.to_string(), ..Default::default() });
        let pp = plan::identify(&doc, plans);
        let rows = by_file[file].iter().map(|r| (*r).clone());
        match groups.iter_mut().find(|g| g.plan.plan == pp.plan && g.plan.period == pp.period) {
            Some(g) => {
                g.files.push(file.to_string());
                g.records.extend(rows);
            }
            None => groups.push(Group { plan: pp, files: vec![file.to_string()], records: rows.collect(), superseded: Vec::new() }),
        }
    }
    // An officer's updated workbook is the plan's record for its period: a PDF of the same plan
    // and period (last quarter's appendix re-dated, or the PDF the workbook came from) would count
    // every row twice.
    let is_workbook = |f: &str| crate::workbook::is_workbook(Path::new(f));
    for g in &mut groups {
        if g.files.iter().any(|f| is_workbook(f)) && g.files.iter().any(|f| !is_workbook(f)) {
            g.superseded = g.files.iter().filter(|f| !is_workbook(f)).cloned().collect();
            g.files.retain(|f| is_workbook(f));
            g.records.retain(|r| is_workbook(&r.source.file));
        }
    }
    groups
}

/// Builds and writes one PDF and one Excel pack per plan and period found in the records, into
/// `<out_dir>/packs/<plan>-<period>.pdf` and `.xlsx`. Where an earlier period of the same plan
/// is among the records, the pack shows what changed since the latest such period.
///
/// `docs` gives the title lines of each input (plan and period are read from them); a record
/// whose file has no `DocInfo` is placed by its file name alone.
pub fn build_packs(records: &[Record], docs: &[DocInfo], cfg: &ReportConfig, out_dir: &Path) -> PackRun {
    let staged = Staged::new();
    let mut run = build_packs_staged(records, docs, cfg, out_dir, &staged, &BTreeMap::new(), "", None, 0, &|| {}, None);
    run.errors.extend(staged.commit().into_iter().map(ReportError::Write));
    run
}

/// [`build_packs`], its files written to `staged` (put in place by the caller's commit, with the
/// rest of a run's outputs). A pack whose fingerprint (records, compared period, `setup`) equals
/// its entry in `prior` and whose files are intact on disk is kept, not rebuilt.
///
/// `history`, where given (the database, and when this run read its documents), supplies the
/// earlier periods of each plan whose PDFs are no longer among the inputs, so that changes since
/// the last period are still shown; each period read now is stored in it, in one transaction,
/// beside the layouts (with `beside`), except a kept pack's period already stored. At most `threads`
/// packs are made at once (0: one per core). `beside` is work of the caller's (a run's combined
/// record files) done on the first of those threads to have no part left to lay out, while the
/// longest part (a long tracker's appendix) is still being laid out.
#[allow(clippy::too_many_arguments)]
pub fn build_packs_staged(
    records: &[Record],
    docs: &[DocInfo],
    cfg: &ReportConfig,
    out_dir: &Path,
    staged: &Staged,
    prior: &BTreeMap<String, PriorPack>,
    setup: &str,
    history: Option<(&mut crate::history::History, &str)>,
    threads: usize,
    beside: &(dyn Fn() + Sync),
    helpers: Option<&elsewhere::Helpers>,
) -> PackRun {
    let mut run = PackRun::default();
    let mut groups = group(records, docs, &cfg.plans);
    let read_now = groups.len();
    let (history, recorded_at) = match history {
        Some((h, at)) => (Some(h), at),
        None => (None, ""),
    };
    if let Some(h) = history.as_deref() {
        groups.extend(earlier_from_history(h, &groups, &mut run.errors));
    }
    let date = cfg.produced_on.unwrap_or_else(today);
    let produced = long_date(date);
    // What each pack is made from; a pack whose inputs are unchanged is kept as it is.
    let prepared: Vec<Prepared> = (0..read_now).map(|i| prepare(&groups[i], &groups, cfg, date, &produced, out_dir, prior, setup)).collect();
    // Then every PDF of the run, packs and appendices alike, laid out side by side: one per core
    // (Typst lays out most of a document on one thread), the longest first, so that a long
    // tracker's appendix is not left to finish alone after the rest; `beside` last.
    let mut parts: Vec<(usize, Part, &ToMake)> = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        if let Prepared::Make(m) = p {
            parts.extend([(i, Part::Appendix, &**m), (i, Part::Pack, &**m)]);
        }
    }
    parts.sort_by_key(|&(_, part, m)| std::cmp::Reverse(part.cost(m.rows)));
    let jobs: Vec<Option<(usize, Part, &ToMake)>> = parts.into_iter().map(Some).chain([None]).collect();
    // The history does not depend on the layouts: stored with the caller's work beside them,
    // rather than after them, on a long tracker while its appendix is still being laid out.
    let kept: Vec<(&str, String)> = prepared.iter().filter_map(|p| if let Prepared::Kept(w) = p { Some((w.plan.as_str(), w.period.clone())) } else { None }).collect();
    let history = std::sync::Mutex::new(history);
    let stored = std::sync::Mutex::new(None);
    let beside = || {
        beside();
        let mut h = history.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = h.as_deref_mut() {
            *stored.lock().unwrap_or_else(|e| e.into_inner()) = store_periods(h, &groups[..read_now], &kept, recorded_at).err();
        }
    };
    let threads = if threads == 0 { rayon::current_num_threads() } else { threads };
    let made = each_bounded(
        &jobs,
        threads,
        |job, thread| match job {
            Some((_, part, m)) => {
                // The first thread lays out in this process, the others beside it in helpers.
                let helper = helpers.filter(|_| thread > 0).map(|h| (h, thread));
                Some(make_part(m, *part, cfg, date, helper))
            }
            None => {
                beside();
                None
            }
        },
        |thread| {
            // A helper with nothing left to lay out gives its memory back now, not at the run's end.
            if let Some(h) = helpers {
                h.close(thread);
            }
        },
    );
    let mut made: BTreeMap<(usize, Part), Result<Made, ReportError>> = jobs.iter().flatten().map(|&(i, part, _)| (i, part)).zip(made.into_iter().flatten()).collect();
    drop(jobs);
    for (i, p) in prepared.into_iter().enumerate() {
        let result = match p {
            Prepared::Kept(w) => Ok(*w),
            Prepared::Make(m) => {
                let pack = made.remove(&(i, Part::Pack)).expect("every pack was made");
                let appendix = made.remove(&(i, Part::Appendix)).expect("every appendix was made");
                finish(*m, pack, appendix, out_dir, staged)
            }
        };
        match result {
            Ok(p) => run.written.push(p),
            Err(e) => run.errors.push(e),
        }
    }
    run.errors.extend(stored.into_inner().unwrap_or_else(|e| e.into_inner()).map(ReportError::History));
    groups.truncate(read_now);
    run.periods = groups.into_iter().map(|g| (g.plan, g.files, g.records)).collect();
    run
}

/// The two documents laid out for a plan and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The Cabinet report pack (PDF, and its Excel workbook).
    Pack,
    /// The tracker appendix.
    Appendix,
}

impl Part {
    /// A guess at the layout's cost, for the order parts start in: the appendix lays out every
    /// row with its rationale, the pack's default sections only some of them (on the 600-row
    /// tracker, 0.40 s against 0.15 s: `examples/render_cost.rs`).
    fn cost(self, rows: usize) -> usize {
        match self {
            Part::Appendix => 3 * rows,
            Part::Pack => rows + 1,
        }
    }
}

/// One plan and period's pack, before it is laid out, or as an earlier run left it.
enum Prepared {
    /// Kept from an earlier run: nothing it is made from changed.
    Kept(Box<PackWritten>),
    /// To be laid out.
    Make(Box<ToMake>),
}

/// A pack to lay out: what it shows and where it goes.
struct ToMake {
    pack: pack::Pack,
    plan: String,
    period: String,
    rows: usize,
    compared_with: Option<String>,
    notes: Vec<String>,
    fingerprint: String,
    pdf_rel: String,
    xlsx_rel: String,
    appendix_rel: String,
}

/// A laid-out part: the PDF and, for the pack, its workbook.
struct Made {
    pdf: pdf::Rendered,
    workbook: Option<Vec<u8>>,
}

/// `f` of each item, in order, with at most `threads` running at once.
///
/// Plain threads, not rayon tasks: Typst spreads work inside one compile over rayon's pool, and a
/// rayon worker waiting there steals queued tasks, so every pack of the run would start its
/// compile, nested on some worker's stack, and all would be in memory together (28 packs made
/// side by side peaked at 826 MB; one at a time per core, 70 MB before the largest).
/// `f` is also given which of the threads runs it (0 to `threads - 1`); `done` is called with
/// each thread's number once it finds nothing left to do. Thread `t` starts with item `t` (so
/// the first item, the longest part, is always thread 0's: laid out in this process), then each
/// takes the next item left.
fn each_bounded<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T, usize) -> R + Sync, done: impl Fn(usize) + Sync) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(threads);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|thread| {
                let (next, f, done) = (&next, &f, &done);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    let mut i = thread;
                    loop {
                        let Some(item) = items.get(i) else {
                            done(thread);
                            break mine;
                        };
                        mine.push((i, f(item, thread)));
                        i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                })
            })
            .collect();
        // A panic in `f` is re-raised here, as rayon's would be.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Stores each period read now, in one transaction; a period whose pack was kept unchanged
/// (`kept`: plan and period) is skipped where it is already stored as it is.
fn store_periods(h: &mut crate::history::History, read: &[Group], kept: &[(&str, String)], recorded_at: &str) -> Result<(), crate::history::HistoryError> {
    let to_store: Vec<_> = read
        .iter()
        .filter(|g| !(kept.contains(&(g.plan.plan.as_str(), g.plan.period.label())) && h.has(&g.plan.plan, &g.plan.period.label()).unwrap_or(false)))
        .map(|g| (&g.plan, g.files.as_slice(), g.records.as_slice()))
        .collect();
    if to_store.is_empty() {
        return Ok(());
    }
    h.store(to_store, recorded_at)
}

/// The stored periods of this run's plans that the run did not read, as comparison candidates.
fn earlier_from_history(h: &crate::history::History, groups: &[Group], errors: &mut Vec<ReportError>) -> Vec<Group> {
    let mut out = Vec::new();
    let mut plans: Vec<&str> = groups.iter().map(|g| g.plan.plan.as_str()).collect();
    plans.sort_unstable();
    plans.dedup();
    for plan in plans {
        let stored = match h.periods(Some(plan)) {
            Ok(s) => s,
            Err(e) => {
                errors.push(ReportError::History(e));
                return out;
            }
        };
        for s in stored {
            let period = crate::history::period_of(&s.period);
            if period == Period::NotStated || groups.iter().any(|g| g.plan.plan == plan && g.plan.period == period) {
                continue;
            }
            match h.records(plan, &s.period) {
                Ok(records) => out.push(Group {
                    plan: PlanPeriod { plan: plan.to_string(), title: s.title.clone(), organisation: None, period, found: plan::Found::History },
                    files: s.files.split(", ").map(String::from).collect(),
                    records,
                    superseded: Vec::new(),
                }),
                Err(e) => errors.push(ReportError::History(e)),
            }
        }
    }
    out
}

/// What one pack is made from, worded ([`pack::build_with_history`]), or the pack an earlier
/// run made where nothing it is made from changed and its files are intact.
#[allow(clippy::too_many_arguments)]
fn prepare(g: &Group, groups: &[Group], cfg: &ReportConfig, date: (i32, u8, u8), produced: &str, out_dir: &Path, prior: &BTreeMap<String, PriorPack>, setup: &str) -> Prepared {
    // The plan's earlier periods, from the inputs or the history: up to three, oldest first.
    // The last is the one "changes since" compares with.
    let mut earlier: Vec<&Group> = groups
        .iter()
        .filter(|p| p.plan.plan == g.plan.plan && g.plan.period != Period::NotStated && p.plan.period != Period::NotStated && p.plan.period.end_month() < g.plan.period.end_month())
        .collect();
    earlier.sort_by_key(|p| p.plan.period.end_month());
    let earlier = &earlier[earlier.len().saturating_sub(3)..];
    let previous = earlier.last().copied();
    let prev_label = previous.map(|p| p.plan.period.label());
    let name = g.plan.pack_name();
    let (pdf_rel, xlsx_rel, appendix_rel) = (format!("{PACKS_DIR}/{name}.pdf"), format!("{PACKS_DIR}/{name}.xlsx"), format!("{APPENDIX_DIR}/{name}.pdf"));
    let fingerprint = {
        let mut h = blake3::Hasher::new();
        h.update(setup.as_bytes());
        let earlier_labels: Vec<String> = earlier.iter().map(|p| p.plan.period.label()).collect();
        h.update(format!("\0{:?}\0{:?}\0{:?}\0{earlier_labels:?}\0", g.plan, g.files, prev_label).as_bytes());
        // Each record's JSON, written straight into the hash (the same bytes as made whole).
        for r in g.records.iter().chain(earlier.iter().flat_map(|p| p.records.iter())) {
            let _ = serde_json::to_writer(&mut h, r);
        }
        h.finalize().to_hex()[..32].to_string()
    };
    let mut notes = unstated_note(g, &pdf_rel);
    if !g.superseded.is_empty() {
        notes.push(format!(
            "{pdf_rel}: made from the updated workbook {} alone; {} for the same plan and period was left out, so that no row counts twice",
            g.files.join(", "),
            g.superseded.join(", ")
        ));
    }
    // Nothing it is made from changed, and its files are as that run left them: keep them.
    if let Some(p) = prior.get(&name).filter(|p| !setup.is_empty() && p.fingerprint == fingerprint) {
        let intact = p.files.iter().all(|(rel, hash)| std::fs::read(out_dir.join(rel)).map(|b| blake3::hash(&b).to_hex().as_str() == hash).unwrap_or(false));
        if intact {
            return Prepared::Kept(Box::new(PackWritten {
                plan: g.plan.plan.clone(),
                period: g.plan.period.label(),
                pdf: out_dir.join(&pdf_rel),
                xlsx: out_dir.join(&xlsx_rel),
                rows: g.records.len(),
                pages: p.pages,
                compared_with: prev_label,
                ua1: p.ua1,
                notes,
                files: p.files.clone(),
                fingerprint,
                reused: true,
            }));
        }
    }
    let organisation = if cfg.settings.organisation.is_empty() { g.plan.organisation.clone().unwrap_or_default() } else { cfg.settings.organisation.clone() };
    let labels: Vec<String> = earlier.iter().map(|p| p.plan.period.label()).collect();
    let trail: Vec<(&str, &[Record])> = earlier.iter().zip(&labels).map(|(p, l)| (l.as_str(), p.records.as_slice())).collect();
    let mut pack = pack::build_with_history(
        &g.records,
        &g.plan,
        &organisation,
        &cfg.settings,
        (produced, date),
        previous.map(|p| (prev_label.as_deref().unwrap_or(""), p.files.as_slice(), p.records.as_slice())),
        &trail,
    );
    pack.source_link = cfg.input_dir.as_deref().and_then(|d| relative_dir(&out_dir.join(PACKS_DIR), d));
    pack.companions = pack::Companions { appendix: appendix_rel.clone(), workbook: xlsx_rel.clone() };
    Prepared::Make(Box::new(ToMake {
        pack,
        plan: g.plan.plan.clone(),
        period: g.plan.period.label(),
        rows: g.records.len(),
        compared_with: prev_label,
        notes,
        fingerprint,
        pdf_rel,
        xlsx_rel,
        appendix_rel,
    }))
}

/// Lays out one part of a pack: the pack's PDF and workbook, or the tracker appendix (the
/// tracker itself, as councils publish it, for the next Cabinet paper).
fn make_part(m: &ToMake, part: Part, cfg: &ReportConfig, date: (i32, u8, u8), helper: Option<(&elsewhere::Helpers, usize)>) -> Result<Made, ReportError> {
    let (text, file, rel) = match part {
        Part::Pack => (&cfg.template, &cfg.template_file, &m.pdf_rel),
        Part::Appendix => (&cfg.appendix, &cfg.appendix_file, &m.appendix_rel),
    };
    let template = pdf::Template { text, file };
    let data = pdf::data_of(&m.pack);
    let logo = pdf::logo_of(&m.pack, cfg.logo.as_deref());
    let elsewhere = helper.and_then(|(h, thread)| {
        let req = elsewhere::Request { template: &template, data: &data, logo: logo.as_ref().map(|(p, b)| (p.as_str(), b.as_slice())), today: date };
        h.render(thread, &req)
    });
    // Laid out here where no helper did it (a template mistake is reported from here).
    let pdf = match elsewhere {
        Some(r) => r,
        None => pdf::render_data(&template, data, logo, date).map_err(|errors| ReportError::Template { pack: rel.clone(), errors })?,
    };
    let workbook = match part {
        Part::Pack => Some(xlsx::workbook(&m.pack).map_err(|e| ReportError::Excel { pack: m.xlsx_rel.clone(), message: e.to_string() })?),
        Part::Appendix => None,
    };
    Ok(Made { pdf, workbook })
}

/// Writes a pack's files (staged) once both its parts are made.
fn finish(m: ToMake, pack: Result<Made, ReportError>, appendix: Result<Made, ReportError>, out_dir: &Path, staged: &Staged) -> Result<PackWritten, ReportError> {
    let (pack, appendix) = (pack?, appendix?);
    let book = pack.workbook.unwrap_or_default();
    let (pdf_path, xlsx_path) = (out_dir.join(&m.pdf_rel), out_dir.join(&m.xlsx_rel));
    staged.write(&pdf_path, &pack.pdf.bytes)?;
    staged.write(&xlsx_path, &book)?;
    staged.write(&out_dir.join(&m.appendix_rel), &appendix.pdf.bytes)?;
    let mut notes = m.notes;
    if !pack.pdf.ua1 {
        notes.push(format!("{}: written as a tagged PDF, not PDF/UA-1, because: {}", m.pdf_rel, pack.pdf.ua1_refused.join("; ")));
    }
    Ok(PackWritten {
        plan: m.plan,
        period: m.period,
        pdf: pdf_path,
        xlsx: xlsx_path,
        rows: m.rows,
        pages: pack.pdf.pages,
        compared_with: m.compared_with,
        ua1: pack.pdf.ua1,
        notes,
        files: vec![
            (m.pdf_rel, blake3::hash(&pack.pdf.bytes).to_hex().to_string()),
            (m.xlsx_rel, blake3::hash(&book).to_hex().to_string()),
            (m.appendix_rel, blake3::hash(&appendix.pdf.bytes).to_hex().to_string()),
        ],
        fingerprint: m.fingerprint,
        reused: false,
    })
}

/// The path from folder `from` to folder `to`, with `/` and a trailing `/` ("../../inputs/"),
/// for links in a file in `from`; None where either cannot be resolved.
pub fn relative_dir(from: &Path, to: &Path) -> Option<String> {
    // A folder named relative to the working folder ("outputs") has the empty path as parent.
    let parent = from.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let from = std::fs::canonicalize(parent).ok()?.join(from.file_name()?);
    let to = std::fs::canonicalize(to).ok()?;
    let (a, b): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = "../".repeat(a.len() - common);
    for c in &b[common..] {
        out.push_str(&c.as_os_str().to_string_lossy());
        out.push('/');
    }
    Some(out)
}

/// The warning for a pack whose period could not be told.
fn unstated_note(g: &Group, pdf_rel: &str) -> Vec<String> {
    if g.plan.period != Period::NotStated {
        return Vec::new();
    }
    let file = g.files.first().map(String::as_str).unwrap_or("the tracker");
    vec![format!(
        "{pdf_rel}: milepost cannot tell which period {file} reports on, so the pack says \"Period not stated\"; to name it, add to {PLANS_FILE} in the input folder:  [\"{file}\"]  period = \"Q3 2024/25\"  (see templates/report.toml)"
    )]
}

/// Builds now what the first pack would otherwise build on its way (the patterns that find a
/// plan and period in a title, those the pack's sections use, Typst's fonts and library), by
/// making a pack of the built-in sample without laying it out. `milepost run` calls it while
/// the documents are being read, so that the run's longest layout starts a few milliseconds
/// sooner. Nothing is kept but those caches.
pub fn warm_up(cfg: &ReportConfig) {
    let (before, after) = sample_records();
    let doc = DocInfo {
        file: "sample-plan-q3.pdf".into(),
        title_lines: vec!["Appendix 1 – Sample Plan Milestone Tracker (Quarter 3 2024/25), Mid-Year progress at March 2025".into()],
        stated: None,
    };
    let plan = plan::identify(&doc, &cfg.plans);
    let files = vec!["sample-q2.pdf".to_string()];
    let _ = pack::build(&after, &plan, "Sample Council", &cfg.settings, ("1 January 2025", (2025, 1, 1)), Some(("Q2 2024/25", &files, &before)));
    pdf::prepare();
}

/// Compiles the template against a small built-in sample (two periods of a made-up plan, with
/// every section filled), so that a mistake in `report.typ` is reported with its file and line
/// before any PDF is read. `milepost check` and the start of `milepost run` call it.
pub fn check_template(cfg: &ReportConfig) -> Result<(), Vec<ConfigError>> {
    let (before, after) = sample_records();
    let plan = PlanPeriod {
        plan: "sample-plan".into(),
        title: "Sample Plan".into(),
        organisation: Some("Sample Council".into()),
        period: Period::Quarter { fy_start: 2024, quarter: 3 },
        found: plan::Found::PlansFile,
    };
    let files = vec!["sample-q2.pdf".to_string()];
    let pack = pack::build(&after, &plan, "Sample Council", &cfg.settings, ("1 January 2025", (2025, 1, 1)), Some(("Q2 2024/25", &files, &before)));
    let template = pdf::Template { text: &cfg.template, file: &cfg.template_file };
    pdf::render(&template, &pack, cfg.logo.as_deref(), (2025, 1, 1))?;
    let appendix = pdf::Template { text: &cfg.appendix, file: &cfg.appendix_file };
    pdf::render(&appendix, &pack, cfg.logo.as_deref(), (2025, 1, 1)).map(|_| ())
}

/// A made-up plan's rows for two quarters: every status, a flag, a revised date, a row added
/// and one removed, so that the sample fills every section of the template.
fn sample_records() -> (Vec<Record>, Vec<Record>) {
    let row = |file: &str, reference: &str, theme: &str, activity: &str, value: StatusValue, revised: Option<(u16, u8)>, flags: &[&str]| Record {
        source: Source { file: file.into(), page: 1, bbox: None, sheet: None },
        kind: Kind::Milestone,
        theme: Some(theme.into()),
        outcome: Some("People live well in their neighbourhoods".into()),
        group: Some("Community programme".into()),
        activity: activity.into(),
        target: Target {
            text: "Q3 2024/25".into(),
            start: None,
            due: Some(crate::record::PartialDate::month(2024, 12)),
            revised_due: revised.map(|(y, m)| crate::record::PartialDate::month(y, m)),
            ongoing: false,
        },
        status: Status { text: Some(value.key().replace('_', " ")), value, colour: None },
        rationale: Some("Progress as reported by the lead officer.".into()),
        flags: flags.iter().map(|f| f.to_string()).collect(),
        reference: Some(reference.into()),
        parent: None,
        lead: None,
        extra: Default::default(),
    };
    let q2 = "sample-q2.pdf";
    let q3 = "sample-q3.pdf";
    let before = vec![
        row(q2, "1.1", "Communities", "Open the new library", StatusValue::OnTrack, None, &[]),
        row(q2, "1.2", "Communities", "Refresh ward plans", StatusValue::Behind, None, &[]),
        row(q2, "2.1", "Economy", "Old action, since removed", StatusValue::OffTrack, None, &[]),
    ];
    let after = vec![
        row(q3, "1.1", "Communities", "Open the new library", StatusValue::Complete, None, &[]),
        row(q3, "1.2", "Communities", "Refresh ward plans", StatusValue::OffTrack, Some((2025, 3)), &[]),
        row(q3, "2.2", "Economy", "Start the town centre works", StatusValue::Behind, None, &["status_from_colour"]),
        row(q3, "2.3", "Economy", "Review the markets", StatusValue::NotStarted, None, &[]),
        row(q3, "2.4", "Economy", "A task with an unknown status", StatusValue::Unknown, None, &["status_unrecognised: 'Amber/Green'"]),
        row(q3, "2.5", "Economy", "A task no longer wanted", StatusValue::Cancelled, None, &[]),
        row(q3, "2.6", "Economy", "Complete the bus shelters", StatusValue::OnTrack, None, &[]),
    ];
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bounded_keeps_the_order_and_runs_at_most_n_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (now, most, finished) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let items: Vec<u64> = (0..24).collect();
        let work = |&x: &u64, _| {
            let running = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(running, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            now.fetch_sub(1, Ordering::SeqCst);
            x * 10
        };
        let out = each_bounded(&items, 3, work, |_| {
            finished.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(out, (0..24).map(|x| x * 10).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 3, "{} at once", most.load(Ordering::SeqCst));
        assert_eq!(finished.load(Ordering::SeqCst), 3, "each thread says once that it is done");
        assert!(each_bounded(&[] as &[u8], 4, |&x, _| x, |_| {}).is_empty());
    }

    /// The first item (the longest part) is always laid out by thread 0, the one that lays out
    /// in the run's own process, however the threads start; each thread starts with its own.
    #[test]
    fn each_bounded_gives_each_thread_its_own_first_item() {
        for _ in 0..50 {
            let items: Vec<u64> = (0..6).collect();
            let by = each_bounded(&items, 3, |&x, thread| (x, thread), |_| {});
            assert_eq!(by[0], (0, 0));
            assert_eq!(by[1], (1, 1));
            assert_eq!(by[2], (2, 2));
        }
    }

    #[test]
    fn shipped_template_compiles_against_the_sample() {
        if let Err(errs) = check_template(&ReportConfig::builtin()) {
            panic!("{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
        }
    }

    #[test]
    fn a_template_mistake_names_its_line() {
        let mut cfg = ReportConfig::builtin();
        cfg.template = "#let data = json(\"/data.json\")\n\n#data.no_such_field\n".into();
        let errs = check_template(&cfg).unwrap_err();
        assert_eq!(errs[0].line, Some(3), "{errs:?}");
        assert!(errs[0].to_string().starts_with("templates/report.typ, line 3:"), "{}", errs[0]);
    }
}
