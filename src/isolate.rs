//! Reads one document of a batch in a worker process of milepost's own binary, so that nothing a
//! PDF does can take the batch down: not an allocation failure inside a dependency (which aborts
//! a process, past any `catch_unwind`), not a runaway that ignores the in-process budget.
//!
//! In: the document's path, the [`Limits`], and a [`Worker`] (the binary, the templates folder).
//! Out: the document's [`Portable`] result, or a `DocError` naming the file: its own error as the
//! worker reported it, `too_complex` when it ran out of memory under `doc_memory_mb`, `timed_out`
//! when it passed `doc_timeout_s` (it is killed), `internal` when it died any other way.
//!
//! The worker is `milepost read-one FILE` (a hidden command): it caps its own memory (Unix
//! `RLIMIT_DATA`), reads the file, and prints one JSON [`Reply`] on standard output, then the
//! pictures of the rows to review; the batch goes on as soon as the reply is complete and takes
//! the pictures later ([`LateCrops`]). The same Apache Tika does with its forked parsers.
//!
//! Not here: what is done with the result (`batch`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{DocError, FileName, Warning};
use crate::normalise::quality::Quality;
use crate::record::Record;
use crate::{extract_guarded, Extracted, Limits};

/// How to start a worker.
#[derive(Debug, Clone)]
pub struct Worker {
    /// milepost's binary (normally `std::env::current_exe()`).
    pub exe: PathBuf,
    /// The templates folder the worker loads (the run's `--templates`).
    pub templates: PathBuf,
    /// Threads the worker may use for one document's pages.
    pub threads: usize,
}

/// A table of the document, as the outputs folder keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortableTable {
    /// Page (1-based).
    pub page: u32,
    /// Its index on the page.
    pub index: usize,
    /// Its cells' text, row by row.
    pub grid: Vec<Vec<String>>,
}

/// What a batch keeps of one document's [`Extracted`]: plain data that crosses a process boundary.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Portable {
    /// Pages in the file.
    pub page_count: u32,
    /// The records, in document order.
    pub records: Vec<Record>,
    /// Problems that did not stop the document.
    pub warnings: Vec<Warning>,
    /// The first lines of text on the first page.
    pub title_lines: Vec<String>,
    /// Every table found.
    pub tables: Vec<PortableTable>,
    /// The self-check.
    pub quality: Quality,
    /// For a workbook: the plan and period it states.
    #[serde(default)]
    pub stated: Option<crate::period::Stated>,
    /// Pictures of the rows to review (`crops`), drawn where the document was read.
    #[serde(default)]
    pub crops: Vec<crate::crops::Crop>,
}

impl From<Extracted> for Portable {
    fn from(x: Extracted) -> Portable {
        Portable {
            page_count: x.page_count,
            tables: x.tables.iter().map(|t| PortableTable { page: t.page, index: t.index, grid: t.grid() }).collect(),
            records: x.records,
            warnings: x.warnings,
            title_lines: x.title_lines,
            quality: x.quality,
            stated: x.stated,
            crops: Vec::new(),
        }
    }
}

impl Portable {
    /// With the pictures of its rows to review drawn from the PDF at `path` (none for a
    /// workbook, whose rows show their sheet and row instead). `read_since` is when reading the
    /// document started: drawing stops at three quarters of its time limit, so that a document
    /// read in time is never failed for its pictures (the rows past that get a link instead).
    pub fn with_crops(mut self, path: &Path, limits: &Limits, read_since: std::time::Instant) -> Portable {
        if !crate::workbook::is_workbook(path) {
            let regions = crate::crops::regions_to_draw(&self.records, Some(&self.quality));
            let deadline = read_since + Duration::from_secs(limits.doc_timeout_s.saturating_mul(3) / 4);
            self.crops = crate::crops::draw(path, &regions, limits, deadline);
        }
        self
    }
}

/// What a worker prints.
// One reply a document, made once and serialised at once: the size of the larger variant costs
// nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The document was read.
    Read(Portable),
    /// It could not be: the error's kind and sentence.
    Failed {
        /// [`DocError::kind`].
        kind: String,
        /// Its sentence.
        message: String,
    },
}

/// The worker's side: caps this process's memory, reads `path`, prints the [`Reply`] on one
/// line, then, for a document read, the pictures of its rows to review on a second line. The
/// reply goes first so that the pictures can cost nothing more than themselves: a worker that
/// dies or times out while drawing has already given its records. Returns the process exit code
/// (0 whenever a reply was printed).
pub fn worker_main(path: &Path, templates: &Path, limits: &Limits) -> i32 {
    let started = std::time::Instant::now();
    cap_memory(limits.doc_memory_mb);
    let reply = match Config::load(templates) {
        Err(errs) => Reply::Failed { kind: "internal".into(), message: format!("{}: the worker could not load the templates ({} problems)", FileName::of(path), errs.len()) },
        Ok(cfg) => match extract_guarded(path, &cfg, limits) {
            Ok(x) => Reply::Read(Portable::from(x)),
            Err(e) => Reply::Failed { kind: e.kind().into(), message: e.to_string() },
        },
    };
    let mut json = serde_json::to_vec(&reply).expect("the reply is plain data");
    json.push(b'\n');
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out.write_all(&json).and_then(|_| out.flush()).is_err() {
        return 3;
    }
    if let Reply::Read(p) = reply {
        let crops = p.with_crops(path, limits, started).crops;
        let json = serde_json::to_vec(&crops).expect("crops are plain data");
        if out.write_all(&json).and_then(|_| out.flush()).is_err() {
            return 3;
        }
    }
    0
}

/// Caps the data this process may allocate (Unix); elsewhere the timeout alone protects the batch.
fn cap_memory(mb: u64) {
    #[cfg(unix)]
    {
        let bytes = mb.saturating_mul(1 << 20) as libc::rlim_t;
        let lim = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
        // SAFETY: setrlimit reads the struct we pass and changes only this process's limits.
        unsafe {
            libc::setrlimit(libc::RLIMIT_DATA, &lim);
        }
    }
    #[cfg(not(unix))]
    let _ = mb;
}

/// The pictures of a document's rows to review, as its worker draws them after its reply: the
/// batch goes on with the records at once (on a long tracker, to lay out its packs) and takes
/// the pictures when it writes them ([`LateCrops::wait`]).
pub struct LateCrops(Option<Box<dyn FnOnce() -> Vec<crate::crops::Crop> + Send>>);

impl LateCrops {
    /// Pictures already drawn.
    pub fn ready(crops: Vec<crate::crops::Crop>) -> LateCrops {
        LateCrops(Some(Box::new(move || crops)))
    }

    /// The pictures, once the worker has drawn them (none where it died or ran out of time
    /// drawing them: they are a bonus); the worker has ended when this returns.
    pub fn wait(mut self) -> Vec<crate::crops::Crop> {
        self.0.take().map(|f| f()).unwrap_or_default()
    }
}

impl Drop for LateCrops {
    /// Never waited for: the worker is still waited for, so that none is left behind.
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            let _ = f();
        }
    }
}

impl std::fmt::Debug for LateCrops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LateCrops")
    }
}

/// The batch's side: reads `path` in a worker, under the limits' memory cap and timeout. Returns
/// as soon as the worker's reply is complete; the pictures it draws next come with
/// [`LateCrops`].
pub fn read_in_worker(w: &Worker, path: &Path, limits: &Limits) -> Result<(Portable, LateCrops), DocError> {
    let file = FileName::of(path);
    let internal = |message: String| DocError::Internal { file: file.clone(), page: None, message };
    let mut child = Command::new(&w.exe)
        .arg("--templates")
        .arg(&w.templates)
        .arg("read-one")
        .arg(path)
        .args(limit_args(limits))
        .env("RAYON_NUM_THREADS", w.threads.max(1).to_string())
        // mimalloc (the binary's allocator) otherwise commits a 1 GiB arena at its start, which
        // the worker's cap on data (`cap_memory`) counts in full: no thread could then start.
        .env("MIMALLOC_ARENA_EAGER_COMMIT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| internal(format!("the worker process could not be started: {e}")))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Both pipes are drained on their own threads (a full pipe would stall the worker). The
    // reply's line is handed over as soon as it is complete; the rest (the pictures) when the
    // worker ends; where no line is ever complete, everything at the end.
    let (reply_tx, reply_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let (rest_tx, rest_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut reply_end = None;
        loop {
            match stdout.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let from = buf.len();
                    buf.extend_from_slice(&chunk[..n]);
                    if reply_end.is_none() {
                        if let Some(i) = buf[from..].iter().position(|&b| b == b'\n') {
                            let _ = reply_tx.send(buf[..from + i].to_vec());
                            reply_end = Some(from + i + 1);
                        }
                    }
                }
            }
        }
        drop(reply_tx);
        let _ = rest_tx.send(match reply_end {
            Some(i) => buf.split_off(i),
            None => buf,
        });
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut buf);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        buf
    });
    // A little over the worker's own limit, so that its own (better worded) timeout wins.
    let timeout = Duration::from_secs(limits.doc_timeout_s) + Duration::from_secs(5);
    let deadline = std::time::Instant::now() + timeout;
    let reply = reply_rx.recv_timeout(timeout);
    if let Ok(Ok(Reply::Read(p))) = reply.as_deref().map(serde_json::from_slice::<Reply>) {
        // The pictures come after, until the same deadline; the worker is then ended and reaped.
        let late = move || {
            let rest = rest_rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()));
            if rest.is_err() {
                let _ = child.kill();
            }
            let _ = child.wait();
            let _ = out_reader.join();
            let _ = err_reader.join();
            // The pictures are a bonus: missing or cut short (the worker died drawing them), none.
            rest.ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
        };
        return Ok((p, LateCrops(Some(Box::new(late)))));
    }
    // No reply read: the worker failed, or said why it could not read the document.
    let timed_out = matches!(reply, Err(std::sync::mpsc::RecvTimeoutError::Timeout));
    if timed_out {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| internal(format!("the worker process was lost: {e}")))?;
    let _ = out_reader.join();
    let err_text = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if timed_out {
        return Err(DocError::TimedOut { file, limit_s: limits.doc_timeout_s });
    }
    // The reply's line, or all the worker printed where no line was complete.
    let bytes = reply.or_else(|_| rest_rx.recv()).unwrap_or_default();
    match serde_json::from_slice::<Reply>(&bytes) {
        Ok(Reply::Failed { kind, message }) => {
            let kind = DocError::KINDS.iter().copied().find(|k| *k == kind).unwrap_or("internal");
            Err(DocError::Reported { file, kind, message })
        }
        // A reply with no end of line (the worker died as it finished it): as good as any.
        Ok(Reply::Read(p)) => Ok((p, LateCrops::ready(Vec::new()))),
        Err(_) if err_text.contains("memory allocation of") => Err(DocError::TooComplex { file, page: None, detail: format!("{} MB of memory", limits.doc_memory_mb) }),
        Err(_) => Err(internal(format!("the worker process stopped ({status}){}", first_line(&err_text)))),
    }
}

fn first_line(s: &str) -> String {
    s.lines().find(|l| !l.trim().is_empty()).map(|l| format!(": {}", l.trim())).unwrap_or_default()
}

/// The command-line options that give a worker the same limits.
pub fn limit_args(l: &Limits) -> Vec<String> {
    vec![
        format!("--max-file-mb={}", l.max_file_mb),
        format!("--max-pages={}", l.max_pages),
        format!("--doc-timeout={}", l.doc_timeout_s),
        format!("--max-draw-ops={}", l.max_draw_ops),
        format!("--max-page-ops={}", l.max_page_ops),
        format!("--max-stream-mb={}", l.max_stream_mb),
        format!("--max-decoded-mb={}", l.max_decoded_mb),
        format!("--doc-memory-mb={}", l.doc_memory_mb),
    ]
}
