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
//! [`Staged::write_soon`] hands a file to a writer thread instead, for outputs nothing waits
//! for before the commit (a document's records and tables, while its packs are laid out), and
//! [`Staged::make_soon`] the making of such files too; a failure to write one is then among the
//! commit's errors. Each file the writer thread writes starts its way to the disk at once, so
//! that the commit's one wait finds most of the run's data written.
//!
//! Not here: what is written (`batch`, `report`); the manifest, written after the commit with
//! `write_atomic` so that it never names a file that is not in place.

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::output::{sync_folder, temp_path, OutputError};

/// What the writer thread is given: the files to stage, or how to make them.
type Job = Box<dyn FnOnce() -> Vec<(PathBuf, Vec<u8>)> + Send>;

/// The writer thread's queue and the thread.
type Writer = (Sender<Job>, JoinHandle<()>);

/// Outputs written to temp files, waiting for [`Staged::commit`].
#[derive(Debug, Default)]
pub struct Staged {
    files: Arc<Mutex<Vec<(PathBuf, PathBuf)>>>,
    /// The writer thread of [`Staged::write_soon`], once started, and its queue.
    soon: Mutex<Option<Writer>>,
    /// What [`Staged::write_soon`] could not write, for the commit to report.
    not_written: Arc<Mutex<Vec<OutputError>>>,
}

impl Staged {
    /// A new, empty set.
    pub fn new() -> Staged {
        Staged::default()
    }

    /// Writes `bytes` to a temp file beside `path` (creating its folder), to be renamed over
    /// `path` at the commit.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        stage(&self.files, path, bytes, true)
    }

    /// [`Staged::write`] for files written one after another just before the commit (the
    /// `tables` command's): the kernel is not asked to start writing each file to the disk as
    /// it is staged, since nothing runs between them and the commit; the commit's one sync
    /// writes them together.
    pub fn write_last(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        stage(&self.files, path, bytes, false)
    }

    /// [`Staged::write`] on a writer thread, so that the caller goes on at once; where the file
    /// cannot be written, [`Staged::commit`] says so (and leaves its target as it was). Where no
    /// thread can be started, the file is written here.
    pub fn write_soon(&self, path: PathBuf, bytes: Vec<u8>) {
        self.make_soon(move || vec![(path, bytes)]);
    }

    /// [`Staged::write_soon`] of the files `make` makes (targets and bytes), made on the writer
    /// thread too: for files nothing waits for but the commit, made from data the caller has
    /// (a document's records and tables, as CSV and JSON). Where no thread can be started, they
    /// are made and written here.
    pub fn make_soon(&self, make: impl FnOnce() -> Vec<(PathBuf, Vec<u8>)> + Send + 'static) {
        let mut soon = lock(&self.soon);
        if soon.is_none() {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let (files, not_written) = (Arc::clone(&self.files), Arc::clone(&self.not_written));
            let writer = std::thread::Builder::new().name("staged-writer".into()).spawn(move || {
                for job in rx {
                    run_job(&files, &not_written, job);
                }
            });
            if let Ok(writer) = writer {
                *soon = Some((tx, writer));
            }
        }
        let job: Job = Box::new(make);
        let unsent = match soon.as_ref() {
            Some((tx, _)) => tx.send(job).err().map(|e| e.0),
            None => Some(job),
        };
        drop(soon);
        if let Some(job) = unsent {
            run_job(&self.files, &self.not_written, job);
        }
    }

    /// How many files wait for the commit.
    pub fn len(&self) -> usize {
        lock(&self.files).len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes every staged file durable, then renames each into place; returns the files that
    /// could not be put in place (their targets keep their previous version).
    pub fn commit(self) -> Vec<OutputError> {
        // Everything handed to the writer thread is written first.
        if let Some((tx, writer)) = lock(&self.soon).take() {
            drop(tx);
            let _ = writer.join();
        }
        let mut errors = std::mem::take(&mut *lock(&self.not_written));
        let files = std::mem::take(&mut *lock(&self.files));
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

/// Writes `bytes` to a temp file beside `path` (creating its folder) and adds it to `files`.
fn stage(files: &Mutex<Vec<(PathBuf, PathBuf)>>, path: &Path, bytes: &[u8], writeback: bool) -> Result<(), OutputError> {
    let fail = |source: std::io::Error| OutputError::Write { path: path.display().to_string(), source };
    let name = path.file_name().ok_or_else(|| fail(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path does not end in a file name")))?;
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder).map_err(fail)?;
    }
    let temp = temp_path(path, name);
    let written = OpenOptions::new().write(true).create_new(true).open(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        if writeback {
            start_writeback(&f);
        }
        Ok(())
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(fail(e));
    }
    lock(files).push((temp, path.to_path_buf()));
    Ok(())
}

/// Asks the kernel to start writing a staged file to the disk now, without waiting (Linux), so
/// that the commit's one wait finds most of the run's data already written: a long tracker's
/// records and tables are staged while its appendix is laid out. Elsewhere, nothing.
fn start_writeback(f: &fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: sync_file_range reads only the open descriptor `f` holds for the call; with
        // SYNC_FILE_RANGE_WRITE alone it starts the writing of dirty pages and returns.
        unsafe {
            libc::sync_file_range(f.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = f;
}

/// Makes a job's files and stages each ([`stage_or_note`]). A job that panics gives no files
/// (its caller hears of it: see [`Staged::make_soon`]'s callers), on the writer thread or here.
fn run_job(files: &Mutex<Vec<(PathBuf, PathBuf)>>, not_written: &Mutex<Vec<OutputError>>, job: Job) {
    for (path, bytes) in std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or_default() {
        stage_or_note(files, not_written, &path, &bytes);
    }
}

/// [`stage`], a failure kept in `not_written` for the commit to report.
fn stage_or_note(files: &Mutex<Vec<(PathBuf, PathBuf)>>, not_written: &Mutex<Vec<OutputError>>, path: &Path, bytes: &[u8]) {
    if let Err(e) = stage(files, path, bytes, true) {
        lock(not_written).push(e);
    }
}

/// The lock, also where a thread panicked holding it (the list stays usable).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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

    /// An empty folder for one test, holding `a.csv` ("old") as a previous run's output.
    fn folder_with_old_output(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("milepost-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.csv"), b"old").unwrap();
        dir
    }

    #[test]
    fn nothing_is_in_place_before_the_commit_and_all_of_it_after() {
        let dir = folder_with_old_output("staged");
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

    /// Files handed to the writer thread are in place after the commit like the others; one
    /// that cannot be written is among the commit's errors, its target untouched, and the rest
    /// still go in.
    #[test]
    fn files_written_soon_are_committed_and_a_failure_is_reported() {
        let dir = folder_with_old_output("staged-soon");
        // A file where a folder is needed: "blocked/c.csv" cannot be written.
        fs::write(dir.join("blocked"), b"a file").unwrap();
        let s = Staged::new();
        for i in 0..50 {
            s.write_soon(dir.join(format!("tables/t{i}.csv")), format!("table {i}").into_bytes());
        }
        s.write_soon(dir.join("a.csv"), b"new a".to_vec());
        s.write_soon(dir.join("blocked/c.csv"), b"never".to_vec());
        s.write(&dir.join("b.csv"), b"new b").unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        let errors = s.commit();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("blocked"), "{}", errors[0]);
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new a");
        assert_eq!(fs::read(dir.join("b.csv")).unwrap(), b"new b");
        for i in 0..50 {
            assert_eq!(fs::read(dir.join(format!("tables/t{i}.csv"))).unwrap(), format!("table {i}").into_bytes());
        }
        assert_eq!(fs::read(dir.join("blocked")).unwrap(), b"a file");
        let _ = fs::remove_dir_all(&dir);
    }

    /// Files made on the writer thread are committed; a making that panics gives no files, and
    /// the jobs after it are still made and written.
    #[test]
    fn files_made_soon_are_committed_and_a_panicking_job_stops_nothing_else() {
        let dir = folder_with_old_output("staged-made");
        let s = Staged::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        s.make_soon(move || {
            let files: Vec<(PathBuf, Vec<u8>)> = (0..3).map(|i| (d.join(format!("records/r{i}.csv")), format!("row {i}").into_bytes())).collect();
            let _ = tx.send(files.len());
            files
        });
        s.make_soon(|| panic!("a making that fails"));
        let d = dir.clone();
        s.make_soon(move || vec![(d.join("a.csv"), b"made a".to_vec())]);
        let errors = s.commit();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rx.recv().unwrap(), 3);
        for i in 0..3 {
            assert_eq!(fs::read(dir.join(format!("records/r{i}.csv"))).unwrap(), format!("row {i}").into_bytes());
        }
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"made a");
        let _ = fs::remove_dir_all(&dir);
    }
}
