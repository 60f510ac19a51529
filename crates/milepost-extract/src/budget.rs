//! The budget of one document: how much time, drawing work and decoded bytes it may cost before
//! milepost gives up on it, so that no PDF can hang a run or exhaust the machine's memory.
//!
//! In: [`Limits`] (sane defaults, set from the command line). Out: a [`Meter`] that the reading
//! stage ticks on every drawing operation, and [`check_streams`], run before any page is drawn,
//! that refuses a file whose compressed streams inflate past the caps (a "decompression bomb").
//! Past a cap the reading stops by unwinding with an [`OverBudget`] payload (never through the
//! panic hook), which `read` turns into `DocError::TooComplex` or `DocError::TimedOut` for that
//! document alone.
//!
//! What an in-process budget cannot stop (an allocation failure inside a dependency aborts the
//! process) is handled by running each document of a batch in a worker process (`isolate`).

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hayro_interpret::hayro_syntax::object::{Name, Object};
use hayro_interpret::hayro_syntax::{Filter, Pdf};

/// Limits that protect a run from pathological inputs. Every one can be raised on the command
/// line (`milepost run --help`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted, in MB.
    pub max_file_mb: u64,
    /// Most pages accepted per document.
    pub max_pages: u32,
    /// Seconds one document may take to read, from opening it to its records.
    pub doc_timeout_s: u64,
    /// Drawing operations (glyphs, paths, clips, images) one document may make. A 100-page
    /// tracker makes about 200,000; a page of 90,000 rectangles 100,000.
    pub max_draw_ops: u64,
    /// Drawing operations one page may make (a dense page makes 20,000; the 90,000-rectangle
    /// stress test 100,000).
    pub max_page_ops: u64,
    /// The size one compressed stream may inflate to, in MB.
    pub max_stream_mb: u64,
    /// The size all of a document's compressed streams together may inflate to, in MB.
    pub max_decoded_mb: u64,
    /// Memory one document may use in a batch's worker process, in MB.
    pub doc_memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mb: 200,
            max_pages: 2000,
            doc_timeout_s: 60,
            max_draw_ops: 20_000_000,
            max_page_ops: 1_000_000,
            max_stream_mb: 256,
            max_decoded_mb: 1024,
            doc_memory_mb: 1024,
        }
    }
}

/// Why reading stopped early: carried as the unwinding payload out of the interpreter.
#[derive(Debug, Clone, PartialEq)]
pub enum OverBudget {
    /// The document's drawing operations passed the cap.
    DrawOps {
        /// The cap.
        limit: u64,
    },
    /// One page's drawing operations passed the cap.
    PageOps {
        /// The cap.
        limit: u64,
    },
    /// The time ran out.
    Time {
        /// The limit in seconds.
        limit_s: u64,
    },
}

/// Counts one document's drawing work across the threads reading its pages.
#[derive(Debug)]
pub struct Meter {
    ops: AtomicU64,
    max_ops: u64,
    /// The cap on one page, which the page's own counter checks ([`Meter::page_cap`]).
    pub page_cap: u64,
    deadline: Instant,
    timeout_s: u64,
}

/// How many operations a page counts locally before it reports to the shared meter.
pub const TICK_BATCH: u64 = 256;

impl Meter {
    /// A meter for a document whose reading starts now.
    pub fn start(limits: &Limits) -> Meter {
        Meter {
            ops: AtomicU64::new(0),
            max_ops: limits.max_draw_ops,
            page_cap: limits.max_page_ops,
            deadline: Instant::now() + Duration::from_secs(limits.doc_timeout_s),
            timeout_s: limits.doc_timeout_s,
        }
    }

    /// Adds `n` operations; past a cap, stops the reading by unwinding with [`OverBudget`].
    pub fn add(&self, n: u64) {
        let total = self.ops.fetch_add(n, Ordering::Relaxed) + n;
        if total > self.max_ops {
            std::panic::resume_unwind(Box::new(OverBudget::DrawOps { limit: self.max_ops }));
        }
        if Instant::now() > self.deadline {
            std::panic::resume_unwind(Box::new(OverBudget::Time { limit_s: self.timeout_s }));
        }
    }

    /// Whether the time is up (checked between stages).
    pub fn timed_out(&self) -> Option<OverBudget> {
        (Instant::now() > self.deadline).then_some(OverBudget::Time { limit_s: self.timeout_s })
    }
}

/// Deflate cannot inflate more than about 1,032 bytes from one; a stream smaller than the cap
/// divided by this cannot pass it and need not be inflated to be checked.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// A stream that inflates past a cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Bomb {
    /// The object number of the stream (or 0 for the total).
    pub object: u32,
    /// Bytes it inflates to, at least.
    pub at_least: u64,
    /// The cap it passed, in MB.
    pub limit_mb: u64,
    /// Whether the cap is the one on all streams together.
    pub total: bool,
}

/// Checks, before anything is drawn, that no Flate stream (images aside: they are never
/// decoded) inflates past `max_stream_mb`, and that together they stay under `max_decoded_mb`.
/// Streams too small to pass a cap are not inflated; a document whose streams could in theory
/// pass the total cap has them inflated (into nothing) and counted.
pub fn check_streams(pdf: &Pdf, limits: &Limits) -> Result<(), Bomb> {
    let stream_cap = limits.max_stream_mb.saturating_mul(1 << 20);
    let total_cap = limits.max_decoded_mb.saturating_mul(1 << 20);
    let mut unchecked = Vec::new();
    let mut bound_total: u64 = 0;
    let mut actual_total: u64 = 0;
    for obj in pdf.objects() {
        let Object::Stream(s) = obj else { continue };
        if s.filters().first() != Some(&Filter::FlateDecode) || is_image(&s) {
            continue;
        }
        let raw = s.raw_data();
        let bound = (raw.len() as u64).saturating_mul(MAX_DEFLATE_RATIO);
        if bound > stream_cap {
            let n = inflated_size(&raw, stream_cap + 1);
            if n > stream_cap {
                return Err(Bomb { object: s.obj_id().obj_number, at_least: n, limit_mb: limits.max_stream_mb, total: false });
            }
            actual_total += n;
        } else {
            bound_total = bound_total.saturating_add(bound);
            unchecked.push(s);
        }
    }
    if actual_total.saturating_add(bound_total) <= total_cap {
        return Ok(());
    }
    for s in unchecked {
        actual_total += inflated_size(&s.raw_data(), total_cap + 1);
        if actual_total > total_cap {
            return Err(Bomb { object: 0, at_least: actual_total, limit_mb: limits.max_decoded_mb, total: true });
        }
    }
    Ok(())
}

fn is_image(s: &hayro_interpret::hayro_syntax::object::Stream<'_>) -> bool {
    s.dict().get::<Name<'_>>(b"Subtype").is_some_and(|n| &*n == b"Image")
}

/// Bytes a zlib (or bare deflate) stream inflates to, counting no further than `cap`.
fn inflated_size(data: &[u8], cap: u64) -> u64 {
    let count = |r: &mut dyn Read| -> u64 { std::io::copy(&mut r.take(cap), &mut std::io::sink()).unwrap_or(0) };
    let z = count(&mut flate2::read::ZlibDecoder::new(data));
    if z > 0 {
        return z;
    }
    count(&mut flate2::read::DeflateDecoder::new(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflated_size_stops_at_the_cap() {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b' '; 10 << 20]).unwrap();
        let z = e.finish().unwrap();
        assert_eq!(inflated_size(&z, u64::MAX), 10 << 20);
        assert_eq!(inflated_size(&z, 1 << 20), 1 << 20);
    }

    #[test]
    fn the_meter_stops_past_the_cap() {
        let limits = Limits { max_draw_ops: 1000, ..Limits::default() };
        let m = Meter::start(&limits);
        m.add(999);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| m.add(2))).unwrap_err();
        assert_eq!(caught.downcast_ref::<OverBudget>(), Some(&OverBudget::DrawOps { limit: 1000 }));
    }
}
