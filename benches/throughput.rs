//! Benchmarks (not tests): speed and memory as ratios against a reference run in the same
//! process, on the shared gold and peers PDFs. Run with `cargo bench` (needs `pdftotext` from
//! poppler-utils for the reference, and ../shared beside the repository).
//!
//! 1. tables: pages per second of milepost's reading + tables stages over every gold and peers
//!    PDF, one thread, against `pdftotext -layout` on the same files.
//! 2. records: records and pages per second on large-tracker-600.pdf against `pdftotext -layout`.
//! 3. batch: the whole run over the gold documents with 1 thread and with 2, and a re-run with
//!    nothing changed against a full run.
//! 4. memory: peak resident memory of `milepost extract` on large-tracker-600.pdf.

/// The allocator the `milepost` binary uses (src/main.rs), so that the library is timed as
/// users run it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use milepost::batch::{self, RunOptions};
use milepost::config::Config;
use milepost::Limits;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    batch::find_inputs(dir).unwrap_or_default()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

fn pdftotext(files: &[PathBuf]) -> f64 {
    let (_, s) = time(|| {
        for f in files {
            let _ = Command::new("pdftotext").arg("-layout").arg(f).arg("/dev/null").output();
        }
    });
    s
}

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..n {
        let (v, s) = time(&mut f);
        best = best.min(s);
        last = Some(v);
    }
    (last.expect("n >= 1"), best)
}

fn main() {
    let sh = shared();
    let limits = Limits::default();
    let cfg = Config::builtin();
    let have_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    if !have_pdftotext {
        eprintln!("pdftotext is not installed (apt-get install poppler-utils): ratios are skipped");
    }

    // 1. tables over gold + peers (valid documents only).
    let mut files = pdfs(&sh.join("gold/docs"));
    files.extend(pdfs(&sh.join("peers")));
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool");
    let (pages, t_mp) = best_of(3, || {
        one.install(|| {
            let mut pages = 0usize;
            for f in &files {
                if let Ok(doc) = milepost::read_tables(f, &None, &limits) {
                    pages += doc.page_count as usize;
                }
            }
            pages
        })
    });
    println!("tables: {} files, {pages} pages, milepost {:.3} s = {:.0} pages/s (1 thread)", files.len(), t_mp, pages as f64 / t_mp);
    if have_pdftotext {
        let t_ref = (0..3).map(|_| pdftotext(&files)).fold(f64::MAX, f64::min);
        println!("tables: pdftotext -layout {:.3} s = {:.0} pages/s; milepost is {:.2}x pdftotext", t_ref, pages as f64 / t_ref, t_ref / t_mp);
    }

    // 2. records on the 600-row tracker.
    let large = sh.join("gold/docs/large-tracker-600.pdf");
    let (x, t_rec) = best_of(3, || one.install(|| milepost::extract(&large, &cfg, &limits).expect("the large tracker extracts")));
    println!(
        "records: large-tracker-600.pdf {} records, {} pages in {:.3} s = {:.0} records/s, {:.0} pages/s",
        x.records.len(),
        x.page_count,
        t_rec,
        x.records.len() as f64 / t_rec,
        f64::from(x.page_count) / t_rec
    );
    if have_pdftotext {
        let t_ref = (0..3).map(|_| pdftotext(std::slice::from_ref(&large))).fold(f64::MAX, f64::min);
        println!("records: pdftotext -layout {:.3} s; milepost is {:.2}x pdftotext", t_ref, t_ref / t_rec);
    }

    // 3. batch: 1 vs 2 threads, and a re-run with nothing changed.
    let out = std::env::temp_dir().join(format!("milepost-bench-{}", std::process::id()));
    let run = |jobs: usize, force: bool| {
        let opts = RunOptions { input_dir: sh.join("gold/docs"), output_dir: out.clone(), jobs, force, limits, worker: None };
        batch::run(&opts, &cfg, None, &|_| {}).expect("the batch runs")
    };
    let (_, t1) = best_of(3, || run(1, true));
    let (_, t2) = best_of(3, || run(2, true));
    let (_, t_again) = best_of(3, || run(2, false));
    println!("batch: gold docs, 1 thread {t1:.3} s, 2 threads {t2:.3} s: speed-up {:.2}x", t1 / t2);
    println!("batch: re-run with nothing changed {t_again:.3} s against a full run {t2:.3} s: {:.1}% of it", 100.0 * t_again / t2);
    let _ = std::fs::remove_dir_all(&out);

    // 4. peak memory of one process extracting the large tracker.
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/milepost");
    if bin.exists() && Path::new("/usr/bin/time").exists() {
        let o = Command::new("/usr/bin/time").arg("-v").arg(&bin).arg("extract").arg(&large).arg("-o").arg("/dev/null").output();
        if let Ok(o) = o {
            let err = String::from_utf8_lossy(&o.stderr);
            if let Some(l) = err.lines().find(|l| l.contains("Maximum resident set size")) {
                let kb: f64 = l.rsplit(':').next().and_then(|v| v.trim().parse().ok()).unwrap_or(0.0);
                println!("memory: peak RSS of `milepost extract large-tracker-600.pdf`: {:.1} MB", kb / 1024.0);
            }
        }
    } else {
        println!("memory: build target/release/milepost and install GNU time (apt-get install time) to measure peak RSS");
    }
}
