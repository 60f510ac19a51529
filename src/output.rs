//! TEMPORARY stand-in until the real writer lands.
#![allow(missing_docs)]
use crate::record::Record;
use std::borrow::Cow;
#[derive(Debug, thiserror::Error)]
pub enum OutputError { #[error("{path}: could not be written ({source})")] Write { path: String, #[source] source: std::io::Error }, #[error("{path}: could not build the Excel workbook ({message})")] Excel { path: String, message: String } }
pub fn neutralise(cell: &str) -> Cow<'_, str> { if cell.starts_with(['=', '+', '-', '@']) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) } }
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), OutputError> {
    if let Some(d) = path.parent() { let _ = std::fs::create_dir_all(d); }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path)).map_err(|source| OutputError::Write { path: path.display().to_string(), source })
}
pub fn to_jsonl(records: &[Record]) -> Vec<u8> { let mut v = Vec::new(); for r in records { v.extend(serde_json::to_vec(r).unwrap()); v.push(b'\n'); } v }
pub fn to_csv(_records: &[Record]) -> Vec<u8> { Vec::new() }
pub fn to_xlsx(_records: &[Record]) -> Result<Vec<u8>, OutputError> { Ok(Vec::new()) }
pub fn grid_to_csv(grid: &[Vec<String>]) -> Vec<u8> { let mut w = csv::Writer::from_writer(Vec::new()); for r in grid { let _ = w.write_record(r.iter().map(|c| neutralise(c).into_owned())); } w.into_inner().unwrap_or_default() }
