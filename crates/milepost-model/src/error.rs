//! The one error type for a document that cannot be read, and its machine-readable kind.
//!
//! Every variant names the file, and the page where there is one; `Display` is a sentence an
//! officer can read, and [`DocError::hint`] says what to do about it. A doubtful *row* is not an
//! error: it is a `Flag` on its record (see `record`).
//!
//! Not here: turning errors into printed lines and exit codes (only `cli::report` does that).

use std::fmt;

/// A file name as shown to the user: the base name, not the full path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FileName(pub String);

impl FileName {
    /// The base name of `path`.
    pub fn of(path: &std::path::Path) -> FileName {
        FileName(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string()))
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a document could not be turned into records.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The file has no bytes.
    #[error("{file}: the file is empty (0 bytes)")]
    Empty {
        /// The file.
        file: FileName,
    },
    /// The file does not start like a PDF.
    #[error("{file}: this is not a PDF file{detail}")]
    NotPdf {
        /// The file.
        file: FileName,
        /// What it looks like instead, e.g. " (it looks like a ZIP archive)".
        detail: String,
    },
    /// The PDF needs a password.
    #[error("{file}: the PDF is password-protected")]
    Encrypted {
        /// The file.
        file: FileName,
    },
    /// The PDF is broken beyond what could be recovered.
    #[error("{file}: the PDF is damaged and could not be read ({detail})")]
    Damaged {
        /// The file.
        file: FileName,
        /// What is wrong.
        detail: String,
    },
    /// No page has any text: a scan.
    #[error("{file}, page {page}: the page is an image with no text layer: it looks scanned")]
    NoTextLayer {
        /// The file.
        file: FileName,
        /// The first page without text (1-based).
        page: u32,
    },
    /// No page has any text, and none is a scan: the pages are blank or hold drawings only.
    #[error("{file}: none of its {pages} page(s) holds {}", if *angled { "text milepost can read: its text is set at a slant (neither across nor up the page)" } else { "any text: they are blank or hold drawings only" })]
    NoText {
        /// The file.
        file: FileName,
        /// How many pages were read.
        pages: u32,
        /// Whether there is text, but all of it at a slant.
        angled: bool,
    },
    /// Drawing the document asks for more work or memory than its budget allows.
    #[error("{file}{}: the PDF asks for more than {detail} to draw{}; it may be damaged or built to overload readers", page.map(|p| format!(", page {p}")).unwrap_or_default(), page.map(|_| " this page").unwrap_or_default())]
    TooComplex {
        /// The file.
        file: FileName,
        /// The page being drawn, where known.
        page: Option<u32>,
        /// The cap passed, e.g. "20000000 drawing operations".
        detail: String,
    },
    /// Reading the document took longer than its time limit.
    #[error("{file}: reading it took longer than the limit of {limit_s} seconds, so milepost gave up on it")]
    TimedOut {
        /// The file.
        file: FileName,
        /// The limit.
        limit_s: u64,
    },
    /// An error reported by the worker process that read the document (already a sentence).
    #[error("{message}")]
    Reported {
        /// The file.
        file: FileName,
        /// Its kind, as [`DocError::kind`] names them.
        kind: &'static str,
        /// The sentence.
        message: String,
    },
    /// The PDF was read but holds no tracker or action-plan rows.
    #[error("{file}: no milestone tracker or action plan table was found in {pages} page(s)")]
    NoRows {
        /// The file.
        file: FileName,
        /// How many pages were read.
        pages: u32,
    },
    /// The file is larger than the configured limit.
    #[error("{file}: the file is {size_mb:.1} MB, over the limit of {limit_mb} MB")]
    TooLarge {
        /// The file.
        file: FileName,
        /// Its size.
        size_mb: f64,
        /// The limit.
        limit_mb: u64,
    },
    /// The document has more pages than the configured limit.
    #[error("{file}: the PDF has {pages} pages, over the limit of {limit}")]
    TooManyPages {
        /// The file.
        file: FileName,
        /// Its page count.
        pages: u32,
        /// The limit.
        limit: u32,
    },
    /// The file could not be opened or read from disk.
    #[error("{file}: could not be read ({source})")]
    Io {
        /// The file.
        file: FileName,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A spreadsheet in the input folder that is not a pack workbook milepost can read back.
    #[error("{file}: this workbook cannot be read back as a tracker: {detail}")]
    NotPackWorkbook {
        /// The file.
        file: FileName,
        /// What is missing, e.g. "it has no \"Tracker\" sheet".
        detail: String,
    },
    /// A bug in milepost, caught so that the batch goes on.
    #[error("{file}{}: milepost failed on this file (internal error: {message})", page.map(|p| format!(", page {p}")).unwrap_or_default())]
    Internal {
        /// The file.
        file: FileName,
        /// The page, where known.
        page: Option<u32>,
        /// The panic or error text.
        message: String,
    },
}

impl DocError {
    /// A short machine-readable kind, as `../shared/gold/bad/expected.json` names them.
    pub fn kind(&self) -> &'static str {
        match self {
            DocError::Empty { .. } => "empty",
            DocError::NotPdf { .. } => "not_pdf",
            DocError::Encrypted { .. } => "encrypted",
            DocError::Damaged { .. } => "damaged",
            DocError::NoTextLayer { .. } => "no_text_layer",
            DocError::NoRows { .. } => "no_rows",
            DocError::TooLarge { .. } => "too_large",
            DocError::TooManyPages { .. } => "too_many_pages",
            DocError::Io { .. } => "io",
            DocError::Internal { .. } => "internal",
            DocError::NotPackWorkbook { .. } => "not_pack_workbook",
            DocError::NoText { .. } => "no_text",
            DocError::TooComplex { .. } => "too_complex",
            DocError::TimedOut { .. } => "timed_out",
            DocError::Reported { kind, .. } => kind,
        }
    }

    /// Every kind [`DocError::kind`] can return (a worker's report is mapped back onto these).
    pub const KINDS: [&'static str; 14] = [
        "empty",
        "not_pdf",
        "encrypted",
        "damaged",
        "no_text_layer",
        "no_rows",
        "too_large",
        "too_many_pages",
        "io",
        "internal",
        "no_text",
        "too_complex",
        "timed_out",
        "not_pack_workbook",
    ];

    /// The file the error is about.
    pub fn file(&self) -> &FileName {
        match self {
            DocError::Empty { file }
            | DocError::NotPdf { file, .. }
            | DocError::Encrypted { file }
            | DocError::Damaged { file, .. }
            | DocError::NoTextLayer { file, .. }
            | DocError::NoRows { file, .. }
            | DocError::TooLarge { file, .. }
            | DocError::TooManyPages { file, .. }
            | DocError::Io { file, .. }
            | DocError::Internal { file, .. }
            | DocError::NotPackWorkbook { file, .. }
            | DocError::NoText { file, .. }
            | DocError::TooComplex { file, .. }
            | DocError::TimedOut { file, .. }
            | DocError::Reported { file, .. } => file,
        }
    }

    /// What the officer can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        hint_for(self.kind())
    }
}

/// What the officer can do about an error of this kind.
pub fn hint_for(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "empty" => "the file may not have finished downloading; save it again",
        "not_pdf" => "save or export the document as PDF, then put the PDF in the input folder",
        "encrypted" => "save an unprotected copy of the PDF into the input folder",
        "damaged" => "download the PDF again, or open it and 'Save as' a new PDF",
        "no_text_layer" => "run OCR on the PDF first (for example 'Recognise text' in a PDF editor)",
        "no_text" => "check this is the right file: milepost reads the text of trackers and action plans, and finds none it can read in this PDF",
        "no_rows" => "check that this PDF holds a milestone tracker or action plan table; if its column headings are unusual, add them to templates/columns.toml",
        "too_large" | "too_many_pages" => "raise the limit with --max-file-mb or --max-pages if the file is genuine",
        "too_complex" => "open the PDF and 'Print to PDF' or 'Save as' a new PDF; if the file is genuine, raise the limits (milepost run --help lists them)",
        "timed_out" => "if the file is genuine, give it longer with --doc-timeout",
        "io" => "check the file exists and you have permission to read it",
        "internal" => "this is a bug in milepost: please report it with the PDF",
        "not_pack_workbook" => "milepost reads back the pack workbooks it writes (outputs/packs/*.xlsx, with their Tracker sheet); move other spreadsheets out of the input folder",
        _ => return None,
    })
}

/// A problem with a part of a document that was still read: the document goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// The page, where known (1-based).
    pub page: Option<u32>,
    /// A sentence for the officer.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(p) => write!(f, "page {p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The text of a caught panic payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
