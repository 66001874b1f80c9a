//! Council evaluations: every member of the council fills a sheet, and the rank
//! follows the mean of their totals ("tổng điểm trung bình", 26/2026 Điều 3.3;
//! the same words in 1048/2019).
//!
//! The means are exact: they are kept as `Decimal` quotients for display, and
//! every decision (band edges, marks) compares the exact sums instead, so a mean
//! of 69.666… is never rounded up to 70. How a mark is read on a council is
//! [`rank::council_mark_met`](crate::rank::council_mark_met).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::{Assessment, Options, UnmetMark};
use crate::dossier::{Dossier, MAX_MEMBERS};
use crate::error::{Error, echo};
use crate::rank;
use crate::rubric::{Criterion, Edition};

/// What a council assessment adds to the figures: the members' own
/// assessments and the spread check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Council {
    /// How many members scored.
    pub size: u32,
    /// The spread check, when the options turn it on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread: Option<Spread>,
    /// Every member's assessment, in the dossier's order.
    pub members: Vec<Assessment>,
}

/// The spread check: how far apart the members' totals are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Spread {
    /// The limit applied (points).
    pub limit: Decimal,
    /// Highest total minus lowest total.
    pub difference: Decimal,
    /// Whether the difference exceeds the limit: the council must re-score.
    pub tripped: bool,
    /// The members with the highest total.
    pub highest: Vec<MemberTotal>,
    /// The members with the lowest total.
    pub lowest: Vec<MemberTotal>,
}

/// A member and their total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberTotal {
    /// The member's name.
    pub member: String,
    /// Their total.
    pub total: Decimal,
}

/// Scores a council dossier: each member's sheet, then the exact means.
pub(crate) fn assess(
    edition: &Edition,
    dossier: &Dossier,
    options: Options,
) -> Result<Assessment, Error> {
    let sheet = edition.sheet(&dossier.sheet)?;
    if dossier.members.len() > MAX_MEMBERS {
        return Err(Error::Council {
            problem: format!(
                "the council has {} members; at most {MAX_MEMBERS} are accepted",
                dossier.members.len()
            ),
        });
    }
    let mut members = Vec::with_capacity(dossier.members.len());
    for (index, member) in dossier.members.iter().enumerate() {
        if dossier
            .members
            .iter()
            .take(index)
            .any(|m| m.member == member.member)
        {
            return Err(Error::Council {
                problem: format!(
                    "member `{}` appears twice: names must be unique",
                    echo(&member.member)
                ),
            });
        }
        if let Some(other) = member
            .sheet
            .as_deref()
            .filter(|other| *other != sheet.key())
        {
            return Err(Error::Council {
                problem: format!(
                    "member `{}` filled sheet `{}`, but the council scores sheet `{}`",
                    echo(&member.member),
                    echo(other),
                    sheet.key()
                ),
            });
        }
        let own = Dossier {
            sheet: dossier.sheet.clone(),
            answers: member.answers.clone(),
            disqualified: dossier.disqualified.clone(),
            ..Dossier::default()
        };
        let mut assessment =
            edition
                .assess_sheet(&own, options)
                .map_err(|error| Error::InMember {
                    member: member.member.clone(),
                    error: Box::new(error),
                })?;
        assessment.member = Some(member.member.clone());
        members.push(assessment);
    }
    let Some(first) = members.first() else {
        return Err(Error::Council {
            problem: "the council has no members: give at least one member's sheet".to_string(),
        });
    };
    let count = u32::try_from(members.len()).unwrap_or(u32::MAX);
    let divisor = Decimal::from(count);
    let mean = |sum: Decimal| sum.checked_div(divisor).unwrap_or(sum).normalize();

    // Start from the first member's figures and replace every number by the mean.
    let mut council = first.clone();
    council.member = None;
    council.id = dossier.id.clone();
    council.product = dossier.product.clone();
    let sum_total: Decimal = members.iter().map(|m| m.total).sum();
    council.total = mean(sum_total);
    for (index, part) in council.parts.iter_mut().enumerate() {
        part.points = mean(
            members
                .iter()
                .filter_map(|m| m.parts.get(index))
                .map(|p| p.points)
                .sum(),
        );
    }
    for (index, section) in council.sections.iter_mut().enumerate() {
        section.points = mean(
            members
                .iter()
                .filter_map(|m| m.sections.get(index))
                .map(|s| s.points)
                .sum(),
        );
    }
    let mut criterion_sums = Vec::with_capacity(council.criteria.len());
    for (index, line) in council.criteria.iter_mut().enumerate() {
        let sum: Decimal = members
            .iter()
            .filter_map(|m| m.criteria.get(index))
            .map(|c| c.points)
            .sum();
        criterion_sums.push((line.id.clone(), sum));
        line.points = mean(sum);
        // Members chose differently: the council line has a mean, not an option.
        line.option = None;
        line.option_text = None;
        line.min_stars = None;
    }

    council.band_stars = edition.band_stars_of_sum(sum_total, count, options);
    let mut unmet = Vec::new();
    for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
        let sum = criterion_sums
            .iter()
            .find(|(id, _)| id == criterion.id())
            .map_or(Decimal::ZERO, |(_, sum)| *sum);
        unmet_on_mean(edition, criterion, sum, count, &mut unmet);
    }
    unmet.retain(|mark: &UnmetMark| rank::binds(mark.min_stars, council.band_stars));
    let (stars, disqualified) = edition.final_rank(sheet, council.band_stars, &unmet, dossier);
    council.stars = stars;
    council.disqualified = disqualified;
    council.unmet_marks = unmet;
    (council.certificate, council.certificate_text) = edition.certificate_of(stars);
    council.policies = edition.policies(options, true);

    let mut warnings: Vec<String> = Vec::new();
    for member in &mut members {
        for warning in member.warnings.drain(..) {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    }
    let spread = options.spread_limit.map(|limit| spread(&members, limit));
    if let Some(spread) = spread.as_ref().filter(|s| s.tripped) {
        let names = |list: &[MemberTotal]| {
            list.iter()
                .map(|m| format!("{} ({})", m.member, m.total))
                .collect::<Vec<_>>()
                .join(", ")
        };
        warnings.push(format!(
            "members' totals differ by {} points, more than the limit of {}: the council should re-score (highest: {}; lowest: {})",
            spread.difference,
            spread.limit,
            names(&spread.highest),
            names(&spread.lowest)
        ));
    }
    council.warnings = warnings;
    council.council = Some(Council {
        size: count,
        spread,
        members,
    });
    Ok(council)
}

/// The marks of a criterion the council's mean misses.
fn unmet_on_mean(
    edition: &Edition,
    criterion: &Criterion,
    sum: Decimal,
    count: u32,
    unmet: &mut Vec<UnmetMark>,
) {
    let mean = sum
        .checked_div(Decimal::from(count))
        .unwrap_or(sum)
        .normalize();
    for mark in criterion.marks() {
        if !rank::council_mark_met(sum, count, mark.points) {
            unmet.push(UnmetMark::new(criterion, mark, mean, edition.gates()));
        }
    }
}

fn spread(members: &[Assessment], limit: Decimal) -> Spread {
    let highest_total = members.iter().map(|m| m.total).max().unwrap_or_default();
    let lowest_total = members.iter().map(|m| m.total).min().unwrap_or_default();
    let at = |total: Decimal| -> Vec<MemberTotal> {
        members
            .iter()
            .filter(|m| m.total == total)
            .map(|m| MemberTotal {
                member: m.member.clone().unwrap_or_default(),
                total,
            })
            .collect()
    };
    let difference = highest_total - lowest_total;
    Spread {
        limit,
        difference,
        tripped: difference > limit,
        highest: at(highest_total),
        lowest: at(lowest_total),
    }
}
