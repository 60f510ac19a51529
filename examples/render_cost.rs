//! What laying out a pack and its tracker appendix costs, per template and per page: Typst's
//! compile (layout) and export (writing the PDF), from records already extracted. For choosing
//! the appendix's layout (issue 28); not a test.
//!
//!   milepost extract big.pdf -o /tmp/r.jsonl
//!   cargo run --release --example render_cost -- /tmp/r.jsonl [templates-dir] [repeat] [only]
//!
//! Prints, for `report.typ` and `appendix.typ` (and any other `*.typ` in the templates folder
//! whose name starts with `appendix`), the median compile and export seconds and the pages.
use std::path::Path;
use std::time::Duration;

use milepost::record::Record;
use milepost::report::{pack, pdf, plan, Period, PlanPeriod, ReportConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(records_path) = args.first() else {
        eprintln!("usage: render_cost RECORDS.jsonl [TEMPLATES_DIR] [REPEAT]");
        std::process::exit(2);
    };
    let dir = Path::new(args.get(1).map(String::as_str).unwrap_or("templates"));
    let repeat: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    // Only the templates whose file name contains this (for one template's peak memory).
    let only = args.get(3).cloned().unwrap_or_default();
    let text = std::fs::read_to_string(records_path).expect("records readable");
    let records: Vec<Record> = text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("a record")).collect();
    let cfg = ReportConfig::load(dir, None).unwrap_or_else(|e| panic!("{e:?}"));
    let plan = PlanPeriod { plan: "bench".into(), title: "Benchmark plan".into(), organisation: None, period: Period::NotStated, found: plan::Found::PlansFile };
    let pack = pack::build(&records, &plan, "Bench Council", &cfg.settings, ("1 January 2025", (2025, 1, 1)), None);
    let mut templates = vec![("report.typ".to_string(), cfg.template.clone()), ("appendix.typ".to_string(), cfg.appendix.clone())];
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut more: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                n.starts_with("appendix") && n.ends_with(".typ") && n != "appendix.typ"
            })
            .collect();
        more.sort();
        for p in more {
            templates.push((p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).expect("readable")));
        }
    }
    println!("{} records; medians of {repeat}", records.len());
    for (name, text) in templates.iter().filter(|(n, _)| n.contains(only.as_str())) {
        let t = pdf::Template { text, file: name };
        let mut runs: Vec<(Duration, Duration, usize, usize)> = (0..repeat)
            .map(|_| {
                let r = pdf::render(&t, &pack, None, (2025, 1, 1)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
                (r.timings.0, r.timings.1, r.pages, r.bytes.len())
            })
            .collect();
        runs.sort();
        let (c, e, pages, bytes) = runs[runs.len() / 2];
        println!(
            "{name:<28} compile {:6.3} s  export {:6.3} s  {pages:4} pages  {:5.1} ms/page  {:6} KB",
            c.as_secs_f64(),
            e.as_secs_f64(),
            1000.0 * (c + e).as_secs_f64() / pages.max(1) as f64,
            bytes / 1024
        );
    }
}
