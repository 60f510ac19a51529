//! Helpers shared by the integration tests: where the test corpus is (`tests/corpus/`, copied
//! from `../shared/` with its sources in its README), running the real pipeline on a file, and
//! scoring records against truth with `milepost::score`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use milepost::config::Config;
use milepost::record::Record;
use milepost::Limits;

/// `tests/corpus/gold`: the hand-made gold documents (`docs/`), their truth (`truth/`) and the
/// inputs that must fail cleanly (`bad/`).
pub fn gold_dir() -> PathBuf {
    corpus_dir().join("gold")
}

/// `tests/corpus`.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Scores records against a folder of truth files with the gold scorer's rules.
pub fn score(truth_dir: &Path, records: &[Record]) -> milepost::score::ScoreReport {
    let truth = milepost::score::load_dir(truth_dir).unwrap_or_else(|e| panic!("truth at {}: {e}", truth_dir.display()));
    milepost::score::score(&truth, &by_file(records))
}

/// Records as the scorer takes them: JSON values by source file.
fn by_file(records: &[Record]) -> std::collections::BTreeMap<String, Vec<serde_json::Value>> {
    let mut pred: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    for r in records {
        pred.entry(r.source.file.clone()).or_default().push(serde_json::to_value(r).expect("records serialise"));
    }
    pred
}

/// Reads one PDF of a truth folder through the real pipeline (the shipped templates, the
/// default limits) and scores it against its own truth only: `(row F1, field accuracy)`.
pub fn score_one(truth_dir: &Path, file: &str) -> (f64, f64) {
    let cfg = Config::builtin();
    let path = truth_dir.join(file);
    let x = milepost::extract_guarded(&path, &cfg, &Limits::default()).unwrap_or_else(|e| panic!("{file}: no rows: {e}"));
    let mut truth = milepost::score::load_dir(truth_dir).unwrap_or_else(|e| panic!("truth at {}: {e}", truth_dir.display()));
    truth.retain(|name, _| name == file);
    assert_eq!(truth.len(), 1, "{file} has its truth in {}", truth_dir.display());
    let report = milepost::score::score(&truth, &by_file(&x.records));
    let d = report.documents.get(file).unwrap_or_else(|| panic!("{file} scored"));
    (d.f1, d.field_mean)
}

/// A bundled input by file name.
pub fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs").join(name)
}

/// The records of one PDF, through the real pipeline with the shipped templates.
pub fn records_of(path: &Path) -> Vec<Record> {
    let cfg = Config::builtin();
    milepost::extract(path, &cfg, &Limits::default()).unwrap_or_else(|e| panic!("{} should extract: {e}", path.display())).records
}

/// The record whose activity starts with `prefix`.
pub fn find<'a>(records: &'a [Record], prefix: &str) -> &'a Record {
    records.iter().find(|r| r.activity.starts_with(prefix)).unwrap_or_else(|| panic!("no record starts with {prefix:?}"))
}
