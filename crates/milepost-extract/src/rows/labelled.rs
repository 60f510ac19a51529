//! Actions written as labelled records instead of a grid: a table of two columns whose left
//! cells are field labels ("Action", "Lead officer", "Target date", "Status", "Update"), the
//! labels repeating for each action (one table for all of them, or one each).
//!
//! In: a table that was not read as a tracker, and the column vocabulary. Out: one
//! [`Labelled`] record per action, its fields by label; a label no role fits is kept under its
//! own name (`extra`). None when the table is not such a list (a key of statuses, a document's
//! version history: no label names the action).
//!
//! Not here: grids (`mod`, `roles`), the values' meaning (`normalise`).

use crate::config::{Config, Role};
use crate::geom::{BBox, Colour};
use crate::tables::{Cell, Table};

/// One action read from its labelled fields.
#[derive(Debug, Clone, Default)]
pub(super) struct Labelled {
    pub page: u32,
    pub bbox: Option<BBox>,
    pub activity: String,
    pub target: String,
    pub status: String,
    pub status_fill: Option<Colour>,
    pub rationale: String,
    pub lead: Option<String>,
    pub reference: Option<String>,
    pub extra: Vec<(String, String)>,
    /// The roles whose labels were seen (a second of one starts the next action).
    seen: Vec<Role>,
}

/// A label is short: "Responsible officer", "Target date for completion".
const LABEL_MAX_WORDS: usize = 6;
/// At least this share of a table's labels name a field milepost knows (a list of actions is
/// labelled in the words of a tracker's headings).
const LABEL_NAMED_SHARE: f32 = 0.6;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One labelled field as printed: its label, its value's lines, the value cell's fill, and box.
struct Field {
    label: String,
    value: String,
    fill: Option<Colour>,
    bbox: BBox,
}

/// The lines of a cell with their baselines (text and baselines line up one to one).
fn lines_of(c: &Cell) -> Vec<(f32, &str)> {
    let lines: Vec<&str> = c.text.lines().collect();
    if lines.len() == c.line_baselines.len() {
        c.line_baselines.iter().copied().zip(lines).collect()
    } else {
        vec![(c.line_baselines.first().copied().unwrap_or(c.bbox.y0), c.text.as_str())]
    }
}

/// The fields of a table: each row's first cell the label, the rest its value; a row with no
/// label goes on with the field above (a value wrapped onto a row of its own).
fn fields_of(table: &Table) -> Vec<Field> {
    let label_cells: Vec<&Cell> = table.cells.iter().filter(|c| c.col == 0 && !c.text.trim().is_empty()).collect();
    // Some label cell holds several labels: the rows were not told apart (nothing marks them),
    // so the whole table is read line by line, each value line to the label nearest it (the
    // earlier on a tie): a label set level with its value's first line, or centred beside it.
    if label_cells.iter().any(|c| c.text.trim().lines().count() > 1) {
        let labels: Vec<(f32, &str)> = label_cells.iter().flat_map(|c| lines_of(c)).collect();
        let values: Vec<(f32, &str, &Cell)> =
            table.cells.iter().filter(|c| c.col > 0 && !c.text.trim().is_empty()).flat_map(|c| lines_of(c).into_iter().map(move |(b, l)| (b, l, c))).collect();
        let mut out: Vec<Field> = labels.iter().map(|(_, l)| Field { label: l.to_string(), value: String::new(), fill: None, bbox: table.bbox }).collect();
        let mut sorted = values;
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (v, line, cell) in sorted {
            let Some(i) = (0..labels.len()).min_by(|a, b| (labels[*a].0 - v).abs().total_cmp(&(labels[*b].0 - v).abs()).then(a.cmp(b))) else { continue };
            let f = &mut out[i];
            if !f.value.is_empty() {
                f.value.push('\n');
            }
            f.value.push_str(line);
            f.fill = f.fill.or(cell.fill);
        }
        return out;
    }
    let mut out: Vec<Field> = Vec::new();
    for r in 0..table.rows() {
        let mut cells: Vec<&Cell> = table.cells.iter().filter(|c| c.row == r && !c.text.trim().is_empty()).collect();
        cells.sort_by_key(|c| c.col);
        let Some(first) = cells.first().copied() else { continue };
        let values: Vec<&Cell> = cells.iter().copied().filter(|c| c.col > 0).collect();
        let value = values.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n");
        if first.col != 0 {
            if let Some(f) = out.last_mut() {
                f.value.push('\n');
                f.value.push_str(&value);
            }
            continue;
        }
        if values.is_empty() {
            continue;
        }
        let bbox = values.iter().fold(first.bbox, |b, c| b.union(&c.bbox));
        out.push(Field { label: first.text.clone(), value, fill: values.first().and_then(|c| c.fill), bbox });
    }
    out
}

/// Reads a table of labelled fields into actions; None when it is no such table.
pub(super) fn read_labelled(table: &Table, cfg: &Config) -> Option<Vec<Labelled>> {
    if table.cols() < 2 || table.cols() > 3 {
        return None;
    }
    let fields = fields_of(table);
    let labels: Vec<(String, Option<Role>)> = fields
        .iter()
        .map(|f| {
            let text = one_line(f.label.trim().trim_end_matches(':'));
            let role = (text.split_whitespace().count() <= LABEL_MAX_WORDS).then(|| cfg.role_of_heading(&text)).flatten();
            (text, role)
        })
        .collect();
    let named = labels.iter().filter(|(_, r)| r.is_some()).count();
    if fields.len() < 2 || (named as f32) < LABEL_NAMED_SHARE * fields.len() as f32 || !labels.iter().any(|(_, r)| *r == Some(Role::Activity)) {
        return None;
    }
    let mut out: Vec<Labelled> = Vec::new();
    let mut cur = Labelled { page: table.page, ..Default::default() };
    for ((label, role), field) in labels.iter().zip(&fields) {
        let value = field.value.clone();
        // A label seen already in this action starts the next one.
        if role.is_some_and(|r| cur.seen.contains(&r)) {
            out.push(std::mem::replace(&mut cur, Labelled { page: table.page, ..Default::default() }));
        }
        cur.bbox = Some(cur.bbox.map_or(field.bbox, |b| b.union(&field.bbox)));
        match role {
            Some(Role::Activity) => cur.activity = value,
            Some(Role::Target) => cur.target = value,
            Some(Role::Status) => {
                cur.status = value;
                cur.status_fill = field.fill;
            }
            Some(Role::Rationale) => cur.rationale = value,
            Some(Role::Lead) => cur.lead = Some(value),
            Some(Role::Ref) => cur.reference = Some(value),
            _ => cur.extra.push((label.clone(), value)),
        }
        if let Some(r) = role {
            cur.seen.push(*r);
        }
    }
    out.push(cur);
    // Each action has its activity and something more: a date, a status, a lead.
    let good = out.iter().filter(|a| !a.activity.trim().is_empty() && (!a.target.trim().is_empty() || !a.status.trim().is_empty() || a.lead.is_some())).count();
    (good * 2 > out.len()).then_some(out)
}
