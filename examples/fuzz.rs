//! A mutation fuzzer on stable Rust for read → layout → tables (and rows): takes seed PDFs,
//! mutates them (bit flips, PDF tokens written over bytes, chunks cut, repeated or spliced in
//! from another seed, truncation, numbers made huge or negative), and runs each mutant through
//! the pipeline under the default budget, with a memory cap on this process.
//!
//! Findings go to `--out` (default `fuzz-findings/`): a panic anywhere (even one the page guard
//! catches: it is still a bug), a mutant slower than `--slow` seconds, and, because an abort
//! cannot be caught, the mutant in hand is kept as `current.pdf` while it runs (a crash leaves it
//! there). Prints a summary every minute and at the end.
//!
//! `cargo run --release --example fuzz -- --minutes 30 DIR_OR_PDF...`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static PANICS: AtomicUsize = AtomicUsize::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b" obj ",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b" R ",
    b"/Length 99999999 ",
    b"/Filter /FlateDecode ",
    b"/Type /Page ",
    b"/Kids [",
    b"/Count -1 ",
    b"/Parent 1 0 R ",
    b"/Contents 1 0 R ",
    b"/Resources << >> ",
    b"/Font << /F1 1 0 R >> ",
    b" Do ",
    b" q ",
    b" Q ",
    b" cm ",
    b" Tj ",
    b" TJ ",
    b" re f ",
    b" BT ",
    b" ET ",
    b" Tf ",
    b"99999999999",
    b"-1",
    b"0",
    b"1e308",
    b"(",
    b")",
    b"\\",
    b"%",
    b"xref\n0 1\n",
    b"trailer",
    b"startxref\n",
    b"/Subtype /Form /BBox [0 0 1 1] ",
    b"/XObject << /X 1 0 R >> ",
];

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        if b.is_empty() {
            b.extend_from_slice(b"%PDF-1.4\n");
        }
        let at = rng.below(b.len());
        match rng.below(8) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = rng.next() as u8,
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let end = (at + t.len()).min(b.len());
                b.splice(at..end, t.iter().copied());
            }
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, t.iter().copied());
            }
            4 => {
                let len = rng.below(4096).min(b.len() - at);
                b.drain(at..at + len);
            }
            5 => {
                let len = rng.below(2048).min(b.len() - at);
                let chunk = b[at..at + len].to_vec();
                let to = rng.below(b.len());
                b.splice(to..to, chunk);
            }
            6 if !other.is_empty() => {
                let from = rng.below(other.len());
                let len = rng.below(4096).min(other.len() - from);
                b.splice(at..at, other[from..from + len].iter().copied());
            }
            _ => b.truncate(at.max(1)),
        }
    }
    b
}

fn seeds(args: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            out.extend(milepost::batch::find_inputs(p).unwrap_or_default());
        } else {
            out.push(p.to_path_buf());
        }
    }
    out
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |name: &str, default: &str| -> String {
        match args.iter().position(|a| a == name) {
            Some(i) if i + 1 < args.len() => {
                let v = args.remove(i + 1);
                args.remove(i);
                v
            }
            _ => default.to_string(),
        }
    };
    let minutes: f64 = take("--minutes", "1").parse().unwrap_or(1.0);
    let slow: f64 = take("--slow", "10").parse().unwrap_or(10.0);
    let seed_no: u64 = take("--seed", "1").parse().unwrap_or(1);
    let out = PathBuf::from(take("--out", "fuzz-findings"));
    let max_seed_kb: usize = take("--max-seed-kb", "512").parse().unwrap_or(512);
    let files: Vec<(PathBuf, Vec<u8>)> = seeds(&args).into_iter().filter_map(|p| std::fs::read(&p).ok().filter(|b| b.len() <= max_seed_kb * 1024).map(|b| (p, b))).collect();
    if files.is_empty() {
        eprintln!("usage: fuzz [--minutes M] [--slow S] [--seed N] [--out DIR] DIR_OR_PDF...");
        std::process::exit(2);
    }
    std::fs::create_dir_all(&out).expect("findings folder");
    // Cap this process's memory, as a batch worker is capped: an allocation past it aborts, and
    // current.pdf is the mutant that did it.
    #[cfg(unix)]
    unsafe {
        let lim = libc::rlimit { rlim_cur: 2 << 30, rlim_max: 2 << 30 };
        libc::setrlimit(libc::RLIMIT_DATA, &lim);
    }
    std::panic::set_hook(Box::new(|info| {
        PANICS.fetch_add(1, Ordering::Relaxed);
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = info.to_string();
    }));
    let limits = milepost::Limits { doc_timeout_s: slow.ceil() as u64 * 2, ..milepost::Limits::default() };
    let cfg = milepost::config::Config::builtin();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed_no);
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(minutes * 60.0);
    let (mut runs, mut panics_found, mut slow_found, mut ok, mut failed) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    let mut last_report = Instant::now();
    let current = out.join("current.pdf");
    while Instant::now() < end {
        let (path, seed) = &files[rng.below(files.len())];
        let other = &files[rng.below(files.len())].1;
        let mutant = mutate(&mut rng, seed, other);
        let _ = std::fs::write(&current, &mutant);
        let before = PANICS.load(Ordering::Relaxed);
        let t = Instant::now();
        let file = milepost::error::FileName::of(path);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let meter = milepost::budget::Meter::start(&limits);
            let doc = milepost::read::read_bytes(file, mutant.clone(), &None, &meter, &limits)?;
            let pages: Vec<milepost::tables::PageTables> = doc
                .pages
                .iter()
                .map(|raw| {
                    let layout = milepost::layout::lay_out(raw);
                    let tables = milepost::tables::find_tables(&layout);
                    milepost::tables::PageTables { layout, tables }
                })
                .collect();
            let found = milepost::rows::find_rows(&pages, &cfg);
            Ok::<usize, milepost::error::DocError>(found.rows.len())
        }));
        let secs = t.elapsed().as_secs_f64();
        runs += 1;
        match &result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                failed += 1;
                *kinds.entry(e.kind().to_string()).or_default() += 1;
            }
            Err(_) => {}
        }
        let panicked = PANICS.load(Ordering::Relaxed) > before || result.is_err();
        if panicked {
            panics_found += 1;
            let msg = LAST_PANIC.lock().map(|s| s.clone()).unwrap_or_default();
            let name = format!("panic-{runs:07}.pdf");
            let _ = std::fs::write(out.join(&name), &mutant);
            println!("PANIC {name} (from {}): {}", path.display(), msg.lines().next().unwrap_or(""));
        }
        if secs > slow {
            slow_found += 1;
            let name = format!("slow-{runs:07}-{secs:.0}s.pdf");
            let _ = std::fs::write(out.join(&name), &mutant);
            println!("SLOW {name} (from {}): {secs:.1} s", path.display());
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            println!("{:.0} min: {runs} mutants, {ok} read, {failed} refused, {panics_found} panics, {slow_found} slow", start.elapsed().as_secs_f64() / 60.0);
        }
    }
    let _ = std::fs::remove_file(&current);
    println!(
        "done: {runs} mutants of {} seeds in {:.1} min: {ok} read, {failed} refused {:?}, {panics_found} panics, {slow_found} over {slow} s",
        files.len(),
        start.elapsed().as_secs_f64() / 60.0,
        kinds
    );
}
