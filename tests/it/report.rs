//! The report packs, built from the gold truth records (`tests/corpus/gold/truth/`, records in the
//! final shape): packs are written; the PDF's headline numbers equal counts made here from the
//! records; the Excel sheets, their row counts and the chart are there; and the Northdale Q2 → Q3
//! pair shows exactly its 16 status changes, 6 revised dates, 3 added and 2 removed rows.
//!
//! The PDF's text is read back with milepost's own reader (`read` and `layout`): the tests need
//! no poppler, and a pack milepost cannot read back is a failure.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use milepost::record::{Record, StatusValue};
use milepost::report::{self, summary, DocInfo, ReportConfig};

fn truth_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/gold/truth")
}

fn load(name: &str) -> Vec<Record> {
    let path = truth_dir().join(format!("{name}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).collect()
}

/// The first lines of page 1 of the Northdale trackers, as the library gives them.
fn northdale_docs() -> Vec<DocInfo> {
    ["2", "3"]
        .iter()
        .map(|q| DocInfo {
            file: format!("northdale-2024-q{q}-tracker.pdf"),
            title_lines: vec![
                "Northdale Borough Council".into(),
                format!("Corporate Plan 2024–28: Delivery Tracker 2024/25 – Quarter {q} (…)"),
                "RAG key: Blue = complete; Green = on track; Amber = some slippage, recoverable; Red = off track.".into(),
                "Ref".into(),
            ],
            stated: None,
        })
        .collect()
}

/// A fresh output folder under the system temp folder.
fn out_dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("milepost-report-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn config() -> ReportConfig {
    let mut cfg = ReportConfig::builtin();
    cfg.produced_on = Some((2026, 11, 22));
    cfg
}

fn by_ref(rs: &[&Record]) -> Vec<String> {
    let mut v: Vec<String> = rs.iter().map(|r| r.reference.clone().unwrap_or_default()).collect();
    v.sort();
    v
}

#[test]
fn northdale_q2_to_q3_shows_exactly_its_changes() {
    let (q2, q3) = (load("northdale-2024-q2-tracker"), load("northdale-2024-q3-tracker"));
    let c = summary::compare(&q2, &q3);
    assert_eq!(c.status_moves().len(), 16);
    assert_eq!(c.revised().len(), 6);
    assert_eq!(by_ref(&c.added), ["1.13", "2.13", "5.13"]);
    assert_eq!(by_ref(&c.removed), ["1.10", "5.08"]);
    let [improved, worsened, changed, unchanged] = c.directions();
    assert_eq!(improved + worsened + changed, 16);
    assert_eq!(unchanged, 58 - 16);
    assert_eq!((improved, worsened), (11, 5));
}

#[test]
fn rows_without_a_reference_pair_by_activity_text() {
    let strip = |rs: Vec<Record>| -> Vec<Record> {
        rs.into_iter()
            .map(|mut r| {
                r.reference = None;
                r
            })
            .collect()
    };
    let (q2, q3) = (strip(load("northdale-2024-q2-tracker")), strip(load("northdale-2024-q3-tracker")));
    let c = summary::compare(&q2, &q3);
    assert_eq!((c.status_moves().len(), c.revised().len(), c.added.len(), c.removed.len()), (16, 6, 3, 2));
}

/// Counts by status made here, not by the library: the headline must equal them.
fn headline_from(records: &[Record]) -> String {
    // An action plan with no statuses is summarised by when its actions are due.
    if records.iter().all(|r| r.status.value == StatusValue::Unknown && r.status.text.is_none()) {
        return format!("Of {} actions:", records.len());
    }
    let words = [
        (StatusValue::Complete, "complete"),
        (StatusValue::OnTrack, "on track"),
        (StatusValue::Behind, "behind"),
        (StatusValue::OffTrack, "off track"),
        (StatusValue::NotStarted, "not started"),
        (StatusValue::Cancelled, "cancelled"),
        (StatusValue::Unknown, "no status"),
    ];
    let total = records.len();
    words
        .iter()
        .filter_map(|(v, w)| {
            let n = records.iter().filter(|r| r.status.value == *v).count();
            (n > 0).then(|| format!("{}% ({n}) {w}", ((n as f64) * 100.0 / total as f64).round() as u32))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The pack's text, read back with milepost's own reader (the `read` and `layout` stages), lines
/// in reading order, words joined by single spaces.
fn pdf_text(path: &Path) -> Option<String> {
    let pages = milepost::read_tables(path, &None, &milepost::Limits::default()).ok()?.pages;
    let text = pages.iter().flat_map(|p| p.layout.lines.iter().map(move |l| p.layout.line_text(l))).collect::<Vec<_>>().join(" ");
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

struct Workbook {
    sheets: Vec<String>,
    rows: BTreeMap<String, usize>,
    charts: usize,
    validations: usize,
}

fn read_workbook(path: &Path) -> Workbook {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| -> String {
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} missing")).read_to_string(&mut s).unwrap();
        s
    };
    let wb = read("xl/workbook.xml");
    let sheets: Vec<String> = wb.split("<sheet name=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
    let mut rows = BTreeMap::new();
    let mut validations = 0;
    for (i, s) in sheets.iter().enumerate() {
        let xml = read(&format!("xl/worksheets/sheet{}.xml", i + 1));
        rows.insert(s.clone(), xml.matches("<row ").count());
        validations += xml.matches("<dataValidation ").count();
    }
    let charts = zip.file_names().filter(|n| n.starts_with("xl/charts/chart")).count();
    Workbook { sheets, rows, charts, validations }
}

#[test]
fn packs_of_the_gold_inputs_are_written_and_say_what_the_records_say() {
    let names = [
        "northdale-2024-q2-tracker",
        "northdale-2024-q3-tracker",
        "rotherham-2021-tracker",
        "peer-challenge-action-plan-2023",
        "westshire-2023-24-delivery-plan",
        "large-tracker-600",
    ];
    let mut records = Vec::new();
    for n in names {
        let mut r = load(n);
        if n == "large-tracker-600" {
            r.truncate(5); // only to show an unplaceable document is reported, not to time it
        }
        records.extend(r);
    }
    let dir = out_dir("gold");
    let run = report::build_packs(&records, &northdale_docs(), &config(), &dir);

    // The 600-row tracker's title and file name give no period: it still gets a pack, "period
    // not stated", with a note saying how to name the period.
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let unstated = run.written.iter().find(|p| p.plan == "large-tracker-600").expect("a pack for the tracker with no period");
    assert_eq!(unstated.period, "Period not stated");
    assert!(unstated.notes.iter().any(|n| n.contains("milepost-plans.toml") && n.contains("large-tracker-600.pdf")), "{:?}", unstated.notes);

    let mut names: Vec<String> = run.written.iter().map(|p| p.pdf.file_name().unwrap().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "large-tracker-600-period-not-stated.pdf",
            "northdale-2024-tracker-q2-2024-25.pdf",
            "northdale-2024-tracker-q3-2024-25.pdf",
            "peer-challenge-action-plan-2023.pdf",
            "rotherham-2021-tracker.pdf",
            "westshire-2023-24-delivery-plan.pdf",
        ]
    );
    for p in &run.written {
        assert!(p.ua1, "{}: {:?}", p.pdf.display(), p.notes);
        let bytes = std::fs::read(&p.pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let file = p.pdf.file_name().unwrap().to_string_lossy().into_owned();
        let source = match p.plan.as_str() {
            "northdale-2024-tracker" => format!("northdale-2024-{}-tracker", if p.period.starts_with("Q2") { "q2" } else { "q3" }),
            other => other.to_string(),
        };
        let mut recs = load(&source);
        if source == "large-tracker-600" {
            recs.truncate(5);
        }
        assert_eq!(p.rows, recs.len(), "{file}");

        // The headline, in the PDF's own text.
        let want = headline_from(&recs);
        match pdf_text(&p.pdf) {
            Some(text) => {
                assert!(text.contains(&want), "{file}: headline {want:?} not in the PDF's text");
                let noun = if p.plan.starts_with("peer-challenge") { "actions" } else { "activities" };
                assert!(text.contains(&format!("{} {noun} in", recs.len())), "{file}");
                if p.compared_with.is_some() {
                    assert!(text.contains("Since Q2 2024/25: 11 improved, 5 worsened"), "{file}");
                }
                // The cover names the appendix and the workbook, which hold every row; the pack
                // does not repeat the tracker or the sources by default.
                let stem = file.trim_end_matches(".pdf");
                assert!(text.contains(&format!("Appendix: {stem}.pdf")), "{file}: the appendix is not named");
                assert!(text.contains(&format!("Workbook: {stem}.xlsx")), "{file}: the workbook is not named");
                assert!(!text.contains("Full tracker") && !text.contains("Where each row came from"), "{file}");
            }
            None => panic!("{file}: the pack's PDF could not be read back"),
        }

        // The workbook.
        let wb = read_workbook(&p.xlsx);
        assert_eq!(wb.sheets, report::xlsx::SHEETS);
        assert_eq!(wb.rows["Tracker"], recs.len() + 1, "{file}");
        assert_eq!(wb.rows["Sources"], recs.len() + 1, "{file}");
        let exceptions = recs.iter().filter(|r| matches!(r.status.value, StatusValue::Behind | StatusValue::OffTrack)).count();
        assert_eq!(wb.rows["Exceptions"], exceptions + 1, "{file}");
        let flagged = recs.iter().filter(|r| !r.flags.is_empty()).count();
        assert_eq!(wb.rows["Needs checking"], flagged + 1, "{file}");
        // A chart by theme (or by when actions are due) where there are 2 to 20 to compare, and
        // one by period where an earlier period is known.
        let sections = summary::by_theme(&recs).len();
        let charts = usize::from((2..=summary::CHART_MAX_SECTIONS).contains(&sections)) + usize::from(p.compared_with.is_some());
        assert_eq!(wb.charts, charts, "{file}");
        assert_eq!(wb.validations, 1, "{file}");
        if p.compared_with.is_some() {
            // A header, 16 status changes, 6 revised dates, 3 added, 2 removed.
            assert_eq!(wb.rows["Changes"], 1 + 16 + 6 + 3 + 2, "{file}");
        }
    }
    let q3 = run.written.iter().find(|p| p.period == "Q3 2024/25").unwrap();
    assert_eq!(q3.compared_with.as_deref(), Some("Q2 2024/25"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plans_file_places_a_document_the_title_cannot() {
    let dir = out_dir("plans");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(report::PLANS_FILE), "[\"large-tracker-600.pdf\"]\nplan = \"delivery-plan\"\nperiod = \"Q1 2025/26\"\n").unwrap();
    let mut cfg = config();
    cfg.plans = report::PlanFile::load(&dir).unwrap();
    let mut records = load("large-tracker-600");
    records.truncate(40);
    let run = report::build_packs(&records, &[], &cfg, &dir.join("out"));
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(run.written[0].pdf.file_name().unwrap(), "delivery-plan-q1-2025-26.pdf");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_shipped_template_and_settings_check_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let cfg = ReportConfig::load(&dir, None).unwrap_or_else(|e| panic!("{e:?}"));
    report::check_template(&cfg).unwrap_or_else(|e| panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")));
}

#[test]
fn template_and_settings_mistakes_are_reported_with_file_and_line() {
    let dir = out_dir("templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.toml"), "title = \"Pack\"\nsections = [\"cover\", \"headlines\"]\n").unwrap();
    let errs = ReportConfig::load(&dir, None).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].to_string(),
        format!(
            "{}, line 2: \"headlines\" is not a section; use one of cover, headline, by_theme, exceptions, changes, tracker, needs_checking, sources, definitions",
            dir.join("report.toml").display()
        )
    );

    std::fs::write(dir.join("report.toml"), "sections = [\"cover\", \"headline\"]\n").unwrap();
    std::fs::write(dir.join("report.typ"), "#let data = json(\"/data.json\")\n= Headline\n#table(columns: 2, [a], [b]\n").unwrap();
    let cfg = ReportConfig::load(&dir, None).unwrap();
    let errs = report::check_template(&cfg).unwrap_err();
    assert!(errs[0].file.ends_with("report.typ"), "{errs:?}");
    assert_eq!(errs[0].line, Some(3), "{errs:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn excel_cells_that_look_like_formulas_stay_text() {
    let mut records = load("northdale-2024-q3-tracker");
    records[0].activity = "=HYPERLINK(\"http://example.com\",\"click\")".into();
    records[1].rationale = Some("- to be confirmed".into());
    let dir = out_dir("neutralise");
    let run = report::build_packs(&records, &northdale_docs(), &config(), &dir);
    let file = std::fs::File::open(&run.written[0].xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    assert!(strings.contains("&apos;=HYPERLINK") || strings.contains("'=HYPERLINK"), "formula not neutralised");
    assert!(strings.contains("&apos;- to be confirmed") || strings.contains("'- to be confirmed"));
    assert!(!strings.contains(">=HYPERLINK"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Page furniture is not content: over the 60 synth seeds (running headers with protective
/// markings on most), no plan title holds a marking, an "Appendix N" prefix or a page number.
#[test]
fn no_pack_title_holds_page_furniture() {
    let cfg = milepost::config::Config::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/synth");
    let mut checked = 0;
    for f in std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pdf")) {
        let Ok(x) = milepost::extract(&f, &cfg, &milepost::Limits::default()) else { continue };
        let pp = report::plan::identify(&DocInfo { file: x.file.clone(), title_lines: x.title_lines.clone(), ..Default::default() }, &report::PlanFile::default());
        for bad in ["OFFICIAL", "PUBLIC", "NOT PROTECTIVELY MARKED", "Appendix ", "Annex ", "Page ", "( )"] {
            assert!(!pp.title.contains(bad), "{}: title {:?} holds {bad:?}", x.file, pp.title);
        }
        assert!(!pp.title.is_empty(), "{}", x.file);
        checked += 1;
    }
    assert!(checked >= 55, "{checked}");
}

/// An action plan (no status column) is summarised by when its actions are due, with no status
/// words in its headline.
#[test]
fn an_action_plan_headline_names_due_dates_and_no_status_words() {
    let records = load("peer-challenge-action-plan-2023");
    let plan = report::plan::identify(
        &DocInfo {
            file: "peer-challenge-action-plan-2023.pdf".into(),
            title_lines: vec!["Corporate Peer Challenge Action Plan".into(), "September 2023".into()],
            ..Default::default()
        },
        &report::PlanFile::default(),
    );
    let pack = report::pack::build(&records, &plan, "Rotherham", &config().settings, ("1 June 2024", (2024, 6, 1)), None);
    let t = pack.timescales.as_ref().expect("timescales for an action plan");
    assert_eq!(t.counts.iter().sum::<usize>(), records.len());
    assert!(pack.headline.starts_with(&format!("Of {} actions: ", records.len())), "{}", pack.headline);
    assert!(pack.headline.contains("due by 1 June 2024"), "{}", pack.headline);
    for w in ["on track", "complete", "no status", "%"] {
        assert!(!pack.headline.contains(w), "{}", pack.headline);
    }
    assert!(t.sections.iter().all(|s| !s.earliest.is_empty() || s.counts[3] + s.counts[4] == s.total));
    // The workbook keeps an empty status column (with its drop-down) for the next update.
    let book = report::xlsx::workbook(&pack).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    let mut tracker = String::new();
    zip.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut tracker).unwrap();
    assert!(tracker.contains("<dataValidation"), "the status drop-down is there");
    let no_status = config().settings.status(StatusValue::Unknown).label.clone();
    let idx = strings.split("<si>").skip(1).position(|si| si.contains(&format!(">{no_status}<")));
    if let Some(i) = idx {
        assert!(!tracker.contains(&format!("t=\"s\"><v>{i}</v>")), "no \"{no_status}\" in the Tracker's status cells");
    }
}

/// A run's own work handed to the pack builder (`beside`: the combined record files) is done
/// exactly once, on a pack thread, whether there are packs to lay out or none; with one thread
/// it comes after the parts are laid out and before their files are written.
#[test]
fn work_beside_the_packs_runs_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let records = load("northdale-2024-q3-tracker");
    let dir = out_dir("beside");
    let (calls, packs_seen) = (AtomicUsize::new(0), AtomicUsize::new(usize::MAX));
    let staged = milepost::staged::Staged::new();
    let beside = || {
        calls.fetch_add(1, Ordering::SeqCst);
        packs_seen.store(staged.len(), Ordering::SeqCst);
    };
    let run = report::build_packs_staged(&records, &northdale_docs(), &config(), &dir, &staged, &BTreeMap::new(), "setup", None, 1, &beside, None);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(packs_seen.load(Ordering::SeqCst), 0, "beside runs before the parts' files are written");
    assert_eq!(run.written.len(), 1);
    assert_eq!(staged.len(), 3, "the pack, its workbook and the appendix");
    // No records: nothing to lay out, and the work is still done once.
    let prior: BTreeMap<String, report::PriorPack> = BTreeMap::new();
    let staged2 = milepost::staged::Staged::new();
    calls.store(0, Ordering::SeqCst);
    let none: Vec<Record> = Vec::new();
    let run2 = report::build_packs_staged(
        &none,
        &[],
        &config(),
        &dir,
        &staged2,
        &prior,
        "setup",
        None,
        2,
        &|| {
            calls.fetch_add(1, Ordering::SeqCst);
        },
        None,
    );
    assert!(run2.written.is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Target dates go into the workbook as real Excel dates (officers sort and filter by them),
/// shown as printed: a month as "mmm yyyy"; the wording stays in "Target date as printed".
#[test]
fn excel_target_dates_are_real_dates() {
    let records = load("northdale-2024-q3-tracker");
    assert_eq!(records[0].target.due.map(|d| (d.year, d.month, d.day)), Some((2024, 12, None)));
    let dir = out_dir("dates");
    let run = report::build_packs(&records, &northdale_docs(), &config(), &dir);
    let file = std::fs::File::open(&run.written[0].xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("formatCode=\"mmm yyyy\""), "{styles}");
    let mut tracker = String::new();
    zip.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut tracker).unwrap();
    // 1 December 2024 is Excel's day 45627.
    assert!(tracker.contains("<v>45627</v>"), "the first row's target date is a number");
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    assert!(strings.contains("End of December 2024"), "the wording as printed is kept");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Twenty themes with names of some 60 characters: the chart shortens each label at a word (the
/// table keeps the full name) and its labels and bar numbers stay at 7 pt or more, one chart row
/// per theme.
#[test]
fn a_twenty_theme_chart_keeps_its_labels_readable() {
    let mut records = load("northdale-2024-q3-tracker");
    let names: Vec<String> = (1..=20).map(|i| format!("Theme {i:02}: better neighbourhood services for every resident")).collect();
    assert!(names.iter().all(|n| n.chars().count() >= 55));
    for (i, r) in records.iter_mut().enumerate() {
        r.theme = Some(names[i % names.len()].clone());
    }
    let dir = out_dir("twenty-themes");
    let run = report::build_packs(&records, &northdale_docs()[1..], &config(), &dir);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let pages = milepost::read_tables(&run.written[0].pdf, &None, &milepost::Limits::default()).unwrap().pages;
    let mut labelled = std::collections::BTreeSet::new();
    for p in &pages {
        for l in &p.layout.lines {
            let words: Vec<&milepost::layout::Word> = l.words.iter().map(|&i| &p.layout.words[i]).collect();
            if words.first().is_some_and(|w| w.text == "Theme") && words.iter().any(|w| w.text.ends_with('…')) {
                for w in &words {
                    assert!(w.size_pt >= 7.0, "{:?} at {} pt", w.text, w.size_pt);
                }
                labelled.insert(words[1].text.clone());
            }
        }
    }
    assert_eq!(labelled.len(), 20, "one shortened label per theme: {labelled:?}");
}

/// An action plan's PDF pack: when actions are due, by recommendation, as a table and a chart;
/// no status sections (exceptions, status definitions), as there are no statuses to report.
#[test]
fn an_action_plan_pack_shows_when_actions_are_due_and_no_status_sections() {
    let records = load("peer-challenge-action-plan-2023");
    let docs = [DocInfo {
        file: "peer-challenge-action-plan-2023.pdf".into(),
        title_lines: vec!["Corporate Peer Challenge Action Plan".into(), "September 2023".into()],
        ..Default::default()
    }];
    let dir = out_dir("action-plan");
    let run = report::build_packs(&records, &docs, &config(), &dir);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let text = pdf_text(&run.written[0].pdf).expect("the pack reads back");
    assert!(text.contains(&format!("{} actions in", records.len())), "the headline counts actions");
    assert!(text.contains("When actions are due, by recommendation"));
    assert!(text.contains("When the actions of each recommendation are due"), "the chart's caption");
    assert!(text.contains("By report date") && text.contains("Next 3 months"), "the chart's key says its words");
    for absent in ["Exceptions: activities behind or off track", "Status definitions", "No activity is behind"] {
        assert!(!text.contains(absent), "{absent:?} in an action plan's pack");
    }
}

/// A council that wants one file puts the tracker and the sources back in report.toml: both
/// sections are still made.
#[test]
fn the_tracker_and_sources_sections_can_be_put_back() {
    let records = load("northdale-2024-q3-tracker");
    let mut cfg = config();
    cfg.settings.sections = ["cover", "headline", "tracker", "sources"].map(String::from).to_vec();
    let dir = out_dir("one-file");
    let run = report::build_packs(&records, &northdale_docs()[1..], &cfg, &dir);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let text = pdf_text(&run.written[0].pdf).expect("the pack reads back");
    assert!(text.contains("Full tracker") && text.contains("Where each row came from"), "{text:.400}");
    // Every activity is in it, as in the appendix.
    for r in records.iter().take(5) {
        let start: String = r.activity.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&start), "{start:?} not in the one-file pack");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------------------------------
// The review page (outputs/review.html): every row to check beside a picture of where it was read.

use milepost::review::{self, DocReview};

/// The review page of some inputs, as `milepost review` makes it, with each document's rows to
/// review.
fn review_of(paths: &[PathBuf]) -> (String, Vec<(DocReview, Vec<usize>)>) {
    let cfg = milepost::config::Config::builtin();
    let limits = milepost::Limits::default();
    let mut docs = Vec::new();
    for p in paths {
        let started = std::time::Instant::now();
        let x = milepost::extract(p, &cfg, &limits).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let port = milepost::isolate::Portable::from(x).with_crops(p, &limits, started);
        let d = DocReview::read(p.file_name().unwrap().to_string_lossy().into_owned(), port, Default::default());
        let shown = review::rows_to_review(&d.records, d.quality.as_ref());
        docs.push((d, shown));
    }
    let only: Vec<DocReview> = docs.iter().map(|(d, _)| d.clone()).collect();
    (review::page(&only, &cfg, "7 December 2026"), docs)
}

/// One document's section of the page.
fn section(page: &str, i: usize) -> &str {
    let start = page.find(&format!("<section class=\"doc\" id=\"d{i}\"")).expect("the document's section");
    let end = page[start..].find("</section>").expect("its end") + start;
    &page[start..end]
}

/// Every tag closed in order (void elements aside): the page is well formed.
fn assert_well_formed(html: &str) {
    const VOID: [&str; 6] = ["meta", "img", "br", "input", "link", "hr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("every tag ends");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
            if name == "script" || name == "style" {
                continue;
            }
        } else {
            let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if !VOID.contains(&name.as_str()) {
                stack.push(name.clone());
            }
            // Script and style bodies are text, not tags.
            if name == "script" || name == "style" {
                let close = rest.find(&format!("</{name}>")).expect("closed");
                rest = &rest[close..];
            }
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

#[test]
fn the_review_page_shows_each_flagged_gold_row_beside_its_picture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/gold/docs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
    paths.sort();
    let (page, docs) = review_of(&paths);
    assert_well_formed(&page);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<html lang=\"en-GB\">"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("src=\"/"), "nothing is fetched");
    let mut total = 0;
    for (i, (d, shown)) in docs.iter().enumerate() {
        let s = section(&page, i);
        // One entry per flagged (or doubtful) row: the gold documents read well, so no other row.
        let flagged: Vec<usize> = (0..d.records.len()).filter(|&k| !d.records[k].flags.is_empty()).collect();
        assert!(flagged.iter().all(|k| shown.contains(k)), "{}: a flagged row is missing", d.file);
        assert_eq!(s.matches("<article").count(), shown.len(), "{}", d.file);
        // Each with its picture, whose alternative text is the row's activity.
        assert_eq!(s.matches("<img src=\"data:image/png;base64,").count(), shown.len(), "{}: a row without its picture", d.file);
        for &k in shown {
            let start: String = d.records[k].activity.chars().take(30).collect();
            assert!(s.contains(&format!("where milepost read: {}", start.replace('&', "&amp;").replace('\'', "&#39;"))), "{}: no alt text for {start:?}", d.file);
        }
        // Each doubt in words, with what to do.
        assert_eq!(s.matches("<strong>What to do:</strong>").count(), shown.iter().map(|&k| d.records[k].flags.len().max(1)).sum::<usize>(), "{}", d.file);
        total += shown.len();
    }
    assert!(total > 0, "the gold documents have flagged rows");
    // The picture shows the row: a PNG of the row's box at the drawing scale, with its margin.
    let (d, shown) = docs.iter().find(|(_, s)| !s.is_empty()).unwrap();
    let r = &d.records[shown[0]];
    let c = d.crops.iter().find(|c| c.page == r.source.page && Some(c.bbox) == r.source.bbox).expect("the row's crop");
    let [x0, _, x1, _] = r.source.bbox.unwrap();
    let scale = review::crops::SCALE as f32;
    let (least, most) = ((x1 - x0) * scale, (x1 - x0 + 2.0 * review::crops::MARGIN) * scale + 2.0);
    assert!((least..=most).contains(&(c.width as f32)), "{} px for a {} pt wide row", c.width, x1 - x0);
    assert!(c.height > 0 && c.height <= review::crops::MAX_CROP_HEIGHT);
}

#[test]
fn a_document_to_check_lists_every_row_of_the_pages_named() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/synth-councils/blind-3015.pdf");
    let (page, docs) = review_of(&[path]);
    assert_well_formed(&page);
    let (d, shown) = &docs[0];
    let q = d.quality.as_ref().unwrap();
    assert!(q.warning.is_some(), "blind-3015 reads with the check verdict");
    assert!(page.contains("<span class=\"badge\">Check</span>"));
    let on_named: Vec<usize> = (0..d.records.len()).filter(|&k| q.pages.contains(&d.records[k].source.page)).collect();
    assert!(!on_named.is_empty());
    for k in &on_named {
        assert!(shown.contains(k), "row {k} on page {} is not listed", d.records[*k].source.page);
        assert!(page.contains(&format!("id=\"d0-r{k}\"")), "row {k} has no entry");
    }
    // Rows with no doubt of their own say why they are shown.
    assert!(page.contains("its page holds rows milepost doubts"));
}

#[test]
fn workbook_rows_show_their_sheet_and_row_instead_of_a_picture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/workbooks/northdale-q4-edited.xlsx");
    let (page, docs) = review_of(&[path]);
    assert_well_formed(&page);
    let (d, shown) = &docs[0];
    assert!(!shown.is_empty(), "the edited workbook has rows to review");
    assert!(!page.contains("<img"), "no picture of a workbook");
    for &k in shown {
        let s = &d.records[k].source;
        let sheet = s.sheet.as_deref().expect("a workbook row names its sheet");
        assert!(page.contains(&format!("sheet <strong>{sheet}</strong>, row <strong>{}</strong>", s.page)), "{sheet} row {}", s.page);
    }
}

/// `milepost run` with its defaults: outputs/ beside inputs/, both named relatively (the tests
/// run in the repository's top folder, which holds both).
#[test]
fn a_folder_named_from_the_working_folder_links_to_the_inputs() {
    use milepost::report::relative_dir;
    let here = std::env::current_dir().unwrap();
    let inputs = here.join("inputs");
    assert_eq!(relative_dir(Path::new("outputs/packs"), &inputs).as_deref(), Some("../../inputs/"));
    assert_eq!(relative_dir(Path::new("outputs"), &inputs).as_deref(), Some("../inputs/"));
}

/// Parts laid out beside the first in a helper process (`report::elsewhere`, as `run` does)
/// are the same PDFs, byte for byte, as parts laid out in this process; and where no helper
/// can be started, the parts are laid out here and nothing is lost.
#[test]
fn parts_laid_out_in_a_helper_are_the_same_pdfs() {
    let records = load("northdale-2024-q3-tracker");
    let pdfs_of = |helpers: Option<&report::elsewhere::Helpers>, name: &str| {
        let dir = out_dir(name);
        let staged = milepost::staged::Staged::new();
        let run = report::build_packs_staged(&records, &northdale_docs(), &config(), &dir, &staged, &BTreeMap::new(), "setup", None, 2, &|| {}, helpers);
        assert!(run.errors.is_empty(), "{:?}", run.errors);
        assert_eq!(run.written.len(), 1);
        let errors = staged.commit();
        assert!(errors.is_empty(), "{errors:?}");
        let w = &run.written[0];
        let pdfs: Vec<Vec<u8>> = w.files.iter().filter(|(rel, _)| rel.ends_with(".pdf")).map(|(rel, _)| std::fs::read(dir.join(rel)).unwrap()).collect();
        let _ = std::fs::remove_dir_all(&dir);
        pdfs
    };
    let here = pdfs_of(None, "helper-none");
    assert_eq!(here.len(), 2, "the pack and its appendix");
    assert!(here.iter().all(|p| p.starts_with(b"%PDF")));
    let exe = std::path::PathBuf::from(env!("CARGO_BIN_EXE_milepost"));
    let helpers = report::elsewhere::Helpers::new(exe, vec!["lay-out".into()], 2);
    assert_eq!(pdfs_of(Some(&helpers), "helper-real"), here, "a helper's PDFs differ from this process's");
    let missing = report::elsewhere::Helpers::new("/nonexistent/milepost".into(), vec![], 2);
    assert_eq!(pdfs_of(Some(&missing), "helper-missing"), here);
}
