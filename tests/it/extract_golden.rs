//! Golden-file tests: the records of every bundled input, as JSON Lines, against a reviewed
//! snapshot in `tests/it/snapshots/`. A change shows as a diff (`cargo insta review`); accept it
//! only after checking the changed rows against the PDF.

use crate::common;

fn golden(name: &str) {
    let records = common::records_of(&common::input(name));
    let text = String::from_utf8(milepost::output::to_jsonl(&records)).unwrap();
    insta::assert_snapshot!(name.trim_end_matches(".pdf"), text);
}

#[test]
fn rotherham_2021_tracker() {
    golden("rotherham-2021-tracker.pdf");
}

#[test]
fn peer_challenge_action_plan_2023() {
    golden("peer-challenge-action-plan-2023.pdf");
}

#[test]
fn northdale_2024_q2_tracker() {
    golden("northdale-2024-q2-tracker.pdf");
}

#[test]
fn northdale_2024_q3_tracker() {
    golden("northdale-2024-q3-tracker.pdf");
}
