//! Which plan and which period a document is: from its title, else its file name, else the
//! officer's `milepost-plans.toml` in the input folder (which, where it names the file, wins).
//!
//! In: a [`DocInfo`] (file name and the first text lines of page 1) and the [`PlanFile`]. Out: a
//! [`PlanPeriod`]: a short plan name that is the same for every period of one plan (it pairs
//! Q2 with Q3 for "changes since the last period" and names the pack's files), the plan's title
//! for the cover, and the [`Period`], which sorts in time.
//!
//! Not here: building the packs (`mod.rs`); reading the PDF (the title lines come from `rows`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::config::ConfigError;
use crate::period::{fin_years, find_in_text, MONTH_YEAR};
pub use crate::period::{slugify, Found, Period, PlanPeriod};

/// The name of the optional file, in the input folder, that says which plan and period each PDF
/// is.
pub const PLANS_FILE: &str = "milepost-plans.toml";

/// What the report needs to know about one input document besides its records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocInfo {
    /// The file's base name, as in `Record::source.file`.
    pub file: String,
    /// The first text lines of page 1 (`Extracted::title_lines`); empty when not known.
    pub title_lines: Vec<String>,
    /// For a workbook read back: the plan and period its Summary sheet states, which come
    /// before anything read from a title or file name.
    pub stated: Option<crate::period::Stated>,
}

/// One entry of `milepost-plans.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEntry {
    /// Short plan name.
    pub plan: Option<String>,
    /// The period.
    pub period: Option<Period>,
    /// The plan's title for the cover.
    pub title: Option<String>,
}

/// The officer's `milepost-plans.toml`: plan and period by file name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanFile {
    /// Entries by PDF file name.
    pub entries: BTreeMap<String, PlanEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    plan: Option<Spanned<String>>,
    period: Option<Spanned<String>>,
    title: Option<String>,
}

impl PlanFile {
    /// Reads `milepost-plans.toml` from the input folder; no file is no entries.
    pub fn load(input_dir: &Path) -> Result<PlanFile, Vec<ConfigError>> {
        let path = input_dir.join(PLANS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => PlanFile::parse(&path.display().to_string(), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(PlanFile::default()),
            Err(e) => Err(vec![ConfigError { file: path.display().to_string(), line: None, message: format!("could not be read ({e})") }]),
        }
    }

    /// Parses the file's text; `file` is how messages name it.
    pub fn parse(file: &str, text: &str) -> Result<PlanFile, Vec<ConfigError>> {
        use super::settings::line_of;
        let raw: BTreeMap<String, RawEntry> =
            toml::from_str(text).map_err(|e| vec![ConfigError { file: file.into(), line: e.span().map(|s| line_of(text, s.start)), message: e.message().trim().to_string() }])?;
        let mut errors = Vec::new();
        let mut entries = BTreeMap::new();
        for (name, r) in raw {
            let period = match &r.period {
                Some(p) => match Period::parse(p.get_ref()) {
                    Some(x) => Some(x),
                    None => {
                        errors.push(ConfigError {
                            file: file.into(),
                            line: Some(line_of(text, p.span().start)),
                            message: format!("\"{}\" is not a period milepost can read; write e.g. \"Q3 2024/25\", \"September 2023\", \"2023/24\" or \"2021\"", p.get_ref()),
                        });
                        None
                    }
                },
                None => None,
            };
            let plan = match &r.plan {
                Some(p) if slugify(p.get_ref()).is_empty() => {
                    errors.push(ConfigError { file: file.into(), line: Some(line_of(text, p.span().start)), message: "the plan name needs at least one letter or digit".into() });
                    None
                }
                Some(p) => Some(slugify(p.get_ref())),
                None => None,
            };
            entries.insert(name, PlanEntry { plan, period, title: r.title });
        }
        if errors.is_empty() {
            Ok(PlanFile { entries })
        } else {
            Err(errors)
        }
    }
}

/// The lines of the title that come before the table: the column headings ("Ref", or "Ref Theme
/// Milestone Lead Due date RAG") end it, so that a date in the first row is not read as the
/// period.
fn title_text(lines: &[String]) -> Vec<&str> {
    const HEADINGS: [&str; 14] =
        ["ref", "theme", "outcome", "outcomes", "activity", "milestone", "priority", "action", "objective", "status", "rag", "target", "rationale", "update"];
    let is_heading_row = |l: &str| {
        let words: Vec<String> = l.split_whitespace().map(|w| w.to_lowercase()).collect();
        let hits = words.iter().filter(|w| HEADINGS.contains(&w.as_str())).count();
        hits >= 2 || (words.len() == 1 && hits == 1)
    };
    lines.iter().map(|l| l.trim()).take_while(|l| !is_heading_row(l)).take(4).collect()
}

/// Removes period wording from a title line: what is left is the plan's name.
fn strip_period(line: &str) -> String {
    static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^)]*\b20\d\d\)").expect("valid regex"));
    static QWORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:quarter|qtr|q)\s*[1-4]\b(?:\s+progress)?").expect("valid regex"));
    static HWORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:mid[\s\-]?year|half[\s\-]?year(?:ly)?|year[\s\-]end|h[12])\b").expect("valid regex"));
    // "Appendix 1 – Year Ahead Plan Milestone Tracker": the appendix number belongs to the
    // Cabinet paper the tracker came with, not to the plan.
    static APPENDIX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s*(?:appendix|annex|schedule)\s+[a-z0-9]{1,3}\s*[–—:\-]\s*").expect("valid regex"));
    // What the period's removal leaves behind: "( )", "Report , Year End", "Progress at".
    static EMPTY_PARENS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(\s*\)").expect("valid regex"));
    static TRAILING_WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?:\s+[–—-]\s+progress(?:\s+(?:at|for|in|to))?|\s+progress\s+(?:at|for|in|to)|\s+(?:at|for|of|in|to))$").expect("valid regex"));
    let line = APPENDIX.replace(line, "");
    let mut s = PAREN.replace_all(&line, "").into_owned();
    s = QWORD.replace_all(&s, "").into_owned();
    s = HWORD.replace_all(&s, "").into_owned();
    for (_, r) in fin_years(&s).into_iter().rev() {
        s.replace_range(r, "");
    }
    s = MONTH_YEAR.replace_all(&s, "").into_owned();
    s = EMPTY_PARENS.replace_all(&s, "").into_owned();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ,", ",").replace(" )", ")").replace("( ", "(").replace(" :", ":");
    let s = s.trim_matches(|c: char| c.is_whitespace() || "–—-:,".contains(c));
    TRAILING_WORD.replace(s, "").trim_matches(|c: char| c.is_whitespace() || "–—-:,".contains(c)).to_string()
}

/// The file name without its extension.
fn stem(file: &str) -> &str {
    file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file)
}

/// Works out a document's plan and period, or says what the officer should add.
pub fn identify(doc: &DocInfo, plans: &PlanFile) -> PlanPeriod {
    let entry = plans.entries.get(&doc.file);
    let title = title_text(&doc.title_lines);
    let joined = title.join(" ");
    let stem_text = stem(&doc.file).replace(['-', '_', '.'], " ");
    let stated = doc.stated.clone().unwrap_or_default();
    let stated_period = stated.period.as_deref().and_then(Period::parse);
    let (period, found) = match (entry.and_then(|e| e.period), stated_period) {
        (Some(p), _) => (p, Found::PlansFile),
        (None, Some(p)) => (p, Found::Workbook),
        (None, None) => match find_in_text(&joined) {
            Some(p) => (p, Found::Title),
            None => match find_in_text(&stem_text) {
                Some(p) => (p, Found::FileName),
                None => (Period::NotStated, Found::Nowhere),
            },
        },
    };
    // The plan's short name: the file name without its quarter ("northdale-2024-q3-tracker" →
    // "northdale-2024-tracker"), so that every quarter of a plan shares it.
    let plan = match entry.and_then(|e| e.plan.clone()).or(stated.plan_id.clone()) {
        Some(p) => p,
        None => {
            static Q_TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|[-_ .])(?:quarter|qtr|q)[-_ ]?[1-4](?:$|[-_ .])").expect("valid regex"));
            let s = stem(&doc.file);
            let s = Q_TOKEN.replace_all(s, "-");
            let p = slugify(&s);
            if p.is_empty() {
                "plan".to_string()
            } else {
                p
            }
        }
    };
    const PLAN_WORDS: [&str; 8] = ["plan", "tracker", "strategy", "programme", "delivery", "milestone", "appendix", "report"];
    let from_title = title.iter().position(|l| PLAN_WORDS.iter().any(|w| l.to_lowercase().contains(w))).and_then(|i| {
        // A title that starts on the line naming the council: "Rotherham … Council Corporate
        // Peer" / "Challenge Action Plan" is the "Corporate Peer Challenge Action Plan".
        let before = i.checked_sub(1).and_then(|j| title[j].split_once("Council")).map(|(_, rest)| rest.trim()).filter(|r| !r.is_empty() && !r.starts_with(['–', '-']));
        let line = match before {
            Some(b) => format!("{b} {}", title[i]),
            None => title[i].to_string(),
        };
        // "Westshire Council – Delivery Plan 2023-24 Q4": the council is named on the cover
        // already, so the plan is what follows the dash.
        let line = match line.split_once("Council") {
            Some((_, rest)) if rest.trim_start().starts_with(['–', '—', '-', ':']) => {
                rest.trim_start()[rest.trim_start().chars().next().map_or(0, char::len_utf8)..].trim().to_string()
            }
            _ => line,
        };
        Some(strip_period(&line)).filter(|t| !t.is_empty())
    });
    let title_name = entry.and_then(|e| e.title.clone()).or(stated.title.clone()).or(from_title).unwrap_or_else(|| {
        let s = stem(&doc.file).replace(['-', '_'], " ");
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    });
    let organisation = stated.organisation.clone().or_else(|| {
        title.iter().find_map(|l| {
            let i = l.find("Council")?;
            Some(l[..i + "Council".len()].trim_matches(|c: char| c.is_whitespace() || c == '–').to_string())
        })
    });
    PlanPeriod { plan, title: title_name, organisation, period, found }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(file: &str, lines: &[&str]) -> DocInfo {
        DocInfo { file: file.into(), title_lines: lines.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn northdale_quarters_share_a_plan() {
        let q2 = identify(
            &doc("northdale-2024-q2-tracker.pdf", &["Northdale Borough Council", "Corporate Plan 2024–28: Delivery Tracker 2024/25 – Quarter 2 (July – September 2024)", "Ref"]),
            &PlanFile::default(),
        );
        let q3 = identify(
            &doc(
                "northdale-2024-q3-tracker.pdf",
                &[
                    "Northdale Borough Council",
                    "Corporate Plan 2024–28: Delivery Tracker 2024/25 – Quarter 3 (October – December 2024)",
                    "RAG key: Blue = complete; Green = on track",
                    "Ref Theme Milestone Lead Due date RAG Progress update",
                    "1.01 Resilient Deliver … End of December Q4 2025/26",
                ],
            ),
            &PlanFile::default(),
        );
        assert_eq!(q2.plan, "northdale-2024-tracker");
        assert_eq!(q2.plan, q3.plan);
        assert_eq!(q3.period.label(), "Q3 2024/25");
        assert_eq!(q3.found, Found::Title);
        assert!(q2.period.end_month() < q3.period.end_month());
        assert_eq!(q3.title, "Corporate Plan 2024–28: Delivery Tracker");
        assert_eq!(q3.organisation.as_deref(), Some("Northdale Borough Council"));
        assert_eq!(q3.pack_name(), "northdale-2024-tracker-q3-2024-25");
    }

    #[test]
    fn other_title_styles() {
        let w = identify(&doc("westshire.pdf", &["Westshire Council – Delivery Plan 2023-24 Q4", "OFFICIAL"]), &PlanFile::default());
        assert_eq!(w.period.label(), "Q4 2023/24");
        assert_eq!(w.title, "Delivery Plan");
        let p = identify(&doc("peer.pdf", &["Rotherham Metropolitan Borough Council Corporate Peer", "Challenge Action Plan", "September 2023"]), &PlanFile::default());
        assert_eq!(p.period.label(), "September 2023");
        assert_eq!(p.title, "Corporate Peer Challenge Action Plan");
        let r = identify(&doc("rotherham-2021-tracker.pdf", &["Appendix 1 – Year Ahead Plan Milestone Tracker", "THRIVING NEIGHBOURHOODS", "Outcomes"]), &PlanFile::default());
        assert_eq!((r.period, r.found), (Period::Year(2021), Found::FileName));
        assert_eq!(r.pack_name(), "rotherham-2021-tracker");
        assert_eq!(r.title, "Year Ahead Plan Milestone Tracker");
        assert_eq!(Period::parse("2023/24"), Some(Period::FinancialYear { fy_start: 2023 }));
        assert_eq!(Period::parse("Q1 2025-26"), Some(Period::Quarter { fy_start: 2025, quarter: 1 }));
    }

    #[test]
    fn a_meeting_date_is_not_the_period() {
        let lines = ["Council Plan 2025/26 – Delivery Tracker, Mid-Year", "Report to Cabinet, 12 May 2026"];
        let m = identify(&doc("synth.pdf", &lines), &PlanFile::default());
        assert_eq!(m.period, Period::Half { fy_start: 2025, half: 1 });
        assert_eq!(m.period.label(), "Mid-year 2025/26");
        assert_eq!(m.title, "Council Plan – Delivery Tracker");
        let y = identify(&doc("synth.pdf", &["Council Plan Milestones – Progress at Year End 2024/25", "Report to Executive, 3rd June 2025"]), &PlanFile::default());
        assert_eq!(y.period, Period::FinancialYear { fy_start: 2024 });
        assert_eq!(y.title, "Council Plan Milestones");
        // With nothing else, the date's month is the period; a plan's span is not a date.
        let d = identify(&doc("x.pdf", &["Action Plan", "Report to Cabinet, 12 May 2026"]), &PlanFile::default());
        assert_eq!(d.period, Period::Month { year: 2026, month: 5 });
        let s = identify(&doc("x.pdf", &["Council Plan 2024-2028 September 2024"]), &PlanFile::default());
        assert_eq!(s.period, Period::Month { year: 2024, month: 9 });
        assert!(Period::Half { fy_start: 2025, half: 1 }.end_month() < Period::Quarter { fy_start: 2025, quarter: 3 }.end_month());
    }

    #[test]
    fn a_date_in_the_first_row_is_not_the_period() {
        let e = identify(&doc("tracker.pdf", &["Milestone tracker", "Ref", "1.1", "Open the library by 31/03/2025"]), &PlanFile::default());
        assert_eq!((e.period, e.found), (Period::NotStated, Found::Nowhere));
        let e = identify(&doc("tracker.pdf", &["Outcomes Activity Target date for Status Rationale for status", "Open the library Q3 2024/25"]), &PlanFile::default());
        assert_eq!(e.period, Period::NotStated);
        assert_eq!(e.pack_name(), "tracker-period-not-stated");
    }

    #[test]
    fn plans_file_wins_and_reports_its_mistakes_by_line() {
        let text = "[\"large-tracker-600.pdf\"]\nplan = \"Delivery Plan\"\nperiod = \"Q3 2024/25\"\n[\"x.pdf\"]\nperiod = \"Spring\"\n";
        let errs = PlanFile::parse("inputs/milepost-plans.toml", text).unwrap_err();
        assert_eq!(errs[0].line, Some(5));
        let plans = PlanFile::parse("p", &text[..text.find("[\"x").unwrap()]).unwrap();
        let pp = identify(&doc("large-tracker-600.pdf", &["Appendix 1 – Delivery Plan Milestone Tracker (generated, 600 rows)"]), &plans);
        assert_eq!(pp.plan, "delivery-plan");
        assert_eq!(pp.found, Found::PlansFile);
        assert_eq!(pp.period.label(), "Q3 2024/25");
    }
}
