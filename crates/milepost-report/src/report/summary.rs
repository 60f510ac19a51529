//! The numbers in a pack: counts by status, by theme, the exceptions, and what changed between
//! two periods of one plan.
//!
//! In: records (`&[Record]`). Out: plain counts and lists of references to the records. Pure
//! functions: no wording, colours or files, so the tests check them directly on the truth
//! records.
//!
//! Not here: labels and layout (`pack`, the template); which records form a pack (`mod.rs`).

use std::collections::{BTreeMap, HashMap};

use crate::record::{PartialDate, Record, StatusValue};

/// Counts by status, in the order of [`StatusValue::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCounts {
    /// Records per status.
    pub counts: [usize; 7],
}

impl StatusCounts {
    /// Counts the records' statuses.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> StatusCounts {
        let mut c = StatusCounts::default();
        for r in records {
            c.counts[index(r.status.value)] += 1;
        }
        c
    }

    /// All records counted.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Records with this status.
    pub fn get(&self, v: StatusValue) -> usize {
        self.counts[index(v)]
    }

    /// This status's share, as a whole percentage.
    pub fn percent(&self, v: StatusValue) -> u32 {
        percent(self.get(v), self.total())
    }
}

/// `count` of `total` as a whole percentage, halves rounded up; 0 when `total` is 0. Each is
/// rounded on its own, so a row of them may add up to 99 or 101.
pub fn percent(count: usize, total: usize) -> u32 {
    if total == 0 {
        return 0;
    }
    ((count * 200 + total) / (2 * total)) as u32
}

fn index(v: StatusValue) -> usize {
    StatusValue::ALL.iter().position(|x| *x == v).expect("ALL holds every value")
}

/// What a pack groups rows by: the theme; for a plan with no themes at all (an action plan),
/// the group (its recommendation).
pub fn section_of(r: &Record, use_group: bool) -> String {
    let s = if use_group { r.group.as_deref() } else { r.theme.as_deref() };
    s.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("(none given)").to_string()
}

/// Whether the records should be grouped by group rather than theme (no record has a theme).
pub fn groups_by_group(records: &[Record]) -> bool {
    records.iter().all(|r| r.theme.as_deref().is_none_or(|t| t.trim().is_empty())) && records.iter().any(|r| r.group.is_some())
}

/// What a pack calls its sections: "Theme"; where rows are grouped by group, "Recommendation"
/// for an action plan and "Group" for a tracker with groups but no themes.
pub fn section_word(records: &[Record]) -> &'static str {
    if !groups_by_group(records) {
        "Theme"
    } else if records.iter().filter(|r| r.kind == crate::record::Kind::Action).count() * 2 >= records.len() {
        "Recommendation"
    } else {
        "Group"
    }
}

/// Charts compare sections: with one there is nothing to compare, and past this many the bars
/// are too many to read (the table beside the chart gives every count either way).
pub const CHART_MAX_SECTIONS: usize = 20;

/// Counts per section (theme), in the order each first appears.
pub fn by_theme(records: &[Record]) -> Vec<(String, StatusCounts)> {
    let use_group = groups_by_group(records);
    let mut order: Vec<(String, StatusCounts)> = Vec::new();
    for r in records {
        let s = section_of(r, use_group);
        let i = match order.iter().position(|(n, _)| *n == s) {
            Some(i) => i,
            None => {
                order.push((s, StatusCounts::default()));
                order.len() - 1
            }
        };
        order[i].1.counts[index(r.status.value)] += 1;
    }
    order
}

/// Whether a record is an exception: behind or off track.
pub fn is_exception(r: &Record) -> bool {
    matches!(r.status.value, StatusValue::Behind | StatusValue::OffTrack)
}

/// The exceptions, grouped by section in the order sections first appear, off track first
/// within each.
pub fn exceptions(records: &[Record]) -> Vec<(String, Vec<&Record>)> {
    let use_group = groups_by_group(records);
    let mut out: Vec<(String, Vec<&Record>)> = Vec::new();
    for r in records.iter().filter(|r| is_exception(r)) {
        let s = section_of(r, use_group);
        match out.iter_mut().find(|(n, _)| *n == s) {
            Some((_, v)) => v.push(r),
            None => out.push((s, vec![r])),
        }
    }
    for (_, v) in &mut out {
        v.sort_by_key(|r| r.status.value != StatusValue::OffTrack);
    }
    out
}

/// Whether a status move is for the better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Nearer to complete (off track → behind → on track → complete).
    Improved,
    /// Further from it.
    Worsened,
    /// Changed, but not along that scale (to or from cancelled or no status).
    Changed,
    /// The same status.
    Unchanged,
}

/// Where a status sits on the scale from off track to complete; `None` for cancelled and no
/// status, which are neither better nor worse. Not started counts with on track: not yet due
/// is not slipping.
fn rank(v: StatusValue) -> Option<u8> {
    match v {
        StatusValue::OffTrack => Some(1),
        StatusValue::Behind => Some(2),
        StatusValue::OnTrack | StatusValue::NotStarted => Some(3),
        StatusValue::Complete => Some(4),
        StatusValue::Cancelled | StatusValue::Unknown => None,
    }
}

/// The direction of a move from `before` to `after`.
pub fn direction(before: StatusValue, after: StatusValue) -> Direction {
    if before == after {
        return Direction::Unchanged;
    }
    match (rank(before), rank(after)) {
        (Some(a), Some(b)) if b > a => Direction::Improved,
        (Some(a), Some(b)) if b < a => Direction::Worsened,
        _ => Direction::Changed,
    }
}

/// A row present in both periods.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// The earlier period's row.
    pub before: &'a Record,
    /// The later period's row.
    pub after: &'a Record,
}

impl Pair<'_> {
    /// The direction of its status move.
    pub fn direction(&self) -> Direction {
        direction(self.before.status.value, self.after.status.value)
    }

    /// The deadline in force: the revised due date, else the due date.
    fn deadline(r: &Record) -> Option<PartialDate> {
        r.target.revised_due.or(r.target.due)
    }

    /// Whether the later row gives a new revised due date (or a due date moved).
    pub fn date_revised(&self) -> bool {
        let (b, a) = (&self.before.target, &self.after.target);
        (a.revised_due.is_some() && a.revised_due != b.revised_due) || (a.revised_due.is_none() && Self::deadline(self.after) != Self::deadline(self.before))
    }
}

/// What changed between two periods of one plan.
#[derive(Debug, Clone, Default)]
pub struct Changes<'a> {
    /// Rows in both periods, in the later period's order.
    pub pairs: Vec<Pair<'a>>,
    /// Rows only in the later period.
    pub added: Vec<&'a Record>,
    /// Rows only in the earlier period.
    pub removed: Vec<&'a Record>,
}

impl<'a> Changes<'a> {
    /// Pairs whose status changed.
    pub fn status_moves(&self) -> Vec<Pair<'a>> {
        self.pairs.iter().copied().filter(|p| p.before.status.value != p.after.status.value).collect()
    }

    /// Pairs whose due date was revised.
    pub fn revised(&self) -> Vec<Pair<'a>> {
        self.pairs.iter().copied().filter(Pair::date_revised).collect()
    }

    /// Pairs per direction: improved, worsened, changed, unchanged.
    pub fn directions(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for p in &self.pairs {
            n[p.direction() as usize] += 1;
        }
        n
    }
}

/// How rows are paired across periods: by reference where there is one, else by activity text
/// (lower case, single spaces, dashes and quotes unified).
pub fn pair_key(r: &Record) -> String {
    match r.reference.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(reference) => format!("ref:{reference}"),
        None => {
            let t: String = r
                .activity
                .to_lowercase()
                .chars()
                .map(|c| match c {
                    '–' | '—' => '-',
                    '‘' | '’' => '\'',
                    '“' | '”' => '"',
                    c => c,
                })
                .collect();
            format!("text:{}", t.split_whitespace().collect::<Vec<_>>().join(" "))
        }
    }
}

/// Pairs the rows of two periods. Where one key appears several times (the same activity text
/// twice), the first is paired with the first, and so on.
pub fn compare<'a>(before: &'a [Record], after: &'a [Record]) -> Changes<'a> {
    let mut pool: HashMap<String, Vec<&'a Record>> = HashMap::new();
    for r in before {
        pool.entry(pair_key(r)).or_default().push(r);
    }
    for v in pool.values_mut() {
        v.reverse(); // pop() then takes them in document order
    }
    let mut changes = Changes::default();
    for r in after {
        match pool.get_mut(&pair_key(r)).and_then(Vec::pop) {
            Some(b) => changes.pairs.push(Pair { before: b, after: r }),
            None => changes.added.push(r),
        }
    }
    let left: BTreeMap<*const Record, ()> = pool.values().flatten().map(|r| (*r as *const Record, ())).collect();
    changes.removed = before.iter().filter(|r| left.contains_key(&(*r as *const Record))).collect();
    changes
}

/// Rows with at least one flag.
pub fn flagged(records: &[Record]) -> Vec<&Record> {
    records.iter().filter(|r| !r.flags.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_halves_up() {
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn directions_follow_the_scale() {
        use StatusValue::*;
        assert_eq!(direction(Behind, OnTrack), Direction::Improved);
        assert_eq!(direction(OnTrack, OffTrack), Direction::Worsened);
        assert_eq!(direction(OnTrack, Cancelled), Direction::Changed);
        assert_eq!(direction(Complete, Complete), Direction::Unchanged);
    }
}
