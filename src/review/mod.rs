//! The review page (`outputs/review.html`): every row milepost doubts, beside a picture of the
//! page region it was read from, with each doubt explained and what to do about it.
//!
//! In: for each input, a [`DocReview`] (its verdict, records, warnings, error, and the pictures
//! drawn by [`crops`]), and links to the pack, appendix and source PDF. Out: one self-contained
//! HTML file: pictures inline (PNG data URLs), styles inline, a few lines of inline script for the
//! filters (the page reads and prints the same without it), no request to any server.
//!
//! Which rows are shown ([`rows_to_review`]): every row with a flag or that the self-check counts
//! as doubtful, and, for a document whose verdict is "check", every row of the pages the warning
//! names. Rows read from an officer's workbook show their sheet and row instead of a picture.
//!
//! Accessibility: headings per document and per row, every picture with alternative text (the
//! row's activity), statuses and verdicts in words (colour is never the only signal), native
//! links and form controls only (keyboard reachable), printable (filters hidden in print).
//!
//! Not here: reading (`extract`), the drawing itself (`crops`), writing the file (`batch`, the
//! CLI).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::Config;
use crate::normalise::quality::{doubtful_rows, is_doubt_flag, Quality};
use crate::record::Record;

pub use crate::crops::{self, regions_to_draw, rows_to_review, Crop, Region};

/// The file name of the page in the output folder.
pub const REVIEW_FILE: &str = "review.html";
/// Pictures in one page, at most (about 15 MB, which a browser opens in a second or two); the
/// rows past it link to their PDF page instead. Each document has its own cap too
/// ([`crops::MAX_CROPS`]).
pub const MAX_PICTURES: usize = 300;

/// One input as the review page shows it.
#[derive(Debug, Clone, Default)]
pub struct DocReview {
    /// The input's path as the run names it (relative to the input folder).
    pub file: String,
    /// The records read (empty for a failed document).
    pub records: Vec<Record>,
    /// The self-check (None for a failed document).
    pub quality: Option<Quality>,
    /// Warnings about the document, in words.
    pub warnings: Vec<String>,
    /// Why it could not be read, with what to do (for a failed document).
    pub error: Option<String>,
    /// Pictures of the rows to review.
    pub crops: Vec<Crop>,
    /// Links: the source PDF (from the page's folder), the pack and the appendix, where made.
    pub links: Links,
    /// Whether it was unchanged since the last run (its rows and pictures kept).
    pub unchanged: bool,
}

impl DocReview {
    /// A document read: its records, self-check, warnings and pictures.
    pub fn read(file: String, doc: crate::isolate::Portable, links: Links) -> DocReview {
        DocReview {
            file,
            warnings: doc.warnings.iter().map(|w| w.to_string()).collect(),
            records: doc.records,
            quality: Some(doc.quality),
            crops: doc.crops,
            links,
            ..Default::default()
        }
    }

    /// A document that could not be read: why, and what to do about it.
    pub fn failed(file: String, message: &str, hint: Option<&str>, links: Links) -> DocReview {
        let error = match hint {
            Some(h) => format!("{message} What to do: {h}."),
            None => message.to_string(),
        };
        DocReview { file, error: Some(error), links, ..Default::default() }
    }
}

/// Where the page links to, relative to the page's folder.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// The source PDF ("../inputs/x.pdf"); a page number is added per row.
    pub source: Option<String>,
    /// The plan's pack PDF ("packs/plan-q3.pdf").
    pub pack: Option<String>,
    /// The pack's workbook, where rows are corrected.
    pub workbook: Option<String>,
    /// The tracker appendix.
    pub appendix: Option<String>,
}

/// What a flag means and what the officer can do about it, in plain words. `cfg` suggests the
/// status an unlisted wording's words point to.
pub fn advice(flag: &str, r: &Record, cfg: &Config) -> (String, String) {
    let (code, rest) = flag.split_once(':').map(|(c, t)| (c.trim(), t.trim())).unwrap_or((flag.trim(), ""));
    let quoted = rest.split('\'').nth(1).unwrap_or("").to_string();
    let fix_in = match &r.source.sheet {
        Some(sheet) => format!("correct it in the workbook it came from ({sheet}, row {})", r.source.page),
        None => "correct it in the Tracker sheet of the pack workbook (packs/…xlsx), which milepost reads back next quarter".to_string(),
    };
    let what = crate::report::pack::flag_words(flag);
    let todo = match code {
        "status_unrecognised" => match cfg.status_by_cues(&quoted) {
            Some(v) => format!("If '{quoted}' means {}, add it under {} in templates/status.toml and run milepost again; otherwise {fix_in}.", words(v.key()), v.key()),
            None => format!("Add '{quoted}' under the status it means (for example under behind) in templates/status.toml and run milepost again; or {fix_in}."),
        },
        "status_inferred" => {
            let v = rest.rsplit("read as ").next().unwrap_or("").trim();
            format!("If '{quoted}' does mean {}, add it under {v} in templates/status.toml so that it is read without doubt; if not, {fix_in}.", words(v))
        }
        "status_from_colour" => format!("Check the cell's colour against the tracker's key; if the status is wrong, {fix_in}."),
        "status_colour_disagrees" => format!("Look at the picture to see which is right, the words or the colour; {fix_in} if the words are wrong."),
        "status_missing" => format!("If the PDF gives this row a status that milepost missed, {fix_in}; if the row really has none, nothing needs doing."),
        "status_not_stated" => format!("The update does not say whether the activity is on track: ask its lead officer, then {fix_in}."),
        "date_unparsed" | "several_dates" => format!("Check the target date in the picture; if two rows were read as one, or the date is wrong, {fix_in} (write a date as a month and year, e.g. March 2025)."),
        "several_statuses" | "activity_continues" | "no_activity" | "columns_uncertain" => format!(
            "Compare the fields with the picture: if rows were joined or split, {fix_in}. If many rows of this document look like this, its table is laid out in a way milepost reads badly: please send the PDF to whoever supports milepost."
        ),
        _ => format!("Compare the fields with the picture; if they are wrong, {fix_in}."),
    };
    (what, todo)
}

/// A status's machine name in words ("on_track" → "on track").
fn words(key: &str) -> String {
    key.replace('_', " ")
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The document's verdict in words and as a class: "Read well", "Check", "Not read".
fn verdict(d: &DocReview) -> (&'static str, &'static str, String) {
    if let Some(e) = &d.error {
        return ("failed", "Not read", e.clone());
    }
    match &d.quality {
        Some(q) if q.warning.is_some() => ("check", "Check", q.warning.clone().unwrap_or_default()),
        Some(q) if q.doubtful > 0 => ("good", "Read well", format!("{} of {} rows look doubtful; they are listed below with any other row that has a note.", q.doubtful, q.rows)),
        _ => {
            let noted = d.records.iter().filter(|r| !r.flags.is_empty()).count();
            let text = match noted {
                0 => "No row looks misread and none has a note.".to_string(),
                1 => "No row looks misread; one has a note, listed below.".to_string(),
                n => format!("No row looks misread; {n} have a note, listed below."),
            };
            ("good", "Read well", text)
        }
    }
}

/// The whole page. `produced` is when it was made, as [`crate::clock::now_utc`] gives it
/// ("2026-12-07T05:03:00Z").
pub fn page(docs: &[DocReview], cfg: &Config, produced: &str) -> String {
    let produced = produced.replace('T', " ").replace('Z', " UTC");
    let mut entries = 0;
    let mut flags_seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut body = String::new();
    let mut pictures_left = MAX_PICTURES;
    for (di, d) in docs.iter().enumerate() {
        let shown = rows_to_review(&d.records, d.quality.as_ref());
        entries += shown.len();
        for &i in &shown {
            for f in &d.records[i].flags {
                *flags_seen.entry(flag_code(f).to_string()).or_default() += 1;
            }
        }
        doc_section(&mut body, di, d, &shown, cfg, &mut pictures_left);
    }
    let mut html = String::with_capacity(body.len() + 8192);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>milepost: rows to review</title>\n<style>\n");
    html.push_str(STYLE);
    html.push_str("</style>\n</head>\n<body>\n<header>\n<h1>Rows to review</h1>\n");
    let failed = docs.iter().filter(|d| d.error.is_some()).count();
    let check = docs.iter().filter(|d| d.error.is_none() && d.quality.as_ref().is_some_and(|q| q.warning.is_some())).count();
    let _ = writeln!(
        html,
        "<p>Made by milepost on {}. {} document{} read: {} to check, {} not read. {} row{} to review, each beside a picture of where it was read.</p>",
        esc(&produced),
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
        check,
        failed,
        entries,
        if entries == 1 { "" } else { "s" }
    );
    // The filters: shown only where the script runs (without it every row is listed anyway).
    html.push_str("<form id=\"filters\" hidden aria-label=\"Filter the rows\">\n<label>Document <select id=\"f-doc\"><option value=\"\">All documents</option>");
    for (di, d) in docs.iter().enumerate() {
        let _ = write!(html, "<option value=\"d{di}\">{}</option>", esc(&d.file));
    }
    html.push_str("</select></label>\n<label>Doubt <select id=\"f-flag\"><option value=\"\">Any</option>");
    for (code, n) in &flags_seen {
        let _ = write!(html, "<option value=\"{}\">{} ({n})</option>", esc(code), esc(crate::report::pack::flag_words(code).trim_end_matches('.')));
    }
    html.push_str(
        "<option value=\"none\">No doubt of its own (on a page to check)</option></select></label>\n<p id=\"f-count\" aria-live=\"polite\"></p>\n</form>\n</header>\n<main>\n",
    );
    html.push_str(&body);
    html.push_str("</main>\n<script>\n");
    html.push_str(SCRIPT);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

fn flag_code(f: &str) -> &str {
    f.split(':').next().unwrap_or(f).trim()
}

fn doc_section(out: &mut String, di: usize, d: &DocReview, shown: &[usize], cfg: &Config, pictures_left: &mut usize) {
    let (class, word, why) = verdict(d);
    let _ = writeln!(out, "<section class=\"doc\" id=\"d{di}\" data-doc=\"d{di}\" aria-labelledby=\"d{di}-h\">");
    let _ = writeln!(out, "<h2 id=\"d{di}-h\">{}</h2>", esc(&d.file));
    let _ = writeln!(out, "<p class=\"verdict {class}\"><span class=\"badge\">{word}</span> {}</p>", esc(&why));
    if d.error.is_none() {
        let flagged = d.records.iter().filter(|r| !r.flags.is_empty()).count();
        let _ = write!(out, "<p>{} rows read, {} flagged{}.", d.records.len(), flagged, if d.unchanged { "; unchanged since the last run" } else { "" });
        let mut links = Vec::new();
        if let Some(s) = &d.links.source {
            links.push(format!("<a href=\"{}\">the PDF</a>", esc(s)));
        }
        if let Some(p) = &d.links.pack {
            links.push(format!("<a href=\"{}\">the report pack</a>", esc(p)));
        }
        if let Some(p) = &d.links.workbook {
            links.push(format!("<a href=\"{}\">the pack workbook</a> (where rows are corrected)", esc(p)));
        }
        if let Some(p) = &d.links.appendix {
            links.push(format!("<a href=\"{}\">the appendix</a>", esc(p)));
        }
        if !links.is_empty() {
            let _ = write!(out, " Open {}.", links.join(", "));
        }
        out.push_str("</p>\n");
    }
    if !d.warnings.is_empty() {
        out.push_str("<details><summary>Warnings about this document</summary>\n<ul>\n");
        for w in &d.warnings {
            let _ = writeln!(out, "<li>{}</li>", esc(w));
        }
        out.push_str("</ul>\n</details>\n");
    }
    if shown.is_empty() && d.error.is_none() {
        out.push_str("<p>Nothing to review in this document.</p>\n");
    }
    let doubtful = doubtful_rows(&d.records);
    for &i in shown {
        row_entry(out, di, i, &d.records[i], doubtful[i], d, cfg, pictures_left);
    }
    out.push_str("</section>\n");
}

#[allow(clippy::too_many_arguments)]
fn row_entry(out: &mut String, di: usize, i: usize, r: &Record, doubtful: bool, d: &DocReview, cfg: &Config, pictures_left: &mut usize) {
    let codes: Vec<&str> = r.flags.iter().map(|f| flag_code(f)).collect();
    let data_flags = if codes.is_empty() { "none".to_string() } else { codes.join(" ") };
    let title = short(&r.activity, 90);
    let _ = writeln!(out, "<article class=\"row\" data-flags=\"{}\" aria-labelledby=\"d{di}-r{i}\">", esc(&data_flags));
    let refp = r.reference.as_deref().map(|x| format!("{x} · ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "<h3 id=\"d{di}-r{i}\">{}{} <span class=\"where\">({})</span></h3>",
        esc(&refp),
        esc(if title.is_empty() { "(no activity text)" } else { &title }),
        esc(&r.source.place())
    );
    out.push_str("<div class=\"pair\">\n");
    // The picture, or where the row is in a workbook.
    match (&r.source.sheet, r.source.bbox) {
        (Some(sheet), _) => {
            let _ = writeln!(
                out,
                "<div class=\"nocrop\">Read from the workbook <strong>{}</strong>, sheet <strong>{}</strong>, row <strong>{}</strong>.</div>",
                esc(&d.file),
                esc(sheet),
                r.source.page
            );
        }
        (None, Some(bbox)) => match d.crops.iter().find(|c| c.page == r.source.page && c.bbox == bbox).filter(|_| *pictures_left > 0) {
            Some(c) => {
                *pictures_left -= 1;
                let alt = format!("Page {} of {}, where milepost read: {}", r.source.page, d.file, short(&r.activity, 200));
                let _ = write!(
                    out,
                    "<figure><img src=\"data:image/png;base64,{}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>Page {}{}",
                    c.png_base64,
                    c.width,
                    c.height,
                    esc(&alt),
                    r.source.page,
                    if c.cut { ", top of the row (it runs on below)" } else { "" }
                );
                if let Some(s) = &d.links.source {
                    let _ = write!(out, " · <a href=\"{}#page={}\">open the PDF at this page</a>", esc(s), r.source.page);
                }
                out.push_str("</figcaption></figure>\n");
            }
            None => {
                let why = if *pictures_left == 0 || d.crops.len() >= crops::MAX_CROPS {
                    "No picture of this row: the page shows the first rows' pictures only, to stay quick to open"
                } else {
                    "No picture of this row could be drawn"
                };
                let _ = write!(out, "<div class=\"nocrop\">{why}; look at page {} of the PDF", r.source.page);
                if let Some(s) = &d.links.source {
                    let _ = write!(out, " (<a href=\"{}#page={}\">open it at that page</a>)", esc(s), r.source.page);
                }
                out.push_str(".</div>\n");
            }
        },
        (None, None) => {
            let _ = writeln!(out, "<div class=\"nocrop\">milepost kept no box for this row; look at page {} of the PDF.</div>", r.source.page);
        }
    }
    // The record's fields, as read.
    out.push_str("<dl class=\"fields\">\n");
    let mut field = |name: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "<dt>{name}</dt><dd>{}</dd>", esc(value));
        }
    };
    field("Theme", r.theme.as_deref().unwrap_or(""));
    field("Outcome", r.outcome.as_deref().unwrap_or(""));
    field("Group", r.group.as_deref().unwrap_or(""));
    field("Reference", r.reference.as_deref().unwrap_or(""));
    field("Activity", &r.activity);
    field("Lead", r.lead.as_deref().unwrap_or(""));
    let mut target = r.target.text.clone();
    if let Some(rev) = r.target.revised_due.as_ref().filter(|_| !target.to_lowercase().contains("revised")) {
        target.push_str(&format!(" (revised: {})", crate::report::pack::date_text(rev)));
    }
    field("Target date", &target);
    let status = match r.status.text.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => format!("{} (printed: \"{t}\")", words(r.status.value.key())),
        None => words(r.status.value.key()),
    };
    field("Status read", &status);
    field("Rationale", r.rationale.as_deref().unwrap_or(""));
    for (k, v) in &r.extra {
        field(k, v);
    }
    out.push_str("</dl>\n</div>\n");
    // The doubts, and what to do.
    out.push_str("<ul class=\"doubts\">\n");
    for f in &r.flags {
        let (what, todo) = advice(f, r, cfg);
        let kind = if is_doubt_flag(f) { "Doubt" } else { "Note" };
        let _ = writeln!(out, "<li><strong>{kind}:</strong> {} <br><strong>What to do:</strong> {}</li>", esc(&what), esc(&todo));
    }
    if r.flags.is_empty() && doubtful {
        out.push_str("<li><strong>Doubt:</strong> This activity is much longer than the others and holds several sentences: it may be several rows read as one. <br><strong>What to do:</strong> Compare it with the picture; if rows were joined, correct them in the Tracker sheet of the pack workbook.</li>\n");
    } else if r.flags.is_empty() {
        out.push_str("<li><strong>Shown because</strong> its page holds rows milepost doubts; nothing is flagged on this row itself. <br><strong>What to do:</strong> Check it against the picture.</li>\n");
    }
    out.push_str("</ul>\n</article>\n");
}

/// At most `n` characters, cut at a word, with "…".
fn short(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut}…")
}

const STYLE: &str = r#"body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem; color: #1a1a1a; line-height: 1.4; }
h1 { color: #1d3f6e; margin-bottom: .3rem; }
h2 { color: #1d3f6e; border-bottom: 2px solid #1d3f6e; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.02rem; margin: 0 0 .5rem; }
.where { font-weight: normal; color: #444; }
form#filters { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; background: #eef2f8; padding: .6rem 1rem; border-radius: 4px; }
form#filters[hidden] { display: none; }
select { font: inherit; padding: .2rem; }
#f-count { margin: 0; }
.verdict .badge { display: inline-block; font-weight: bold; padding: .1rem .6rem; border-radius: 3px; border: 2px solid currentColor; margin-right: .4rem; }
.verdict.good .badge { color: #0b5d1e; }
.verdict.check .badge { color: #8a4b00; }
.verdict.failed .badge { color: #a11; }
.verdict.good .badge::before { content: "✓ "; }
.verdict.check .badge::before { content: "! "; }
.verdict.failed .badge::before { content: "✗ "; }
article.row { border: 1px solid #bbb; border-left: 6px solid #8a4b00; border-radius: 4px; padding: .8rem 1rem; margin: 1rem 0; break-inside: avoid; }
article.row[data-flags="none"] { border-left-color: #777; }
.pair { display: flex; flex-direction: column; gap: .8rem; }
figure { margin: 0; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid #999; }
figcaption { font-size: .85rem; color: #444; }
.nocrop { background: #f4f4f4; padding: .8rem; border: 1px dashed #999; }
dl.fields { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; }
dl.fields dt { font-weight: bold; color: #333; }
dl.fields dd { margin: 0; }
ul.doubts { margin: .7rem 0 0; padding-left: 1.2rem; }
ul.doubts li { margin-bottom: .3rem; }
a { color: #1d3f6e; }
a:focus, select:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
@media print { form#filters { display: none; } body { max-width: none; } article.row { page-break-inside: avoid; } }
"#;

const SCRIPT: &str = r#"(function () {
  var form = document.getElementById("filters");
  var doc = document.getElementById("f-doc");
  var flag = document.getElementById("f-flag");
  var count = document.getElementById("f-count");
  function apply() {
    var shown = 0;
    document.querySelectorAll("section.doc").forEach(function (s) {
      var docOk = !doc.value || s.dataset.doc === doc.value;
      var any = false;
      s.querySelectorAll("article.row").forEach(function (a) {
        var ok = docOk && (!flag.value || a.dataset.flags.split(" ").indexOf(flag.value) >= 0);
        a.hidden = !ok;
        if (ok) { any = true; shown++; }
      });
      s.hidden = !docOk || (!!flag.value && !any);
    });
    count.textContent = shown + (shown === 1 ? " row shown" : " rows shown");
  }
  form.hidden = false;
  doc.addEventListener("change", apply);
  flag.addEventListener("change", apply);
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_shortened_at_a_word() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(short("Deliver the new library in the town centre", 20), "Deliver the new…");
        assert_eq!(short("Short", 20), "Short");
    }
}
