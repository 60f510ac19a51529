//! Everything one pack shows, worded and ready to lay out: the [`Pack`] is what the PDF template
//! receives as `/data.json`, and what the Excel pack writes into its sheets, so the two always
//! agree.
//!
//! In: the pack's records (and the previous period's, where present), its [`PlanPeriod`] and the
//! [`Settings`]. Out: a [`Pack`] of strings and numbers, serialisable to JSON.
//!
//! Not here: the arithmetic (`summary`), the layout (`templates/report.typ`, `xlsx`).

use serde::Serialize;

use super::plan::PlanPeriod;
use super::settings::{Settings, StatusStyle};
use super::summary::{self, Direction, StatusCounts};
use crate::record::{PartialDate, Record, StatusValue};

/// One status in the key and the headline.
#[derive(Debug, Clone, Serialize)]
pub struct StatusLine {
    /// Machine name (`on_track`).
    pub key: String,
    /// The word shown ("On track").
    pub label: String,
    /// Fill colour `#RRGGBB`.
    pub colour: String,
    /// Text colour on the fill.
    pub text_colour: String,
    /// What it means.
    pub means: String,
    /// Rows with this status.
    pub count: usize,
    /// Their share, whole percent.
    pub percent: u32,
    /// The wordings read as this status in the pack's trackers, as printed.
    pub wordings: Vec<String>,
}

/// One row, as the pack prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// Reference number, or empty.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Theme (or, for an action plan, the recommendation), or "(none given)".
    pub section: String,
    /// Outcome, or empty.
    pub outcome: String,
    /// Group, or empty.
    pub group: String,
    /// The activity.
    pub activity: String,
    /// Status machine name.
    pub status: String,
    /// Status word from the settings.
    pub status_label: String,
    /// The status cell as printed, or empty.
    pub status_text: String,
    /// Due date for reading ("Dec 2024"), or the cell as printed when no date was read.
    pub due: String,
    /// Revised due date for reading, or empty.
    pub revised: String,
    /// The due date as a date (the workbook writes it as a real Excel date), when one was read.
    #[serde(skip)]
    pub due_date: Option<PartialDate>,
    /// The revised due date as a date, when one was read.
    #[serde(skip)]
    pub revised_date: Option<PartialDate>,
    /// The target cell as printed.
    pub target_text: String,
    /// The rationale, or empty.
    pub rationale: String,
    /// Lead officer, or empty.
    pub lead: String,
    /// The columns no role fits, "Heading: text" joined by "; ", or empty.
    pub other: String,
    /// The same columns, heading as printed → text (the appendix gives each its own column).
    pub extra: std::collections::BTreeMap<String, String>,
    /// Source file.
    pub file: String,
    /// Source page (1-based).
    pub page: u32,
    /// The row's flags in plain words.
    pub flags: Vec<String>,
    /// Its status in the earlier periods the pack knows (up to three, oldest first); `status`
    /// is empty where the row was not in that period.
    pub trail: Vec<TrailStep>,
    /// How long it has been behind or off track, where that is more than this period
    /// ("Behind for 3 quarters"); else empty.
    pub persist: String,
}

/// A row's status in one earlier period.
#[derive(Debug, Clone, Serialize)]
pub struct TrailStep {
    /// The period's label ("Q2 2024/25").
    pub period: String,
    /// Its status's machine name, or empty where the row was not in that period.
    pub status: String,
}

/// The shares of each status in one period, for the chart of periods.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodShare {
    /// The period's label.
    pub period: String,
    /// Counts in the order of the pack's statuses.
    pub counts: Vec<usize>,
    /// Percentages, same order.
    pub percents: Vec<u32>,
    /// Rows in the period.
    pub total: usize,
}

/// A titled list of rows.
#[derive(Debug, Clone, Serialize)]
pub struct RowGroup {
    /// The heading (a theme, outcome or group name; may be empty).
    pub name: String,
    /// Its rows.
    pub rows: Vec<RowView>,
}

/// One outcome of the tracker, its rows split by group.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeView {
    /// The outcome, or empty.
    pub name: String,
    /// Groups in order (a group with an empty name holds rows with no group).
    pub groups: Vec<RowGroup>,
}

/// One theme of the tracker.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeView {
    /// The theme.
    pub name: String,
    /// Its outcomes in order.
    pub outcomes: Vec<OutcomeView>,
}

/// Status counts of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeCounts {
    /// The theme.
    pub name: String,
    /// Its label in the chart: the name, or its first words and "…" past [`CHART_LABEL_CHARS`]
    /// (the table beside the chart gives it in full).
    pub label: String,
    /// Counts in the order of the pack's statuses.
    pub counts: Vec<usize>,
    /// Percentages of the theme's rows, same order.
    pub percents: Vec<u32>,
    /// Rows in the theme.
    pub total: usize,
}

/// A status move between periods.
#[derive(Debug, Clone, Serialize)]
pub struct MoveView {
    /// The row now.
    pub row: RowView,
    /// Status label before.
    pub before: String,
    /// Status machine name before.
    pub before_key: String,
    /// "improved", "worsened" or "changed".
    pub direction: String,
}

/// A revised due date.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    /// The row now.
    pub row: RowView,
    /// The deadline last period (revised if it had one).
    pub before: String,
}

/// What changed since the previous period.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesView {
    /// The previous period ("Q2 2024/25").
    pub previous_period: String,
    /// Its source files.
    pub previous_files: Vec<String>,
    /// Rows improved, worsened, changed otherwise, unchanged.
    pub improved: usize,
    /// See `improved`.
    pub worsened: usize,
    /// See `improved`.
    pub changed: usize,
    /// See `improved`.
    pub unchanged: usize,
    /// One sentence for the summary.
    pub sentence: String,
    /// Status moves.
    pub moves: Vec<MoveView>,
    /// Revised due dates.
    pub revised: Vec<RevisionView>,
    /// Rows new this period.
    pub added: Vec<RowView>,
    /// Rows gone since last period.
    pub removed: Vec<RowView>,
}

/// Everything one pack shows.
#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    /// The pack's title.
    pub title: String,
    /// Organisation on the cover.
    pub organisation: String,
    /// Plan short name.
    pub plan: String,
    /// Plan title.
    pub plan_title: String,
    /// Period label.
    pub period: String,
    /// Date produced ("22 November 2026").
    pub produced: String,
    /// Source files.
    pub files: Vec<String>,
    /// Sections in order.
    pub sections: Vec<String>,
    /// Heading per section.
    pub headings: std::collections::BTreeMap<String, String>,
    /// What the theme column is called ("Theme"; "Recommendation" for an action plan, "Group"
    /// for a tracker grouped by its groups).
    pub section_word: String,
    /// Whether the summary draws a chart by section: two sections or more, and no more than
    /// [`summary::CHART_MAX_SECTIONS`].
    pub show_chart: bool,
    /// Whether any row has a reference (the tracker then shows the column).
    pub has_refs: bool,
    /// Whether any row has a status (an action plan may have no status column).
    pub has_status: bool,
    /// Whether any row has a rationale.
    pub has_rationale: bool,
    /// Whether any row names a lead (officer, post or team).
    pub has_leads: bool,
    /// The headings of the columns no role fits, as printed, over all rows (sorted): the
    /// appendix prints each as a column, so that nothing read is dropped from it.
    pub extra_columns: Vec<String>,
    /// The logo's path inside the template's virtual files (`/logo.png`), if there is one.
    pub logo: Option<String>,
    /// Logo alternative text.
    pub logo_alt: String,
    /// Rows in the pack.
    pub total: usize,
    /// How every status is shown, by machine name (for chips of statuses with no rows, such as
    /// last period's status of a row).
    pub styles: std::collections::BTreeMap<String, StatusStyle>,
    /// The statuses this pack shows (the four RAG ones, and any other a row has), in scale
    /// order, with counts.
    pub statuses: Vec<StatusLine>,
    /// The whole scale, every status with its count and wordings (for the definitions).
    pub scale: Vec<StatusLine>,
    /// "33% (32) complete · 49% (48) on track · …".
    pub headline: String,
    /// Counts by theme.
    pub themes: Vec<ThemeCounts>,
    /// For a document with no statuses (an action plan): what is due by when; the headline and
    /// the summary by recommendation are then by timescale.
    pub timescales: Option<super::timescales::Timescales>,
    /// The chart's alternative text.
    pub chart_alt: String,
    /// Exceptions grouped by theme.
    pub exceptions: Vec<RowGroup>,
    /// Exceptions in all.
    pub exception_count: usize,
    /// Changes since the previous period, if it is among the inputs.
    pub changes: Option<ChangesView>,
    /// The full tracker.
    pub tracker: Vec<ThemeView>,
    /// Flagged rows.
    pub flagged: Vec<RowView>,
    /// Every row, for the sources section.
    pub rows: Vec<RowView>,
    /// Status shares in each period the pack knows, oldest first, this one last; empty when
    /// no earlier period is known.
    pub period_shares: Vec<PeriodShare>,
    /// The input folder as seen from the packs folder ("../../inputs/"), for the workbook's links
    /// to the source PDFs; None when not known.
    pub source_link: Option<String>,
    /// The companion files, as the cover names them: the tracker appendix
    /// (`appendix/<plan>-<period>.pdf`) and the pack's workbook; empty where not written (the
    /// template check's sample).
    pub companions: Companions,
}

/// The files published beside a pack, as the cover names them (paths from the output folder).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Companions {
    /// The tracker appendix: every activity, as councils publish it.
    pub appendix: String,
    /// The pack's Excel workbook: every row with the file and page it was read from.
    pub workbook: String,
}

/// "Dec 2024", or "31 Dec 2024".
pub fn date_text(d: &PartialDate) -> String {
    const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = M.get(usize::from(d.month.saturating_sub(1))).copied().unwrap_or("?");
    match d.day {
        Some(day) => format!("{day} {m} {}", d.year),
        None => format!("{m} {}", d.year),
    }
}

/// A flag in plain words.
pub fn flag_words(flag: &str) -> String {
    let (code, rest) = flag.split_once(':').map(|(c, r)| (c.trim(), r.trim())).unwrap_or((flag.trim(), ""));
    let base = match code {
        "status_unrecognised" => "The status wording is not one milepost knows",
        "status_from_colour" => "The status was read from the cell's colour alone (the cell has no words)",
        "status_not_stated" => "The status cell is an update that names no status",
        "status_inferred" => "The status wording is not one milepost lists; the status was read from its words",
        "status_colour_disagrees" => "The status wording and the cell's colour disagree",
        "status_missing" => "No status is given",
        "date_unparsed" => "The target date could not be read",
        "no_activity" => "The row has no activity text",
        "activity_continues" => "The activity starts in lower case: it may be the end of the row above",
        other => return if rest.is_empty() { other.replace('_', " ") } else { format!("{}: {rest}", other.replace('_', " ")) },
    };
    if rest.is_empty() {
        format!("{base}.")
    } else {
        format!("{base}: {rest}")
    }
}

fn row_view(r: &Record, settings: &Settings, use_group: bool) -> RowView {
    let t = &r.target;
    let mut due = match &t.due {
        Some(d) => date_text(d),
        None => t.text.clone(),
    };
    if t.ongoing && t.due.is_some() {
        due.push_str(" (ongoing)");
    }
    RowView {
        reference: r.reference.clone().unwrap_or_default(),
        section: summary::section_of(r, use_group),
        outcome: r.outcome.clone().unwrap_or_default(),
        group: if use_group { String::new() } else { r.group.clone().unwrap_or_default() },
        activity: r.activity.clone(),
        status: r.status.value.key().to_string(),
        status_label: settings.status(r.status.value).label.clone(),
        status_text: r.status.text.clone().unwrap_or_default(),
        due,
        revised: t.revised_due.as_ref().map(date_text).unwrap_or_default(),
        due_date: t.due,
        revised_date: t.revised_due,
        target_text: t.text.clone(),
        rationale: r.rationale.clone().unwrap_or_default(),
        lead: r.lead.clone().unwrap_or_default(),
        other: r.extra_text().unwrap_or_default(),
        extra: r.extra.clone(),
        file: r.source.file.clone(),
        page: r.source.page,
        flags: r.flags.iter().map(|f| flag_words(f)).collect(),
        trail: Vec::new(),
        persist: String::new(),
    }
}

/// The statuses a pack shows: the four RAG ones always, the others only where a row has them.
fn shown_statuses(counts: &StatusCounts) -> Vec<StatusValue> {
    StatusValue::ALL.into_iter().filter(|v| matches!(v, StatusValue::Complete | StatusValue::OnTrack | StatusValue::Behind | StatusValue::OffTrack) || counts.get(*v) > 0).collect()
}

/// Longest theme name the chart prints whole.
pub const CHART_LABEL_CHARS: usize = 40;

/// A theme's chart label: "Recommendation 2: Develop an externally facing…" for a long one.
pub(crate) fn chart_label(name: &str) -> String {
    if name.chars().count() <= CHART_LABEL_CHARS {
        return name.to_string();
    }
    let mut out = String::new();
    for w in name.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > CHART_LABEL_CHARS - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = name.chars().take(CHART_LABEL_CHARS - 1).collect();
    }
    format!("{}…", out.trim_end_matches([',', ':', ';', '-', '–']))
}

/// "33% (32) complete · 49% (48) on track · …": every status with rows, in scale order.
pub fn headline(counts: &StatusCounts, settings: &Settings) -> String {
    StatusValue::ALL
        .iter()
        .filter(|v| counts.get(**v) > 0)
        .map(|v| format!("{}% ({}) {}", counts.percent(*v), counts.get(*v), settings.status(*v).label.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Builds a pack. `previous` is the plan's previous period's label, files and records, if any.
pub fn build(
    records: &[Record],
    plan: &PlanPeriod,
    organisation: &str,
    settings: &Settings,
    produced: (&str, (i32, u8, u8)),
    previous: Option<(&str, &[String], &[Record])>,
) -> Pack {
    let earlier: Vec<(&str, &[Record])> = previous.iter().map(|(p, _, r)| (*p, *r)).collect();
    build_with_history(records, plan, organisation, settings, produced, previous, &earlier)
}

/// [`build`], with the plan's earlier periods (up to three, oldest first; the last is the
/// `previous` one compared with): each row's status over them, how long it has been behind or
/// off track, and the status shares per period.
pub fn build_with_history(
    records: &[Record],
    plan: &PlanPeriod,
    organisation: &str,
    settings: &Settings,
    produced: (&str, (i32, u8, u8)),
    previous: Option<(&str, &[String], &[Record])>,
    earlier: &[(&str, &[Record])],
) -> Pack {
    let (produced, today) = produced;
    let use_group = summary::groups_by_group(records);
    // Rows are paired across periods as "changes since" pairs them (by reference, else text).
    let earlier_status: Vec<(&str, std::collections::HashMap<String, StatusValue>)> =
        earlier.iter().map(|(p, rs)| (*p, rs.iter().map(|r| (summary::pair_key(r), r.status.value)).collect())).collect();
    let unit = if matches!(plan.period, super::Period::Quarter { .. }) { "quarters" } else { "periods" };
    let view = |r: &Record| {
        let mut v = row_view(r, settings, use_group);
        let key = summary::pair_key(r);
        v.trail = earlier_status.iter().map(|(p, m)| TrailStep { period: p.to_string(), status: m.get(&key).map(|s| s.key().to_string()).unwrap_or_default() }).collect();
        if matches!(r.status.value, StatusValue::Behind | StatusValue::OffTrack) {
            let held = 1 + earlier_status.iter().rev().take_while(|(_, m)| m.get(&key) == Some(&r.status.value)).count();
            if held > 1 {
                v.persist = format!("{} for {held} {unit}", settings.status(r.status.value).label);
            }
        }
        v
    };
    let counts = StatusCounts::of(records);
    let mut shown = shown_statuses(&counts);
    for (_, rs) in earlier {
        for v in shown_statuses(&StatusCounts::of(*rs)) {
            if !shown.contains(&v) {
                shown.push(v);
            }
        }
    }
    shown.sort();
    let mut files: Vec<String> = Vec::new();
    for r in records {
        if !files.contains(&r.source.file) {
            files.push(r.source.file.clone());
        }
    }
    let line = |v: &StatusValue| {
        let s = settings.status(*v);
        let mut wordings: Vec<String> = Vec::new();
        for r in records.iter().filter(|r| r.status.value == *v) {
            let w = r.status.text.clone().unwrap_or_else(|| "(colour only, no words)".into());
            if !wordings.contains(&w) {
                wordings.push(w);
            }
        }
        StatusLine {
            key: v.key().into(),
            label: s.label.clone(),
            colour: s.colour.clone(),
            text_colour: s.text_colour.clone(),
            means: s.means.clone(),
            count: counts.get(*v),
            percent: counts.percent(*v),
            wordings,
        }
    };
    let statuses: Vec<StatusLine> = shown.iter().map(line).collect();
    let scale: Vec<StatusLine> = StatusValue::ALL.iter().map(line).collect();
    let themes: Vec<ThemeCounts> = summary::by_theme(records)
        .into_iter()
        .map(|(name, c)| ThemeCounts {
            label: chart_label(&name),
            name,
            counts: shown.iter().map(|v| c.get(*v)).collect(),
            percents: shown.iter().map(|v| c.percent(*v)).collect(),
            total: c.total(),
        })
        .collect();
    let section_word = summary::section_word(records);
    let chart_alt = {
        let parts: Vec<String> = themes
            .iter()
            .map(|t| {
                let by: Vec<String> = shown.iter().zip(&t.counts).filter(|(_, n)| **n > 0).map(|(v, n)| format!("{n} {}", settings.status(*v).label.to_lowercase())).collect();
                format!("{}: {} activities, {}.", t.name, t.total, by.join(", "))
            })
            .collect();
        format!("Bar chart of activities by status for each {}. {}", section_word.to_lowercase(), parts.join(" "))
    };
    let exceptions: Vec<RowGroup> = summary::exceptions(records).into_iter().map(|(name, rows)| RowGroup { name, rows: rows.into_iter().map(view).collect() }).collect();
    let exception_count = exceptions.iter().map(|g| g.rows.len()).sum();
    let changes = previous.map(|(period, prev_files, before)| {
        let c = summary::compare(before, records);
        let [improved, worsened, changed, unchanged] = c.directions();
        let moves = c
            .status_moves()
            .into_iter()
            .map(|p| MoveView {
                row: view(p.after),
                before: settings.status(p.before.status.value).label.clone(),
                before_key: p.before.status.value.key().into(),
                direction: match p.direction() {
                    Direction::Improved => "improved",
                    Direction::Worsened => "worsened",
                    Direction::Changed => "changed",
                    Direction::Unchanged => "unchanged",
                }
                .into(),
            })
            .collect();
        let revised: Vec<RevisionView> = c
            .revised()
            .into_iter()
            .map(|p| RevisionView {
                row: view(p.after),
                before: p.before.target.revised_due.or(p.before.target.due).as_ref().map(date_text).unwrap_or_else(|| p.before.target.text.clone()),
            })
            .collect();
        let otherwise = if changed > 0 { format!(", {changed} changed otherwise") } else { String::new() };
        let sentence = format!(
            "Since {period}: {improved} improved, {worsened} worsened{otherwise} and {unchanged} unchanged; {} due date{} revised; {} row{} added and {} removed.",
            revised.len(),
            if revised.len() == 1 { "" } else { "s" },
            c.added.len(),
            if c.added.len() == 1 { "" } else { "s" },
            c.removed.len()
        );
        ChangesView {
            previous_period: period.to_string(),
            previous_files: prev_files.to_vec(),
            improved,
            worsened,
            changed,
            unchanged,
            sentence,
            moves,
            revised,
            added: c.added.into_iter().map(view).collect(),
            removed: c.removed.into_iter().map(|r| row_view(r, settings, use_group)).collect(),
        }
    });
    // The tracker: theme → outcome → group, each in the order it first appears.
    let mut tracker: Vec<ThemeView> = Vec::new();
    for r in records {
        let v = view(r);
        let ti = tracker.iter().position(|t| t.name == v.section).unwrap_or_else(|| {
            tracker.push(ThemeView { name: v.section.clone(), outcomes: Vec::new() });
            tracker.len() - 1
        });
        let outcomes = &mut tracker[ti].outcomes;
        let oi = outcomes.iter().position(|o| o.name == v.outcome).unwrap_or_else(|| {
            outcomes.push(OutcomeView { name: v.outcome.clone(), groups: Vec::new() });
            outcomes.len() - 1
        });
        let groups = &mut outcomes[oi].groups;
        let gi = groups.iter().position(|g| g.name == v.group).unwrap_or_else(|| {
            groups.push(RowGroup { name: v.group.clone(), rows: Vec::new() });
            groups.len() - 1
        });
        groups[gi].rows.push(v);
    }
    let has_status = records.iter().any(|r| r.status.value != StatusValue::Unknown || r.status.text.is_some());
    let timescales = (!has_status).then(|| super::timescales::of(records, today, produced));
    Pack {
        title: settings.title.clone(),
        organisation: organisation.to_string(),
        plan: plan.plan.clone(),
        plan_title: plan.title.clone(),
        period: plan.period.label(),
        produced: produced.to_string(),
        files,
        sections: settings.sections.iter().filter(|s| *s != "changes" || changes.is_some()).cloned().collect(),
        headings: settings.sections.iter().map(|s| (s.clone(), settings.heading(s).replace("{section}", &section_word.to_lowercase()))).collect(),
        section_word: section_word.into(),
        show_chart: (2..=summary::CHART_MAX_SECTIONS).contains(&themes.len()),
        has_refs: records.iter().any(|r| r.reference.is_some()),
        has_status,
        has_rationale: records.iter().any(|r| r.rationale.as_deref().is_some_and(|t| !t.trim().is_empty())),
        has_leads: records.iter().any(|r| r.lead.as_deref().is_some_and(|t| !t.trim().is_empty())),
        extra_columns: records.iter().flat_map(|r| r.extra.keys().cloned()).collect::<std::collections::BTreeSet<String>>().into_iter().collect(),
        logo: settings.logo.as_ref().map(|l| format!("/logo.{}", l.rsplit('.').next().unwrap_or("png").to_ascii_lowercase())),
        logo_alt: settings.logo_alt.clone(),
        total: counts.total(),
        styles: StatusValue::ALL.iter().map(|v| (v.key().to_string(), settings.status(*v).clone())).collect(),
        statuses,
        scale,
        headline: match &timescales {
            Some(t) => t.sentence.clone(),
            None => headline(&counts, settings),
        },
        themes,
        timescales,
        chart_alt,
        exceptions,
        exception_count,
        changes,
        tracker,
        flagged: summary::flagged(records).into_iter().map(view).collect(),
        rows: records.iter().map(view).collect(),
        period_shares: if earlier.is_empty() {
            Vec::new()
        } else {
            earlier
                .iter()
                .copied()
                .chain([(plan.period.label().as_str(), records)])
                .map(|(p, rs)| {
                    let c = StatusCounts::of(rs);
                    PeriodShare {
                        period: p.to_string(),
                        counts: shown.iter().map(|v| c.get(*v)).collect(),
                        percents: shown.iter().map(|v| c.percent(*v)).collect(),
                        total: c.total(),
                    }
                })
                .collect()
        },
        source_link: None,
        companions: Companions::default(),
    }
}

#[cfg(test)]
mod chart_label_tests {
    use super::{chart_label, CHART_LABEL_CHARS};

    #[test]
    fn long_theme_names_are_shortened_at_a_word() {
        assert_eq!(chart_label("Thriving Neighbourhoods"), "Thriving Neighbourhoods");
        let long = "Recommendation 2: Develop an externally facing compelling and positive narrative of place";
        let l = chart_label(long);
        assert!(l.ends_with('…') && l.chars().count() <= CHART_LABEL_CHARS, "{l}");
        assert!(long.starts_with(l.trim_end_matches('…')), "{l}");
    }
}
