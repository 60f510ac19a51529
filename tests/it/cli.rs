//! The built binary: exit codes, messages, outputs, re-runs, --json.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_milepost"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("NO_COLOR", "1");
    c
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("milepost-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
}

#[test]
fn bad_and_good_inputs_in_one_run_exit_1_with_every_good_output_written() {
    let input = tmp("mixed-in");
    let out = tmp("mixed-out");
    let bad = common::gold_dir().join("bad");
    for f in ["empty.pdf", "encrypted.pdf", "not-a-pdf.pdf", "scanned.pdf", "truncated.pdf", "no-tables.pdf"] {
        copy(&bad.join(f), &input.join(f));
    }
    for f in ["rotherham-2021-tracker.pdf", "northdale-2024-q2-tracker.pdf"] {
        copy(&common::input(f), &input.join(f));
    }
    let o = bin().args(["run", "--json"]).arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for (f, kind) in [
        ("empty.pdf", "the file is empty"),
        ("encrypted.pdf", "password-protected"),
        ("not-a-pdf.pdf", "not a PDF"),
        ("scanned.pdf, page 1", "looks scanned"),
        ("truncated.pdf", "damaged"),
        ("no-tables.pdf", "no milestone tracker"),
    ] {
        assert!(err.contains(&format!("error: {f}")) && err.contains(kind), "{f}: {err}");
    }
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let kinds: Vec<(String, String)> =
        manifest["inputs"].as_array().unwrap().iter().map(|i| (i["path"].as_str().unwrap().to_string(), i["error"]["kind"].as_str().unwrap_or("-").to_string())).collect();
    assert!(kinds.contains(&("encrypted.pdf".into(), "encrypted".into())), "{kinds:?}");
    assert!(kinds.contains(&("rotherham-2021-tracker.pdf".into(), "-".into())));
    assert_eq!(manifest["totals"]["failed"], 6);
    assert_eq!(manifest["totals"]["records"], 46 + 60);
    for f in ["records.jsonl", "records.csv", "records.xlsx", "records/rotherham-2021-tracker.jsonl", "records/northdale-2024-q2-tracker.csv"] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON on stdout");
    assert_eq!(summary["failed"], 6);
    assert_eq!(summary["records"], 106);
    // No temp file is left behind.
    let leftovers: Vec<_> = walk(&out).into_iter().filter(|p| p.to_string_lossy().contains(".tmp-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn rerun_with_nothing_changed_skips_and_gives_the_same_records() {
    let input = tmp("rerun-in");
    let out = tmp("rerun-out");
    copy(&common::input("northdale-2024-q3-tracker.pdf"), &input.join("q3.pdf"));
    let first = bin().arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let records1 = std::fs::read(out.join("records.jsonl")).unwrap();
    let review1 = std::fs::read_to_string(out.join("review.html")).unwrap();
    let second = bin().arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(second.status.code(), Some(0));
    assert!(stderr(&second).contains("1 unchanged since the last run"), "{}", stderr(&second));
    // The report pack of the unchanged input is kept, not rebuilt.
    assert!(stderr(&second).contains("1 report pack."), "{}", stderr(&second));
    assert!(std::fs::read_dir(out.join("packs")).unwrap().count() == 2, "a PDF and a workbook");
    assert_eq!(std::fs::read(out.join("records.jsonl")).unwrap(), records1);
    // The review page keeps the pictures of the unchanged input's rows (kept from the last run).
    let review2 = std::fs::read_to_string(out.join("review.html")).unwrap();
    let pictures = |s: &str| s.matches("<img src=\"data:image/png;base64,").count();
    assert!(pictures(&review1) > 0 && pictures(&review2) == pictures(&review1), "{} then {} pictures", pictures(&review1), pictures(&review2));
    assert!(review2.contains("unchanged since the last run"));
    assert!(out.join("manifest.previous.json").is_file());
    let forced = bin().args(["run", "--force"]).arg(&input).arg("-o").arg(&out).output().unwrap();
    assert!(stderr(&forced).contains("0 unchanged"), "{}", stderr(&forced));
    assert_eq!(std::fs::read(out.join("records.jsonl")).unwrap(), records1);
}

#[test]
fn bad_template_exits_2_naming_file_and_line_before_reading_any_pdf() {
    let t = tmp("badtpl");
    std::fs::write(t.join("status.toml"), "[complete]\nwords = [\"Done\"]\n\n[behnd]\nwords = [\"Late\"]\n").unwrap();
    let o = bin().arg("--templates").arg(&t).arg("check").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("status.toml, line 4: \"behnd\" is not a status"), "{}", stderr(&o));
    let ok = bin().arg("check").output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

#[test]
fn a_report_template_broken_after_a_good_run_still_stops_the_next_run() {
    // A re-run skips compiling the templates when the last run used the same ones; an edited
    // template is not the same, so its mistake is found before any PDF is read.
    let input = tmp("tplrerun-in");
    let out = tmp("tplrerun-out");
    let t = tmp("tplrerun-templates");
    for f in std::fs::read_dir("templates").unwrap().flatten() {
        copy(&f.path(), &t.join(f.file_name()));
    }
    copy(&common::input("northdale-2024-q3-tracker.pdf"), &input.join("q3.pdf"));
    let first = bin().arg("--templates").arg(&t).arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let again = bin().arg("--templates").arg(&t).arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let text = std::fs::read_to_string(t.join("report.typ")).unwrap();
    std::fs::write(t.join("report.typ"), format!("{text}\n#table(columns: 2, [a]\n")).unwrap();
    let broken = bin().arg("--templates").arg(&t).arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(broken.status.code(), Some(2), "{}", stderr(&broken));
    assert!(stderr(&broken).contains("report.typ, line"), "{}", stderr(&broken));
}

#[test]
fn bad_command_line_exits_2() {
    let o = bin().args(["tables", "--pages", "x", "inputs/rotherham-2021-tracker.pdf"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin().args(["no-such-command"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn tables_command_writes_one_csv_per_table() {
    let out = tmp("tables");
    let o = bin().args(["tables", "--pages", "1", "inputs/peer-challenge-action-plan-2023.pdf", "--out"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for k in 1..=3 {
        let csv = std::fs::read_to_string(out.join(format!("peer-challenge-action-plan-2023-p1-t{k}.csv"))).unwrap();
        assert!(csv.starts_with("Actions we plan to take,Timescales for delivery"), "{csv}");
    }
}

/// `--area` reads only what lies inside it: of page 1's three tables, the middle one, the same
/// table the whole page gives as its second (the area is the one path that keeps the pages'
/// words, to find the tables again inside it).
#[test]
fn tables_command_reads_only_the_area() {
    let whole = tmp("tables-whole");
    let o = bin().args(["tables", "--pages", "1", "inputs/peer-challenge-action-plan-2023.pdf", "--out"]).arg(&whole).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let area = tmp("tables-area");
    let o = bin().args(["tables", "--pages", "1", "inputs/peer-challenge-action-plan-2023.pdf", "--area", "400,40,650,560", "--out"]).arg(&area).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&area).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["peer-challenge-action-plan-2023-p1-t1.csv"]);
    let inside = std::fs::read_to_string(area.join("peer-challenge-action-plan-2023-p1-t1.csv")).unwrap();
    assert_eq!(inside, std::fs::read_to_string(whole.join("peer-challenge-action-plan-2023-p1-t2.csv")).unwrap());
    assert!(inside.contains("Hold an event to bring stakeholders together"), "{inside}");
}

#[test]
fn extract_to_stdout_is_json_lines() {
    let o = bin().args(["extract", "inputs/northdale-2024-q2-tracker.pdf"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 60);
    assert_eq!(lines[0]["source"]["file"], "northdale-2024-q2-tracker.pdf");
}

#[test]
fn stale_lock_is_taken_over_and_live_lock_refused() {
    let input = tmp("lock-in");
    let out = tmp("lock-out");
    copy(&common::input("northdale-2024-q2-tracker.pdf"), &input.join("a.pdf"));
    // A lock from a process that no longer exists.
    std::fs::write(out.join(".milepost.lock"), "999999999").unwrap();
    let o = bin().arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join(".milepost.lock").exists());
    // A lock held by a live process (this test).
    std::fs::write(out.join(".milepost.lock"), std::process::id().to_string()).unwrap();
    let o = bin().arg("run").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("another milepost run"), "{}", stderr(&o));
    std::fs::remove_file(out.join(".milepost.lock")).unwrap();
}
