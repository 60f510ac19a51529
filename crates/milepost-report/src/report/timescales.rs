//! An action plan's first report: what is due by when, relative to the report date, overall and
//! per recommendation (for a document with no statuses to report).
//!
//! In: the records and the report date. Out: [`Timescales`]: counts per bucket (due by the report
//! date, due in the next quarter, later, ongoing, no date), a sentence for the headline, and per
//! recommendation the counts with the earliest and latest date.

use serde::Serialize;

use super::pack::date_text;
use super::summary;
use crate::record::{PartialDate, Record};

/// The buckets, in order.
pub const BUCKETS: [&str; 5] = ["Due by the report date", "Due in the next three months", "Due later", "Ongoing", "No date"];

/// The buckets' short names, for table headings.
pub const SHORT: [&str; 5] = ["By report date", "Next 3 months", "Later", "Ongoing", "No date"];

/// One recommendation's (or theme's) timescales.
#[derive(Debug, Clone, Serialize)]
pub struct SectionTimescales {
    /// Its name.
    pub name: String,
    /// Its label in the chart: the name, shortened at a word past 40 characters (the table
    /// above the chart gives it in full).
    pub label: String,
    /// Actions per bucket, in [`BUCKETS`] order.
    pub counts: Vec<usize>,
    /// Actions in all.
    pub total: usize,
    /// Its earliest and latest due date ("Mar 2024"), or empty.
    pub earliest: String,
    /// See `earliest`.
    pub latest: String,
}

/// The timescale summary of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct Timescales {
    /// The bucket names.
    pub buckets: Vec<String>,
    /// Their short names.
    pub short: Vec<String>,
    /// Actions per bucket.
    pub counts: Vec<usize>,
    /// "Of 23 actions, 5 are due by 2 December 2026, …".
    pub sentence: String,
    /// Per recommendation.
    pub sections: Vec<SectionTimescales>,
    /// The chart's text description, for readers who cannot see it.
    pub chart_alt: String,
}

/// Which bucket a record falls in: months are compared by their last day.
fn bucket(r: &Record, today: (i32, u8, u8)) -> usize {
    let Some(d) = r.target.revised_due.or(r.target.due) else {
        return if r.target.ongoing { 3 } else { 4 };
    };
    let (ty, tm, td) = today;
    let due = (i32::from(d.year), d.month, d.day.unwrap_or(31));
    let months_ahead = (i32::from(d.year) - ty) * 12 + i32::from(d.month) - i32::from(tm);
    if due <= (ty, tm, td) {
        0
    } else if months_ahead <= 3 {
        1
    } else {
        2
    }
}

fn key(d: &PartialDate) -> (u16, u8, u8) {
    (d.year, d.month, d.day.unwrap_or(0))
}

/// The timescales of `records`, as of `today` (year, month, day); `today_text` is how the report
/// names the date.
pub fn of(records: &[Record], today: (i32, u8, u8), today_text: &str) -> Timescales {
    let mut counts = vec![0usize; BUCKETS.len()];
    for r in records {
        counts[bucket(r, today)] += 1;
    }
    let mut sections: Vec<SectionTimescales> = Vec::new();
    // Each section's earliest and latest date, beside it.
    let mut spans: Vec<Option<(PartialDate, PartialDate)>> = Vec::new();
    let use_group = summary::groups_by_group(records);
    for r in records {
        let name = summary::section_of(r, use_group);
        let i = match sections.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                sections.push(SectionTimescales {
                    label: super::pack::chart_label(&name),
                    name,
                    counts: vec![0; BUCKETS.len()],
                    total: 0,
                    earliest: String::new(),
                    latest: String::new(),
                });
                spans.push(None);
                sections.len() - 1
            }
        };
        sections[i].counts[bucket(r, today)] += 1;
        sections[i].total += 1;
        if let Some(d) = r.target.revised_due.or(r.target.due) {
            spans[i] = Some(match spans[i] {
                Some((a, b)) => (if key(&d) < key(&a) { d } else { a }, if key(&d) > key(&b) { d } else { b }),
                None => (d, d),
            });
        }
    }
    for (s, span) in sections.iter_mut().zip(&spans) {
        if let Some((a, b)) = span {
            s.earliest = date_text(a);
            s.latest = date_text(b);
        }
    }
    let n = records.len();
    let parts: Vec<String> = [
        (counts[0], format!("due by {today_text}")),
        (counts[1], "due in the next three months".to_string()),
        (counts[2], "due later".to_string()),
        (counts[3], "ongoing".to_string()),
        (counts[4], "with no date".to_string()),
    ]
    .into_iter()
    .filter(|(c, _)| *c > 0)
    .map(|(c, what)| format!("{c} {what}"))
    .collect();
    let sentence = format!("Of {n} action{}: {}.", if n == 1 { "" } else { "s" }, parts.join(", "));
    let chart_alt = format!(
        "Bar chart of when each {}'s actions are due, as of {today_text}. {}",
        summary::section_word(records).to_lowercase(),
        sections
            .iter()
            .map(|s| {
                let parts: Vec<String> = s.counts.iter().zip(SHORT).filter(|(c, _)| **c > 0).map(|(c, b)| format!("{c} {}", b.to_lowercase())).collect();
                format!("{}: {}.", s.label, parts.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" ")
    );
    Timescales { buckets: BUCKETS.iter().map(|b| b.to_string()).collect(), short: SHORT.iter().map(|b| b.to_string()).collect(), counts, sentence, sections, chart_alt }
}
