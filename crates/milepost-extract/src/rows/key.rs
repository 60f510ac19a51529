//! A document's own key to its status scale: "1 = Complete, 2 = On track, …", as a small table
//! ("Status | Meaning") or as lines of text, on any page.
//!
//! In: the document's [`PageTables`] and the vocabulary. Out: a [`StatusKey`], each symbol
//! with the wording the key gives it and that wording's status; [`Config::with_status_key`] then
//! reads the symbols in this document as those statuses. A numbered or lettered scale means
//! nothing without its key, and a key overrules the built-in letters ("A = Achieved").
//!
//! Not here: the status wordings themselves (`config`), reading the status cells (`normalise`).

use std::sync::OnceLock;

use regex::Regex;

use crate::config::Config;
use crate::record::StatusValue;
use crate::tables::PageTables;

/// A symbol of a key ("1", "A", "★★") with the wording it stands for and its status.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyEntry {
    /// The symbol as printed.
    pub symbol: String,
    /// What the key says it means.
    pub meaning: String,
    /// The status of that wording.
    pub value: StatusValue,
}

/// The entries of a document's status key, if it has one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusKey {
    /// One entry per symbol.
    pub entries: Vec<KeyEntry>,
    /// The page the key is printed on.
    pub page: u32,
}

/// A key names at least this many symbols (a scale has three or more; two pairs may be chance).
const KEY_MIN_ENTRIES: usize = 3;
/// A key's symbol is at most this many characters ("1", "A", "4a", "***").
const KEY_SYMBOL_MAX_CHARS: usize = 3;
/// A key table is small: a symbol, its wording, perhaps a description ...
const KEY_TABLE_MAX_COLS: usize = 3;
/// ... a row a status, and a heading ...
const KEY_TABLE_MAX_ROWS: usize = 10;
/// ... and its wordings short ("Significantly delayed / will not be met"): a tracker's rows
/// numbered 1, 2, 3 beside activities ("Complete the review of …") are no key.
const KEY_MEANING_MAX_WORDS: usize = 8;

fn re_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // "1 = Complete", "2 – On track", "A: Achieved", "(3) Some delay".
    R.get_or_init(|| Regex::new(r"^\s*\(?([0-9]{1,2}|[A-Za-z]|\*{1,3})\)?\s*(?:=|:|–|—|-)\s*(\S.*?)\s*$").expect("valid regex"))
}

fn re_piece() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // One entry of several on a line: "Key: 1 = Complete; 2 = On track; 3 = Some delay".
    R.get_or_init(|| Regex::new(r"(?:^|\s)([0-9]{1,2}|[A-Z])\s*=\s*(\S.*?)\s*$").expect("valid regex"))
}

/// The status a key's wording means: a listed wording, else its cue words.
fn value_of(meaning: &str, cfg: &Config) -> Option<StatusValue> {
    cfg.status_of_words(meaning).or_else(|| cfg.status_by_cues(meaning)).filter(|v| *v != StatusValue::Unknown)
}

fn is_symbol(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= KEY_SYMBOL_MAX_CHARS && t.chars().all(|c| c.is_alphanumeric() || c == '*')
}

fn push(entries: &mut Vec<KeyEntry>, symbol: &str, meaning: &str, cfg: &Config) {
    let meaning = meaning.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(value) = value_of(&meaning, cfg) {
        if !entries.iter().any(|e| e.symbol == symbol) {
            entries.push(KeyEntry { symbol: symbol.trim().to_string(), meaning, value });
        }
    }
}

/// Finds the status key of a document: the first page holding one, as a table of symbols
/// beside status wordings or as lines "symbol = wording".
pub fn find_key(pages: &[PageTables], cfg: &Config) -> Option<StatusKey> {
    // Page by page over the cores; the first page (in order) that holds a key gives it.
    use rayon::prelude::*;
    // (The page's own number: pages with no text are not among `pages`.)
    pages.par_iter().find_map_first(|pt| key_on_page(pt, pt.layout.page, cfg))
}

/// The key printed on one page, if any: in a small table, else in lines of text.
fn key_on_page(pt: &PageTables, page: u32, cfg: &Config) -> Option<StatusKey> {
    // A small table: a column of symbols, each beside a status wording.
    for t in pt.tables.iter().filter(|t| t.cols() <= KEY_TABLE_MAX_COLS && t.rows() <= KEY_TABLE_MAX_ROWS) {
        let mut entries = Vec::new();
        for r in 0..t.rows() {
            let cells: Vec<&str> = (0..t.cols()).filter_map(|c| t.cell_at(r, c)).filter(|c| c.row == r).map(|c| c.text.as_str()).filter(|s| !s.trim().is_empty()).collect();
            if let [sym, meaning, ..] = cells[..] {
                if is_symbol(sym) && !is_symbol(meaning) && meaning.split_whitespace().count() <= KEY_MEANING_MAX_WORDS {
                    push(&mut entries, sym, meaning, cfg);
                }
            }
        }
        if entries.len() >= KEY_MIN_ENTRIES {
            return Some(StatusKey { entries, page });
        }
    }
    // Lines of text: one entry a line, or several on one line.
    let mut entries = Vec::new();
    for line in &pt.layout.lines {
        let text = pt.layout.line_text(line);
        // Both patterns need one of these signs (most lines of a page have none): the regexes
        // are asked only of lines that can match.
        if !text.contains(['=', ':', '\u{2013}', '\u{2014}', '-']) {
            continue;
        }
        if let Some(c) = re_line().captures(&text) {
            push(&mut entries, &c[1], &c[2], cfg);
        } else {
            for piece in text.split([';', ',']) {
                if !piece.contains('=') {
                    continue;
                }
                if let Some(c) = re_piece().captures(piece) {
                    push(&mut entries, &c[1], &c[2], cfg);
                }
            }
        }
    }
    (entries.len() >= KEY_MIN_ENTRIES).then_some(StatusKey { entries, page })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key is found on the first page that holds one, and named by that page's own number
    /// (pages with no text are not among the pages the rows stage sees).
    #[test]
    fn the_key_names_its_own_page() {
        let cfg = Config::builtin();
        let mut pages = crate::corpus_tables("gold/docs/rotherham-2021-tracker-borderless.pdf");
        pages.truncate(1);
        assert!(find_key(&pages, &cfg).is_none(), "the tracker's first page holds no key");
        let mut keyed = crate::corpus_tables("synth-councils/small-3003.pdf");
        keyed[0].layout.page = 5;
        pages.extend(keyed.clone());
        let key = find_key(&pages, &cfg).expect("the key on the second page read");
        assert_eq!(key.page, 5);
        assert_eq!(key.entries.len(), 4);
        // Two pages with a key: the first in page order gives it.
        keyed[0].layout.page = 7;
        pages.extend(keyed);
        assert_eq!(find_key(&pages, &cfg).map(|k| k.page), Some(5));
    }
}
