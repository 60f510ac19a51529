//! The tracker appendix (`outputs/appendix/<plan>-<period>.pdf`): milepost reading its own
//! appendix back gives the records it was made from, scored with the gold scorer's rules, pages
//! aside (the appendix paginates differently):
//! - a run of the binary over the four bundled inputs, each appendix against its plan's records
//!   (from `history.sqlite`);
//! - the exact truth of twenty generated trackers (`tests/corpus/synth/`, all shapes: themes,
//!   merged outcomes, groups, action plans) made into appendices and read back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use milepost::history::History;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("milepost-appendix-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn an_appendix_reads_back_as_the_records_it_was_made_from() {
    let input = tmp("in");
    let output = tmp("out");
    for e in std::fs::read_dir(root().join("inputs")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_milepost")).arg("--templates").arg(root().join("templates")).arg("run").arg(&input).arg("-o").arg(&output).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));

    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(output.join("manifest.json")).unwrap()).unwrap();
    let history = History::open(&output.join("history.sqlite")).unwrap();
    let cfg = milepost::config::Config::builtin();
    let page_aside = |r: &milepost::record::Record, file: &str| {
        let mut v = serde_json::to_value(r).unwrap();
        v["source"] = serde_json::json!({"file": file, "page": 1, "bbox": null});
        v
    };
    let mut truth: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut pred: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for p in manifest["packs"].as_array().unwrap() {
        let app = p["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).find(|f| f.starts_with("appendix/")).expect("each pack has an appendix");
        let name = Path::new(app).file_name().unwrap().to_string_lossy().into_owned();
        let made_from = history.records(p["plan"].as_str().unwrap(), p["period"].as_str().unwrap()).unwrap();
        assert!(!made_from.is_empty(), "{name}");
        truth.insert(name.clone(), made_from.iter().map(|r| page_aside(r, &name)).collect());
        let read = milepost::extract(&output.join(app), &cfg, &milepost::Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        pred.insert(name.clone(), read.records.iter().map(|r| page_aside(r, &name)).collect());
    }
    assert_eq!(truth.len(), 4, "one appendix per pack");
    let report = milepost::score::score(&truth, &pred);
    for (name, d) in &report.documents {
        assert_eq!((d.f1, d.field_mean), (1.0, 1.0), "{name}");
    }
}

#[test]
fn the_truth_of_twenty_generated_trackers_survives_the_appendix() {
    let out = tmp("synth");
    let mut records = Vec::new();
    let mut truth: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for i in (1..=60).step_by(3) {
        let path = root().join(format!("tests/corpus/synth/synth-{i:04}.jsonl"));
        let text = std::fs::read_to_string(&path).unwrap();
        let recs: Vec<milepost::record::Record> = text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
        records.extend(recs);
    }
    let mut cfg = milepost::report::ReportConfig::builtin();
    cfg.produced_on = Some((2026, 12, 2));
    let run = milepost::report::build_packs(&records, &[], &cfg, &out);
    assert!(run.errors.is_empty(), "{:?}", run.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
    assert_eq!(run.periods.len(), 20);
    let rcfg = milepost::config::Config::builtin();
    let page_aside = |r: &milepost::record::Record, file: &str| {
        let mut v = serde_json::to_value(r).unwrap();
        v["source"] = serde_json::json!({"file": file, "page": 1, "bbox": null});
        v
    };
    let mut pred: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for (plan, _, recs) in &run.periods {
        let name = format!("{}.pdf", plan.pack_name());
        truth.insert(name.clone(), recs.iter().map(|r| page_aside(r, &name)).collect());
        let read = milepost::extract(&out.join("appendix").join(&name), &rcfg, &milepost::Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        pred.insert(name.clone(), read.records.iter().map(|r| page_aside(r, &name)).collect());
    }
    let report = milepost::score::score(&truth, &pred);
    let worst: Vec<String> = report.documents.iter().filter(|(_, d)| d.f1 < 0.98 || d.field_mean < 0.98).map(|(n, d)| format!("{n} {:.3}/{:.3}", d.f1, d.field_mean)).collect();
    eprintln!("appendix round trip over {} generated trackers: rows F1 {:.3}, fields {:.3}", report.documents.len(), report.overall.f1, report.overall.field_mean);
    assert!(report.overall.f1 >= 0.995, "rows F1 {:.3}; below 0.98: {worst:?}", report.overall.f1);
    assert!(report.overall.field_mean >= 0.995, "fields {:.3}; below 0.98: {worst:?}", report.overall.field_mean);
}

/// What the scorer does not count survives the appendix too: each row's lead, and the columns
/// no role fits ("Risk score", "Shared outcome", "How we will measure success", a board's
/// "Source (agenda title / item / date / Action Ref)"), each printed as a column under its
/// heading and read back under it.
#[test]
fn leads_and_other_columns_survive_the_appendix() {
    let out = tmp("extra");
    let cfg = milepost::config::Config::builtin();
    let limits = milepost::Limits::default();
    let mut records = Vec::new();
    for name in ["extra-3063", "slides-3002", "small-3001"] {
        let x = milepost::extract(&root().join(format!("tests/corpus/synth-councils/{name}.pdf")), &cfg, &limits).unwrap_or_else(|e| panic!("{e}"));
        assert!(x.records.iter().all(|r| !r.extra.is_empty() && r.lead.is_some()), "{name}: every row has a lead and another column");
        records.extend(x.records);
    }
    let mut rcfg = milepost::report::ReportConfig::builtin();
    rcfg.produced_on = Some((2026, 12, 7));
    let run = milepost::report::build_packs(&records, &[], &rcfg, &out);
    assert!(run.errors.is_empty(), "{:?}", run.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>());
    assert_eq!(run.periods.len(), 3);
    for (plan, _, made_from) in &run.periods {
        let name = format!("{}.pdf", plan.pack_name());
        let read = milepost::extract(&out.join("appendix").join(&name), &cfg, &limits).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.records.len(), made_from.len(), "{name}: rows");
        for (got, want) in read.records.iter().zip(made_from) {
            assert_eq!(got.activity, want.activity, "{name}");
            assert_eq!(got.lead, want.lead, "{name}: {}", want.activity);
            assert_eq!(got.extra, want.extra, "{name}: {}", want.activity);
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}
