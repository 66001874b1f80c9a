//! Star bands and star-mark gates: the one place that decides a rank.
//!
//! # Our reading of the star marks
//!
//! Phụ lục II prints `***`, `****` or `*****` after some options, with the
//! footnote "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao". The
//! decision does not say how the marks combine with the bands, so this is our
//! reading (see `../shared/reference/26-2026/framework.md` §9), coded here and
//! nowhere else:
//!
//! 1. A mark N★ on a criterion binds every rank of N★ **or higher**: a product
//!    ranked N★ or more must score at least the marked option's points on that
//!    criterion. Where the same criterion has a 4★ and a 5★ mark, a 5★ product
//!    must meet both (the 5★ mark asks more).
//! 2. Ranks 1★ and 2★ carry no printed marks (the minima of 781/2020 may bind 2★).
//! 3. Final rank = the highest rank not above the band rank whose binding marks
//!    are all met.
//!
//! To change the reading, change [`binds`] and [`final_stars`].

use rust_decimal::Decimal;

/// The name of the reading above, recorded in every assessment.
pub const GATE_READING: &str = "mark-binds-its-rank-and-above";

/// How a mark is read on a council's sheets, recorded in every council assessment.
///
/// The rank follows the mean total ("tổng điểm trung bình", Điều 3.3), so a mark
/// is read on the same mean: it is met when the **mean points of that criterion**
/// over the members' sheets reach the marked option's points. The alternatives
/// (every member must meet it; a majority must) are not printed anywhere either;
/// to adopt one, change [`council_mark_met`].
pub const COUNCIL_GATE_READING: &str = "mean-points-of-the-criterion-reach-the-mark";

/// Whether a council meets a mark: the mean of the members' points on the
/// criterion (`sum / members`) reaches `required`, compared exactly.
///
/// ```
/// use rust_decimal::Decimal;
/// // Three members give 2, 2 and 1 points (mean 1.67) on a mark asking 2.
/// assert!(!ocop::rank::council_mark_met(Decimal::from(5), 3, Decimal::from(2)));
/// assert!(ocop::rank::council_mark_met(Decimal::from(6), 3, Decimal::from(2)));
/// ```
pub fn council_mark_met(sum: Decimal, members: u32, required: Decimal) -> bool {
    sum >= required * Decimal::from(members)
}

/// Whether a mark printed for `mark_stars` constrains a product of `rank`.
pub fn binds(mark_stars: u8, rank: u8) -> bool {
    rank >= mark_stars
}

/// The final rank: the band rank lowered until every binding mark is met.
///
/// `unmet` lists the ranks of the marks the product misses.
///
/// ```
/// // Band 5★, a 4★ mark missed: 3★.
/// assert_eq!(ocop::rank::final_stars(5, &[4]), 3);
/// // Band 5★, only a 5★ mark missed: 4★.
/// assert_eq!(ocop::rank::final_stars(5, &[5]), 4);
/// // A 3★ mark missed leaves 2★, which has no printed marks.
/// assert_eq!(ocop::rank::final_stars(4, &[3]), 2);
/// // A 2★ minimum (781/2020) missed leaves 1★.
/// assert_eq!(ocop::rank::final_stars(3, &[2]), 1);
/// assert_eq!(ocop::rank::final_stars(2, &[3, 4]), 2);
/// ```
pub fn final_stars(band_stars: u8, unmet: &[u8]) -> u8 {
    let mut rank = band_stars;
    while rank > 1 && unmet.iter().any(|&mark| binds(mark, rank)) {
        rank -= 1;
    }
    rank
}

/// Whether `actual` points meet a mark asking `required`.
pub fn mark_met(actual: Decimal, required: Decimal) -> bool {
    actual >= required
}
