//! Boxes and points in page space: points (1/72 inch), origin at the top-left of the page, y down.
//!
//! Any stage may use these. Not here: anything that knows about PDFs or tables.

use serde::{Deserialize, Serialize};

/// An axis-aligned box on a page, in points, origin top-left (`y0` is the top edge).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct BBox {
    /// Left edge.
    pub x0: f32,
    /// Top edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge.
    pub y1: f32,
}

impl BBox {
    /// A box from its edges, normalised so that `x0 <= x1` and `y0 <= y1`.
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        BBox { x0: x0.min(x1), y0: y0.min(y1), x1: x0.max(x1), y1: y0.max(y1) }
    }
    /// Width in points.
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    /// Height in points.
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    /// The smallest box holding both.
    pub fn union(&self, o: &BBox) -> BBox {
        BBox { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }
    /// Whether the point lies inside, with `tol_pt` of slack.
    pub fn contains_point(&self, x: f32, y: f32, tol_pt: f32) -> bool {
        x >= self.x0 - tol_pt && x <= self.x1 + tol_pt && y >= self.y0 - tol_pt && y <= self.y1 + tol_pt
    }
    /// Length of the overlap of the two boxes' x ranges (0 when apart).
    pub fn x_overlap(&self, o: &BBox) -> f32 {
        (self.x1.min(o.x1) - self.x0.max(o.x0)).max(0.0)
    }
    /// Length of the overlap of the two boxes' y ranges (0 when apart).
    pub fn y_overlap(&self, o: &BBox) -> f32 {
        (self.y1.min(o.y1) - self.y0.max(o.y0)).max(0.0)
    }
    /// Whether the boxes overlap by more than `tol_pt` in both directions.
    pub fn intersects(&self, o: &BBox, tol_pt: f32) -> bool {
        self.x0 < o.x1 - tol_pt && o.x0 < self.x1 - tol_pt && self.y0 < o.y1 - tol_pt && o.y0 < self.y1 - tol_pt
    }
    /// The box rounded to 0.1 pt, as `[x0, y0, x1, y1]` for records.
    pub fn rounded(&self) -> [f32; 4] {
        let r = |v: f32| (v * 10.0).round() / 10.0;
        [r(self.x0), r(self.y0), r(self.x1), r(self.y1)]
    }
}

/// An RGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Colour {
    /// Black.
    pub const BLACK: Colour = Colour { r: 0, g: 0, b: 0 };
    /// White.
    pub const WHITE: Colour = Colour { r: 255, g: 255, b: 255 };

    /// `#RRGGBB`, upper case, as records carry it.
    pub fn hex(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
    /// Parses `#RRGGBB` (the `#` optional); None if malformed.
    pub fn from_hex(s: &str) -> Option<Colour> {
        let s = s.trim().trim_start_matches('#');
        if s.len() != 6 || !s.is_ascii() {
            return None;
        }
        let c = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
        Some(Colour { r: c(0)?, g: c(2)?, b: c(4)? })
    }
    /// Whether the colour is white or nearly so (a background, not shading).
    pub fn is_near_white(&self) -> bool {
        self.r >= 245 && self.g >= 245 && self.b >= 245
    }
    /// Whether the colour is a grey (all channels within a few steps of each other).
    pub fn is_grey(&self) -> bool {
        let mx = self.r.max(self.g).max(self.b);
        let mn = self.r.min(self.g).min(self.b);
        mx - mn <= 12
    }
    /// Relative lightness, 0 (black) to 1 (white), as the eye weighs the channels (Rec. 601).
    pub fn luma(&self) -> f32 {
        (0.299 * f32::from(self.r) + 0.587 * f32::from(self.g) + 0.114 * f32::from(self.b)) / 255.0
    }
    /// Squared distance in RGB space.
    pub fn distance2(&self, o: &Colour) -> u32 {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).unsigned_abs();
        d(self.r, o.r).pow(2) + d(self.g, o.g).pow(2) + d(self.b, o.b).pow(2)
    }
}

impl Serialize for Colour {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Colour::from_hex(&s).ok_or_else(|| serde::de::Error::custom(format!("not a colour: {s}")))
    }
}
