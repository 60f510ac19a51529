//! The self-check: how well a document was probably read, from its records alone.
//!
//! In: a document's records. Out: a [`Quality`]: how many rows look doubtful and on which pages,
//! and, past [`WARN_SHARE`], a warning in plain words. A person checking a tracker notices the
//! same things: a row with no status where the table has a status column, a status wording
//! nobody listed, a row with no activity, a target cell holding more dates than one milestone
//! has (rows joined), a status cell holding two statuses, a table whose columns did not line up
//! with its header (`columns_uncertain`), an activity starting in lower case (the tail of the
//! row above, split off: `activity_continues`), an activity far longer than the others
//! and made of several sentences (rows joined).
//!
//! Not here: the row flags themselves (`normalise`, `rows`), which this only counts.

use serde::Serialize;

use crate::record::Record;

/// Past this share of the words in a document's tables left unread (tables of three or more
/// columns that were not read as a tracker, in a document that has one) it gets a warning too:
/// a table whose header was missed loses all its rows silently.
pub const UNREAD_WARN_SHARE: f32 = 0.10;
/// Past this share of doubtful rows the document gets a warning. Measured on the 160 synth
/// trackers (../shared/gold/synth): at 0.10, 65 of the 78 read with row F1 below 0.90 are
/// flagged and 2 of the 52 read at 0.98 or better.
pub const WARN_SHARE: f32 = 0.10;
/// Unknown status wordings named in the warning, at most.
const UNLISTED_SHOWN: usize = 5;
/// An activity this many times longer than the document's usual one, with several sentences,
/// looks like several rows joined.
const LONG_ACTIVITY_FACTOR: f32 = 2.5;
/// Sentences in an activity that looks joined.
const JOINED_SENTENCES: usize = 3;

/// Flags that say rows were joined almost surely (one milestone has one target and one status):
/// a row with one counts twice towards [`WARN_SHARE`]. Measured on 563 synth documents (default
/// seeds 1–300, other producers and wordings): this warned one more of the 4 read below 0.90
/// (two rows of 21 joined, each holding three dates) and none more of the 413 read at 0.98 or
/// better.
const JOINED_FLAGS: [&str; 2] = ["several_dates", "several_statuses"];

/// Flags that say a row may be misread (not just unusual wording in the PDF).
const DOUBT_FLAGS: [&str; 7] = ["status_missing", "status_unrecognised", "no_activity", "activity_continues", "several_dates", "several_statuses", "columns_uncertain"];

/// How well a document was read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Quality {
    /// Records assessed.
    pub rows: usize,
    /// Records that look misread.
    pub doubtful: usize,
    /// `doubtful / rows` (0 when there are no rows).
    pub doubtful_share: f32,
    /// Pages holding doubtful rows, in order.
    pub pages: Vec<u32>,
    /// Share of the words in the document's tables that were in tables not read.
    pub unread_share: f32,
    /// The warning for the officer, when the share passes [`WARN_SHARE`].
    pub warning: Option<String>,
}

/// Which of a document's records look misread (those the self-check counts), in order.
pub fn doubtful_rows(records: &[Record]) -> Vec<bool> {
    let mut lens: Vec<usize> = records.iter().map(|r| r.activity.len()).collect();
    lens.sort_unstable();
    let usual = lens.get(lens.len() / 2).copied().unwrap_or(0);
    records.iter().map(|r| doubtful(r, usual)).collect()
}

/// Whether a flag says the row may be misread (not just unusual wording in the PDF).
pub fn is_doubt_flag(flag: &str) -> bool {
    DOUBT_FLAGS.iter().any(|d| flag.starts_with(d))
}

/// Whether one record looks misread; `usual_len` is the document's median activity length.
fn doubtful(r: &Record, usual_len: usize) -> bool {
    if r.flags.iter().any(|f| DOUBT_FLAGS.iter().any(|d| f.starts_with(d))) {
        return true;
    }
    let sentences = r.activity.matches(". ").count() + usize::from(r.activity.ends_with('.'));
    r.activity.len() as f32 > LONG_ACTIVITY_FACTOR * usual_len as f32 && sentences >= JOINED_SENTENCES
}

/// What the rows stage saw of the tables it did not read: (words in tables, words in tables
/// not read, pages holding them).
#[derive(Debug, Clone, Default)]
pub struct TableCoverage {
    /// Words in the document's tables of three or more columns.
    pub table_words: usize,
    /// Of those, words in tables not read as trackers.
    pub unread_words: usize,
    /// Pages of the unread tables.
    pub unread_pages: Vec<u32>,
    /// The headings, as printed, of the columns read as the status column (to name in a warning
    /// about wordings no list holds).
    pub status_columns: Vec<String>,
}

/// Assesses a document's records and how much of its tables went unread.
pub fn assess(records: &[Record], coverage: &TableCoverage) -> Quality {
    if records.is_empty() {
        return Quality::default();
    }
    let mut lens: Vec<usize> = records.iter().map(|r| r.activity.len()).collect();
    lens.sort_unstable();
    let usual = lens[lens.len() / 2];
    let mut pages: Vec<u32> = Vec::new();
    let mut n = 0;
    for r in records.iter().filter(|r| doubtful(r, usual)) {
        n += 1;
        if !pages.contains(&r.source.page) {
            pages.push(r.source.page);
        }
    }
    pages.sort_unstable();
    let share = n as f32 / records.len() as f32;
    let joined = records.iter().filter(|r| r.flags.iter().any(|f| JOINED_FLAGS.iter().any(|j| f.starts_with(j)))).count();
    let weighted = (n + joined) as f32 / records.len() as f32;
    let unread = if coverage.table_words == 0 { 0.0 } else { coverage.unread_words as f32 / coverage.table_words as f32 };
    // Rows doubtful only for a status wording nobody listed: the officer can fix that in
    // status.toml, and should be told so rather than that rows look merged.
    let mut unlisted: Vec<&str> = Vec::new();
    let mut only_unlisted = 0;
    for r in records.iter().filter(|r| doubtful(r, usual)) {
        let doubts: Vec<&String> = r.flags.iter().filter(|f| DOUBT_FLAGS.iter().any(|d| f.starts_with(d))).collect();
        if !doubts.is_empty() && doubts.iter().all(|f| f.starts_with("status_unrecognised")) {
            only_unlisted += 1;
            for f in doubts {
                let w = f.trim_start_matches("status_unrecognised").trim_start_matches(':').trim();
                if !unlisted.contains(&w) {
                    unlisted.push(w);
                }
            }
        }
    }
    let warning = if weighted >= WARN_SHARE && only_unlisted * 2 > n {
        let shown: Vec<&str> = unlisted.iter().take(UNLISTED_SHOWN).copied().collect();
        let more = if unlisted.len() > UNLISTED_SHOWN { ", …" } else { "" };
        // Named by its heading, so that the officer can see which column was read as the status.
        let column = match &coverage.status_columns[..] {
            [one] if !one.is_empty() => format!(" in the column headed \"{one}\""),
            _ => String::new(),
        };
        Some(format!(
            "milepost may have read this document badly: {only_unlisted} of {} rows have a status wording it does not know ({}{more}){column}; add each under its status in templates/status.toml and run again",
            records.len(),
            shown.join(", ")
        ))
    } else if weighted >= WARN_SHARE {
        Some(format!("milepost may have read this document badly: {n} of {} rows look merged, split or incomplete; check {} against the PDF", records.len(), page_list(&pages)))
    } else if unread >= UNREAD_WARN_SHARE {
        Some(format!(
            "milepost may have read this document badly: {}% of the text in its tables was not read as milestones; check {} against the PDF",
            (unread * 100.0).round(),
            page_list(&coverage.unread_pages)
        ))
    } else {
        None
    };
    Quality { rows: records.len(), doubtful: n, doubtful_share: share, pages, unread_share: unread, warning }
}

/// "page 3", "pages 3–5", "pages 2, 4 and 7–9" (runs joined, at most six items).
fn page_list(pages: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some(r) if r.1 + 1 == p => r.1 = p,
            _ => runs.push((p, p)),
        }
    }
    let items: Vec<String> = runs.iter().take(6).map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    let more = if runs.len() > 6 { " and others" } else { "" };
    let word = if pages.len() == 1 { "page" } else { "pages" };
    match items.len() {
        0 => "the document".to_string(),
        1 => format!("{word} {}{more}", items[0]),
        _ => format!("{word} {} and {}{more}", items[..items.len() - 1].join(", "), items[items.len() - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(activity: &str, flags: &[&str]) -> Record {
        let json = serde_json::json!({
            "source": {"file": "t.pdf", "page": 1, "bbox": [0.0, 0.0, 1.0, 1.0]}, "kind": "milestone",
            "theme": null, "outcome": null, "group": null, "activity": activity,
            "target": {"text": "March 2026", "start": null, "due": "2026-03", "revised_due": null, "ongoing": false},
            "status": {"text": "On track", "value": "on_track", "colour": null}, "rationale": null, "flags": flags,
        });
        serde_json::from_value(json).expect("a record")
    }

    #[test]
    fn joined_rows_count_twice() {
        // Two doubtful rows of 21 (9.5%) warn when each holds several dates (joined rows), not
        // when each only lacks a status.
        let mut rows: Vec<Record> = (0..19).map(|i| record(&format!("Milestone {i}"), &[])).collect();
        let mut missing = rows.clone();
        rows.extend((0..2).map(|i| record(&format!("Joined {i}"), &["several_dates: 'June 2026 March 2027 May 2027'"])));
        missing.extend((0..2).map(|i| record(&format!("Bare {i}"), &["status_missing"])));
        let joined = assess(&rows, &TableCoverage::default());
        assert_eq!(joined.doubtful, 2);
        assert!(joined.warning.as_deref().is_some_and(|w| w.contains("look merged")), "{joined:?}");
        assert!(assess(&missing, &TableCoverage::default()).warning.is_none());
    }

    #[test]
    fn page_runs_are_joined() {
        assert_eq!(page_list(&[3, 4, 5]), "pages 3–5");
        assert_eq!(page_list(&[2, 4, 7, 8, 9]), "pages 2, 4 and 7–9");
        assert_eq!(page_list(&[6]), "page 6");
    }
}
