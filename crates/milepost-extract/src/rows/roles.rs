//! Which column of a table is which: the header rows found, and each column's role decided from
//! two pieces of evidence, its heading and its content.
//!
//! In: a [`Table`] and the vocabulary. Out: [`Columns`]: a role per grid column, where the data
//! starts, whether it is an action plan, and notes where content overruled a heading.
//!
//! The evidence, scored per column and role in [`score_columns`] and combined by one assignment
//! over all the columns (`assign`: each role at most once, the activity always, the highest
//! total wins; a close call between two columns is said in the run):
//! - the heading, read with `templates/columns.toml` (a two-level header's lower row names the
//!   column; a band over two columns names neither); a heading is one piece of evidence;
//! - the content of the column's data cells: status wordings, their cue words in short cells, or
//!   status-coloured fills with no words; short cells that are dates; reference codes that differ
//!   row by row; officers' initials, posts and teams (leads); prose, one cell a row on the rows
//!   with data (the activity), or carried over rows (an outcome); a few short wordings repeated in
//!   blocks (a theme) or here and there (a status scale no list holds);
//! - place: an outcome or theme stands left of the activity, commentary right of it (a cost where
//!   only content says the role; where no heading names anything, place alone tells prose
//!   columns apart).
//!
//! A column whose cells are status words is the status column whatever its heading ("Progress");
//! likewise dates, references and leads. When no heading names the activity, the prose column
//! with a cell on the rows of data is taken, where the table's shape shows a tracker (dates, leads
//! or a repeating status beside it). A column no role fits is kept under its printed heading
//! ([`Columns::extra_columns`]). A header row is a row of short cells, none of them data, that
//! names at least two columns; or, where no heading is known, one set apart by its style or by
//! the data under it ([`header_by_shape`]).
//!
//! Not here: carrying the hierarchy down (`hierarchy`), reading the rows themselves (`mod`).

use std::sync::OnceLock;

use regex::Regex;

use super::assign;
use crate::config::{Config, Role};
use crate::tables::{Cell, Table};

/// Internal column roles: the vocabulary's, plus a group column (Westshire's "Action" beside
/// "Milestone").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Vocab(Role),
    Group,
    /// A second date column right of the target ("NEW DATE", "Revised date"): the revised due date.
    Revised,
}

/// The columns of a tracker table.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    /// A role per grid column.
    pub roles: Vec<Option<Col>>,
    /// Whether the table holds actions (an action plan) rather than milestones.
    pub action: bool,
    /// The column edges the roles were decided on (a continuation must line up with them).
    pub col_edges: Vec<f32>,
    /// The heading text of each column, lower case (for notes and repeated headers).
    pub headings: Vec<String>,
    /// The heading of each column as printed (the name of a column kept in `extra`).
    pub printed: Vec<String>,
    /// Every header cell's text, normalised (a row made only of these is a repeated header).
    pub header_texts: Vec<String>,
    /// Where content overruled the heading, in words for the officer.
    pub notes: Vec<String>,
    /// Decided from headings alone (the header had no rows under it): decide again with the
    /// content of the table that continues it.
    pub provisional: bool,
    /// The columns were matched to a header with more columns: the rows may mix two columns.
    pub uncertain: bool,
    /// How many rows of data the roles were decided on (of a header repeated on every page, the
    /// decision made on more rows is the surer).
    pub evidence_rows: usize,
}

impl Columns {
    pub(crate) fn col(&self, want: Col) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(want))
    }
    pub(crate) fn role(&self, r: Role) -> Option<usize> {
        self.col(Col::Vocab(r))
    }
    /// The columns no role fits, with a heading to name them by ("Measure", "Budget (£k)"):
    /// their cells are kept in the record's `extra`, not dropped.
    pub(crate) fn extra_columns(&self) -> impl Iterator<Item = (usize, &str)> {
        self.roles.iter().enumerate().filter(|(_, r)| r.is_none()).filter_map(|(c, _)| self.printed.get(c).map(|h| (c, h.as_str()))).filter(|(_, h)| !h.is_empty())
    }
    /// Whether row `r` of `table` repeats the header (all its cells are header texts).
    pub(crate) fn is_repeated_header(&self, table: &Table, r: usize) -> bool {
        let mut any = false;
        for c in own_cells(table, r) {
            if !self.header_texts.contains(&norm(&c.text)) {
                return false;
            }
            any = true;
        }
        any
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A heading is short: a cell with more words than this is data, not a header.
const HEADING_MAX_WORDS: usize = 8;
/// ... but one heading of a header may run to this many, explaining itself ("Source (agenda
/// title / item / date / Action Ref)": ten).
const HEADING_LONG_MAX_WORDS: usize = 16;
/// A terse heading: "Due Date", "Proposed to Open/ Close".
const HEADING_TERSE_WORDS: usize = 4;
/// A header found by its shape alone is among the first rows of its table, ...
const SHAPE_HEADER_MAX_ROW: usize = 3;
/// ... and heads at least this many columns (or all of a narrower table's), and two in three of
/// them: a theme band split at a borderless table's gutters has one or two cells ("Nature" |
/// "Recovery") ...
const SHAPE_HEADER_MIN_CELLS: usize = 3;
/// ... in at most this many rows (a band over two columns, then their headings) ...
const SHAPE_HEADER_MAX_LEVELS: usize = 3;
/// ... with this many rows of data under it to read the roles from; with fewer, the table it
/// heads decides them.
const SHAPE_HEADER_MIN_DATA_ROWS: usize = 2;
/// With no header at all, the content alone must show a tracker over this many rows (a table of
/// two rows of dates and prose is as often a schedule or a key).
const HEADERLESS_MIN_ROWS: usize = 3;
/// A column whose cells are this share distinct counts as wholly distinct, as activities are
/// ("See above" or a repeated "Ongoing" among them does not make it less so).
const DISTINCT_FULL_SHARE: f32 = 0.8;
/// A column edge of a table that goes on from the one before may stand this far from the edge
/// it inherits: three times a continuation's tolerance (a column that grew or shrank with its
/// text on the new page).
const INHERITED_EDGE_TOL_PT: f32 = crate::tables::CONTINUATION_TOL_PT * 3.0;
/// A header found by its shape over fewer rows than this whose content decides no roles waits
/// for the next table's content, as one over no rows does.
const SHAPE_HEADER_FEW_ROWS: usize = 4;
/// A row above the header with text in at most this many cells is preamble (a title, a
/// paragraph, a running header with its classification at the right).
const PREAMBLE_MAX_CELLS: usize = 2;
/// A continued table's inner column edge may move by this share of the narrower column beside
/// it (text-found edges follow each page's text).
const INNER_EDGE_SHIFT: f32 = 0.4;
/// A column is the status column when at least this share of its filled cells are status
/// wordings or status colours (a few cells may hold a note or an unknown wording).
const STATUS_SHARE: f32 = 0.6;
/// A column holds target dates when at least this share of its filled cells are short and
/// name a date (commentary mentions dates too, but in long cells).
const DATE_SHARE: f32 = 0.6;
/// A date cell is short: "Original target date: March 2024 Revised target date: June 2024"
/// has 10 words.
const DATE_CELL_MAX_WORDS: usize = 14;
/// A column holds references when this share of its filled cells are short codes.
const REF_SHARE: f32 = 0.8;
/// A reference column's codes are nearly all different (a row's ref may be printed twice where
/// the row breaks over a page).
const REF_DISTINCT: f32 = 0.8;
/// A reference column's cells are a word or two on average ("1.2", "SO1, SO3").
const REF_MAX_MEAN_WORDS: f32 = 2.0;
/// A column of dates headed as a revision ("Revised deadline") counts this much as the target:
/// the original date is the target where there is one.
const REVISED_DATE_WEIGHT: f32 = 0.5;
/// A column of bare numbers is a reference column when they rise from one row to the next at
/// least this often (a row broken over a page prints its number twice).
const REF_NUMBERS_RISING: f32 = 0.8;
/// Prose: the activity and commentary columns average at least this many words per cell.
const PROSE_MIN_WORDS: f32 = 3.0;

fn re_date() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\bq[1-4]\b|\b(19|20)\d\d\s*[/-]\s*\d\d\b|\bongoing\b|\b(spring|summer|autumn|winter)\s+(19|20)\d\d\b|\b(19|20)\d\d\b",
        )
        .expect("valid regex")
    })
}

fn re_ref() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^(?i)[a-z]{0,4}[ -]?\d{1,3}([.\-/]\d{1,3}){0,3}[a-z]?\.?$").expect("valid regex"))
}

/// Whether a cell's text reads as a target date (short, naming a month, quarter, year or
/// "ongoing").
pub(crate) fn is_date_like(text: &str) -> bool {
    let words = text.split_whitespace().take(DATE_CELL_MAX_WORDS + 1).count();
    words > 0 && words <= DATE_CELL_MAX_WORDS && re_date().is_match(text)
}

/// Words other than the date a cell may hold and still be just a date ("Revised: June 2025",
/// "End of March 2026"); "Housing Board / Item 12 / 18.04.24 / HWB22" (a meeting reference
/// with its date) holds four.
const ONLY_DATE_OTHER_WORDS: usize = 2;

/// Whether a date cell is little more than its date: at most [`ONLY_DATE_OTHER_WORDS`] words
/// with letters beside what names the date.
fn is_only_date(text: &str) -> bool {
    let rest = re_date().replace_all(text, " ");
    rest.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() <= ONLY_DATE_OTHER_WORDS
}

/// Whether a cell's text is a status wording of the vocabulary (its first line, or all of it:
/// "Behind" / "schedule" wraps).
pub(crate) fn is_status_like(text: &str, cfg: &Config) -> bool {
    let t = text.trim();
    !t.is_empty() && StatusSaid::of(t, cfg).status_like(t)
}

/// What the vocabulary says of a cell's (trimmed) text, asked once.
struct StatusSaid {
    /// The whole text is a listed wording.
    listed: bool,
    /// It, or its first line, is a listed wording ("Behind" / "schedule" wraps).
    first_line: bool,
    /// Not listed, but its cue words say a status.
    cued: bool,
}

impl StatusSaid {
    fn of(t: &str, cfg: &Config) -> StatusSaid {
        let listed = cfg.status_of_words(t).is_some();
        let first_line = listed || t.lines().next().is_some_and(|l| l != t && cfg.status_of_words(l).is_some());
        let cued = !listed && cfg.status_by_cues(t).is_some();
        StatusSaid { listed, first_line, cued }
    }
    /// A status wording for a column's evidence: listed, or short with a cue.
    fn status_like(&self, t: &str) -> bool {
        self.first_line || (self.cued && t.split_whitespace().count() <= STATUS_CUE_MAX_WORDS)
    }
    /// Says a status in its first words (an update in the status column may).
    fn says_status(&self) -> bool {
        self.listed || self.cued
    }
}

/// A cell this short whose words hold a status cue counts as a status wording for a column's
/// evidence ("Falling behind", "▼ Off track – major delays"): status wordings run to four or
/// five words, activities and commentary are longer.
const STATUS_CUE_MAX_WORDS: usize = 5;

fn re_abbrev() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // Officers by initials (DPH, CPH, DDPH, AD, HoS, CEx), several joined ("DPH / CPH", "DPH & AD").
    R.get_or_init(|| Regex::new(r"^[A-Z][A-Za-z]{0,2}[A-Z][A-Z0-9]{0,4}s?$|^[A-Z]{2}$").expect("valid regex"))
}

fn re_person() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // A post, a team or a named officer: the words leads are written in ("Head of Housing",
    // "Public Health team", "J. Smith").
    R.get_or_init(|| {
        Regex::new(r"(?i:\b(officer|officers|manager|director|directorate|head|lead|team|service|services|board|partnership|committee|chief|executive|assistant|cabinet member|portfolio holder|councillor|cllr|coordinator|co-ordinator|commissioner|consultant|advisor|adviser|group|unit|department)\b)|^[A-Z]\.? ?[A-Z][a-z]+$")
            .expect("valid regex")
    })
}

/// Whether a cell reads as who leads the work: officers' initials ("DPH", "CPH / DDPH"), a post
/// or team ("Head of Housing"), a named officer. Short, and never a status wording.
pub(crate) fn is_lead_like(text: &str) -> bool {
    let t = text.trim();
    // One word past the most a lead has is enough to know (commentary runs to hundreds).
    let words: Vec<&str> =
        t.split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '&' | ';' | '(' | ')')).filter(|w| !w.is_empty() && *w != "and").take(LEAD_MAX_WORDS + 1).collect();
    if words.is_empty() || words.len() > LEAD_MAX_WORDS {
        return false;
    }
    let abbrevs = words.iter().filter(|w| re_abbrev().is_match(w)).count();
    abbrevs * 2 >= words.len().max(1) + usize::from(words.len() > 2) || re_person().is_match(t)
}

/// A lead cell is short: "Assistant Director of Public Health and Wellbeing" has seven words.
const LEAD_MAX_WORDS: usize = 8;
/// A column is a lead column by content when this share of its filled cells read as leads.
const LEAD_SHARE: f32 = 0.6;

/// Whether a cell is wholly a status wording, as a cell in a row of data is and a heading is
/// not: a heading may start with a status word on its first line ("Planned" / "completion").
fn is_status_cell(text: &str, cfg: &Config) -> bool {
    let t = text.trim();
    !t.is_empty() && cfg.status_of_words(t).is_some()
}

/// What a column's data cells look like.
#[derive(Debug, Clone, Default)]
struct Content {
    filled: usize,
    status: usize,
    dates: usize,
    refs: usize,
    words: usize,
    distinct: usize,
    /// Runs of one wording down the column (a theme repeats in blocks; a status alternates).
    runs: usize,
    /// Cells that read as leads (officers' initials, posts, teams).
    leads: usize,
    /// Cells merged down over several rows (an outcome over its milestones).
    spans: usize,
    /// The rows (of the table) holding this column's filled cells.
    rows: Vec<usize>,
    /// Cells whose first words say a status (a listed wording, or its cues): "Complete –
    /// briefing circulated to members".
    says_status: usize,
    /// Date cells that are little more than the date ([`is_only_date`]).
    only_dates: usize,
    /// The cells that are bare whole numbers, in order down the column.
    numbers: Vec<u64>,
}

impl Content {
    fn share(&self, n: usize) -> f32 {
        if self.filled == 0 {
            0.0
        } else {
            n as f32 / self.filled as f32
        }
    }
    fn mean_words(&self) -> f32 {
        if self.filled == 0 {
            0.0
        } else {
            self.words as f32 / self.filled as f32
        }
    }
    fn is_status(&self) -> bool {
        self.filled >= 2 && self.share(self.status) >= STATUS_SHARE
    }
    /// Short wordings, few of them, each repeated here and there down the column: a status
    /// scale in words milepost does not know (a theme or group repeats in blocks instead).
    fn is_unknown_scale(&self) -> bool {
        self.filled >= SCALE_MIN_CELLS
            && self.mean_words() <= SCALE_MAX_WORDS
            && self.distinct * 2 <= self.filled
            && self.distinct <= SCALE_MAX_WORDINGS
            && self.runs >= self.distinct + SCALE_EXTRA_RUNS
            && self.dates == 0
            && self.refs == 0
            && !self.is_lead()
    }
    /// Officers' initials, posts or teams: a lead column (its few wordings recur as a status
    /// scale's do, but they are no status).
    fn is_lead(&self) -> bool {
        self.filled >= 2 && self.share(self.leads) >= LEAD_SHARE && self.share(self.status) < STATUS_SHARE
    }
    /// Short wordings, each repeated down the column in one run: the theme written on every
    /// row of its block (a status scale's wordings recur here and there instead).
    fn is_blocks(&self) -> bool {
        self.filled >= SCALE_MIN_CELLS
            && self.distinct * BLOCK_MIN_ROWS <= self.filled
            && self.runs <= self.distinct + 1
            && self.mean_words() <= THEME_MAX_WORDS
            && self.status == 0
            && self.dates == 0
            && self.refs == 0
    }
    fn is_date(&self) -> bool {
        self.filled >= 2 && self.share(self.dates) >= DATE_SHARE
    }
    fn is_ref(&self) -> bool {
        self.filled >= 2 && self.share(self.refs) >= REF_SHARE && self.numbers_in_order()
    }
    /// A column of bare numbers is a reference only where they count up the rows ("1", "2",
    /// "3"): risk scores, counts and percentages are numbers in no order.
    fn numbers_in_order(&self) -> bool {
        if self.numbers.len() < self.filled || self.numbers.len() < 2 {
            return true;
        }
        let up = self.numbers.windows(2).filter(|w| w[1] > w[0]).count();
        up as f32 >= REF_NUMBERS_RISING * (self.numbers.len() - 1) as f32
    }
}

/// Looks at the data cells of each column (single-column cells from `first_data` down).
fn column_content(table: &Table, first_data: usize, cfg: &Config) -> Vec<Content> {
    let mut out = vec![Content::default(); table.cols()];
    let mut seen: Vec<Vec<String>> = vec![Vec::new(); table.cols()];
    let mut last: Vec<Option<String>> = vec![None; table.cols()];
    for cell in table.cells.iter().filter(|c| c.row >= first_data && c.col_span == 1) {
        let Some(content) = out.get_mut(cell.col) else { continue };
        let text = cell.text.trim();
        let colour_status = text.is_empty() && cell.fill.is_some_and(|f| cfg.status_of_colour(f).is_some());
        if text.is_empty() && !colour_status {
            continue;
        }
        content.filled += 1;
        content.rows.push(cell.row);
        let said = StatusSaid::of(text, cfg);
        if colour_status || said.status_like(text) {
            content.status += 1;
        }
        if is_date_like(text) {
            content.dates += 1;
            if is_only_date(text) {
                content.only_dates += 1;
            }
        }
        if let Ok(n) = text.trim().trim_end_matches('.').parse::<u64>() {
            content.numbers.push(n);
        }
        if re_ref().is_match(text) {
            content.refs += 1;
        }
        if is_lead_like(text) {
            content.leads += 1;
        }
        if colour_status || said.says_status() {
            content.says_status += 1;
        }
        if cell.row_span > 1 {
            content.spans += 1;
        }
        content.words += text.split_whitespace().count();
        let key = text.to_lowercase();
        if last[cell.col].as_ref() != Some(&key) {
            content.runs += 1;
            last[cell.col] = Some(key.clone());
        }
        if !seen[cell.col].contains(&key) {
            seen[cell.col].push(key);
            content.distinct += 1;
        }
    }
    out
}

/// The cells of row `r` that start in it (a cell merged down from above is not this row's).
fn own_cells(table: &Table, r: usize) -> impl Iterator<Item = &Cell> {
    table.cells.iter().filter(move |c| c.row == r && !c.text.trim().is_empty())
}

/// Whether row `r` can be (part of) a header: short cells, none of them data, at least one
/// naming a column. Some(how many cells name a column) when it can.
fn header_like(table: &Table, r: usize, cfg: &Config) -> Option<usize> {
    let cells: Vec<&Cell> = own_cells(table, r).collect();
    if cells.is_empty() {
        return None;
    }
    // Cheapest test first: most rows tried are data rows, with a long cell. A header may have
    // one long heading ("Source (agenda title / item / date / Action Ref)").
    if !short_cells(&cells) {
        return None;
    }
    let data = cells.iter().any(|c| is_status_cell(&c.text, cfg) || (is_date_like(&c.text) && cfg.role_of_heading(&c.text).is_none()));
    let named = cells.iter().filter(|c| cfg.role_of_heading(&c.text).is_some()).count();
    (!data && named >= 1).then_some(named)
}

/// Whether cells are short as headings are: each of at most [`HEADING_MAX_WORDS`] words; or one
/// of at most [`HEADING_LONG_MAX_WORDS`] beside terse ones (a row of data has several cells of
/// five words or more).
fn short_cells(cells: &[&Cell]) -> bool {
    let words = |c: &&&Cell| c.text.split_whitespace().count();
    let long = cells.iter().filter(|c| words(c) > HEADING_MAX_WORDS).count();
    let terse = cells.iter().filter(|c| words(c) <= HEADING_TERSE_WORDS).count();
    long == 0 || (long == 1 && cells.len() >= 3 && terse + 1 == cells.len() && cells.iter().all(|c| words(&c) <= HEADING_LONG_MAX_WORDS))
}

/// A header found by its shape, when no heading is in `columns.toml` ("Column 3", "Detail",
/// "Information"): the first row of the table (after any preamble) whose cells are short, none
/// of them data, over most columns, set apart from the row under it (bold or shaded where that
/// row is not); the roles then come from the content alone ([`roles_from`]). Tried last, for a
/// table that neither has a known header nor continues the tracker before it (a bold band in
/// a continued table is a theme, not a header).
pub(crate) fn header_by_shape(table: &Table, cfg: &Config, first_table: bool) -> Option<(Columns, usize, usize)> {
    let rows = table.rows();
    let is_data = |c: &&Cell| is_status_cell(&c.text, cfg) || is_date_like(&c.text);
    // A row of data has several cells (a title above the table, "Annual Delivery Plan 2025/26",
    // holds a date in its one cell).
    let first_data = (0..rows).find(|r| own_cells(table, *r).count() > 1 && own_cells(table, *r).any(|c| is_data(&c))).unwrap_or(rows);
    let min_cells = SHAPE_HEADER_MIN_CELLS.min(table.cols());
    let heading_row = |r: usize| {
        let cells: Vec<&Cell> = own_cells(table, r).collect();
        !cells.is_empty() && short_cells(&cells) && !cells.iter().any(is_data)
    };
    let styled = |r: usize| {
        let cs: Vec<&Cell> = own_cells(table, r).collect();
        let bold = !cs.is_empty() && cs.iter().all(|c| c.bold);
        let fill = cs.first().and_then(|c| c.fill).filter(|f| cs.iter().all(|c| c.fill == Some(*f)));
        (bold, fill)
    };
    // Below any number of preamble rows (a running header, a title, paragraphs of introduction
    // set in the table's columns: one or two cells a row, no data), as a header in known words is.
    // (A title or paragraph alone on its row may name a year: "Strategic Plan 2022/23".)
    let preamble =
        (0..rows).take_while(|r| own_cells(table, *r).count() <= PREAMBLE_MAX_CELLS && (own_cells(table, *r).count() <= 1 || !own_cells(table, *r).any(|c| is_data(&c)))).count();
    for r in 0..first_data.min(preamble + SHAPE_HEADER_MAX_ROW) {
        let cells = own_cells(table, r).count();
        if cells < min_cells || cells * 3 < table.cols() * 2 || !heading_row(r) {
            continue;
        }
        // The header block: this row and those under it set the same way, short and holding no
        // data (a band over two columns, then their own headings).
        let mut end = r + 1;
        while end < rows && end < r + SHAPE_HEADER_MAX_LEVELS && heading_row(end) && styled(end) == styled(r) && own_cells(table, end).count() > 1 {
            end += 1;
        }
        let (hb, hf) = styled(r);
        // The first row of data under it (a theme band may come between, bold or shaded itself).
        let next = (end..rows).find(|n| own_cells(table, *n).count() >= min_cells);
        let set_apart = match next {
            Some(n) => {
                let (nb, nf) = styled(n);
                // Bold or shaded where the data is not; or plain over data that reads as data
                // (a date, a status, a cell longer than any heading).
                // The plain case only for the document's first tracker table: later, a table
                // that continues none before it is more often one misread (its rows split at a
                // page's gutters) than a new plain header.
                (hb && !nb) || (hf.is_some() && hf != nf) || (first_table && own_cells(table, n).any(|c| is_data(&c) || c.text.split_whitespace().count() > HEADING_MAX_WORDS))
            }
            None => hb || hf.is_some(),
        };
        if !set_apart {
            continue;
        }
        // Fewer than two rows of data under it (the rest found as a table of their own, after a
        // theme band or over the page): provisional, its roles decided with the content of the
        // table it heads ([`inherit`]). Likewise a header over a few rows whose content cannot
        // decide (one milestone and a group row at the foot of the first page).
        let data_rows = (end..rows).filter(|n| own_cells(table, *n).count() > 1).count();
        let provisional = || Some((provisional_columns(table, r, end), r, end));
        if data_rows < SHAPE_HEADER_MIN_DATA_ROWS {
            return provisional();
        }
        return decide_roles(table, r, end, cfg).map(|c| (c, r, end)).or_else(|| if data_rows < SHAPE_HEADER_FEW_ROWS { provisional() } else { None });
    }
    if first_table {
        return headerless(table, cfg, first_data);
    }
    None
}

/// The columns of a header found by its shape over too few rows to decide their roles: the
/// headings only, no role yet; decided with the content of the table it heads ([`inherit`]).
fn provisional_columns(table: &Table, start: usize, end: usize) -> Columns {
    let printed = headings(table, start, end);
    let headings: Vec<String> = printed.iter().map(|h| h.to_lowercase()).collect();
    let header_texts = table.cells.iter().filter(|c| c.row >= start && c.row < end && !c.text.trim().is_empty()).map(|c| norm(&c.text)).collect();
    Columns {
        roles: vec![None; table.cols()],
        action: false,
        col_edges: table.col_edges.clone(),
        headings,
        printed,
        header_texts,
        notes: Vec::new(),
        provisional: true,
        uncertain: false,
        evidence_rows: 0,
    }
}

/// A table with no header row at all (its header printed above its first rule, or none), before
/// any tracker table of the document: its rows from `first_data` on read as a tracker by their
/// content alone, where [`HEADERLESS_MIN_ROWS`] rows or more of several cells show it, with two
/// of dates, statuses and leads beside the activities. A note says so.
fn headerless(table: &Table, cfg: &Config, first_data: usize) -> Option<(Columns, usize, usize)> {
    let data_rows = (first_data..table.rows()).filter(|n| own_cells(table, *n).count() > 1).count();
    if data_rows < HEADERLESS_MIN_ROWS {
        return None;
    }
    // A row of headings in its first half (two cells or more that name columns): the table
    // holds its header below other text (a key, an introduction), and is no headerless table.
    // (Further down, a heading row is the header repeated for a new theme over rows like these.)
    let heading_row = |r: usize| own_cells(table, r).filter(|c| c.text.split_whitespace().count() <= HEADING_MAX_WORDS && cfg.role_of_heading(&c.text).is_some()).count() >= 2;
    if (first_data..(first_data + table.rows()) / 2 + 1).any(heading_row) {
        return None;
    }
    let content = column_content(table, first_data, cfg);
    let mut cols = decide_roles_on(table, first_data, first_data, &content, cfg)?;
    // With nothing printed to say what the columns are, the content must show a tracker twice
    // over: beside the activities, two of dates, statuses and leads (a table of figures or
    // names beside prose shows one at most).
    if [Role::Target, Role::Status, Role::Lead].iter().filter(|r| cols.role(**r).is_some()).count() < 2 {
        return None;
    }
    // Statuses each given once are a key's, not a tracker's (a key lists every wording once,
    // with its meaning beside it).
    if has_role(&cols.roles, Role::Status) && !status_repeats(&cols.roles, &content) {
        return None;
    }
    cols.notes.insert(0, "this table has no header row: its columns were read from their content alone; check a few rows against the PDF".to_string());
    Some((cols, first_data, first_data))
}

/// Whether row `b` is set like header row `a`: the same boldness and shading; a plain header
/// continues only with cells that all name a column.
fn same_style(table: &Table, a: usize, b: usize, cfg: &Config) -> bool {
    let style = |r: usize| {
        let cells: Vec<&Cell> = own_cells(table, r).collect();
        let bold = cells.iter().all(|c| c.bold);
        let fill = cells.first().and_then(|c| c.fill);
        (bold, fill)
    };
    let (sa, sb) = (style(a), style(b));
    if sa.0 || sa.1.is_some() {
        sa == sb
    } else {
        own_cells(table, b).all(|c| cfg.role_of_heading(&c.text).is_some())
    }
}

/// Finds the header of a table: its rows and the columns they name. None when the table has
/// no header that names an activity column (it may still continue a tracker from the page
/// before: see [`inherit`]).
pub(crate) fn read_header(table: &Table, cfg: &Config) -> Option<(Columns, usize, usize)> {
    let rows = table.rows();
    // The header is among the first rows, or below any number of preamble rows: a title,
    // paragraphs of introduction and a running header set in a borderless table's columns
    // (text in one or two cells, none of them a heading row).
    // Not in a table of two or three columns, whose rows all have few cells, and not a row
    // holding a date or a status (a continued table's rows above a repeated header).
    let preamble = |r: usize| {
        table.cols() > PREAMBLE_MAX_CELLS + 1
            && own_cells(table, r).count() <= PREAMBLE_MAX_CELLS
            && own_cells(table, r).all(|c| !is_status_like(&c.text, cfg) && !is_date_like(&c.text))
    };
    // Not below a row of data (a table continued from the page before, above its repeated
    // header and a theme band): those rows are the tracker's, read with its columns.
    let data_row = |r: usize| own_cells(table, r).count() > PREAMBLE_MAX_CELLS && own_cells(table, r).any(|c| is_status_cell(&c.text, cfg) || is_date_like(&c.text));
    let first_data = (0..rows).find(|r| data_row(*r)).unwrap_or(rows);
    let last_start = (0..rows).find(|r| *r >= 4 && !preamble(*r - 1)).unwrap_or(rows).max(4).min(rows).min(first_data.max(4));
    for start in 0..last_start {
        // A header names at least two columns (one short cell naming a column is a group row
        // or a title: "Deliver our commitment to carers").
        if header_like(table, start, cfg).is_none_or(|named| named < 2) {
            continue;
        }
        // The header block: this row and the header-like rows under it (a band over two
        // columns, then their own headings; a heading wrapped into a second row).
        // Only rows set like the first (bold, shaded): a wrapped cell's tail in a data row
        // may be short and contain a heading word ("(milestone 163).").
        let mut end = start + 1;
        // A band right across the table under the header is a theme ("Climate Action" names
        // no column, though "action" is a heading word), not more header.
        let band = |r: usize| {
            let cells: Vec<&Cell> = own_cells(table, r).collect();
            cells.len() == 1 && cells[0].col_span == table.cols() && table.cols() > 1
        };
        while end < rows && end < start + 3 && !band(end) && header_like(table, end, cfg).is_some() && same_style(table, start, end, cfg) {
            end += 1;
        }
        // And the header-like row just above, set the same way, naming one column: the top of a
        // two-level header ("Deliverable" beside a band "Delivery" over two headings).
        let mut start = start;
        while start > 0 && end - start < 3 && header_like(table, start - 1, cfg).is_some() && same_style(table, start, start - 1, cfg) {
            start -= 1;
        }
        if let Some(cols) = decide_roles(table, start, end, cfg) {
            return Some((cols, start, end));
        }
    }
    None
}

/// Each column's heading: the text of the header cells over it that cover it alone, top to
/// bottom (a heading wrapped over the two rows a band over other columns makes: "What we
/// want to" / "achieve"; a band over two columns names neither of them), else the band's.
fn headings(table: &Table, start: usize, end: usize) -> Vec<String> {
    (0..table.cols())
        .map(|c| {
            let mut own: Vec<&str> = Vec::new();
            let mut band = None;
            for r in start..end {
                if let Some(cell) = table.cell_at(r, c) {
                    if cell.text.trim().is_empty() {
                        continue;
                    }
                    if cell.col_span == 1 {
                        if cell.row == r {
                            own.push(&cell.text);
                        }
                    } else if cell.col == c && band.is_none() {
                        band = Some(cell.text.as_str());
                    }
                }
            }
            let text = if own.is_empty() { band.unwrap_or_default().to_string() } else { own.join(" ") };
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Decides the role of every column from its heading and its content; None when no column
/// can be the activity.
fn decide_roles(table: &Table, start: usize, end: usize, cfg: &Config) -> Option<Columns> {
    decide_roles_on(table, start, end, &column_content(table, end, cfg), cfg)
}

/// [`decide_roles`] with the content of the columns under the header already read.
fn decide_roles_on(table: &Table, start: usize, end: usize, content: &[Content], cfg: &Config) -> Option<Columns> {
    let printed = headings(table, start, end);
    let headings: Vec<String> = printed.iter().map(|h| h.to_lowercase()).collect();
    let header_texts = table.cells.iter().filter(|c| c.row >= start && c.row < end && !c.text.trim().is_empty()).map(|c| norm(&c.text)).collect();
    let mut cols = roles_from(headings, content, cfg, header_texts, table.col_edges.clone(), true)?;
    cols.printed = printed;
    cols.evidence_rows = table.rows().saturating_sub(end);
    // A header standing alone (a heading or band sits between it and the rows): the content
    // that decides comes with the next table.
    cols.provisional = table.rows() <= end;
    Some(cols)
}

/// Decides the roles from the headings and the content of the columns under them, in steps:
/// every column scored for every role and the best assignment taken (`assign.rs`); notes on
/// what the content decided ([`content_notes`], [`close_call_notes`]); the status column from
/// commentary where none was found ([`status_from_commentary`]); the table's shape checked
/// ([`shows_a_tracker`]); a revised-date column ([`revised_date_column`]).
/// `own_header`: the headings are the table's own (or its header's, with nothing between), not
/// mapped onto a continuation's columns found differently, where a heading may be missing because
/// its column was joined to a neighbour.
fn roles_from(headings: Vec<String>, content: &[Content], cfg: &Config, header_texts: Vec<String>, col_edges: Vec<f32>, own_header: bool) -> Option<Columns> {
    // What each heading names, asked once (the vocabulary is searched word by word).
    let by_heading: Vec<Option<Role>> = headings.iter().map(|h| cfg.role_of_heading(h)).collect();
    let named_by_heading = by_heading.iter().filter(|r| r.is_some()).count();
    let groups = activity_groups(&headings, &by_heading);
    let mut scores = score_columns(&headings, &by_heading, content, cfg, named_by_heading, own_header);
    for g in &groups {
        scores.clear(*g);
    }
    let chosen = assign::best(&scores, None)?;
    let mut roles: Vec<Option<Col>> = chosen.roles.iter().map(|r| r.map(Col::Vocab)).collect();
    for g in &groups {
        roles[*g] = Some(Col::Group);
    }
    let mut notes = content_notes(&roles, &by_heading, &headings, content);
    notes.extend(close_call_notes(&scores, &chosen, &headings));
    status_from_commentary(&mut roles, &mut notes, &by_heading, &headings, content, cfg);
    let act = roles.iter().position(|r| *r == Some(Col::Vocab(Role::Activity)))?;
    if by_heading[act] != Some(Role::Activity) && !shows_a_tracker(&roles, content) {
        return None;
    }
    revised_date_column(&mut roles, &mut notes, &headings, content);
    // Mostly unknown columns, even with what the content shows: a data row or a title.
    let named = roles.iter().filter(|r| r.is_some()).count();
    let filled = headings.iter().filter(|h| !h.is_empty()).count();
    if named * 2 < filled.max(2) && named < MIN_ROLES_FOR_TRACKER {
        return None;
    }
    if named < 2 {
        return None;
    }
    let h = &headings[act];
    // No status column: an action plan when the activity's heading says so, or when nothing
    // comments on progress either (a plan of actions, leads and dates); a tracker whose rows
    // have commentary but no rating stays a tracker.
    let action = !has_role(&roles, Role::Status) && (h.contains("action") || h.contains("response") || !has_role(&roles, Role::Rationale));
    // A headed column holding text that no role took is left out of the records: say so, so
    // that its heading can be added to columns.toml if it matters.
    for c in 0..headings.len() {
        if roles[c].is_none() && !headings[c].is_empty() && content[c].filled >= 2 {
            notes.push(format!("{} is not a column milepost knows: its text is kept with each row under \"other columns\"; if it holds milestones, dates, statuses or commentary, add its heading to templates/columns.toml", column_name(&headings, c)));
        }
    }
    let printed = headings.clone();
    Some(Columns { roles, action, col_edges, headings, printed, header_texts, notes, provisional: false, uncertain: false, evidence_rows: 0 })
}

fn has_role(roles: &[Option<Col>], r: Role) -> bool {
    roles.contains(&Some(Col::Vocab(r)))
}

/// Two columns headed as activities ("Action" beside "Milestone"): the milestone is the row, the
/// action groups it. The columns that group.
fn activity_groups(headings: &[String], by_heading: &[Option<Role>]) -> Vec<usize> {
    let headed_acts: Vec<usize> = (0..headings.len()).filter(|c| by_heading[*c] == Some(Role::Activity)).collect();
    if headed_acts.len() <= 1 {
        return Vec::new();
    }
    let keep = headed_acts.iter().copied().find(|c| headings[*c].contains("milestone")).unwrap_or(*headed_acts.last().expect("non-empty"));
    headed_acts.iter().copied().filter(|c| *c != keep).collect()
}

/// Where the content, not the heading, gave a column its role: say so, naming the column.
fn content_notes(roles: &[Option<Col>], by_heading: &[Option<Role>], headings: &[String], content: &[Content]) -> Vec<String> {
    let mut notes = Vec::new();
    for c in 0..headings.len() {
        let Some(Col::Vocab(r)) = roles[c] else { continue };
        if by_heading[c] == Some(r) {
            continue;
        }
        let named = column_name(headings, c);
        match r {
            Role::Status if content[c].is_status() => notes.push(format!("{named} holds status words: read as the status column")),
            Role::Status => notes.push(format!("{named} holds a few short wordings repeated down it: read as the status column, though status.toml lists none of them")),
            Role::Target => notes.push(format!("{named} holds dates: read as the target date column")),
            Role::Ref => notes.push(format!("{named} holds references: read as the reference column")),
            Role::Lead => notes.push(format!("{named} holds officers' initials, posts or teams: read as the lead column")),
            Role::Theme => notes.push(format!("{named} holds a few short wordings, each repeated down a block of rows: read as the theme")),
            Role::Activity => notes.push(format!("no heading names the activity: {named} was read as the activity")),
            Role::Outcome | Role::Rationale => {}
        }
    }
    notes
}

/// A close call between two columns for a role the rows depend on: say which was taken.
fn close_call_notes(scores: &assign::Scores, chosen: &assign::Assignment, headings: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    for (c, r, other) in assign::close_calls(scores, chosen, &[Role::Activity, Role::Status, Role::Target, Role::Lead]) {
        if let Some(o) = other {
            notes.push(format!(
                "{} and {} could each be the {} column; {} was read as it: check a few rows against the PDF",
                column_name(headings, c),
                column_name(headings, o),
                role_name(r),
                column_name(headings, c)
            ));
        }
    }
    notes
}

/// Where no column is the status by the assignment: commentary under a heading that names a
/// status too, or commentary that says a status in its first words, is the status column; and a
/// status scale no list holds is read as one only in a tracker (one with dates).
fn status_from_commentary(roles: &mut [Option<Col>], notes: &mut Vec<String>, by_heading: &[Option<Role>], headings: &[String], content: &[Content], cfg: &Config) {
    let n = headings.len();
    // Commentary: read as it, or headed as it and left without a role (a second commentary
    // column, "Progress" beside "Rationale for status").
    let commentary = |roles: &[Option<Col>], c: usize| roles[c] == Some(Col::Vocab(Role::Rationale)) || (roles[c].is_none() && by_heading[c] == Some(Role::Rationale));
    // No status column, and commentary under a heading that names a status too ("Status
    // update", "Status / update", "Progress / RAG"): the status column, its words the
    // officer's account of progress (the value read from their cues, or flagged).
    if !has_role(roles, Role::Status) {
        let names_status = |h: &str| cfg.heading_names(h, Role::Status);
        if let Some(c) = (0..n).find(|c| commentary(roles, *c) && names_status(&headings[*c])) {
            roles[c] = Some(Col::Vocab(Role::Status));
        }
    }
    // Still no status column, and commentary that says a status in its first words in a third
    // of its cells or more ("Complete – briefing circulated", "Item not due yet", "Closed"): the
    // column where the status is given, as a board's action log gives it. Its words are kept
    // as the status text, the value read from them, a cell that says none flagged.
    if !has_role(roles, Role::Status) {
        let says = |c: usize| content[c].share(content[c].says_status);
        let cand = (0..n).filter(|c| commentary(roles, *c) && says(*c) >= NARRATIVE_STATUS_SHARE).max_by(|a, b| says(*a).total_cmp(&says(*b)));
        if let Some(c) = cand {
            notes.push(format!("{} gives each row's status in its words: read as the status column", column_name(headings, c)));
            roles[c] = Some(Col::Vocab(Role::Status));
        }
    }
    if let Some(c) = roles.iter().position(|r| *r == Some(Col::Vocab(Role::Status))) {
        if by_heading[c] != Some(Role::Status) && !content[c].is_status() && content[c].is_unknown_scale() && !has_role(roles, Role::Target) {
            roles[c] = None;
            notes.retain(|m| !m.contains("though status.toml lists none"));
        }
    }
}

/// An activity found by its content alone needs the table's shape to show a tracker: beside the
/// activities, dates, leads, or statuses in a column that repeats its wordings (a key of status
/// colours lists each wording once, with prose beside it).
fn shows_a_tracker(roles: &[Option<Col>], content: &[Content]) -> bool {
    has_role(roles, Role::Target) || has_role(roles, Role::Lead) || status_repeats(roles, content)
}

/// Whether the status column repeats its wordings down the rows (a key lists each once).
fn status_repeats(roles: &[Option<Col>], content: &[Content]) -> bool {
    roles.iter().position(|r| *r == Some(Col::Vocab(Role::Status))).is_some_and(|c| content[c].distinct < content[c].filled)
}

/// A second column of dates right of the target ("NEW DATE" beside "Due Date"), or one whose
/// heading says it revises ("Revised date", "Updated timescale"): the revised date. Read from
/// its content alone, its cells must be dates and little else: a column of meeting references,
/// each with its date, is not a revised date.
fn revised_date_column(roles: &mut [Option<Col>], notes: &mut Vec<String>, headings: &[String], content: &[Content]) {
    let Some(t) = roles.iter().position(|r| *r == Some(Col::Vocab(Role::Target))) else { return };
    let only_dates = |c: usize| content[c].is_date() && content[c].share(content[c].only_dates) >= DATE_SHARE;
    if let Some(c) = (t + 1..headings.len()).find(|c| roles[*c].is_none() && (only_dates(*c) || (revises(&headings[*c]) && content[*c].dates > 0))) {
        notes.push(format!("{} holds dates beside the target date: read as the revised date", column_name(headings, c)));
        roles[c] = Some(Col::Revised);
    }
}

/// What a heading that names a role is worth: one piece of evidence.
const HEADING_WEIGHT: f32 = 1.0;
/// A heading that uses the role's own name ("Shared outcome(s)") names it more surely than a
/// synonym does ("Commitment", which some councils use for outcomes and others for actions).
const HEADING_OWN_NAME: f32 = 0.5;
/// A synonym of outcome over prose not carried over rows: see [`score_columns`].
const OUTCOME_SYNONYM_UNCARRIED: f32 = 0.1;
/// A heading naming a role beside another role's word ("Status / update").
const HEADING_ALSO_NAMES: f32 = 0.5;
/// What a column's cells are worth when every one is of one kind (status wordings, dates,
/// references, leads): twice a heading, so that cells outvote the heading over them ("Progress"
/// over RAG wordings is the status column) but a heading and some content outvote content alone.
const CONTENT_WEIGHT: f32 = 2.0;
/// A column of prose with a cell on every row of data, each different: the activity. Less than
/// a column of one kind: prose is also what commentary and outcomes hold.
const ACTIVITY_WEIGHT: f32 = 1.5;
/// Prose under a heading naming another role counts this much as the activity.
const ACTIVITY_UNDER_OTHER: f32 = 0.5;
/// An activity is a sentence: at this many words on average a prose column counts fully.
const ACTIVITY_FULL_WORDS: f32 = 8.0;
/// Officers' initials, posts or teams: less sure than status wordings or dates (a sentence
/// naming a service reads as a team), so a heading naming another role and content agreeing
/// with it outweigh them.
const LEAD_WEIGHT: f32 = 1.5;
/// A column with merged cells over half its rows is carried over rows, as an outcome is; as the
/// activity it counts this much.
const ACTIVITY_MERGED: f32 = 0.3;
/// Commentary is prose, often the longest of the table: at this many words on average a column
/// counts fully (so of two commentary columns the fuller is the one).
const RATIONALE_FULL_WORDS: f32 = 12.0;
/// Prose carried over rows (merged down or repeated) left of the activity: its outcome.
const OUTCOME_CARRIED: f32 = 1.0;
/// Prose not carried over rows: an outcome by place (a table with no headings to say), or a
/// sentence under an outcome heading.
const OUTCOME_PLACE: f32 = 0.1;
/// Short tags under an outcome heading count against it: of two columns headed as outcomes, the
/// one of sentences is the outcome even on a page where it is blank (printed once, before).
const OUTCOME_TAGS: f32 = 0.75;
/// A few short wordings each run down a block of rows: the theme.
const THEME_BLOCKS: f32 = 1.2;
/// Theme names run to about this many words ("Transport and Connectivity") ...
const THEME_NAME_WORDS: f32 = 3.0;
/// ... and each word more costs this much of the theme's score: a repeated wording of five words
/// or more is more likely an outcome (scored [`OUTCOME_CARRIED`]).
const THEME_PER_WORD: f32 = 0.2;
/// A few short wordings recurring here and there, no list knowing them: a status scale, less
/// surely than listed wordings.
const UNKNOWN_SCALE: f32 = 1.2;
/// A column headed as the target date keeps the role against another column of dates when at
/// least this share of its cells are dates (the rest "ASAP", "TBC", "Next meeting").
const HEADING_KEEPS_DATES: f32 = 0.25;

/// Whether a heading uses a role's own name ("outcome" in "Shared outcome(s)").
fn own_name(heading: &str, r: Role) -> bool {
    let name = match r {
        Role::Target => "target",
        Role::Rationale => "commentary",
        Role::Ref => "ref",
        _ => role_name(r),
    };
    heading.split(|ch: char| !ch.is_alphanumeric()).any(|w| w.starts_with(name))
}

/// Each column's score for each role (see [`assign`]), from its heading and its content.
/// `named_by_heading`: how many headings name a role. Where some do, a column whose heading names
/// none is a column of its own kind ("Measure", "Shared outcome"): the roles only place can tell
/// (outcome, commentary) are not given to it; where none does ("Column 3"), place decides them.
fn score_columns(headings: &[String], by_heading: &[Option<Role>], content: &[Content], cfg: &Config, named_by_heading: usize, own_header: bool) -> assign::Scores {
    let n = headings.len();
    let mut s = assign::Scores::new(by_heading.to_vec());
    // The rows of data: those with a cell in a column of dates, statuses or leads (by content
    // or heading). An activity has a cell on each; an outcome on one per block.
    let data_col = |c: usize| content[c].is_date() || content[c].is_status() || content[c].is_lead() || matches!(by_heading[c], Some(Role::Target | Role::Status | Role::Lead));
    let data_rows: Vec<usize> = (0..n).filter(|c| data_col(*c)).flat_map(|c| content[c].rows.iter().copied()).collect();
    let mut ev = Evidence { headings, by_heading, content, cfg, place_only: named_by_heading == 0, own_header, data_rows, most: 1 };
    ev.most = (0..n).filter(|c| ev.prose_like(*c)).map(|c| ev.on_data(c)).max().unwrap_or(0).max(1);
    for c in 0..n {
        ev.heading(&mut s, c);
        ev.wordings(&mut s, c);
        ev.prose(&mut s, c);
    }
    s
}

/// What the columns of one table show, for scoring them (`score_columns`).
struct Evidence<'a> {
    headings: &'a [String],
    by_heading: &'a [Option<Role>],
    content: &'a [Content],
    cfg: &'a Config,
    /// No heading names a role ("Column 3"): place decides the roles only place can tell.
    place_only: bool,
    own_header: bool,
    /// The rows with a cell in a column of dates, statuses or leads.
    data_rows: Vec<usize>,
    /// The most cells on rows of data of any column of prose (at least 1).
    most: usize,
}

impl Evidence<'_> {
    /// Cells of column `c` on the rows of data (all its cells where no column shows them).
    fn on_data(&self, c: usize) -> usize {
        let k = &self.content[c];
        if self.data_rows.is_empty() {
            k.filled
        } else {
            k.rows.iter().filter(|r| self.data_rows.contains(r)).count()
        }
    }

    fn prose_like(&self, c: usize) -> bool {
        self.content[c].filled >= ACTIVITY_MIN_CELLS && self.content[c].mean_words() >= PROSE_MIN_WORDS
    }

    /// Carried over rows, as an outcome is: merged down, repeated, or printed once for a block
    /// of rows (a cell on few of the rows of data).
    fn carried(&self, c: usize) -> bool {
        let k = &self.content[c];
        k.spans > 0 || k.distinct * 10 < k.filled * 8 || (self.on_data(c) as f32) < ACTIVITY_ROWS_SHARE * self.most as f32
    }

    /// The heading: the role it names, and any other role it names too.
    fn heading(&self, s: &mut assign::Scores, c: usize) {
        let (k, heading) = (&self.content[c], &self.headings[c]);
        if let Some(r) = self.by_heading[c] {
            let own = own_name(heading, r);
            // An outcome is carried over its rows (merged down or repeated); under another
            // name ("Commitment", "Objective"), prose with a new cell on every row is as likely
            // the activity: the heading says little.
            let weight = if r == Role::Outcome && !own && !self.carried(c) && self.prose_like(c) {
                OUTCOME_SYNONYM_UNCARRIED
            } else if r != Role::Status && k.is_status() {
                // Status wordings under another role's heading ("Progress" over "On track",
                // "Delayed"): the cells outvote the heading, which then says nothing else.
                0.0
            } else {
                HEADING_WEIGHT
            };
            // A heading that says it revises ("Revised deadline") names the second date.
            if !(r == Role::Target && revises(heading)) {
                s.add(c, r, weight);
                if own {
                    s.add(c, r, HEADING_OWN_NAME);
                }
            }
        }
        // A heading that names a role beside the one it names most ("Status / update",
        // "Progress / RAG"; two headings joined over one column, "Milestone / action Risk score
        // Owner"): some evidence for that role too.
        if !heading.is_empty() {
            for r in assign::ROLES {
                if self.by_heading[c] != Some(r) && self.cfg.heading_names(heading, r) {
                    s.add(c, r, HEADING_ALSO_NAMES);
                }
            }
        }
    }

    /// Short wordings: statuses, dates, references, leads, a theme's blocks.
    fn wordings(&self, s: &mut assign::Scores, c: usize) {
        let (k, by_heading) = (&self.content[c], self.by_heading[c]);
        // Status wordings, or a scale no list holds.
        if k.is_status() {
            s.add(c, Role::Status, CONTENT_WEIGHT * k.share(k.status));
        } else if matches!(by_heading, None | Some(Role::Rationale)) && k.is_unknown_scale() {
            s.add(c, Role::Status, UNKNOWN_SCALE);
        }
        // Dates: those that are little more than a date count twice (a meeting reference with
        // its date is a date of something else).
        let dates = CONTENT_WEIGHT * 0.5 * (k.share(k.dates) + k.share(k.only_dates));
        if k.is_date() || (by_heading == Some(Role::Target) && k.share(k.dates) >= HEADING_KEEPS_DATES) {
            let revised = revises(&self.headings[c]);
            s.add(c, Role::Target, if revised { dates * REVISED_DATE_WEIGHT } else { dates });
        }
        // References differ row by row: a column of numbers that repeat is a score or a count.
        if k.is_ref() && k.mean_words() <= REF_MAX_MEAN_WORDS && k.distinct as f32 >= REF_DISTINCT * k.filled as f32 {
            s.add(c, Role::Ref, CONTENT_WEIGHT * k.share(k.refs));
        }
        // Officers' initials, posts or teams (never a theme's blocks of one wording).
        if k.is_lead() && !k.is_blocks() {
            s.add(c, Role::Lead, LEAD_WEIGHT * k.share(k.leads));
        }
        // Blocks of one short wording, under a heading of some kind.
        if k.is_blocks() && !self.headings[c].is_empty() && by_heading.is_none() {
            // A theme is a name of a few words; at five or more it reads as an outcome's
            // sentence, written on each row of its block.
            let sentence = (k.mean_words() - THEME_NAME_WORDS).max(0.0) * THEME_PER_WORD;
            s.add(c, Role::Theme, THEME_BLOCKS - sentence);
        }
    }

    /// Prose: the activity, its outcome, or commentary.
    fn prose(&self, s: &mut assign::Scores, c: usize) {
        let (k, by_heading) = (&self.content[c], self.by_heading[c]);
        // Under a heading naming another role, prose counts for less: a heading joined with its
        // neighbour's ("Milestone / action current status") or a commentary column may still
        // hold the activities, where the content shows no better column.
        let headed_other = by_heading.is_some_and(|r| r != Role::Activity && r != Role::Outcome);
        if self.prose_like(c) && (self.own_header || by_heading != Some(Role::Outcome)) {
            let cover = self.on_data(c) as f32 / self.most as f32;
            let distinct = (k.distinct as f32 / (k.filled as f32 * DISTINCT_FULL_SHARE)).min(1.0);
            let merged = if k.spans * 2 >= k.filled { ACTIVITY_MERGED } else { 1.0 };
            let length = (k.mean_words() / ACTIVITY_FULL_WORDS).min(1.0);
            let headed = if headed_other { ACTIVITY_UNDER_OTHER } else { 1.0 };
            s.add(c, Role::Activity, ACTIVITY_WEIGHT * cover * distinct * distinct * merged * length * headed);
        }
        // Tags ("Housing", "Climate" under "Shared outcome"): an outcome is a sentence.
        if k.filled >= 2 && k.mean_words() < PROSE_MIN_WORDS {
            s.add(c, Role::Outcome, -OUTCOME_TAGS);
        }
        if k.filled >= 1 && k.mean_words() >= PROSE_MIN_WORDS {
            if by_heading == Some(Role::Rationale) || self.place_only {
                s.add(c, Role::Rationale, (k.mean_words() / RATIONALE_FULL_WORDS).min(1.0));
            }
            if self.carried(c) && (by_heading == Some(Role::Outcome) || self.place_only) {
                s.add(c, Role::Outcome, OUTCOME_CARRIED);
            } else if self.place_only || by_heading == Some(Role::Outcome) {
                // A sentence, not a tag ("Housing" under "Shared outcome"): of two columns
                // headed as outcomes, the one of sentences.
                s.add(c, Role::Outcome, OUTCOME_PLACE);
            }
        }
    }
}

/// Whether a header found in `table` is a row of the tracker whose columns (`prev`) it
/// continues: a group row that happens to name two columns ("Climate Action", "Deliver our
/// commitments on…") in a table whose header was printed once. The table's columns line up
/// with the tracker's, and none of the found header's cells is one of the tracker's header
/// cells: a repeated header repeats its wording; a new table with the same columns and all new
/// headings is rarer than a group row that reads like a heading.
pub(crate) fn foreign_header(table: &Table, found: &Columns, prev: &Columns, cfg: &Config) -> bool {
    prev.roles.len() == table.cols() && !prev.header_texts.is_empty() && !found.header_texts.iter().any(|t| prev.header_texts.contains(t)) && inherit(table, prev, cfg).is_some()
}

/// A continuation table (no header of its own) takes the columns of the tracker table before
/// it when its column edges line up with them.
pub(crate) fn inherit(table: &Table, prev: &Columns, cfg: &Config) -> Option<Columns> {
    if prev.roles.len() != table.cols() {
        return realign(table, prev, cfg);
    }
    let tol = INHERITED_EDGE_TOL_PT;
    // The outer edges line up, and each inner edge is near its place: within the tolerance,
    // or (edges found from text or fills, in a frame with no column rules) well inside the
    // narrower of the two columns beside it.
    let (pe, te) = (&prev.col_edges, &table.col_edges);
    let n = pe.len();
    let lined_up = (0..n).all(|i| {
        let d = (pe[i] - te[i]).abs();
        if i == 0 || i == n - 1 {
            return d <= tol;
        }
        let narrower = (pe[i] - pe[i - 1]).min(pe[i + 1] - pe[i]).min(te[i] - te[i - 1]).min(te[i + 1] - te[i]);
        d <= tol.max(INNER_EDGE_SHIFT * narrower)
    });
    // Borderless tables find their edges from each page's text: they may move a little more
    // (a centred first column's edge is where its text starts); but one starting at a later
    // column of the header (its first column empty on this page, an outcome printed once) has
    // as many columns only by chance: each takes its place by where its text lies.
    let borderless = table.kind == crate::tables::TableKind::Borderless;
    if !(lined_up || borderless) {
        // Ruled, as many columns, but found differently (an outcome column empty on this page
        // joined to its neighbour, a status colour found as a column of its own).
        return realign(table, prev, cfg);
    }
    // Nor one whose inner edges are each nearest another of the header's (a column left empty
    // on this page, an outcome, joined to its neighbour, and another split in two).
    let nearest = |x: f32| (0..n).min_by(|a, b| (pe[*a] - x).abs().total_cmp(&(pe[*b] - x).abs())).unwrap_or(0);
    let in_order = (1..n - 1).all(|i| nearest(te[i]) == i);
    if !lined_up && (te[0] >= pe[1] - REALIGN_START_PT || !in_order) {
        return realign(table, prev, cfg);
    }
    if prev.provisional {
        let content = column_content(table, 0, cfg);
        if let Some(cols) = roles_from(prev.headings.clone(), &content, cfg, prev.header_texts.clone(), prev.col_edges.clone(), true) {
            return Some(Columns { printed: prev.printed.clone(), ..cols });
        }
        // A header found by its shape alone names nothing: without content to decide, no roles.
        prev.role(Role::Activity)?;
    }
    Some(Columns { notes: Vec::new(), ..prev.clone() })
}

/// A continuation whose columns were found a little differently (a column split in two or two
/// joined, as text-found columns can be): each of its columns takes the heading of the header
/// column it overlaps most, when that covers most of it; the roles are then decided again with
/// this table's content.
fn realign(table: &Table, prev: &Columns, cfg: &Config) -> Option<Columns> {
    let pe = &prev.col_edges;
    let te = &table.col_edges;
    // The tables must span about the same width; or this one starts at a later column of the
    // header, the columns before it empty on this page (an outcome printed once, in the first
    // row of its block, on the page before) and so not found from its text.
    let tol = REALIGN_START_PT;
    let later_start = (pe[0] - te[0]).abs() > tol;
    let starts_at_edge = pe[..pe.len() - 1].iter().any(|p| (p - te[0]).abs() <= tol) && te[0] >= pe[0] - tol;
    if !starts_at_edge || (pe[pe.len() - 1] - te[te.len() - 1]).abs() > tol {
        return None;
    }

    let mut headings = vec![String::new(); table.cols()];
    let mut used = vec![false; prev.roles.len()];
    let mut matched: Vec<Option<usize>> = vec![None; table.cols()];
    // Columns with text first: a narrow one of fills alone (a status colour beside its
    // words, found as a column of its own) takes a heading only if none of them did.
    let mut order: Vec<usize> = (0..table.cols()).collect();
    order.sort_by_key(|c| column_text_x(table, *c).is_none());
    for c in order {
        // Where the column's text lies, else its edges: a column found over two of the
        // header's (one of them empty on this page) belongs to the one holding its text: the
        // one most of its cells lie in (refs "5", "6", "7" beside one outcome printed at its
        // block's first row, found as one column with them, are the ref column).
        let overlap = |a: f32, b: f32, p: usize| (b.min(pe[p + 1]) - a.max(pe[p])).max(0.0);
        let covering = |a: f32, b: f32| (0..prev.roles.len()).map(|p| (p, overlap(a, b, p))).max_by(|x, y| x.1.total_cmp(&y.1)).filter(|(_, ov)| *ov >= REALIGN_COVER * (b - a));
        let mut votes = vec![0usize; prev.roles.len()];
        for (a, b) in table.cells.iter().filter(|cell| cell.col == c && cell.col_span == 1).filter_map(|cell| cell.text_x) {
            if let Some((p, _)) = covering(a, b) {
                votes[p] += 1;
            }
        }
        let voted = (0..votes.len()).filter(|p| votes[*p] > 0).max_by_key(|p| votes[*p]);
        let (a, b) = column_text_x(table, c).unwrap_or((te[c], te[c + 1]));
        let best =
            voted.map(|p| (p, overlap(a, b, p).max(REALIGN_COVER * (b - a)))).or_else(|| (0..prev.roles.len()).map(|p| (p, overlap(a, b, p))).max_by(|x, y| x.1.total_cmp(&y.1)));
        if let Some((p, ov)) = best {
            if ov >= REALIGN_COVER * (b - a) && !used[p] {
                used[p] = true;
                matched[c] = Some(p);
                headings[c] = prev.headings[p].clone();
            }
        }
    }
    let content = column_content(table, 0, cfg);
    let mut cols = roles_from(headings, &content, cfg, prev.header_texts.clone(), table.col_edges.clone(), false)?;
    cols.notes.clear();
    cols.printed = matched.iter().map(|p| p.and_then(|p| prev.printed.get(p).cloned()).unwrap_or_default()).collect();
    // A header column with no heading had its role from its content (status words under a
    // band "Delivery"): the column that takes its place keeps that role, though this page may
    // hold too few of its cells to show it again.
    for (c, p) in matched.iter().enumerate() {
        let Some(p) = *p else { continue };
        if prev.headings[p].is_empty() && cols.roles[c].is_none() && prev.roles[p].is_some() && !cols.roles.contains(&prev.roles[p]) {
            cols.roles[c] = prev.roles[p];
        }
    }
    // Fewer columns than the header: two may have been read as one, and their cells mix. That
    // is doubtful only when a column the rows need (activity, date, status, commentary) found
    // no place on this page; a column left empty here (an outcome printed once, on the page
    // before) joins its neighbour harmlessly.
    let needed = |r: &Option<Col>| matches!(r, Some(Col::Vocab(Role::Activity | Role::Target | Role::Status | Role::Rationale)));
    let lost = (0..prev.roles.len()).any(|p| needed(&prev.roles[p]) && !used[p]);
    // A table starting at a later column is a continuation only when each column the rows need
    // found its place: weaker evidence than spanning the header's width.
    if lost && later_start {
        return None;
    }
    cols.uncertain = table.cols() < prev.roles.len() && lost;
    Some(cols)
}

/// How a note names a column: by its heading, or, where it has none, by its place.
fn column_name(headings: &[String], c: usize) -> String {
    match headings[c].as_str() {
        // Counted from the left, so that two columns with no heading are told apart.
        "" => format!("column {} from the left (it has no heading)", c + 1),
        heading => format!("the column headed \"{heading}\""),
    }
}

/// The left and right of the text in a column's own cells (not those spanning others).
fn column_text_x(table: &Table, c: usize) -> Option<(f32, f32)> {
    table.cells.iter().filter(|cell| cell.col == c && cell.col_span == 1).filter_map(|cell| cell.text_x).reduce(|(a0, b0), (a1, b1)| (a0.min(a1), b0.max(b1)))
}

/// Commentary is the status column, where no other is, when this share of its cells say a
/// status in their first words (an update column of a tracker says one now and then, in passing).
const NARRATIVE_STATUS_SHARE: f32 = 0.34;

/// Whether a heading says its column revises another ("Revised deadline", "NEW DATE").
fn revises(h: &str) -> bool {
    h.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|x| REVISION_WORDS.contains(&x))
}

/// Heading words of a revised date column.
const REVISION_WORDS: [&str; 7] = ["new", "revised", "updated", "amended", "forecast", "rescheduled", "latest"];

/// The activity column by content has a cell on at least this share of the rows of data the
/// fullest prose column has one on (an outcome column has one per block of rows; an activity
/// wrapped onto a row of its own, or a commentary running on, moves the count by one or two).
const ACTIVITY_ROWS_SHARE: f32 = 0.7;
/// One cell is no evidence of a column of activities (a header over one row, an outcome's first
/// line under a header whose activity heading was joined to its neighbours').
const ACTIVITY_MIN_CELLS: usize = 2;
/// A table whose columns are mostly unknown is still a tracker when this many of them have a
/// role (activity, a date, a lead: "What we have committed to | Led by | Timescale | Measure |
/// Shared Outcome | Notes").
const MIN_ROLES_FOR_TRACKER: usize = 3;

/// A theme by content: each wording runs down at least this many rows on average (a page of a
/// tracker holds two or three themes over 10–20 rows; outcomes change every row or two).
const BLOCK_MIN_ROWS: usize = 3;
/// A theme by content is a name, not a sentence ("Transport and Connectivity"); outcomes are
/// sentences of eight words or more.
const THEME_MAX_WORDS: f32 = 6.0;

/// An unknown status scale: at least this many cells, ...
const SCALE_MIN_CELLS: usize = 4;
/// ... of at most this many words on average (status wordings average under two; officers'
/// titles, "Head of Housing", three or more) ...
const SCALE_MAX_WORDS: f32 = 2.5;
/// ... and at most this many wordings (a status scale has three to eight) ...
const SCALE_MAX_WORDINGS: usize = 8;
/// ... its wordings changing down the column at least this many times more than there are
/// wordings (a theme column changes once per theme).
const SCALE_EXTRA_RUNS: usize = 2;

/// A continuation whose first edge is further than this (points) from the header's starts at a
/// later column of it, or is no continuation.
const REALIGN_START_PT: f32 = 20.0;

/// A continuation's column takes a header column's heading when that covers this share of it.
const REALIGN_COVER: f32 = 0.6;

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Theme => "theme",
        Role::Outcome => "outcome",
        Role::Activity => "activity",
        Role::Target => "target date",
        Role::Status => "status",
        Role::Rationale => "commentary",
        Role::Ref => "reference",
        Role::Lead => "lead",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_with_no_heading_is_named_by_its_place() {
        let headings = vec!["".to_string(), "target date".to_string(), "".to_string()];
        assert_eq!(column_name(&headings, 1), "the column headed \"target date\"");
        assert_eq!(column_name(&headings, 0), "column 1 from the left (it has no heading)");
        assert_ne!(column_name(&headings, 0), column_name(&headings, 2), "two columns with no heading are told apart");
    }

    #[test]
    fn date_cells_are_short_and_name_a_date() {
        assert!(is_date_like("Original target date: March 2024 Revised target date: June 2024"));
        assert!(is_only_date("Revised: Sept 2025") && is_only_date("End of March 2026") && is_only_date("30/06/2025"));
        assert!(!is_only_date("Housing Board / Item 12 / 18.04.24 / HWB22"));
        assert!(is_date_like("Q3 2024/25"));
        assert!(is_date_like("31/03/2025"));
        assert!(is_date_like("Ongoing"));
        assert!(!is_date_like("Officers"));
        assert!(!is_date_like("The scheme is within budget and on programme and a report will go to Cabinet in March 2024 for approval of the next stage."));
    }

    #[test]
    fn an_unknown_scale_alternates_and_a_theme_or_lead_does_not_pass() {
        // "Good", "Fair", "Good", "Poor", "Good", "Fair", "Good", "Poor": three wordings, eight runs.
        let scale = Content { filled: 8, status: 0, dates: 0, refs: 0, words: 8, distinct: 3, runs: 8, ..Default::default() };
        assert!(scale.is_unknown_scale());
        // A theme: two wordings in two blocks.
        let theme = Content { runs: 2, distinct: 2, ..scale.clone() };
        assert!(!theme.is_unknown_scale());
        // Officers' titles, three words each, repeated here and there.
        let leads = Content { words: 24, ..scale.clone() };
        assert!(!leads.is_unknown_scale());
    }

    #[test]
    fn leads_are_initials_posts_and_teams() {
        for lead in ["DPH", "CPH / DDPH", "DPH & AD", "Head of Housing", "Public Health team", "J. Smith", "AD Housing"] {
            assert!(is_lead_like(lead), "{lead}");
        }
        for other in ["On track", "Amber", "March 2025", "Deliver the new library at Wath", "1.2.3", "Thriving Neighbourhoods"] {
            assert!(!is_lead_like(other), "{other}");
        }
        // A column of initials repeated here and there is a lead column, never a status scale.
        let leads = Content { filled: 8, words: 8, distinct: 3, runs: 8, leads: 8, ..Default::default() };
        assert!(leads.is_lead() && !leads.is_unknown_scale());
    }

    #[test]
    fn status_words_from_the_vocabulary() {
        let cfg = Config::builtin();
        assert!(is_status_like("On track", &cfg));
        assert!(is_status_like("Behind\nschedule", &cfg));
        assert!(!is_status_like("Progress", &cfg));
    }
}
