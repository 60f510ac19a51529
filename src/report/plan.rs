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
    pub stated: Option<crate::workbook::Stated>,
}

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A quarter of a UK financial year (April to March): `fy_start` 2024, `quarter` 3 is
    /// Q3 2024/25, October to December 2024.
    Quarter {
        /// Calendar year in which the financial year starts.
        fy_start: u16,
        /// 1 to 4.
        quarter: u8,
    },
    /// A calendar month.
    Month {
        /// Calendar year.
        year: u16,
        /// 1 to 12.
        month: u8,
    },
    /// Half of a financial year: `half` 1 is April to September ("Mid-year 2025/26"), 2 is
    /// October to March.
    Half {
        /// Calendar year in which the financial year starts.
        fy_start: u16,
        /// 1 or 2.
        half: u8,
    },
    /// A whole financial year: `fy_start` 2023 is 2023/24.
    FinancialYear {
        /// Calendar year in which it starts.
        fy_start: u16,
    },
    /// A calendar year.
    Year(u16),
    /// Neither the title, the file name nor the plans file says (the pack is still made).
    NotStated,
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

impl Period {
    /// As officers write it: "Q3 2024/25", "September 2023", "2023/24", "2021".
    pub fn label(&self) -> String {
        match *self {
            Period::Quarter { fy_start, quarter } => format!("Q{quarter} {fy_start}/{:02}", (fy_start + 1) % 100),
            Period::Month { year, month } => format!("{} {year}", MONTHS[usize::from(month - 1)]),
            Period::Half { fy_start, half: 1 } => format!("Mid-year {fy_start}/{:02}", (fy_start + 1) % 100),
            Period::Half { fy_start, .. } => format!("H2 {fy_start}/{:02}", (fy_start + 1) % 100),
            Period::FinancialYear { fy_start } => format!("{fy_start}/{:02}", (fy_start + 1) % 100),
            Period::Year(y) => y.to_string(),
            Period::NotStated => "Period not stated".to_string(),
        }
    }

    /// For file names: "q3-2024-25", "september-2023", "2023-24", "2021".
    pub fn slug(&self) -> String {
        self.label().to_lowercase().replace(['/', ' '], "-")
    }

    /// Months since year 0 of the period's last month: later periods sort higher.
    pub fn end_month(&self) -> u32 {
        let (y, m) = match *self {
            Period::Quarter { fy_start, quarter } => {
                let m = 3 + 3 * u32::from(quarter); // Q1 ends in June (6), Q4 in March (15 → next year)
                if m > 12 {
                    (u32::from(fy_start) + 1, m - 12)
                } else {
                    (u32::from(fy_start), m)
                }
            }
            Period::Month { year, month } => (u32::from(year), u32::from(month)),
            Period::Half { fy_start, half: 1 } => (u32::from(fy_start), 9),
            Period::Half { fy_start, .. } | Period::FinancialYear { fy_start } => (u32::from(fy_start) + 1, 3),
            Period::Year(y) => (u32::from(y), 12),
            // Never earlier or later than another period: packs compare only dated periods.
            Period::NotStated => return 0,
        };
        y * 12 + m
    }

    /// Reads a period written by an officer (`milepost-plans.toml`): "Q3 2024/25",
    /// "Quarter 3 2024-25", "Mid-year 2024/25", "September 2023", "2023/24", "2021".
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let p = find_in_text(t)?;
        Some(p)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// How the plan and period were found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// From the document's title.
    Title,
    /// From the file name.
    FileName,
    /// From `milepost-plans.toml`.
    PlansFile,
    /// From the Summary sheet of a workbook read back.
    Workbook,
    /// A period stored in `history.sqlite` by an earlier run.
    History,
    /// Nowhere: the period is [`Period::NotStated`].
    Nowhere,
}

/// A document's plan and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPeriod {
    /// Short name, the same for every period of the plan (`northdale-2024-tracker`).
    pub plan: String,
    /// The plan's title for the cover ("Corporate Plan 2024–28: Delivery Tracker").
    pub title: String,
    /// The organisation printed on the document, where found ("Northdale Borough Council").
    pub organisation: Option<String>,
    /// The period.
    pub period: Period,
    /// Where the period came from.
    pub found: Found,
}

impl PlanPeriod {
    /// The pack's file name without extension: plan and period, the period left out where the
    /// plan's name already holds it (`rotherham-2021-tracker`).
    pub fn pack_name(&self) -> String {
        let slug = self.period.slug();
        if self.plan.split('-').collect::<Vec<_>>().windows(slug.split('-').count()).any(|w| w.join("-") == slug) {
            self.plan.clone()
        } else {
            format!("{}-{slug}", self.plan)
        }
    }
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

/// Lower case, letters and digits, runs of anything else as one `-`.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

static QUARTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:quarter|qtr|q)\s*([1-4])\b").expect("valid regex"));
// 2024/25, 2024-25, 2024–25, 2024/2025; checked below that the second year follows the first,
// so a plan's span ("Corporate Plan 2024–28") is not taken for a financial year.
static FIN_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(20\d\d)\s*[/\-–—_]\s*(\d\d(?:\d\d)?)\b").expect("valid regex"));
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-_]+(20\d\d)\b").expect("valid regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(20\d\d)\b").expect("valid regex"));
// "Mid-Year", "Half Year", "Six Monthly", "H1": the first half of a financial year; "H2" the second.
static HALF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:mid[\s\-]?year|half[\s\-]?year(?:ly)?|six[\s\-]?month(?:ly)?|h([12]))\b").expect("valid regex"));

/// The months named with a year in `text` that are periods, not dates: "September 2023" is a
/// period, "Report to Cabinet, 12 May 2026" is the date of a meeting.
fn period_months(text: &str) -> impl Iterator<Item = regex::Captures<'_>> {
    MONTH_YEAR.captures_iter(text).filter(move |c| {
        static DAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|[^\d/.\-])\d{1,2}(?:st|nd|rd|th)?\s*$").expect("valid regex"));
        !DAY_BEFORE.is_match(&text[..c.get(0).expect("group 0").start()])
    })
}

fn fin_years(text: &str) -> Vec<(u16, std::ops::Range<usize>)> {
    FIN_YEAR
        .captures_iter(text)
        .filter_map(|c| {
            let a: u16 = c[1].parse().ok()?;
            let b: u16 = c[2].parse().ok()?;
            let follows = if c[2].len() == 2 { (a + 1) % 100 == b } else { a + 1 == b };
            follows.then(|| (a, c.get(0).expect("group 0").range()))
        })
        .collect()
}

fn month_index(name: &str) -> Option<u8> {
    let n = name.to_lowercase();
    MONTHS.iter().position(|m| m.to_lowercase().starts_with(&n[..3.min(n.len())])).map(|i| i as u8 + 1)
}

/// Finds a period in free text (a title, a file name with `-` and `_` read as spaces).
fn find_in_text(text: &str) -> Option<Period> {
    let fys = fin_years(text);
    if let Some(q) = QUARTER.captures(text) {
        let quarter: u8 = q[1].parse().ok()?;
        if let Some((fy, _)) = fys.first() {
            return Some(Period::Quarter { fy_start: *fy, quarter });
        }
        // "Quarter 3 (October – December 2024)" or "2024-q3": a calendar year with the quarter.
        // A lone year is read as the year the financial year starts, except that Q4 falls in
        // January to March, after the year turns.
        if let Some(m) = period_months(text).next() {
            let year: u16 = m[2].parse().ok()?;
            return Some(Period::Quarter { fy_start: if quarter == 4 { year - 1 } else { year }, quarter });
        }
        if let Some(y) = YEAR.captures(text) {
            let year: u16 = y[1].parse().ok()?;
            return Some(Period::Quarter { fy_start: year, quarter });
        }
    }
    if let (Some(h), Some((fy, _))) = (HALF.captures(text), fys.first()) {
        return Some(Period::Half { fy_start: *fy, half: h.get(1).map_or(1, |g| if g.as_str() == "2" { 2 } else { 1 }) });
    }
    if let Some(m) = period_months(text).next() {
        return Some(Period::Month { year: m[2].parse().ok()?, month: month_index(&m[1])? });
    }
    if let Some((fy, _)) = fys.first() {
        return Some(Period::FinancialYear { fy_start: *fy });
    }
    // A year alone, but not the start of a span ("2024–28") or of a date ("2024-03-31").
    for c in YEAR.captures_iter(text) {
        let end = c.get(0).expect("group 0").end();
        let rest = &text[end..];
        let span_follows = rest.trim_start().starts_with(['-', '–', '—', '/']) && rest.trim_start().chars().nth(1).is_some_and(|ch| ch.is_ascii_digit() || ch == ' ');
        if !span_follows && !dated_year(text, &c) {
            return c[1].parse().ok().map(Period::Year);
        }
    }
    // Only a date ("Report to Cabinet, 12 May 2026"): its month is the best guess left.
    if let Some(m) = MONTH_YEAR.captures(text) {
        return Some(Period::Month { year: m[2].parse().ok()?, month: month_index(&m[1])? });
    }
    None
}

/// Whether the year `c` ends a date with a month ("12 May 2026"), which the month reading covers.
fn dated_year(text: &str, c: &regex::Captures<'_>) -> bool {
    MONTH_YEAR.captures_iter(text).any(|m| m.get(2).map(|g| g.range()) == c.get(1).map(|g| g.range()))
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
