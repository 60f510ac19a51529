//! Which plan and which period: the shared idea of a reporting period ("Q3 2024/25",
//! "September 2023", "2023/24"), read from free text, and a document's plan and period.
//!
//! Below the stages that use it: the report names its packs and pairs quarters by it, the
//! history stores it, the workbook reader checks the period its Summary sheet states. Working
//! out which plan and period a document is (from its title, file name or the officer's plans
//! file) is the report's (`report::plan`).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

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

/// Lower case, letters and digits, runs of anything else as one `-`.
pub fn slugify(s: &str) -> String {
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
/// A month and a year ("March 2025", "Mar-2025").
pub static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-_]+(20\d\d)\b").expect("valid regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(20\d\d)\b").expect("valid regex"));
// "Mid-Year", "Half Year", "Six Monthly", "H1": the first half of a financial year; "H2" the second.
static HALF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:mid[\s\-]?year|half[\s\-]?year(?:ly)?|six[\s\-]?month(?:ly)?|h([12]))\b").expect("valid regex"));

/// The months named with a year in `text` that are periods, not dates: "September 2023" is a
/// period, "Report to Cabinet, 12 May 2026" is the date of a meeting.
pub(crate) fn period_months(text: &str) -> impl Iterator<Item = regex::Captures<'_>> {
    MONTH_YEAR.captures_iter(text).filter(move |c| {
        static DAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:^|[^\d/.\-])\d{1,2}(?:st|nd|rd|th)?\s*$").expect("valid regex"));
        !DAY_BEFORE.is_match(&text[..c.get(0).expect("group 0").start()])
    })
}

/// Every financial year named in a text ("2024/25", "2024-2025"), with where it stands.
pub fn fin_years(text: &str) -> Vec<(u16, std::ops::Range<usize>)> {
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

pub(crate) fn month_index(name: &str) -> Option<u8> {
    let n = name.to_lowercase();
    MONTHS.iter().position(|m| m.to_lowercase().starts_with(&n[..3.min(n.len())])).map(|i| i as u8 + 1)
}

/// Finds a period in free text (a title, a file name with `-` and `_` read as spaces).
pub fn find_in_text(text: &str) -> Option<Period> {
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
pub(crate) fn dated_year(text: &str, c: &regex::Captures<'_>) -> bool {
    MONTH_YEAR.captures_iter(text).any(|m| m.get(2).map(|g| g.range()) == c.get(1).map(|g| g.range()))
}

/// What a workbook says about itself on its Summary sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stated {
    /// The plan's short name (`Plan ID`), where the workbook has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<String>,
    /// The plan's title (`Plan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The period as the officer wrote it (`Period`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// `Organisation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}
