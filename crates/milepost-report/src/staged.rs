//! A run's outputs written durably but cheaply: every file goes to a hidden temp file beside its
//! target first (no sync), and [`Staged::commit`] makes them all durable at once (one `syncfs` of
//! the output folder's file system on Linux, one fsync per file elsewhere), then renames each into
//! place and syncs each folder once.
//!
//! The guarantee is [`crate::output::write_atomic`]'s, for the whole run: a run killed at any
//! moment leaves every target either its previous complete version or the new complete one, never
//! half a file; temp files it leaves are removed by the next run. What changes is the cost: one
//! wait for the disk per run instead of one per file.
//!
//! Not here: what is written (`batch`, `report`); the manifest, written after the commit with
//! `write_atomic` so that it never names a file that is not in place.

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::output::{sync_folder, temp_path, OutputError};

/// Outputs written to temp files, waiting for [`Staged::commit`].
#[derive(Debug, Default)]
pub struct Staged {
    files: Mutex<Vec<(PathBuf, PathBuf)>>,
}

impl Staged {
    /// A new, empty set.
    pub fn new() -> Staged {
        Staged::default()
    }

    /// Writes `bytes` to a temp file beside `path` (creating its folder), to be renamed over
    /// `path` at the commit.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let fail = |source: std::io::Error| OutputError::Write { path: path.display().to_string(), source };
        let name = path.file_name().ok_or_else(|| fail(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path does not end in a file name")))?;
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(folder).map_err(fail)?;
        }
        let temp = temp_path(path, name);
        let written = OpenOptions::new().write(true).create_new(true).open(&temp).and_then(|mut f| f.write_all(bytes));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(fail(e));
        }
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((temp, path.to_path_buf()));
        Ok(())
    }

    /// How many files wait for the commit.
    pub fn len(&self) -> usize {
        self.files.lock().map(|f| f.len()).unwrap_or(0)
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes every staged file durable, then renames each into place; returns the files that
    /// could not be put in place (their targets keep their previous version).
    pub fn commit(self) -> Vec<OutputError> {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut errors = Vec::new();
        if files.is_empty() {
            return errors;
        }
        make_durable(&files);
        let mut folders = BTreeSet::new();
        for (temp, target) in files {
            match fs::rename(&temp, &target) {
                Ok(()) => {
                    folders.insert(target.parent().map(Path::to_path_buf).unwrap_or_default());
                }
                Err(source) => {
                    let _ = fs::remove_file(&temp);
                    errors.push(OutputError::Write { path: target.display().to_string(), source });
                }
            }
        }
        for f in folders {
            sync_folder(if f.as_os_str().is_empty() { Path::new(".") } else { &f });
        }
        errors
    }
}

/// Flushes the temp files' data to the disk before any rename can expose them.
fn make_durable(files: &[(PathBuf, PathBuf)]) {
    #[cfg(target_os = "linux")]
    {
        // One syncfs per file system the files are on (normally one: the output folder's).
        let mut done: BTreeSet<u64> = BTreeSet::new();
        let mut all_ok = true;
        for (temp, _) in files {
            use std::os::unix::fs::MetadataExt;
            let Ok(meta) = fs::metadata(temp) else { continue };
            if !done.insert(meta.dev()) {
                continue;
            }
            let ok = fs::File::open(temp).map(|f| {
                use std::os::fd::AsRawFd;
                // SAFETY: syncfs takes an open descriptor, which `f` holds for the call.
                unsafe { libc::syncfs(f.as_raw_fd()) == 0 }
            });
            all_ok &= ok.unwrap_or(false);
        }
        if all_ok {
            return;
        }
    }
    for (temp, _) in files {
        if let Ok(f) = fs::File::open(temp) {
            let _ = f.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_in_place_before_the_commit_and_all_of_it_after() {
        let dir = std::env::temp_dir().join(format!("milepost-staged-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.csv"), b"old").unwrap();
        let s = Staged::new();
        s.write(&dir.join("a.csv"), b"new a").unwrap();
        s.write(&dir.join("sub/b.csv"), b"new b").unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        assert!(!dir.join("sub/b.csv").exists());
        assert_eq!(s.len(), 2);
        assert!(s.commit().is_empty());
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new a");
        assert_eq!(fs::read(dir.join("sub/b.csv")).unwrap(), b"new b");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains(".tmp-")).collect();
        assert!(left.is_empty());
        let _ = fs::remove_dir_all(&dir);
    }
}
