//! Holds the line on the gold set (`tests/corpus/gold`): every gold document goes through the
//! real pipeline, is scored with the gold scorer's rules (`milepost::score`), and must stay at or
//! above the floor recorded here. Raise a floor when the extractor improves; never lower one to make a change pass.

use crate::common;

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
    let mut all = Vec::new();
    for (doc, _, _) in FLOORS {
        all.extend(common::records_of(&gold.join("docs").join(doc)));
    }
    let score = common::score(&gold.join("truth"), &all);
    let mut failures = Vec::new();
    for (doc, min_f1, min_field) in FLOORS {
        let d = score.documents.get(*doc).unwrap_or_else(|| panic!("{doc} has no truth in the corpus"));
        eprintln!("{doc}: row F1 {:.3}, fields {:.3}", d.f1, d.field_mean);
        if d.f1 + 1e-9 < *min_f1 {
            failures.push(format!("{doc}: row F1 {:.3} is below its floor {min_f1}", d.f1));
        }
        if d.field_mean + 1e-9 < *min_field {
            failures.push(format!("{doc}: field accuracy {:.3} is below its floor {min_field}", d.field_mean));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
