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

/// `milepost tables` reads with `read_tables_only`: the same tables, continuations included, as
/// the full reading, with each page's words and rules gone.
#[test]
fn tables_only_gives_the_same_tables_without_the_words() {
    let path = common::input("rotherham-2021-tracker.pdf");
    let full = milepost::read_tables(&path, &None, &Limits::default()).unwrap();
    let only = milepost::read_tables_only(&path, &None, &Limits::default()).unwrap();
    assert_eq!(full.pages.len(), only.pages.len());
    assert!(full.pages.iter().all(|p| !p.layout.words.is_empty()));
    for (f, o) in full.pages.iter().zip(&only.pages) {
        assert_eq!(serde_json::to_string(&f.tables).unwrap(), serde_json::to_string(&o.tables).unwrap(), "page {}", f.layout.page);
        assert_eq!((o.layout.page, o.layout.width_pt, o.layout.no_text), (f.layout.page, f.layout.width_pt, f.layout.no_text));
        assert!(o.layout.words.is_empty() && o.layout.lines.is_empty() && o.layout.rulings.is_empty() && o.layout.shades.is_empty());
    }
    assert!(only.pages.iter().any(|p| p.tables.iter().any(|t| t.continues.is_some())));
}
