//! Which role each column takes: one assignment over all the columns of a table, the one whose
//! evidence adds up to the most.
//!
//! In: per column, a score for each role ([`Scores`]), built by `roles` from the column's
//! content and its heading. Out: an [`Assignment`], a role (or none) per column, each role used at
//! most once and the activity always; and, for each role taken, how much less the best
//! assignment without it would score (its margin), so that a close call can be said in the run.
//!
//! Why one assignment rather than rules run in turn: evidence for one column is evidence
//! against its neighbours. A column of officers' initials is the lead column, so it is not the
//! status column even where its wordings recur as a status scale's do; of two prose columns the
//! one left of the other is the activity, the other its commentary. Taking each decision alone,
//! in some order, lets the first one to run win; adding the evidence up lets the strongest win.
//!
//! Place is part of the evidence: an outcome or a theme stands left of the activity it frames,
//! commentary right of what it comments on. A role on the wrong side of the activity costs
//! [`WRONG_SIDE`].
//!
//! The search is exact: the columns left to right, the state the set of roles already taken
//! (eight roles, 256 sets), so the side of the activity is known at every column.

use crate::config::Role;

/// The roles a column can take, in a fixed order (their index is their bit in a set).
pub(super) const ROLES: [Role; 8] = [Role::Theme, Role::Outcome, Role::Activity, Role::Target, Role::Status, Role::Rationale, Role::Ref, Role::Lead];

/// The cost of a role on the wrong side of the activity (an outcome right of it, commentary
/// left of it), where only content says the role: councils do print a column out of the usual
/// order now and then, and where the heading names the role ("Shared outcome(s)" last on a
/// slide) place is no evidence against it.
pub(super) const WRONG_SIDE: f32 = 0.75;

/// A close call: the best assignment without a role's column scores within this of the best.
/// One heading is worth 1; content evidence up to 2.
pub(super) const CLOSE_MARGIN: f32 = 0.25;

fn index(r: Role) -> usize {
    ROLES.iter().position(|x| *x == r).expect("every role is in ROLES")
}

const ACTIVITY_BIT: usize = 1 << 2;

/// Each column's score for each role (index as [`ROLES`]); a role scoring 0 or less is never
/// given to the column.
#[derive(Debug, Clone)]
pub(super) struct Scores(pub Vec<[f32; 8]>, pub Vec<Option<Role>>);

impl Scores {
    /// `headed`: the role each column's heading names, if any.
    pub(super) fn new(headed: Vec<Option<Role>>) -> Scores {
        Scores(vec![[0.0; 8]; headed.len()], headed)
    }
    pub(super) fn add(&mut self, c: usize, r: Role, v: f32) {
        self.0[c][index(r)] += v;
    }
    pub(super) fn clear(&mut self, c: usize) {
        self.0[c] = [0.0; 8];
    }
}

/// The chosen roles.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Assignment {
    pub roles: Vec<Option<Role>>,
    pub total: f32,
}

/// The best assignment, or None when no column can be the activity. `forbid`: a column that may
/// not take a role (to measure a margin).
pub(super) fn best(scores: &Scores, forbid: Option<(usize, Role)>) -> Option<Assignment> {
    let n = scores.0.len();
    const SETS: usize = 1 << ROLES.len();
    let mut value = [f32::NEG_INFINITY; SETS];
    value[0] = 0.0;
    // For each column and set after it: the role taken there (8 = none).
    let mut took = vec![[u8::MAX; SETS]; n];
    for (c, took_here) in took.iter_mut().enumerate() {
        let mut next = [f32::NEG_INFINITY; SETS];
        for set in 0..SETS {
            let v = value[set];
            if v == f32::NEG_INFINITY {
                continue;
            }
            // No role.
            if v > next[set] {
                next[set] = v;
                took_here[set] = 8;
            }
            for (i, role) in ROLES.iter().enumerate() {
                let bit = 1 << i;
                if set & bit != 0 || forbid == Some((c, *role)) {
                    continue;
                }
                let s = scores.0[c][i];
                if s <= 0.0 {
                    continue;
                }
                let after_activity = set & ACTIVITY_BIT != 0;
                let wrong = scores.1[c] != Some(*role)
                    && match role {
                        Role::Theme | Role::Outcome => after_activity,
                        Role::Rationale => !after_activity,
                        _ => false,
                    };
                let total = v + s - if wrong { WRONG_SIDE } else { 0.0 };
                if total > next[set | bit] {
                    next[set | bit] = total;
                    took_here[set | bit] = i as u8;
                }
            }
        }
        value = next;
    }
    let (set, total) = (0..SETS).filter(|s| s & ACTIVITY_BIT != 0 && value[*s] > f32::NEG_INFINITY).map(|s| (s, value[s])).max_by(|a, b| a.1.total_cmp(&b.1))?;
    // Walk back: at each column, the role taken and the set before it.
    let mut roles = vec![None; n];
    let mut set = set;
    for c in (0..n).rev() {
        let i = took[c][set] as usize;
        if i < ROLES.len() {
            roles[c] = Some(ROLES[i]);
            set &= !(1 << i);
        }
    }
    Some(Assignment { roles, total })
}

/// For each column given a role, the best assignment that does not give it that role, where it
/// scores within [`CLOSE_MARGIN`] of `chosen`: the close calls, as (column, role, the column
/// the other assignment gives the role to).
pub(super) fn close_calls(scores: &Scores, chosen: &Assignment, which: &[Role]) -> Vec<(usize, Role, Option<usize>)> {
    let mut out = Vec::new();
    for (c, r) in chosen.roles.iter().enumerate() {
        let Some(r) = *r else { continue };
        if !which.contains(&r) {
            continue;
        }
        if let Some(alt) = best(scores, Some((c, r))) {
            if chosen.total - alt.total < CLOSE_MARGIN {
                out.push((c, r, alt.roles.iter().position(|x| *x == Some(r))));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(rows: &[&[(Role, f32)]]) -> Scores {
        let mut s = Scores::new(vec![None; rows.len()]);
        for (c, row) in rows.iter().enumerate() {
            for (r, v) in row.iter() {
                s.add(c, *r, *v);
            }
        }
        s
    }

    #[test]
    fn each_role_once_and_the_strongest_evidence_wins() {
        // Column 0: initials that recur (some status evidence, more lead evidence); column 1: a
        // real status column. Taken alone, column 0 might be the status; together, it is the lead.
        let s = scores(&[&[(Role::Status, 1.2), (Role::Lead, 1.8)], &[(Role::Status, 2.0)], &[(Role::Activity, 1.5)]]);
        let a = best(&s, None).expect("an activity");
        assert_eq!(a.roles, vec![Some(Role::Lead), Some(Role::Status), Some(Role::Activity)]);
    }

    #[test]
    fn place_tells_two_prose_columns_apart() {
        // Two prose columns as like as can be: the left one is the activity, the right its
        // commentary.
        let prose: &[(Role, f32)] = &[(Role::Activity, 1.5), (Role::Rationale, 1.0), (Role::Outcome, 0.3)];
        let s = scores(&[prose, prose]);
        let a = best(&s, None).expect("an activity");
        assert_eq!(a.roles, vec![Some(Role::Activity), Some(Role::Rationale)]);
    }

    #[test]
    fn no_activity_no_assignment_and_close_calls_are_found() {
        let s = scores(&[&[(Role::Status, 2.0)], &[(Role::Target, 2.0)]]);
        assert!(best(&s, None).is_none());
        let s = scores(&[&[(Role::Activity, 1.5)], &[(Role::Lead, 1.0)], &[(Role::Lead, 0.9)]]);
        let a = best(&s, None).expect("an activity");
        assert_eq!(a.roles[1], Some(Role::Lead));
        assert_eq!(close_calls(&s, &a, &[Role::Lead]), vec![(1, Role::Lead, Some(2))]);
    }
}
