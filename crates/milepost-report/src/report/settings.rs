//! The report settings officers edit: `templates/report.toml` (organisation, title, headings,
//! which sections appear and in what order, status labels and colours, an optional logo).
//!
//! In: the file's text. Out: checked [`Settings`], or every mistake found, each with its file and
//! line, so that `milepost check` can list them before any PDF is read.
//!
//! Not here: the page layout itself (`templates/report.typ`, compiled in `pdf`); which plan and
//! period a document is (`plan`, which also reads `milepost-plans.toml`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::config::ConfigError;
use crate::record::StatusValue;

/// The shipped `templates/report.toml`, also the default when the file is absent.
pub const DEFAULT_REPORT_TOML: &str = include_str!("../../../../templates/report.toml");

/// The sections a pack can hold, by the names `report.toml` uses for them.
pub const SECTIONS: [&str; 9] = ["cover", "headline", "by_theme", "exceptions", "changes", "tracker", "needs_checking", "sources", "definitions"];

/// How one status is shown.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatusStyle {
    /// The word shown in the chip, tables and sentence ("On track").
    pub label: String,
    /// Fill colour, `#RRGGBB`.
    pub colour: String,
    /// Text colour on that fill (black or white, whichever contrasts more), `#RRGGBB`.
    pub text_colour: String,
    /// What the status means, for the definitions section.
    pub means: String,
}

/// The checked contents of `report.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Organisation named on the cover; empty: the name printed on the tracker, if any.
    pub organisation: String,
    /// The pack's title ("Corporate Plan performance report").
    pub title: String,
    /// The sections, in order.
    pub sections: Vec<String>,
    /// Heading of each section, by section name.
    pub headings: BTreeMap<String, String>,
    /// Styles, in the order of [`StatusValue::ALL`].
    pub statuses: Vec<StatusStyle>,
    /// Logo path as written in the file (relative to the templates folder).
    pub logo: Option<String>,
    /// Alternative text of the logo, for screen readers.
    pub logo_alt: String,
}

impl Settings {
    /// The style of one status.
    pub fn status(&self, v: StatusValue) -> &StatusStyle {
        let i = StatusValue::ALL.iter().position(|x| *x == v).expect("ALL holds every value");
        &self.statuses[i]
    }

    /// The heading of a section (its name when the file gives none).
    pub fn heading(&self, section: &str) -> String {
        self.headings.get(section).cloned().unwrap_or_else(|| section.replace('_', " "))
    }

    /// The shipped settings.
    pub fn builtin() -> Settings {
        Settings::parse("templates/report.toml", DEFAULT_REPORT_TOML).expect("the shipped report.toml is checked by the tests")
    }

    /// Parses and checks the text of `report.toml`; `file` is how messages name it.
    pub fn parse(file: &str, text: &str) -> Result<Settings, Vec<ConfigError>> {
        let err = |line: Option<usize>, message: String| ConfigError { file: file.to_string(), line, message };
        let raw: RawSettings = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                return Err(vec![err(line, e.message().trim().to_string())]);
            }
        };
        let mut errors = Vec::new();
        let mut sections = Vec::new();
        for s in &raw.sections {
            let name = s.get_ref();
            if !SECTIONS.contains(&name.as_str()) {
                errors.push(err(Some(line_of(text, s.span().start)), format!("\"{name}\" is not a section; use one of {}", SECTIONS.join(", "))));
            } else if sections.contains(name) {
                errors.push(err(Some(line_of(text, s.span().start)), format!("the section \"{name}\" is listed twice")));
            } else {
                sections.push(name.clone());
            }
        }
        let mut headings = BTreeMap::new();
        for (k, v) in &raw.headings {
            if !SECTIONS.contains(&k.get_ref().as_str()) {
                errors.push(err(Some(line_of(text, k.span().start)), format!("\"{}\" is not a section; headings can be given for {}", k.get_ref(), SECTIONS.join(", "))));
            } else {
                headings.insert(k.get_ref().clone(), v.clone());
            }
        }
        let mut given: BTreeMap<String, (usize, RawStatus)> = BTreeMap::new();
        for (k, v) in raw.statuses {
            let line = line_of(text, k.span().start);
            if StatusValue::from_key(k.get_ref()).is_none() {
                let all: Vec<&str> = StatusValue::ALL.iter().map(|v| v.key()).collect();
                errors.push(err(Some(line), format!("\"{}\" is not a status; use {}", k.get_ref(), all.join(", "))));
            } else {
                given.insert(k.into_inner(), (line, v));
            }
        }
        let mut statuses = Vec::new();
        for v in StatusValue::ALL {
            let (label, colour, means) = default_style(v);
            let mut style = StatusStyle { label: label.into(), colour: colour.into(), text_colour: String::new(), means: means.into() };
            if let Some((line, raw)) = given.remove(v.key()) {
                if let Some(l) = raw.label {
                    if l.trim().is_empty() {
                        errors.push(err(Some(line), format!("the label of {} is empty", v.key())));
                    }
                    style.label = l;
                }
                if let Some(c) = raw.colour {
                    match parse_colour(c.get_ref()) {
                        Some(_) => style.colour = c.get_ref().to_uppercase(),
                        None => errors.push(err(Some(line_of(text, c.span().start)), format!("\"{}\" is not a colour; write it as #RRGGBB, e.g. \"#00B050\"", c.get_ref()))),
                    }
                }
                if let Some(m) = raw.means {
                    style.means = m;
                }
            }
            style.text_colour = text_colour_on(&style.colour).to_string();
            statuses.push(style);
        }
        if sections.is_empty() && errors.is_empty() {
            errors.push(err(None, "no sections are listed; add e.g. sections = [\"cover\", \"headline\", \"tracker\"]".into()));
        }
        let logo = raw.logo.as_ref().map(|l| l.get_ref().trim().to_string()).filter(|l| !l.is_empty());
        if let (Some(l), Some(sp)) = (&logo, &raw.logo) {
            let ext = l.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if !["png", "jpg", "jpeg", "svg"].contains(&ext.as_str()) {
                errors.push(err(Some(line_of(text, sp.span().start)), format!("the logo \"{l}\" must be a .png, .jpg or .svg file")));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            organisation: raw.organisation.unwrap_or_default().trim().to_string(),
            title: raw.title.unwrap_or_else(|| "Delivery plan: progress report".into()),
            sections,
            headings,
            statuses,
            logo,
            logo_alt: raw.logo_alt.unwrap_or_else(|| "Logo".into()),
        })
    }
}

/// Built-in label, colour and meaning of each status (records.md's scale; colours as the
/// Northdale and Westshire trackers print them).
fn default_style(v: StatusValue) -> (&'static str, &'static str, &'static str) {
    match v {
        StatusValue::Complete => ("Complete", "#0070C0", "Done."),
        StatusValue::OnTrack => ("On track", "#00B050", "Will be met."),
        StatusValue::Behind => ("Behind", "#FFC000", "Slipping but recoverable."),
        StatusValue::OffTrack => ("Off track", "#FF0000", "Will not be met as planned."),
        StatusValue::NotStarted => ("Not started", "#D9D9D9", "Not begun, or not yet due."),
        StatusValue::Cancelled => ("Cancelled", "#7F7F7F", "No longer being pursued."),
        StatusValue::Unknown => ("No status", "#FFFFFF", "No status given, or a wording milepost does not know."),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    organisation: Option<String>,
    title: Option<String>,
    logo: Option<Spanned<String>>,
    logo_alt: Option<String>,
    #[serde(default)]
    sections: Vec<Spanned<String>>,
    #[serde(default)]
    headings: BTreeMap<Spanned<String>, String>,
    #[serde(default, rename = "status")]
    statuses: BTreeMap<Spanned<String>, RawStatus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    label: Option<String>,
    colour: Option<Spanned<String>>,
    means: Option<String>,
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// `#RRGGBB` → (r, g, b).
pub(crate) fn parse_colour(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let p = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((p(0)?, p(2)?, p(4)?))
}

/// WCAG relative luminance of a colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Black or white, whichever has the higher WCAG contrast on `fill`: white on the usual RAG
/// green (#00B050) is only 2.6:1, black 8:1, so a fixed white would fail WCAG AA.
pub(crate) fn text_colour_on(fill: &str) -> &'static str {
    let l = parse_colour(fill).map(luminance).unwrap_or(1.0);
    // Contrast with white is 1.05 / (l + 0.05); with black (l + 0.05) / 0.05.
    if 1.05 / (l + 0.05) > (l + 0.05) / 0.05 {
        "#FFFFFF"
    } else {
        "#000000"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_settings_load() {
        let s = Settings::builtin();
        // The tracker and the sources are published as the appendix and the workbook, not
        // repeated in the pack; every other section is shown.
        let left_out: Vec<&str> = SECTIONS.iter().copied().filter(|x| !s.sections.iter().any(|y| y == x)).collect();
        assert_eq!(left_out, ["tracker", "sources"]);
        assert_eq!(s.statuses.len(), 7);
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text = "sections = [\"cover\", \"tracer\"]\n[status.on_trak]\nlabel = \"x\"\n[status.behind]\ncolour = \"amber\"\n";
        let errs = Settings::parse("templates/report.toml", text).unwrap_err();
        let lines: Vec<Option<usize>> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(1), Some(2), Some(5)], "{errs:?}");
        assert!(errs[0].to_string().starts_with("templates/report.toml, line 1: \"tracer\" is not a section"));
    }

    #[test]
    fn unknown_key_names_its_line() {
        let errs = Settings::parse("report.toml", "sections = [\"cover\"]\ncolour = 1\n").unwrap_err();
        assert_eq!(errs[0].line, Some(2), "{errs:?}");
    }

    #[test]
    fn text_on_green_and_red_is_black_and_on_blue_white() {
        assert_eq!(text_colour_on("#00B050"), "#000000");
        assert_eq!(text_colour_on("#FF0000"), "#000000");
        assert_eq!(text_colour_on("#0070C0"), "#FFFFFF");
    }
}
