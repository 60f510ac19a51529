//! Every period of every plan, remembered: `outputs/history.sqlite`.
//!
//! In: after a run's packs are made, each plan's records for each period the run read (PDFs and
//! workbooks alike). Out: an SQLite database (through `rusqlite`, SQLite built in) with two
//! tables, documented in the README:
//!
//! - `periods`: one row per plan and period: `plan`, `period` ("Q3 2024/25"), `period_end`
//!   (months since year 0 of its last month, for sorting; 0 when not stated), `title`, `files`
//!   (the input files, comma-separated), `rows`, `recorded_at`.
//! - `records`: one row per record: `plan`, `period`, `seq` (document order), the record fields
//!   flattened (`file`, `sheet`, `page`, `kind`, `ref`, `theme`, `outcome`, `grp`, `activity`,
//!   `target_text`, `start`, `due`, `revised_due`, `ongoing`, `status_text`, `status`, `colour`,
//!   `rationale`, `lead`, `flags`), and `record`, the record as JSON (what milepost reads back).
//!
//! Re-running a period replaces that period's rows in one transaction, never duplicates them;
//! a run killed half-way leaves the database as the last run left it. The report stage reads
//! earlier periods from here when their PDFs are no longer in the input folder.
//!
//! Not here: which plan and period records belong to (`report::plan`); what packs do with the
//! periods (`report`).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use crate::period::{Period, PlanPeriod};
use crate::record::Record;

/// The database's file name in the output folder.
pub const HISTORY_FILE: &str = "history.sqlite";

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: the history database could not be {action} ({source})")]
pub struct HistoryError {
    /// The database file.
    pub path: String,
    /// "opened", "read", "updated".
    pub action: &'static str,
    /// SQLite's reason.
    #[source]
    pub source: rusqlite::Error,
}

/// One stored plan and period.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPeriod {
    /// Plan short name.
    pub plan: String,
    /// Period label.
    pub period: String,
    /// [`Period::end_month`].
    pub period_end: u32,
    /// The plan's title.
    pub title: String,
    /// The input files it was read from.
    pub files: String,
    /// How many records.
    pub rows: usize,
    /// When the run that stored it finished reading (UTC).
    pub recorded_at: String,
}

/// The open database.
pub struct History {
    conn: Connection,
    path: String,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS periods (
  plan TEXT NOT NULL, period TEXT NOT NULL, period_end INTEGER NOT NULL, title TEXT NOT NULL,
  files TEXT NOT NULL, rows INTEGER NOT NULL, recorded_at TEXT NOT NULL,
  PRIMARY KEY (plan, period));
CREATE TABLE IF NOT EXISTS records (
  plan TEXT NOT NULL, period TEXT NOT NULL, seq INTEGER NOT NULL,
  file TEXT NOT NULL, sheet TEXT, page INTEGER NOT NULL, kind TEXT NOT NULL, ref TEXT,
  theme TEXT, outcome TEXT, grp TEXT, activity TEXT NOT NULL, target_text TEXT NOT NULL,
  start TEXT, due TEXT, revised_due TEXT, ongoing INTEGER NOT NULL, status_text TEXT,
  status TEXT NOT NULL, colour TEXT, rationale TEXT, lead TEXT, flags TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (plan, period, seq));
";

impl History {
    /// Opens (or creates) the database.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let shown = path.display().to_string();
        let err = |source| HistoryError { path: shown.clone(), action: "opened", source };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        Ok(History { conn, path: shown })
    }

    /// Stores each plan's records for a period, replacing what was stored for that plan and
    /// period; all of them in one transaction.
    pub fn store<'a>(&mut self, periods: impl IntoIterator<Item = (&'a PlanPeriod, &'a [String], &'a [Record])>, recorded_at: &str) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let err = |source| HistoryError { path: path.clone(), action: "updated", source };
        let tx = self.conn.transaction().map_err(err)?;
        for (plan, files, records) in periods {
            let period = plan.period.label();
            tx.execute("DELETE FROM records WHERE plan = ?1 AND period = ?2", params![plan.plan, period]).map_err(err)?;
            tx.execute(
                "INSERT OR REPLACE INTO periods (plan, period, period_end, title, files, rows, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![plan.plan, period, plan.period.end_month(), plan.title, files.join(", "), records.len() as i64, recorded_at],
            )
            .map_err(err)?;
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO records (plan, period, seq, file, sheet, page, kind, ref, theme, outcome, grp, activity, target_text, start, due, revised_due, ongoing, status_text, status, colour, rationale, lead, flags, record)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
                )
                .map_err(err)?;
            for (seq, r) in records.iter().enumerate() {
                let iso = |d: &Option<crate::record::PartialDate>| d.as_ref().map(|d| d.to_string());
                ins.execute(params![
                    plan.plan,
                    period,
                    seq as i64,
                    r.source.file,
                    r.source.sheet,
                    r.source.page,
                    if r.kind == crate::record::Kind::Action { "action" } else { "milestone" },
                    r.reference,
                    r.theme,
                    r.outcome,
                    r.group,
                    r.activity,
                    r.target.text,
                    iso(&r.target.start),
                    iso(&r.target.due),
                    iso(&r.target.revised_due),
                    r.target.ongoing,
                    r.status.text,
                    r.status.value.key(),
                    r.status.colour,
                    r.rationale,
                    r.lead,
                    r.flags.join("; "),
                    serde_json::to_string(r).unwrap_or_default(),
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The stored periods, by plan then period order; of one plan where `plan` is given.
    pub fn periods(&self, plan: Option<&str>) -> Result<Vec<StoredPeriod>, HistoryError> {
        let err = |source| HistoryError { path: self.path.clone(), action: "read", source };
        let mut q = self
            .conn
            .prepare("SELECT plan, period, period_end, title, files, rows, recorded_at FROM periods WHERE ?1 IS NULL OR plan = ?1 ORDER BY plan, period_end, period")
            .map_err(err)?;
        let rows = q
            .query_map(params![plan], |r| {
                Ok(StoredPeriod {
                    plan: r.get(0)?,
                    period: r.get(1)?,
                    period_end: r.get(2)?,
                    title: r.get(3)?,
                    files: r.get(4)?,
                    rows: r.get::<_, i64>(5)? as usize,
                    recorded_at: r.get(6)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    /// A stored period's records, in document order.
    pub fn records(&self, plan: &str, period: &str) -> Result<Vec<Record>, HistoryError> {
        let err = |source| HistoryError { path: self.path.clone(), action: "read", source };
        let mut q = self.conn.prepare("SELECT record FROM records WHERE plan = ?1 AND period = ?2 ORDER BY seq").map_err(err)?;
        let rows = q.query_map(params![plan, period], |r| r.get::<_, String>(0)).map_err(err)?;
        let mut out = Vec::new();
        for json in rows {
            if let Ok(r) = serde_json::from_str::<Record>(&json.map_err(err)?) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Whether a plan and period is stored.
    pub fn has(&self, plan: &str, period: &str) -> Result<bool, HistoryError> {
        let err = |source| HistoryError { path: self.path.clone(), action: "read", source };
        self.conn.query_row("SELECT 1 FROM periods WHERE plan = ?1 AND period = ?2", params![plan, period], |_| Ok(())).optional().map(|o| o.is_some()).map_err(err)
    }
}

/// A stored period's label read back as a [`Period`] (labels are milepost's own, so they parse).
pub fn period_of(label: &str) -> Period {
    Period::parse(label).unwrap_or(Period::NotStated)
}
