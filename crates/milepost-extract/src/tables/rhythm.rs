//! The rhythm of lines: the pitch of a column's wrapped lines, told from the gaps between
//! lines, which row gaps (cell padding) widen. Rows are found where the rhythm breaks
//! (`subrows`, `borderless`).

/// The line pitch of wrapped text from the sorted gaps between a band's lines, column by
/// column: the smallest gap that recurs ([`PITCH_REPEATS`] gaps within [`PITCH_SPREAD`] of it).
/// A quantile is not enough: where most cells hold one line, most gaps are row gaps (a column
/// of one-line milestones beside a column of two-line outcomes), and a pitch read from them
/// would make the outcomes' row gaps look like wrapped lines.
///
/// `size` is the band's usual font size. With few gaps nothing recurs for sure, and where most
/// cells hold one line most gaps are row gaps: the pitch is then the usual gap among those that
/// wrapped lines of that size can be ([`LEADING_MAX`]), or, where there is none (every cell one
/// line), single spacing ([`LEADING_SINGLE`]).
pub(crate) fn line_pitch(sorted: &[f32], size: f32) -> f32 {
    if sorted.len() < PITCH_MIN_GAPS {
        let quartile = sorted[sorted.len() / 4];
        if size <= 0.0 {
            return quartile;
        }
        let wrapped: Vec<f32> = sorted.iter().copied().filter(|g| (LEADING_MIN * size..=LEADING_MAX * size).contains(g)).collect();
        let leading = wrapped.get(wrapped.len() / 2).copied().unwrap_or(LEADING_SINGLE * size);
        return quartile.min(leading);
    }
    let recurs = |i: usize, g: f32, times: usize| sorted[i..].iter().take_while(|h| **h <= g * (1.0 + PITCH_SPREAD)).count() >= times;
    // Gaps that only wrapped lines of this size can be, seen twice: the pitch, however many
    // more row gaps the band has (a Calc band of one-line actions, a few leads wrapped).
    if size > 0.0 {
        let wrapped = |g: f32| (LEADING_MIN * size..=LEADING_MAX * size).contains(&g);
        if let Some((_, g)) = sorted.iter().enumerate().filter(|(_, g)| wrapped(**g)).find(|(i, g)| recurs(*i, **g, 2)) {
            return *g;
        }
    }
    sorted.iter().enumerate().find(|(i, g)| recurs(*i, **g, PITCH_REPEATS)).map(|(_, g)| *g).unwrap_or(sorted[sorted.len() / 4])
}

/// Gaps within this share of each other are one pitch (rounding of baselines).
const PITCH_SPREAD: f32 = 0.08;

/// A pitch is a gap that occurs at least this often in the band.
const PITCH_REPEATS: usize = 3;

/// Below this many gaps the lower quartile stands.
const PITCH_MIN_GAPS: usize = 12;

/// Wrapped lines of one cell are at most this many font sizes apart: single spacing is 1.15-1.25
/// (Word, Writer, Chromium, ReportLab: 1.22 on the synth set); row gaps add cell padding
/// (1.6-2.5 sizes). A table set in 1.5 spacing (about 1.7) has wrapped lines further apart, read
/// by the quartile where the band has many gaps.
pub(crate) const LEADING_MAX: f32 = 1.35;

/// Lines of one cell are at least this many font sizes apart (closer: two runs of one line,
/// a superscript, split by a rounding of baselines).
pub(crate) const LEADING_MIN: f32 = 0.9;

/// Single spacing, in font sizes: the pitch of a band whose cells all hold one line.
pub(crate) const LEADING_SINGLE: f32 = 1.2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pitch_is_the_gap_that_recurs_not_the_row_gaps() {
        // A band of one-line milestones (row gaps of 20 pt) beside two-line outcomes (wrapped
        // at 12 pt): most gaps are row gaps, and the pitch is still 12.
        let mut gaps = vec![20.0; 14];
        gaps.extend([12.0, 12.1, 12.0]);
        gaps.sort_by(f32::total_cmp);
        assert_eq!(line_pitch(&gaps, 10.0), 12.0);
    }

    #[test]
    fn with_few_gaps_the_pitch_is_one_wrapped_lines_can_be() {
        // Four gaps at 10 pt: two wrapped lines (12) and two row gaps (20, 22).
        assert_eq!(line_pitch(&[12.0, 12.0, 20.0, 22.0], 10.0), 12.0);
        // Every cell one line: single spacing.
        assert_eq!(line_pitch(&[20.0, 21.0, 22.0], 10.0), 12.0);
    }
}
