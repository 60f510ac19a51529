//! The tables stage on real PDFs: grid, header, merged cells, fills, continuation.

use crate::common;

use milepost::tables::TableKind;
use milepost::Limits;

#[test]
fn ruled_rotherham_first_table() {
    let pages = milepost::read_tables(&common::input("rotherham-2021-tracker.pdf"), &Some(vec![1, 2]), &Limits::default()).unwrap().pages;
    let t = &pages[0].tables[0];
    assert_eq!(t.kind, TableKind::Ruled);
    let header: Vec<String> = t.grid()[0].iter().map(|c| c.replace('\n', " ")).collect();
    assert_eq!(header, ["Outcomes", "Activity", "Target date for delivery", "Status", "Rationale for status"]);
    assert_eq!(t.header_rows, 1);
    // The first outcome cell is merged over the group row and the activity row under it.
    let outcome = t.cell_at(1, 0).unwrap();
    assert_eq!(outcome.text.replace('\n', " "), "Putting communities at the heart of everything we do");
    assert_eq!(outcome.row_span, 2);
    // The group row spans Activity..Rationale.
    let group = t.cell_at(1, 1).unwrap();
    assert_eq!((group.col, group.col_span), (1, 4));
    // A "Behind schedule" status cell is filled amber.
    let behind = t.cells.iter().find(|c| c.text.replace('\n', " ") == "Behind schedule").expect("a behind cell");
    assert_eq!(behind.fill.map(|c| c.hex()).as_deref(), Some("#FFC000"));
    // Page 2's table continues page 1's.
    assert_eq!(pages[1].tables[0].continues, Some((1, 1)));
}

#[test]
fn borderless_table_found_from_text_alignment() {
    let gold = common::gold_dir();
    let pages = milepost::read_tables(&gold.join("docs/rotherham-2021-tracker-borderless.pdf"), &Some(vec![1]), &Limits::default()).unwrap().pages;
    let t = &pages[0].tables[0];
    assert_eq!(t.kind, TableKind::Borderless);
    assert_eq!(t.cols(), 5);
    let header: Vec<String> = t.grid()[0].iter().map(|c| c.replace('\n', " ")).collect();
    assert_eq!(header, ["Outcomes", "Activity", "Target date for delivery", "Status", "Rationale for status"]);
    // A long rationale wraps over several lines but stays one cell.
    let wath = t.cells.iter().find(|c| c.text.starts_with("Refurbishment works at Wath")).expect("rationale cell");
    assert!(wath.text.lines().count() >= 3);
    assert!(wath.text.ends_with("August 2021."));
}

#[test]
fn several_tables_on_one_page_are_found_apart() {
    let pages = milepost::read_tables(&common::input("peer-challenge-action-plan-2023.pdf"), &Some(vec![1]), &Limits::default()).unwrap().pages;
    assert_eq!(pages[0].tables.len(), 3);
    for (i, t) in pages[0].tables.iter().enumerate() {
        assert_eq!(t.index, i + 1);
        assert_eq!(t.grid()[0][0], "Actions we plan to take");
    }
}
