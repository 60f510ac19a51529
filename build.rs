//! Links the `milepost` command as a position-dependent executable (`-no-pie`).
//!
//! Why: Rust links a position-independent executable by default, and the loader then patches
//! about 172,000 pointers (Typst's, hayro's and the standard library's tables) at every start,
//! copying 2.3 MB of pages to do it. milepost starts a process for every `tables` or `extract`
//! call and a worker for every document of a run, so that cost is paid per file. Measured on
//! this project's 2-core machine (7 December 2026, `perf stat`, 20-30 runs each): `milepost
//! --version` 3.4 -> 1.9 ms and 980 -> 235 page faults; `milepost tables` on a one-page PDF 7.0
//! -> 5.0 ms; on the 117-page tracker 72 -> 66 ms and 29 -> 23 MB peak. Packed relocations
//! (`-z pack-relative-relocs`) were tried first and saved almost nothing: the copying remains.
//!
//! What it costs: the executable's own code is always loaded at the same address (its
//! libraries, heap and stacks are still placed at random). Everything else is unchanged: the
//! libraries are built as before, and only this link step differs, so nothing is compiled twice.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bin=milepost=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
