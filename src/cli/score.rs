//! `milepost score`: scores records against hand-checked truth and prints the table, with the
//! options and exit codes of `../shared/gold/score.py` (0 scored, 1 below a minimum), plus 2
//! for a bad command line or an unreadable file and 3 when `--json OUT` cannot be written.
//!
//! The command has its own parser ([`is_score`], [`main`]): its `--json` takes a file name, as
//! score.py's does, and clap cannot give one subcommand a `--json OUT` while the global
//! `--json` switch is propagated into it. The `Score` entry in `cli::Command` is there for
//! `milepost --help` and `milepost help score`.
//!
//! Not here: the scoring itself (`milepost::score`).

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use milepost::{output, score};

use super::report::{self, Exit, Verbosity};

/// Options of `milepost score`.
#[derive(Args)]
pub struct ScoreArgs {
    /// Folder of hand-checked truth, one .jsonl file per document (as ../shared/gold/truth), or one .jsonl file.
    #[arg(long, value_name = "DIR")]
    truth: PathBuf,
    /// The records to score: a .jsonl file (as `milepost extract` writes) or a folder of them.
    #[arg(long, value_name = "FILE_OR_DIR")]
    pred: PathBuf,
    /// Also write the full result as JSON to this file (- for standard output; the table then goes to standard error).
    // The id is the global switch's, so that clap does not propagate that switch into this
    // command beside this option (two --json options); see the module doc.
    #[arg(long = "json", id = "json", value_name = "OUT")]
    json_out: Option<PathBuf>,
    /// Fail (exit 1) if the rows' F1 over all documents is below this (0 to 1).
    #[arg(long, value_name = "X")]
    min_row_f1: Option<f64>,
    /// Fail (exit 1) if the mean field accuracy over all documents is below this (0 to 1).
    #[arg(long, value_name = "X")]
    min_field: Option<f64>,
}

/// The command line when it names `score`: the same global options as `cli::Cli` but the
/// `--json` switch, which `score` uses for its own `--json OUT`.
#[derive(Parser)]
#[command(name = "milepost", version)]
struct ScoreCli {
    #[command(subcommand)]
    command: ScoreCommand,
    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Accepted for the other commands' sake; score prints the same either way.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Accepted for the other commands' sake; score reads no templates.
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ScoreCommand {
    /// Score records (JSON Lines) against hand-checked truth, as ../shared/gold/score.py does.
    Score(ScoreArgs),
}

/// Whether the command line (program name first) names the `score` command: its first word that
/// is not an option, skipping the value of `--templates`.
pub fn is_score(args: &[OsString]) -> bool {
    let mut words = args.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "--" {
            return false;
        }
        if w == "--templates" {
            words.next();
            continue;
        }
        if w.to_string_lossy().starts_with('-') {
            continue;
        }
        return w == "score";
    }
    false
}

/// Parses a command line that [`is_score`] and runs it.
pub fn main(args: Vec<OsString>) -> Exit {
    let cli = match ScoreCli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { Exit::Usage } else { Exit::Ok };
            let _ = e.print();
            return code;
        }
    };
    let v = Verbosity { quiet: cli.quiet, verbose: cli.verbose };
    let ScoreCommand::Score(a) = cli.command;
    run(a, v)
}

/// Scores, prints the table (standard output), writes `--json`, and checks the minimums.
pub fn run(a: ScoreArgs, v: Verbosity) -> Exit {
    let truth = match score::load_dir(&a.truth) {
        Ok(t) => t,
        Err(e) => {
            report::error_line(&e.to_string());
            return Exit::Usage;
        }
    };
    if truth.is_empty() {
        report::error_line(&format!("{}: no truth records here", a.truth.display()));
        report::hint_line("--truth names a folder of .jsonl files, one per document (as ../shared/gold/truth)");
        return Exit::Usage;
    }
    let pred = match score::load_dir(&a.pred) {
        Ok(p) => p,
        Err(e) => {
            report::error_line(&e.to_string());
            return Exit::Usage;
        }
    };
    if pred.is_empty() {
        report::warning_line(&format!("{}: no records to score; every document scores 0", a.pred.display()), v);
    }
    let res = score::score(&truth, &pred);
    let to_stdout = a.json_out.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(path) = &a.json_out {
        let mut bytes = serde_json::to_vec_pretty(&res).expect("a score report is plain data");
        bytes.push(b'\n');
        if to_stdout {
            // A closed pipe (| head) is not an error worth reporting.
            let _ = std::io::stdout().lock().write_all(&bytes);
        } else if let Err(e) = output::write_atomic(path, &bytes) {
            report::error_line(&e.to_string());
            return Exit::WriteFailed;
        }
    }
    let text = score::table(&res);
    if to_stdout {
        eprintln!("{text}");
    } else {
        let _ = writeln!(std::io::stdout().lock(), "{text}");
    }
    let o = &res.overall;
    let mut below = Vec::new();
    if let Some(min) = a.min_row_f1.filter(|&m| o.f1 < m) {
        below.push(format!("rows F1 {:.3} < {min:?}", o.f1));
    }
    if let Some(min) = a.min_field.filter(|&m| o.field_mean < m) {
        below.push(format!("fields {:.3} < {min:?}", o.field_mean));
    }
    if below.is_empty() {
        Exit::Ok
    } else {
        report::error_line(&format!("below the minimum: {}", below.join("; ")));
        Exit::SomeFailed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn words(s: &str) -> Vec<OsString> {
        s.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn score_is_found_after_global_options() {
        assert!(is_score(&words("milepost score --truth t --pred p")));
        assert!(is_score(&words("milepost -q --templates score score --truth t")));
        assert!(is_score(&words("milepost --templates=x -v score")));
        assert!(!is_score(&words("milepost extract score.pdf")));
        assert!(!is_score(&words("milepost --templates score run")));
        assert!(!is_score(&words("milepost help score")));
        assert!(!is_score(&words("milepost")));
    }

    #[test]
    fn score_takes_json_as_a_file() {
        let cli = ScoreCli::try_parse_from(words("milepost score --truth t --pred p --json out.json --min-row-f1 0.9")).unwrap();
        let ScoreCommand::Score(a) = cli.command;
        assert_eq!(a.json_out, Some(PathBuf::from("out.json")));
        assert_eq!(a.min_row_f1, Some(0.9));
    }

    #[test]
    fn both_parsers_are_well_formed() {
        // Catches two options with one name, which clap checks only in debug builds.
        ScoreCli::command().debug_assert();
        super::super::Cli::command().debug_assert();
    }
}
