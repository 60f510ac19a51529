//! milepost's own fixtures (`tests/fixtures/*.pdf`, made by `tests/fixtures/src/make_fixtures.py`
//! with LibreOffice) through the real pipeline, compared field by field with their truth files.

use crate::common;

use std::path::Path;

use serde_json::Value;

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

#[test]
fn fixtures_match_their_truth() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    let mut problems = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let Some(name) = p.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".truth.jsonl")) else { continue };
        let pdf = dir.join(format!("{name}.pdf"));
        let truth: Vec<Value> = std::fs::read_to_string(&p).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let got: Vec<Value> = common::records_of(&pdf).iter().map(|r| serde_json::to_value(r).unwrap()).collect();
        if got.len() != truth.len() {
            problems.push(format!("{name}: want {} rows, got {}", truth.len(), got.len()));
        }
        for (i, (t, g)) in truth.iter().zip(&got).enumerate() {
            for f in [
                "source.page",
                "kind",
                "theme",
                "outcome",
                "group",
                "activity",
                "target.text",
                "target.start",
                "target.due",
                "target.revised_due",
                "target.ongoing",
                "status.text",
                "status.value",
                "status.colour",
                "rationale",
                "ref",
            ] {
                if get(t, f) != get(g, f) {
                    problems.push(format!("{name}, row {}: {f}: want {}, got {}", i + 1, get(t, f), get(g, f)));
                }
            }
            let mut tf: Vec<String> = get(t, "flags").as_array().unwrap().iter().map(|v| v.to_string()).collect();
            let mut gf: Vec<String> = get(g, "flags").as_array().unwrap().iter().map(|v| v.to_string()).collect();
            tf.sort();
            gf.sort();
            if tf != gf {
                problems.push(format!("{name}, row {}: flags: want {tf:?}, got {gf:?}", i + 1));
            }
        }
        checked += 1;
    }
    assert!(checked >= 1, "no fixtures found in {}", dir.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A status column under an unknown heading, in a scale no list names: read as the status
/// column by its shape, and the document's warning names the wordings to add and the column.
#[test]
fn an_unknown_status_scale_is_read_and_named_in_the_warning() {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ardley-2025-q3-own-scale.pdf");
    let x = milepost::extract_guarded(&pdf, &milepost::config::Config::builtin(), &milepost::Limits::default()).unwrap();
    assert_eq!(x.records.len(), 8);
    assert!(x.records.iter().all(|r| r.status.text.is_some()), "every status cell is read");
    let w = x.quality.warning.expect("the document is warned about");
    assert!(w.contains("'Good', 'Fair', 'Poor'") && w.contains("templates/status.toml"), "{w}");
    // The column read as the status is named, so the officer can check it is the right one.
    assert!(w.contains("in the column headed \"Assessmen"), "{w}");
}
