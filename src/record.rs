//! The record: one extracted row, in the shape of `../shared/docs/records.md`.
//!
//! These types are what `normalise` produces and what `output` and `report` consume. Field
//! names are the records.md names, from the code to the spreadsheet column.
//!
//! Not here: how records are found (`rows`) or normalised (`normalise`).

use serde::{Deserialize, Serialize};

pub use crate::normalise::dates::{PartialDate, Target};

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
