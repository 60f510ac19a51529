//! The files officers edit in `templates/`: which words mean which status (`status.toml`) and
//! which headings name which column (`columns.toml`).
//!
//! In: the templates folder (or nothing: the shipped files are built in). Out: a checked
//! [`Config`], or every mistake found, each with its file and line, before any PDF is read.
//!
//! Not here: using the vocabulary (`normalise`, `rows`); the report template (`report`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::geom::Colour;
use crate::record::StatusValue;

/// The shipped status vocabulary, also the default when `templates/status.toml` is absent.
pub const DEFAULT_STATUS_TOML: &str = include_str!("../../../templates/status.toml");
/// The shipped column vocabulary.
pub const DEFAULT_COLUMNS_TOML: &str = include_str!("../../../templates/columns.toml");

/// A mistake in a templates file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the user would name it (`templates/status.toml`).
    pub file: String,
    /// The 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}, line {}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The role a table column plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The section / priority.
    Theme,
    /// The outcome / objective.
    Outcome,
    /// The milestone / action itself.
    Activity,
    /// The target date.
    Target,
    /// The status / RAG.
    Status,
    /// The commentary.
    Rationale,
    /// The reference number.
    Ref,
    /// The lead officer.
    Lead,
}

impl Role {
    /// The role's bit in a set of roles.
    fn bit(self) -> u16 {
        1 << Role::ALL.iter().position(|(r, _)| *r == self).unwrap_or(Role::ALL.len())
    }

    const ALL: [(Role, &'static str); 8] = [
        (Role::Theme, "theme"),
        (Role::Outcome, "outcome"),
        (Role::Activity, "activity"),
        (Role::Target, "target"),
        (Role::Status, "status"),
        (Role::Rationale, "rationale"),
        (Role::Ref, "ref"),
        (Role::Lead, "lead"),
    ];
}

/// Wordings for statuses and column headings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Normalised status wording → value.
    pub status_words: BTreeMap<String, StatusValue>,
    /// One-letter wordings ("R", "A", "G", "B"), in the case listed: in lower case a letter is
    /// a sub-item's label ("a)", "b.") or an article, not a status.
    pub status_letters: BTreeMap<String, StatusValue>,
    /// Fill colours → value.
    pub status_colours: Vec<(Colour, StatusValue)>,
    /// Words that suggest a status in a wording no list holds ("Falling behind").
    pub status_cues: Vec<Cue>,
    /// Words that make a delay a failure ("significantly", "well" behind): behind → off track.
    pub cue_worse: Vec<Vec<String>>,
    /// Words that put a completion in the future ("will be", "expected to be" delivered):
    /// complete → on track.
    pub cue_expected: Vec<Vec<String>>,
    /// Heading words per role, normalised.
    pub column_words: Vec<(Role, String)>,
    /// A hash of the files' contents (for the run manifest: a change re-runs everything).
    pub hash: String,
    /// Where the files came from.
    pub origin: Vec<PathBuf>,
    /// Words in the longest status wording: longer text is no status word, without normalising
    /// it (every cell of a table is asked, commentary included).
    pub status_max_words: usize,
    /// The role of each heading asked so far ([`Config::role_of_heading`]).
    pub heading_memo: HeadingMemo,
    /// The roles each heading asked so far names anywhere ([`Config::heading_names`]), one bit
    /// per role.
    pub names_memo: HeadingMemo<u16>,
    /// `status_cues` by their first word, for [`Config::status_by_cues`].
    cue_index: CueIndex,
}

/// Which cues can match a wording, found from its words: every cell of every table is asked
/// for cues while its columns are decided, and comparing each of the 119 shipped cues' first
/// word with each of the wording's words was most of that.
#[derive(Debug, Clone, Default)]
struct CueIndex {
    /// Cue positions in `status_cues` by first word: a cue can match only where its first word
    /// is one of the wording's.
    by_first: std::collections::HashMap<String, Vec<usize>>,
    /// One-word stems ("slipp*"), which may match any word: always tried.
    stems: Vec<usize>,
}

impl CueIndex {
    fn of(cues: &[Cue]) -> CueIndex {
        let mut index = CueIndex::default();
        for (i, cue) in cues.iter().enumerate() {
            if cue.words.len() == 1 && cue.stem {
                index.stems.push(i);
            } else {
                index.by_first.entry(cue.words[0].clone()).or_default().push(i);
            }
        }
        index
    }

    /// The cues that can match `words` (their positions, each once, in order): those whose
    /// first word is among them, and the stems.
    fn candidates(&self, words: &[&str]) -> Vec<usize> {
        let mut found: Vec<usize> = words.iter().filter_map(|w| self.by_first.get(*w)).flatten().chain(&self.stems).copied().collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Headings already asked of the vocabulary, with their roles. A tracker prints the same
/// heading row on every page, and every short row of every table is asked whether it is a
/// header: on the 117-page tracker, matching each against every column wording was 4% of
/// `extract`'s time, all of it on the one thread that reads rows. A copy of the vocabulary
/// (a document's status key added) starts empty.
pub struct HeadingMemo<V = Option<Role>>(std::sync::Mutex<std::collections::HashMap<String, V>>);

impl<V> Default for HeadingMemo<V> {
    fn default() -> HeadingMemo<V> {
        HeadingMemo(std::sync::Mutex::new(std::collections::HashMap::new()))
    }
}

impl<V: Copy> HeadingMemo<V> {
    /// The value remembered for `heading`, else `work` worked out (and remembered while there
    /// is room).
    fn get_or(&self, heading: &str, work: impl FnOnce() -> V) -> V {
        if let Some(v) = self.0.lock().ok().and_then(|m| m.get(heading).copied()) {
            return v;
        }
        let v = work();
        if let Ok(mut m) = self.0.lock() {
            if m.len() < HEADING_MEMO_MAX {
                m.insert(heading.to_string(), v);
            }
        }
        v
    }
}

impl<V> Clone for HeadingMemo<V> {
    fn clone(&self) -> HeadingMemo<V> {
        HeadingMemo::default()
    }
}

impl<V> fmt::Debug for HeadingMemo<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HeadingMemo")
    }
}

/// Headings remembered at most: past it a new heading is worked out and not kept (a document
/// of a hundred thousand distinct short cells cannot grow the memo without bound).
const HEADING_MEMO_MAX: usize = 4096;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    colours: Vec<String>,
    #[serde(default)]
    cues: Vec<String>,
}

/// A cue of `status.toml`: words to find in a wording no list holds, the last perhaps a stem.
#[derive(Debug, Clone)]
pub struct Cue {
    /// The cue's words, lower case.
    pub words: Vec<String>,
    /// Whether the last word is a stem ("slipp*": any word starting so).
    pub stem: bool,
    /// The status it suggests.
    pub value: StatusValue,
}

/// How many words `s` has once those a slash joins count as one ("a / b", "a/ b" and "a /b" are
/// one word in [`normalise_words`]), not counting words of full stops only; counted up to
/// `limit`. Never more than [`normalise_words`] leaves, so that a longer text is known to be no
/// listed wording without normalising it.
fn slash_joined_words(s: &str, limit: usize) -> usize {
    let mut joined_to_last = false;
    s.split_whitespace()
        .filter(|w| {
            let new_word = !joined_to_last && !w.starts_with('/') && !w.chars().all(|c| c == '.');
            joined_to_last = w.ends_with('/');
            new_word
        })
        .take(limit)
        .count()
}

/// Lower case, single spaces, no trailing full stop: how wordings are compared.
pub fn normalise_words(s: &str) -> String {
    let s = s.to_lowercase().replace(['\u{2013}', '\u{2014}'], "-");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.replace(" / ", "/").replace("/ ", "/").replace(" /", "/");
    s.trim_end_matches('.').trim().to_string()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn line_of_str(text: &str, needle: &str) -> Option<usize> {
    text.find(&format!("\"{needle}\"")).map(|o| line_of(text, o))
}

fn parse_sections(file: &str, text: &str, errors: &mut Vec<ConfigError>) -> BTreeMap<String, Entry> {
    match toml::from_str::<BTreeMap<String, Entry>>(text) {
        Ok(m) => m,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            errors.push(ConfigError { file: file.to_string(), line, message: e.message().trim().to_string() });
            BTreeMap::new()
        }
    }
}

impl Config {
    /// The shipped vocabulary.
    pub fn builtin() -> Config {
        Config::from_texts(("templates/status.toml", DEFAULT_STATUS_TOML), ("templates/columns.toml", DEFAULT_COLUMNS_TOML))
            .expect("the shipped templates are checked by the tests")
    }

    /// Loads `status.toml` and `columns.toml` from a templates folder; a missing file falls back
    /// to the shipped one. Every mistake is returned, not just the first.
    pub fn load(dir: &Path) -> Result<Config, Vec<ConfigError>> {
        let read = |name: &str, default: &'static str| -> Result<(String, String, Option<PathBuf>), ConfigError> {
            let p = dir.join(name);
            let shown = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(t) => Ok((shown, t, Some(p))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((shown, default.to_string(), None)),
                Err(e) => Err(ConfigError { file: shown, line: None, message: format!("could not be read ({e})") }),
            }
        };
        let mut errors = Vec::new();
        let s = read("status.toml", DEFAULT_STATUS_TOML);
        let c = read("columns.toml", DEFAULT_COLUMNS_TOML);
        let (s, c) = match (s, c) {
            (Ok(s), Ok(c)) => (s, c),
            (s, c) => {
                errors.extend(s.err());
                errors.extend(c.err());
                return Err(errors);
            }
        };
        let mut cfg = Config::from_texts((&s.0, &s.1), (&c.0, &c.1))?;
        cfg.origin = [s.2, c.2].into_iter().flatten().collect();
        Ok(cfg)
    }

    /// Builds the vocabulary from the two files' texts (name, contents).
    pub fn from_texts(status: (&str, &str), columns: (&str, &str)) -> Result<Config, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let (sfile, stext) = status;
        let (cfile, ctext) = columns;
        let sections = parse_sections(sfile, stext, &mut errors);
        let mut status_words = BTreeMap::new();
        let mut status_letters = BTreeMap::new();
        let mut status_colours = Vec::new();
        let mut status_cues = Vec::new();
        let mut cue_worse = Vec::new();
        let mut cue_expected = Vec::new();
        for (name, entry) in &sections {
            // The two lists of modifiers: words that make a delay worse, and words that put a
            // completion in the future.
            if name == "worse" || name == "expected" {
                let list = if name == "worse" { &mut cue_worse } else { &mut cue_expected };
                list.extend(entry.words.iter().map(|w| cue_words(w)).filter(|w| !w.is_empty()));
                if !entry.colours.is_empty() || !entry.cues.is_empty() {
                    errors.push(ConfigError { file: sfile.to_string(), line: None, message: format!("[{name}] takes only words, not colours or cues") });
                }
                continue;
            }
            let Some(value) = StatusValue::from_key(name) else {
                let line = stext.find(&format!("[{name}]")).map(|o| line_of(stext, o));
                errors.push(ConfigError {
                    file: sfile.to_string(),
                    line,
                    message: format!("\"{name}\" is not a status; use complete, on_track, behind, off_track, not_started, cancelled or unknown"),
                });
                continue;
            };
            for w in &entry.words {
                let key = normalise_words(w);
                let map = if key.chars().count() == 1 { &mut status_letters } else { &mut status_words };
                let key = if key.chars().count() == 1 { w.trim().to_string() } else { key };
                if let Some(prev) = map.insert(key, value) {
                    if prev != value {
                        errors.push(ConfigError {
                            file: sfile.to_string(),
                            line: line_of_str(stext, w),
                            message: format!("\"{w}\" is listed under both {} and {}; keep it under one", prev.key(), value.key()),
                        });
                    }
                }
            }
            for c in &entry.cues {
                let stem = c.trim_end().ends_with('*');
                let words = cue_words(c.trim_end().trim_end_matches('*'));
                if words.is_empty() {
                    errors.push(ConfigError { file: sfile.to_string(), line: line_of_str(stext, c), message: format!("\"{c}\" is not a cue; write a word or a few words") });
                } else {
                    status_cues.push(Cue { words, stem, value });
                }
            }
            for c in &entry.colours {
                match Colour::from_hex(c) {
                    Some(col) => status_colours.push((col, value)),
                    None => errors.push(ConfigError {
                        file: sfile.to_string(),
                        line: line_of_str(stext, c),
                        message: format!("\"{c}\" is not a colour; write it as #RRGGBB, e.g. \"#FFC000\""),
                    }),
                }
            }
        }
        let csections = parse_sections(cfile, ctext, &mut errors);
        let mut column_words = Vec::new();
        for (name, entry) in &csections {
            let Some((role, _)) = Role::ALL.iter().find(|(_, n)| n == name) else {
                let line = ctext.find(&format!("[{name}]")).map(|o| line_of(ctext, o));
                errors.push(ConfigError {
                    file: cfile.to_string(),
                    line,
                    message: format!("\"{name}\" is not a kind of column; use theme, outcome, activity, target, status, rationale, ref or lead"),
                });
                continue;
            };
            if !entry.colours.is_empty() || !entry.cues.is_empty() {
                errors.push(ConfigError { file: cfile.to_string(), line: None, message: format!("[{name}] takes only words, not colours or cues") });
            }
            for w in &entry.words {
                column_words.push((*role, normalise_words(w)));
            }
        }
        if !column_words.iter().any(|(r, _)| *r == Role::Activity) && errors.is_empty() {
            errors.push(ConfigError { file: cfile.to_string(), line: None, message: "there must be an [activity] section with at least one word".into() });
        }
        if !errors.is_empty() {
            // In file order, as an officer reads the file.
            errors.sort_by(|a, b| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)));
            return Err(errors);
        }
        let mut h = blake3::Hasher::new();
        h.update(stext.as_bytes());
        h.update(b"\0");
        h.update(ctext.as_bytes());
        let status_max_words = status_words.keys().map(|k| k.split_whitespace().count()).max().unwrap_or(0);
        let cue_index = CueIndex::of(&status_cues);
        Ok(Config {
            status_max_words,
            status_words,
            status_letters,
            status_colours,
            status_cues,
            cue_worse,
            cue_expected,
            column_words,
            hash: h.finalize().to_hex()[..16].to_string(),
            origin: Vec::new(),
            heading_memo: HeadingMemo::default(),
            names_memo: HeadingMemo::default(),
            cue_index,
        })
    }

    /// The role a column heading names, if any: the words that come first in the heading win,
    /// then the longest.
    pub fn role_of_heading(&self, heading: &str) -> Option<Role> {
        self.heading_memo.get_or(heading, || self.work_out_role(heading))
    }

    /// [`Config::role_of_heading`], worked out.
    fn work_out_role(&self, heading: &str) -> Option<Role> {
        let h = normalise_words(heading);
        if h.is_empty() {
            return None;
        }
        // An English heading names its column by the head of its noun phrase: the last noun
        // before any preposition ("Rationale for status" is a rationale, "Target date for
        // delivery" a target date, "Portfolio lead" and "Action ref" a lead and a ref, "Progress
        // rating" a status). So look only before the first preposition, and there the words that
        // end last win (the longer wording on a tie).
        // A wording must start in the naming part (one that runs on past it, "what we want to
        // achieve", still counts).
        let cut = naming_cut(&h);
        let mut best: Option<(usize, usize, Role)> = None;
        for (role, w) in &self.column_words {
            for pos in find_words(&h, w) {
                if pos >= cut {
                    continue;
                }
                let cand = (pos + w.len(), w.len(), *role);
                if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                    best = Some(cand);
                }
            }
        }
        best.map(|b| b.2)
    }

    /// This vocabulary with a document's own key to its scale added ("1" = "Complete"): the
    /// key's symbols read as the statuses its wordings mean, over any listed meaning.
    pub fn with_status_key(&self, key: &[(String, StatusValue)]) -> Config {
        let mut cfg = self.clone();
        for (symbol, value) in key {
            if symbol.chars().count() == 1 {
                cfg.status_letters.insert(symbol.trim().to_string(), *value);
            } else {
                cfg.status_words.insert(normalise_words(symbol), *value);
            }
        }
        cfg
    }

    /// Whether a heading names `role` anywhere in its naming part (before any preposition):
    /// "Status / update" names a status as well as commentary.
    pub fn heading_names(&self, heading: &str, role: Role) -> bool {
        let named = self.names_memo.get_or(heading, || {
            let h = normalise_words(heading);
            let cut = naming_cut(&h);
            let mut named = 0u16;
            for (r, w) in &self.column_words {
                if named & r.bit() == 0 && find_words(&h, w).into_iter().any(|pos| pos < cut) {
                    named |= r.bit();
                }
            }
            named
        });
        named & role.bit() != 0
    }

    /// The status a wording means, if listed.
    pub fn status_of_words(&self, text: &str) -> Option<StatusValue> {
        let text = strip_symbols(text);
        if let Some(v) = self.listed_status(text) {
            return Some(v);
        }
        // A listed wording glossed after a dash or colon, or in brackets ("Green – on track",
        // "Amber (some risk)", "Red: will not be met"): the listed parts decide when they agree
        // and the first part is one ("Amber – Green" is between two and stays unrecognised, as
        // "Amber/Green" does).
        // Part by part, stopping at the first that decides (a long update's first part is
        // rarely a listed wording).
        let mut parts = text.split([':', '(', ')', '\u{2013}', '\u{2014}']).flat_map(|p| p.split(" - ")).map(str::trim).filter(|p| !p.is_empty());
        let (first, second) = (parts.next()?, parts.next()?);
        let first = self.listed_status(first)?;
        std::iter::once(second).chain(parts).all(|p| self.listed_status(p).is_none_or(|v| v == first)).then_some(first)
    }

    /// The status a wording means when it is listed as it stands.
    fn listed_status(&self, text: &str) -> Option<StatusValue> {
        let t = text.trim();
        let mut chars = t.chars();
        if chars.next().is_some() && chars.next().is_none() {
            return self.status_letters.get(t).copied();
        }
        // Normalising keeps the words, but for a slash's (it joins "a / b" into "a/b") and
        // trailing full stops: past the longest wording's count, no status.
        if !t.contains('/') && t.split_whitespace().filter(|w| !w.chars().all(|c| c == '.')).take(self.status_max_words + 1).count() > self.status_max_words {
            return None;
        }
        // With slashes, the words once those joined by one are counted as one ("a / b", "a/ b",
        // "a /b" are one word normalised): never more than normalising leaves.
        if t.contains('/') && slash_joined_words(t, self.status_max_words + 1) > self.status_max_words {
            return None;
        }
        self.status_words.get(&normalise_words(t)).copied()
    }

    /// The status a wording no list holds suggests by its cue words ("In progress – behind
    /// schedule", "Falling behind", "Will not be achieved"), or None. Only a short wording is
    /// read whole; of a longer one (a narrative update in the status column) only its first
    /// words, where a status is said first if at all ("Complete – report taken to Cabinet in
    /// May"): later words describe the work ("… to be completed by March").
    /// A cue inside a longer one found too gives way to it ("achieved" in "not achieved");
    /// of the cues left, the status naming the worse problem wins (`CUE_PRECEDENCE`).
    pub fn status_by_cues(&self, text: &str) -> Option<StatusValue> {
        // The first words as `cue_words` gives them, read word by word into one buffer (this is
        // asked of every cell of every table while its columns are decided).
        let mut buf = String::new();
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(CUE_LEAD_WORDS + 4);
        for token in strip_symbols(text).split_whitespace().take(2 * CUE_LEAD_WORDS) {
            if spans.len() >= CUE_LEAD_WORDS {
                break;
            }
            let start = buf.len();
            buf.push_str(&cue_case(token));
            let base = buf.as_ptr() as usize;
            spans.extend(cue_pieces(&buf[start..]).map(|w| (w.as_ptr() as usize - base, w.as_ptr() as usize - base + w.len())));
        }
        let words: Vec<&str> = spans.iter().take(CUE_LEAD_WORDS).map(|&(a, b)| &buf[a..b]).collect();
        if words.is_empty() {
            return None;
        }
        let mut found: Vec<(usize, usize, StatusValue)> = Vec::new();
        for cue in self.cue_index.candidates(&words).into_iter().filter_map(|i| self.status_cues.get(i)) {
            let n = cue.words.len();
            if n > words.len() {
                continue;
            }
            for i in 0..=words.len() - n {
                let hit = (0..n).all(|k| {
                    let (w, c) = (words[i + k], cue.words[k].as_str());
                    if k == n - 1 && cue.stem {
                        w.starts_with(c)
                    } else {
                        w == c
                    }
                });
                if hit {
                    found.push((i, i + n, cue.value));
                }
            }
        }
        let inside = |a: &(usize, usize, StatusValue)| found.iter().any(|b| b.0 <= a.0 && a.1 <= b.1 && (b.1 - b.0) > (a.1 - a.0));
        // A modifier just before a cue changes what it says: "severely delayed" is off track,
        // "will be delivered" on track.
        let preceded = |start: usize, mods: &[Vec<String>]| {
            mods.iter().any(|m| (0..=CUE_MODIFIER_REACH).any(|gap| start >= m.len() + gap && words[start - gap - m.len()..start - gap] == m[..]))
        };
        let kept: Vec<StatusValue> = found
            .iter()
            .filter(|a| !inside(a))
            .map(|a| match a.2 {
                StatusValue::Behind if preceded(a.0, &self.cue_worse) => StatusValue::OffTrack,
                StatusValue::Complete if preceded(a.0, &self.cue_expected) => StatusValue::OnTrack,
                v => v,
            })
            .collect();
        CUE_PRECEDENCE.iter().copied().find(|v| kept.contains(v))
    }

    /// The status a fill colour means: the nearest listed colour, if close enough.
    pub fn status_of_colour(&self, c: Colour) -> Option<StatusValue> {
        // Within ~40 steps per channel: PDF producers round colours (0.4392 → 112 or 111).
        self.status_colours.iter().filter(|(k, _)| k.distance2(&c) <= 40 * 40 * 3).min_by_key(|(k, _)| k.distance2(&c)).map(|(_, v)| *v)
    }
}

/// Of a status cell's words, only the first this many are looked at for cues: a narrative
/// update says its status first if at all ("Delayed – awaiting the contractor's survey …");
/// "In progress – behind schedule" has four, "Will not be achieved this year" six.
const CUE_LEAD_WORDS: usize = 8;

/// A modifier counts when it ends at most this many words before its cue ("well behind", "will
/// be fully delivered").
const CUE_MODIFIER_REACH: usize = 1;

/// When cues of two statuses are found in one wording, the first of these wins: a wording that
/// names a problem beside progress reports the problem ("In progress – behind schedule" is
/// behind, "Achieved ahead of schedule" complete).
const CUE_PRECEDENCE: [StatusValue; 6] = [StatusValue::OffTrack, StatusValue::Behind, StatusValue::Cancelled, StatusValue::NotStarted, StatusValue::Complete, StatusValue::OnTrack];

/// A wording's words for cue matching: lower case, split at anything but letters, digits and
/// apostrophes ("on-track" is "on track"; "won't" stays one word).
pub fn cue_words(s: &str) -> Vec<String> {
    cue_pieces(&cue_case(s)).map(str::to_string).collect()
}

/// A wording in the case cues are compared in: lower case, a typographic apostrophe as `'`.
fn cue_case(s: &str) -> String {
    s.to_lowercase().replace('’', "'")
}

/// The words of a wording already in [`cue_case`] (see [`cue_words`]).
fn cue_pieces(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty())
}

/// A wording without the arrows, bullets and symbols set around it ("▲ At risk", "● Green",
/// "→ On track"): no letters or digits at either end.
pub fn strip_symbols(s: &str) -> &str {
    let keep = |c: char| c.is_alphanumeric() || matches!(c, '(' | ')' | '/' | '\'' | '.' | '-' | '–' | '—');
    let t = s.trim_matches(|c: char| !keep(c));
    // Only symbols: nothing to strip to ("-" is a listed "no status").
    if t.is_empty() {
        s.trim()
    } else {
        t
    }
}

/// Where the naming part of a normalised heading ends, in bytes: before its first preposition
/// after the first word ("Timescales *for* delivery").
fn naming_cut(h: &str) -> usize {
    let words: Vec<&str> = h.split(' ').collect();
    let cut_word = words.iter().skip(1).position(|w| PREPOSITIONS.contains(w)).map(|i| i + 1).unwrap_or(words.len());
    words[..cut_word].iter().map(|w| w.len() + 1).sum::<usize>()
}

/// Words that end the naming part of a heading ("Timescales *for* delivery").
const PREPOSITIONS: [&str; 9] = ["for", "of", "to", "by", "on", "in", "against", "with", "at"];

/// Positions of `word` in `hay` at word boundaries.
fn find_words(hay: &str, word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < hay.len() {
        let Some(i) = hay[start..].find(word) else { break };
        let pos = start + i;
        let before_ok = pos == 0 || !hay[..pos].chars().next_back().is_some_and(char::is_alphanumeric);
        let end = pos + word.len();
        let after_ok = end >= hay.len() || !hay[end..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            out.push(pos);
        }
        start = pos + word.len().max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The cue index offers every cue that trying each in turn could match: one whose first
        /// word is among the wording's, or a one-word stem.
        #[test]
        fn cue_index_misses_no_cue(picks in proptest::collection::vec(0usize..400, 0..12)) {
            let c = Config::builtin();
            let pool: Vec<&str> = c.status_cues.iter().flat_map(|q| q.words.iter().map(String::as_str)).chain(["the", "work", "slipped", "on", "track"]).collect();
            let words: Vec<&str> = picks.iter().map(|i| pool[i % pool.len()]).collect();
            let every: Vec<usize> = (0..c.status_cues.len())
                .filter(|&i| {
                    let q = &c.status_cues[i];
                    (q.words.len() == 1 && q.stem) || words.contains(&q.words[0].as_str())
                })
                .collect();
            proptest::prop_assert_eq!(c.cue_index.candidates(&words), every);
        }

        /// Counting words joined by slashes never gives more than normalising leaves, so no
        /// listed wording is ruled out by the count.
        #[test]
        fn slash_count_is_never_more_than_normalised(s in "[a-c/. ]{0,24}") {
            let normalised = normalise_words(&s);
            let words = normalised.split(' ').filter(|w| !w.is_empty()).count();
            proptest::prop_assert!(slash_joined_words(&s, usize::MAX) <= words, "{:?} -> {:?}", s, normalised);
        }
    }

    #[test]
    fn status_by_meaning_from_cues() {
        let c = Config::builtin();
        let cue = |t: &str| c.status_by_cues(t);
        assert_eq!(c.status_of_words("▲ At risk"), Some(StatusValue::Behind));
        assert_eq!(c.status_of_words("▼ Off track"), Some(StatusValue::OffTrack));
        assert_eq!(cue("In progress – behind schedule"), Some(StatusValue::Behind));
        assert_eq!(cue("Falling behind"), Some(StatusValue::Behind));
        assert_eq!(cue("Will not be achieved"), Some(StatusValue::OffTrack));
        assert_eq!(cue("Minor delays"), Some(StatusValue::Behind));
        assert_eq!(cue("Major delays"), Some(StatusValue::OffTrack));
        assert_eq!(cue("Ahead of schedule"), Some(StatusValue::OnTrack));
        assert_eq!(cue("Item not due yet"), Some(StatusValue::NotStarted));
        assert_eq!(cue("Proposed for Closure"), Some(StatusValue::Complete));
        assert_eq!(cue("Achieved ahead of schedule"), Some(StatusValue::Complete));
        assert_eq!(cue("Not achieved"), Some(StatusValue::OffTrack));
        // A narrative update says its status first if at all; later words describe the work.
        assert_eq!(cue("Verbal update to be provided"), None);
        assert_eq!(cue("July – Proposed new metrics being agreed with the board; the report will be completed by March"), None);
        // A stem cue needs its stem; a whole-word cue the whole word ("red" is not "reduced").
        assert_eq!(cue("Reduced waiting lists"), None);
    }

    #[test]
    fn shipped_templates_load() {
        let c = Config::builtin();
        assert_eq!(c.status_of_words("Behind  schedule"), Some(StatusValue::Behind));
        assert_eq!(c.status_of_words("Completed/ Ongoing"), Some(StatusValue::Complete));
        assert_eq!(c.status_of_words("n/a"), Some(StatusValue::Unknown));
        assert_eq!(c.status_of_colour(Colour::from_hex("#FFC000").unwrap()), Some(StatusValue::Behind));
        assert_eq!(c.status_of_colour(Colour::from_hex("#0070C0").unwrap()), Some(StatusValue::Complete));
        assert_eq!(c.status_of_colour(Colour::from_hex("#D9D9D9").unwrap()), None);
    }

    #[test]
    fn one_letter_wordings_keep_their_case_and_a_gloss_keeps_its_wording() {
        let c = Config::builtin();
        assert_eq!(c.status_of_words("G"), Some(StatusValue::OnTrack));
        assert_eq!(c.status_of_words(" R "), Some(StatusValue::OffTrack));
        // A sub-item's label or an article is no status.
        assert_eq!(c.status_of_words("a"), None);
        assert_eq!(c.status_of_words("b"), None);
        assert_eq!(c.status_of_words("Green \u{2013} on track"), Some(StatusValue::OnTrack));
        assert_eq!(c.status_of_words("Amber (some risk)"), Some(StatusValue::Behind));
        assert_eq!(c.status_of_words("Red: will not be met"), Some(StatusValue::OffTrack));
        // Between two statuses, or a gloss that names another: not read as either.
        assert_eq!(c.status_of_words("Amber \u{2013} Green"), None);
        assert_eq!(c.status_of_words("Amber/Green"), None);
        assert_eq!(c.status_of_words("Some risk \u{2013} Amber"), None);
    }

    #[test]
    fn heading_roles_from_the_head_noun() {
        let c = Config::builtin();
        assert_eq!(c.role_of_heading("Portfolio lead"), Some(Role::Lead));
        assert_eq!(c.role_of_heading("Action ref"), Some(Role::Ref));
        assert_eq!(c.role_of_heading("Progress rating"), Some(Role::Status));
        assert_eq!(c.role_of_heading("What we will do"), Some(Role::Activity));
        assert_eq!(c.role_of_heading("What we want to achieve"), Some(Role::Outcome));
        assert_eq!(c.role_of_heading("Rationale for status"), Some(Role::Rationale));
        assert_eq!(c.role_of_heading("Target date for\ndelivery"), Some(Role::Target));
        assert_eq!(c.role_of_heading("Status"), Some(Role::Status));
        assert_eq!(c.role_of_heading("Actions we plan to take"), Some(Role::Activity));
        assert_eq!(c.role_of_heading("Timescales for delivery"), Some(Role::Target));
        assert_eq!(c.role_of_heading("RAG"), Some(Role::Status));
        assert_eq!(c.role_of_heading("Progress update"), Some(Role::Rationale));
        assert_eq!(c.role_of_heading("Outcomes"), Some(Role::Outcome));
        assert_eq!(c.role_of_heading("Wath library"), None);
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let bad = "[behnd]\nwords = [\"Late\"]\n\n[behind]\ncolours = [\"orange\"]\n";
        let errs = Config::from_texts(("templates/status.toml", bad), ("templates/columns.toml", DEFAULT_COLUMNS_TOML)).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].to_string(), "templates/status.toml, line 1: \"behnd\" is not a status; use complete, on_track, behind, off_track, not_started, cancelled or unknown");
        assert_eq!(errs[1].line, Some(5));
    }

    #[test]
    fn toml_syntax_error_names_the_line() {
        let bad = "[complete]\nwords = [\"Done\"\n";
        let errs = Config::from_texts(("templates/status.toml", bad), ("templates/columns.toml", DEFAULT_COLUMNS_TOML)).unwrap_err();
        assert_eq!(errs[0].file, "templates/status.toml");
        assert!(errs[0].line.is_some());
    }
}
