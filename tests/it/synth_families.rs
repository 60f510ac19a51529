//! One generated document for each layout family that once read badly or not at all, each held
//! at its own floor: `tests/corpus/synth-families/` (seeds of `../shared/gold/src/synth.py`
//! beyond the 1–60 sample, made for the check on seeds 161–400, with their exact truth).
//!
//! Each family and the mechanism that reads it:
//! - 0221 (Chromium, no rules): the title and introduction set in the table's columns above a
//!   two-level header. The header is looked for below any number of preamble rows.
//! - 0354 (ReportLab, outer frame): a rule under a band over two headings only, and one-line
//!   milestones beside two-line outcomes. A rule that misses some columns still ends their
//!   cells where their text does not run on; the line pitch is the smallest gap that recurs.
//! - 0227 (Writer, frame): a theme band just under the header with no rule between them (the
//!   same partial-rule mechanism).
//! - 0247 (Calc, zebra): a column of one-line dates set close beside long milestones. A column
//!   edge where words start after a wide gap on most rows.
//! - 0294 (Calc, zebra): each shaded row tiled around its status cell. A tiling of several
//!   colours repeated down the page is row shading, not a header.
//! - 0194 (Writer, frame, status colours only): pages whose column edges come from text and
//!   status fills. A continued page's inner edges may shift within their columns.
//! - 0279 (Chromium, rules between rows): the last row of a page below the last rule, evenly
//!   spaced. Rows start at its anchor column's lines, not at every line.
//! - 0005 (ReportLab action plan, one frame per recommendation): small blocks of one- and
//!   two-line actions, whose row gaps the lower quartile of the gaps took for wrapped lines. The
//!   pitch of a small band is held to what wrapped lines of its font size can be.
//! - 0088 (Writer action plan, frames): a block of one-line actions read as a grid of figures
//!   (a row per line) split a two-line action in two. A partial line set closer than the usual
//!   gap wraps the row above.
//! - 0050 (Calc, zebra, status colours only): a table read as several areas, one per shaded
//!   band, saw each band's tiling once and took it for a header. Row shading is a tiling of
//!   several colours repeated anywhere on the page.
//! - 0382 (Writer, no rules, header filled cell by cell): a theme heading just under the header,
//!   in the same bold, was read into it. The first line below a band filled across the table
//!   starts a row.
//! - 0639 (Chromium action plan, frames): browsers round line boxes to whole pixels, so wrapped
//!   lines are 12.0 or 12.75 pt apart and rows 16.5: 1.29 pitches. A gap 0.3 font sizes wider
//!   than the pitch starts a paragraph too.
//! - 0551 (Calc action plan, frames): one-line actions 15 pt apart, a few leads wrapped at 9.9:
//!   the recurring gap was the row gap. The pitch is the smallest gap seen twice that wrapped
//!   lines of the font size can be.
//! - 0616 (Writer, grid, header printed once): a group row "Climate Action | … | Deliver our
//!   commitments on …" names two columns and was taken for a new header. A header found in a
//!   table that continues a tracker must repeat some of its wording.
//! - 0594 (Calc, zebra, borderless): a centred status column, its edge found where most words
//!   start; "Completed - ongoing" started left of it and joined target and status. The edge
//!   moves to the start of text that runs across it from the gutter.
//! - 0527 (Chromium, rules between outcome blocks): a page with no rules below the header, its
//!   outcome column empty. A continuation may start at a later column of the header, and the
//!   lines under a ruled table take its columns from the inner edge they start at.
//! - 0071 (Chromium, rules between outcome blocks): a page's first table continues the table
//!   above the borderless tail that ended the page before.
//! - 0563 (Chromium, frame, status colours only): the first row of each page, its status a
//!   colour with no words, was joined to the last row of the page before.
//! - 0129 (Calc, zebra, header printed once): "Overall status" left-aligned under a band
//!   "Delivery" over centred statuses split the status column in two, and the next page's
//!   tables (its merged outcome cell empty) took their columns from each other, each a step
//!   further from the header: refs read as outcomes, statuses lost. A centred column's edge
//!   ignores a band that starts before it; a continuation realigns with the header itself, by
//!   where its text lies, and keeps a role the header's content gave.
//! - 0147 (ReportLab, no rules, header repeated under each theme band): a page's rows continued
//!   from the page before, above a theme band and the repeated header, were dropped as the
//!   table's preamble. No header is looked for below a row of data.
//! - 0301 (Chromium, no rules, centred statuses headed "RAG"): a narrow column holding only the
//!   starts of "Completed - ongoing" and the centred heading split the status column. A column
//!   with no text of its own joins the next.
//! - 0152 (Writer action plan, rules between rows, header filled cell by cell): the white gaps
//!   between the header's fills were taken for 3 pt columns, and a "Priority 5 – …" heading
//!   and its "What the peers said" text, which run across them, became rows. Fill edges closer
//!   than a column can be are one edge.
//! - 0332 (Writer, no rules, one-line milestones 14.9 pt apart, a few dates wrapped at 10.4):
//!   on a page where few cells wrap, every column's lower-quartile gap was a row gap, read as
//!   the line pitch, and rows of three milestones were joined. A quartile wider than wrapped
//!   lines can be gives way to the smallest gap that recurs within that range.
//! - 0864 (Calc, rules between outcome blocks, header repeated as a table of its own, the
//!   outcome printed once): a page's rows, their outcome column empty, were found one column
//!   short and took the header's columns by count, each one to the left; and "What we want to
//!   / achieve", wrapped over the two rows a band makes, was headed "achieve". A continuation
//!   starting at a later header column realigns by where its text lies; a heading joins its
//!   cells top to bottom.
//! - 0429 (ReportLab, no rules, statuses centred under a heading "RAG" set left): the heading
//!   alone made a narrow column of its own, every status running across it read as a group row,
//!   and each milestone split at its status. A column holding only its heading, with several
//!   centred entries (none at its left edge) running on past it, is part of the next.
//! - 0517 (Calc, no rules, milestones the only prose, lead, date and status beside them): most
//!   lines filled most columns, so the table was read as a grid of figures, a row a line, and
//!   a wrapped milestone's second sentence became a row. A table whose anchor column is prose
//!   set apart in paragraphs is not a grid of figures.
//! - 0872 (Writer, rules between outcome blocks): blocks whose every line fills most columns
//!   (milestones wrapped beside wrapped dates) were cut into a row a line. A line at the
//!   block's least gap whose first column goes on in lower case continues the row above.
//! - 0402 (Chromium, no rules, centred statuses under a band "Delivery"): the band, centred
//!   over dates and statuses, ended just short of the statuses, and was taken for the end of
//!   the dates' text: the status column's edge stayed where most statuses start, and every
//!   "Completed/ Ongoing" ran across it and split its milestone. A bold heading does not bound
//!   the column before's text.
//! - 0202 (Chromium, no rules, status fills, group rows shaded beside the outcome column): a
//!   table found from its text ends where its text does, and the fills, running on to the
//!   cells' sides, were taken for shading outside it, so no fill marked a row and each group
//!   row joined the milestone above. A fill mostly over the table marks its rows; a header
//!   row naming one column above the found header is its top level; and an outcome's wrapped
//!   tail beside the top of the next row's status fill is only an outcome.
//! - 0576 (Writer, zebra, merged outcomes, centred statuses): the header was found with dates
//!   and statuses as one column, and a later page, its outcome column empty, had as many
//!   columns again: it took the header's by count, each one to the right. A borderless
//!   continuation whose inner edges are each nearest another header edge realigns.
//! - 0812 (Calc, zebra, status fills centred in the first column): the status column split
//!   where most of its words start, and each "Completed - / ongoing" split its milestone. The
//!   first column too joins the next when centred entries run across the edge from inside it,
//!   most of them clear of its left edge (one wide entry may fill it).
//! - 0464 (Chromium, frames, merged outcomes): a page's frame, its outcome column empty and
//!   joined to the theme's, its status colour found as a column of its own, had as many
//!   columns as the header but not the same ones, and was dropped. A ruled continuation that
//!   does not line up realigns, columns with text taking their headings first.
//! - 0030 (Chromium, no rules, header filled cell by cell, statuses centred under "Progress"
//!   set left): the header's first and last fills run past the table's text, so the tiling
//!   was not seen, the status edge stayed where the statuses start, "Action" and "Progress"
//!   joined in one heading and the first page went unread. A fill lying mostly over a table
//!   is its fill, for columns as for rows.
//! - 1006 (Calc, zebra, header printed once, few rows on its first page): the dates column had
//!   too few lines to show, a group row ran across its gutter, the activity took the dates and
//!   the header "Action Deadline" named no activity: no page was read. A bold heading line's
//!   cells show column starts where two data lines start words at the same place.

use crate::common;

/// Each document's floor: its row F1 when the mechanisms were added (0.92–1.00), less a margin.
const MIN_ROW_F1: f64 = 0.90;
/// Each document's field accuracy over its matched rows (0.93–1.00 when set), less a margin.
/// (0382's, 0.85 while its groups were partly misread, went with the bold-line group rows: it
/// reads 0.967.)
const MIN_FIELDS: f64 = 0.90;

/// One test per family, named by its seed, so that one family can be run alone
/// (`cargo test --release --test it synth_families::synth_0517`) and fails by name.
macro_rules! family {
    ($name:ident) => {
        #[test]
        fn $name() {
            let file = format!("{}.pdf", stringify!($name).replace('_', "-"));
            let (f1, fields) = common::score_one(&common::corpus_dir().join("synth-families"), &file);
            assert!(f1 >= MIN_ROW_F1 && fields >= MIN_FIELDS, "{file}: row F1 {f1:.3}, fields {fields:.3} (floors {MIN_ROW_F1}, {MIN_FIELDS})");
        }
    };
}

family!(synth_0005);
family!(synth_0030);
family!(synth_0050);
family!(synth_0071);
family!(synth_0088);
family!(synth_0129);
family!(synth_0147);
family!(synth_0152);
family!(synth_0194);
family!(synth_0202);
family!(synth_0221);
family!(synth_0227);
family!(synth_0247);
family!(synth_0279);
family!(synth_0294);
family!(synth_0301);
family!(synth_0332);
family!(synth_0354);
family!(synth_0382);
family!(synth_0402);
family!(synth_0429);
family!(synth_0464);
family!(synth_0517);
family!(synth_0527);
family!(synth_0551);
family!(synth_0563);
family!(synth_0576);
family!(synth_0594);
family!(synth_0616);
family!(synth_0639);
family!(synth_0812);
family!(synth_0864);
family!(synth_0872);
family!(synth_1006);

/// Every fixture in the folder has its test above.
#[test]
fn every_fixture_has_its_test() {
    let dir = common::corpus_dir().join("synth-families");
    let mut files: Vec<String> =
        std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".pdf")).collect();
    files.sort();
    let tested: Vec<String> =
        "0005 0030 0050 0071 0088 0129 0147 0152 0194 0202 0221 0227 0247 0279 0294 0301 0332 0354 0382 0402 0429 0464 0517 0527 0551 0563 0576 0594 0616 0639 0812 0864 0872 1006"
            .split(' ')
            .map(|n| format!("synth-{n}.pdf"))
            .collect();
    assert_eq!(files, tested);
}
