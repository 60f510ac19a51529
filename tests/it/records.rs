//! Focused tests of the records stage on real PDFs: merged cells over page breaks, rows split
//! over a page break, group rows, colour-only status, action-plan sub-items.

use crate::common;

use common::{find, gold_dir, input, records_of};
use milepost::record::{Kind, StatusValue};

#[test]
fn merged_outcome_runs_on_over_page_break() {
    // Rotherham p.8–9: the outcome cell's last words ("outdoors more often") are on page 9.
    let rs = records_of(&input("rotherham-2021-tracker.pdf"));
    let r = find(&rs, "Launch the Rotherham Recovery Toolkit");
    assert_eq!(r.source.page, 8);
    assert_eq!(
        r.outcome.as_deref(),
        Some("Local people feel more connected to their community by engaging in positive activities: getting active, creative and outdoors more often")
    );
}

#[test]
fn row_split_over_page_break_is_joined() {
    // Rotherham p.1–2: the revised date and the rest of the rationale are printed on page 2.
    let rs = records_of(&input("rotherham-2021-tracker.pdf"));
    let r = find(&rs, "Deliver on £100k budget allocation");
    assert_eq!(r.source.page, 1);
    assert_eq!(r.target.revised_due.map(|d| d.to_string()).as_deref(), Some("2023-01"));
    assert!(r.rationale.as_deref().unwrap_or("").ends_with("provide food and holistic support."), "{:?}", r.rationale);
    assert_eq!(r.status.value, StatusValue::Behind);
    assert_eq!(r.status.colour.as_deref(), Some("#FFC000"));
}

#[test]
fn group_rows_group_the_rows_under_them() {
    let rs = records_of(&input("rotherham-2021-tracker.pdf"));
    let r = find(&rs, "Complete refurbishments at Wath library");
    assert_eq!(r.group.as_deref(), Some("Deliver libraries investment programme"));
    assert_eq!(r.theme.as_deref(), Some("Thriving Neighbourhoods"));
    assert_eq!(r.outcome.as_deref(), Some("Putting communities at the heart of everything we do"));
    // A group row is not a record of its own.
    assert!(rs.iter().all(|r| r.activity != "Deliver libraries investment programme"));
}

#[test]
fn theme_rows_inside_the_table_set_the_theme() {
    let rs = records_of(&input("rotherham-2021-tracker.pdf"));
    let r = find(&rs, "Refresh and co-produce the Carers");
    assert_eq!(r.theme.as_deref(), Some("Better Health and Wellbeing"));
    assert_eq!(r.group, None);
}

#[test]
fn colour_only_status_is_read_from_the_fill_and_flagged() {
    let rs = records_of(&input("northdale-2024-q2-tracker.pdf"));
    let r = rs.iter().find(|r| r.reference.as_deref() == Some("1.12")).expect("ref 1.12");
    assert_eq!(r.status.text, None);
    assert_eq!(r.status.value, StatusValue::OnTrack);
    assert_eq!(r.status.colour.as_deref(), Some("#00B050"));
    assert_eq!(r.flags, vec!["status_from_colour".to_string()]);
}

#[test]
fn action_sub_items_become_records_with_their_own_dates() {
    let rs = records_of(&input("peer-challenge-action-plan-2023.pdf"));
    let lead_in = find(&rs, "Continue to review and revise the MTFS");
    assert_eq!(lead_in.kind, Kind::Action);
    assert!(lead_in.target.ongoing);
    let sub = find(&rs, "Budget and MTFS report to Cabinet and Council");
    assert_eq!(sub.target.due.map(|d| d.to_string()).as_deref(), Some("2024-02"));
    assert_eq!(sub.parent.as_deref(), Some(lead_in.activity.as_str()));
    assert!(sub.group.as_deref().unwrap_or("").starts_with("Recommendation 7: Continue to keep the medium-term"));
    assert_eq!(sub.status.value, StatusValue::Unknown);
    assert!(sub.flags.is_empty(), "no status column is not a doubt: {:?}", sub.flags);
}

#[test]
fn westshire_merged_priority_and_action_carry_over_pages() {
    let rs = records_of(&gold_dir().join("docs/westshire-2023-24-delivery-plan.pdf"));
    assert_eq!(rs.len(), 52);
    // The RAG key table on page 2 gives no records.
    assert!(rs.iter().all(|r| r.source.page >= 3));
    let colour_only: Vec<&str> = rs.iter().filter(|r| r.flags.contains(&"status_from_colour".to_string())).filter_map(|r| r.reference.as_deref()).collect();
    assert_eq!(colour_only, vec!["1.4.3", "2.4.3", "4.3.3"]);
}

#[test]
fn every_record_has_provenance() {
    for name in ["rotherham-2021-tracker.pdf", "northdale-2024-q3-tracker.pdf"] {
        for r in records_of(&input(name)) {
            assert_eq!(r.source.file, name);
            assert!(r.source.page >= 1);
            let b = r.source.bbox.expect("a box");
            assert!(b[0] < b[2] && b[1] < b[3], "{b:?}");
        }
    }
}
