//! Prints what the layout stage sees on one page of a PDF: each line (baseline, left, right,
//! size, bold/italic, text), the shaded boxes and the ruling lines. For working out why a table
//! was read the way it was. `cargo run --release --example layout_dump -- FILE PAGE`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(file), Some(page)) = (args.first(), args.get(1).and_then(|p| p.parse::<u32>().ok())) else {
        eprintln!("usage: layout_dump FILE PAGE");
        std::process::exit(2);
    };
    let pages = match milepost::read_tables(std::path::Path::new(file), &Some(vec![page]), &milepost::Limits::default()) {
        Ok(doc) => doc.pages,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::exit(1);
        }
    };
    for p in &pages {
        let l = &p.layout;
        println!("page {} ({} x {} pt)", l.page, l.width_pt, l.height_pt);
        for line in &l.lines {
            let w0 = &l.words[line.words[0]];
            println!(
                "line y={:.1} x={:.1}-{:.1} {:.1}pt{}{} {}",
                line.baseline,
                line.bbox.x0,
                line.bbox.x1,
                w0.size_pt,
                if w0.bold { " bold" } else { "" },
                if w0.italic { " italic" } else { "" },
                l.line_text(line)
            );
            if std::env::var_os("WORDS").is_some() {
                let ws: Vec<String> = line.words.iter().map(|i| &l.words[*i]).map(|w| format!("{}[{:.1}-{:.1}]", w.text, w.bbox.x0, w.bbox.x1)).collect();
                println!("  words {}", ws.join(" "));
            }
        }
        for s in &l.shades {
            println!("shade {:.1},{:.1}-{:.1},{:.1} {:?}", s.bbox.x0, s.bbox.y0, s.bbox.x1, s.bbox.y1, s.colour);
        }
        for r in &l.rulings {
            println!("ruling {} at {:.1} from {:.1} to {:.1}", if r.horizontal { "h" } else { "v" }, r.pos, r.from, r.to);
        }
    }
}
