//! Prints, for each PDF given, the plan title, period and themes milepost reads from it (what a
//! pack's cover and theme table will show): a quick look for page furniture in titles and themes.
//! `cargo run --release --example titles -- FILE...`
fn main() {
    let cfg = milepost::config::Config::builtin();
    for f in std::env::args().skip(1) {
        let path = std::path::Path::new(&f);
        match milepost::extract(path, &cfg, &milepost::Limits::default()) {
            Ok(x) => {
                let doc = milepost::report::DocInfo { file: x.file.clone(), title_lines: x.title_lines.clone(), ..Default::default() };
                let pp = milepost::report::plan::identify(&doc, &milepost::report::PlanFile::default());
                let mut themes: Vec<String> = x.records.iter().filter_map(|r| r.theme.clone()).collect();
                themes.dedup();
                println!("{}\t{}\t{}\t{}", x.file, pp.title, pp.period.label(), themes.join(" | "));
            }
            Err(e) => println!("{f}\terror\t{}", e.kind()),
        }
    }
}
