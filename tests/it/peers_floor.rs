//! Holds the line on the peers cases (`tests/corpus/peers`): 28 pages from camelot's,
//! tabula-java's and pdfplumber's own test suites, each with the table those projects expect.
//! Every case goes through the library as `milepost tables PDF --pages P [--area T,L,B,R]` does
//! (`cmd_tables` in `src/cli/mod.rs`), every table found on the page is scored with
//! `milepost::score::peers` (the Rust port of `../shared/peers/score.py`, best table per case),
//! and the overall means must stay at or above the floors recorded here; the ruled (lattice)
//! cases read exactly now must stay exact. Raise a floor when the extractor improves; never
//! lower one to make a change pass.
//!
//! The figures differ slightly from `python3 ../shared/peers/run.py`: that scores the CSV files
//! the CLI writes, where a cell starting with `-`, `=`, `+` or `@` gets a leading apostrophe
//! (`output::neutralise`); this scores the grids themselves.
//!
//! `PEERS_PRED=DIR cargo test --release --test it peers_floor -- --nocapture` also scores a folder
//! of prediction CSVs (`<case-id>.N.csv`, as `run.py --pred DIR` leaves them) exactly as
//! `score.py --pred DIR` does, to check the port against it.

use crate::common;

use std::path::Path;

use milepost::geom::BBox;
use milepost::score::peers::{self, Case, Grid};
use milepost::Limits;

/// Mean aligned cell accuracy over all cases must stay at or above this (measured 0.916).
const FLOOR_ALIGNED: f64 = 0.91;
/// Mean text similarity over all cases must stay at or above this (measured 0.969).
const FLOOR_TEXT: f64 = 0.96;
/// Ruled (lattice) cases read exactly now: 9 of the 13 lattice cases (the other 4 exact cases are
/// stream or any). Each must stay exact.
const EXACT_LATTICE: &[&str] = &[
    "tj-spanning-cells-1",
    "tj-spanning-cells-2",
    "tj-us017-p2",
    "tj-twotables-1",
    "tj-frx-2012-lattice",
    "tj-animal-sounds",
    "cm-twotables2-1",
    "cm-twotables2-2",
    "cm-table-region",
];

/// The tables found on a case's page, as the CLI finds them, named `<case-id>.<k>.csv` as `run.py`
/// names the CLI's `-t<k>` files. A document error yields none (the CLI writes no file).
fn tables_of(case: &Case, root: &Path) -> Vec<(String, Grid)> {
    let path = root.join(&case.pdf);
    let pages = Some(vec![case.page]);
    let mut pts = match milepost::read_tables(&path, &pages, &Limits::default()) {
        Ok(doc) => doc.pages,
        Err(e) => {
            eprintln!("{}: {e}", case.id);
            return Vec::new();
        }
    };
    if let Some([top, left, bottom, right]) = case.area {
        // As `--area` reaches the CLI: run.py writes each number with `{:g}`, the CLI reads it
        // as f32, and the box is BBox::new(left, top, right, bottom).
        let f = |v: f64| format!("{v}").parse::<f32>().expect("a number");
        let area = BBox::new(f(left), f(top), f(right), f(bottom));
        for pt in &mut pts {
            pt.layout = milepost::layout::crop(&pt.layout, &area);
            pt.tables = milepost::tables::find_tables(&pt.layout);
        }
        milepost::tables::link_continuations(&mut pts);
    }
    pts.iter().flat_map(|p| p.tables.iter()).filter(|t| t.page == case.page).map(|t| (format!("{}.{}.csv", case.id, t.index), t.grid())).collect()
}

#[test]
fn peers_cases_stay_above_their_floors() {
    let manifest = common::corpus_dir().join("peers/manifest.json");
    let (cases, root) = peers::load_manifest(&manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    assert_eq!(cases.len(), 28, "the peers manifest holds 28 cases");
    let mut results = Vec::new();
    for case in &cases {
        let expected_path = root.join(&case.expected_csv);
        let expected = peers::read_csv(&expected_path).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        results.push(peers::score_case(case, &expected, &tables_of(case, &root)));
    }
    let rep = peers::report(results);
    eprint!("{}", peers::table(&rep, "peers"));

    let s = &rep.summary;
    let mut failures = Vec::new();
    if s.aligned + 1e-9 < FLOOR_ALIGNED {
        failures.push(format!("mean aligned cell accuracy {:.3} is below its floor {FLOOR_ALIGNED}", s.aligned));
    }
    if s.text + 1e-9 < FLOOR_TEXT {
        failures.push(format!("mean text similarity {:.3} is below its floor {FLOOR_TEXT}", s.text));
    }
    for id in EXACT_LATTICE {
        match rep.cases.iter().find(|r| r.id == *id) {
            None => failures.push(format!("{id}: no such case in the manifest")),
            Some(r) if !r.score.exact => failures.push(format!(
                "{id}: was exact, now shape {} cell {:.3} text {:.3} (best table {})",
                if r.score.shape { "right" } else { "wrong" },
                r.score.cell,
                r.score.text,
                r.pred_file.as_deref().unwrap_or("none")
            )),
            Some(_) => {}
        }
    }
    for r in rep.cases.iter().filter(|r| r.method == "lattice" && r.score.exact && !EXACT_LATTICE.contains(&r.id.as_str())) {
        eprintln!("{}: now exact; add it to EXACT_LATTICE", r.id);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Scores `$PEERS_PRED` (a folder of `<case-id>.N.csv`) as `score.py --pred` does; does nothing
/// when the variable is not set.
#[test]
fn scores_a_prediction_folder_when_asked() {
    let Some(dir) = std::env::var_os("PEERS_PRED") else { return };
    let manifest = common::corpus_dir().join("peers/manifest.json");
    let (rep, skipped) = peers::score_dir(&manifest, &dir).unwrap_or_else(|e| panic!("{e}"));
    for s in skipped {
        eprintln!("warning: cannot read {s}");
    }
    eprint!("{}", peers::table(&rep, "peers"));
}
