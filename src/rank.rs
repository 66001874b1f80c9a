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
//! To change the reading, change [`binds`] and `final_stars`.

/// The name of the reading above, recorded in every assessment.
pub(crate) const GATE_READING: &str = "mark-binds-its-rank-and-above";

/// How a star mark is read on a council's sheets: a choice the decision leaves
/// to the council's Quy chế, recorded in every council assessment.
///
/// The rank follows the mean total ("tổng điểm trung bình", Điều 3.3), so by
/// default a mark is read on the same mean ([`MarkReading::Mean`]). A council
/// may instead require a majority of its members, or every member, to reach the
/// marked option on their own sheets. On one sheet the three agree.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MarkReading {
    /// The mean points of the criterion over the members reach the mark.
    #[default]
    #[serde(rename = "mean-points-of-the-criterion-reach-the-mark")]
    Mean,
    /// More than half of the members reach the mark on their own sheets.
    #[serde(rename = "a-majority-of-members-reach-the-mark")]
    Majority,
    /// Every member reaches the mark on their own sheet.
    #[serde(rename = "every-member-reaches-the-mark")]
    Every,
}

impl MarkReading {
    /// The name recorded in an assessment.
    pub fn name(self) -> &'static str {
        match self {
            MarkReading::Mean => "mean-points-of-the-criterion-reach-the-mark",
            MarkReading::Majority => "a-majority-of-members-reach-the-mark",
            MarkReading::Every => "every-member-reaches-the-mark",
        }
    }

    /// Reads a name given on the command line: `mean`, `majority`, `every`
    /// (or the full recorded name).
    pub fn parse(text: &str) -> Option<MarkReading> {
        [MarkReading::Mean, MarkReading::Majority, MarkReading::Every]
            .into_iter()
            .find(|reading| {
                reading.name() == text
                    || matches!(
                        (reading, text),
                        (MarkReading::Mean, "mean")
                            | (MarkReading::Majority, "majority")
                            | (MarkReading::Every, "every")
                    )
            })
    }
}

impl std::fmt::Display for MarkReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A band's edges in kernel units (10⁻⁴ points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub(crate) from: i64,
    pub(crate) to: i64,
    pub(crate) to_inclusive: bool,
    pub(crate) stars: u8,
}

/// The choices of one scoring that bear on the rank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Rules {
    /// Round the (mean) total half-up to a whole point before banding.
    pub(crate) round_half_up: bool,
    /// The council rejected the dossier: rank 0 whatever the points.
    pub(crate) disqualified: bool,
    /// How a mark is read on a council's sheets.
    pub(crate) mark_reading: MarkReading,
}

/// The band rank of `sum / members` (a mean of council sheets, or one sheet's
/// total), decided exactly on the sum: the mean is in a band when
/// `sum ≥ from × members` and below its upper edge likewise. 0 if outside
/// every band (validation makes the bands cover 0..=max).
pub(crate) fn band_stars(bands: &[Edge], sum: i64, members: u32, rules: Rules) -> u8 {
    let count = i128::from(members.max(1));
    let unit = i128::from(crate::kernel::UNIT);
    let (sum, count) = if rules.round_half_up {
        // Half-up to a whole point of the mean: floor((2·sum + count·unit) / (2·count·unit)).
        let whole = (2 * i128::from(sum) + count * unit).div_euclid(2 * count * unit);
        (whole * unit, 1)
    } else {
        (i128::from(sum), count)
    };
    bands
        .iter()
        .find(|band| {
            let (from, to) = (i128::from(band.from) * count, i128::from(band.to) * count);
            sum >= from && (sum < to || (band.to_inclusive && sum == to))
        })
        .map_or(0, |band| band.stars)
}

/// Whether `members` sheets meet a mark asking `required` (units), under a
/// reading: their points on the criterion add up to `sum`, and `hits` of them
/// reach the mark on their own. The mean is compared exactly. One sheet is a
/// council of one, on which the readings agree.
pub(crate) fn mark_met(
    reading: MarkReading,
    sum: i64,
    hits: u32,
    members: u32,
    required: i64,
) -> bool {
    let members = members.max(1);
    match reading {
        MarkReading::Mean => i128::from(sum) >= i128::from(required) * i128::from(members),
        MarkReading::Majority => u64::from(hits) * 2 > u64::from(members),
        MarkReading::Every => hits >= members,
    }
}

/// Whether a mark printed for `mark_stars` constrains a product of `rank`.
pub(crate) fn binds(mark_stars: u8, rank: u8) -> bool {
    rank >= mark_stars
}

/// The final rank: the band rank lowered until every binding mark is met; 0
/// when the dossier is disqualified. `missed` lists the ranks of the marks the
/// product misses.
pub(crate) fn final_stars(
    band_stars: u8,
    missed: impl Iterator<Item = u8> + Clone,
    disqualified: bool,
) -> u8 {
    if disqualified {
        return 0;
    }
    let mut rank = band_stars;
    while rank > 1 && missed.clone().any(|mark| binds(mark, rank)) {
        rank -= 1;
    }
    rank
}

/// A star rank as an assessment records it: 1 to 5 stars, or 0 for none
/// ([`Assessment::rank`](crate::Assessment::rank) says why there is none). It
/// is a plain number in JSON; reading a number above 5 is an error.
///
/// ```
/// use ocop::Stars;
/// let four = Stars::new(4).unwrap();
/// assert_eq!(four.get(), 4);
/// assert!(four > Stars::new(3).unwrap() && four.is_ranked());
/// assert!(!Stars::NONE.is_ranked() && Stars::new(6).is_none());
/// assert_eq!(serde_json::to_string(&four)?, "4");
/// assert!(serde_json::from_str::<Stars>("6").is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl schemars::JsonSchema for Stars {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stars".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "format": "uint8",
            "minimum": 0,
            "maximum": 5
        })
    }
}

impl Stars {
    /// No rank.
    pub const NONE: Stars = Stars(0);
    /// The highest rank.
    pub const MAX: Stars = Stars(5);

    /// The rank of `stars` stars (0 for none); `None` above 5.
    pub const fn new(stars: u8) -> Option<Stars> {
        if stars <= 5 { Some(Stars(stars)) } else { None }
    }

    /// The number of stars, 0 for none.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// Whether this is a rank (1★ or more).
    pub const fn is_ranked(self) -> bool {
        self.0 > 0
    }

    /// The kernel's rank, which the bands (1 to 5) and disqualification (0)
    /// bound; clamped so a rank is never above 5.
    pub(crate) const fn from_kernel(stars: u8) -> Stars {
        if stars <= 5 { Stars(stars) } else { Stars::MAX }
    }
}

impl TryFrom<u8> for Stars {
    type Error = String;

    fn try_from(stars: u8) -> Result<Stars, String> {
        Stars::new(stars).ok_or_else(|| format!("a star rank is 0 to 5, not {stars}"))
    }
}

impl From<Stars> for u8 {
    fn from(stars: Stars) -> u8 {
        stars.0
    }
}

impl PartialEq<u8> for Stars {
    fn eq(&self, other: &u8) -> bool {
        self.0 == *other
    }
}

impl PartialOrd<u8> for Stars {
    fn partial_cmp(&self, other: &u8) -> Option<std::cmp::Ordering> {
        Some(self.0.cmp(other))
    }
}

impl std::fmt::Display for Stars {
    /// The number, as in JSON and CSV: `3`, or `0` for no rank.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

/// What an assessment's rank means: `stars` is 0 both when the dossier is
/// disqualified and when no band holds its total, and a number for JSON; this
/// is the reading of the two together.
///
/// ```
/// let text = std::fs::read_to_string("examples/dossier.json").unwrap();
/// let mut dossier = ocop::Dossier::from_json(&text)?;
/// let assessment = ocop::assess(&dossier)?;
/// assert_eq!(assessment.rank(), ocop::Rank::Stars(assessment.stars));
///
/// dossier.disqualified = Some("hồ sơ giả mạo".to_string());
/// let rejected = ocop::assess(&dossier)?;
/// assert!(matches!(rejected.rank(), ocop::Rank::Disqualified(why) if why.reason.is_some()));
/// assert_eq!(rejected.stars, 0);
///
/// let mut edited = assessment.clone();
/// edited.stars = ocop::Stars::NONE;
/// assert_eq!(edited.rank(), ocop::Rank::Unranked);
/// # Ok::<(), ocop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Rank<'a> {
    /// Ranked 1★ to 5★ (after the star marks).
    Stars(Stars),
    /// Not ranked: the dossier was rejected, or its evaluation stopped.
    Disqualified(&'a crate::assess::Disqualification),
    /// Not ranked: no band holds the total. Compiled editions have a band
    /// from 0, so only an assessment built or edited by hand has this.
    Unranked,
}

impl crate::Assessment {
    /// The rank, with why there is none.
    pub fn rank(&self) -> Rank<'_> {
        match (&self.disqualified, self.stars.get()) {
            (Some(why), _) => Rank::Disqualified(why),
            (None, 0) => Rank::Unranked,
            (None, _) => Rank::Stars(self.stars),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stars(band: u8, missed: &[u8]) -> u8 {
        final_stars(band, missed.iter().copied(), false)
    }

    #[test]
    fn final_rank_follows_the_lowest_missed_mark() {
        // Band 5★, a 4★ mark missed: 3★.
        assert_eq!(stars(5, &[4]), 3);
        // Band 5★, only a 5★ mark missed: 4★.
        assert_eq!(stars(5, &[5]), 4);
        // A 3★ mark missed leaves 2★, which has no printed marks.
        assert_eq!(stars(4, &[3]), 2);
        // A 2★ minimum (781/2020) missed leaves 1★.
        assert_eq!(stars(3, &[2]), 1);
        assert_eq!(stars(2, &[3, 4]), 2);
        assert_eq!(final_stars(5, [].into_iter(), true), 0);
    }

    #[test]
    fn council_marks_and_bands_are_decided_on_exact_sums() {
        // Three members give 2, 2 and 1 points (mean 1.67) on a mark asking 2.
        let u = crate::kernel::UNIT;
        let mean = MarkReading::Mean;
        assert!(!mark_met(mean, 5 * u, 2, 3, 2 * u));
        assert!(mark_met(mean, 6 * u, 2, 3, 2 * u));
        // Two of three reach it: a majority, not every member.
        assert!(mark_met(MarkReading::Majority, 5 * u, 2, 3, 2 * u));
        assert!(!mark_met(MarkReading::Every, 5 * u, 2, 3, 2 * u));
        // One of two is not a majority.
        assert!(!mark_met(MarkReading::Majority, 4 * u, 1, 2, 2 * u));
        let bands = [
            Edge {
                from: 0,
                to: 70 * u,
                to_inclusive: false,
                stars: 3,
            },
            Edge {
                from: 70 * u,
                to: 100 * u,
                to_inclusive: true,
                stars: 4,
            },
        ];
        // 70, 69, 70: a mean of 69.67 is 3★; rounded half-up it is 70, 4★.
        let rules = Rules::default();
        assert_eq!(band_stars(&bands, 209 * u, 3, rules), 3);
        let rounded = Rules {
            round_half_up: true,
            ..rules
        };
        assert_eq!(band_stars(&bands, 209 * u, 3, rounded), 4);
        // 69.5 rounds half-up to 70.
        assert_eq!(band_stars(&bands, 695 * u / 10, 1, rounded), 4);
        assert_eq!(band_stars(&bands, 695 * u / 10, 1, rules), 3);
    }
}
