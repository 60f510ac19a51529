//! Laying out a PDF in a helper process: both sides of the pipe.
//!
//! Why: Typst keeps its memoised layout results in caches shared by the whole process, so two
//! documents laid out side by side in one process slow each other down (on the 600-row tracker,
//! 2 cores: the pack 0.20 → 0.32–0.36 s and the appendix 0.32–0.44 → 0.45–0.49 s beside each
//! other), while in two processes neither is slowed. A run therefore lays out its first part
//! on its own thread and every other part side by side with it in a helper process, one per
//! extra thread, started once and given one part after another: its fonts and Typst's library
//! load once per helper, not per part.
//!
//! In: what [`pdf::render_data`] takes, as bytes (the template's text, the pack's data, the
//! logo, the date). Out: what it gives ([`pdf::Rendered`]). A helper that cannot be started, or
//! fails or stops on a part, gives `None`, and the caller lays the part out itself, so a template
//! mistake is reported exactly as before and nothing is lost.
//!
//! The protocol (private to one build: the helper is this same program): each request is a
//! JSON line ([`Asked`]) followed by the template's, the data's and the logo's bytes; each
//! answer a JSON line ([`Answer`]) followed by the PDF's bytes.
//!
//! Not here: which part goes where (`mod.rs`); the command that starts a helper (the CLI's
//! hidden `lay-out`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::pdf;

/// The most bytes either side accepts for one piece (a template, a pack's data, a logo, a PDF):
/// a length past it means the pipe is garbled, not a document that large.
const MOST_BYTES: usize = 1 << 30;

/// `n` bytes from `input`, where `n` is believable.
fn read_bytes(input: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    if n > MOST_BYTES {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "a length past any document's"));
    }
    let mut b = vec![0; n];
    input.read_exact(&mut b)?;
    Ok(b)
}

/// What a part is laid out from.
pub struct Request<'a> {
    /// The template's text and how messages name it.
    pub template: &'a pdf::Template<'a>,
    /// The pack's data ([`pdf::data_of`]).
    pub data: &'a [u8],
    /// The logo's path in the data and its bytes.
    pub logo: Option<(&'a str, &'a [u8])>,
    /// The date Typst's `datetime.today()` gives.
    pub today: (i32, u8, u8),
}

/// The request's JSON line: the lengths of the bytes that follow it.
#[derive(Serialize, Deserialize)]
struct Asked {
    file: String,
    template_len: usize,
    data_len: usize,
    logo_path: Option<String>,
    logo_len: usize,
    today: (i32, u8, u8),
}

/// The answer's JSON line.
#[derive(Serialize, Deserialize)]
struct Answer {
    /// False when the template failed (the caller lays it out itself for the messages).
    ok: bool,
    pages: usize,
    ua1: bool,
    ua1_refused: Vec<String>,
    len: usize,
    layout_us: u64,
    export_us: u64,
}

/// A running helper's pipes.
struct Helper {
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
}

/// One thread's helper.
enum Slot {
    /// Not asked for yet: started at the first part.
    NotStarted,
    Running(Helper),
    /// Could not start, failed, or was ended: the thread lays out its parts itself.
    Done,
}

/// Helper processes, one per thread that lays out beside the first (started when first asked).
pub struct Helpers {
    exe: PathBuf,
    args: Vec<String>,
    /// By thread.
    slots: Vec<Mutex<Slot>>,
}

impl Helpers {
    /// Helpers started as `exe args…`, for up to `threads` threads (thread 0 never uses one).
    pub fn new(exe: PathBuf, args: Vec<String>, threads: usize) -> Helpers {
        Helpers { exe, args, slots: (0..threads).map(|_| Mutex::new(Slot::NotStarted)).collect() }
    }

    /// The part laid out by thread `thread`'s helper, or `None` where there is none or it
    /// failed (the caller then lays the part out itself).
    pub fn render(&self, thread: usize, req: &Request) -> Option<pdf::Rendered> {
        let mut slot = self.slots.get(thread)?.lock().unwrap_or_else(|e| e.into_inner());
        if let Slot::NotStarted = *slot {
            *slot = self.start().map_or(Slot::Done, Slot::Running);
        }
        let Slot::Running(h) = &mut *slot else { return None };
        let answered = send(&mut h.to, req).and_then(|()| receive(&mut h.from));
        match answered {
            Ok(rendered) => rendered,
            Err(_) => {
                // Stopped or garbled: not used again.
                if let Slot::Running(mut h) = std::mem::replace(&mut *slot, Slot::Done) {
                    let _ = h.child.kill();
                    end(h);
                }
                None
            }
        }
    }

    /// Ends thread `thread`'s helper, if it has one: it has nothing more to lay out, so its
    /// memory goes back now rather than at the end of the run. It is not started again.
    pub fn close(&self, thread: usize) {
        let Some(slot) = self.slots.get(thread) else { return };
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Slot::Running(h) = std::mem::replace(&mut *slot, Slot::Done) {
            end(h);
        }
    }

    fn start(&self) -> Option<Helper> {
        let mut child = Command::new(&self.exe).args(&self.args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
        let to = child.stdin.take()?;
        let from = BufReader::new(child.stdout.take()?);
        Some(Helper { child, to, from })
    }
}

impl Drop for Helpers {
    fn drop(&mut self) {
        for thread in 0..self.slots.len() {
            self.close(thread);
        }
    }
}

/// Closes a helper's input, on which it finishes and exits. Its exit is waited for on a thread of
/// its own: a helper that laid out a long part takes 10–15 ms to give its memory back and end,
/// and the run need not wait for that. (Where no thread can be started, it still ends; the
/// system clears its entry when the run's process ends.)
fn end(h: Helper) {
    let Helper { mut child, to, from } = h;
    drop(to);
    drop(from);
    let _ = std::thread::Builder::new().name("helper-reaper".into()).spawn(move || child.wait());
}

/// Writes one request: its JSON line, then the bytes it announces.
fn send(to: &mut impl Write, req: &Request) -> std::io::Result<()> {
    let asked = Asked {
        file: req.template.file.to_string(),
        template_len: req.template.text.len(),
        data_len: req.data.len(),
        logo_path: req.logo.map(|(p, _)| p.to_string()),
        logo_len: req.logo.map_or(0, |(_, b)| b.len()),
        today: req.today,
    };
    let mut line = serde_json::to_vec(&asked).map_err(std::io::Error::other)?;
    line.push(b'\n');
    to.write_all(&line)?;
    to.write_all(req.template.text.as_bytes())?;
    to.write_all(req.data)?;
    if let Some((_, b)) = req.logo {
        to.write_all(b)?;
    }
    to.flush()
}

/// Reads one answer: `Ok(None)` where the template failed.
fn receive(from: &mut impl BufRead) -> std::io::Result<Option<pdf::Rendered>> {
    let mut line = String::new();
    if from.read_line(&mut line)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let answer: Answer = serde_json::from_str(&line).map_err(std::io::Error::other)?;
    let bytes = read_bytes(from, answer.len)?;
    Ok(answer.ok.then(|| pdf::Rendered {
        bytes,
        pages: answer.pages,
        ua1: answer.ua1,
        ua1_refused: answer.ua1_refused,
        timings: (std::time::Duration::from_micros(answer.layout_us), std::time::Duration::from_micros(answer.export_us)),
    }))
}

/// How much lower a helper's priority is than its run's (Unix `nice`). The run's own process
/// lays out the longest part, which is what the run waits for; where the cores are short
/// (the helper's part, its PDF export and the run's other threads at once), the scheduler then
/// gives them to that part first. On the 600-row tracker, nine alternating runs each, three
/// times: 0.520 → 0.504 s, 0.538 → 0.504 s (0.494 at 19), 0.547 → 0.532 s (19); the PDFs are the
/// same. 10 rather than 19, so that a helper is not starved on a machine busy with other work.
const HELPER_NICENESS: i32 = 10;

/// Lowers this process's priority to a helper's ([`HELPER_NICENESS`]); `milepost lay-out`
/// calls it first. Nothing happens where the system has no such priority, or refuses.
pub fn lower_priority() {
    #[cfg(unix)]
    // SAFETY: setpriority changes only this process's scheduling priority.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, HELPER_NICENESS);
    }
}

/// The helper's side: answers requests from `input` on `output` until `input` ends. After each
/// answer, while the run has the PDF, the helper empties Typst's cache and calls `idle` (the
/// binary gives its allocator's memory back there): a helper waiting for its next part, or to
/// be ended, then holds its fonts and little else.
pub fn serve(input: impl Read, mut output: impl Write, idle: impl Fn()) -> std::io::Result<()> {
    let mut input = BufReader::new(input);
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let asked: Asked = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        let text = String::from_utf8(read_bytes(&mut input, asked.template_len)?).map_err(std::io::Error::other)?;
        let data = read_bytes(&mut input, asked.data_len)?;
        let logo_bytes = read_bytes(&mut input, asked.logo_len)?;
        let logo = asked.logo_path.map(|p| (p, logo_bytes));
        let template = pdf::Template { text: &text, file: &asked.file };
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pdf::render_data(&template, data, logo, asked.today)));
        let (answer, bytes) = match rendered {
            Ok(Ok(r)) => (
                Answer {
                    ok: true,
                    pages: r.pages,
                    ua1: r.ua1,
                    ua1_refused: r.ua1_refused,
                    len: r.bytes.len(),
                    layout_us: r.timings.0.as_micros() as u64,
                    export_us: r.timings.1.as_micros() as u64,
                },
                r.bytes,
            ),
            _ => (Answer { ok: false, pages: 0, ua1: false, ua1_refused: Vec::new(), len: 0, layout_us: 0, export_us: 0 }, Vec::new()),
        };
        let mut line = serde_json::to_vec(&answer).map_err(std::io::Error::other)?;
        line.push(b'\n');
        output.write_all(&line)?;
        output.write_all(&bytes)?;
        output.flush()?;
        drop(bytes);
        pdf::forget_layouts();
        idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request written by the caller's side is read by the helper's, and its answer back:
    /// the same PDF as laid out in this process (byte for byte), and a template mistake as a
    /// failure for the caller to report.
    #[test]
    fn a_part_laid_out_through_the_protocol_is_the_same_pdf() {
        let text = "#let d = json(\"/data.json\")\n= #d.title\nHello.";
        let template = pdf::Template { text, file: "t.typ" };
        let data = br#"{"title":"A plan"}"#.to_vec();
        let here = pdf::render_data(&template, data.clone(), None, (2025, 1, 1)).expect("laid out");
        let bad = pdf::Template { text: "#let x = (", file: "bad.typ" };
        // The caller's requests, as bytes.
        let mut requests = Vec::new();
        for t in [&template, &bad] {
            send(&mut requests, &Request { template: t, data: &data, logo: None, today: (2025, 1, 1) }).expect("written");
        }
        let mut answers = Vec::new();
        // After each answer the helper gives its memory back (the binary's allocator is called).
        let idle = std::sync::atomic::AtomicUsize::new(0);
        serve(&requests[..], &mut answers, || {
            idle.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
        .expect("served");
        assert_eq!(idle.load(std::sync::atomic::Ordering::SeqCst), 2, "once after each answer");
        let mut from = BufReader::new(&answers[..]);
        let first = receive(&mut from).expect("an answer").expect("laid out");
        assert_eq!(first.pages, here.pages);
        assert_eq!(first.bytes, here.bytes, "the helper's PDF differs from this process's");
        let second = receive(&mut from).expect("an answer");
        assert!(second.is_none(), "a template mistake is a failure for the caller to report");
    }
}
