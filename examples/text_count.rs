//! Counts the non-space characters milepost reads from each PDF given (one line per file:
//! `path<TAB>chars<TAB>pages` or `path<TAB>error<TAB>kind`), to compare with
//! `../shared/robustness/poppler-reference.tsv` (how much of the text poppler reads milepost reads).
//! `cargo run --release --example text_count -- FILE...`
use std::path::Path;

fn main() {
    let limits = milepost::Limits::default();
    for f in std::env::args().skip(1) {
        let path = Path::new(&f);
        let r = std::panic::catch_unwind(|| {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            let meter = milepost::budget::Meter::start(&limits);
            milepost::read::read_bytes(milepost::error::FileName::of(path), bytes, &None, &meter, &limits).map_err(|e| e.kind().to_string())
        });
        match r {
            Ok(Ok(doc)) => {
                let chars: usize = doc.pages.iter().flat_map(|p| p.glyphs.iter()).map(|g| g.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
                println!("{f}\t{chars}\t{}", doc.page_count);
            }
            Ok(Err(kind)) => println!("{f}\terror\t{kind}"),
            Err(_) => println!("{f}\terror\tpanic"),
        }
    }
}
