//! The integration tests, one binary: each file is a module (run one with
//! `cargo test --release --test it gold_floor`, one test with its path, e.g.
//! `synth_families::synth_0517`). One binary links the library, and with it Typst, once.
//!
//! `common` holds the helpers; the corpus they read is `tests/corpus/` (sources in its README).

mod appendix;
mod bad_inputs;
mod cli;
mod common;
mod cycle;
mod extract_golden;
mod fixtures_truth;
mod gold_floor;
mod peers_floor;
mod records;
mod report;
mod robustness;
mod synth_families;
mod synth_floor;
mod synth_other;
mod tables;
