//! The record: one extracted row, in the shape of `../shared/docs/records.md`.
//!
//! These types are what `normalise` produces and what `output` and `report` consume. Field
//! names are the records.md names, from the code to the spreadsheet column.
//!
//! The dates in it ([`PartialDate`], [`Target`]) are defined here, below the stage that reads
//! them from text (`normalise::dates`).
//!
//! Not here: how records are found (`rows`) or normalised (`normalise`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The input file's base name.
    pub file: String,
    /// 1-based page where the row starts.
    pub page: u32,
    /// Its box on that page, in points, origin top-left: `[x0, y0, x1, y1]`.
    pub bbox: Option<[f32; 4]>,
    /// For a row read back from a workbook: the sheet, `page` then being the sheet's row number
    /// ("Tracker, row 14").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl Source {
    /// Where the row is, in words: "page 3", or "Tracker, row 14".
    pub fn place(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{s}, row {}", self.page),
            None => format!("page {}", self.page),
        }
    }
}

/// A tracker row (`milestone`) or an action-plan action (`action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A row of a milestone tracker.
    Milestone,
    /// An action of an action plan.
    Action,
}

/// The canonical status scale (records.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusValue {
    /// Done.
    Complete,
    /// Will be met.
    OnTrack,
    /// Slipping but recoverable.
    Behind,
    /// Will not be met as planned.
    OffTrack,
    /// Not begun or not yet due.
    NotStarted,
    /// No longer being pursued.
    Cancelled,
    /// No status, or not recognised.
    Unknown,
}

impl StatusValue {
    /// Every value, in report order.
    pub const ALL: [StatusValue; 7] =
        [StatusValue::Complete, StatusValue::OnTrack, StatusValue::Behind, StatusValue::OffTrack, StatusValue::NotStarted, StatusValue::Cancelled, StatusValue::Unknown];
    /// The machine name, as in records.md (`on_track`).
    pub fn key(&self) -> &'static str {
        match self {
            StatusValue::Complete => "complete",
            StatusValue::OnTrack => "on_track",
            StatusValue::Behind => "behind",
            StatusValue::OffTrack => "off_track",
            StatusValue::NotStarted => "not_started",
            StatusValue::Cancelled => "cancelled",
            StatusValue::Unknown => "unknown",
        }
    }
    /// Parses the machine name.
    pub fn from_key(s: &str) -> Option<StatusValue> {
        StatusValue::ALL.iter().copied().find(|v| v.key() == s)
    }
}

/// The status cell, read and normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The cell as printed.
    pub text: Option<String>,
    /// The canonical value.
    pub value: StatusValue,
    /// The cell's fill (or text) colour as `#RRGGBB`.
    pub colour: Option<String>,
}

/// One extracted row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Where it came from.
    pub source: Source,
    /// Tracker row or action.
    pub kind: Kind,
    /// The section it sits under, title case.
    pub theme: Option<String>,
    /// The outcome / objective (often a merged cell).
    pub outcome: Option<String>,
    /// The grouping row above it, or the recommendation of an action plan.
    pub group: Option<String>,
    /// The milestone or action itself.
    pub activity: String,
    /// The target date, parsed.
    pub target: Target,
    /// The status, normalised.
    pub status: Status,
    /// The commentary.
    pub rationale: Option<String>,
    /// Doubts about this row, e.g. `status_unrecognised: 'Amber/Green'`.
    pub flags: Vec<String>,
    /// The row's reference number, where the table has one (`1.4.3`).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For an action split from a cell of bullet sub-items: the cell's lead-in sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The lead officer or owner, where the table has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Columns no role fits, by their heading as printed ("Measure", "Shared Outcome", "Budget
    /// (£k)"): kept, never dropped.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, String>,
}

impl Record {
    /// The other columns in one line: "Measure: 200 homes; Budget (£k): 120".
    pub fn extra_text(&self) -> Option<String> {
        (!self.extra.is_empty()).then(|| self.extra.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; "))
    }
}

/// A flag in plain words, for the officer checking the row.
pub fn explain_flag(flag: &str) -> String {
    let (kind, detail) = match flag.split_once(": ") {
        Some((k, d)) => (k, Some(d)),
        None => (flag, None),
    };
    let detail = detail.unwrap_or("");
    match kind {
        "status_unrecognised" => format!(
            "The status {detail} is not a wording milepost knows. Check the status, and add the wording to templates/status.toml under the right status."
        ),
        "status_not_stated" => format!(
            "The status cell is an update in words ({detail}) that names no status (complete, on track, delayed…). Check the row's status with its lead officer."
        ),
        "status_inferred" => format!(
            "The status wording is not listed in templates/status.toml; milepost read it from its words ({detail}). Check it, and add the wording under the right status to make it certain."
        ),
        "status_from_colour" => "The status cell has a colour but no words; the status was read from the colour. Check it against the PDF.".to_string(),
        "status_colour_disagrees" => format!("The status words and the cell colour disagree ({detail}). The words were used; check which is right."),
        "status_missing" => "The status cell is empty.".to_string(),
        "date_unparsed" => format!("The target date {detail} names no month that milepost can read, so it has no due date."),
        "no_activity" => "The row has no activity text; it may be a stray heading or part of another row.".to_string(),
        "activity_continues" => "The activity starts in lower case, so it is probably the end of the row above, read as a row of its own. Check the two rows against the PDF.".to_string(),
        _ => flag.to_string(),
    }
}

/// A date that may lack its day: "2021-08" or "2025-03-31".
///
/// Ordering is by year, then month, then day, with a month-only date sorting before any day in
/// that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Calendar year.
    pub year: u16,
    /// Month of the year, 1 to 12.
    pub month: u8,
    /// Day of the month, when the source gave one.
    pub day: Option<u8>,
}

impl PartialDate {
    /// A date known only to the month. The values are taken as given, not checked.
    pub fn month(year: u16, month: u8) -> Self {
        Self { year, month, day: None }
    }

    /// A date known to the day. The values are taken as given, not checked.
    pub fn day(year: u16, month: u8, day: u8) -> Self {
        Self { year, month, day: Some(day) }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)?;
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;

    /// Accepts exactly "YYYY-MM" or "YYYY-MM-DD" naming a real month or day.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a date as YYYY-MM or YYYY-MM-DD, found {s:?}");
        let b = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u16> {
            // Checked byte by byte because `parse` would also accept a sign.
            let part = b.get(range)?;
            part.iter().try_fold(0u16, |n, &c| c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0')))
        };
        if !(b.len() == 7 || b.len() == 10) || b[4] != b'-' {
            return Err(bad());
        }
        let year = digits(0..4).ok_or_else(bad)?;
        let month = digits(5..7).ok_or_else(bad)?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        let month = month as u8;
        if b.len() == 7 {
            return Ok(Self::month(year, month));
        }
        let day = digits(8..10).filter(|_| b[7] == b'-').ok_or_else(bad)?;
        if day == 0 || day > u16::from(days_in_month(year, month)) {
            return Err(bad());
        }
        Ok(Self::day(year, month, day as u8))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The target-date cell of a row, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The cell exactly as given.
    pub text: String,
    /// Start of the period, set only when the cell gives a range or a "from" date.
    pub start: Option<PartialDate>,
    /// The original due date: the end of a range, or the single date given.
    pub due: Option<PartialDate>,
    /// The due date after the latest revision the cell records.
    pub revised_due: Option<PartialDate>,
    /// Whether the cell says the work is ongoing, in any wording.
    pub ongoing: bool,
}

impl Target {
    /// True when the text names something but neither due, revised_due nor ongoing could be read.
    ///
    /// A cell with only a start ("From July 2021") counts as unparsed: it gives no date to report
    /// against.
    pub fn is_unparsed(&self) -> bool {
        let names_something = self.text.chars().any(char::is_alphanumeric);
        names_something && self.due.is_none() && self.revised_due.is_none() && !self.ongoing
    }
}

/// Days in a month of a year (the Gregorian leap years).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}
