//! No PDF can hang a run, exhaust memory or kill the process, and every refusal is the right one:
//! the hostile files in `tests/corpus/hostile/` (bombs, drawings only, slanted text, form fields)
//! each get their named kind within the budget, and a batch holding the bombs finishes with a
//! manifest naming them while the good tracker beside them gets its records and pack.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use milepost::config::Config;
use milepost::Limits;

fn hostile(name: &str) -> PathBuf {
    common::corpus_dir().join("hostile").join(name)
}

fn error_kind(name: &str, limits: &Limits) -> (String, String) {
    let err = milepost::extract_guarded(&hostile(name), &Config::builtin(), limits).err().unwrap_or_else(|| panic!("{name} should be refused"));
    (err.kind().to_string(), err.to_string())
}

#[test]
fn a_form_bomb_is_too_complex_and_names_its_page() {
    // Form XObjects drawing each other 4 times over 30 levels: 4^30 draws from 6.7 KB.
    let (kind, msg) = error_kind("formbomb4x30.pdf", &Limits::default());
    assert_eq!(kind, "too_complex");
    assert!(msg.starts_with("formbomb4x30.pdf, page 1: the PDF asks for more than 1000000 drawing operations"), "{msg}");
    // The cap is the user's to set: a lower one stops the smaller bomb too.
    let (kind, _) = error_kind("formbomb4x10.pdf", &Limits { max_page_ops: 10_000, ..Limits::default() });
    assert_eq!(kind, "too_complex");
}

#[test]
fn the_document_cap_counts_every_page() {
    let limits = Limits { max_draw_ops: 5_000, ..Limits::default() };
    let err = milepost::extract_guarded(&common::input("rotherham-2021-tracker.pdf"), &Config::builtin(), &limits).unwrap_err();
    assert_eq!(err.kind(), "too_complex");
    assert!(err.to_string().contains("more than 5000 drawing operations"), "{err}");
}

#[test]
fn a_flate_bomb_is_refused_before_it_is_inflated() {
    // A 1 MB file whose content stream inflates to 1 GiB of spaces.
    let (kind, msg) = error_kind("flatebomb1GB.pdf", &Limits::default());
    assert_eq!(kind, "too_complex");
    assert!(msg.contains("more than 256 MB of decompressed data (object 5 alone inflates to at least 256 MB)"), "{msg}");
    // The total cap holds too.
    let (kind, msg) = error_kind("flatebomb1GB.pdf", &Limits { max_stream_mb: 2048, max_decoded_mb: 100, ..Limits::default() });
    assert_eq!(kind, "too_complex");
    assert!(msg.contains("more than 100 MB of decompressed data (its streams inflate"), "{msg}");
}

#[test]
fn drawings_only_and_slanted_text_are_not_called_scanned() {
    let (kind, msg) = error_kind("rects90k.pdf", &Limits::default());
    assert_eq!(kind, "no_text");
    assert_eq!(msg, "rects90k.pdf: none of its 1 page(s) holds any text: they are blank or hold drawings only");
    let (kind, msg) = error_kind("rotated45.pdf", &Limits::default());
    assert_eq!(kind, "no_text");
    assert!(msg.contains("its text is set at a slant"), "{msg}");
}

#[test]
fn form_field_values_are_read_as_printed() {
    let x = milepost::extract_guarded(&hostile("formfield-tracker.pdf"), &Config::builtin(), &Limits::default()).unwrap();
    let statuses: Vec<&str> = x.records.iter().map(|r| r.status.text.as_deref().unwrap_or("")).collect();
    assert_eq!(statuses, ["On track", "Complete", "Behind schedule"]);
    assert!(x.records.iter().all(|r| !r.flags.iter().any(|f| f == "status_missing")), "{:?}", x.records.iter().map(|r| &r.flags).collect::<Vec<_>>());
}

#[test]
fn fonts_without_a_tounicode_map_are_read_from_their_own_tables() {
    // The westshire gold document with its fonts' ToUnicode maps removed (strip_tounicode.py):
    // the same records as the original, text and all.
    let cfg = Config::builtin();
    let plain = milepost::extract_guarded(&hostile("westshire-no-tounicode.pdf"), &cfg, &Limits::default()).unwrap();
    let original = milepost::extract_guarded(&common::gold_dir().join("docs/westshire-2023-24-delivery-plan.pdf"), &cfg, &Limits::default()).unwrap();
    assert_eq!(plain.records.len(), original.records.len());
    for (a, b) in plain.records.iter().zip(&original.records) {
        assert_eq!((&a.activity, &a.theme, &a.status.text, &a.rationale), (&b.activity, &b.theme, &b.status.text, &b.rationale));
    }
    assert!(plain.records[0].activity.starts_with("Complete 150 new affordable homes"), "{}", plain.records[0].activity);
}

#[test]
fn a_file_missing_its_pdf_header_is_read_with_a_warning() {
    let mut bytes = std::fs::read(common::gold_dir().join("docs/northdale-2024-q2-tracker.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    bytes[..5].copy_from_slice(b"XXXXX");
    let dir = tempdir("header");
    let path = dir.join("no-header.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let x = milepost::extract_guarded(&path, &Config::builtin(), &Limits::default()).unwrap();
    assert!(x.records.len() > 10);
    assert!(x.warnings.iter().any(|w| w.message.contains("does not start with a PDF header")), "{:?}", x.warnings);
}

#[test]
fn a_sample_of_public_pdfs_gets_the_right_diagnosis() {
    let dir = common::corpus_dir().join("robustness");
    let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    for (file, want) in expected.as_object().unwrap() {
        let got = match milepost::read_tables(&dir.join(file), &None, &Limits::default()) {
            Ok(doc) => {
                let words: usize = doc.pages.iter().map(|p| p.layout.words.len()).sum();
                assert!(words > 0, "{file}: read, with text");
                "read".to_string()
            }
            Err(e) => {
                assert!(e.to_string().starts_with(file.as_str()), "the message names the file: {e}");
                e.kind().to_string()
            }
        };
        assert_eq!(got, want.as_str().unwrap(), "{file}");
    }
}

fn run_milepost(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_milepost")).args(args).current_dir(cwd).output().expect("milepost runs")
}

#[test]
fn a_batch_with_bombs_finishes_names_them_and_reports_the_rest() {
    let dir = tempdir("bombs");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for f in ["formbomb4x30.pdf", "flatebomb1GB.pdf"] {
        std::fs::copy(hostile(f), input.join(f)).unwrap();
    }
    std::fs::copy(common::gold_dir().join("docs/northdale-2024-q2-tracker.pdf"), input.join("northdale-2024-q2-tracker.pdf")).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let out = run_milepost(&["--templates", templates.to_str().unwrap(), "run", "in", "-o", "out"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out/manifest.json")).unwrap()).unwrap();
    let kind_of = |name: &str| {
        let e = manifest["inputs"].as_array().unwrap().iter().find(|i| i["path"] == name).unwrap_or_else(|| panic!("{name} in the manifest"));
        (e["outcome"].as_str().unwrap().to_string(), e["error"]["kind"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(kind_of("formbomb4x30.pdf"), ("failed".into(), "too_complex".into()));
    assert_eq!(kind_of("flatebomb1GB.pdf"), ("failed".into(), "too_complex".into()));
    assert_eq!(kind_of("northdale-2024-q2-tracker.pdf"), ("done".into(), String::new()));
    let records = std::fs::read_to_string(dir.join("out/records/northdale-2024-q2-tracker.jsonl")).unwrap();
    assert!(records.lines().count() > 10);
    let packs: Vec<_> = std::fs::read_dir(dir.join("out/packs")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert!(packs.iter().any(|p| p.ends_with(".pdf")), "{packs:?}");
    assert!(!dir.join("out/.milepost.lock").exists(), "the lock is released");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("formbomb4x30.pdf, page 1: the PDF asks for more than"), "{stderr}");
}

#[test]
fn a_rerun_with_nothing_changed_reuses_packs_and_refusals() {
    let dir = tempdir("rerun");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(hostile("formbomb4x30.pdf"), input.join("formbomb4x30.pdf")).unwrap();
    for f in ["northdale-2024-q2-tracker.pdf", "northdale-2024-q3-tracker.pdf"] {
        std::fs::copy(common::gold_dir().join("docs").join(f), input.join(f)).unwrap();
    }
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let args = ["--templates", templates.to_str().unwrap(), "run", "in", "-o", "out"];
    let manifest = |dir: &Path| -> serde_json::Value { serde_json::from_slice(&std::fs::read(dir.join("out/manifest.json")).unwrap()).unwrap() };
    assert_eq!(run_milepost(&args, &dir).status.code(), Some(1));
    let first = manifest(&dir);
    assert!(first["packs"].as_array().unwrap().iter().all(|p| p["reused"] == false));
    let workbook = |dir: &Path| std::fs::metadata(dir.join("out/records.xlsx")).unwrap();
    let first_workbook = workbook(&dir);
    let second_run = run_milepost(&args, &dir);
    assert_eq!(second_run.status.code(), Some(1), "the refusal still counts");
    assert!(String::from_utf8_lossy(&second_run.stderr).contains("formbomb4x30.pdf, page 1: the PDF asks for more than"));
    let second = manifest(&dir);
    let packs = second["packs"].as_array().unwrap();
    assert_eq!(packs.len(), 2);
    assert!(packs.iter().all(|p| p["reused"] == true), "{packs:?}");
    let bomb = second["inputs"].as_array().unwrap().iter().find(|i| i["path"] == "formbomb4x30.pdf").unwrap();
    assert_eq!(bomb["error"]["kind"], "too_complex");
    // The combined workbook, made from the same records, is the last run's file, not rewritten.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(workbook(&dir).ino(), first_workbook.ino(), "records.xlsx was written again");
    }
    let hash_of = |m: &serde_json::Value| m["outputs"].as_array().unwrap().iter().find(|o| o["path"] == "records.xlsx").unwrap()["hash"].clone();
    assert_eq!(hash_of(&second), hash_of(&first));
    // A file that changed but whose records did not (bytes after %%EOF) is read again, and its
    // pack, made from the same records, is still reused.
    let q2 = input.join("northdale-2024-q2-tracker.pdf");
    let mut bytes = std::fs::read(&q2).unwrap();
    bytes.extend_from_slice(b"\n% touched\n");
    std::fs::write(&q2, bytes).unwrap();
    run_milepost(&args, &dir);
    let third = manifest(&dir);
    let q2_entry = third["inputs"].as_array().unwrap().iter().find(|i| i["path"] == "northdale-2024-q2-tracker.pdf").unwrap();
    assert_eq!(q2_entry["outcome"], "done");
    let reused: Vec<bool> = third["packs"].as_array().unwrap().iter().map(|p| p["reused"].as_bool().unwrap()).collect();
    assert_eq!(reused, [true, true]);
    // With a document gone, the records differ: the workbook is made again, from the rest.
    std::fs::remove_file(&q2).unwrap();
    run_milepost(&args, &dir);
    assert_ne!(hash_of(&manifest(&dir)), hash_of(&first), "records.xlsx kept though its records changed");
}

#[test]
fn a_worker_out_of_memory_fails_its_document_alone() {
    // With the stream caps raised, the flate bomb reaches hayro, which asks for 1 GiB: the worker
    // aborts under its memory cap (no catch_unwind could stop that in-process) and the batch goes on.
    let dir = tempdir("memory");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(hostile("flatebomb1GB.pdf"), input.join("flatebomb1GB.pdf")).unwrap();
    std::fs::copy(hostile("formfield-tracker.pdf"), input.join("formfield-tracker.pdf")).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let out = run_milepost(
        &["--templates", templates.to_str().unwrap(), "run", "in", "-o", "out", "--doc-memory-mb", "200", "--max-stream-mb", "4096", "--max-decoded-mb", "4096"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("flatebomb1GB.pdf: the PDF asks for more than 200 MB of memory"), "{stderr}");
    let records = std::fs::read_to_string(dir.join("out/records/formfield-tracker.jsonl")).unwrap();
    assert_eq!(records.lines().count(), 3);
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("milepost-robustness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Tables with no header row that are no tracker (names, phrases and figures; public test files
/// of other table extractors) give no rows: a table with no header is read from its content only
/// where it shows activities with two of dates, statuses and leads (each gave 13 and 26 rows of
/// nonsense when that took one).
#[test]
fn headerless_tables_that_are_no_tracker_give_no_rows() {
    let dir = common::corpus_dir().join("robustness");
    for file in ["camelot-superscript.pdf", "camelot-birdisland.pdf"] {
        match milepost::extract(&dir.join(file), &Config::builtin(), &Limits::default()) {
            Err(e) => assert_eq!(e.kind(), "no_rows", "{file}: {e}"),
            Ok(x) => panic!("{file}: {} rows read from tables that are no tracker", x.records.len()),
        }
    }
}

/// A worker's reply is taken as soon as it is complete, before the worker has drawn the pictures
/// of the rows to review (so that the packs are laid out meanwhile); the pictures come when
/// waited for, and a worker still drawing at its time limit is ended and gives none.
#[cfg(unix)]
#[test]
fn the_reply_is_taken_before_the_pictures_and_a_slow_worker_is_ended() {
    use milepost::isolate::{read_in_worker, Portable, Reply, Worker};
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    let dir = tempdir("late-crops");
    let reply = Reply::Read(Portable {
        page_count: 1,
        records: Vec::new(),
        warnings: Vec::new(),
        title_lines: vec!["A stand-in worker".into()],
        tables: Vec::new(),
        quality: Default::default(),
        stated: None,
        crops: Vec::new(),
    });
    // A stand-in for `milepost read-one`: the reply at once, then the pictures (none) after a
    // pause (whose `sleep` does not hold the worker's output open once the worker is ended).
    let worker = |name: &str, pause_s: u32| -> Worker {
        let exe = dir.join(name);
        let script = format!("#!/bin/sh\nprintf '%s\\n' '{}'\nsleep {pause_s} >/dev/null 2>&1\nprintf '[]'\n", serde_json::to_string(&reply).unwrap());
        std::fs::write(&exe, script).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        Worker { exe, templates: dir.clone(), threads: 1 }
    };
    let pdf = dir.join("any.pdf");
    let started = Instant::now();
    let (p, late) = read_in_worker(&worker("slow-pictures", 2), &pdf, &Limits::default()).expect("the reply is read");
    assert!(started.elapsed() < Duration::from_millis(1500), "the reply waited for the pictures: {:?}", started.elapsed());
    assert_eq!(p.title_lines, ["A stand-in worker"]);
    assert!(late.wait().is_empty());
    assert!(started.elapsed() >= Duration::from_secs(2), "the pictures were not waited for");
    // Past the time limit (1 s, and the batch's 5 s of grace), the worker is ended: no pictures.
    let limits = Limits { doc_timeout_s: 1, ..Limits::default() };
    let started = Instant::now();
    let (_, late) = read_in_worker(&worker("stuck-drawing", 60), &pdf, &limits).expect("the reply is read");
    assert!(late.wait().is_empty());
    assert!(started.elapsed() < Duration::from_secs(30), "the stuck worker was not ended: {:?}", started.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
}
