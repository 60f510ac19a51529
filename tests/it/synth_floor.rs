//! Holds the line on layouts milepost was not written for: the generated trackers and action
//! plans of `tests/corpus/synth` (seeds 1–60 of `../shared/gold/src/synth.py`, every producer,
//! rule style, theme, outcome, group and status style among them) go through the real pipeline
//! and are scored with the gold scorer's rules. The floors are the figures measured when they
//! were set, less a small margin for harmless reordering; raise them as reading improves.
//!
//! Also the self-check: a document read badly must say so.

use crate::common;

use milepost::config::Config;
use milepost::Limits;

/// Pooled row F1 over the sample (all rows of all documents), measured 0.916 when first set,
/// 0.947 when raised (cells set close together split at their column's left edge) and 0.960
/// when raised again (partial rules, header below preamble, row shading, the last row below
/// the last rule: see `tests/it/synth_families.rs`), and 0.981 when raised a third time (line
/// pitch from font size, centred columns, cut rows below the last rule, colour-only statuses
/// over a page break).
const MIN_ROW_F1: f64 = 0.97;
/// Mean field accuracy over the matched rows, measured 0.956 when set, 0.968 and 0.972 when
/// raised.
const MIN_FIELDS: f64 = 0.96;
/// Share of the documents read below row F1 0.90 that must carry the warning (measured 0.72
/// when set; 12 of 16 before the column-edge split, 7 of 11 after it: 5 of the warned documents
/// are now read at 0.90 or better, so the share fell with no warning lost: this holds that).
const MIN_WARNED_SHARE: f64 = 0.60;

/// Each synth document of the corpus: (file name, what `extract` gave).
fn extract_all() -> Vec<(String, Result<milepost::Extracted, milepost::error::DocError>)> {
    let dir = common::corpus_dir().join("synth");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")).collect();
    files.sort();
    assert!(files.len() >= 60, "the synth sample has {} PDFs", files.len());
    let cfg = Config::builtin();
    files.iter().map(|f| (f.file_name().unwrap().to_string_lossy().into_owned(), milepost::extract_guarded(f, &cfg, &Limits::default()))).collect()
}

#[test]
fn synth_sample_stays_above_its_floor_and_badly_read_documents_say_so() {
    let docs = extract_all();
    let records: Vec<_> = docs.iter().filter_map(|(_, r)| r.as_ref().ok()).flat_map(|x| x.records.clone()).collect();
    let empty: Vec<&String> = docs.iter().filter(|(_, r)| r.is_err()).map(|(n, _)| n).collect();
    let score = common::score(&common::corpus_dir().join("synth"), &records);
    let o = &score.overall;
    eprintln!("synth sample: row F1 {:.3}, fields {:.3}, {} documents, {} without rows", o.f1, o.field_mean, docs.len(), empty.len());
    assert!(o.f1 >= MIN_ROW_F1, "pooled row F1 {:.3} is below its floor {MIN_ROW_F1}", o.f1);
    assert!(o.field_mean >= MIN_FIELDS, "field accuracy {:.3} is below its floor {MIN_FIELDS}", o.field_mean);
    // Documents with no rows at all: none (none when the floor was set).
    assert!(empty.is_empty(), "documents with no rows: {empty:?}");

    // The self-check: most documents read with row F1 below 0.90 carry the warning (the issue's
    // aim is all of them; this holds the share reached), and of those read at 0.98 or better no
    // more than one in ten does.
    let warned = |name: &str| {
        docs.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, r)| r.as_ref().ok())
            .is_some_and(|x| x.quality.warning.is_some() && x.warnings.iter().any(|w| w.message.contains("read this document badly")))
    };
    let mut unwarned = Vec::new();
    let (mut bad, mut good, mut good_warned) = (0, 0, 0);
    for (name, d) in &score.documents {
        if d.f1 < 0.90 {
            bad += 1;
            if !warned(name) {
                unwarned.push(format!("{name} (row F1 {:.3})", d.f1));
            }
        }
        if d.f1 >= 0.98 {
            good += 1;
            good_warned += usize::from(warned(name));
        }
    }
    eprintln!("self-check: {} of {bad} documents read below 0.90 warned; {good_warned} of {good} read well warned; not warned: {}", bad - unwarned.len(), unwarned.join(", "));
    assert!((bad - unwarned.len()) as f64 >= MIN_WARNED_SHARE * bad as f64, "badly read documents with no warning: {}", unwarned.join(", "));
    assert!(good_warned * 10 <= good, "{good_warned} of {good} documents read well carry the warning");
}

#[test]
fn a_document_read_well_carries_no_warning() {
    let x = milepost::extract(&common::gold_dir().join("docs/rotherham-2021-tracker.pdf"), &Config::builtin(), &Limits::default()).unwrap();
    assert_eq!(x.quality.warning, None, "{:?}", x.quality);
    assert_eq!(x.quality.doubtful, 0);
}
