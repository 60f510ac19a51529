//! The command line: parses arguments (clap), calls the library, reports through `report`.
//!
//! Commands: `run` (the usual batch), `extract` (records of some files), `tables` (the tables
//! of some files), `check` (the templates), `score` (records against truth, in `score.rs`). Not
//! here: any pipeline logic.

mod report;
mod score;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use milepost::batch::{self, RunOptions};
use milepost::config::Config;
use milepost::report::ReportConfig;
use milepost::{output, Limits};
use report::{Exit, Verbosity};

const EXIT_CODES: &str = "Exit codes:
  0  every input read and every output written (flagged rows count as success)
  1  some inputs failed (or could not be put in a report pack); the rest were processed and written
  2  bad command line or bad templates/ file; nothing was run
  3  outputs could not be written (disk full, file open in Excel, no permission)";

#[derive(Parser)]
#[command(name = "milepost", version, about = "Turn council milestone trackers and action plans (PDF) into data and reports", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only: no progress bar, no summary.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what was found in each document.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Print a machine-readable JSON summary on standard output, for scripts and schedulers.
    #[arg(long, global = true)]
    json: bool,
    /// Folder holding status.toml and columns.toml (the wordings you can edit).
    #[arg(long, global = true, default_value = "templates")]
    templates: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Read every PDF in a folder and write records (CSV, JSON Lines, Excel) and tables: the usual quarterly run.
    Run(RunArgs),
    /// Read some PDFs and write their rows as JSON Lines, CSV or Excel.
    Extract(ExtractArgs),
    /// Write the tables found in some PDFs, one CSV (or JSON) file per table.
    Tables(TablesArgs),
    /// Write the review page for some PDFs: every row milepost doubts beside a picture of where it was read.
    Review(ReviewArgs),
    /// Check the status wordings and column headings in templates/ for mistakes.
    Check,
    /// Score records (JSON Lines) against hand-checked truth, as ../shared/gold/score.py does.
    Score(score::ScoreArgs),
    /// List the plans and periods that runs have stored in the output folder's history.sqlite.
    History(HistoryArgs),
    /// Read one PDF and print the result as JSON: the worker process `run` starts per document.
    #[command(hide = true)]
    ReadOne(ReadOneArgs),
    /// Internal: lays out the PDFs a run hands it on standard input (`report::elsewhere`).
    #[command(hide = true)]
    LayOut,
}

/// What one document may cost before milepost gives up on it (the batch goes on).
#[derive(clap::Args, Clone)]
#[command(next_help_heading = "Limits on each PDF (past one, that PDF fails and the others go on)")]
struct LimitArgs {
    /// Refuse PDFs larger than this many megabytes.
    #[arg(long, default_value_t = 200)]
    max_file_mb: u64,
    /// Refuse PDFs with more pages than this.
    #[arg(long, default_value_t = 2000)]
    max_pages: u32,
    /// Give up on a PDF that takes longer than this many seconds to read.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    doc_timeout: u64,
    /// Give up on a PDF that makes more drawing operations than this (a 100-page tracker makes
    /// about 200,000).
    #[arg(long, default_value_t = 20_000_000)]
    max_draw_ops: u64,
    /// Give up on a PDF with a page that makes more drawing operations than this (a dense page
    /// makes about 20,000).
    #[arg(long, default_value_t = 1_000_000)]
    max_page_ops: u64,
    /// Refuse a PDF with a compressed stream that inflates past this many megabytes.
    #[arg(long, default_value_t = 256)]
    max_stream_mb: u64,
    /// Refuse a PDF whose compressed streams together inflate past this many megabytes.
    #[arg(long, default_value_t = 1024)]
    max_decoded_mb: u64,
    /// Memory one PDF may use while `run` reads it (in its own worker process), in megabytes.
    #[arg(long, default_value_t = 1024)]
    doc_memory_mb: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_file_mb: self.max_file_mb,
            max_pages: self.max_pages,
            doc_timeout_s: self.doc_timeout,
            max_draw_ops: self.max_draw_ops,
            max_page_ops: self.max_page_ops,
            max_stream_mb: self.max_stream_mb,
            max_decoded_mb: self.max_decoded_mb,
            doc_memory_mb: self.doc_memory_mb,
        }
    }
}

#[derive(clap::Args)]
struct HistoryArgs {
    /// The output folder holding history.sqlite.
    #[arg(short, long, default_value = "outputs")]
    output_dir: PathBuf,
    /// Only this plan (its short name, as the pack file names start).
    #[arg(long)]
    plan: Option<String>,
}

#[derive(clap::Args)]
struct ReadOneArgs {
    /// The PDF.
    file: PathBuf,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Folder of PDFs (searched in sub-folders too).
    #[arg(default_value = "inputs")]
    input_dir: PathBuf,
    /// Folder for the results.
    #[arg(short, long, default_value = "outputs")]
    output_dir: PathBuf,
    /// How many PDFs to read at once (default: one per processor core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Read every PDF again, even those unchanged since the last run.
    #[arg(long)]
    force: bool,
    /// Read the PDFs in this process rather than one worker process each (faster to start, but
    /// a PDF that exhausts memory then stops the whole run).
    #[arg(long)]
    no_isolation: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum RecordFormat {
    Jsonl,
    Csv,
    Xlsx,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// PDF files to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: RecordFormat,
    #[command(flatten)]
    limits: LimitArgs,
    /// File to write (standard output when left out; Excel needs a file).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// PDF files (or pack workbooks) to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
    /// The page to write.
    #[arg(short, long, default_value = "review.html")]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Csv,
    Json,
}

#[derive(clap::Args)]
struct TablesArgs {
    /// PDF files to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Pages to read, e.g. 1,3-5 (default: all).
    #[arg(long)]
    pages: Option<String>,
    /// Folder for the table files.
    #[arg(long, default_value = "tables")]
    out: PathBuf,
    /// csv: one grid per table; json: boxes, spans and colours too.
    #[arg(long, value_enum, default_value = "csv")]
    format: TableFormat,
    /// Read only what lies inside this area of each page: top,left,bottom,right in points from
    /// the page's top-left corner (as tabula's -a), e.g. 100,40,700,560.
    #[arg(long)]
    area: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Runs the command line.
pub fn main() -> ExitCode {
    // score parses its own command line: its --json names a file (as score.py's does), which
    // the global --json switch cannot share with it (see cli/score.rs).
    let args: Vec<OsString> = std::env::args_os().collect();
    if score::is_score(&args) {
        return score::main(args).into();
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { Exit::Usage } else { Exit::Ok };
            let _ = e.print();
            return code.into();
        }
    };
    let v = Verbosity { quiet: cli.quiet || cli.json, verbose: cli.verbose };
    let verbose = cli.verbose;
    std::panic::set_hook(Box::new(move |info| {
        // Panics inside a document are caught and reported as that document's error; the raw
        // text is only for someone debugging.
        if verbose {
            eprintln!("panic: {info}");
        }
    }));
    if let Command::ReadOne(a) = &cli.command {
        // The worker loads the templates itself and always answers in JSON.
        return ExitCode::from(milepost::isolate::worker_main(&a.file, &cli.templates, &a.limits.limits()) as u8);
    }
    if let Command::LayOut = &cli.command {
        // A run's layout helper: it needs no templates folder (the run sends each template).
        milepost::report::elsewhere::lower_priority();
        return match milepost::report::elsewhere::serve(std::io::stdin().lock(), std::io::stdout().lock(), crate::give_memory_back) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(3),
        };
    }
    if matches!(cli.command, Command::Tables(_)) {
        // Tables are found from the drawing alone: no vocabulary is loaded, so a templates
        // folder `tables` never uses cannot stop it (and a small file is not kept waiting).
        if let Command::Tables(a) = cli.command {
            return cmd_tables(a, v).into();
        }
    }
    let cfg = match Config::load(&cli.templates) {
        Ok(c) => c,
        Err(errs) => {
            report::config_errors(&errs);
            return Exit::Usage.into();
        }
    };
    let exit = match cli.command {
        Command::Run(a) => match load_report_config(&cli.templates, Some(&a.input_dir), Some(&a.output_dir)) {
            Some(rc) => cmd_run(a, &cfg, &rc, &cli.templates, v, cli.json),
            None => Exit::Usage,
        },
        Command::Extract(a) => cmd_extract(a, &cfg, v),
        Command::Tables(_) => unreachable!("answered above"),
        Command::Review(a) => cmd_review(a, &cfg, v),
        Command::Score(a) => score::run(a, v),
        Command::History(a) => cmd_history(&a, cli.json),
        Command::ReadOne(_) | Command::LayOut => unreachable!("answered above"),
        Command::Check => match load_report_config(&cli.templates, None, None) {
            Some(_) => {
                report::info(
                    &format!(
                        "The templates are fine ({} status wordings, {} column headings, and the report template).",
                        cfg.status_words.len() + cfg.status_letters.len(),
                        cfg.column_words.len()
                    ),
                    v,
                );
                Exit::Ok
            }
            None => Exit::Usage,
        },
    };
    exit.into()
}

/// `milepost history`: one line per stored plan and period (JSON Lines with `--json`).
fn cmd_history(a: &HistoryArgs, json: bool) -> Exit {
    use milepost::history::{History, HISTORY_FILE};
    let path = a.output_dir.join(HISTORY_FILE);
    if !path.exists() {
        report::error_line(&format!("{}: there is no history yet; `milepost run` creates it with the first packs", path.display()));
        return Exit::Usage;
    }
    let periods = match History::open(&path).and_then(|h| h.periods(a.plan.as_deref())) {
        Ok(p) => p,
        Err(e) => {
            report::error_line(&e.to_string());
            return Exit::WriteFailed;
        }
    };
    if periods.is_empty() {
        let what = a.plan.as_deref().map(|p| format!("for plan \"{p}\"")).unwrap_or_else(|| "yet".into());
        report::error_line(&format!("{}: no periods are stored {what}", path.display()));
        return Exit::Usage;
    }
    if json {
        for p in &periods {
            let line = serde_json::json!({"plan": p.plan, "period": p.period, "title": p.title, "rows": p.rows, "files": p.files, "recorded_at": p.recorded_at});
            println!("{line}");
        }
        return Exit::Ok;
    }
    let w = periods.iter().map(|p| p.plan.chars().count()).max().unwrap_or(4).max(4);
    let pw = periods.iter().map(|p| p.period.chars().count()).max().unwrap_or(6).max(6);
    println!("{:w$}  {:pw$}  {:>5}  {:20}  Read from", "Plan", "Period", "Rows", "Stored (UTC)");
    for p in &periods {
        println!("{:w$}  {:pw$}  {:>5}  {:20}  {}", p.plan, p.period, p.rows, p.recorded_at, p.files);
    }
    Exit::Ok
}

/// Loads report.toml, report.typ and the input folder's plans file, and compiles the template
/// against a sample, so that any mistake is reported (file and line) before a PDF is read.
///
/// A run into `output_dir` skips the compile when the last run there used these very templates
/// with this version (they passed then): it is most of the time of a re-run with nothing to do.
/// It skips it too for the shipped templates, which the tests compile (`milepost check` still
/// compiles them).
fn load_report_config(templates: &Path, input_dir: Option<&Path>, output_dir: Option<&Path>) -> Option<ReportConfig> {
    let rc = match ReportConfig::load(templates, input_dir) {
        Ok(rc) => rc,
        Err(errs) => {
            report::config_errors(&errs);
            return None;
        }
    };
    if output_dir.is_some_and(|d| batch::templates_used_last_run(d, &rc)) || (output_dir.is_some() && rc.templates_are_shipped()) {
        return Some(rc);
    }
    if let Err(errs) = milepost::report::check_template(&rc) {
        report::config_errors(&errs);
        return None;
    }
    Some(rc)
}

fn cmd_run(a: RunArgs, cfg: &Config, rc: &ReportConfig, templates: &Path, v: Verbosity, json: bool) -> Exit {
    // Each document is read by a worker process of this binary, so that no PDF can stop the run.
    let worker = if a.no_isolation { None } else { std::env::current_exe().ok().map(|exe| milepost::isolate::Worker { exe, templates: templates.to_path_buf(), threads: 1 }) };
    let opts = RunOptions { input_dir: a.input_dir.clone(), output_dir: a.output_dir.clone(), jobs: a.jobs, force: a.force, limits: a.limits.limits(), worker };
    let count = batch::find_inputs(&a.input_dir).map(|p| p.len()).unwrap_or(0);
    let bar = if v.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(count as u64);
        b.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").expect("valid template"));
        b
    };
    let plain = !v.quiet && !std::io::stderr().is_terminal();
    let progress = |name: &str| {
        bar.inc(1);
        bar.set_message(name.to_string());
        if plain {
            eprintln!("read {name}");
        }
    };
    let summary = match batch::run(&opts, cfg, Some(rc), &progress) {
        Ok(s) => s,
        Err(e) => {
            bar.finish_and_clear();
            report::error_line(&e.to_string());
            return match e {
                batch::RunError::Input(..) => Exit::Usage,
                batch::RunError::Locked(..) => Exit::WriteFailed,
                batch::RunError::Output(_) => Exit::WriteFailed,
            };
        }
    };
    bar.finish_and_clear();
    for e in &summary.errors {
        report::doc_error(e);
    }
    for (file, w) in &summary.warnings {
        report::warning(file, w, v);
    }
    for e in &summary.write_errors {
        report::error_line(&e.to_string());
    }
    if !summary.write_errors.is_empty() {
        report::hint_line("close the file if it is open in Excel, and check there is space and permission to write");
    }
    for e in &summary.packs.errors {
        report::error_line(&e.to_string());
        if let Some(h) = e.hint() {
            report::hint_line(&h);
        }
    }
    for p in &summary.packs.written {
        for n in &p.notes {
            report::warning_line(n, v);
        }
        if v.verbose {
            eprintln!(
                "  pack {} {}: {} rows, {} pages{}",
                p.plan,
                p.period,
                p.rows,
                p.pages,
                p.compared_with.as_deref().map(|c| format!(", compared with {c}")).unwrap_or_default()
            );
        }
    }
    let t = &summary.manifest.totals;
    if v.verbose {
        for i in &summary.manifest.inputs {
            eprintln!("  {}: {} ({} pages, {} records, {} flagged, {:.2}s)", i.path, i.outcome, i.pages, i.records, i.flagged, i.seconds);
        }
    }
    if count == 0 {
        report::error_line(&format!("{}: no PDF files were found in this folder", a.input_dir.display()));
    }
    report::info(
        &format!(
            "Read {} PDF{} ({} failed, {} unchanged since the last run): {} rows ({} flagged), {} report pack{}. Results in {}.",
            t.inputs,
            if t.inputs == 1 { "" } else { "s" },
            t.failed,
            t.skipped,
            t.records,
            t.flagged,
            summary.packs.written.len(),
            if summary.packs.written.len() == 1 { "" } else { "s" },
            a.output_dir.display()
        ),
        v,
    );
    if t.flagged > 0 || t.failed > 0 {
        report::info(&format!("To check the flagged rows beside pictures of where they were read, open {}.", a.output_dir.join(milepost::review::REVIEW_FILE).display()), v);
    }
    if json {
        let j = serde_json::json!({
            "inputs": t.inputs, "done": t.done, "skipped": t.skipped, "failed": t.failed,
            "records": t.records, "flagged": t.flagged, "packs": summary.packs.written.len(),
            "errors": summary.manifest.inputs.iter().filter_map(|i| i.error.as_ref().map(|e| serde_json::json!({"file": i.path, "kind": e.kind, "message": e.message}))).collect::<Vec<_>>(),
            "manifest": a.output_dir.join("manifest.json"),
            "review": a.output_dir.join(milepost::review::REVIEW_FILE),
        });
        println!("{j}");
    }
    if !summary.write_errors.is_empty() {
        Exit::WriteFailed
    } else if t.failed > 0 || count == 0 || !summary.packs.errors.is_empty() {
        Exit::SomeFailed
    } else {
        Exit::Ok
    }
}

fn cmd_extract(a: ExtractArgs, cfg: &Config, v: Verbosity) -> Exit {
    let limits = a.limits.limits();
    let mut records = Vec::new();
    let mut failed = false;
    for f in &a.files {
        match milepost::extract_guarded(f, cfg, &limits) {
            Ok(x) => {
                for w in &x.warnings {
                    report::warning(&x.file, w, v);
                }
                if v.verbose {
                    eprintln!("  {}: {} pages, {} records", x.file, x.page_count, x.records.len());
                }
                records.extend(x.records);
            }
            Err(e) => {
                report::doc_error(&e);
                failed = true;
            }
        }
    }
    let bytes = match a.format {
        RecordFormat::Jsonl => Ok(output::to_jsonl(&records)),
        RecordFormat::Csv => Ok(output::to_csv(&records)),
        RecordFormat::Xlsx => {
            if a.output.is_none() {
                report::error_line("an Excel workbook cannot go to the terminal");
                report::hint_line("add -o records.xlsx");
                return Exit::Usage;
            }
            output::to_xlsx(&records).map_err(|e| e.with_path(a.output.as_deref().unwrap_or(Path::new("records.xlsx"))))
        }
    };
    let written = bytes.and_then(|b| match &a.output {
        Some(p) => output::write_atomic(p, &b),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (| head) is not an error worth reporting.
            let _ = out.write_all(&b);
            Ok(())
        }
    });
    if let Err(e) = written {
        report::error_line(&e.to_string());
        return Exit::WriteFailed;
    }
    if failed {
        Exit::SomeFailed
    } else {
        Exit::Ok
    }
}

/// `milepost review`: the review page of `run`, for some files, without a run's other outputs.
fn cmd_review(a: ReviewArgs, cfg: &Config, v: Verbosity) -> Exit {
    let limits = a.limits.limits();
    let cwd = std::env::current_dir().unwrap_or_default();
    let out_dir = cwd.join(a.output.parent().unwrap_or(Path::new("")));
    let mut docs = Vec::new();
    let mut failed = false;
    for f in &a.files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| f.display().to_string());
        let source = milepost::report::relative_dir(&out_dir, &cwd.join(f.parent().unwrap_or(Path::new("")))).map(|d| format!("{d}{name}"));
        let links = milepost::review::Links { source, ..Default::default() };
        let started = std::time::Instant::now();
        match milepost::extract_guarded(f, cfg, &limits) {
            Ok(x) => {
                for w in &x.warnings {
                    report::warning(&x.file, w, v);
                }
                let p = milepost::isolate::Portable::from(x).with_crops(f, &limits, started);
                docs.push(milepost::review::DocReview::read(name, p, links));
            }
            Err(e) => {
                report::doc_error(&e);
                failed = true;
                docs.push(milepost::review::DocReview::failed(name, &e.to_string(), e.hint(), links));
            }
        }
    }
    let page = milepost::review::page(&docs, cfg, &milepost::clock::now_utc());
    if let Err(e) = output::write_atomic(&a.output, page.as_bytes()) {
        report::error_line(&e.to_string());
        return Exit::WriteFailed;
    }
    report::info(&format!("Wrote {}: {} documents.", a.output.display(), docs.len()), v);
    if failed {
        Exit::SomeFailed
    } else {
        Exit::Ok
    }
}

/// Parses "1,3-5" into page numbers.
fn parse_pages(s: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("\"{part}\" is not a page or a range of pages (write e.g. 1,3-5)");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
                if a == 0 || b < a || b - a > 100_000 {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

/// Parses `--area top,left,bottom,right` (points).
fn parse_area(s: &str) -> Result<milepost::geom::BBox, String> {
    let v: Vec<f32> =
        s.split(',').map(|p| p.trim().parse::<f32>()).collect::<Result<_, _>>().map_err(|_| format!("--area {s}: give four numbers, top,left,bottom,right, in points"))?;
    match v[..] {
        [top, left, bottom, right] if bottom > top && right > left => Ok(milepost::geom::BBox::new(left, top, right, bottom)),
        _ => Err(format!("--area {s}: give four numbers, top,left,bottom,right, in points, with bottom below top and right of left")),
    }
}

fn cmd_tables(a: TablesArgs, v: Verbosity) -> Exit {
    let pages = match a.pages.as_deref().map(parse_pages).transpose() {
        Ok(p) => p,
        Err(msg) => {
            report::error_line(&msg);
            return Exit::Usage;
        }
    };
    let area = match a.area.as_deref().map(parse_area).transpose() {
        Ok(x) => x,
        Err(msg) => {
            report::error_line(&msg);
            return Exit::Usage;
        }
    };
    let limits = a.limits.limits();
    let mut failed = false;
    // Every table file is staged and made durable together at the end: one wait for the disk,
    // which writes them all (`write_last`).
    let staged = milepost::staged::Staged::new();
    for f in &a.files {
        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Only a cropped area needs the pages' words again.
            let mut doc = if area.is_some() { milepost::read_tables(f, &pages, &limits)? } else { milepost::read_tables_only(f, &pages, &limits)? };
            if let Some(area) = &area {
                // Find the tables again in the cropped page only.
                for pt in &mut doc.pages {
                    pt.layout = milepost::layout::crop(&pt.layout, area);
                    pt.tables = milepost::tables::find_tables(&pt.layout);
                }
                milepost::tables::link_continuations(&mut doc.pages);
            }
            Ok(doc)
        }))
        .unwrap_or_else(|p| Err(milepost::error::DocError::Internal { file: milepost::error::FileName::of(f), page: None, message: milepost::error::panic_text(&*p) }));
        match res {
            Err(e) => {
                report::doc_error(&e);
                failed = true;
            }
            Ok(doc) => {
                for w in &doc.warnings {
                    report::warning(&doc.file.0, w, v);
                }
                let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "table".into());
                let tables: Vec<_> = doc.pages.iter().flat_map(|p| p.tables.iter()).collect();
                // Each table made into its file's bytes and staged, over the cores.
                use rayon::prelude::*;
                let written: Result<Vec<PathBuf>, String> = tables
                    .par_iter()
                    .map(|t| {
                        let (ext, bytes) = match a.format {
                            TableFormat::Csv => ("csv", output::grid_to_csv(&t.grid())),
                            TableFormat::Json => ("json", serde_json::to_vec_pretty(t).expect("tables are plain data")),
                        };
                        let path: PathBuf = Path::new(&a.out).join(format!("{stem}-p{}-t{}.{ext}", t.page, t.index));
                        staged.write_last(&path, &bytes).map(|()| path).map_err(|e| e.to_string())
                    })
                    .collect();
                match written {
                    Err(e) => {
                        report::error_line(&e);
                        return Exit::WriteFailed;
                    }
                    Ok(paths) if v.verbose => {
                        for (path, t) in paths.iter().zip(&tables) {
                            eprintln!("  {}: {} rows × {} columns ({:?})", path.display(), t.rows(), t.cols(), t.kind);
                        }
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    let write_errors = staged.commit();
    for e in &write_errors {
        report::error_line(&e.to_string());
    }
    if !write_errors.is_empty() {
        Exit::WriteFailed
    } else if failed {
        Exit::SomeFailed
    } else {
        Exit::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::parse_pages;

    #[test]
    fn page_lists_and_ranges() {
        assert_eq!(parse_pages("1,3-5").unwrap(), vec![1, 3, 4, 5]);
        assert!(parse_pages("0-2").is_err());
        assert!(parse_pages("x").unwrap_err().contains("\"x\""));
    }
}
