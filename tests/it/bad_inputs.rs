//! Bad inputs give a clear, named error and never a panic: `tests/corpus/gold/bad/expected.json`.

use crate::common;

use milepost::config::Config;
use milepost::Limits;

#[test]
fn every_bad_input_gives_its_named_error() {
    let bad = common::gold_dir().join("bad");
    let expected: serde_json::Value = serde_json::from_slice(&std::fs::read(bad.join("expected.json")).unwrap()).unwrap();
    let cfg = Config::builtin();
    let mut checked = 0;
    for (file, want) in expected.as_object().unwrap() {
        let kind = want["error"].as_str().unwrap();
        let err = milepost::extract_guarded(&bad.join(file), &cfg, &Limits::default()).err().unwrap_or_else(|| panic!("{file} should fail"));
        assert_eq!(err.kind(), kind, "{file}: {err}");
        let msg = err.to_string();
        assert!(msg.starts_with(file.as_str()), "the message names the file: {msg}");
        assert!(err.hint().is_some(), "{file} has a hint");
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn scanned_page_error_names_the_page() {
    let bad = common::gold_dir().join("bad");
    let err = milepost::extract_guarded(&bad.join("scanned.pdf"), &Config::builtin(), &Limits::default()).unwrap_err();
    assert_eq!(err.to_string(), "scanned.pdf, page 1: the page is an image with no text layer: it looks scanned");
}

#[test]
fn limits_refuse_large_documents_clearly() {
    let limits = Limits { max_pages: 3, ..Limits::default() };
    let err = milepost::extract_guarded(&common::input("rotherham-2021-tracker.pdf"), &Config::builtin(), &limits).unwrap_err();
    assert_eq!(err.kind(), "too_many_pages");
    assert!(err.to_string().contains("9 pages, over the limit of 3"), "{err}");
}

#[test]
fn arbitrary_bytes_never_panic() {
    // Cut-down and corrupted versions of a real PDF: each is an error or records, never a panic.
    let bytes = std::fs::read(common::input("northdale-2024-q2-tracker.pdf")).unwrap();
    let dir = std::env::temp_dir().join(format!("milepost-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = Config::builtin();
    for (i, cut) in [0.1, 0.3, 0.5, 0.7, 0.9, 0.97].iter().enumerate() {
        let n = (bytes.len() as f64 * cut) as usize;
        let mut b = bytes[..n].to_vec();
        // Flip some bytes in the middle too.
        for k in (n / 3..n / 3 + 200).step_by(7) {
            if k < b.len() {
                b[k] ^= 0x5A;
            }
        }
        let p = dir.join(format!("cut{i}.pdf"));
        std::fs::write(&p, &b).unwrap();
        let _ = milepost::extract_guarded(&p, &cfg, &Limits::default());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
