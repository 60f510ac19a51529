//! Reads the target-date cell of a tracker row into a start, a due date, a revised due date and an
//! "ongoing" flag.
//!
//! The input is the cell's text with whitespace already collapsed. The output keeps that text
//! untouched beside whatever dates could be recognised, so that a reviewer can always see what the
//! council actually wrote.
//!
//! # What it recognises
//!
//! - Month and year: "August 2021", "Mar 2024", "Sept 2023", "Mar-25", "Jan 25" (two-digit years
//!   are 20xx; a day is written before its month, "25 Jan"), also over two lines ("Mar" / "2026").
//! - Full dates, always in UK day/month order: "31/03/2025", "31 March 2024", "1st April 2022",
//!   "31-Mar-25", and ISO "2025-03-31".
//! - Wording round a date is ignored: "End of December 2024" is 2024-12, "by 31 March 2025" is
//!   2025-03-31.
//! - UK financial-year quarters (April to March): Q1 is April to June, Q2 July to September, Q3
//!   October to December and Q4 January to March of the following calendar year. A quarter is due in
//!   its last month, so "Q3 2024/25" is 2024-12 and "Q4 2024/25" is 2025-03. "Q3 24/25",
//!   "Quarter 3 2024/25" and "Q3 2024-25" are read the same way.
//! - A financial year alone is due at its end: "2023/24" and "2023-24" are 2024-03.
//! - Ranges joined by a hyphen, en or em dash, "to" or "until": "July – November 2021" starts
//!   2021-07 and is due 2021-11. A start without a year borrows the end's year (or the year before,
//!   when its month falls after the end's month). As a range start, a quarter or financial year
//!   means its first month.
//! - A range may have no end date: "From July 2021", "April 2022 onwards", and a date followed by a
//!   dash and wording with no date ("July 2021 – outcome of bid known") set only the start. Wording
//!   that merely qualifies the date ("31/03/2025 – subject to approval", "March 2024 – TBC") leaves
//!   it due.
//! - "Original target date: X Revised target date: Y", "Original date: … Revised date: …",
//!   "X Revised: Y" and "Original: X / Revised: Y": due (and start) come from X, revised due from Y.
//!   With several revisions, the last one counts.
//! - Ongoing work: any "ongoing" (or "on-going") sets the flag. A date in such a cell is still the
//!   due date ("Ongoing (March 2022)"), except one that follows "ongoing to" or "ongoing until",
//!   which says how long the work runs, not when it is due.
//!
//! # What it does not do
//!
//! - It never guesses a month. Seasons, terms, halves and vague wording ("Summer 2022", "Spring
//!   term", "early 2023", "H1 2024/25", "outcome of bid known") give no date, and nor does a bare
//!   year or a quarter without a financial year ("Q3 2024"), whose calendar is ambiguous.
//! - It never reads US month/day order from numbers: "03/04/2025" is 3 April.
//! - An impossible date ("31/02/2024", "Q5 2024/25", "2024/26") is not corrected or skipped past:
//!   the part of the cell it sits in gives no date, and [`Target::is_unparsed`] reports the row.
//! - It never panics, whatever the input, non-ASCII included.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::record::days_in_month;
pub use crate::record::{PartialDate, Target};

/// How many dates a cell's text mentions ("March 2024", "Mar-25", "31/03/2025", "Q3 2024/25",
/// "2024/25"); seasons are not dates. A milestone's target explains at most a start, a due and
/// a revised date (and an "ongoing to …" tail): more mentions mean rows were joined.
pub fn count_date_mentions(text: &str) -> usize {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*-?\s*(\d{2,4})\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bQ[1-4]\s+20\d\d|\b20\d\d/\d\d\b")
            .expect("valid regex")
    });
    re.find_iter(text).count()
}

/// Parses a target cell (whitespace already collapsed). Never panics, on any input.
pub fn parse_target(text: &str) -> Target {
    let ongoing = ONGOING.is_match(text);
    let cleaned = strip_ongoing_tails(text);
    let ((start, due), revised_due) = parse_labelled(&cleaned);
    Target { text: text.to_owned(), start, due, revised_due, ongoing }
}

// ---------------------------------------------------------------------------------------------
// Patterns. All are case-insensitive, and digits are `[0-9]` rather than `\d`, which in Unicode
// mode would also match digits from other scripts that `str::parse` rejects.

/// Month names, full or three-letter, plus "Sept". Longer forms come first only for readability:
/// the trailing context in each pattern decides how much is taken.
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember|t)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Every date-like expression, as one alternation. The regex engine prefers the earliest
/// alternative that matches at the leftmost position, so the order below is the precedence: more
/// specific forms must precede the forms they contain ("Q3 2024/25" before "2024/25", "31 March
/// 2024" before "March 2024" before "March").
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    let m = MONTH;
    let quarter = r"(?:q|qtr\.?|quarter)";
    let alternatives = [
        // Wording that names a year but no month, consumed whole so its year is not misread as a
        // financial year ("Winter 2021/22", "academic year 2023/24").
        r"(?P<vague>\b(?:spring|summer|autumn|fall|winter|early|mid|late|h[12]|(?:academic|school)\s+year|(?:beginning|start)\s+of)[\s-]+(?:term\s+)?(?:of\s+)?(?:fy\s*)?[0-9]{2,4}(?:\s*[/-]\s*[0-9]{2,4})?\b)".to_owned(),
        format!(r"(?P<qfy>\b{quarter}\s*(?P<qfy_n>[0-9])\s*(?:of\s+)?(?:fy\s*)?(?P<qfy_a>[0-9]{{4}}|[0-9]{{2}})\s*[/-]\s*(?P<qfy_b>[0-9]{{4}}|[0-9]{{2}})\b)"),
        format!(r"(?P<fyq>\b(?:fy\s*)?(?P<fyq_a>[0-9]{{4}}|[0-9]{{2}})\s*[/-]\s*(?P<fyq_b>[0-9]{{4}}|[0-9]{{2}})\s*,?\s*{quarter}\s*(?P<fyq_n>[0-9])\b)"),
        r"(?P<iso>\b(?P<iso_y>[0-9]{4})-(?P<iso_m>[0-9]{1,2})-(?P<iso_d>[0-9]{1,2})\b)".to_owned(),
        r"(?P<fy>\b(?:fy\s*(?P<fy_a2>[0-9]{2})\s*[/-]\s*(?P<fy_b2>[0-9]{2})|(?:fy\s*)?(?P<fy_a>[0-9]{4})\s*[/-]\s*(?P<fy_b>[0-9]{4}|[0-9]{2}))\b)".to_owned(),
        r"(?P<num>\b(?P<num_d>[0-9]{1,2})[/.-](?P<num_m>[0-9]{1,2})[/.-](?P<num_y>[0-9]{4}|[0-9]{2})\b)".to_owned(),
        format!(r"(?P<dmy2>\b(?P<dmy2_d>[0-9]{{1,2}})-(?P<dmy2_m>{m})-(?P<dmy2_y>[0-9]{{2}})\b)"),
        format!(r"(?P<dmy>\b(?P<dmy_d>[0-9]{{1,2}})(?:st|nd|rd|th)?[\s-]*(?:of\s+)?(?P<dmy_m>{m})\.?,?[\s-]*(?P<dmy_y>[0-9]{{4}})\b)"),
        format!(r"(?P<mdy>\b(?P<mdy_m>{m})\.?\s+(?P<mdy_d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>[0-9]{{4}})\b)"),
        format!(r"(?P<my>\b(?P<my_m>{m})\.?,?[\s/-]*(?P<my_y>[0-9]{{4}})\b)"),
        // A month and two digits with a space ("Jan 25", "Oct 25"): the year, as UK officers write
        // it; a day is written before its month ("25 Jan"), and "March 31, 2024" is taken above.
        format!(r"(?P<my2>\b(?P<my2_m>{m})\.?(?:[-/]|\s?['’]|\s)(?P<my2_y>[0-9]{{2}})\b)"),
        format!(r"(?P<dm>\b(?P<dm_d>[0-9]{{1,2}})(?:st|nd|rd|th)?[\s-]*(?:of\s+)?(?P<dm_m>{m})\b)"),
        format!(r"(?P<mo>\b(?P<mo_m>{m})\b)"),
        format!(r"(?P<qo>\b{quarter}\s*(?P<qo_n>[1-4])\b)"),
    ];
    compile(&format!("(?i){}", alternatives.join("|")))
});

/// What joins the two ends of a range.
static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^\s*(?:[-–—‒―]|to|until|till|through|thru)\s*$"));
static AND: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^\s*and\s*$"));
static BETWEEN_BEFORE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\bbetween\s*$"));

/// Wording just before a date that makes it a start rather than a due date.
static FROM_BEFORE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\b(?:from|starting(?:\s+(?:in|from))?|commencing|start(?:\s+date)?\s*:)\s*$"));

/// Wording just before a date that makes it the end of a range opened by "from".
static END_BEFORE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\b(?:end|finish|completion|due)(?:\s+date)?\s*:?\s*$"));

/// A dash after a date and then words: a range whose end is an event, not a date ("July 2021 –
/// outcome of bid known"). An unspaced hyphen is excluded because it belongs to forms like
/// "Mar-25".
static OPEN_DASH: LazyLock<Regex> = LazyLock::new(|| compile(r"(?s)^\s*(?:[–—‒―]|\s-|-\s)\s*(?P<words>\p{L}.*)$"));

/// Words after such a dash that qualify the date instead of naming an end, so the date stays due.
static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?is)^(?:subject|dependent|dependant|depending|provisional|tentative|estimated|indicative|approx|tb[acd]\b|to\s+be\s+(?:confirmed|agreed)|complete|achieved|delayed|slipped|on\s+track|revised|deadline|target|may\b|might|could|likely|expected)",
    )
});

/// Words after a date that make it a start with no end: "April 2022 onwards".
static ONWARDS_AFTER: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)^\s*(?:onwards?|and\s+beyond)\b"));

static ONGOING: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\bon[\s-]?going\b"));

/// "ongoing to …", whose date bounds the ongoing work rather than setting a due date.
static ONGOING_TO: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\bon[\s-]?going[\s,(–—-]*(?:(?:up\s+)?to|until|till|through(?:\s+to)?|thru)\s+(?:the\s+)?(?:end\s+of\s+)?"));

static ORIGINAL_LABEL: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\boriginal(?:\s+(?:target|completion|due|end))?(?:\s+date)?\s*:?"));

/// "revised" needs no colon, as it seldom means anything else in this column; "new", "updated"
/// and "amended" are common words, so they count only as "… date" or with a colon.
static REVISED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\brevised(?:\s+(?:target|completion|due|end))?(?:\s+date)?(?:\s*:|\s+to\b)?|\b(?:new|amended|updated)(?:\s+(?:target|completion|due|end))?\s+date\s*:?|\b(?:new|amended|updated)\s*:",
    )
});

/// Builds every pattern above now rather than at the first date parsed. A document's rows are
/// normalised over the cores, and each core would wait while one of them builds the patterns
/// (about 8 ms of one core on the 600-row tracker); `extract` builds them on a core the rows
/// stage leaves idle. A pattern missing here is still built when first used.
pub fn prepare() {
    for re in [&TOKEN, &CONNECTOR, &AND, &BETWEEN_BEFORE, &FROM_BEFORE, &END_BEFORE, &OPEN_DASH, &QUALIFIER, &ONWARDS_AFTER, &ONGOING, &ONGOING_TO, &ORIGINAL_LABEL, &REVISED_LABEL]
    {
        LazyLock::force(re);
    }
}

/// The patterns are constants exercised by every test, so a failure here is a programming error
/// caught before release, never a reaction to input.
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in date pattern must compile")
}

// ---------------------------------------------------------------------------------------------
// Tokens.

/// One recognised expression. The "Only" kinds lack a year and mean something only as one end of
/// a range whose other end supplies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date(PartialDate),
    /// Financial year starting in April of `fy`.
    Quarter {
        fy: u16,
        q: u8,
    },
    FinYear {
        fy: u16,
    },
    MonthOnly(u8),
    DayMonthOnly {
        day: u8,
        month: u8,
    },
    QuarterOnly(u8),
    /// Names a period but no month: a season, term or half.
    Vague,
    /// Has the shape of a date but cannot be one.
    Invalid,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

impl Kind {
    fn due(self) -> Option<PartialDate> {
        match self {
            Kind::Date(d) => Some(d),
            Kind::Quarter { fy, q } => quarter_month(fy, q, true),
            Kind::FinYear { fy } => Some(PartialDate::month(fy + 1, 3)),
            _ => None,
        }
    }

    fn start(self) -> Option<PartialDate> {
        match self {
            Kind::Date(d) => Some(d),
            Kind::Quarter { fy, q } => quarter_month(fy, q, false),
            Kind::FinYear { fy } => Some(PartialDate::month(fy, 4)),
            _ => None,
        }
    }

    fn is_complete(self) -> bool {
        self.due().is_some()
    }
}

fn tokens(text: &str) -> Vec<Token> {
    TOKEN
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            if is_lowercase_verb(whole.as_str()) {
                return None;
            }
            Some(Token { start: whole.start(), end: whole.end(), kind: classify(&caps) })
        })
        .collect()
}

/// Year-less "may" and "march" in lower case are nearly always the verb ("July 2021 - may
/// slip"); councils capitalise month names. With a year they are still months, since any case is
/// accepted there.
fn is_lowercase_verb(token: &str) -> bool {
    token == "may" || token == "march"
}

fn classify(caps: &Captures<'_>) -> Kind {
    let s = |name: &str| caps.name(name).map(|m| m.as_str());
    let n = |name: &str| s(name).and_then(|t| t.parse::<u32>().ok());
    let month = |name: &str| s(name).and_then(month_number);
    let kind = if caps.name("vague").is_some() {
        Some(Kind::Vague)
    } else if caps.name("qfy").is_some() {
        quarter(n("qfy_n"), fin_year(s("qfy_a"), s("qfy_b")))
    } else if caps.name("fyq").is_some() {
        quarter(n("fyq_n"), fin_year(s("fyq_a"), s("fyq_b")))
    } else if caps.name("iso").is_some() {
        day_date(n("iso_y"), n("iso_m"), n("iso_d"))
    } else if caps.name("fy").is_some() {
        let fy = if caps.name("fy_a2").is_some() { fin_year(s("fy_a2"), s("fy_b2")) } else { fin_year(s("fy_a"), s("fy_b")) };
        fy.map(|fy| Kind::FinYear { fy })
    } else if caps.name("num").is_some() {
        day_date(n("num_y").map(widen_year), n("num_m"), n("num_d"))
    } else if caps.name("dmy2").is_some() {
        day_date(n("dmy2_y").map(widen_year), month("dmy2_m"), n("dmy2_d"))
    } else if caps.name("dmy").is_some() {
        day_date(n("dmy_y"), month("dmy_m"), n("dmy_d"))
    } else if caps.name("mdy").is_some() {
        day_date(n("mdy_y"), month("mdy_m"), n("mdy_d"))
    } else if caps.name("my").is_some() {
        month_date(n("my_y"), month("my_m"))
    } else if caps.name("my2").is_some() {
        month_date(n("my2_y").map(widen_year), month("my2_m"))
    } else if caps.name("dm").is_some() {
        match (month("dm_m"), n("dm_d")) {
            (Some(m), Some(d)) if (1..=31).contains(&d) => Some(Kind::DayMonthOnly { day: d as u8, month: m }),
            _ => None,
        }
    } else if caps.name("mo").is_some() {
        month("mo_m").map(Kind::MonthOnly)
    } else if caps.name("qo").is_some() {
        n("qo_n").map(|q| Kind::QuarterOnly(q as u8))
    } else {
        None
    };
    kind.unwrap_or(Kind::Invalid)
}

/// Under Unicode case folding a month pattern can match non-ASCII look-alikes (the long s in
/// "ſept"); those are not month names, so anything outside ASCII is rejected.
fn month_number(name: &str) -> Option<u8> {
    let prefix: String = name.chars().take(3).collect();
    if !prefix.is_ascii() {
        return None;
    }
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let index = months.iter().position(|m| m.eq_ignore_ascii_case(&prefix))?;
    Some(index as u8 + 1)
}

/// Two-digit years in trackers are always this century.
fn widen_year(year: u32) -> u32 {
    if year < 100 {
        2000 + year
    } else {
        year
    }
}

/// A wider window would let page numbers and reference codes pass as years.
fn plausible_year(year: u32) -> Option<u16> {
    (1900..=2198).contains(&year).then_some(year as u16)
}

fn month_date(year: Option<u32>, month: Option<u8>) -> Option<Kind> {
    Some(Kind::Date(PartialDate::month(plausible_year(year?)?, month?)))
}

fn day_date(year: Option<u32>, month: Option<impl Into<u32>>, day: Option<u32>) -> Option<Kind> {
    checked_day(plausible_year(year?)?, month?.into(), day?).map(Kind::Date)
}

fn checked_day(year: u16, month: u32, day: u32) -> Option<PartialDate> {
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day).ok().filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
    Some(PartialDate::day(year, month, day))
}

/// The calendar year a financial year starts in, provided its two halves are consecutive years:
/// "2024/25", "24/25", "2024-2025".
fn fin_year(first: Option<&str>, second: Option<&str>) -> Option<u16> {
    let (first, second) = (first?, second?);
    let start = widen_year(first.parse().ok()?);
    let end: u32 = second.parse().ok()?;
    let consecutive = if second.len() == 2 { end == (start + 1) % 100 } else { end == start + 1 };
    consecutive.then_some(())?;
    plausible_year(start)
}

fn quarter(number: Option<u32>, fy: Option<u16>) -> Option<Kind> {
    let q = u8::try_from(number?).ok().filter(|q| (1..=4).contains(q))?;
    Some(Kind::Quarter { fy: fy?, q })
}

/// First or last month of a financial-year quarter.
fn quarter_month(fy: u16, q: u8, last: bool) -> Option<PartialDate> {
    let (first, year) = match q {
        1 => (4, fy),
        2 => (7, fy),
        3 => (10, fy),
        4 => (1, fy + 1),
        _ => return None,
    };
    Some(PartialDate::month(year, if last { first + 2 } else { first }))
}

fn fin_year_of(date: PartialDate) -> u16 {
    if date.month >= 4 {
        date.year
    } else {
        date.year - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a cell.

/// Removes each "ongoing to <date> …" up to the closing bracket, the next label or the end, so
/// that its date is not read as a due date. Left alone when no date follows ("ongoing to be
/// reviewed").
fn strip_ongoing_tails(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for m in ONGOING_TO.find_iter(text) {
        if m.start() < copied {
            continue;
        }
        let date_follows = TOKEN.find_at(text, m.end()).is_some_and(|t| t.start() == m.end());
        if !date_follows {
            continue;
        }
        let bracket = text[m.end()..].find(')').map(|i| m.end() + i);
        let label = [&*ORIGINAL_LABEL, &*REVISED_LABEL].iter().filter_map(|re| re.find_at(text, m.end()).map(|l| l.start())).min();
        let stop = bracket.into_iter().chain(label).min().unwrap_or(text.len());
        out.push_str(&text[copied..m.start()]);
        out.push(' ');
        copied = stop;
    }
    out.push_str(&text[copied..]);
    out
}

/// Start and due date read from one part of a cell.
type Span = (Option<PartialDate>, Option<PartialDate>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Unlabelled,
    Original,
    Revised,
}

/// Splits the cell at its "Original …:" and "Revised …:" labels and reads each part.
///
/// An explicitly labelled original wins over unlabelled text (which is often just "Ongoing"); the
/// last revised part wins over earlier ones, even when it is unreadable, because it is the latest
/// word on the date.
fn parse_labelled(text: &str) -> (Span, Option<PartialDate>) {
    let mut labels: Vec<(usize, usize, Role)> = Vec::new();
    for m in ORIGINAL_LABEL.find_iter(text) {
        labels.push((m.start(), m.end(), Role::Original));
    }
    for m in REVISED_LABEL.find_iter(text) {
        let overlaps = labels.iter().any(|&(s, e, _)| m.start() < e && s < m.end());
        if !overlaps {
            labels.push((m.start(), m.end(), Role::Revised));
        }
    }
    labels.sort_by_key(|&(start, _, _)| start);

    let mut parts: Vec<(Role, &str)> = Vec::new();
    let mut role = Role::Unlabelled;
    let mut from = 0;
    for &(start, end, next) in &labels {
        if start >= from {
            parts.push((role, &text[from..start]));
            role = next;
            from = end;
        }
    }
    parts.push((role, &text[from..]));

    let read = |wanted: Role| parts.iter().filter(|(r, _)| *r == wanted).map(|(_, t)| parse_span(t)).find(|(start, due)| start.is_some() || due.is_some());
    let span = read(Role::Original).or_else(|| read(Role::Unlabelled)).unwrap_or_default();
    let revised_due = parts.iter().rev().find(|(r, _)| *r == Role::Revised).and_then(|(_, t)| parse_span(t).1);
    (span, revised_due)
}

/// Reads one part of a cell: a range, a "from" date, or the first date in it.
fn parse_span(text: &str) -> Span {
    let toks = tokens(text);
    for (i, token) in toks.iter().enumerate() {
        if let Some(next) = toks.get(i + 1) {
            let gap = &text[token.end..next.start];
            let joined = CONNECTOR.is_match(gap) || (AND.is_match(gap) && BETWEEN_BEFORE.is_match(&text[..token.start]));
            if joined {
                if let Some(range) = resolve_range(token.kind, next.kind) {
                    return range;
                }
            }
        }
        match token.kind {
            Kind::Invalid => return (None, None),
            kind if !kind.is_complete() => continue,
            _ => {}
        }
        let later = &toks[i + 1..];
        if FROM_BEFORE.is_match(&text[..token.start]) {
            let end = later.iter().find(|t| t.kind.is_complete() && END_BEFORE.is_match(&text[..t.start]));
            return (token.kind.start(), end.and_then(|t| t.kind.due()));
        }
        let after = &text[token.end..];
        let open_end = OPEN_DASH.captures(after).and_then(|c| c.name("words")).is_some_and(|words| !QUALIFIER.is_match(words.as_str()));
        let onwards = ONWARDS_AFTER.is_match(after);
        if (open_end || onwards) && !later.iter().any(|t| t.kind.is_complete()) {
            return (token.kind.start(), None);
        }
        return (None, token.kind.due());
    }
    (None, None)
}

/// Both ends of a range, each lending the other what it lacks. `None` when neither end has a
/// year, so the caller keeps looking.
fn resolve_range(a: Kind, b: Kind) -> Option<Span> {
    use Kind::{Invalid, Vague};
    match (a, b) {
        (Invalid, _) | (_, Invalid) | (Vague, Vague) => Some((None, None)),
        (Vague, b) => b.is_complete().then(|| (None, b.due())),
        (a, Vague) => a.is_complete().then(|| (a.start(), None)),
        (a, b) => match (a.is_complete(), b.is_complete()) {
            (true, true) => Some((a.start(), b.due())),
            (false, true) => {
                let due = b.due()?;
                Some((start_before(a, b, due), Some(due)))
            }
            (true, false) => {
                let start = a.start()?;
                Some((Some(start), end_after(b, start)))
            }
            (false, false) => None,
        },
    }
}

/// A year-less start: the latest such date not after the due date ("October – March 2022" starts
/// in October 2021).
fn start_before(a: Kind, b: Kind, due: PartialDate) -> Option<PartialDate> {
    let year_for = |month: u8| {
        if month > due.month {
            due.year - 1
        } else {
            due.year
        }
    };
    match a {
        Kind::MonthOnly(month) => Some(PartialDate::month(year_for(month), month)),
        Kind::DayMonthOnly { day, month } => checked_day(year_for(month), month.into(), day.into()),
        Kind::QuarterOnly(q) => {
            let fy = match b {
                Kind::Quarter { fy, .. } | Kind::FinYear { fy } => fy,
                _ => fin_year_of(due),
            };
            let start = quarter_month(fy, q, false)?;
            if start > due {
                quarter_month(fy - 1, q, false)
            } else {
                Some(start)
            }
        }
        _ => None,
    }
}

/// A year-less end: the earliest such date not before the start ("September 2021 to March" ends in
/// March 2022).
fn end_after(b: Kind, start: PartialDate) -> Option<PartialDate> {
    let year_for = |month: u8| {
        if month < start.month {
            start.year + 1
        } else {
            start.year
        }
    };
    match b {
        Kind::MonthOnly(month) => Some(PartialDate::month(year_for(month), month)),
        Kind::DayMonthOnly { day, month } => checked_day(year_for(month), month.into(), day.into()),
        Kind::QuarterOnly(q) => {
            let fy = fin_year_of(start);
            let end = quarter_month(fy, q, true)?;
            if end < start {
                quarter_month(fy + 1, q, true)
            } else {
                Some(end)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(year: u16, month: u8) -> Option<PartialDate> {
        Some(PartialDate::month(year, month))
    }

    fn d(year: u16, month: u8, day: u8) -> Option<PartialDate> {
        Some(PartialDate::day(year, month, day))
    }

    fn due(text: &str) -> Option<PartialDate> {
        parse_target(text).due
    }

    #[test]
    fn dates_as_officers_write_them() {
        // Issue 27: a real action plan's Timescale cells.
        assert_eq!(due("Jan 25"), m(2025, 1));
        let t = parse_target("Jan 25-October 25");
        assert_eq!((t.start, t.due), (m(2025, 1), m(2025, 10)));
        assert_eq!(due("Mar 2026"), m(2026, 3)); // "Mar" / "2026" over two lines, joined
        assert_eq!(due("Sept 2024 for SDP, end Q3 for other delivery plans"), m(2024, 9));
        assert_eq!(due("by end of 2025/26"), m(2026, 3));
        assert_eq!(due("March 31, 2024"), d(2024, 3, 31));
        assert_eq!(due("25 Jan 2025"), d(2025, 1, 25));
        // No month named: no date (and the row is flagged date_unparsed).
        assert!(parse_target("1-2 years").is_unparsed());
    }

    /// (text, start, due, revised_due, ongoing), dates as in the JSON output.
    type GoldCase = (&'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, bool);

    /// Real cells from the gold truth.
    #[rustfmt::skip]
    const GOLD: &[GoldCase] = &[
        ("End of December 2024", None, Some("2024-12"), None, false),
        ("30/09/2024", None, Some("2024-09-30"), None, false),
        ("Nov-24", None, Some("2024-11"), None, false),
        ("Q4 2024/25", None, Some("2025-03"), None, false),
        ("31/10/2024", None, Some("2024-10-31"), None, false),
        ("Q3 2024/25", None, Some("2024-12"), None, false),
        ("Jan-25", None, Some("2025-01"), None, false),
        ("End of March 2025", None, Some("2025-03"), None, false),
        ("31/03/2025", None, Some("2025-03-31"), None, false),
        ("Q2 2024/25", None, Some("2024-09"), None, false),
        ("Mar-25", None, Some("2025-03"), None, false),
        ("31/12/2024", None, Some("2024-12-31"), None, false),
        ("End of October 2024", None, Some("2024-10"), None, false),
        ("31/08/2024", None, Some("2024-08-31"), None, false),
        ("End of February 2025", None, Some("2025-02"), None, false),
        ("31/07/2024", None, Some("2024-07-31"), None, false),
        ("Dec-24", None, Some("2024-12"), None, false),
        ("End of September 2024", None, Some("2024-09"), None, false),
        ("Q1 2024/25", None, Some("2024-06"), None, false),
        ("Feb-25", None, Some("2025-02"), None, false),
        ("30/11/2024", None, Some("2024-11-30"), None, false),
        ("Apr-25", None, Some("2025-04"), None, false),
        ("Jul-24", None, Some("2024-07"), None, false),
        ("End of January 2025", None, Some("2025-01"), None, false),
        ("28/02/2025", None, Some("2025-02-28"), None, false),
        ("Sep-24", None, Some("2024-09"), None, false),
        ("End of November 2024", None, Some("2024-11"), None, false),
        ("Q4 2024/25 Revised: Q1 2025/26", None, Some("2025-03"), Some("2025-06"), false),
        ("End of March 2025 Revised: End of September 2025", None, Some("2025-03"), Some("2025-09"), false),
        ("Q2 2024/25 Revised: Q4 2024/25", None, Some("2024-09"), Some("2025-03"), false),
        ("31/10/2024 Revised: 31/03/2025", None, Some("2024-10-31"), Some("2025-03-31"), false),
        ("Q4 2024/25 Revised: Q2 2025/26", None, Some("2025-03"), Some("2025-09"), false),
        ("End of January 2025 Revised: End of June 2025", None, Some("2025-01"), Some("2025-06"), false),
        ("March 2024", None, Some("2024-03"), None, false),
        ("November 2023", None, Some("2023-11"), None, false),
        ("March 2025", None, Some("2025-03"), None, false),
        ("March 2026", None, Some("2026-03"), None, false),
        ("December 2024", None, Some("2024-12"), None, false),
        ("Ongoing", None, None, None, true),
        ("September 2024", None, Some("2024-09"), None, false),
        ("August 2024", None, Some("2024-08"), None, false),
        ("January 2024", None, Some("2024-01"), None, false),
        ("Ongoing work programme", None, None, None, true),
        ("February 2024", None, Some("2024-02"), None, false),
        ("Ongoing, with next report in September 2023", None, Some("2023-09"), None, true),
        ("August 2021", None, Some("2021-08"), None, false),
        ("July \u{2013} September 2021", Some("2021-07"), Some("2021-09"), None, false),
        ("Ongoing July \u{2013} November 2021", Some("2021-07"), Some("2021-11"), None, true),
        ("July 2021", None, Some("2021-07"), None, false),
        ("June \u{2013} November 2021", Some("2021-06"), Some("2021-11"), None, false),
        ("June 2021", None, Some("2021-06"), None, false),
        ("Ongoing Original date: July 2021 \u{2013} November 2021 Revised target date: January 2023", Some("2021-07"), Some("2021-11"), Some("2023-01"), true),
        ("Ongoing November 2021", None, Some("2021-11"), None, true),
        ("September 2020 \u{2013} November 2021 (ongoing to March 2022)", Some("2020-09"), Some("2021-11"), None, true),
        ("From July 2021 (ongoing to October 2022)", Some("2021-07"), None, None, true),
        ("July \u{2013} November 2021", Some("2021-07"), Some("2021-11"), None, false),
        ("Original target date: July \u{2013} November 2021 Revised target date: February 2022", Some("2021-07"), Some("2021-11"), Some("2022-02"), false),
        ("Ongoing for the duration of the pandemic", None, None, None, true),
        ("Ongoing (specific datasets included by August 2021)", None, Some("2021-08"), None, true),
        ("September 2021", None, Some("2021-09"), None, false),
        ("Ongoing (March 2022)", None, Some("2022-03"), None, true),
        ("Ongoing June \u{2013} November 2021", Some("2021-06"), Some("2021-11"), None, true),
        ("November 2021", None, Some("2021-11"), None, false),
        ("July 2021 \u{2013} outcome of bid known", Some("2021-07"), None, None, false),
        ("October 2021", None, Some("2021-10"), None, false),
        ("Original target date: December 2021 Revised target date: March 2022", None, Some("2021-12"), Some("2022-03"), false),
        ("March 2022", None, Some("2022-03"), None, false),
        ("Original target date: December 2021 Revised target date: Summer 2022", None, Some("2021-12"), None, false),
        ("Original target date: November 2021 Revised target date: March 2022", None, Some("2021-11"), Some("2022-03"), false),
        ("Ongoing (June \u{2013} November 2021)", Some("2021-06"), Some("2021-11"), None, true),
        ("April 2021 \u{2013} June 2021 Revised target date: March 2023", Some("2021-04"), Some("2021-06"), Some("2023-03"), false),
        ("Original target date: April 2020- June 2020 Revised target date: January 2022", Some("2020-04"), Some("2020-06"), Some("2022-01"), false),
        ("April 2021 \u{2013} June 2021", Some("2021-04"), Some("2021-06"), None, false),
        ("October 2020 \u{2013} May 2021", Some("2020-10"), Some("2021-05"), None, false),
        ("January 2021 - June 2021", Some("2021-01"), Some("2021-06"), None, false),
        ("Original date: October 2020 - March 2021 Revised date: July 2021", Some("2020-10"), Some("2021-03"), Some("2021-07"), false),
        ("31 March 2024", None, Some("2024-03-31"), None, false),
        ("Q3 2023/24", None, Some("2023-12"), None, false),
        ("Original: Dec 2023 / Revised: Mar 2024", None, Some("2023-12"), Some("2024-03"), false),
        ("Feb 2024", None, Some("2024-02"), None, false),
        ("30 September 2023", None, Some("2023-09-30"), None, false),
        ("Q4 2023/24", None, Some("2024-03"), None, false),
        ("Mar 2024", None, Some("2024-03"), None, false),
        ("Original: Jan 2024 / Revised: Dec 2024", None, Some("2024-01"), Some("2024-12"), false),
        ("Oct 2023", None, Some("2023-10"), None, false),
        ("2023/24", None, Some("2024-03"), None, false),
        ("Original: Sep 2023 / Revised: Jan 2024", None, Some("2023-09"), Some("2024-01"), false),
        ("30 November 2023", None, Some("2023-11-30"), None, false),
        ("Original: Jan 2024 / Revised: Mar 2024", None, Some("2024-01"), Some("2024-03"), false),
        ("Jul 2023", None, Some("2023-07"), None, false),
        ("Original: Oct 2023 / Revised: Mar 2024", None, Some("2023-10"), Some("2024-03"), false),
        ("Original: Nov 2023 / Revised: Feb 2024", None, Some("2023-11"), Some("2024-02"), false),
        ("Original: Mar 2024 / Revised: Sep 2024", None, Some("2024-03"), Some("2024-09"), false),
        ("Q2 2023/24", None, Some("2023-09"), None, false),
        ("Nov 2023", None, Some("2023-11"), None, false),
        ("Jun 2023", None, Some("2023-06"), None, false),
        ("Original: Dec 2023 / Revised: May 2024", None, Some("2023-12"), Some("2024-05"), false),
        ("31 January 2024", None, Some("2024-01-31"), None, false),
        ("Original: Dec 2023 / Revised: Jun 2024", None, Some("2023-12"), Some("2024-06"), false),
        ("Sep 2023", None, Some("2023-09"), None, false),
    ];

    #[test]
    fn gold_cases_all_pass() {
        let mut failures = Vec::new();
        for &(text, start, due, revised_due, ongoing) in GOLD {
            let got = parse_target(text);
            let want = |s: Option<&str>| s.map(|s| s.parse::<PartialDate>().expect("gold date"));
            let fields = [("start", got.start, want(start)), ("due", got.due, want(due)), ("revised_due", got.revised_due, want(revised_due))];
            for (field, got, want) in fields {
                if got != want {
                    failures.push(format!("{text:?}: {field} is {got:?}, expected {want:?}"));
                }
            }
            if got.ongoing != ongoing {
                failures.push(format!("{text:?}: ongoing is {}, expected {ongoing}", got.ongoing));
            }
        }
        assert_eq!(GOLD.len(), 100);
        assert!(failures.is_empty(), "{} gold mismatches:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn month_and_year_give_a_month() {
        assert_eq!(due("August 2021"), m(2021, 8));
        assert_eq!(due("Mar 2024"), m(2024, 3));
        assert_eq!(due("Sept 2023"), m(2023, 9));
        assert_eq!(due("DECEMBER 2024"), m(2024, 12));
        assert_eq!(due("june, 2022"), m(2022, 6));
    }

    #[test]
    fn two_digit_years_are_this_century() {
        assert_eq!(due("Mar-25"), m(2025, 3));
        assert_eq!(due("Sep '23"), m(2023, 9));
        assert_eq!(due("31/03/25"), d(2025, 3, 31));
        assert_eq!(due("31-Mar-25"), d(2025, 3, 31));
    }

    #[test]
    fn numeric_dates_are_day_first() {
        assert_eq!(due("31/03/2025"), d(2025, 3, 31));
        assert_eq!(due("03/04/2025"), d(2025, 4, 3));
        assert_eq!(due("1.12.2024"), d(2024, 12, 1));
        assert_eq!(due("2025-03-31"), d(2025, 3, 31));
    }

    #[test]
    fn written_days_and_ordinals_are_read() {
        assert_eq!(due("31 March 2024"), d(2024, 3, 31));
        assert_eq!(due("1st April 2022"), d(2022, 4, 1));
        assert_eq!(due("9th August 2021"), d(2021, 8, 9));
        assert_eq!(due("22nd of June 2023"), d(2023, 6, 22));
        assert_eq!(due("March 31, 2024"), d(2024, 3, 31));
    }

    #[test]
    fn surrounding_wording_is_ignored() {
        assert_eq!(due("End of December 2024"), m(2024, 12));
        assert_eq!(due("by 31 March 2025"), d(2025, 3, 31));
        assert_eq!(due("Target: by end of Jan 2025 (subject to Cabinet)"), m(2025, 1));
    }

    #[test]
    fn range_start_borrows_the_end_year() {
        let t = parse_target("July \u{2013} November 2021");
        assert_eq!((t.start, t.due), (m(2021, 7), m(2021, 11)));
        let t = parse_target("June-November 2021");
        assert_eq!((t.start, t.due), (m(2021, 6), m(2021, 11)));
        let t = parse_target("Sept to Dec 2021");
        assert_eq!((t.start, t.due), (m(2021, 9), m(2021, 12)));
    }

    #[test]
    fn range_start_after_the_end_month_is_the_year_before() {
        let t = parse_target("October \u{2013} March 2022");
        assert_eq!((t.start, t.due), (m(2021, 10), m(2022, 3)));
        let t = parse_target("1 December \u{2014} 31 January 2025");
        assert_eq!((t.start, t.due), (d(2024, 12, 1), d(2025, 1, 31)));
    }

    #[test]
    fn range_end_without_a_year_follows_the_start() {
        let t = parse_target("September 2021 to March");
        assert_eq!((t.start, t.due), (m(2021, 9), m(2022, 3)));
    }

    #[test]
    fn ranges_span_years_and_dash_styles() {
        for text in [
            "September 2020 \u{2013} November 2021",
            "September 2020 - November 2021",
            "September 2020- November 2021",
            "September 2020 \u{2014} November 2021",
            "September 2020 until November 2021",
            "between September 2020 and November 2021",
        ] {
            let t = parse_target(text);
            assert_eq!((t.start, t.due), (m(2020, 9), m(2021, 11)), "{text}");
        }
    }

    #[test]
    fn single_dates_set_no_start() {
        assert_eq!(parse_target("March 2024").start, None);
        assert_eq!(parse_target("Ongoing (March 2022)").start, None);
    }

    #[test]
    fn from_date_starts_a_range() {
        let t = parse_target("From July 2021");
        assert_eq!((t.start, t.due), (m(2021, 7), None));
        let t = parse_target("From July 2021 to March 2022");
        assert_eq!((t.start, t.due), (m(2021, 7), m(2022, 3)));
        let t = parse_target("Start date: July 2021, end date: March 2022");
        assert_eq!((t.start, t.due), (m(2021, 7), m(2022, 3)));
    }

    #[test]
    fn dash_then_an_event_leaves_the_end_open() {
        let t = parse_target("July 2021 \u{2013} outcome of bid known");
        assert_eq!((t.start, t.due), (m(2021, 7), None));
        assert!(t.is_unparsed());
    }

    #[test]
    fn qualified_date_after_a_dash_stays_due() {
        let t = parse_target("31/03/2025 - subject to approval");
        assert_eq!((t.start, t.due), (None, d(2025, 3, 31)));
        let t = parse_target("March 2024 \u{2013} TBC");
        assert_eq!((t.start, t.due), (None, m(2024, 3)));
    }

    #[test]
    fn onwards_starts_a_range() {
        let t = parse_target("April 2022 onwards");
        assert_eq!((t.start, t.due), (m(2022, 4), None));
    }

    #[test]
    fn lower_case_may_and_march_alone_are_verbs() {
        let t = parse_target("July 2021 - may slip");
        assert_eq!((t.start, t.due), (None, m(2021, 7)));
        assert_eq!(due("This may take until March 2024"), m(2024, 3));
        let t = parse_target("May \u{2013} July 2022");
        assert_eq!((t.start, t.due), (m(2022, 5), m(2022, 7)));
        assert_eq!(due("may 2022"), m(2022, 5));
    }

    #[test]
    fn quarter_one_is_june() {
        assert_eq!(due("Q1 2025/26"), m(2025, 6));
    }

    #[test]
    fn quarter_two_is_september() {
        assert_eq!(due("Q2 2024/25"), m(2024, 9));
    }

    #[test]
    fn quarter_three_is_december() {
        assert_eq!(due("Q3 2024/25"), m(2024, 12));
    }

    #[test]
    fn quarter_four_is_march_of_the_next_year() {
        assert_eq!(due("Q4 2024/25"), m(2025, 3));
    }

    #[test]
    fn quarter_spellings_agree() {
        for text in ["Q3 2024/25", "Q3 24/25", "Quarter 3 2024/25", "Q3 2024-25", "Q3 2024/2025", "Q3 FY2024/25", "Qtr 3 of 2024/25", "2024/25 Q3"] {
            assert_eq!(due(text), m(2024, 12), "{text}");
        }
    }

    #[test]
    fn quarter_range_starts_at_the_first_month() {
        let t = parse_target("Q3 \u{2013} Q4 2024/25");
        assert_eq!((t.start, t.due), (m(2024, 10), m(2025, 3)));
    }

    #[test]
    fn quarter_without_financial_year_is_unparsed() {
        let t = parse_target("Q3 2024");
        assert_eq!(t.due, None);
        assert!(t.is_unparsed());
    }

    #[test]
    fn financial_year_alone_means_its_end() {
        assert_eq!(due("2023/24"), m(2024, 3));
        assert_eq!(due("2024/25"), m(2025, 3));
        assert_eq!(due("2024-25"), m(2025, 3));
        assert_eq!(due("FY24/25"), m(2025, 3));
        assert_eq!(due("End of 2024/2025"), m(2025, 3));
    }

    #[test]
    fn revised_date_replaces_due_without_erasing_it() {
        let t = parse_target("Original target date: December 2021 Revised target date: March 2022");
        assert_eq!((t.due, t.revised_due), (m(2021, 12), m(2022, 3)));
        let t = parse_target("31/10/2024 Revised: 31/03/2025");
        assert_eq!((t.due, t.revised_due), (d(2024, 10, 31), d(2025, 3, 31)));
        let t = parse_target("Original: Dec 2023 / Revised: Mar 2024");
        assert_eq!((t.due, t.revised_due), (m(2023, 12), m(2024, 3)));
        let t = parse_target("Q4 2024/25 Revised: Q1 2025/26");
        assert_eq!((t.due, t.revised_due), (m(2025, 3), m(2025, 6)));
    }

    #[test]
    fn revised_range_keeps_the_original_start() {
        let t = parse_target("Original date: October 2020 - March 2021 Revised date: July 2021");
        assert_eq!((t.start, t.due, t.revised_due), (m(2020, 10), m(2021, 3), m(2021, 7)));
        let t = parse_target("April 2021 \u{2013} June 2021 Revised target date: March 2023");
        assert_eq!((t.start, t.due, t.revised_due), (m(2021, 4), m(2021, 6), m(2023, 3)));
    }

    #[test]
    fn latest_revision_wins() {
        let t = parse_target("March 2023 Revised: June 2023 Revised: September 2023");
        assert_eq!((t.due, t.revised_due), (m(2023, 3), m(2023, 9)));
    }

    #[test]
    fn revised_season_gives_no_revised_due() {
        let t = parse_target("Original target date: March 2022 Revised target date: Summer 2022");
        assert_eq!((t.due, t.revised_due), (m(2022, 3), None));
    }

    #[test]
    fn seasons_and_vague_wording_give_nothing() {
        for text in ["Summer 2022", "Spring term", "Spring term 2023", "outcome of bid known", "Winter 2021/22", "Academic year 2023/24", "H1 2024/25", "early 2023", "2024", "TBC"]
        {
            let t = parse_target(text);
            assert_eq!((t.start, t.due, t.revised_due), (None, None, None), "{text}");
            assert!(t.is_unparsed(), "{text}");
        }
    }

    #[test]
    fn season_start_leaves_the_end() {
        let t = parse_target("Autumn 2021 \u{2013} March 2022");
        assert_eq!((t.start, t.due), (None, m(2022, 3)));
    }

    #[test]
    fn ongoing_in_any_form_sets_the_flag() {
        for text in ["Ongoing", "ongoing", "On-going", "Ongoing for the duration of the pandemic", "Ongoing work programme", "(ongoing to March 2022)"] {
            let t = parse_target(text);
            assert!(t.ongoing, "{text}");
            assert!(!t.is_unparsed(), "{text}");
        }
        assert!(!parse_target("March 2022").ongoing);
    }

    #[test]
    fn ongoing_to_tail_does_not_set_due() {
        let t = parse_target("September 2020 \u{2013} November 2021 (ongoing to March 2022)");
        assert_eq!((t.start, t.due, t.ongoing), (m(2020, 9), m(2021, 11), true));
        let t = parse_target("From July 2021 (ongoing to October 2022)");
        assert_eq!((t.start, t.due, t.ongoing), (m(2021, 7), None, true));
        let t = parse_target("ongoing to March 2022");
        assert_eq!((t.start, t.due, t.ongoing), (None, None, true));
        let t = parse_target("Ongoing until the end of March 2022");
        assert_eq!((t.due, t.ongoing), (None, true));
        let t = parse_target("Ongoing (to March 2022)");
        assert_eq!((t.due, t.ongoing), (None, true));
        let t = parse_target("Ongoing to March 2022 Revised: June 2022");
        assert_eq!((t.due, t.revised_due, t.ongoing), (None, m(2022, 6), true));
    }

    #[test]
    fn ongoing_to_without_a_date_is_left_alone() {
        let t = parse_target("Ongoing to be reviewed March 2023");
        assert_eq!((t.due, t.ongoing), (m(2023, 3), true));
    }

    #[test]
    fn month_inside_ongoing_cell_is_due() {
        assert_eq!(due("Ongoing (March 2022)"), m(2022, 3));
        assert_eq!(due("Ongoing (specific datasets included by August 2021)"), m(2021, 8));
        assert_eq!(due("Ongoing, with next report in September 2023"), m(2023, 9));
        assert_eq!(due("Ongoing \u{2013} March 2022"), m(2022, 3));
    }

    #[test]
    fn impossible_dates_are_unparsed() {
        for text in ["31/02/2024", "29/02/2023", "00/01/2024", "12/13/2024", "31 April 2024", "2024-02-30", "Q5 2024/25", "Q0 2024/25", "2024/26", "Q3 2024/27", "March 1066"] {
            let t = parse_target(text);
            assert_eq!((t.start, t.due), (None, None), "{text}");
            assert!(t.is_unparsed(), "{text}");
        }
        assert_eq!(due("29/02/2024"), d(2024, 2, 29));
        assert_eq!(due("29/02/2000"), d(2000, 2, 29));
        assert_eq!(due("29/02/2100"), None);
    }

    #[test]
    fn impossible_range_end_spoils_the_range() {
        let t = parse_target("01/01/2024 \u{2013} 31/02/2024");
        assert_eq!((t.start, t.due), (None, None));
    }

    #[test]
    fn non_ascii_input_does_not_panic() {
        for text in [
            "ſept 2024",
            "Mar\u{17f} 2024",
            "Q\u{ff13} 2024/25",
            "\u{661}\u{662}/\u{660}\u{663}/\u{662}\u{660}\u{662}\u{665}",
            "Décembre 2024",
            "März 2024 – 🚧",
            "\u{2013}\u{2014}\u{2013}",
            "K\u{212a} 2024",
            "日本 2024年3月",
            "\u{0}\u{feff}",
        ] {
            let t = parse_target(text);
            assert_eq!(t.text, text);
        }
        assert_eq!(due("31\u{a0}March\u{a0}2024"), d(2024, 3, 31));
    }

    #[test]
    fn empty_cell_is_not_unparsed() {
        assert!(!parse_target("").is_unparsed());
        assert!(!parse_target("  ").is_unparsed());
        assert!(!parse_target("\u{2013}").is_unparsed());
        assert!(parse_target("N/A").is_unparsed());
    }

    #[test]
    fn revised_only_still_counts_as_parsed() {
        let t = parse_target("Revised: March 2023");
        assert_eq!((t.due, t.revised_due), (None, m(2023, 3)));
        assert!(!t.is_unparsed());
    }

    #[test]
    fn partial_date_round_trips_through_text() {
        for s in ["2021-08", "2025-03-31", "2024-02-29", "0999-01"] {
            let date: PartialDate = s.parse().unwrap();
            assert_eq!(date.to_string(), s);
        }
        assert_eq!("2021-08".parse(), Ok(PartialDate::month(2021, 8)));
        assert_eq!("2025-03-31".parse(), Ok(PartialDate::day(2025, 3, 31)));
    }

    #[test]
    fn partial_date_rejects_malformed_text() {
        for s in ["", "2021", "2021-8", "2021-13", "2021-00", "2021-02-30", "2023-02-29", "+202-01", "2021/08", "2021-08-1", "2021-08-01x", "２０２１-08", "2021-08-+1"] {
            assert!(s.parse::<PartialDate>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn partial_date_orders_month_before_its_days() {
        assert!(PartialDate::month(2024, 3) < PartialDate::day(2024, 3, 1));
        assert!(PartialDate::day(2024, 3, 31) < PartialDate::month(2024, 4));
        assert!(PartialDate::month(2023, 12) < PartialDate::month(2024, 1));
    }

    #[test]
    fn target_serialises_in_the_gold_shape() {
        let t = parse_target("Ongoing Original date: July 2021 \u{2013} November 2021 Revised target date: January 2023");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"text":"Ongoing Original date: July 2021 – November 2021 Revised target date: January 2023","start":"2021-07","due":"2021-11","revised_due":"2023-01","ongoing":true}"#
        );
        let back: Target = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert!(serde_json::from_str::<PartialDate>(r#""2021-13""#).is_err());
    }

    const MONTH_NAMES: &[(&str, u8)] = &[
        ("January", 1),
        ("Jan", 1),
        ("February", 2),
        ("Feb", 2),
        ("March", 3),
        ("Mar", 3),
        ("April", 4),
        ("Apr", 4),
        ("May", 5),
        ("June", 6),
        ("Jun", 6),
        ("July", 7),
        ("Jul", 7),
        ("August", 8),
        ("Aug", 8),
        ("September", 9),
        ("Sep", 9),
        ("Sept", 9),
        ("October", 10),
        ("Oct", 10),
        ("November", 11),
        ("Nov", 11),
        ("December", 12),
        ("Dec", 12),
    ];

    /// Pieces of real cells plus edge values, so that random cells hit the range, label and
    /// year-arithmetic paths far more often than random text does.
    const FRAGMENTS: &[&str] = &[
        "Q3",
        "Q4",
        "Q1",
        "2024/25",
        "99/00",
        "2198/99",
        "1900/01",
        "-",
        "\u{2013}",
        "\u{2014}",
        "to",
        "ongoing to",
        "Ongoing",
        "(",
        ")",
        "Revised:",
        "Original:",
        "Revised target date:",
        "/",
        "31/02/2024",
        "29/02/2024",
        "March",
        "Jan",
        "may",
        "December 2198",
        "January 1900",
        "From",
        "onwards",
        "between",
        "and",
        "1 December",
        "31",
        "Mar-25",
        "Summer 2022",
        "\u{17f}ept",
        "\u{a0}",
        "é",
        "TBC",
        "end date:",
        "2024",
        "Q3 2024/25",
        "Quarter",
    ];

    proptest! {
        #[test]
        fn any_month_name_and_year_parse_to_that_month(
            (name, month) in prop::sample::select(MONTH_NAMES),
            year in 2000u16..2040,
            case in 0..3u8,
        ) {
            let name = match case {
                0 => name.to_owned(),
                1 => name.to_lowercase(),
                _ => name.to_uppercase(),
            };
            let t = parse_target(&format!("{name} {year}"));
            prop_assert_eq!(t.due, Some(PartialDate::month(year, month)));
            prop_assert_eq!(t.start, None);
        }

        #[test]
        fn any_valid_numeric_date_parses_to_that_day(
            year in 2000u16..2040,
            month in 1u8..=12,
            day in 1u8..=31,
            padded in any::<bool>(),
        ) {
            prop_assume!(day <= days_in_month(year, month));
            let text = if padded {
                format!("{day:02}/{month:02}/{year}")
            } else {
                format!("{day}/{month}/{year}")
            };
            prop_assert_eq!(parse_target(&text).due, Some(PartialDate::day(year, month, day)));
        }

        #[test]
        fn never_panics_and_keeps_the_text(text in "\\PC{0,80}") {
            let t = parse_target(&text);
            prop_assert_eq!(&t.text, &text);
            let _ = t.is_unparsed();
        }

        #[test]
        fn never_panics_on_date_like_noise(
            text in "[0-9QqFfYy/ .,:\\-–()a-zA-Z]{0,40}",
        ) {
            let t = parse_target(&text);
            prop_assert_eq!(&t.text, &text);
        }

        #[test]
        fn never_panics_on_shuffled_cell_fragments(
            parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12),
        ) {
            let text = parts.join(" ");
            let t = parse_target(&text);
            prop_assert_eq!(&t.text, &text);
            let _ = t.is_unparsed();
        }

        #[test]
        fn partial_dates_round_trip(year in 0u16..10000, month in 1u8..=12, day in proptest::option::of(1u8..=28)) {
            let date = PartialDate { year, month, day };
            prop_assert_eq!(date.to_string().parse::<PartialDate>(), Ok(date));
        }
    }
}
