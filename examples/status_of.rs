//! Reads status wordings, one a line, from standard input and prints how milepost reads each:
//! `listed` (a wording of templates/status.toml), `cue` (from its cue words) or `none`, with
//! the value. For measuring the cues against a list of wordings someone else wrote:
//! `cargo run --release --example status_of < wordings.txt`
use std::io::BufRead;

fn main() {
    let cfg = milepost::config::Config::load(std::path::Path::new("templates")).unwrap_or_else(|_| milepost::config::Config::builtin());
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let text = line.trim();
        let (how, value) = match (cfg.status_of_words(text), cfg.status_by_cues(text)) {
            (Some(v), _) => ("listed", v.key()),
            (None, Some(v)) => ("cue", v.key()),
            (None, None) => ("none", "unknown"),
        };
        println!("{how}\t{value}\t{text}");
    }
}
