//! Helpers shared by the integration tests: where the shared gold set is, and running the real
//! pipeline on a file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use milepost::config::Config;
use milepost::record::Record;
use milepost::Limits;

/// `../shared/gold`, beside the repository (as in CI).
pub fn gold_dir() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gold");
    assert!(p.is_dir(), "the shared gold set is expected at {}", p.display());
    p
}

/// A bundled input by file name.
pub fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs").join(name)
}

/// The records of one PDF, through the real pipeline with the shipped templates.
pub fn records_of(path: &Path) -> Vec<Record> {
    let cfg = Config::builtin();
    milepost::extract(path, &cfg, &Limits::default())
        .unwrap_or_else(|e| panic!("{} should extract: {e}", path.display()))
        .records
}

/// The record whose activity starts with `prefix`.
pub fn find<'a>(records: &'a [Record], prefix: &str) -> &'a Record {
    records
        .iter()
        .find(|r| r.activity.starts_with(prefix))
        .unwrap_or_else(|| panic!("no record starts with {prefix:?}"))
}
