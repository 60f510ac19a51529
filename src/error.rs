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
        }
    }

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
            | DocError::Internal { file, .. } => file,
        }
    }

    /// What the officer can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            DocError::Empty { .. } => "the file may not have finished downloading; save it again",
            DocError::NotPdf { .. } => "save or export the document as PDF, then put the PDF in the input folder",
            DocError::Encrypted { .. } => "save an unprotected copy of the PDF into the input folder",
            DocError::Damaged { .. } => "download the PDF again, or open it and 'Save as' a new PDF",
            DocError::NoTextLayer { .. } => "run OCR on the PDF first (for example 'Recognise text' in a PDF editor)",
            DocError::NoRows { .. } => "check that this PDF holds a milestone tracker or action plan table; if its column headings are unusual, add them to templates/columns.toml",
            DocError::TooLarge { .. } | DocError::TooManyPages { .. } => "raise the limit with --max-file-mb or --max-pages if the file is genuine",
            DocError::Io { .. } => "check the file exists and you have permission to read it",
            DocError::Internal { .. } => "this is a bug in milepost: please report it with the PDF",
        })
    }
}

/// A problem with a part of a document that was still read: the document goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
