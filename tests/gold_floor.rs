//! Holds the line on the shared gold set: every gold document goes through the real pipeline,
//! is scored by the gold set's own `score.py`, and must stay at or above the floor recorded
//! here. Raise a floor when the extractor improves; never lower one to make a change pass.

mod common;

use std::process::Command;

/// (document, minimum row F1, minimum mean field accuracy), measured with the release build.
const FLOORS: &[(&str, f64, f64)] = &[
    ("rotherham-2021-tracker.pdf", 1.0, 1.0),
    ("rotherham-2021-tracker-borderless.pdf", 1.0, 1.0),
    ("peer-challenge-action-plan-2023.pdf", 1.0, 1.0),
    ("northdale-2024-q2-tracker.pdf", 1.0, 1.0),
    ("northdale-2024-q3-tracker.pdf", 1.0, 1.0),
    ("northdale-2024-q3-calc.pdf", 1.0, 1.0),
    ("westshire-2023-24-delivery-plan.pdf", 1.0, 1.0),
    ("large-tracker-600.pdf", 1.0, 1.0),
];

#[test]
fn gold_documents_stay_above_their_floors() {
    let gold = common::gold_dir();
    let dir = std::env::temp_dir().join(format!("milepost-gold-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pred = dir.join("records.jsonl");
    let mut all = Vec::new();
    for (doc, _, _) in FLOORS {
        all.extend(common::records_of(&gold.join("docs").join(doc)));
    }
    std::fs::write(&pred, milepost::output::to_jsonl(&all)).unwrap();
    let json = dir.join("score.json");
    let out = Command::new("python3")
        .arg(gold.join("score.py"))
        .arg("--truth")
        .arg(gold.join("truth"))
        .arg("--pred")
        .arg(&pred)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("python3 runs the gold scorer");
    assert!(json.exists(), "score.py wrote no JSON: {}", String::from_utf8_lossy(&out.stderr));
    let score: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let mut failures = Vec::new();
    for (doc, min_f1, min_field) in FLOORS {
        let d = find_doc(&score, doc).unwrap_or_else(|| panic!("{doc} missing from the score: {score}"));
        let f1 = d["f1"].as_f64().unwrap_or(0.0);
        let fields = field_mean(d);
        eprintln!("{doc}: row F1 {f1:.3}, fields {fields:.3}");
        if f1 + 1e-9 < *min_f1 {
            failures.push(format!("{doc}: row F1 {f1:.3} is below its floor {min_f1}"));
        }
        if fields + 1e-9 < *min_field {
            failures.push(format!("{doc}: field accuracy {fields:.3} is below its floor {min_field}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn find_doc<'a>(score: &'a serde_json::Value, doc: &str) -> Option<&'a serde_json::Value> {
    let docs = score.get("documents").or_else(|| score.get("per_document")).or_else(|| score.get("docs"))?;
    match docs {
        serde_json::Value::Object(m) => m.get(doc),
        serde_json::Value::Array(a) => a.iter().find(|d| d.get("document").or_else(|| d.get("file")).and_then(|v| v.as_str()) == Some(doc)),
        _ => None,
    }
}

fn field_mean(d: &serde_json::Value) -> f64 {
    let fields = d.get("fields").or_else(|| d.get("field_accuracy"));
    match fields {
        Some(serde_json::Value::Object(m)) if !m.is_empty() => m.values().filter_map(|v| v.as_f64()).sum::<f64>() / m.len() as f64,
        _ => 0.0,
    }
}
