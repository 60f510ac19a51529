//! The ideas every stage of milepost shares, below all of them: the typed records
//! ([`record`], in the shape of `../shared/docs/records.md`), partial dates and targets, a
//! reporting period and a document's plan ([`period`]), the clock the outputs are stamped with
//! ([`clock`]), the files users edit ([`config`]), errors and warnings with file and page
//! ([`error`]), and boxes and colours ([`geom`]).
//!
//! This crate depends on no other milepost crate and on nothing heavy (no PDF reader, no Typst,
//! no SQLite), so every crate above it can use these without pulling one another in: the
//! compiler keeps import cycles out of the workspace.
#![deny(missing_docs)]

pub mod clock;
pub mod config;
pub mod error;
pub mod geom;
pub mod period;
pub mod record;
