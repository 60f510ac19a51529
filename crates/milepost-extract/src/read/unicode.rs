//! Text for glyphs whose font carries no ToUnicode map (CID TrueType `Identity-H`, as older
//! OpenOffice and some Word exports write, or symbolic TrueType subsets): the embedded font's own
//! tables say which character each glyph draws, as poppler reads them.
//!
//! In: the font's bytes (TrueType / OpenType, or bare CFF) and a glyph id. Out: the text, from
//! (in order) the font's Unicode `cmap` turned round, its symbol `cmap` (codes U+F020–U+F0FF
//! stand for the byte below them), its Mac Roman `cmap`, and glyph names (`post` table or CFF
//! charset, as the Adobe Glyph List names them). Each font is mapped once per page reader.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// Reverse maps, one per font (by hayro's cache key).
#[derive(Default)]
pub struct FontText {
    fonts: HashMap<u128, Option<Rc<HashMap<u16, String>>>>,
}

impl FontText {
    /// The text glyph `gid` of the font `data` (keyed `key`) draws, if its tables say.
    pub fn lookup(&mut self, key: u128, data: &[u8], gid: u32) -> Option<String> {
        let map = self.fonts.entry(key).or_insert_with(|| reverse_map(data).map(Rc::new));
        let gid = u16::try_from(gid).ok()?;
        map.as_ref()?.get(&gid).cloned()
    }
}

fn reverse_map(data: &[u8]) -> Option<HashMap<u16, String>> {
    let mut m: HashMap<u16, String> = HashMap::default();
    if let Ok(face) = ttf_parser::Face::parse(data, 0) {
        if let Some(cmap) = face.tables().cmap {
            // Unicode subtables first, then symbol, then Mac Roman: earlier entries win.
            for pass in 0..3 {
                for st in cmap.subtables {
                    let (pid, eid) = (st.platform_id, st.encoding_id);
                    let wanted = match pass {
                        0 => st.is_unicode(),
                        1 => pid == ttf_parser::PlatformId::Windows && eid == 0,
                        _ => pid == ttf_parser::PlatformId::Macintosh && eid == 0,
                    };
                    if !wanted {
                        continue;
                    }
                    st.codepoints(|cp| {
                        let Some(g) = st.glyph_index(cp) else { return };
                        let c = match pass {
                            0 => char::from_u32(cp),
                            1 => (0xF020..=0xF0FF).contains(&cp).then(|| char::from_u32(cp - 0xF000)).flatten(),
                            _ => (0x20..0x7F).contains(&cp).then(|| char::from_u32(cp)).flatten(),
                        };
                        if let Some(c) = c.filter(|c| !c.is_control()) {
                            m.entry(g.0).or_insert_with(|| c.to_string());
                        }
                    });
                }
            }
        }
        if m.is_empty() {
            for gid in 0..face.number_of_glyphs() {
                if let Some(t) = face.glyph_name(ttf_parser::GlyphId(gid)).and_then(name_to_text) {
                    m.insert(gid, t);
                }
            }
        }
    } else if let Some(cff) = ttf_parser::cff::Table::parse(data) {
        for gid in 0..cff.number_of_glyphs() {
            if let Some(t) = cff.glyph_name(ttf_parser::GlyphId(gid)).and_then(name_to_text) {
                m.insert(gid, t);
            }
        }
    }
    (!m.is_empty()).then_some(m)
}

/// The common Adobe Glyph List names beyond single letters and `uniXXXX`.
const NAMES: &[(&str, &str)] = &[
    ("space", " "),
    ("exclam", "!"),
    ("quotedbl", "\""),
    ("numbersign", "#"),
    ("dollar", "$"),
    ("percent", "%"),
    ("ampersand", "&"),
    ("quotesingle", "'"),
    ("quoteright", "\u{2019}"),
    ("quoteleft", "\u{2018}"),
    ("parenleft", "("),
    ("parenright", ")"),
    ("asterisk", "*"),
    ("plus", "+"),
    ("comma", ","),
    ("hyphen", "-"),
    ("period", "."),
    ("slash", "/"),
    ("zero", "0"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("colon", ":"),
    ("semicolon", ";"),
    ("less", "<"),
    ("equal", "="),
    ("greater", ">"),
    ("question", "?"),
    ("at", "@"),
    ("bracketleft", "["),
    ("backslash", "\\"),
    ("bracketright", "]"),
    ("underscore", "_"),
    ("braceleft", "{"),
    ("bar", "|"),
    ("braceright", "}"),
    ("endash", "\u{2013}"),
    ("emdash", "\u{2014}"),
    ("quotedblleft", "\u{201C}"),
    ("quotedblright", "\u{201D}"),
    ("bullet", "\u{2022}"),
    ("sterling", "£"),
    ("Euro", "€"),
    ("ellipsis", "\u{2026}"),
    ("fi", "fi"),
    ("fl", "fl"),
    ("ff", "ff"),
    ("ffi", "ffi"),
    ("ffl", "ffl"),
    ("eacute", "é"),
    ("degree", "°"),
    ("nbspace", " "),
    ("uni00A0", " "),
];

/// A glyph name's text: `a`, `uni2019`, `u1F600`, `f_i`, `comma`, `one.alt`.
fn name_to_text(name: &str) -> Option<String> {
    let base = name.split('.').next()?;
    let mut out = String::new();
    for part in base.split('_') {
        if part.len() == 1 && part.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push_str(part);
        } else if let Some((_, t)) = NAMES.iter().find(|(n, _)| *n == part) {
            out.push_str(t);
        } else if let Some(hex) = part.strip_prefix("uni").filter(|h| h.len() % 4 == 0 && !h.is_empty()) {
            for i in (0..hex.len()).step_by(4) {
                out.push(char::from_u32(u32::from_str_radix(hex.get(i..i + 4)?, 16).ok()?)?);
            }
        } else if let Some(hex) = part.strip_prefix('u').filter(|h| (4..=6).contains(&h.len())) {
            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
        } else {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::name_to_text;

    #[test]
    fn glyph_names_become_text() {
        assert_eq!(name_to_text("a").as_deref(), Some("a"));
        assert_eq!(name_to_text("uni2019").as_deref(), Some("\u{2019}"));
        assert_eq!(name_to_text("f_i").as_deref(), Some("fi"));
        assert_eq!(name_to_text("one.alt").as_deref(), Some("1"));
        assert_eq!(name_to_text("g123"), None);
    }
}
