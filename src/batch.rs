//! Runs the pipeline over a folder of PDFs: in parallel, skipping inputs unchanged since the
//! last run, writing every output atomically, and recording it all in `manifest.json`.
//!
//! In: an input folder, an output folder, the [`Config`] and options. Out: files in the output
//! folder and a [`RunSummary`]. A document that fails (or panics) fails alone; the others go
//! on. A lock file stops two runs writing the same output folder at once; a lock left by a
//! dead process is taken over. With a [`Worker`] (as `milepost run` sets it) each document is
//! read in a worker process of its own (`isolate`), so that even an abort inside a dependency
//! fails that document alone.
//!
//! Not here: printing (the CLI does it from the summary); the stages themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::clock::now_utc;
use crate::config::Config;
use crate::error::{DocError, Warning};
use crate::isolate::{self, Portable, Worker};
use crate::output::{self, OutputError};
use crate::record::Record;
use crate::report::{self, DocInfo, PackRun, ReportConfig};
use crate::staged::Staged;
use crate::{extract_guarded, Limits};

/// The milepost version written into manifests (a new version re-runs everything).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Folder searched (recursively) for PDFs.
    pub input_dir: PathBuf,
    /// Folder the outputs go to.
    pub output_dir: PathBuf,
    /// Documents processed at once (0: one per core).
    pub jobs: usize,
    /// Redo every input, even unchanged ones.
    pub force: bool,
    /// Size limits.
    pub limits: Limits,
    /// Read each document in a worker process (None: in this process, as the tests do).
    pub worker: Option<Worker>,
}

/// An output file written, with its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: String,
    /// blake3 of its bytes.
    pub hash: String,
}

/// A document's error, as the manifest keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorEntry {
    /// Machine-readable kind (`encrypted`, `no_text_layer`, …).
    pub kind: String,
    /// The sentence shown to the user.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

/// One input in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputEntry {
    /// Path relative to the input folder.
    pub path: String,
    /// blake3 of the file's bytes.
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
    /// `done`, `skipped` (unchanged since the last run) or `failed`.
    pub outcome: String,
    /// Pages in the PDF.
    pub pages: u32,
    /// Records extracted.
    pub records: usize,
    /// Records with at least one flag.
    pub flagged: usize,
    /// Warnings (pages skipped, damage).
    pub warnings: Vec<String>,
    /// Why it failed.
    pub error: Option<ErrorEntry>,
    /// Seconds spent on it in the run that produced its outputs.
    pub seconds: f64,
    /// Files written for it.
    pub outputs: Vec<OutputFile>,
    /// The first lines of text on its first page (the report reads plan and period from them).
    #[serde(default)]
    pub title_lines: Vec<String>,
    /// The self-check: share of rows that look misread, and the pages holding them.
    #[serde(default)]
    pub reading: Option<Reading>,
    /// For a workbook read back: the plan and period its Summary sheet states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<crate::period::Stated>,
}

/// How well an input was probably read (see `normalise::quality`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reading {
    /// Rows that look merged, split or incomplete.
    pub doubtful_rows: usize,
    /// Their share of the rows.
    pub doubtful_share: f32,
    /// Pages holding them.
    pub pages: Vec<u32>,
    /// `good`, or `check` when the share passes the warning threshold.
    pub verdict: String,
    /// The self-check's warning, where the verdict is `check`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// One report pack in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PackEntry {
    /// Its name (`northdale-2024-tracker-q3-2024-25`).
    pub name: String,
    /// Plan and period.
    pub plan: String,
    /// Period label.
    pub period: String,
    /// Hash of what it is made from (records, compared period, version, templates).
    pub fingerprint: String,
    /// Rows and PDF pages.
    pub rows: usize,
    /// Pages of the PDF.
    pub pages: usize,
    /// Whether the PDF is PDF/UA-1.
    pub ua1: bool,
    /// Whether this run kept it from the last one rather than rebuilding it.
    pub reused: bool,
    /// Its files.
    pub files: Vec<OutputFile>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    /// Inputs found.
    pub inputs: usize,
    /// Processed this run.
    pub done: usize,
    /// Unchanged, reused.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Records in all inputs.
    pub records: usize,
    /// Flagged records.
    pub flagged: usize,
}

/// `manifest.json`: what a run read and wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// milepost version.
    pub version: String,
    /// Hash of the templates in force.
    pub config_hash: String,
    /// The limits in force (a document refused under them is not read again under the same).
    #[serde(default)]
    pub limits: String,
    /// Hash of the report template, its settings and the plans file (a change rebuilds the packs).
    #[serde(default)]
    pub report_hash: String,
    /// Whether every document went into a report pack (if not, the next run tries again).
    #[serde(default)]
    pub packs_complete: bool,
    /// When the run started (UTC).
    pub started: String,
    /// When it ended (UTC).
    pub finished: String,
    /// Every input.
    pub inputs: Vec<InputEntry>,
    /// Files written for the whole run (combined records, workbook, packs).
    pub outputs: Vec<OutputFile>,
    /// The report packs, with what each was made from (a pack whose fingerprint is unchanged
    /// next run is reused) and whether this run reused it.
    #[serde(default)]
    pub packs: Vec<PackEntry>,
    /// Totals.
    pub totals: Totals,
}

/// What the CLI needs to report a run.
#[derive(Debug)]
pub struct RunSummary {
    /// The manifest written.
    pub manifest: Manifest,
    /// Errors of failed inputs, for messages.
    pub errors: Vec<DocError>,
    /// Warnings per input file.
    pub warnings: Vec<(String, Warning)>,
    /// Outputs that could not be written.
    pub write_errors: Vec<OutputError>,
    /// The report packs written, and documents or packs that could not be reported.
    pub packs: PackRun,
    /// Packs kept from the last run because nothing they are made from changed.
    pub packs_reused: usize,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The input folder is missing or unreadable.
    #[error("{0}: the input folder could not be read ({1})")]
    Input(String, std::io::Error),
    /// Another run holds the lock.
    #[error("{0}: another milepost run (process {1}) is writing to this folder; wait for it to finish")]
    Locked(String, u32),
    /// The output folder cannot be created or written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Finds the inputs under a folder, recursively, sorted by path: PDFs, and pack workbooks
/// (`.xlsx`) that officers updated.
pub fn find_inputs(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) || crate::workbook::is_workbook(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn hash_bytes(b: &[u8]) -> String {
    blake3::hash(b).to_hex().to_string()
}

/// A lock on an output folder, released on drop.
pub struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn process_alive(pid: u32) -> bool {
    // On Linux a live process has /proc/<pid>; elsewhere assume alive (the user can delete
    // the lock file, as the message says).
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Takes the lock file `.milepost.lock` in the output folder.
pub fn lock(output_dir: &Path) -> Result<Lock, RunError> {
    std::fs::create_dir_all(output_dir).map_err(|source| OutputError::Write { path: output_dir.display().to_string(), source })?;
    let path = output_dir.join(".milepost.lock");
    for _ in 0..2 {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                use std::io::Write;
                let _ = write!(f, "{}", std::process::id());
                return Ok(Lock(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let pid: u32 = std::fs::read_to_string(&path).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
                if pid != 0 && pid != std::process::id() && process_alive(pid) {
                    return Err(RunError::Locked(output_dir.display().to_string(), pid));
                }
                // A stale lock from a dead run: take it over.
                let _ = std::fs::remove_file(&path);
            }
            Err(source) => return Err(OutputError::Write { path: path.display().to_string(), source }.into()),
        }
    }
    Err(RunError::Locked(output_dir.display().to_string(), 0))
}

/// Stages one output (put in place at the run's commit) and records it with its hash, or records
/// why it failed.
fn write_recorded(staged: &Staged, dir: &Path, name: &str, bytes: Result<Vec<u8>, OutputError>, written: &mut Vec<OutputFile>, errors: &mut Vec<OutputError>) {
    match bytes.and_then(|b| staged.write(&dir.join(name), &b).map(|()| b)) {
        Ok(b) => written.push(OutputFile { path: name.to_string(), hash: hash_bytes(&b) }),
        Err(e) => errors.push(e),
    }
}

/// Whether the last run into `output_dir` was made by this version with these report templates,
/// settings, plans file and logo. Every run checks its templates before reading a PDF (a run
/// stops at a template mistake, before its manifest), so they passed that check then.
pub fn templates_used_last_run(output_dir: &Path, rc: &ReportConfig) -> bool {
    read_manifest(&output_dir.join("manifest.json")).is_some_and(|m| m.version == VERSION && m.report_hash == report_fingerprint(rc))
}

/// What the packs are made from besides the records: template, settings, plans file, logo.
fn report_fingerprint(rc: &ReportConfig) -> String {
    let mut h = blake3::Hasher::new();
    h.update(rc.template.as_bytes());
    h.update(rc.appendix.as_bytes());
    h.update(format!("{:?}\0{:?}", rc.settings, rc.plans).as_bytes());
    h.update(rc.logo.as_deref().unwrap_or_default());
    h.finalize().to_hex()[..16].to_string()
}

fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            remove_stale_temp_files(&p);
        } else if p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') && n.contains(".tmp-")
        }) {
            let _ = std::fs::remove_file(&p);
        }
    }
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// What the review page shows of one input.
fn review_of(r: &mut DocResult, source_dir: Option<&str>) -> crate::review::DocReview {
    let e = &r.entry;
    let quality = e.reading.as_ref().map(|x| crate::normalise::quality::Quality {
        rows: e.records,
        doubtful: x.doubtful_rows,
        doubtful_share: x.doubtful_share,
        pages: x.pages.clone(),
        unread_share: 0.0,
        warning: x
            .warning
            .clone()
            .or_else(|| (x.verdict == "check").then(|| "milepost doubts enough of this document's rows that it should be checked against the PDF.".to_string())),
    });
    let links = crate::review::Links { source: source_dir.map(|d| format!("{d}{}", e.path)), ..Default::default() };
    if let Some(x) = &e.error {
        return crate::review::DocReview::failed(e.path.clone(), &x.message, x.hint.as_deref(), links);
    }
    crate::review::DocReview {
        file: e.path.clone(),
        records: r.records.clone(),
        quality,
        warnings: e.warnings.clone(),
        error: None,
        crops: std::mem::take(&mut r.crops),
        links,
        unchanged: e.outcome == "skipped",
    }
}

/// Each input's pack, workbook and appendix, for the review page's links.
fn link_packs(reviews: &mut [crate::review::DocReview], packs: &PackRun) {
    for (pp, files, _) in &packs.periods {
        let Some(w) = packs.written.iter().find(|w| w.plan == pp.plan && w.period == pp.period.label()) else { continue };
        let file_of = |ext: &str, dir: &str| w.files.iter().map(|(f, _)| f).find(|f| f.starts_with(dir) && f.ends_with(ext)).cloned();
        for rv in reviews.iter_mut() {
            let base = rv.file.rsplit('/').next().unwrap_or(&rv.file);
            if files.iter().any(|f| f == base) {
                rv.links.pack = file_of(".pdf", report::PACKS_DIR);
                rv.links.workbook = file_of(".xlsx", report::PACKS_DIR);
                rv.links.appendix = file_of(".pdf", report::APPENDIX_DIR);
            }
        }
    }
}

/// Where a document's records are kept (JSON Lines), under the output folder.
fn records_rel(stem: &str) -> String {
    format!("records/{stem}.jsonl")
}

/// Where a document's pictures for the review page are kept, under the output folder.
fn review_rel(stem: &str) -> String {
    format!("review/{stem}.json")
}

fn stem_of(rel: &str) -> String {
    // Sub-folders become part of the name so two "tracker.pdf"s in different folders differ.
    let no_ext = rel.strip_suffix(".pdf").or_else(|| rel.strip_suffix(".PDF")).unwrap_or(rel);
    no_ext.replace(['/', '\\'], "__")
}

struct DocResult {
    entry: InputEntry,
    records: Vec<Record>,
    error: Option<DocError>,
    warnings: Vec<Warning>,
    /// Pictures of its rows to review (kept in `review/<stem>.json` for the next run).
    crops: Vec<crate::review::Crop>,
    /// Its own files (records, tables, pictures), made and staged by the staging's writer
    /// thread: what they are, once made, for the manifest, and the pictures for the review page
    /// (see [`process_one`]).
    files_soon: Option<std::sync::mpsc::Receiver<DocFiles>>,
}

/// The run's combined workbook: made now, or the last run's kept.
enum Combined {
    Made(Result<Vec<u8>, OutputError>),
    Kept(OutputFile),
}

/// A document's own files once made ([`DocResult::files_soon`]).
struct DocFiles {
    /// Each file and its hash, for the manifest.
    outputs: Vec<OutputFile>,
    /// The pictures of its rows to review.
    crops: Vec<crate::review::Crop>,
}

/// Runs the batch. `progress` is called once per finished document (from worker threads).
pub fn run(opts: &RunOptions, cfg: &Config, report_cfg: Option<&ReportConfig>, progress: &(dyn Fn(&str) + Sync)) -> Result<RunSummary, RunError> {
    let started = now_utc();
    let inputs = find_inputs(&opts.input_dir).map_err(|e| RunError::Input(opts.input_dir.display().to_string(), e))?;
    let _lock = lock(&opts.output_dir)?;
    // Temp files left by a run that was killed mid-write (we hold the lock: no live run owns them).
    remove_stale_temp_files(&opts.output_dir);
    let manifest_path = opts.output_dir.join("manifest.json");
    let previous = if opts.force { None } else { read_manifest(&manifest_path) };
    let prev_by_path: BTreeMap<String, InputEntry> =
        previous.as_ref().filter(|m| m.version == VERSION && m.config_hash == cfg.hash).map(|m| m.inputs.iter().map(|e| (e.path.clone(), e.clone())).collect()).unwrap_or_default();
    // Workers share the cores: one document alone gets them all for its pages.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let at_once = if opts.jobs == 0 { cores } else { opts.jobs }.min(inputs.len()).max(1);
    let worker = opts.worker.clone().map(|w| Worker { threads: (cores / at_once).max(1), ..w });
    let limits_key = format!("{:?}", opts.limits);
    let same_limits = previous.as_ref().is_some_and(|m| m.limits == limits_key);
    // Every output of the run is staged and made durable together at the end (`staged`).
    let staged = Staged::new();
    // While the documents are read, on threads of their own: the history is opened, and once a
    // document is to be read (not on a run with nothing new), what the first pack would build on
    // its way is built (`report::warm_up`). Nothing waits for them but for the history.
    let history_path = opts.output_dir.join(crate::history::HISTORY_FILE);
    let (history_tx, history_rx) = std::sync::mpsc::channel();
    if report_cfg.is_some() {
        let path = history_path.clone();
        let _ = std::thread::Builder::new().name("history".into()).spawn(move || {
            let _ = history_tx.send(crate::history::History::open(&path));
        });
    }
    let warming = std::sync::Once::new();
    let about_to_read = || {
        if let Some(rc) = report_cfg {
            warming.call_once(|| {
                let rc = rc.clone();
                let _ = std::thread::Builder::new().name("warm-up".into()).spawn(move || report::warm_up(&rc));
            });
        }
    };
    let work = |path: &PathBuf| -> DocResult {
        let rel = path.strip_prefix(&opts.input_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let r = process_one(path, &rel, opts, worker.as_ref(), cfg, prev_by_path.get(&rel), same_limits, &staged, &about_to_read);
        progress(&rel);
        r
    };
    // One pool for everything, documents and the pages inside them: --jobs 1 is one thread.
    let results: Vec<DocResult> = match rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).build() {
        Ok(pool) => pool.install(|| inputs.par_iter().map(work).collect()),
        Err(_) => inputs.iter().map(work).collect(),
    };
    let mut all_records = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut write_errors = Vec::new();
    let mut entries = Vec::new();
    let mut files_soon = Vec::new();
    let mut totals = Totals { inputs: results.len(), ..Default::default() };
    // What the review page shows of each input (its rows are moved into `all_records` below).
    let mut reviews: Vec<crate::review::DocReview> = Vec::with_capacity(results.len());
    let source_dir = report::relative_dir(&opts.output_dir, &opts.input_dir);
    for mut r in results {
        reviews.push(review_of(&mut r, source_dir.as_deref()));
        match r.entry.outcome.as_str() {
            "done" => totals.done += 1,
            "skipped" => totals.skipped += 1,
            _ => totals.failed += 1,
        }
        totals.records += r.entry.records;
        totals.flagged += r.entry.flagged;
        all_records.extend(r.records);
        errors.extend(r.error);
        warnings.extend(r.warnings.into_iter().map(|w| (r.entry.path.clone(), w)));
        files_soon.push(r.files_soon);
        entries.push(r.entry);
    }
    // Combined outputs: every input's records in one file of each kind. Built beside the packs,
    // by the first pack thread with nothing left to lay out (on a long tracker, while its
    // appendix is still being laid out), else here.
    let mut outputs = Vec::new();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).build().ok();
    let combined = std::sync::OnceLock::new();
    // The last run's combined workbook, where this version made it from these very records (its
    // records.jsonl is byte for byte this run's) and it is as that run left it: kept, not built
    // and written again (on a re-run with nothing new, building it was a quarter of the time).
    let kept_workbook = |jsonl: &[u8]| -> Option<OutputFile> {
        let last = previous.as_ref().filter(|m| m.version == VERSION)?;
        let output = |name: &str| last.outputs.iter().find(|o| o.path == name);
        let (records, workbook) = (output("records.jsonl")?, output("records.xlsx")?);
        let intact = || std::fs::read(opts.output_dir.join("records.xlsx")).is_ok_and(|b| hash_bytes(&b) == workbook.hash);
        (records.hash == hash_bytes(jsonl) && intact()).then(|| workbook.clone())
    };
    let build_combined = || {
        // The workbook takes longest: built beside the two text files, in the run's pool.
        let build_all = || {
            let (jsonl, csv) = rayon::join(|| output::to_jsonl(&all_records), || output::to_csv(&all_records));
            let xlsx = match kept_workbook(&jsonl) {
                Some(kept) => Combined::Kept(kept),
                None => Combined::Made(output::to_xlsx(&all_records).map_err(|e| e.with_path(&opts.output_dir.join("records.xlsx")))),
            };
            (xlsx, (jsonl, csv))
        };
        let built = match &pool {
            Some(p) => p.install(build_all),
            None => build_all(),
        };
        let _ = combined.set(built);
    };
    // Report packs: one PDF and one workbook per plan and period, from every record of the run.
    // A pack whose records (and the earlier period's it is compared with), version and templates
    // are those of the last run is kept as it is, whatever happened to other documents.
    let report_hash = report_cfg.map(report_fingerprint).unwrap_or_default();
    let setup = format!("{VERSION}\0{}\0{report_hash}", cfg.hash);
    let prior: BTreeMap<String, report::PriorPack> = previous
        .as_ref()
        .map(|m| {
            m.packs
                .iter()
                .map(|p| {
                    let files = p.files.iter().map(|f| (f.path.clone(), f.hash.clone())).collect();
                    (p.name.clone(), report::PriorPack { fingerprint: p.fingerprint.clone(), files, pages: p.pages, ua1: p.ua1 })
                })
                .collect()
        })
        .unwrap_or_default();
    // Earlier periods are read from the history, and this run's periods stored in it below.
    let mut history_error = None;
    let mut history = match report_cfg {
        Some(_) => history_rx.recv().unwrap_or_else(|_| crate::history::History::open(&history_path)).map_err(|e| history_error = Some(e)).ok(),
        None => None,
    };
    let mut packs = match report_cfg {
        Some(rc) if !all_records.is_empty() => {
            let docs: Vec<DocInfo> = entries
                .iter()
                .filter(|e| e.outcome != "failed")
                .map(|e| DocInfo { file: e.path.rsplit('/').next().unwrap_or(&e.path).to_string(), title_lines: e.title_lines.clone(), stated: e.stated.clone() })
                .collect();
            // --jobs also bounds how many packs are made at once. Where documents are read in
            // workers, the parts laid out beside the first are laid out in helper processes
            // (`report::elsewhere`: Typst's caches are the process's, so two layouts in one
            // process slow each other down).
            let threads = if opts.jobs == 0 { cores } else { opts.jobs };
            let helpers = opts.worker.as_ref().map(|w| report::elsewhere::Helpers::new(w.exe.clone(), vec!["lay-out".into()], threads));
            report::build_packs_staged(
                &all_records,
                &docs,
                rc,
                &opts.output_dir,
                &staged,
                &prior,
                &setup,
                history.as_mut().map(|h| (h, started.as_str())),
                opts.jobs,
                &build_combined,
                helpers.as_ref(),
            )
        }
        _ => {
            build_combined();
            PackRun::default()
        }
    };
    let (xlsx, (jsonl, csv)) = combined.into_inner().expect("the combined outputs were built beside the packs");
    let mut write = |name: &str, bytes: Result<Vec<u8>, OutputError>| write_recorded(&staged, &opts.output_dir, name, bytes, &mut outputs, &mut write_errors);
    write("records.jsonl", Ok(jsonl));
    write("records.csv", Ok(csv));
    match xlsx {
        Combined::Made(bytes) => write("records.xlsx", bytes),
        Combined::Kept(file) => outputs.push(file),
    }
    for p in &packs.written {
        for (rel, hash) in &p.files {
            outputs.push(OutputFile { path: rel.clone(), hash: hash.clone() });
        }
    }
    // The review page: every row to check beside a picture of where it came from, with links to
    // the plan's pack, workbook and appendix.
    // Each document's own files, made on the writer thread, and its pictures.
    for ((e, rv), soon) in entries.iter_mut().zip(reviews.iter_mut()).zip(files_soon) {
        match soon.map(|rx| rx.recv()) {
            Some(Ok(made)) => {
                e.outputs.extend(made.outputs);
                rv.crops = made.crops;
            }
            Some(Err(_)) => write_errors.push(OutputError::Write {
                path: opts.output_dir.join(records_rel(&stem_of(&e.path))).display().to_string(),
                source: std::io::Error::other("the document's records and tables could not be made into files"),
            }),
            None => {}
        }
    }
    link_packs(&mut reviews, &packs);
    let review = crate::review::page(&reviews, cfg, &started);
    write_recorded(&staged, &opts.output_dir, crate::review::REVIEW_FILE, Ok(review.into_bytes()), &mut outputs, &mut write_errors);
    // One wait for the disk for all the files, then the renames (the manifest follows, so it
    // never names a file that is not in place). The history was stored beside the layouts.
    let commit_errors = staged.commit();
    let failed_paths: Vec<String> = commit_errors
        .iter()
        .map(|e| match e {
            OutputError::Write { path, .. } => path.clone(),
            other => other.to_string(),
        })
        .collect();
    write_errors.extend(commit_errors);
    packs.errors.extend(history_error.map(report::ReportError::History));
    let in_place = |o: &OutputFile| !failed_paths.iter().any(|p| p.ends_with(&o.path));
    outputs.retain(in_place);
    for e in &mut entries {
        e.outputs.retain(in_place);
    }
    let packs_reused = packs.written.iter().filter(|p| p.reused).count();
    let pack_entries: Vec<PackEntry> = packs
        .written
        .iter()
        .map(|p| PackEntry {
            name: p.pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            plan: p.plan.clone(),
            period: p.period.clone(),
            fingerprint: p.fingerprint.clone(),
            rows: p.rows,
            pages: p.pages,
            ua1: p.ua1,
            reused: p.reused,
            files: p.files.iter().map(|(path, hash)| OutputFile { path: path.clone(), hash: hash.clone() }).collect(),
        })
        .collect();
    let manifest = Manifest {
        version: VERSION.to_string(),
        config_hash: cfg.hash.clone(),
        limits: limits_key,
        report_hash,
        packs_complete: packs.errors.is_empty(),
        started,
        finished: now_utc(),
        inputs: entries,
        outputs,
        packs: pack_entries,
        totals,
    };
    // Keep the previous manifest beside the new one, so a run can be compared with the last.
    if let Ok(old) = std::fs::read(&manifest_path) {
        if let Err(e) = output::write_atomic(&opts.output_dir.join("manifest.previous.json"), &old) {
            write_errors.push(e);
        }
    }
    let json = serde_json::to_vec_pretty(&manifest).expect("the manifest is plain data");
    if let Err(e) = output::write_atomic(&manifest_path, &json) {
        write_errors.push(e);
    }
    Ok(RunSummary { manifest, errors, warnings, write_errors, packs, packs_reused })
}

/// `about_to_read` is called before the document is read (not where its last results are kept).
#[allow(clippy::too_many_arguments)]
fn process_one(
    path: &Path,
    rel: &str,
    opts: &RunOptions,
    worker: Option<&Worker>,
    cfg: &Config,
    prev: Option<&InputEntry>,
    same_limits: bool,
    staged: &Staged,
    about_to_read: &(dyn Fn() + Sync),
) -> DocResult {
    let start = Instant::now();
    let bytes = std::fs::read(path);
    let (hash, size) = match &bytes {
        Ok(b) => (hash_bytes(b), b.len() as u64),
        Err(_) => (String::new(), 0),
    };
    drop(bytes);
    let stem = stem_of(rel);
    let jsonl_rel = records_rel(&stem);
    // Unchanged since the last run, with its outputs still in place: reuse them.
    if let Some(p) = prev.filter(|p| p.hash == hash && p.outcome != "failed" && !hash.is_empty()) {
        let all_there = p.outputs.iter().all(|o| std::fs::read(opts.output_dir.join(&o.path)).map(|b| hash_bytes(&b) == o.hash).unwrap_or(false));
        // Made by a version that drew no pictures for the review page: read it again.
        let pictures_kept = opts.output_dir.join(review_rel(&stem)).is_file();
        if all_there && pictures_kept {
            let records = std::fs::read(opts.output_dir.join(&jsonl_rel))
                .ok()
                .map(|b| b.split(|c| *c == b'\n').filter(|l| !l.is_empty()).filter_map(|l| serde_json::from_slice::<Record>(l).ok()).collect::<Vec<_>>());
            if let Some(records) = records.filter(|r| r.len() == p.records) {
                let crops = std::fs::read(opts.output_dir.join(review_rel(&stem))).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
                let mut entry = p.clone();
                entry.outcome = "skipped".into();
                return DocResult { entry, records, error: None, warnings: Vec::new(), crops, files_soon: None };
            }
        }
    }
    // Refused last time, unchanged, under the same limits: the same answer, without reading it
    // again (a bomb costs its budget once). Disk errors and milepost's own bugs are retried.
    if let Some(p) = prev.filter(|p| same_limits && p.hash == hash && !hash.is_empty() && p.outcome == "failed") {
        if let Some(e) = p.error.as_ref().filter(|e| !["io", "internal"].contains(&e.kind.as_str())) {
            let kind = DocError::KINDS.iter().copied().find(|k| *k == e.kind).unwrap_or("internal");
            let err = DocError::Reported { file: crate::error::FileName::of(path), kind, message: e.message.clone() };
            return DocResult { entry: p.clone(), records: Vec::new(), error: Some(err), warnings: Vec::new(), crops: Vec::new(), files_soon: None };
        }
    }
    about_to_read();
    let result: Result<(Portable, isolate::LateCrops), DocError> = match worker {
        Some(w) => isolate::read_in_worker(w, path, &opts.limits),
        None => extract_guarded(path, cfg, &opts.limits).map(|x| {
            let mut p = Portable::from(x).with_crops(path, &opts.limits, start);
            let crops = std::mem::take(&mut p.crops);
            (p, isolate::LateCrops::ready(crops))
        }),
    };
    let seconds = start.elapsed().as_secs_f64();
    let mut entry = InputEntry {
        path: rel.to_string(),
        hash,
        size,
        outcome: "done".into(),
        pages: 0,
        records: 0,
        flagged: 0,
        warnings: Vec::new(),
        error: None,
        seconds,
        outputs: Vec::new(),
        title_lines: Vec::new(),
        reading: None,
        stated: None,
    };
    match result {
        Err(e) => {
            entry.outcome = "failed".into();
            entry.error = Some(ErrorEntry { kind: e.kind().into(), message: e.to_string(), hint: e.hint().map(String::from) });
            DocResult { entry, records: Vec::new(), error: Some(e), warnings: Vec::new(), crops: Vec::new(), files_soon: None }
        }
        Ok((x, late_crops)) => {
            entry.pages = x.page_count;
            entry.records = x.records.len();
            entry.flagged = x.records.iter().filter(|r| !r.flags.is_empty()).count();
            entry.warnings = x.warnings.iter().map(|w| w.to_string()).collect();
            entry.title_lines = x.title_lines.clone();
            entry.stated = x.stated.clone();
            entry.reading = Some(Reading {
                doubtful_rows: x.quality.doubtful,
                doubtful_share: (x.quality.doubtful_share * 1000.0).round() / 1000.0,
                pages: x.quality.pages.clone(),
                verdict: if x.quality.warning.is_some() { "check".into() } else { "good".into() },
                warning: x.quality.warning.clone(),
            });
            // Its records, a file per table, and the pictures of its rows to review (so that an
            // unchanged document's are kept). Made and written by the staging's writer thread:
            // the packs need none of them, and a long tracker has a table on every page; the
            // pictures are taken there as the worker finishes drawing them. One that cannot be
            // written is reported by the commit, and left out of the manifest.
            let (records, tables, dir) = (x.records.clone(), x.tables, opts.output_dir.clone());
            let (tx, files_soon) = std::sync::mpsc::channel();
            staged.make_soon(move || {
                let crops = late_crops.wait();
                let mut files: Vec<(String, Vec<u8>)> = vec![(jsonl_rel, output::to_jsonl(&records)), (format!("records/{stem}.csv"), output::to_csv(&records))];
                for t in &tables {
                    files.push((format!("tables/{stem}-p{}-t{}.csv", t.page, t.index), output::grid_to_csv(&t.grid)));
                }
                files.push((review_rel(&stem), serde_json::to_vec(&crops).expect("crops are plain data")));
                let _ = tx.send(DocFiles { outputs: files.iter().map(|(name, bytes)| OutputFile { hash: hash_bytes(bytes), path: name.clone() }).collect(), crops });
                files.into_iter().map(|(name, bytes)| (dir.join(name), bytes)).collect()
            });
            DocResult { entry, records: x.records, error: None, warnings: x.warnings, crops: Vec::new(), files_soon: Some(files_soon) }
        }
    }
}
