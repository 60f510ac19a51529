//! The quarterly cycle, as an officer runs it with the `milepost` binary: the Northdale Q2 and Q3
//! PDFs, and the Q3 pack workbook updated for Q4 in another program
//! (`tests/corpus/workbooks/northdale-q4-edited.xlsx`, made by `scripts/make_edited_workbook.py`;
//! its edits are listed there). The workbook is read back as Q4's records, flagged where an edit
//! cannot be used, and paired with the Q3 PDF's plan; every period goes into history.sqlite, a
//! re-run does not duplicate them, and with the PDFs gone the Q4 pack still compares with Q3
//! from the history.

use std::path::{Path, PathBuf};
use std::process::Command;

use milepost::history::History;
use milepost::record::{Record, StatusValue};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_milepost"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("milepost-cycle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(rel)
}

fn run(input: &Path, output: &Path) -> (i32, String) {
    let o = bin().arg("--templates").arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).arg("run").arg(input).arg("-o").arg(output).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn records(output: &Path, file: &str) -> Vec<Record> {
    let text = std::fs::read_to_string(output.join("records.jsonl")).unwrap();
    text.lines().map(|l| serde_json::from_str::<Record>(l).unwrap()).filter(|r| r.source.file == file).collect()
}

const BOOK: &str = "northdale-q4-edited.xlsx";

#[test]
fn an_updated_workbook_becomes_the_next_period_and_every_period_is_remembered() {
    let input = tmp("in");
    let output = tmp("out");
    for q in ["2", "3"] {
        let name = format!("northdale-2024-q{q}-tracker.pdf");
        std::fs::copy(corpus(&format!("gold/docs/{name}")), input.join(&name)).unwrap();
    }
    std::fs::copy(corpus(&format!("workbooks/{BOOK}")), input.join(BOOK)).unwrap();
    // Excel's lock file beside an open workbook is not an input.
    std::fs::write(input.join(format!("~${BOOK}")), b"lock").unwrap();
    let (code, err) = run(&input, &output);
    assert_eq!(code, 0, "{err}");

    // The workbook's rows: Q3's 54 less the one removed, plus two added.
    let q3 = records(&output, "northdale-2024-q3-tracker.pdf");
    let q4 = records(&output, BOOK);
    assert_eq!(q4.len(), q3.len() - 1 + 2, "{err}");
    assert!(q4.iter().all(|r| r.source.sheet.as_deref() == Some("Tracker")));
    assert_eq!(q4[0].source.page, 2, "provenance is the sheet row");
    assert_eq!(q4[0].activity, q3[0].activity, "officers' wording is kept");
    assert_eq!(q4[0].status.value, StatusValue::Complete);
    assert_eq!(q4[1].status.value, StatusValue::OffTrack);
    assert_eq!(q4[2].status.value, StatusValue::Unknown);
    assert!(q4[2].flags.contains(&"status_unrecognised: 'Amberish' in cell I4".to_string()), "{:?}", q4[2].flags);
    assert_eq!(q4[3].target.revised_due.map(|d| d.to_string()).as_deref(), Some("2025-09-30"));
    assert!(q4[4].flags.iter().any(|f| f == "date_unparsed: 'Spring-ish' in cell H6"), "{:?}", q4[4].flags);
    assert!(q4[5].rationale.as_deref().unwrap_or("").starts_with("Q4 update: contractor appointed"));
    // Unchanged rows keep the target as printed, ranges and all.
    for (a, b) in q3.iter().skip(8).zip(q4.iter().skip(7)).take(20) {
        assert_eq!((&a.activity, &a.target.text, a.target.due), (&b.activity, &b.target.text, b.target.due));
    }
    let added = q4.iter().find(|r| r.activity == "Publish the Q4 delivery review").expect("the added row");
    assert_eq!(added.target.due.map(|d| d.to_string()).as_deref(), Some("2025-06-30"));
    assert_eq!(added.theme, q3.last().unwrap().theme, "an added row with no theme goes under the theme above it");
    let blank = q4.last().unwrap();
    assert!(blank.activity.is_empty() && blank.flags.iter().any(|f| f.starts_with("no_activity: cell E")), "{:?}", blank.flags);
    assert_eq!(blank.status.value, StatusValue::Behind);

    // The Q4 pack joins the plan's PDFs and is compared with Q3.
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(output.join("manifest.json")).unwrap()).unwrap();
    let packs: Vec<&str> = manifest["packs"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(packs.contains(&"northdale-2024-tracker-q4-2024-25"), "{packs:?}");
    assert!(output.join("packs/northdale-2024-tracker-q4-2024-25.pdf").exists());
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 3, "the lock file is not an input");

    // The Q3 pack workbook prints on A4 landscape, one page wide, its header on every page; its
    // Page cells open the source PDF (relative to the workbook) at the row's page.
    let xml = |name: &str| {
        use std::io::Read;
        let f = std::fs::File::open(output.join("packs/northdale-2024-tracker-q3-2024-25.xlsx")).unwrap();
        let mut z = zip::ZipArchive::new(f).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let tracker = xml("xl/worksheets/sheet2.xml");
    assert!(tracker.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#), "{}", &tracker[..400]);
    assert!(tracker.contains(r#"location="page=1""#));
    assert!(xml("xl/workbook.xml").contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">Tracker!$1:$1</definedName>"));
    let rels = xml("xl/worksheets/_rels/sheet2.xml.rels");
    let target = rels.split("Target=\"").nth(1).unwrap().split('"').next().unwrap();
    let linked = output.join("packs").join(target);
    assert_eq!(std::fs::canonicalize(linked).unwrap(), std::fs::canonicalize(input.join("northdale-2024-q3-tracker.pdf")).unwrap());

    // The Q4 workbook's Summary holds the status counts of every period, oldest first, and a chart of them.
    {
        use calamine::{open_workbook, DataType, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(output.join("packs/northdale-2024-tracker-q4-2024-25.xlsx")).unwrap();
        let summary = wb.worksheet_range("Summary").unwrap();
        let col_a: Vec<String> = summary.rows().map(|r| r.first().map(|c| c.to_string()).unwrap_or_default()).collect();
        let top = col_a.iter().rposition(|c| c == "Period").expect("a status-by-period table");
        assert_eq!(&col_a[top + 1..top + 4], ["Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]);
        let total = |r: usize| summary.rows().nth(r).unwrap().iter().rev().find(|c| !c.is_empty()).unwrap().to_string();
        assert_eq!(total(top + 3), q4.len().to_string());
        let mut z = zip::ZipArchive::new(std::fs::File::open(output.join("packs/northdale-2024-tracker-q4-2024-25.xlsx")).unwrap()).unwrap();
        let mut chart = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/charts/chart2.xml").unwrap(), &mut chart).unwrap();
        assert!(chart.contains("percentStacked") && chart.contains("Summary!$A$"), "{}", &chart[..300.min(chart.len())]);
    }

    // Every period is in the history; running again replaces, never duplicates.
    let periods = |o: &Path| History::open(&o.join("history.sqlite")).unwrap().periods(Some("northdale-2024-tracker")).unwrap();
    let first: Vec<(String, usize)> = periods(&output).into_iter().map(|p| (p.period, p.rows)).collect();
    let names: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, ["Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]);
    assert_eq!((first[1].1, first[2].1), (q3.len(), q4.len()));
    let (code, err) = bin_force(&input, &output);
    assert_eq!(code, 0, "{err}");
    let again: Vec<(String, usize)> = periods(&output).into_iter().map(|p| (p.period, p.rows)).collect();
    assert_eq!(again, first);
    let h = History::open(&output.join("history.sqlite")).unwrap();
    assert_eq!(h.records("northdale-2024-tracker", "Q4 2024/25").unwrap(), q4);

    // Next quarter the PDFs are gone: the Q4 pack still shows what changed since Q3.
    std::fs::remove_file(input.join("northdale-2024-q2-tracker.pdf")).unwrap();
    std::fs::remove_file(input.join("northdale-2024-q3-tracker.pdf")).unwrap();
    let (code, err) = run(&input, &output);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&output.join("packs/northdale-2024-tracker-q4-2024-25.pdf"));
    assert!(text.contains("Q3 2024/25"), "the pack names the period it compares with");
    let changes = milepost::report::summary::compare(&q3, &q4);
    assert!(changes.status_moves().len() >= 2);
    let o = bin().arg("history").arg("-o").arg(&output).output().unwrap();
    let listing = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    for p in ["Q2 2024/25", "Q3 2024/25", "Q4 2024/25"] {
        assert!(listing.contains(p), "{listing}");
    }
}

fn bin_force(input: &Path, output: &Path) -> (i32, String) {
    let o = bin().arg("--templates").arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).arg("run").arg(input).arg("-o").arg(output).arg("--force").output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn pdf_text(path: &Path) -> String {
    let pages = milepost::read_tables(path, &None, &milepost::Limits::default()).unwrap().pages;
    let text = pages.iter().flat_map(|p| p.layout.lines.iter().map(move |l| p.layout.line_text(l))).collect::<Vec<_>>().join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_spreadsheet_that_is_not_a_pack_workbook_fails_alone_with_a_clear_message() {
    let input = tmp("notbook-in");
    let output = tmp("notbook-out");
    std::fs::copy(corpus("gold/docs/northdale-2024-q3-tracker.pdf"), input.join("northdale-2024-q3-tracker.pdf")).unwrap();
    // milepost's own data export has no Tracker sheet.
    let cfg = milepost::config::Config::builtin();
    let recs = milepost::extract(&corpus("gold/docs/northdale-2024-q3-tracker.pdf"), &cfg, &milepost::Limits::default()).unwrap().records;
    std::fs::write(input.join("budget.xlsx"), milepost::output::to_xlsx(&recs).unwrap()).unwrap();
    std::fs::write(input.join("notes.xlsx"), b"not a zip at all").unwrap();
    let (code, err) = run(&input, &output);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("budget.xlsx: this workbook cannot be read back as a tracker: it has no \"Tracker\" sheet"), "{err}");
    assert!(err.contains("notes.xlsx: this workbook cannot be read back as a tracker: it is not an Excel workbook"), "{err}");
    assert!(output.join("packs/northdale-2024-tracker-q3-2024-25.pdf").exists(), "the PDF's pack is still made");
}

/// A column no role fits ("How we will measure success" on a slide deck) goes into the pack
/// workbook's Tracker sheet as "Other columns" and comes back from it into each record's `extra`.
#[test]
fn other_columns_go_round_the_cycle() {
    let input = tmp("extra-in");
    let output = tmp("extra-out");
    std::fs::copy(corpus("synth-councils/slides-3002.pdf"), input.join("slides-3002.pdf")).unwrap();
    let (code, err) = run(&input, &output);
    assert_eq!(code, 0, "{err}");
    let pdf = records(&output, "slides-3002.pdf");
    let book =
        std::fs::read_dir(output.join("packs")).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "xlsx")).expect("a pack workbook");
    let again = tmp("extra-again");
    std::fs::copy(&book, again.join("pack.xlsx")).unwrap();
    let back_out = tmp("extra-back");
    let (code, err) = run(&again, &back_out);
    assert_eq!(code, 0, "{err}");
    let back = records(&back_out, "pack.xlsx");
    assert_eq!(back.len(), pdf.len());
    for (a, b) in pdf.iter().zip(&back) {
        assert_eq!(a.activity, b.activity);
        assert_eq!(a.extra, b.extra, "{}", a.activity);
    }
    assert!(back.iter().any(|r| r.extra.get("How we will measure success").map(String::as_str) == Some("Recycling rate")));
}
