//! Normalises raw rows into records: one status scale, parsed target dates, clean text, flags.
//!
//! In: a [`RawRow`] and the [`Config`] vocabulary. Out: a [`Record`] in the records.md shape.
//! Doubtful rows are flagged, never dropped: an unknown status wording
//! (`status_unrecognised`), a status read from the cell colour alone (`status_from_colour`) or
//! from the cue words of a wording no list holds (`status_inferred`), an update in the status
//! column that names no status (`status_not_stated`), colour and words that disagree (`status_colour_disagrees`), a target that names no date
//! (`date_unparsed`), a row with no activity (`no_activity`); and signs that rows were joined:
//! a target cell with more dates than one milestone has (`several_dates`), a status cell with
//! two statuses (`several_statuses`). [`quality`] weighs them for the whole document.
//!
//! Not here: finding rows (`rows`); the date grammar itself (`dates`).

pub mod dates;
pub mod quality;

use crate::config::Config;
use crate::record::{Record, Source, Status, StatusValue};
use crate::rows::RawRow;

/// Cleans cell text: lines joined by single spaces, a hyphen at a line end kept and joined to
/// the next word when that word is lower case ("re-" + "opening"), bullets and stray glyphs
/// removed, whitespace collapsed.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let line = strip_bullet(line.trim());
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let joins = out.ends_with('-') && out[..out.len() - 1].chars().next_back().is_some_and(char::is_alphabetic) && line.chars().next().is_some_and(char::is_lowercase);
        if !joins {
            out.push(' ');
        }
        out.push_str(line);
    }
    let cleaned: String = out.chars().filter(|c| !is_stray(*c)).map(|c| if c == '\u{a0}' { ' ' } else { c }).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Private-use glyphs (symbol-font bullets) and controls print as boxes; they are not text.
fn is_stray(c: char) -> bool {
    ('\u{e000}'..='\u{f8ff}').contains(&c) || (c.is_control() && c != '\n') || c == '\u{fffd}' || c == '\u{ad}'
}

fn strip_bullet(line: &str) -> &str {
    const BULLETS: [char; 8] = ['•', '▪', '◦', '‣', '∙', '●', '■', '\u{f0b7}'];
    let t = line.trim_start();
    match t.chars().next() {
        Some(c) if BULLETS.contains(&c) => t[c.len_utf8()..].trim_start(),
        _ => line,
    }
}

fn opt(s: &str) -> Option<String> {
    let c = clean_text(s);
    (!c.is_empty()).then_some(c)
}

/// Turns one raw row into a record.
pub fn normalise(raw: &RawRow, file: &str, cfg: &Config) -> Record {
    let mut flags = raw.flags.clone();
    let target = dates::parse_target(&clean_text(&raw.target));
    if target.is_unparsed() {
        flags.push(format!("date_unparsed: '{}'", target.text));
    }
    if target.start.is_some() || target.due.is_some() || target.ongoing {
        let mentions = dates::count_date_mentions(&target.text);
        let explained = usize::from(target.start.is_some()) + usize::from(target.due.is_some()) + usize::from(target.revised_due.is_some()) + usize::from(target.ongoing);
        if mentions > explained {
            flags.push(format!("several_dates: '{}'", target.text));
        }
    }
    let status = status_of(raw, cfg, &mut flags);
    let lines: Vec<&str> = raw.status.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.len() >= 2 && cfg.status_of_words(&raw.status).is_none() && lines.iter().all(|l| cfg.status_of_words(l).is_some()) {
        flags.push(format!("several_statuses: '{}'", lines.join(" / ")));
    }
    Record {
        source: Source { file: file.to_string(), page: raw.page, bbox: Some(raw.bbox.rounded()), sheet: None },
        kind: raw.kind(),
        theme: raw.theme.as_deref().and_then(opt),
        outcome: raw.outcome.as_deref().and_then(opt),
        group: raw.group.as_deref().and_then(opt),
        activity: clean_text(&raw.activity),
        target,
        status,
        rationale: opt(&raw.rationale),
        flags,
        reference: raw.reference.as_deref().and_then(opt),
        lead: raw.lead.as_deref().and_then(opt),
        parent: raw.parent.as_deref().and_then(opt),
        extra: raw.extra.iter().filter_map(|(k, v)| Some((clean_text(k), opt(v)?))).filter(|(k, _)| !k.is_empty()).collect(),
    }
}

/// A status wording no list holds and no cue explains runs to at most this many words (scales
/// are labelled in one to three: "Amber/Green", "Good", "Fair progress"); a longer status cell
/// is an update in the officer's words ("Verbal update to be provided").
const STATUS_WORDING_MAX_WORDS: usize = 4;

fn status_of(raw: &RawRow, cfg: &Config, flags: &mut Vec<String>) -> Status {
    let text = opt(&raw.status);
    // The fill decides only when it is a status colour; grey or pale shading is decoration.
    let fill_value = raw.status_fill.and_then(|c| cfg.status_of_colour(c));
    let text_colour_value = raw.status_text_colour.and_then(|c| cfg.status_of_colour(c));
    let colour = match (raw.status_fill, fill_value, text_colour_value) {
        (Some(f), _, _) if !f.is_grey() => Some(f.hex()),
        (_, _, Some(_)) => raw.status_text_colour.map(|c| c.hex()),
        _ => None,
    };
    let colour_value = fill_value.or(text_colour_value);
    let value = match (&text, colour_value) {
        (Some(t), cv) => match cfg.status_of_words(t) {
            Some(v) => {
                if let Some(cv) = cv {
                    if v != cv && v != StatusValue::Unknown {
                        flags.push(format!("status_colour_disagrees: '{t}' is coloured as {}", cv.key()));
                    }
                }
                v
            }
            // Not listed: its cue words, if any, say what it means ("Falling behind"); the row
            // is flagged so that someone checks the reading.
            None => match cfg.status_by_cues(t) {
                Some(v) => {
                    flags.push(format!("status_inferred: '{t}' read as {}", v.key()));
                    if let Some(cv) = cv.filter(|cv| *cv != v) {
                        flags.push(format!("status_colour_disagrees: '{t}' is coloured as {}", cv.key()));
                    }
                    v
                }
                // An update in the status column that names no status ("Verbal update to be
                // provided"): no wording to add to status.toml, just no status stated.
                None if t.split_whitespace().count() > STATUS_WORDING_MAX_WORDS => {
                    flags.push(format!("status_not_stated: '{t}'"));
                    cv.unwrap_or(StatusValue::Unknown)
                }
                None => {
                    flags.push(format!("status_unrecognised: '{t}'"));
                    cv.unwrap_or(StatusValue::Unknown)
                }
            },
        },
        (None, Some(cv)) => {
            flags.push("status_from_colour".to_string());
            cv
        }
        (None, None) => {
            if raw.has_status_column {
                flags.push("status_missing".to_string());
            }
            StatusValue::Unknown
        }
    };
    Status { text, value, colour }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_at_line_end_joins_lower_case_word() {
        assert_eq!(clean_text("following re-\nopening in June"), "following re-opening in June");
        assert_eq!(clean_text("April 2020-\nJune 2020"), "April 2020- June 2020");
    }

    #[test]
    fn bullets_and_stray_glyphs_removed() {
        assert_eq!(clean_text("• First item\n\u{f0b7} second  item"), "First item second item");
    }

    #[test]
    fn colour_only_status_is_flagged() {
        let cfg = Config::builtin();
        let raw = RawRow { activity: "Do a thing".into(), status_fill: crate::geom::Colour::from_hex("#FFC000"), has_status_column: true, ..Default::default() };
        let r = normalise(&raw, "x.pdf", &cfg);
        assert_eq!(r.status.value, StatusValue::Behind);
        assert_eq!(r.status.colour.as_deref(), Some("#FFC000"));
        assert_eq!(r.flags, vec!["status_from_colour".to_string()]);
    }

    #[test]
    fn unknown_wording_is_flagged_not_dropped() {
        let cfg = Config::builtin();
        let raw = RawRow { activity: "Do a thing".into(), status: "Amber/Green".into(), has_status_column: true, ..Default::default() };
        let r = normalise(&raw, "x.pdf", &cfg);
        assert_eq!(r.status.value, StatusValue::Unknown);
        assert_eq!(r.flags, vec!["status_unrecognised: 'Amber/Green'".to_string()]);
    }
}
