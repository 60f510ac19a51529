//! Scores extracted records against hand-checked truth: the gold scorer
//! (`../shared/gold/score.py`) in Rust, so that tests and officers can score without Python.
//!
//! In: truth and predictions as JSON Lines records (the `records.md` shape, read as
//! [`serde_json::Value`] so that extra fields such as `ref` do no harm), grouped by the base name
//! of `source.file` ([`load_dir`]). Out: a [`ScoreReport`]: per document and overall, rows
//! matched, precision, recall and F1, the accuracy of ten fields, and the mean text similarity
//! of the matched rows; [`table`] prints it as `score.py` does.
//!
//! Rows are matched per document by activity text, normalised ([`norm`]): identical texts first,
//! then the remaining pairs whose difflib ratio ([`ratio`]) is at least [`THRESHOLD`], best
//! first, one to one. Every rule here follows `score.py` line for line, so that the two give the
//! same figures; a change to one is a change to both.
//!
//! Not here: extracting records (the pipeline stages), printing or exit codes (`cli/score.rs`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

/// Two activities are the same row when their difflib ratio is at least this (`score.py`'s
/// `THRESHOLD`).
pub const THRESHOLD: f64 = 0.8;

/// The fields scored on each matched row, in `score.py`'s order (dotted paths into a record).
pub const FIELDS: [&str; 10] = ["theme", "outcome", "group", "activity", "target.due", "target.revised_due", "target.ongoing", "status.value", "rationale", "source.page"];

/// The fields compared as text (after [`norm`]), and whose similarity is reported.
pub const TEXT_FIELDS: [&str; 5] = ["theme", "outcome", "group", "activity", "rationale"];

/// Column headings of [`table`], one per entry of [`FIELDS`].
const SHORT: [&str; 10] = ["theme", "outc", "group", "activ", "due", "rev", "ongo", "status", "ratio", "page"];

/// Why a truth or prediction file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file or folder could not be read (missing, no permission, not UTF-8).
    #[error("{path}: could not be read ({source})")]
    Io {
        /// The file or folder, as given.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not JSON (`score.py` stops on it too).
    #[error("{file}:{line}: not JSON: {message}")]
    NotJson {
        /// The file's base name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// A line is JSON but not a record (an object); `score.py` would stop on it with a traceback.
    #[error("{file}:{line}: not a record (a JSON object)")]
    NotRecord {
        /// The file's base name.
        file: String,
        /// 1-based line number.
        line: usize,
    },
}

/// For callers that handle load errors as plain text (`?` in a function returning `String`).
impl From<LoadError> for String {
    fn from(e: LoadError) -> String {
        e.to_string()
    }
}

/// The scores of one document, or of all documents together (`score.py`'s `summarise`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocScore {
    /// Rows in the truth.
    pub rows_truth: usize,
    /// Rows predicted.
    pub rows_pred: usize,
    /// Truth rows paired with a predicted row.
    pub matched: usize,
    /// matched / rows_pred (1.0 when nothing was predicted and nothing was expected).
    pub precision: f64,
    /// matched / rows_truth (1.0 when nothing was expected and nothing was predicted).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Share of matched rows with each of [`FIELDS`] right, in that order (0.0 when none matched).
    #[serde(serialize_with = "as_map")]
    pub field_accuracy: Vec<(&'static str, f64)>,
    /// Mean of `field_accuracy` (0.0 when no row matched).
    pub field_mean: f64,
    /// Mean [`ratio`] of each of [`TEXT_FIELDS`] over the matched rows, in that order.
    #[serde(serialize_with = "as_map")]
    pub text_similarity: Vec<(&'static str, f64)>,
}

/// The whole result: what `score.py --json` writes, in the same shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    /// Each document with truth, by base file name (sorted).
    pub documents: BTreeMap<String, DocScore>,
    /// All documents together; predictions for files with no truth count as extra rows.
    pub overall: DocScore,
    /// Files that have predictions but no truth (sorted).
    pub unscored_pred_files: Vec<String>,
}

/// Writes an ordered list of pairs as a JSON object, keeping the order (as Python's dicts do).
fn as_map<S: Serializer>(pairs: &[(&'static str, f64)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

// ------------------------------------------------------------------ text

/// Python's `str.isspace()`: Unicode whitespace plus the four ASCII information separators
/// (U+001C–U+001F), which Rust's `char::is_whitespace` leaves out. Python's `\s` and `strip()`
/// use the same set.
fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `score.py`'s quote map: typographic single quotes, primes and accents to `'`, double ones to `"`.
fn unify_quote_or_dash(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
        c => c,
    }
}

/// Normalises text for comparison, as `score.py`'s `norm`: NFKC, soft hyphens removed, quotes
/// and dashes unified, whitespace runs to one space, trimmed, lower case.
///
/// The steps run in that order, as in Python: NFKC first, so a character it rewrites (`″` to
/// two primes, `´` to a space and an accent) is mapped in its rewritten form.
pub fn norm(s: &str) -> String {
    let mapped: String = s.nfkc().filter(|&c| c != '\u{00ad}').map(unify_quote_or_dash).collect();
    let mut out = String::with_capacity(mapped.len());
    for word in mapped.split(py_isspace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // Python's lower() and Rust's to_lowercase() both apply the final-sigma rule.
    out.to_lowercase()
}

/// [`norm`] of a record value: null or missing is "", anything else is first written as Python's
/// `str()` would write it (`5`, `True`, `['a']`).
fn norm_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => norm(&py_str(v)),
    }
}

/// Python's `str()` of a JSON value as `json.loads` gives it.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr()` of a JSON value (how a list or dict writes its members).
///
/// Objects list their keys in sorted order (serde_json's map), where Python keeps the file's
/// order; it matters only to a text field that holds an object, which no record has.
fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => py_float_repr(f),
            _ => n.to_string(),
        },
        Value::String(s) => py_str_repr(s),
        Value::Array(items) => format!("[{}]", items.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!("{{{}}}", map.iter().map(|(k, v)| format!("{}: {}", py_str_repr(k), py_repr(v))).collect::<Vec<_>>().join(", ")),
    }
}

/// Python's `repr()` of a float: the shortest text that reads back, in exponent form below
/// 1e-4 or from 1e16 (`1e-05`, `1e+16`), else with a decimal point (`3.0`).
fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always writes an exponent");
    let exp: i32 = exp.parse().expect("{:e} writes an integer exponent");
    if !(-4..16).contains(&exp) {
        format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let plain = format!("{f}");
        if plain.contains('.') {
            plain
        } else {
            plain + ".0"
        }
    }
}

/// Python's `repr()` of a string: single quotes unless it holds one and no double quote.
fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            // Python escapes what it does not print: controls, separators other than the space,
            // and the format characters (approximated by the common ones).
            c if c.is_control()
                || (c != ' ' && c.is_whitespace())
                || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}') =>
            {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

// ------------------------------------------------------------------ difflib

/// Python's `difflib.SequenceMatcher(None, a, b, autojunk=False)` over characters (code points,
/// as Python's `str`): no junk, no popular-character pruning.
///
/// Only what scoring needs: [`SequenceMatcher::ratio`] and its two cheap upper bounds.
struct SequenceMatcher {
    a: Vec<char>,
    b: Vec<char>,
    /// Where each character of `b` occurs, ascending (difflib's `b2j`).
    b2j: HashMap<char, Vec<usize>>,
    /// Character counts of `b`, for `quick_ratio`.
    b_counts: HashMap<char, usize>,
}

impl SequenceMatcher {
    fn new(a: &str, b: &str) -> Self {
        let mut m = SequenceMatcher { a: Vec::new(), b: Vec::new(), b2j: HashMap::new(), b_counts: HashMap::new() };
        m.set_seq2(b);
        m.set_seq1(a);
        m
    }

    fn set_seq1(&mut self, a: &str) {
        self.a = a.chars().collect();
    }

    fn set_seq2(&mut self, b: &str) {
        self.b = b.chars().collect();
        self.b2j.clear();
        self.b_counts.clear();
        for (j, &c) in self.b.iter().enumerate() {
            self.b2j.entry(c).or_default().push(j);
            *self.b_counts.entry(c).or_default() += 1;
        }
    }

    /// difflib's `find_longest_match`: the longest common block of `a[alo..ahi]` and
    /// `b[blo..bhi]`; of equal ones, the one starting earliest in `a`, then earliest in `b`.
    ///
    /// `j2len[j]` is the length of the match ending at `a[i-1]`, `b[j]`, as in difflib's dict;
    /// dense arrays with the touched entries reset give the same numbers without hashing.
    fn find_longest_match(&self, alo: usize, ahi: usize, blo: usize, bhi: usize, scratch: &mut Scratch) -> (usize, usize, usize) {
        let (a, b) = (&self.a, &self.b);
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0usize);
        let Scratch { prev, cur, prev_set, cur_set } = scratch;
        for (i, c) in a.iter().enumerate().take(ahi).skip(alo) {
            if let Some(js) = self.b2j.get(c) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = if j > 0 { prev[j - 1] } else { 0 } + 1;
                    cur[j] = k;
                    cur_set.push(j);
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                }
            }
            for &j in prev_set.iter() {
                prev[j] = 0;
            }
            prev_set.clear();
            std::mem::swap(prev, cur);
            std::mem::swap(prev_set, cur_set);
        }
        for &j in prev_set.iter() {
            prev[j] = 0;
        }
        prev_set.clear();
        // difflib then extends the block over equal neighbours; with no junk the block found is
        // already maximal, but the loops are kept so the port stays line for line.
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    }

    /// Total size of difflib's `get_matching_blocks` (Ratcliff/Obershelp: the longest block,
    /// then the same on each side of it).
    fn matched_chars(&self) -> usize {
        let mut scratch = Scratch::new(self.b.len());
        let mut queue = vec![(0, self.a.len(), 0, self.b.len())];
        let mut total = 0;
        while let Some((alo, ahi, blo, bhi)) = queue.pop() {
            let (i, j, k) = self.find_longest_match(alo, ahi, blo, bhi, &mut scratch);
            if k > 0 {
                total += k;
                if alo < i && blo < j {
                    queue.push((alo, i, blo, j));
                }
                if i + k < ahi && j + k < bhi {
                    queue.push((i + k, ahi, j + k, bhi));
                }
            }
        }
        total
    }

    fn length(&self) -> usize {
        self.a.len() + self.b.len()
    }

    /// `2 * M / T`, M the matched characters and T both lengths; 1.0 for two empty texts.
    fn ratio(&self) -> f64 {
        calculate_ratio(self.matched_chars(), self.length())
    }

    /// An upper bound on [`Self::ratio`]: characters in common regardless of order.
    fn quick_ratio(&self) -> f64 {
        let mut avail: HashMap<char, isize> = HashMap::new();
        let mut matches = 0;
        for &c in &self.a {
            let n = avail.entry(c).or_insert_with(|| *self.b_counts.get(&c).unwrap_or(&0) as isize);
            *n -= 1;
            if *n >= 0 {
                matches += 1;
            }
        }
        calculate_ratio(matches, self.length())
    }

    /// A cheaper upper bound on [`Self::ratio`]: from the lengths alone.
    fn real_quick_ratio(&self) -> f64 {
        calculate_ratio(self.a.len().min(self.b.len()), self.length())
    }
}

/// Reused rows of `find_longest_match`'s table (difflib's `j2len` and `newj2len`).
struct Scratch {
    prev: Vec<usize>,
    cur: Vec<usize>,
    prev_set: Vec<usize>,
    cur_set: Vec<usize>,
}

impl Scratch {
    fn new(lb: usize) -> Self {
        Scratch { prev: vec![0; lb], cur: vec![0; lb], prev_set: Vec::new(), cur_set: Vec::new() }
    }
}

fn calculate_ratio(matches: usize, length: usize) -> f64 {
    if length > 0 {
        2.0 * matches as f64 / length as f64
    } else {
        1.0
    }
}

/// difflib's `SequenceMatcher(None, a, b, autojunk=False).ratio()` over characters, on the
/// texts as given (not normalised). `ratio(a, b)` may differ from `ratio(b, a)`, as in difflib.
pub fn difflib_ratio(a: &str, b: &str) -> f64 {
    SequenceMatcher::new(a, b).ratio()
}

/// How alike two texts are after [`norm`], from 0.0 to 1.0 (`score.py`'s `ratio`).
pub fn ratio(a: &str, b: &str) -> f64 {
    ratio_norm(&norm(a), &norm(b))
}

fn ratio_norm(a: &str, b: &str) -> f64 {
    if a == b {
        1.0
    } else {
        difflib_ratio(a, b)
    }
}

// ------------------------------------------------------------------ loading

/// Reads a `.jsonl` file, or every `.jsonl` file directly in a folder (in name order), and groups
/// the records by the base name of their `source.file` (records with none group under "").
pub fn load_dir(path: impl AsRef<Path>) -> Result<BTreeMap<String, Vec<Value>>, LoadError> {
    let path = path.as_ref();
    let shown = || path.display().to_string();
    let files = if path.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|source| LoadError::Io { path: shown(), source })? {
            let entry = entry.map_err(|source| LoadError::Io { path: shown(), source })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jsonl") {
                files.push((name, entry.path()));
            }
        }
        // Python sorts the names as strings: code point order, which is UTF-8 byte order.
        files.sort();
        files.into_iter().map(|(_, p)| p).collect()
    } else {
        vec![path.to_path_buf()]
    };
    let mut by: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for f in files {
        for rec in read_jsonl(&f)? {
            by.entry(source_file(&rec)).or_default().push(rec);
        }
    }
    Ok(by)
}

/// The records of one JSON Lines file; blank lines are skipped.
fn read_jsonl(path: &Path) -> Result<Vec<Value>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.display().to_string(), source })?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = Vec::new();
    for (n, line) in python_lines(&text).enumerate() {
        let line = line.trim_matches(py_isspace);
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v @ Value::Object(_)) => out.push(v),
            Ok(_) => return Err(LoadError::NotRecord { file, line: n + 1 }),
            Err(e) => return Err(LoadError::NotJson { file, line: n + 1, message: e.to_string() }),
        }
    }
    Ok(out)
}

/// Lines as Python's text mode reads them: `\n`, `\r\n` and a lone `\r` each end a line.
fn python_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\n', '\r']) {
            Some(at) => {
                let line = &rest[..at];
                let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[at + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
        }
    })
}

/// `os.path.basename(str(source.file or ""))`.
fn source_file(rec: &Value) -> String {
    let name = match get(rec, "source.file") {
        Some(v) if truthy(v) => py_str(v),
        _ => String::new(),
    };
    match name.rsplit_once('/') {
        Some((_, base)) => base.to_string(),
        None => name,
    }
}

/// The value at a dotted path (`target.due`); None where a step is missing or not an object.
fn get<'a>(rec: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = rec;
    for part in path.split('.') {
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

// ------------------------------------------------------------------ comparing

/// Python's `bool()` of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `int()` of a JSON value; None where Python raises TypeError or ValueError.
///
/// Strings take Python's form: surrounding whitespace, a sign, ASCII digits with single
/// underscores between them. (Python also reads other scripts' digits, which no page number
/// here is written in.)
fn py_int(v: &Value) -> Option<i128> {
    match v {
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        Value::Bool(b) => Some(i128::from(*b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Some(i128::from(u))
            } else {
                n.as_f64().filter(|f| f.is_finite()).map(|f| f.trunc() as i128)
            }
        }
        Value::String(s) => {
            let t = s.trim_matches(py_isspace);
            let (neg, digits) = match t.as_bytes().first() {
                Some(b'-') => (true, &t[1..]),
                Some(b'+') => (false, &t[1..]),
                _ => (false, t),
            };
            let ok = !digits.is_empty() && !digits.starts_with('_') && !digits.ends_with('_') && !digits.contains("__") && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
            if !ok {
                return None;
            }
            let n: i128 = digits.chars().filter(|c| *c != '_').collect::<String>().parse().ok()?;
            Some(if neg { -n } else { n })
        }
    }
}

/// Python's `==` on JSON values: `1 == 1.0`, `True == 1`, lists and dicts member by member.
fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| py_eq(p, q))),
        (Value::Bool(_) | Value::Number(_), Value::Bool(_) | Value::Number(_)) => match (py_number(a), py_number(b)) {
            (Some(x), Some(y)) => x.eq(&y),
            _ => false,
        },
        _ => false,
    }
}

/// A JSON number or bool as Python compares it: integers exactly, floats by value.
#[derive(Debug, Clone, Copy)]
enum PyNumber {
    Int(i128),
    Float(f64),
}

impl PyNumber {
    fn eq(&self, other: &PyNumber) -> bool {
        match (*self, *other) {
            (PyNumber::Int(x), PyNumber::Int(y)) => x == y,
            (PyNumber::Float(x), PyNumber::Float(y)) => x == y,
            // Python compares an int and a float exactly, not by converting the int.
            (PyNumber::Int(i), PyNumber::Float(f)) | (PyNumber::Float(f), PyNumber::Int(i)) => f.is_finite() && f.fract() == 0.0 && f.abs() < 1.0e38 && f as i128 == i,
        }
    }
}

fn py_number(v: &Value) -> Option<PyNumber> {
    match v {
        Value::Bool(b) => Some(PyNumber::Int(i128::from(*b))),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(PyNumber::Int(i128::from(i)))
            } else if let Some(u) = n.as_u64() {
                Some(PyNumber::Int(i128::from(u)))
            } else {
                n.as_f64().map(PyNumber::Float)
            }
        }
        _ => None,
    }
}

/// Whether a field agrees between a truth and a predicted record (`score.py`'s `same`).
///
/// Text fields compare after [`norm`]; `target.ongoing` as true/false (null counts as false);
/// `source.page` as whole numbers (two missing pages agree); any other field after [`norm`] when
/// either side is text (so null and "" agree), else as Python's `==`.
pub fn same(field: &str, a: Option<&Value>, b: Option<&Value>) -> bool {
    const NULL: Value = Value::Null;
    let (a, b) = (a.unwrap_or(&NULL), b.unwrap_or(&NULL));
    if TEXT_FIELDS.contains(&field) {
        return norm_value(Some(a)) == norm_value(Some(b));
    }
    if field == "target.ongoing" {
        return truthy(a) == truthy(b);
    }
    if field == "source.page" {
        return match (py_int(a), py_int(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.is_null() && b.is_null(),
        };
    }
    if a.is_string() || b.is_string() {
        return norm_value(Some(a)) == norm_value(Some(b));
    }
    py_eq(a, b)
}

// ------------------------------------------------------------------ matching

/// Pairs truth rows with predicted rows by activity text, one to one (`score.py`'s `match`):
/// identical normalised texts first (truth in order, each taking the first unused prediction
/// with that text), then the remaining pairs with a ratio of at least [`THRESHOLD`], best
/// first, ties to the earlier truth row and then the earlier prediction. Returns
/// (truth index, prediction index) pairs in the order they were made.
pub fn match_rows(truth: &[Value], pred: &[Value]) -> Vec<(usize, usize)> {
    let tn: Vec<String> = truth.iter().map(|t| norm_value(get(t, "activity"))).collect();
    let pn: Vec<String> = pred.iter().map(|p| norm_value(get(p, "activity"))).collect();
    match_texts(&tn, &pn)
}

/// [`match_rows`] on activity texts already normalised.
fn match_texts(tn: &[String], pn: &[String]) -> Vec<(usize, usize)> {
    let mut used_t = vec![false; tn.len()];
    let mut used_p = vec![false; pn.len()];
    let mut pairs = Vec::new();
    // Identical texts have ratio 1.0, so pairing them first is the same as best-first.
    let mut free: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::new();
    for (j, b) in pn.iter().enumerate() {
        free.entry(b.as_str()).or_default().push_back(j);
    }
    for (i, a) in tn.iter().enumerate() {
        if let Some(j) = free.get_mut(a.as_str()).and_then(|q| q.pop_front()) {
            used_t[i] = true;
            used_p[j] = true;
            pairs.push((i, j));
        }
    }
    let rest_t: Vec<usize> = (0..tn.len()).filter(|&i| !used_t[i]).collect();
    let rest_p: Vec<usize> = (0..pn.len()).filter(|&j| !used_p[j]).collect();
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for &j in &rest_p {
        let mut sm = SequenceMatcher::new("", &pn[j]);
        for &i in &rest_t {
            sm.set_seq1(&tn[i]);
            // Both are upper bounds on the ratio: skipping on them changes nothing but the time.
            if sm.real_quick_ratio() < THRESHOLD || sm.quick_ratio() < THRESHOLD {
                continue;
            }
            let r = sm.ratio();
            if r >= THRESHOLD {
                cands.push((r, i, j));
            }
        }
    }
    // Python sorts (-r, i, j): the highest ratio first, then by truth and prediction index.
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in cands {
        if used_t[i] || used_p[j] {
            continue;
        }
        used_t[i] = true;
        used_p[j] = true;
        pairs.push((i, j));
    }
    pairs
}

// ------------------------------------------------------------------ scoring

/// Counts before division (`score.py`'s per-document dict), summed over documents for overall.
struct Tally {
    truth: usize,
    pred: usize,
    matched: usize,
    correct: [usize; FIELDS.len()],
    sim: [f64; TEXT_FIELDS.len()],
}

impl Tally {
    fn new() -> Self {
        Tally { truth: 0, pred: 0, matched: 0, correct: [0; FIELDS.len()], sim: [0.0; TEXT_FIELDS.len()] }
    }

    fn add(&mut self, d: &Tally) {
        self.truth += d.truth;
        self.pred += d.pred;
        self.matched += d.matched;
        for (c, x) in self.correct.iter_mut().zip(d.correct) {
            *c += x;
        }
        for (s, x) in self.sim.iter_mut().zip(d.sim) {
            *s += x;
        }
    }

    fn summarise(&self) -> DocScore {
        let (precision, recall, f1) = prf(self.truth, self.pred, self.matched);
        let m = self.matched;
        let share = |x: f64| if m > 0 { x / m as f64 } else { 0.0 };
        let field_accuracy: Vec<(&'static str, f64)> = FIELDS.iter().zip(self.correct).map(|(f, c)| (*f, share(c as f64))).collect();
        // Summed left to right from zero, as Python's sum().
        let field_mean = if m > 0 { field_accuracy.iter().fold(0.0, |s, (_, v)| s + v) / field_accuracy.len() as f64 } else { 0.0 };
        let text_similarity = TEXT_FIELDS.iter().zip(self.sim).map(|(f, s)| (*f, share(s))).collect();
        DocScore { rows_truth: self.truth, rows_pred: self.pred, matched: m, precision, recall, f1, field_accuracy, field_mean, text_similarity }
    }
}

/// Precision, recall and F1 from row counts; an empty side scores 1.0 only if the other is
/// empty too.
fn prf(n_truth: usize, n_pred: usize, n_match: usize) -> (f64, f64, f64) {
    let p = if n_pred > 0 {
        n_match as f64 / n_pred as f64
    } else if n_truth == 0 {
        1.0
    } else {
        0.0
    };
    let r = if n_truth > 0 {
        n_match as f64 / n_truth as f64
    } else if n_pred == 0 {
        1.0
    } else {
        0.0
    };
    let f = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

fn score_doc(truth: &[Value], pred: &[Value]) -> Tally {
    let pairs = match_rows(truth, pred);
    let mut d = Tally::new();
    d.truth = truth.len();
    d.pred = pred.len();
    d.matched = pairs.len();
    for &(i, j) in &pairs {
        let (t, p) = (&truth[i], &pred[j]);
        for (k, f) in FIELDS.iter().enumerate() {
            if same(f, get(t, f), get(p, f)) {
                d.correct[k] += 1;
            }
        }
        for (k, f) in TEXT_FIELDS.iter().enumerate() {
            d.sim[k] += ratio_norm(&norm_value(get(t, f)), &norm_value(get(p, f)));
        }
    }
    d
}

/// Scores predictions against truth, both grouped by file as [`load_dir`] gives them. Every
/// document with truth is scored (one with no predictions has recall 0); predictions for files
/// with no truth add to the overall predicted rows, lowering precision.
pub fn score(truth: &BTreeMap<String, Vec<Value>>, pred: &BTreeMap<String, Vec<Value>>) -> ScoreReport {
    let mut documents = BTreeMap::new();
    let mut tot = Tally::new();
    for (name, t) in truth {
        let d = score_doc(t, pred.get(name).map(Vec::as_slice).unwrap_or(&[]));
        documents.insert(name.clone(), d.summarise());
        tot.add(&d);
    }
    let unscored_pred_files: Vec<String> = pred.keys().filter(|n| !truth.contains_key(*n)).cloned().collect();
    for n in &unscored_pred_files {
        tot.pred += pred[n].len();
    }
    ScoreReport { documents, overall: tot.summarise(), unscored_pred_files }
}

// ------------------------------------------------------------------ output

/// The report as `score.py` prints it: a row per document and OVERALL (counts, P, R, F1, each
/// field's accuracy), the mean similarities, any unscored files, and the summary line
/// `rows F1 0.973 · fields 0.951 · docs 7`. No newline at the end.
pub fn table(res: &ScoreReport) -> String {
    let cols: Vec<&str> = ["truth", "pred", "match", "P", "R", "F1"].into_iter().chain(SHORT).collect();
    let name_w = res.documents.keys().map(|n| n.chars().count()).chain([8]).max().unwrap_or(8);
    let mut lines = vec![format!("{:<name_w$} {}", "document", cols.iter().map(|c| format!("{c:>6}")).collect::<Vec<_>>().join(" "))];
    let row = |name: &str, s: &DocScore| {
        let mut vals = vec![
            format!("{:>6}", s.rows_truth),
            format!("{:>6}", s.rows_pred),
            format!("{:>6}", s.matched),
            format!("{:6.3}", s.precision),
            format!("{:6.3}", s.recall),
            format!("{:6.3}", s.f1),
        ];
        vals.extend(s.field_accuracy.iter().map(|(_, v)| format!("{v:6.3}")));
        format!("{name:<name_w$} {}", vals.join(" "))
    };
    for (n, s) in &res.documents {
        lines.push(row(n, s));
    }
    lines.push(row("OVERALL", &res.overall));
    let o = &res.overall;
    lines.push(format!("mean similarity over matched rows: {}", o.text_similarity.iter().map(|(k, v)| format!("{k} {v:.3}")).collect::<Vec<_>>().join(", ")));
    if !res.unscored_pred_files.is_empty() {
        lines.push(format!("predictions for files with no truth (counted as extra rows): {}", res.unscored_pred_files.join(", ")));
    }
    lines.push(format!("rows F1 {:.3} \u{b7} fields {:.3} \u{b7} docs {}", o.f1, o.field_mean, res.documents.len()));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn close(x: f64, want: f64) -> bool {
        (x - want).abs() < 1e-12
    }

    #[test]
    fn difflib_ratio_matches_python() {
        // Each expected value is python3 (3.11):
        // difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        let cases: [(&str, &str, f64); 8] = [
            ("abcd", "bcde", 0.75),
            ("", "", 1.0),
            ("abc", "", 0.0),
            ("private Thread currentThread;", "private volatile Thread currentThread;", 0.8656716417910447),
            // Ties between equal blocks go to the earliest in a, then in b; the order changes M.
            ("qabxcd", "abycdf", 0.6666666666666666),
            ("abab", "baba", 0.75),
            ("complete the refurbishment of wath library", "refurbish wath library by march", 0.6027397260273972),
            ("tide", "diet", 0.25),
        ];
        for (a, b, want) in cases {
            let got = difflib_ratio(a, b);
            assert!(close(got, want), "ratio({a:?}, {b:?}) = {got}, Python says {want}");
        }
    }

    #[test]
    fn difflib_ratio_is_not_symmetric_as_in_python() {
        // python3: SequenceMatcher(None, "tide", "diet", autojunk=False).ratio() == 0.25
        //          SequenceMatcher(None, "diet", "tide", autojunk=False).ratio() == 0.5
        assert!(close(difflib_ratio("tide", "diet"), 0.25));
        assert!(close(difflib_ratio("diet", "tide"), 0.5));
    }

    #[test]
    fn difflib_ratio_counts_code_points_not_bytes() {
        // python3: SequenceMatcher(None, "café au lait", "cafe au lait", autojunk=False).ratio()
        //          == 0.9166666666666666
        assert!(close(difflib_ratio("café au lait", "cafe au lait"), 0.9166666666666666));
    }

    #[test]
    fn norm_cases() {
        assert_eq!(norm("  Hello\u{a0}\t World \n"), "hello world");
        assert_eq!(norm("co\u{ad}operate"), "cooperate");
        assert_eq!(norm("\u{201c}Quoted\u{201d} and \u{2018}single\u{2019}"), "\"quoted\" and 'single'");
        assert_eq!(norm("July \u{2013} November\u{2014}2021 \u{2212}1"), "july - november-2021 -1");
        // NFKC: ligatures, full-width letters and dashes, the ideographic space.
        assert_eq!(norm("\u{fb01}nance \u{ff21}\u{ff22}\u{ff0d}\u{3000}x"), "finance ab- x");
        // NFKC runs first: a double prime becomes two primes, then two single quotes.
        assert_eq!(norm("6\u{2033}"), "6''");
        // Python's \s includes the information separators U+001C..U+001F.
        assert_eq!(norm("a\u{1f}b"), "a b");
        assert_eq!(norm(""), "");
    }

    #[test]
    fn norm_of_values_writes_them_as_python_does() {
        assert_eq!(norm_value(None), "");
        assert_eq!(norm_value(Some(&Value::Null)), "");
        assert_eq!(norm_value(Some(&json!(5))), "5");
        assert_eq!(norm_value(Some(&json!(2.0))), "2.0");
        assert_eq!(norm_value(Some(&json!(true))), "true");
        assert_eq!(norm_value(Some(&json!(["A", 1]))), "['a', 1]");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(0.00001), "1e-05");
        assert_eq!(py_float_repr(1e15), "1000000000000000.0");
    }

    #[test]
    fn same_follows_score_py() {
        let s = |f: &str, a: Value, b: Value| same(f, Some(&a), Some(&b));
        assert!(s("activity", json!("Open the  Library"), json!("open the library")));
        assert!(s("target.ongoing", Value::Null, json!(false)));
        assert!(!s("target.ongoing", json!(true), Value::Null));
        assert!(s("source.page", json!(3), json!("3")));
        assert!(s("source.page", json!(3), json!(3.0)));
        assert!(s("source.page", Value::Null, Value::Null));
        assert!(!s("source.page", json!("x"), json!("x")));
        assert!(!s("source.page", Value::Null, json!(1)));
        assert!(s("target.due", Value::Null, json!("")));
        assert!(s("target.due", json!("2021-11"), json!(" 2021-11 ")));
        assert!(!s("target.due", Value::Null, json!("2021-11")));
        assert!(s("target.due", Value::Null, Value::Null));
        assert!(s("status.value", json!(1), json!(true)));
        assert!(same("target.revised_due", None, Some(&Value::Null)));
    }

    #[test]
    fn identical_texts_pair_first_in_order() {
        let t: Vec<String> = ["a row", "b row", "a row"].iter().map(|s| s.to_string()).collect();
        let p: Vec<String> = ["a row", "a row", "b row"].iter().map(|s| s.to_string()).collect();
        assert_eq!(match_texts(&t, &p), vec![(0, 0), (1, 2), (2, 1)]);
    }

    #[test]
    fn fuzzy_pairs_go_best_first_not_in_truth_order() {
        // python3 ratios: (t0,p0) 0.8, (t0,p1) 0.9, (t1,p0) 0.8, (t1,p1) 0.95. Taking truth rows
        // in order would give p1 to t0; best first gives it to t1, and t0 takes p0.
        // score.py's match() on these returns [(1, 1), (0, 0)].
        let t = vec!["abcdefghijklmnopqrst".to_string(), "abcdefghijklmnopqZXY".to_string()];
        let p = vec!["abcdefghijklmnop1234".to_string(), "abcdefghijklmnopqrXY".to_string()];
        assert_eq!(match_texts(&t, &p), vec![(1, 1), (0, 0)]);
    }

    #[test]
    fn equal_ratios_go_to_the_earlier_truth_row() {
        // python3: both truth rows have ratio 0.9 with the prediction; score.py gives [(0, 0)].
        let t = vec!["abcdefghix".to_string(), "abcdefghiy".to_string()];
        let p = vec!["abcdefghiz".to_string()];
        assert_eq!(match_texts(&t, &p), vec![(0, 0)]);
    }

    #[test]
    fn scores_count_unscored_files_against_precision() {
        let rec = |file: &str, act: &str| json!({"source": {"file": file, "page": 1}, "activity": act, "status": {"value": "behind"}});
        let truth = BTreeMap::from([("a.pdf".to_string(), vec![rec("a.pdf", "one"), rec("a.pdf", "two")])]);
        let pred = BTreeMap::from([("a.pdf".to_string(), vec![rec("dir/a.pdf", "one")]), ("b.pdf".to_string(), vec![rec("b.pdf", "x")])]);
        let r = score(&truth, &pred);
        let d = &r.documents["a.pdf"];
        assert_eq!((d.rows_truth, d.rows_pred, d.matched), (2, 1, 1));
        assert!(close(d.precision, 1.0) && close(d.recall, 0.5));
        assert_eq!((r.overall.rows_pred, r.overall.matched), (2, 1));
        assert!(close(r.overall.precision, 0.5));
        assert!(close(r.overall.field_mean, 1.0));
        assert_eq!(r.unscored_pred_files, vec!["b.pdf"]);
        let text = table(&r);
        assert!(text.ends_with("rows F1 0.500 \u{b7} fields 1.000 \u{b7} docs 1"), "{text}");
        assert!(text.contains("predictions for files with no truth (counted as extra rows): b.pdf"));
    }

    #[test]
    fn lines_split_as_python_reads_them() {
        assert_eq!(python_lines("a\r\nb\rc\n\nd").collect::<Vec<_>>(), vec!["a", "b", "c", "", "d"]);
    }

    #[test]
    fn source_file_is_the_base_name() {
        assert_eq!(source_file(&json!({"source": {"file": "x/y/t.pdf"}})), "t.pdf");
        assert_eq!(source_file(&json!({"source": {"file": null}})), "");
        assert_eq!(source_file(&json!({})), "");
    }
}

// ------------------------------------------------------------------ peers

/// The peers scorer (`../shared/peers/score.py`) in Rust: how close the tables found on the
/// pages of `tests/corpus/peers` come to the tables that camelot's, tabula-java's and
/// pdfplumber's own tests expect there.
///
/// In: a manifest of cases ([`peers::load_manifest`]), each with its expected table (a CSV,
/// [`peers::read_csv`]), and for each case the tables a tool found on its page (grids of
/// strings, in the tool's order). Out: per case the scores of the best predicted table
/// ([`peers::CaseScore`]: shape, cell accuracy, text similarity, exact, aligned), and their means
/// per source and overall ([`peers::PeersReport`]); [`peers::table`] prints them as `score.py`
/// does. Every rule follows `score.py` line for line (its `norm`, `pad`, `strip_empty`,
/// `aligned_cell`, `score_table`, `score_case` and `summarise`), so that the two give the same
/// figures; a change to one is a change to both.
///
/// Not here: running a tool on the PDFs (`tests/it/peers_floor.rs` runs the library; `run.py` the
/// CLI).
pub mod peers {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Serialize};
    use unicode_normalization::UnicodeNormalization;

    use super::{difflib_ratio, py_isspace, LoadError};

    /// A table as rows of cell texts (rows may be ragged).
    pub type Grid = Vec<Vec<String>>;

    /// How far the expected table may be shifted sideways inside the predicted one for the
    /// aligned score (`score.py`'s `max_shift`).
    pub const MAX_SHIFT: usize = 3;

    /// One case of the manifest: a page of a PDF and the table expected on it (the fields
    /// `score.py` and `run.py` read; the provenance fields are left in the file).
    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    pub struct Case {
        /// The case's name; predictions are matched to it (`<id>.csv`, `<id>.N.csv`).
        pub id: String,
        /// The upstream project (`camelot`, `tabula-java`, `pdfplumber`); "" when absent.
        #[serde(default)]
        pub source: String,
        /// The PDF, relative to the manifest's folder.
        pub pdf: String,
        /// The page, 1-based.
        pub page: u32,
        /// The upstream test's hint: `lattice`, `stream` or `any` (the default).
        #[serde(default = "method_any")]
        pub method: String,
        /// `[top, left, bottom, right]` in points from the page's top-left corner, when the
        /// upstream test looked only there (`milepost tables --area`).
        #[serde(default)]
        pub area: Option<[f64; 4]>,
        /// `area` (a hard crop) or `region` (camelot's hint where the table lies), when given.
        #[serde(default)]
        pub area_kind: Option<String>,
        /// The expected table (CSV), relative to the manifest's folder.
        pub expected_csv: String,
        /// When the upstream test asserts only some rows: their indices into the predicted
        /// table (negative from the end); the expected CSV then holds just those rows.
        #[serde(default)]
        pub partial_rows: Option<Vec<i64>>,
        /// Whether all whitespace is removed before comparing (the upstream test deleted spaces).
        #[serde(default)]
        pub ignore_spaces: Option<bool>,
    }

    fn method_any() -> String {
        "any".into()
    }

    impl Case {
        /// The asserted rows, when there are any (`score.py` treats an empty list as none).
        pub fn partial(&self) -> Option<&[i64]> {
            self.partial_rows.as_deref().filter(|r| !r.is_empty())
        }
        /// Whether whitespace is ignored when comparing.
        pub fn ignores_spaces(&self) -> bool {
            self.ignore_spaces.unwrap_or(false)
        }
    }

    /// The scores of one predicted table against the expected one (`score.py`'s `score_table`).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct TableScore {
        /// Same rows × columns (partial cases: every asserted row has the expected cell count).
        pub shape: bool,
        /// Share of expected cells equal to the predicted cell at the same place.
        pub cell: f64,
        /// difflib ratio between the row-joined texts, expected first.
        pub text: f64,
        /// Shape right and every cell equal.
        pub exact: bool,
        /// Cell accuracy with empty rows and columns dropped and the expected table at its best
        /// place inside the predicted one (at least `cell`; equal to it for partial cases).
        pub aligned: f64,
    }

    impl TableScore {
        /// What a case with no predicted table scores.
        pub const MISSING: TableScore = TableScore { shape: false, cell: 0.0, text: 0.0, exact: false, aligned: 0.0 };
    }

    /// The result of one case (`score.py`'s `score_case`; the same keys in its JSON).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CaseScore {
        /// The case's id.
        pub id: String,
        /// Its source.
        pub source: String,
        /// Its method hint.
        pub method: String,
        /// Rows × widest row of the expected table, as `"RxC"`.
        pub expected_shape: String,
        /// The name of the predicted table scored (the best one); `None` when there was none.
        pub pred_file: Option<String>,
        /// Whether only some rows are asserted.
        pub partial: bool,
        /// The best predicted table's scores; `aligned` is the best over all predicted tables.
        #[serde(flatten)]
        pub score: TableScore,
    }

    /// Counts and means over some cases (`score.py`'s `summarise`).
    #[derive(Debug, Clone, Copy, PartialEq, Serialize)]
    pub struct Summary {
        /// Cases.
        pub cases: usize,
        /// Cases exact.
        pub exact: usize,
        /// Cases with the right shape.
        pub shape: usize,
        /// Mean cell accuracy (0.0 for no cases).
        pub cell_acc: f64,
        /// Mean text similarity.
        pub text: f64,
        /// Mean aligned cell accuracy.
        pub aligned: f64,
        /// Cases with no predicted table.
        pub missing: usize,
    }

    /// Every case, per source and overall: what `score.py --json` writes, in the same shape.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct PeersReport {
        /// All cases together.
        pub summary: Summary,
        /// Each source's cases, by source (sorted).
        pub per_source: BTreeMap<String, Summary>,
        /// Each case, in manifest order.
        pub cases: Vec<CaseScore>,
    }

    /// Normalises a cell for comparison, as `score.py`'s `norm`: NFKC, then whitespace runs to one
    /// space (to nothing with `ignore_spaces`), trimmed. Case and punctuation are kept.
    pub fn norm(s: &str, ignore_spaces: bool) -> String {
        let n: String = s.nfkc().collect();
        let sep = if ignore_spaces { "" } else { " " };
        let mut out = String::with_capacity(n.len());
        for word in n.split(py_isspace).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push_str(sep);
            }
            out.push_str(word);
        }
        out
    }

    /// Pads every row with empty cells to the widest row.
    fn pad(rows: Grid) -> Grid {
        let w = rows.iter().map(Vec::len).max().unwrap_or(0);
        rows.into_iter()
            .map(|mut r| {
                r.resize(w, String::new());
                r
            })
            .collect()
    }

    /// Rows joined for the text score: a row's non-empty cells by a space, rows by a newline.
    fn row_text(rows: &[Vec<String>], ign: bool) -> String {
        rows.iter().map(|r| r.iter().map(|x| norm(x, ign)).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
    }

    /// Drops rows and columns that hold no text at all (`score.py`'s `strip_empty`).
    fn strip_empty(rows: &[Vec<String>]) -> Grid {
        let rows: Vec<&Vec<String>> = rows.iter().filter(|r| r.iter().any(|c| !c.is_empty())).collect();
        if rows.is_empty() {
            return Vec::new();
        }
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let cell = |r: &Vec<String>, j: usize| r.get(j).cloned().unwrap_or_default();
        let keep: Vec<usize> = (0..w).filter(|&j| rows.iter().any(|r| r.get(j).is_some_and(|c| !c.is_empty()))).collect();
        rows.iter().map(|r| keep.iter().map(|&j| cell(r, j)).collect()).collect()
    }

    /// Cell accuracy after dropping empty rows and columns from both tables, with the expected
    /// table at its best place inside the predicted one: any row offset, up to `max_shift`
    /// columns either way (`score.py`'s `aligned_cell`). Fair to a tool that finds a larger table
    /// than an upstream test crops to, or adds an empty column.
    pub fn aligned_cell(exp: &[Vec<String>], prd: &[Vec<String>], max_shift: usize) -> f64 {
        let (e, p) = (strip_empty(exp), strip_empty(prd));
        let total: usize = e.iter().map(Vec::len).sum();
        if total == 0 {
            return if p.is_empty() { 1.0 } else { 0.0 };
        }
        let (ne, np) = (e.len() as i64, p.len() as i64);
        let shift = max_shift as i64;
        let mut best = 0usize;
        for dr in -np..=np {
            let rows_ok: Vec<(usize, usize)> = (0..ne).filter(|i| (0..np).contains(&(i + dr))).map(|i| (i as usize, (i + dr) as usize)).collect();
            if rows_ok.is_empty() {
                continue;
            }
            for dc in -shift..=shift {
                let mut ok = 0;
                for &(i, k) in &rows_ok {
                    let (er, pr) = (&e[i], &p[k]);
                    for (j, ec) in er.iter().enumerate() {
                        let q = j as i64 + dc;
                        ok += usize::from(q >= 0 && (q as usize) < pr.len() && *ec == pr[q as usize]);
                    }
                }
                best = best.max(ok);
            }
        }
        best as f64 / total as f64
    }

    /// Scores one predicted table against the expected one (`score.py`'s `score_table`).
    ///
    /// Both are normalised ([`norm`]) and padded to their widest row. With `partial_rows`
    /// (non-empty), only those rows of the prediction are compared, each with its own width; a
    /// row index outside the prediction compares as an empty row.
    pub fn score_table(expected: &[Vec<String>], pred: &[Vec<String>], partial_rows: Option<&[i64]>, ignore_spaces: bool) -> TableScore {
        let ign = ignore_spaces;
        let normed = |g: &[Vec<String>]| pad(g.iter().map(|r| r.iter().map(|c| norm(c, ign)).collect()).collect());
        let exp = normed(expected);
        let prd = normed(pred);
        let partial = partial_rows.filter(|r| !r.is_empty());
        let (prd_rows, shape) = match partial {
            Some(rows) => {
                let n = prd.len() as i64;
                let sel: Grid = rows.iter().map(|&i| if -n <= i && i < n { prd[(if i < 0 { i + n } else { i }) as usize].clone() } else { Vec::new() }).collect();
                let shape = sel.iter().zip(&exp).all(|(p, e)| p.len() == e.len());
                (sel, shape)
            }
            None => {
                let width = |g: &Grid| g.first().map_or(0, Vec::len);
                let shape = prd.len() == exp.len() && width(&prd) == width(&exp);
                (prd, shape)
            }
        };
        let total: usize = exp.iter().map(Vec::len).sum();
        let mut ok = 0usize;
        for (i, er) in exp.iter().enumerate() {
            let pr = prd_rows.get(i);
            for (j, ec) in er.iter().enumerate() {
                let pc = pr.and_then(|r| r.get(j)).map_or("", String::as_str);
                ok += usize::from(ec == pc);
            }
        }
        let cell = if total > 0 {
            ok as f64 / total as f64
        } else if prd_rows.is_empty() {
            1.0
        } else {
            0.0
        };
        let (a, b) = (row_text(&exp, ign), row_text(&prd_rows, ign));
        let text = if a.is_empty() && b.is_empty() { 1.0 } else { difflib_ratio(&a, &b) };
        let aligned = if partial.is_some() { cell } else { cell.max(aligned_cell(&exp, &prd_rows, MAX_SHIFT)) };
        TableScore { shape, cell, text, exact: shape && ok == total, aligned }
    }

    /// Scores a case: each predicted table (a name, shown as `pred_file`, and its grid, in the
    /// tool's order) against the expected table; the best by (exact, cell, text, shape) wins,
    /// the first of equals, and `aligned` is the best over all of them (`score.py`'s
    /// `score_case`). No predicted table scores [`TableScore::MISSING`].
    pub fn score_case(case: &Case, expected: &[Vec<String>], preds: &[(String, Grid)]) -> CaseScore {
        let key = |s: &TableScore| (s.exact, s.cell, s.text, s.shape);
        let mut best: Option<(TableScore, &str)> = None;
        for (name, pred) in preds {
            let s = score_table(expected, pred, case.partial(), case.ignores_spaces());
            best = Some(match best {
                None => (s, name),
                Some((b, bn)) => {
                    let aligned = s.aligned.max(b.aligned);
                    if key(&s).partial_cmp(&key(&b)) == Some(std::cmp::Ordering::Greater) {
                        (TableScore { aligned, ..s }, name)
                    } else {
                        (TableScore { aligned, ..b }, bn)
                    }
                }
            });
        }
        CaseScore {
            id: case.id.clone(),
            source: case.source.clone(),
            method: case.method.clone(),
            expected_shape: format!("{}x{}", expected.len(), expected.iter().map(Vec::len).max().unwrap_or(0)),
            pred_file: best.map(|(_, n)| n.to_string()),
            partial: case.partial().is_some(),
            score: best.map_or(TableScore::MISSING, |(s, _)| s),
        }
    }

    /// Counts and means over cases, in their order (`score.py`'s `summarise`).
    pub fn summarise(results: &[CaseScore]) -> Summary {
        let n = results.len();
        let mean = |f: fn(&TableScore) -> f64| if n > 0 { results.iter().map(|r| f(&r.score)).sum::<f64>() / n as f64 } else { 0.0 };
        Summary {
            cases: n,
            exact: results.iter().filter(|r| r.score.exact).count(),
            shape: results.iter().filter(|r| r.score.shape).count(),
            cell_acc: mean(|s| s.cell),
            text: mean(|s| s.text),
            aligned: mean(|s| s.aligned),
            missing: results.iter().filter(|r| r.pred_file.is_none()).count(),
        }
    }

    /// The report over scored cases: overall and per source (`score.py`'s `run`).
    pub fn report(cases: Vec<CaseScore>) -> PeersReport {
        let mut by_src: BTreeMap<String, Vec<CaseScore>> = BTreeMap::new();
        for c in &cases {
            by_src.entry(c.source.clone()).or_default().push(c.clone());
        }
        PeersReport { summary: summarise(&cases), per_source: by_src.iter().map(|(s, v)| (s.clone(), summarise(v))).collect(), cases }
    }

    /// The report as `score.py` prints it: a line per case, a line per source, and a final
    /// line starting with `label` (`score.py`'s default is `peers`).
    pub fn table(rep: &PeersReport, label: &str) -> String {
        let w = rep.cases.iter().map(|r| r.id.chars().count()).chain([4]).max().unwrap_or(4);
        let mut out = format!("{:<w$}  {:<7} {:>8} {:>5} {:>6} {:>6} {:>6}  pred\n", "case", "method", "expected", "shape", "cell", "text", "align");
        for r in &rep.cases {
            let s = &r.score;
            out.push_str(&format!(
                "{:<w$}  {:<7} {:>8} {:>5} {:6.3} {:6.3} {:6.3}  {}{}\n",
                r.id,
                r.method,
                r.expected_shape,
                if s.shape { "yes" } else { "no" },
                s.cell,
                s.text,
                s.aligned,
                r.pred_file.as_deref().unwrap_or("-"),
                if r.partial { " (partial)" } else { "" }
            ));
        }
        let line = |v: &Summary| {
            format!(
                "{} cases \u{b7} exact {} \u{b7} shape {} \u{b7} cell acc {:.3} \u{b7} text {:.3} \u{b7} aligned {:.3}",
                v.cases, v.exact, v.shape, v.cell_acc, v.text, v.aligned
            )
        };
        for (s, v) in &rep.per_source {
            out.push_str(&format!("  {s}: {}\n", line(v)));
        }
        let s = &rep.summary;
        out.push_str(&format!("{label}: {}", line(s)));
        if s.missing > 0 {
            out.push_str(&format!(" \u{b7} missing {}", s.missing));
        }
        out.push('\n');
        out
    }

    /// Reads a manifest (an object with `cases`, or a bare list of cases) and gives its cases
    /// and the folder its paths are relative to (`score.py`'s `load_manifest`).
    pub fn load_manifest(path: impl AsRef<Path>) -> Result<(Vec<Case>, PathBuf), LoadError> {
        #[derive(Deserialize)]
        struct Manifest {
            cases: Vec<Case>,
        }
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.display().to_string(), source })?;
        let not_json = |e: serde_json::Error| LoadError::NotJson { file: base_name(path), line: e.line(), message: e.to_string() };
        let cases = if text.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<Case>>(&text).map_err(not_json)?
        } else {
            serde_json::from_str::<Manifest>(&text).map_err(not_json)?.cases
        };
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Ok((cases, abs.parent().map(Path::to_path_buf).unwrap_or_default()))
    }

    fn base_name(path: &Path) -> String {
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
    }

    /// Reads a CSV file as Python's `csv.reader` does (`score.py`'s `read_csv`): UTF-8 with an
    /// optional byte-order mark, then [`parse_csv`].
    pub fn read_csv(path: impl AsRef<Path>) -> Result<Grid, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.display().to_string(), source })?;
        Ok(parse_csv(text.strip_prefix('\u{feff}').unwrap_or(&text)))
    }

    /// Parses CSV text as Python's `csv.reader` (excel dialect, not strict) does: fields split
    /// by commas, `"` quotes a field (`""` inside is one quote, line breaks inside are kept), a
    /// record ends at `\r\n`, `\n` or `\r`, a blank line is a record with no fields, and text
    /// after a closing quote is kept as part of the field.
    pub fn parse_csv(text: &str) -> Grid {
        #[derive(PartialEq)]
        enum St {
            StartRecord,
            StartField,
            InField,
            InQuoted,
            QuoteInQuoted,
        }
        let mut rows: Grid = Vec::new();
        let mut row: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut st = St::StartRecord;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let newline = c == '\r' || c == '\n';
            if newline && st != St::InQuoted {
                if st != St::StartRecord {
                    row.push(std::mem::take(&mut field));
                }
                rows.push(std::mem::take(&mut row));
                st = St::StartRecord;
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                continue;
            }
            st = match (st, c) {
                (St::StartRecord | St::StartField, '"') => St::InQuoted,
                (St::StartRecord | St::StartField | St::InField | St::QuoteInQuoted, ',') => {
                    row.push(std::mem::take(&mut field));
                    St::StartField
                }
                (St::InQuoted, '"') => St::QuoteInQuoted,
                (St::QuoteInQuoted, '"') => {
                    field.push('"');
                    St::InQuoted
                }
                (St::InQuoted, c) => {
                    field.push(c);
                    St::InQuoted
                }
                (_, c) => {
                    field.push(c);
                    St::InField
                }
            };
        }
        if st != St::StartRecord {
            row.push(field);
            rows.push(row);
        }
        rows
    }

    /// The prediction files of a case in a folder, in `score.py`'s order: `<id>.csv`, then
    /// `<id>.N.csv` (N digits) sorted by name (so `.10` comes before `.2`).
    pub fn pred_files(pred_dir: impl AsRef<Path>, id: &str) -> Vec<PathBuf> {
        let dir = pred_dir.as_ref();
        let mut files = Vec::new();
        let plain = dir.join(format!("{id}.csv"));
        if plain.exists() {
            files.push(plain);
        }
        let prefix = format!("{id}.");
        let mut numbered: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".csv")).is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit())))
            .collect();
        numbered.sort();
        files.extend(numbered.into_iter().map(|n| dir.join(n)));
        files
    }

    /// Scores a folder of prediction files (`<id>.csv`, `<id>.N.csv`) against a manifest, as
    /// `score.py --manifest M --pred DIR` does. A prediction file that cannot be read is skipped
    /// (`score.py` warns and goes on); its path and reason come back beside the report.
    pub fn score_dir(manifest: impl AsRef<Path>, pred_dir: impl AsRef<Path>) -> Result<(PeersReport, Vec<String>), LoadError> {
        let (cases, root) = load_manifest(manifest)?;
        let mut skipped = Vec::new();
        let mut results = Vec::with_capacity(cases.len());
        for case in &cases {
            let expected = read_csv(root.join(&case.expected_csv))?;
            let mut preds = Vec::new();
            for p in pred_files(&pred_dir, &case.id) {
                match read_csv(&p) {
                    Ok(g) => preds.push((base_name(&p), g)),
                    Err(e) => skipped.push(e.to_string()),
                }
            }
            results.push(score_case(case, &expected, &preds));
        }
        Ok((report(results), skipped))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn g(rows: &[&[&str]]) -> Grid {
            rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        }

        fn close(x: f64, want: f64) -> bool {
            (x - want).abs() < 1e-12
        }

        fn case(id: &str) -> Case {
            Case {
                id: id.into(),
                source: "src".into(),
                pdf: "src/t1.pdf".into(),
                page: 1,
                method: "any".into(),
                area: None,
                area_kind: None,
                expected_csv: format!("src/{id}.csv"),
                partial_rows: None,
                ignore_spaces: None,
            }
        }

        /// score.py's own self-test, case by case.
        #[test]
        fn score_table_follows_score_py_self_test() {
            let exp = g(&[&["Name", "Value"], &["a  b", "1\n2"], &["c", ""]]);
            let s = score_table(&exp, &g(&[&["Name", "Value"], &["a b", "1 2"], &["c", ""]]), None, false);
            assert!(s.exact && s.shape && s.cell == 1.0 && s.text == 1.0, "{s:?}");
            let s = score_table(&exp, &g(&[&["Name", "Value"], &["a b", "1 2"], &["x", ""]]), None, false);
            assert!(s.shape && !s.exact && close(s.cell, 5.0 / 6.0), "{s:?}");
            let s = score_table(&exp, &g(&[&["", "Name", "Value"], &["", "a b", "1 2"], &["", "c", ""]]), None, false);
            assert!(!s.shape && s.cell < 0.5 && s.text == 1.0, "{s:?}");
            // The aligned score forgives the extra empty column.
            assert!(close(s.aligned, 1.0), "{s:?}");
            let s = score_table(&exp, &[], None, false);
            assert!(!s.shape && s.text == 0.0, "{s:?}");
            let s = score_table(&g(&[&["x", "0 3/25"]]), &g(&[&["h", "h"], &["x", "03 / 25"]]), Some(&[-1]), true);
            assert!(s.exact, "{s:?}");
            let s = score_table(&g(&[&["x", "y"]]), &g(&[&["x"]]), Some(&[5]), false);
            assert!(!s.shape && s.cell == 0.0, "{s:?}");
        }

        #[test]
        fn figures_match_python() {
            // python3 score.py: score_table([["Year","Total"],["2019","1,204"],["2020","980"]],
            //   [["Summary"],["Year","Total",""],["2019","1,204",""],["2020","98O",""]])
            // == {'shape': False, 'cell': 0.0, 'text': 0.8529411764705882, 'exact': False,
            //     'aligned': 0.8333333333333334}
            let exp = g(&[&["Year", "Total"], &["2019", "1,204"], &["2020", "980"]]);
            let prd = g(&[&["Summary"], &["Year", "Total", ""], &["2019", "1,204", ""], &["2020", "98O", ""]]);
            let s = score_table(&exp, &prd, None, false);
            assert!(!s.shape && !s.exact && close(s.cell, 0.0), "{s:?}");
            assert!(close(s.text, 0.8529411764705882), "{s:?}");
            assert!(close(s.aligned, 0.8333333333333334), "{s:?}");
        }

        #[test]
        fn best_table_wins_and_aligned_is_the_best_of_all() {
            let exp = g(&[&["Name", "Value"], &["a  b", "1\n2"], &["c", ""]]);
            let preds = vec![("t1.0.csv".to_string(), g(&[&["zzz"]])), ("t1.1.csv".to_string(), exp.clone())];
            let r = score_case(&case("t1"), &exp, &preds);
            assert!(r.score.exact && r.pred_file.as_deref() == Some("t1.1.csv"), "{r:?}");
            assert_eq!(r.expected_shape, "3x2");
            let r2 = score_case(&case("t2"), &exp, &[]);
            assert!(r2.pred_file.is_none() && r2.score == TableScore::MISSING);
            // A shifted copy (aligned 1.0, cell low) and a short one (higher cell): the short
            // one is kept, the aligned score comes from the shifted one.
            let shifted = g(&[&["", "Name", "Value"], &["", "a b", "1 2"], &["", "c", ""]]);
            let short = g(&[&["Name", "Value"]]);
            let r3 = score_case(&case("t3"), &exp, &[("s".into(), shifted), ("h".into(), short)]);
            assert_eq!(r3.pred_file.as_deref(), Some("h"));
            assert!(close(r3.score.cell, 0.5) && close(r3.score.aligned, 1.0), "{r3:?}");
            let rep = report(vec![r, r2]);
            let text = table(&rep, "peers");
            assert!(text.ends_with("peers: 2 cases \u{b7} exact 1 \u{b7} shape 1 \u{b7} cell acc 0.500 \u{b7} text 0.500 \u{b7} aligned 0.500 \u{b7} missing 1\n"), "{text}");
            assert_eq!(rep.per_source["src"].cases, 2);
        }

        #[test]
        fn csv_reads_as_python_csv_reader() {
            // python3: list(csv.reader(io.StringIO(t, newline=""))) for each t.
            assert_eq!(parse_csv("a,b\r\n\"x\r\ny\",\"q\"\"\"\r\n"), g(&[&["a", "b"], &["x\r\ny", "q\""]]));
            assert_eq!(parse_csv("a,\n\nb"), g(&[&["a", ""], &[], &["b"]]));
            assert_eq!(parse_csv("\"ab\"c,d\"e\rf"), g(&[&["abc", "d\"e"], &["f"]]));
            assert_eq!(parse_csv("\"\"\r\n,\r\n"), g(&[&[""], &["", ""]]));
            assert_eq!(parse_csv("\"open"), g(&[&["open"]]));
            assert!(parse_csv("").is_empty());
        }

        #[test]
        fn norm_keeps_case_and_drops_spaces_on_request() {
            assert_eq!(norm("  A\u{a0}\t b\n", false), "A b");
            assert_eq!(norm("0 3 / 25", true), "03/25");
            assert_eq!(norm("\u{fb01}\u{3000}x", false), "fi x");
        }
    }
}
