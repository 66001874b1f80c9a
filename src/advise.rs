//! "What it takes to reach the next star": the cheapest changes to a scored
//! dossier that lift it one rank.
//!
//! For a dossier at rank R < 5★ the target is R + 1. Two kinds of change:
//!
//! 1. **Marks.** Every star mark (or gate) binding the target rank that the
//!    product misses must be met: the criterion moves to the lowest-scoring
//!    option that reaches the mark.
//! 2. **Band.** If the total (after those changes) is still below the target
//!    band, the fewest further criteria are upgraded, then the fewest points
//!    gained, to reach the band's lower edge.
//!
//! Ties are broken deterministically: among equally cheap plans, criteria
//! earlier in the sheet are kept and later ones changed, and a criterion moves
//! to the lowest option number giving the needed points. The plan is re-scored
//! before it is returned, and `reaches` is the rank it actually gives.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::assess::{Assessment, Options};
use crate::dossier::Dossier;
use crate::error::Error;
use crate::rubric::{Criterion, Edition};

/// Points are compared in integer units of 10^-SCALE (two decimals at most).
const SCALE: u32 = 2;

/// The cheapest plan to reach the next rank.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Advice {
    /// Edition id.
    pub edition: String,
    /// Sheet key.
    pub sheet: String,
    /// Total now.
    pub total: Decimal,
    /// Rank now (after gates).
    pub stars: crate::Stars,
    /// The rank aimed at; absent at 5★ or when disqualified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<crate::Stars>,
    /// The rank the plan gives when applied and re-scored.
    pub reaches: crate::Stars,
    /// The total after the plan.
    pub new_total: Decimal,
    /// How many criteria the plan changes.
    pub criteria_changed: usize,
    /// Points the plan gains.
    pub points_gained: Decimal,
    /// The changes, in printed order.
    pub steps: Vec<Step>,
    /// Why no plan is given, when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One criterion to raise.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Step {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// The option chosen now (0: none applies).
    pub from_option: u16,
    /// The option to reach.
    pub to_option: u16,
    /// Its text.
    pub to_text: String,
    /// Points gained.
    pub gained: Decimal,
    /// Why the step is taken.
    pub reason: StepReason,
}

/// Why advice raises a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum StepReason {
    /// A star mark of the target rank must be met.
    Mark,
    /// Points to reach the target band.
    Band,
    /// Another criterion, whose star mark binds the target, applies only with
    /// this answer ("Chỉ áp dụng khi …").
    Applies,
}

impl std::fmt::Display for StepReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StepReason::Mark => "mark",
            StepReason::Band => "band",
            StepReason::Applies => "applies",
        })
    }
}

/// Advises on a dossier scored on its edition (one sheet; not a council).
///
/// ```
/// let text = std::fs::read_to_string("examples/dossier.json").unwrap();
/// let dossier = ocop::Dossier::from_json(&text)?;
/// let advice = ocop::advise::advise(&dossier)?;
/// assert_eq!(advice.stars, 3);
/// assert_eq!(advice.target.map(ocop::Stars::get), Some(4));
/// assert!(advice.reaches >= 4);
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn advise(dossier: &Dossier) -> Result<Advice, Error> {
    let assessment = crate::assess(dossier)?;
    let edition = crate::edition(&assessment.edition)?;
    advise_on(edition, dossier, &assessment, Options::default())
}

/// Advises on a dossier already scored on `edition` with `options`.
pub fn advise_on(
    edition: &Edition,
    dossier: &Dossier,
    assessment: &Assessment,
    options: Options,
) -> Result<Advice, Error> {
    let mut advice = Advice {
        edition: assessment.edition.clone(),
        sheet: assessment.sheet.clone(),
        total: assessment.total,
        stars: assessment.stars,
        target: None,
        reaches: assessment.stars,
        new_total: assessment.total,
        criteria_changed: 0,
        points_gained: Decimal::ZERO,
        steps: Vec::new(),
        note: None,
    };
    if !dossier.members().is_empty() {
        return Err(Error::InvalidField {
            field: "members".to_string(),
            value: "(a council dossier)".to_string(),
            expected: "one filled sheet: advice is given per sheet (advise on a member's sheet)"
                .to_string(),
        });
    }
    if let Some(why) = &assessment.disqualified {
        advice.note = Some(match &why.criterion {
            Some(criterion) => format!(
                "the dossier has no rank: the rule of criterion {criterion} ({}) {}; no rank can be reached by raising options",
                why.rule.as_deref().unwrap_or(""),
                match why.kind {
                    crate::assess::DisqualificationKind::Stop => "ended the evaluation",
                    _ => "rejected it",
                }
            ),
            None => "the dossier is disqualified: no rank can be reached".to_string(),
        });
        return Ok(advice);
    }
    if assessment.stars >= 5 {
        advice.note = Some("already 5★, the highest rank".to_string());
        return Ok(advice);
    }
    let target = assessment.stars.get() + 1;
    advice.target = crate::Stars::new(target);
    let sheet = edition.sheet(&dossier.sheet)?;
    let Some(edge) = edition.band_of(target).map(|band| band.from()) else {
        advice.note = Some(format!("the edition has no {target}★ band"));
        return Ok(advice);
    };

    // Per leaf: current points, the floor its target-rank marks impose, and its options.
    // Cumulative criteria (ticked boxes) are left as they are: advice changes
    // one option per criterion.
    let leaves: Vec<&Criterion> = sheet
        .criteria()
        .filter(|c| c.is_leaf() && !c.is_cumulative())
        .collect();
    let answer_of = |id: &str| match dossier.answers().and_then(|a| a.get(id)) {
        Some(crate::dossier::Answer::Option(option)) => *option,
        _ => 0,
    };
    // The case the answers hold on a sheet whose cases are exclusive (else the first).
    let held: Option<&str> = sheet.exclusive_cases().and_then(|_| {
        leaves
            .iter()
            .find_map(|c| c.option(answer_of(c.id())).and_then(|o| o.case()))
            .or_else(|| {
                leaves
                    .iter()
                    .find_map(|c| c.cases().first().map(|k| k.id()))
            })
    });
    let in_case = |o: &&crate::Choice| held.is_none() || o.case().is_none() || o.case() == held;
    // A criterion that does not apply but whose star mark binds the target rank
    // must be made to apply: its decider moves to its cheapest option that allows it.
    let mut unlock: Vec<(&str, u16)> = Vec::new();
    let mut unlocked: Vec<&str> = Vec::new();
    for skipped in &assessment.not_applicable {
        let (Some(criterion), Some(decider)) = (
            sheet.criterion(&skipped.criterion),
            sheet.criterion(&skipped.because),
        ) else {
            continue;
        };
        let marked = criterion
            .marks()
            .iter()
            .any(|mark| crate::rank::binds(mark.stars(), target) && mark.points() > Decimal::ZERO);
        let Some(rule) = criterion
            .rules()
            .iter()
            .find(|r| r.criterion() == Some(decider.id()))
        else {
            continue;
        };
        let opening = decider
            .options()
            .iter()
            .filter(in_case)
            .filter(|o| !rule.unless_options().contains(&o.number()))
            .min_by_key(|o| (o.points(), o.number()));
        if let (true, Some(opening)) = (marked, opening) {
            unlock.push((decider.id(), opening.number()));
            unlocked.push(criterion.id());
        }
    }
    let mut plan: Vec<Plan> = Vec::with_capacity(leaves.len());
    for criterion in &leaves {
        let option = answer_of(criterion.id());
        let applies = unlocked.contains(&criterion.id())
            || !assessment
                .not_applicable
                .iter()
                .any(|n| n.criterion == criterion.id());
        let allowed: Vec<u16> = criterion
            .options()
            .iter()
            .filter(|o| applies && in_case(o))
            .map(|o| o.number())
            .collect();
        let now = criterion
            .option(option)
            .map_or(Decimal::ZERO, |c| c.points());
        let floor = criterion
            .marks()
            .iter()
            .filter(|mark| crate::rank::binds(mark.stars(), target))
            .map(|mark| mark.points())
            .max();
        let mut step = Plan {
            criterion,
            allowed,
            option,
            now,
            base: now,
            forced: None,
            why: StepReason::Mark,
        };
        if let Some(floor) = floor.filter(|floor| now < *floor) {
            // The lowest-scoring option reaching the mark (lowest number on ties).
            let reach = criterion
                .options()
                .iter()
                .filter(|c| c.points() >= floor && step.allowed.contains(&c.number()))
                .min_by_key(|c| (c.points(), c.number()));
            if let Some(reach) = reach {
                step.forced = Some(reach.number());
                step.base = reach.points();
            }
        }
        for &(_, opening) in unlock.iter().filter(|(id, _)| *id == criterion.id()) {
            let points = criterion
                .option(opening)
                .map_or(Decimal::ZERO, |o| o.points());
            if step.forced.is_none() || points > step.base {
                step.forced = Some(opening);
                step.base = points;
                step.why = StepReason::Applies;
            }
        }
        plan.push(step);
    }
    let base_total: Decimal =
        assessment.total + plan.iter().map(|p| p.base - p.now).sum::<Decimal>();
    let deficit = units(edge - base_total).max(0);
    let upgrades = cheapest_upgrades(&plan, deficit);
    let Some(upgrades) = upgrades else {
        advice.note = Some(format!(
            "{target}★ cannot be reached on this sheet: even the best option everywhere falls short"
        ));
        return Ok(advice);
    };

    let mut improved = dossier.clone();
    for (step, upgrade) in plan.iter().zip(&upgrades) {
        let to = upgrade.or(step.forced);
        let Some(to) = to else { continue };
        let Some(choice) = step.criterion.option(to) else {
            continue;
        };
        if let crate::dossier::Filled::Answers(answers) = &mut improved.filled {
            answers.insert(
                step.criterion.id().to_string(),
                crate::dossier::Answer::Option(to),
            );
        }
        advice.steps.push(Step {
            criterion: step.criterion.id().to_string(),
            title: step.criterion.title().to_string(),
            from_option: step.option,
            to_option: to,
            to_text: choice.text().to_string(),
            gained: choice.points() - step.now,
            reason: if step.forced.is_some() {
                step.why
            } else {
                StepReason::Band
            },
        });
    }
    let rescored = edition.assess_with(&improved, options)?;
    advice.reaches = rescored.stars;
    advice.new_total = rescored.total;
    advice.criteria_changed = advice.steps.len();
    advice.points_gained = advice.steps.iter().map(|s| s.gained).sum();
    Ok(advice)
}

struct Plan<'a> {
    criterion: &'a Criterion,
    /// The options advice may move to: a criterion that does not apply gets
    /// none, and on a sheet whose cases are exclusive only the held case's.
    allowed: Vec<u16>,
    option: u16,
    now: Decimal,
    /// Points after the forced change, if any.
    base: Decimal,
    forced: Option<u16>,
    /// Why `forced` is set.
    why: StepReason,
}

/// Points in integer units.
fn units(points: Decimal) -> i64 {
    let scaled = points * Decimal::from(10_i64.pow(SCALE));
    i64::try_from(scaled.ceil()).unwrap_or(i64::MAX)
}

/// For each criterion, the option to move to beyond its forced change (None:
/// keep), gaining at least `deficit` units with the fewest criteria changed
/// (forced ones are already changed), then the fewest units.
fn cheapest_upgrades(plan: &[Plan<'_>], deficit: i64) -> Option<Vec<Option<u16>>> {
    if deficit <= 0 {
        return Some(vec![None; plan.len()]);
    }
    // Per criterion, the possible upgrades: (gain in units, extra cost, option).
    let choices: Vec<Vec<(usize, u32, u16)>> = plan
        .iter()
        .map(|p| {
            let base = units(p.base);
            let cost = u32::from(p.forced.is_none());
            p.criterion
                .options()
                .iter()
                .filter(|c| p.allowed.contains(&c.number()))
                .filter_map(|c| {
                    let gain = units(c.points()) - base;
                    (gain > 0).then(|| {
                        (
                            usize::try_from(gain).unwrap_or(usize::MAX),
                            cost,
                            c.number(),
                        )
                    })
                })
                .collect()
        })
        .collect();
    let cap: usize = choices
        .iter()
        .map(|c| c.iter().map(|x| x.0).max().unwrap_or(0))
        .sum();
    let need = usize::try_from(deficit).unwrap_or(usize::MAX);
    if cap < need {
        return None;
    }
    // best[i][g]: the least cost for criteria i.. to gain exactly g.
    const NONE: u32 = u32::MAX;
    let n = plan.len();
    let mut best = vec![vec![NONE; cap + 1]; n + 1];
    if let Some(last) = best.get_mut(n).and_then(|row| row.get_mut(0)) {
        *last = 0;
    }
    for i in (0..n).rev() {
        for g in 0..=cap {
            let keep = best
                .get(i + 1)
                .and_then(|row| row.get(g))
                .copied()
                .unwrap_or(NONE);
            let mut cost = keep;
            for &(gain, extra, _) in choices.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if gain <= g {
                    let rest = best
                        .get(i + 1)
                        .and_then(|row| row.get(g - gain))
                        .copied()
                        .unwrap_or(NONE);
                    if rest != NONE {
                        cost = cost.min(rest + extra);
                    }
                }
            }
            if let Some(cell) = best.get_mut(i).and_then(|row| row.get_mut(g)) {
                *cell = cost;
            }
        }
    }
    // The cheapest exact gain at or above the deficit: fewest criteria, then fewest points.
    let first = best.first()?;
    let (mut g, _) = (need..=cap)
        .filter_map(|g| first.get(g).filter(|c| **c != NONE).map(|c| (g, *c)))
        .min_by_key(|(g, c)| (*c, *g))?;
    let mut picks = Vec::with_capacity(n);
    for i in 0..n {
        let target = best
            .get(i)
            .and_then(|row| row.get(g))
            .copied()
            .unwrap_or(NONE);
        let keep = best
            .get(i + 1)
            .and_then(|row| row.get(g))
            .copied()
            .unwrap_or(NONE);
        if keep == target {
            picks.push(None);
            continue;
        }
        let mut options: Vec<&(usize, u32, u16)> = choices
            .get(i)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        options.sort_by_key(|(_, _, number)| *number);
        let pick = options.into_iter().find(|(gain, extra, _)| {
            *gain <= g
                && best
                    .get(i + 1)
                    .and_then(|row| row.get(g - gain))
                    .copied()
                    .unwrap_or(NONE)
                    .checked_add(*extra)
                    == Some(target)
        });
        match pick {
            Some(&(gain, _, number)) => {
                picks.push(Some(number));
                g -= gain;
            }
            None => picks.push(None),
        }
    }
    Some(picks)
}
