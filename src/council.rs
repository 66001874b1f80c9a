//! Council evaluations: every member of the council fills a sheet, and the rank
//! follows the mean of their totals ("tổng điểm trung bình", 26/2026 Điều 3.3;
//! the same words in 1048/2019).
//!
//! The means are exact: they are kept as `Decimal` quotients for display, and
//! every decision (band edges, marks) compares the exact sums instead, so a mean
//! of 69.666… is never rounded up to 70. How a mark is read on a council is
//! `rank::mark_met`, with the member count.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::{
    Assessment, Options, View, fault_error, fill_picks, finding_rules, score_picks,
};
use crate::dossier::{Dossier, Member, answers_in};
use crate::error::{Error, echo};
use crate::kernel::Scored;
use crate::rubric::{Edition, Sheet};

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

/// Scores a council dossier: each member's sheet on the kernel, then the
/// members' points added up leaf by leaf and decided as a mean (the kernel's
/// council of `n` sheets). Nothing is copied from one member's result.
pub(crate) fn assess(
    edition: &Edition,
    sheet: &Sheet,
    dossier: &Dossier,
    members: &[Member],
    options: Options,
) -> Result<Assessment, Error> {
    crate::dossier::check_member_count(members.len())?;
    let disqualified = dossier.disqualified.is_some();
    let findings = finding_rules(
        edition,
        sheet,
        dossier.findings.iter().map(|f| f.criterion.as_str()),
    )?;
    let mut view = View::new(edition, sheet, options);
    let kernel = sheet.kernel();
    let mut council = Scored::default();
    kernel.start(&mut council);
    let mut assessments = Vec::with_capacity(members.len());
    let mut warnings = view.sheet_warnings();
    let mut picks = Vec::new();
    let mut own = Scored::default();
    for (index, member) in members.iter().enumerate() {
        if members
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
        let in_member = |error: Error| Error::InMember {
            member: echo(&member.member),
            error: Box::new(error),
        };
        fill_picks(edition, sheet, answers_in(&member.answers), &mut picks).map_err(in_member)?;
        score_picks(
            edition,
            sheet,
            &picks,
            options,
            disqualified,
            &findings,
            &mut own,
        )
        .map_err(in_member)?;
        kernel
            .add(&picks, &mut council)
            .map_err(|fault| in_member(fault_error(edition, sheet, &picks, fault)))?;
        view.answer_warnings(&picks, &mut warnings);
        let own_dossier = Dossier {
            sheet: dossier.sheet.clone(),
            disqualified: dossier.disqualified.clone(),
            findings: dossier.findings.clone(),
            ..Dossier::default()
        };
        let mut assessment = view.sheet(&picks, &own, &own_dossier);
        assessment.member = Some(member.member.clone());
        assessments.push(assessment);
    }
    kernel.decide(&mut council, options.rules(disqualified), &findings);
    view.rule_warnings(&council, dossier, &mut warnings);
    let spread = options
        .spread_limit
        .map(|limit| spread(&assessments, limit));
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
    let mut assessment = view.build(None, &council, dossier, warnings, true);
    assessment.council = Some(Council {
        size: council.members,
        spread,
        members: assessments,
    });
    Ok(assessment)
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
