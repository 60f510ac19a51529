//! The one place that turns errors and outcomes into printed lines and exit codes.
//!
//! Every message goes to standard error and begins `error:`, `warning:` or `hint:`; standard
//! output carries data only. Not here: deciding what failed (the library does).

use std::io::IsTerminal;
use std::process::ExitCode;

use milepost::config::ConfigError;
use milepost::error::DocError;

/// Exit codes, as the README tabulates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every input read and every output written (flagged rows are success).
    Ok = 0,
    /// Some inputs failed; the rest were processed and written.
    SomeFailed = 1,
    /// Bad command line or bad templates file; nothing was run.
    Usage = 2,
    /// Outputs could not be written.
    WriteFailed = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// How chatty to be.
#[derive(Debug, Clone, Copy)]
pub struct Verbosity {
    /// Errors only.
    pub quiet: bool,
    /// Stage details too.
    pub verbose: bool,
}

fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn label(kind: &str, code: &str) -> String {
    if colour() {
        format!("\x1b[{code}m{kind}:\x1b[0m")
    } else {
        format!("{kind}:")
    }
}

/// Prints an error about a document, with its hint.
pub fn doc_error(e: &DocError) {
    eprintln!("{} {e}", label("error", "1;31"));
    if let Some(h) = e.hint() {
        eprintln!("  {} {h}", label("hint", "1;36"));
    }
}

/// Prints a warning.
pub fn warning(file: &str, w: &milepost::error::Warning, v: Verbosity) {
    if !v.quiet {
        eprintln!("{} {file}, {w}", label("warning", "1;33"));
    }
}

/// Prints a plain warning line unless quiet.
pub fn warning_line(msg: &str, v: Verbosity) {
    if !v.quiet {
        eprintln!("{} {msg}", label("warning", "1;33"));
    }
}

/// Prints a plain error line.
pub fn error_line(msg: &str) {
    eprintln!("{} {msg}", label("error", "1;31"));
}

/// Prints a hint line.
pub fn hint_line(msg: &str) {
    eprintln!("  {} {msg}", label("hint", "1;36"));
}

/// Prints every templates mistake.
pub fn config_errors(errs: &[ConfigError]) {
    for e in errs {
        error_line(&e.to_string());
    }
    hint_line("fix the lines named above, then run again (milepost check re-checks the templates)");
}

/// Prints an informational line unless quiet.
pub fn info(msg: &str, v: Verbosity) {
    if !v.quiet {
        eprintln!("{msg}");
    }
}
