//! The one scoring kernel: every path (assess, councils, batch, verify, advise,
//! impact, reports) scores a sheet here and nowhere else.
//!
//! Each compiled sheet carries a [`Kernel`]: its leaf criteria in printed order
//! with their option points in fixed-point units of 10⁻⁴ points (rubric files
//! allow at most four decimals and ±10⁶ points, so every sum is exact in `i64`),
//! and every criterion, section and part as a contiguous range of leaves. A
//! dossier's answers arrive as one [`Pick`] per leaf; scoring adds the points of
//! the picks, and [`rank`] decides the band, the marks and the final rank from
//! the sums. A council is the same computation on the members' summed points
//! with a member count. The [`Assessment`](crate::Assessment) is a view built
//! from the sheet and a [`Scored`], never a second computation.

use rust_decimal::Decimal;

use crate::rank;
use crate::rubric::{Band, Sheet};

/// Fixed-point scale of the kernel's units: points = units / 10^SCALE.
pub(crate) const SCALE: u32 = 4;
/// One point in units.
pub(crate) const UNIT: i64 = 10_000;

/// A leaf's answer: the option number (0: none applies) or, for a cumulative
/// criterion, the ticked boxes as a bit set (bit `n - 1` for box `n`).
pub(crate) type Pick = u64;

/// A slot no answer has filled yet.
pub(crate) const UNANSWERED: Pick = u64::MAX;

/// Points in units as a normalised decimal.
pub(crate) fn decimal(units: i64) -> Decimal {
    Decimal::new(units, SCALE).normalize()
}

/// A decimal as units; `None` if it does not fit (validation bounds points, so
/// only a value outside a rubric can fail).
pub(crate) fn units(points: Decimal) -> Option<i64> {
    let scaled = points.checked_mul(Decimal::from(UNIT))?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(scaled).ok()
}

/// An edition's bands as the kernel decides them: edges in units. `None` only
/// if an edge does not fit the units, which validation rules out.
pub(crate) fn edges(bands: &[Band]) -> Option<Vec<rank::Edge>> {
    bands
        .iter()
        .map(|band| {
            Some(rank::Edge {
                from: units(band.from())?,
                to: units(band.to())?,
                to_inclusive: band.to_inclusive(),
                stars: band.stars(),
            })
        })
        .collect()
}

/// Option numbers as a bit set (bit `n - 1` for option `n`).
fn mask(options: &[u16]) -> u64 {
    options
        .iter()
        .filter(|&&n| (1..=64).contains(&n))
        .fold(0, |set, &n| set | 1 << (n - 1))
}

/// A contiguous range of leaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

#[derive(Debug, Clone, Copy)]
struct Leaf {
    first: u32,
    count: u16,
    cumulative: bool,
}

/// A star mark (or a gate) as the kernel checks it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MarkRule {
    /// The leaf it is on.
    pub(crate) leaf: u32,
    /// The rank it binds, and every rank above.
    pub(crate) stars: u8,
    /// Points required, in units.
    pub(crate) required: i64,
    /// Index of the mark in its criterion's [`marks`](crate::Criterion::marks).
    pub(crate) mark: u16,
}

/// A knock-out or stop rule as the kernel checks it.
#[derive(Debug, Clone)]
pub(crate) struct RuleCheck {
    /// The leaf the rule is printed on.
    pub(crate) leaf: u32,
    /// Index of the rule in its criterion's [`rules`](crate::Criterion::rules).
    pub(crate) rule: u16,
    pub(crate) trigger: Trigger,
}

/// What fires a rule, in kernel terms.
#[derive(Debug, Clone)]
pub(crate) enum Trigger {
    /// 0 points (as the council reads them: every member's) on any of these leaves.
    Zero(Vec<u32>),
    /// The rule's leaf answered with one of these options (bit `n - 1`), by
    /// every member.
    Options(u64),
    /// A finding the dossier declares.
    Finding,
}

/// "Chỉ áp dụng khi …": `leaf` counts only when `decider`'s answer is not in `unless`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Applies {
    pub(crate) leaf: u32,
    pub(crate) decider: u32,
    pub(crate) unless: u64,
}

/// A sheet laid out for scoring: built once when the edition is compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Kernel {
    leaves: Vec<Leaf>,
    points: Vec<i64>,
    /// The case of every option (0: none; else 1 + the case's index in `case_ids`).
    cases: Vec<u8>,
    case_ids: Vec<Box<str>>,
    /// Options of the sheet's case criteria must come from one case.
    exclusive_cases: bool,
    pub(crate) rules: Vec<RuleCheck>,
    pub(crate) applies: Vec<Applies>,
    /// Leaf ids, sorted, with their leaf index.
    lookup: Vec<(Box<str>, u32)>,
    /// Every criterion in [`Sheet::criteria`] order, as its range of leaves.
    pub(crate) nodes: Vec<Span>,
    /// Every criterion's citation, in [`Kernel::nodes`] order (built once, not per assessment).
    pub(crate) cites: Vec<Box<str>>,
    pub(crate) sections: Vec<Span>,
    pub(crate) parts: Vec<Span>,
    pub(crate) marks: Vec<MarkRule>,
    bands: Vec<rank::Edge>,
    /// The sheet's `parts`, `sections` and `criteria` lines as JSON
    /// fragments, rendered on first use (see [`crate::assessment_json`]).
    pub(crate) fragments: crate::assessment_json::Cache,
}

/// An answer the kernel cannot score: leaf index and the pick given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPick {
    pub(crate) leaf: usize,
    pub(crate) pick: Pick,
}

/// Why a filled sheet cannot be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// An option or box out of range.
    Pick(BadPick),
    /// `leaf` is answered above 0 though `decider`'s answer makes it inapplicable.
    Inapplicable { leaf: usize, decider: usize },
    /// Options of two cases on a sheet whose cases are exclusive.
    MixedCases { first: usize, leaf: usize },
}

impl From<BadPick> for Fault {
    fn from(bad: BadPick) -> Self {
        Fault::Pick(bad)
    }
}

/// The result of scoring: points per leaf (summed over a council's members),
/// their prefix sums, the total, the ranks and the unmet marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scored {
    pub(crate) leaf_points: Vec<i64>,
    prefix: Vec<i64>,
    /// Sheets added up: 1, or a council's member count.
    pub(crate) members: u32,
    pub(crate) total: i64,
    pub(crate) band_stars: u8,
    pub(crate) stars: u8,
    /// Indices into [`Kernel::marks`] of the marks binding at the band rank
    /// that are missed, in mark order.
    pub(crate) unmet: Vec<u32>,
    /// Per mark: how many sheets meet it on their own (for a council's reading).
    mark_hits: Vec<u32>,
    /// Per rule: how many sheets' answers fire it (option rules).
    rule_hits: Vec<u32>,
    /// Leaves left unanswered (scored 0).
    pub(crate) unanswered: Vec<u32>,
    /// Leaves that do not apply (their decider's answer), on any sheet.
    pub(crate) inapplicable: Vec<u32>,
    /// The first rule (index into [`Kernel::rules`]) that fired, in printed order.
    pub(crate) fired: Option<u32>,
    /// The leaf whose answer fired it (for a rule fired by 0 points on one of
    /// several criteria, that criterion; else the rule's own).
    pub(crate) fired_by: u32,
    /// Option rules fired by some sheets of a council but not all.
    pub(crate) split: Vec<u32>,
}

impl Scored {
    /// Points (summed over members) of a range of leaves.
    pub(crate) fn span(&self, span: Span) -> i64 {
        let at = |i: u32| self.prefix.get(i as usize).copied().unwrap_or(0);
        at(span.end) - at(span.start)
    }

    /// The mean over members of a sum in units, as a decimal.
    pub(crate) fn mean(&self, sum: i64) -> Decimal {
        let value = Decimal::new(sum, SCALE);
        if self.members <= 1 {
            return value.normalize();
        }
        value
            .checked_div(Decimal::from(self.members))
            .unwrap_or(value)
            .normalize()
    }
}

impl Kernel {
    /// Lays out a compiled sheet (its marks and gates attached) and its
    /// edition's bands. `None` only if a value does not fit the units, which
    /// validation rules out.
    pub(crate) fn build(sheet: &Sheet, bands: &[Band]) -> Option<Kernel> {
        let mut kernel = Kernel::default();
        for part in sheet.parts() {
            let part_start = kernel.leaves.len() as u32;
            for section in part.sections() {
                let section_start = kernel.leaves.len() as u32;
                for criterion in section.criteria() {
                    kernel.criterion(criterion, sheet.cite())?;
                }
                kernel.sections.push(Span {
                    start: section_start,
                    end: kernel.leaves.len() as u32,
                });
            }
            kernel.parts.push(Span {
                start: part_start,
                end: kernel.leaves.len() as u32,
            });
        }
        kernel.lookup.sort();
        kernel.exclusive_cases = sheet.exclusive_cases().is_some();
        kernel.rules_of(sheet)?;
        kernel.bands = edges(bands)?;
        Some(kernel)
    }

    fn criterion(&mut self, criterion: &crate::Criterion, cite: &str) -> Option<()> {
        let node = self.nodes.len();
        let start = self.leaves.len() as u32;
        self.nodes.push(Span { start, end: start });
        self.cites
            .push(format!("{cite}, tiêu chí {}", criterion.id()).into_boxed_str());
        if criterion.is_leaf() {
            let leaf = u32::try_from(self.leaves.len()).ok()?;
            self.lookup.push((criterion.id().into(), leaf));
            self.leaves.push(Leaf {
                first: u32::try_from(self.points.len()).ok()?,
                count: u16::try_from(criterion.options().len()).ok()?,
                cumulative: criterion.is_cumulative(),
            });
            for option in criterion.options() {
                self.points.push(units(option.points())?);
                let case = match option.case() {
                    None => 0,
                    Some(id) => match self.case_ids.iter().position(|c| **c == *id) {
                        Some(at) => u8::try_from(at + 1).ok()?,
                        None => {
                            self.case_ids.push(id.into());
                            u8::try_from(self.case_ids.len()).ok()?
                        }
                    },
                };
                self.cases.push(case);
            }
            for (index, mark) in criterion.marks().iter().enumerate() {
                self.marks.push(MarkRule {
                    leaf,
                    stars: mark.stars(),
                    required: units(mark.points())?,
                    mark: u16::try_from(index).ok()?,
                });
            }
        } else {
            for child in criterion.children() {
                self.criterion(child, cite)?;
            }
        }
        if let Some(span) = self.nodes.get_mut(node) {
            span.end = self.leaves.len() as u32;
        }
        Some(())
    }

    /// The knock-out, stop and applicability rules, resolved to leaves.
    fn rules_of(&mut self, sheet: &Sheet) -> Option<()> {
        let leaves: Vec<&crate::Criterion> = sheet.criteria().filter(|c| c.is_leaf()).collect();
        let leaf_of = |id: &str| {
            let mut cursor = 0;
            self.leaf_index_near(id, &mut cursor)
                .and_then(|leaf| u32::try_from(leaf).ok())
        };
        let mut rules = Vec::new();
        let mut applies = Vec::new();
        for (leaf, criterion) in leaves.iter().enumerate() {
            let leaf = u32::try_from(leaf).ok()?;
            for (index, rule) in criterion.rules().iter().enumerate() {
                let rule_index = u16::try_from(index).ok()?;
                let trigger = match (rule.kind(), rule.fires()) {
                    (crate::rubric::RuleKind::AppliesWhen, _) => {
                        let decider = leaf_of(rule.criterion()?)?;
                        applies.push(Applies {
                            leaf,
                            decider,
                            unless: mask(rule.unless_options()),
                        });
                        continue;
                    }
                    (_, Some(crate::rubric::Fires::Zero)) => Trigger::Zero(
                        rule.on()
                            .iter()
                            .map(|id| leaf_of(id))
                            .collect::<Option<Vec<_>>>()?,
                    ),
                    (_, Some(crate::rubric::Fires::Options)) => {
                        Trigger::Options(mask(rule.options()))
                    }
                    (_, Some(crate::rubric::Fires::Finding)) => Trigger::Finding,
                    (_, None) => return None,
                };
                rules.push(RuleCheck {
                    leaf,
                    rule: rule_index,
                    trigger,
                });
            }
        }
        self.rules = rules;
        self.applies = applies;
        Some(())
    }

    /// The finding rules (indices into [`Kernel::rules`]) printed on a leaf.
    pub(crate) fn finding_rules(&self, leaf: usize) -> impl Iterator<Item = usize> + '_ {
        self.rules
            .iter()
            .enumerate()
            .filter(move |(_, rule)| {
                rule.leaf as usize == leaf && matches!(rule.trigger, Trigger::Finding)
            })
            .map(|(index, _)| index)
    }

    /// How many leaves a dossier answers.
    pub(crate) fn leaves(&self) -> usize {
        self.leaves.len()
    }

    /// The leaf index of a criterion id, if it is a leaf. Ids usually arrive
    /// sorted, so the id after the previous one is tried first; `cursor`
    /// carries the position from one call to the next.
    pub(crate) fn leaf_index_near(&self, id: &str, cursor: &mut usize) -> Option<usize> {
        let at = match self.lookup.get(*cursor) {
            Some((key, _)) if **key == *id => *cursor,
            _ => self
                .lookup
                .binary_search_by(|(key, _)| (**key).cmp(id))
                .ok()?,
        };
        *cursor = at + 1;
        self.lookup.get(at).map(|(_, leaf)| *leaf as usize)
    }

    /// The number of options (or boxes) of leaf `leaf`, and whether it is cumulative.
    pub(crate) fn shape(&self, leaf: usize) -> Option<(u16, bool)> {
        self.leaves
            .get(leaf)
            .map(|leaf| (leaf.count, leaf.cumulative))
    }

    /// Points of one leaf's pick, in units.
    fn points_of(&self, leaf: usize, pick: Pick) -> Result<i64, BadPick> {
        let bad = BadPick { leaf, pick };
        let shape = self.leaves.get(leaf).ok_or(bad)?;
        if pick == UNANSWERED {
            return Ok(0);
        }
        let options = self
            .points
            .get(shape.first as usize..shape.first as usize + usize::from(shape.count))
            .ok_or(bad)?;
        if shape.cumulative {
            if shape.count < 64 && pick >> shape.count != 0 {
                return Err(bad);
            }
            let mut sum = 0_i64;
            for (bit, points) in options.iter().enumerate() {
                if pick & (1_u64 << bit) != 0 {
                    sum += points;
                }
            }
            Ok(sum)
        } else if pick == 0 {
            Ok(0)
        } else {
            let index = usize::try_from(pick - 1).map_err(|_| bad)?;
            options.get(index).copied().ok_or(bad)
        }
    }

    /// Starts a score: no sheets added yet.
    pub(crate) fn start(&self, out: &mut Scored) {
        out.leaf_points.clear();
        out.leaf_points.resize(self.leaves.len(), 0);
        out.members = 0;
        out.mark_hits.clear();
        out.mark_hits.resize(self.marks.len(), 0);
        out.rule_hits.clear();
        out.rule_hits.resize(self.rules.len(), 0);
        out.unanswered.clear();
        out.inapplicable.clear();
        out.fired = None;
        out.split.clear();
    }

    /// The case of a pick (0: none), or `Err` with the two cases' leaves mixed.
    fn case_of(&self, leaf: usize, pick: Pick) -> u8 {
        let Some(shape) = self.leaves.get(leaf) else {
            return 0;
        };
        if pick == UNANSWERED || pick == 0 || shape.cumulative {
            return 0;
        }
        let index = shape.first as usize + (pick as usize).saturating_sub(1);
        self.cases.get(index).copied().unwrap_or(0)
    }

    /// Adds one filled sheet (one pick per leaf, in leaf order).
    pub(crate) fn add(&self, picks: &[Pick], out: &mut Scored) -> Result<(), Fault> {
        if picks.len() != self.leaves.len() {
            return Err(Fault::Pick(BadPick {
                leaf: picks.len().min(self.leaves.len()),
                pick: UNANSWERED,
            }));
        }
        let mut case: Option<(usize, u8)> = None;
        for (leaf, (&pick, slot)) in picks.iter().zip(out.leaf_points.iter_mut()).enumerate() {
            *slot += self.points_of(leaf, pick)?;
            if pick == UNANSWERED && !out.unanswered.contains(&(leaf as u32)) {
                out.unanswered.push(leaf as u32);
            }
            if self.exclusive_cases {
                let this = self.case_of(leaf, pick);
                match case {
                    Some((first, seen)) if this != 0 && this != seen => {
                        return Err(Fault::MixedCases { first, leaf });
                    }
                    None if this != 0 => case = Some((leaf, this)),
                    _ => {}
                }
            }
        }
        for rule in &self.applies {
            let decider = picks
                .get(rule.decider as usize)
                .copied()
                .unwrap_or(UNANSWERED);
            // Answered 0 ("no option applies") rules it out as the listed options do.
            let inapplicable = decider == 0
                || (decider != UNANSWERED
                    && decider <= 64
                    && rule.unless & (1 << (decider - 1)) != 0);
            if !inapplicable {
                continue;
            }
            let leaf = rule.leaf as usize;
            let pick = picks.get(leaf).copied().unwrap_or(UNANSWERED);
            if self.points_of(leaf, pick)? > 0 {
                return Err(Fault::Inapplicable {
                    leaf,
                    decider: rule.decider as usize,
                });
            }
            if !out.inapplicable.contains(&rule.leaf) {
                out.inapplicable.push(rule.leaf);
            }
        }
        for (hits, mark) in out.mark_hits.iter_mut().zip(&self.marks) {
            let pick = picks.get(mark.leaf as usize).copied().unwrap_or(UNANSWERED);
            if self.points_of(mark.leaf as usize, pick)? >= mark.required {
                *hits += 1;
            }
        }
        for (hits, rule) in out.rule_hits.iter_mut().zip(&self.rules) {
            if let Trigger::Options(set) = rule.trigger {
                let pick = picks.get(rule.leaf as usize).copied().unwrap_or(UNANSWERED);
                if pick != UNANSWERED && pick != 0 && pick <= 64 && set & (1 << (pick - 1)) != 0 {
                    *hits += 1;
                }
            }
        }
        out.members += 1;
        Ok(())
    }

    /// Totals, band, marks, rules and final rank of the sheets added (see
    /// [`rank`]); `findings` are the finding rules (indices into
    /// [`Kernel::rules`]) the dossier declares.
    pub(crate) fn decide(&self, out: &mut Scored, rules: rank::Rules, findings: &[usize]) {
        out.prefix.clear();
        out.prefix.reserve(out.leaf_points.len() + 1);
        let mut sum = 0_i64;
        out.prefix.push(0);
        for points in &out.leaf_points {
            sum += points;
            out.prefix.push(sum);
        }
        out.total = sum;
        let members = out.members.max(1);
        out.band_stars = rank::band_stars(&self.bands, sum, members, rules);
        out.unmet.clear();
        for (index, mark) in self.marks.iter().enumerate() {
            let points = out
                .leaf_points
                .get(mark.leaf as usize)
                .copied()
                .unwrap_or(0);
            let hits = out.mark_hits.get(index).copied().unwrap_or(0);
            if rank::binds(mark.stars, out.band_stars)
                && !rank::mark_met(rules.mark_reading, points, hits, members, mark.required)
            {
                out.unmet.push(index as u32);
            }
        }
        out.fired = None;
        out.split.clear();
        for (index, rule) in self.rules.iter().enumerate() {
            let mut by = rule.leaf;
            let fires = match &rule.trigger {
                Trigger::Zero(on) => match on.iter().find(|&&leaf| {
                    !out.unanswered.contains(&leaf)
                        && out.leaf_points.get(leaf as usize).copied().unwrap_or(0) == 0
                }) {
                    Some(&leaf) => {
                        by = leaf;
                        true
                    }
                    None => false,
                },
                Trigger::Options(_) => {
                    let hits = out.rule_hits.get(index).copied().unwrap_or(0);
                    if hits > 0 && hits < members {
                        out.split.push(index as u32);
                    }
                    hits >= members
                }
                Trigger::Finding => findings.contains(&index),
            };
            if fires && out.fired.is_none() {
                out.fired = Some(index as u32);
                out.fired_by = by;
            }
        }
        let missed = out
            .unmet
            .iter()
            .filter_map(|&index| self.marks.get(index as usize))
            .map(|mark| mark.stars);
        out.stars = rank::final_stars(
            out.band_stars,
            missed,
            rules.disqualified || out.fired.is_some(),
        );
    }

    /// Scores one filled sheet.
    pub(crate) fn score(
        &self,
        picks: &[Pick],
        rules: rank::Rules,
        findings: &[usize],
        out: &mut Scored,
    ) -> Result<(), Fault> {
        self.start(out);
        self.add(picks, out)?;
        self.decide(out, rules, findings);
        Ok(())
    }
}
