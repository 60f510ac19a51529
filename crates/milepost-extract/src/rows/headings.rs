//! Text outside tables, and text that repeats on every page: theme and recommendation headings
//! above tables, and page furniture (running headers, footers, page numbers, markings).
//!
//! In: a page's layout and tables. Out: [`Heading`] events in reading order (a theme, an action
//! plan's recommendation, or prose that cancels a heading), and the document's [`Furniture`].
//! A heading line is all bold, all capitals or larger than the page's body text; it is a theme
//! only when short, not title-like (a year, "Appendix", "Tracker"…), not a marking, and (in
//! `mod`) only when a tracker table follows with no prose between. Furniture is a line printed at
//! the same height on three pages in four.
//!
//! Not here: heading rows inside tables (`hierarchy`).

use std::sync::OnceLock;

use regex::Regex;

use crate::tables::PageTables;

use super::title_case_if_shouting;

pub(super) fn re_recommendation() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(?i)(recommendation\s+\d+[a-z]?\b|R\d+[.:)]|priority\s+\d+\s*[–—:.-])").expect("valid regex"))
}

/// A bold heading numbered in other words: "Area for improvement 2: …", "Key recommendation 3
/// – …", "Rec 4 – …", or a number alone, "5. …": up to four words, a number, a separator, and a
/// capitalised title.
fn re_numbered() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(?P<lead>[A-Z][A-Za-z]*(?:\s+[a-z][A-Za-z]*){0,3}\s+)?\d{1,2}[a-z]?\s*[.:)–—-]\s+(?P<title>\p{Lu}.*)$").expect("valid regex"))
}

/// Words that number a part of a document, not a recommendation: "Appendix 1:", "Table 2 –",
/// "Section 3.".
fn re_part() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)\b(appendix|annex|schedule|table|figure|page|section|part|chapter|quarter|q[1-4]|step|stage|phase|option|version)\b").expect("valid regex"))
}

/// Whether a bold line outside a table is a numbered heading (a recommendation's, or over a
/// tracker a theme's), not a part of the document or a numbered section of its prose.
fn is_numbered_heading(text: &str) -> bool {
    re_numbered()
        .captures(text)
        .is_some_and(|c| !c.name("lead").is_some_and(|l| re_part().is_match(l.as_str())) && !c.name("title").is_some_and(|t| re_title().is_match(t.as_str())))
}

/// Whether a line or band names a recommendation: "Recommendation 2: …", "R2.", "Priority 2 –",
/// or, set in bold, a heading numbered in other words ([`is_numbered_heading`]) that say it is
/// one ("Area for improvement 2:", "Key finding 3 –": a group row reads "Programme 2: …"), or,
/// above a table (not in one, where "2. Homes" is a theme band), a number alone ("5. Set out a
/// clear vision").
pub(super) fn is_recommendation(text: &str, bold: bool, in_table: bool) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let says = R.get_or_init(|| Regex::new(r"(?i)\b(recommendations?|rec|improvements?|findings?)\b").expect("valid regex"));
    re_recommendation().is_match(text)
        || bold
            && is_numbered_heading(text)
            && match re_numbered().captures(text).and_then(|c| c.name("lead")) {
                Some(lead) => says.is_match(lead.as_str()),
                None => !in_table,
            }
}

/// Protective markings printed as running headers: not themes.
pub(super) const MARKINGS: [&str; 6] = ["OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL SENSITIVE", "CONFIDENTIAL", "DRAFT", "NOT PROTECTIVELY MARKED"];

/// A heading line above or between tables.
pub(super) enum Heading {
    Theme(String),
    Recommendation(String),
    /// Ordinary text outside a table: a heading applies only to a table that follows it
    /// with no text between ("Introduction" before a paragraph is not a theme).
    Prose,
}

/// The heading lines of a page outside its tables, with the top of each.
pub(super) fn headings(pt: &PageTables, furniture: &Furniture) -> Vec<(f32, Heading)> {
    let l = &pt.layout;
    let body_pt = page_body_size(l);
    let mut out = Vec::new();
    let mut i = 0;
    while i < l.lines.len() {
        let line = &l.lines[i];
        let inside = pt.tables.iter().any(|t| t.bbox.contains_point(line.bbox.cx(), line.bbox.cy(), IN_TABLE_SLACK_PT));
        if inside {
            i += 1;
            continue;
        }
        let text = l.line_text(line);
        let trimmed = text.trim();
        if furniture.contains(trimmed, line.bbox.y0) {
            i += 1;
            continue;
        }
        let bold = line.words.iter().all(|w| l.words[*w].bold);
        if is_recommendation(trimmed, bold, false) {
            // The heading may wrap: take the following lines in the same bold style.
            let size = l.words[line.words[0]].size_pt;
            let mut full = trimmed.to_string();
            let mut j = i + 1;
            while j < l.lines.len() {
                let next = &l.lines[j];
                let nb = next.words.iter().all(|w| l.words[*w].bold);
                let ns = l.words[next.words[0]].size_pt;
                if nb == bold && (ns - size).abs() < SAME_SIZE_PT && next.bbox.y0 - l.lines[j - 1].bbox.y1 < size && bold {
                    full.push(' ');
                    full.push_str(l.line_text(next).trim());
                    j += 1;
                } else {
                    break;
                }
            }
            out.push((line.bbox.y0, Heading::Recommendation(full)));
            i = j;
            continue;
        }
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        // A row of column headings printed outside the table (above its first rule, the table
        // found below it): several runs of text apart, where a heading is one. Neither a theme
        // nor prose between a heading and its table.
        if runs_apart(l, line) >= HEADER_LINE_RUNS {
            i = past_header_lines(pt, i, bold);
            continue;
        }
        if let Some(style) = heading_style(l, line, body_pt) {
            // A heading may wrap onto a second line in the same style, set close.
            let mut full = trimmed.to_string();
            let mut j = i + 1;
            while j < l.lines.len() {
                let next = &l.lines[j];
                let close = next.bbox.y0 - l.lines[j - 1].bbox.y1 < HEADING_WRAP_GAP_EMS * style.1;
                if close && heading_style(l, next, body_pt) == Some(style) && !pt.tables.iter().any(|t| t.bbox.contains_point(next.bbox.cx(), next.bbox.cy(), IN_TABLE_SLACK_PT)) {
                    full.push(' ');
                    full.push_str(l.line_text(next).trim());
                    j += 1;
                } else {
                    break;
                }
            }
            let theme_like =
                full.split_whitespace().count() <= THEME_MAX_WORDS && !full.ends_with('.') && !full.ends_with(':') && !re_title().is_match(&full) && !is_marking(&full);
            out.push((line.bbox.y0, if theme_like { Heading::Theme(title_case_if_shouting(&full)) } else { Heading::Prose }));
            i = j;
            continue;
        }
        if !is_furniture(l, line) {
            out.push((line.bbox.y0, Heading::Prose));
        }
        i += 1;
    }
    out
}

/// A theme heading is short: a sentence is prose.
pub(super) const THEME_MAX_WORDS: usize = 12;

/// The line after a row of column headings at line `i` and its headings' wrapped lines under
/// it, in the same weight (`bold`) and set close, outside any table.
fn past_header_lines(pt: &PageTables, i: usize, bold: bool) -> usize {
    let l = &pt.layout;
    let mut j = i + 1;
    while j < l.lines.len() {
        let next = &l.lines[j];
        let size = l.words[next.words[0]].size_pt;
        let close = next.bbox.y0 - l.lines[j - 1].bbox.y1 < HEADING_WRAP_GAP_EMS * size;
        let same_weight = next.words.iter().all(|w| l.words[*w].bold) == bold;
        if !(close && same_weight) || pt.tables.iter().any(|t| t.bbox.contains_point(next.bbox.cx(), next.bbox.cy(), IN_TABLE_SLACK_PT)) {
            break;
        }
        j += 1;
    }
    j
}

/// How many runs of text a line holds, parted by gaps of [`HEADER_LINE_GAP_EMS`] or more.
fn runs_apart(l: &crate::layout::PageLayout, line: &crate::layout::TextLine) -> usize {
    let mut xs: Vec<(f32, f32, f32)> = line.words.iter().map(|w| &l.words[*w]).map(|w| (w.bbox.x0, w.bbox.x1, w.size_pt)).collect();
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    1 + xs.windows(2).filter(|p| p[1].0 - p[0].1 >= HEADER_LINE_GAP_EMS * p[0].2.max(1.0)).count()
}

/// A line of column headings holds at least this many runs of text (a heading is one; a
/// heading with a date or page number beside it two).
const HEADER_LINE_RUNS: usize = 3;
/// Runs of text on one line are parted by gaps of at least this many font sizes (between
/// words a space is about a quarter of one; between a table's columns a gutter is wider).
const HEADER_LINE_GAP_EMS: f32 = 1.0;
/// A line under a heading (or a header line) in its style continues it when set less than
/// this many of its sizes below: a wrapped heading has no space between its lines beyond the
/// leading; the next heading or a paragraph has more.
const HEADING_WRAP_GAP_EMS: f32 = 0.6;
/// A line whose middle is within this of a table's box is in the table.
const IN_TABLE_SLACK_PT: f32 = 1.0;
/// Text sizes within this are one size (producers round sizes: 10.98 and 11).
const SAME_SIZE_PT: f32 = 0.5;
/// A line set at least this much larger than the body text is a heading by its size.
const HEADING_SIZE_STEP_PT: f32 = 1.0;

/// Words that mark a document's title, running header or a section that is not a theme: a
/// year, "Appendix", "Tracker", "Quarter", "Introduction", "Key"…
pub(super) fn re_title() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(19|20)\d\d\b|\b(appendix|annex|schedule \d|tracker|report|quarter|q[1-4]|monitoring|milestones|introduction|key|contents|page \d+|mid-year|year end|summary|background|purpose|action log|actions log|action plan|action tracker|actions arising|matters arising)\b")
            .expect("valid regex")
    })
}

/// A line with the protective markings printed in it (in capitals, as markings are) taken out:
/// "Council Plan   OFFICIAL" is "Council Plan"; "Public Health" stays.
pub(crate) fn strip_markings(s: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(r"\b(?:OFFICIAL[- ]SENSITIVE|NOT PROTECTIVELY MARKED|OFFICIAL|CONFIDENTIAL|PUBLIC|DRAFT)\b(?:\s*[–—-]\s*(?:PUBLIC|SENSITIVE)\b)?").expect("valid regex")
    });
    if !r.is_match(s) {
        return s.trim().to_string();
    }
    let out = r.replace_all(s, " ");
    out.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches(|c: char| c.is_whitespace() || "–—-:|,".contains(c)).to_string()
}

pub(super) fn is_marking(s: &str) -> bool {
    let up = s.to_uppercase().replace(['–', '—'], "-");
    MARKINGS.iter().any(|m| up == *m || up.starts_with(&format!("{m} -")) || up.starts_with(&format!("{m}:"))) || up == "PUBLIC"
}

/// A line in the top or bottom margin band of the page (running header, footer, page number).
fn is_furniture(l: &crate::layout::PageLayout, line: &crate::layout::TextLine) -> bool {
    in_margin(line.bbox.y0, line.bbox.y1, l.height_pt)
}

/// Whether something from `y0` to `y1` sits in the top or bottom margin band of a page this tall.
pub(super) fn in_margin(y0: f32, y1: f32, page_height_pt: f32) -> bool {
    let band = FURNITURE_BAND * page_height_pt;
    y1 < band || y0 > page_height_pt - band
}

/// Page furniture found by repetition: a line printed at the same height on most pages (running
/// headers and footers, "Page N of M", protective markings), its digits ignored.
#[derive(Debug, Default)]
pub(super) struct Furniture {
    /// (text with digits as '#', lower case; top rounded to [`FURNITURE_Y_STEP_PT`]).
    pub(super) lines: Vec<(String, i32)>,
}

/// Repeated lines match when their tops agree within this.
const FURNITURE_Y_STEP_PT: f32 = 4.0;
/// Lines within this share of the page height from its top or bottom edge can be furniture.
const FURNITURE_ZONE: f32 = 0.15;

/// A line's text with each run of digits as one '#' ("Page 5" and "Page 15" are one footer).
fn furniture_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Furniture {
    pub(super) fn find(pages: &[PageTables]) -> Furniture {
        let mut counts: Vec<((String, i32), usize)> = Vec::new();
        for pt in pages {
            let l = &pt.layout;
            let zone = FURNITURE_ZONE * l.height_pt;
            let mut seen: Vec<(String, i32)> = Vec::new();
            for line in l.lines.iter().filter(|line| line.bbox.y1 < zone || line.bbox.y0 > l.height_pt - zone) {
                let key = (furniture_key(&l.line_text(line)), (line.bbox.y0 / FURNITURE_Y_STEP_PT).round() as i32);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key.clone());
                match counts.iter_mut().find(|(k, _)| *k == key) {
                    Some(e) => e.1 += 1,
                    None => counts.push((key, 1)),
                }
            }
        }
        // Three pages in four (and at least two) carry it: a theme heading repeated over its own
        // pages does not, unless the document has one theme.
        let need = (pages.len() * 3 / 4).max(2);
        Furniture { lines: counts.into_iter().filter(|(_, n)| *n >= need).map(|(k, _)| k).collect() }
    }

    /// Whether text printed with its top at `y0` is furniture.
    pub(super) fn contains(&self, text: &str, y0: f32) -> bool {
        let key = furniture_key(text);
        let y = (y0 / FURNITURE_Y_STEP_PT).round() as i32;
        self.lines.iter().any(|(k, ky)| *k == key && (ky - y).abs() <= 1)
    }
}

/// Running headers and footers sit within this share of the page height from its edge.
pub(super) const FURNITURE_BAND: f32 = 0.06;

/// The style of a heading line (bold, size in half points), or None for an ordinary line: a
/// heading is all bold, all capitals, or set larger than the page's body text.
fn heading_style(l: &crate::layout::PageLayout, line: &crate::layout::TextLine, body_pt: f32) -> Option<(bool, f32)> {
    let words: Vec<&crate::layout::Word> = line.words.iter().map(|w| &l.words[*w]).collect();
    if words.is_empty() || is_furniture(l, line) {
        return None;
    }
    let bold = words.iter().all(|w| w.bold);
    let size = words.iter().map(|w| w.size_pt).fold(0.0f32, f32::max);
    let text: String = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
    let larger = body_pt > 0.0 && size >= body_pt + HEADING_SIZE_STEP_PT;
    (bold || caps || larger).then_some((bold, (size * 2.0).round()))
}

/// The usual size of the words on a page.
fn page_body_size(l: &crate::layout::PageLayout) -> f32 {
    let mut sizes: Vec<f32> = l.words.iter().map(|w| w.size_pt).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod marking_tests {
    use super::strip_markings;

    #[test]
    fn markings_leave_titles() {
        assert_eq!(strip_markings("Council Plan   OFFICIAL"), "Council Plan");
        assert_eq!(strip_markings("Strategic Plan OFFICIAL – PUBLIC"), "Strategic Plan");
        assert_eq!(strip_markings("NOT PROTECTIVELY MARKED"), "");
        assert_eq!(strip_markings("Public Health Plan 2024/25"), "Public Health Plan 2024/25");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_headings_in_other_words() {
        assert!(is_numbered_heading("Area for improvement 2: Make performance information easier to use"));
        assert!(is_numbered_heading("Key recommendation 3: Accelerate the delivery of new homes"));
        assert!(is_numbered_heading("Rec 4 \u{2013} Strengthen the council\u{2019}s financial planning"));
        assert!(is_numbered_heading("5. Set out a clear and shared long term vision"));
        // Parts of the document and its prose sections are not.
        assert!(!is_numbered_heading("Appendix 1: Corporate Plan Tracker"));
        assert!(!is_numbered_heading("Table 2 \u{2013} Milestones due this year"));
        assert!(!is_numbered_heading("1. Introduction"));
        assert!(!is_numbered_heading("2. Summary of progress"));
        assert!(!is_numbered_heading("3. the council will"));
    }
}
