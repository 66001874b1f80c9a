//! Scoring: a pure function of an edition's sheet and a dossier.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dossier::{AnswerRef, Dossier, Level, Product, Registration};
use crate::error::{Error, echo};
use crate::kernel::{self, Fault, Pick, Scored, UNANSWERED};
use crate::rank::{self, MarkReading};
use crate::rubric::{
    Action, BandReading, CertificateKind, Criterion, Edition, NodeKind, Part, Section, Sheet,
};

/// The result of scoring one dossier: every figure, the rank and why.
///
/// Decimals serialise as JSON strings (`"72.5"`), never floats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Assessment {
    /// The crate version that produced it.
    pub engine: String,
    /// Edition id used.
    pub edition: String,
    /// SHA-256 of the edition's canonical data.
    pub edition_hash: String,
    /// How the edition was chosen.
    pub edition_choice: EditionChoice,
    /// Decision number of the edition.
    pub decision: String,
    /// Sheet key.
    pub sheet: String,
    /// Sheet number in the appendix.
    pub sheet_number: u16,
    /// Product set as printed.
    pub sheet_title: String,
    /// The dossier's `id`, passed through as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<crate::dossier::RawJson>,
    /// The product, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The council member who filled this sheet (in a council's member list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Total points; for a council, the exact mean of the members' totals.
    pub total: Decimal,
    /// Maximum total.
    pub max: Decimal,
    /// Rank from the bands alone.
    pub band_stars: crate::Stars,
    /// Final rank after star-mark gates; 0 when disqualified.
    pub stars: crate::Stars,
    /// Who certifies a product of the final rank.
    pub certificate: CertificateKind,
    /// The certificate rule as printed.
    pub certificate_text: String,
    /// Points per part.
    pub parts: Vec<PartScore>,
    /// Points per section.
    pub sections: Vec<SectionScore>,
    /// One line per criterion (parents and leaves) in printed order.
    pub criteria: Vec<CriterionScore>,
    /// Star marks binding at the band rank that the product misses.
    pub unmet_marks: Vec<UnmetMark>,
    /// Set when the dossier is rejected (by the council, or a knock-out rule)
    /// or its evaluation stopped (a stop rule): the rank is then 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disqualified: Option<Disqualification>,
    /// What the council's level does with the result, when the dossier gives
    /// its `level`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The round of evaluation the dossier's `proposed_on` places it in
    /// (26/2026 Điều 5), at its `level` (the province when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<RoundPlace>,
    /// Criteria that do not apply (another criterion's answer rules them out)
    /// and count 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<NotApplicable>,
    /// For a council: every member's assessment and the spread check. Parts,
    /// sections, criteria and the total above are then exact means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub council: Option<crate::council::Council>,
    /// The rules applied.
    pub policies: Policies,
    /// Things a reader should know: inferred options, corrected misprints chosen.
    pub warnings: Vec<String>,
    /// The dossier scored, as read: what `ocop verify` re-computes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<Dossier>,
}

/// How the edition was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "by", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum EditionChoice {
    /// The dossier named it.
    Explicit,
    /// In force on the evaluation date.
    Date {
        /// The evaluation date.
        #[schemars(with = "String")]
        evaluated_on: jiff::civil::Date,
    },
    /// A transition rule kept the dossier under an earlier edition.
    Transition {
        /// The evaluation date.
        #[schemars(with = "String")]
        evaluated_on: jiff::civil::Date,
        /// The filing date.
        #[schemars(with = "String")]
        filed_on: jiff::civil::Date,
        /// Where the rule is printed.
        cite: String,
    },
}

/// The rules an assessment applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Policies {
    /// How totals are placed in bands.
    pub band_policy: BandReading,
    /// Rounding of the total before banding.
    pub rounding: Rounding,
    /// How star marks gate the rank (the one reading: a mark binds its rank and above).
    pub gate_reading: String,
    /// For a council: how marks are read on the members' sheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub council_gate_reading: Option<MarkReading>,
    /// For a council: the spread check's limit, when it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_limit: Option<Decimal>,
}

/// Rounding of a total before it is placed in a band: a council's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// The total is banded as computed (the default).
    #[default]
    None,
    /// The total is rounded half-up to a whole point first.
    HalfUpToWholePoint,
}

impl std::fmt::Display for Rounding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Rounding::None => "none",
            Rounding::HalfUpToWholePoint => "half-up-to-whole-point",
        })
    }
}

/// What a council level does with a result, as the decision words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Outcome {
    /// The council's level.
    pub level: Level,
    /// `recognise`, `propose`, `return` or `none`.
    pub action: Action,
    /// Who acts.
    pub by: String,
    /// To whom a proposal or a return goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The rule as the decision words it.
    pub text: String,
    /// Where it is printed.
    pub cite: String,
}

/// The round a dossier belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RoundPlace {
    /// The level that evaluates the round.
    pub level: Level,
    /// The round's number as printed.
    pub number: u8,
    /// The year the round belongs to.
    pub year: i16,
    /// Dossiers proposed strictly before this day belong to it.
    #[schemars(with = "String")]
    pub proposed_before: jiff::civil::Date,
    /// The round is held before this day.
    #[schemars(with = "String")]
    pub evaluated_before: jiff::civil::Date,
    /// Where it is printed.
    pub cite: String,
}

/// A criterion that does not apply and counts 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotApplicable {
    /// The criterion.
    pub criterion: String,
    /// The criterion whose answer rules it out.
    pub because: String,
    /// The rule as printed.
    pub rule: String,
}

/// Points of one part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartScore {
    /// `A`, `B` or `C`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// Points scored.
    pub points: Decimal,
    /// Maximum.
    pub max: Decimal,
}

/// Points of one section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionScore {
    /// Section number.
    pub id: String,
    /// Its part.
    pub part: String,
    /// Title as printed.
    pub title: String,
    /// Points scored.
    pub points: Decimal,
    /// Maximum.
    pub max: Decimal,
    /// Scored directly: the section is its own single criterion (no
    /// sub-criteria printed), its line in `criteria` has the section's id.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct: bool,
}

/// The line of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionScore {
    /// Criterion id.
    pub id: String,
    /// Its section.
    pub section: String,
    /// Its parent criterion, for a sub-criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Title as printed.
    pub title: String,
    /// The option chosen; 0 when no option applies; absent on a parent, a
    /// cumulative criterion and a council's mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<u16>,
    /// For a cumulative criterion: the boxes ticked (their points add up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boxes: Option<Vec<u16>>,
    /// The chosen option's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_text: Option<String>,
    /// Points scored (a parent: the sum of its sub-criteria).
    pub points: Decimal,
    /// Maximum.
    pub max: Decimal,
    /// The star mark printed on the chosen option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_stars: Option<u8>,
    /// Where the criterion is printed: decision, appendix, sheet, criterion id.
    pub cite: String,
}

/// A star mark the product misses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnmetMark {
    /// Criterion id.
    pub criterion: String,
    /// The rank the mark is printed for: it blocks this rank and above.
    pub min_stars: u8,
    /// The marked option's number.
    pub option: u16,
    /// The marked option's text.
    pub option_text: String,
    /// Points the mark requires.
    pub required: Decimal,
    /// Points the product has.
    pub actual: Decimal,
    /// For a minimum set outside the sheet (781/2020): the requirement and where it is printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
}

/// Why a dossier has no rank: rejected by the council, rejected by a
/// criterion's knock-out rule, or its evaluation stopped by a stop rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Disqualification {
    /// `dossier` (the council rejected it: "Hồ sơ bị loại khi"), `knock-out`
    /// or `stop`.
    pub kind: DisqualificationKind,
    /// The criterion whose rule fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// The rule as printed (the sheet's "Hồ sơ bị loại khi" text for `dossier`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Where the rule is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
    /// The council's reason, or its finding's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The kind of a [`Disqualification`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DisqualificationKind {
    /// The council rejected the dossier ("Hồ sơ bị loại khi").
    Dossier,
    /// A criterion's knock-out rule rejected it ("Bị loại nếu …").
    KnockOut,
    /// A criterion's stop rule ended the evaluation ("không đánh giá các bước tiếp theo").
    Stop,
}

/// Scores a dossier on the embedded edition it names, or the one in force on
/// its evaluation date.
///
/// ```
/// let mut dossier = ocop::Dossier::new("hoa").edition("26-2026");
/// for id in ocop::edition("26-2026")?.sheet("hoa")?.leaf_ids() {
///     dossier = dossier.answer(id.as_str(), 1);
/// }
/// let assessment = ocop::assess(&dossier)?;
/// assert_eq!(assessment.sheet, "hoa");
/// assert!(assessment.stars <= assessment.band_stars);
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn assess(dossier: &Dossier) -> Result<Assessment, Error> {
    assess_with(dossier, Options::default())
}

/// [`assess`] with explicit [`Options`].
pub fn assess_with(dossier: &Dossier, options: Options) -> Result<Assessment, Error> {
    let chosen = choose_edition(
        dossier.edition.as_deref(),
        dossier.evaluated_on,
        dossier.filed_on,
        dossier.kind,
    )?;
    let mut assessment = chosen.edition.assess_with(dossier, options)?;
    assessment.edition_choice = chosen.choice;
    assessment.warnings.extend(chosen.warnings);
    Ok(assessment)
}

/// The edition a dossier is scored on, how it was chosen, and what a reader
/// should know about the dates.
pub(crate) struct Chosen {
    pub(crate) edition: &'static Edition,
    pub(crate) choice: EditionChoice,
    pub(crate) warnings: Vec<String>,
}

/// The edition a dossier is scored on: the one it names, or the one in force on
/// its evaluation date (with the transition rules of later decisions, which
/// depend on the kind of registration).
pub(crate) fn choose_edition(
    edition: Option<&str>,
    evaluated_on: Option<jiff::civil::Date>,
    filed_on: Option<jiff::civil::Date>,
    kind: Option<Registration>,
) -> Result<Chosen, Error> {
    match (edition, evaluated_on) {
        (Some(id), _) => {
            let edition = crate::edition(id)?;
            let mut warnings = Vec::new();
            if let Some(date) = evaluated_on {
                if let Ok(by_dates) = crate::edition::for_dossier_dates(date, filed_on, kind) {
                    if by_dates.edition.id() != edition.id() {
                        warnings.push(format!(
                            "the dossier names edition {}, but its dates (evaluated {date}{}) give edition {}: scored under {} as named",
                            edition.id(),
                            filed_on.map(|d| format!(", filed {d}")).unwrap_or_default(),
                            by_dates.edition.id(),
                            edition.id()
                        ));
                    }
                }
            }
            Ok(Chosen {
                edition,
                choice: EditionChoice::Explicit,
                warnings,
            })
        }
        (None, Some(date)) => {
            let by_dates = crate::edition::for_dossier_dates(date, filed_on, kind)?;
            let choice = match (by_dates.rule, filed_on) {
                (Some(rule), Some(filed_on)) => EditionChoice::Transition {
                    evaluated_on: date,
                    filed_on,
                    cite: rule.cite().to_string(),
                },
                _ => EditionChoice::Date { evaluated_on: date },
            };
            Ok(Chosen {
                edition: by_dates.edition,
                choice,
                warnings: by_dates.warnings,
            })
        }
        (None, None) => Err(Error::InvalidField {
            field: "edition".to_string(),
            value: "nothing (neither edition nor evaluated_on is given)".to_string(),
            expected: "an edition id such as \"26-2026\", or an evaluated_on date".to_string(),
        }),
    }
}

/// Choices a council or province makes that the decision leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Options {
    /// Round the total half-up to a whole point before placing it in a band
    /// (the alternative reading of bands printed as integer ranges).
    pub round_half_up: bool,
    /// The most the members' totals of a council may differ before the council
    /// must re-score (a provincial rule; the decision prints none). Off by default.
    pub spread_limit: Option<Decimal>,
    /// How a star mark is read on a council's sheets (the council's Quy chế).
    pub mark_reading: MarkReading,
}

impl Options {
    /// Rounds the total half-up to a whole point before banding.
    pub fn round_half_up(mut self, on: bool) -> Self {
        self.round_half_up = on;
        self
    }

    /// Turns the council spread check on with this limit (points).
    pub fn spread_limit(mut self, limit: Option<Decimal>) -> Self {
        self.spread_limit = limit;
        self
    }

    /// Reads star marks on a council's sheets this way.
    pub fn mark_reading(mut self, reading: MarkReading) -> Self {
        self.mark_reading = reading;
        self
    }

    pub(crate) fn rounding(&self) -> Rounding {
        if self.round_half_up {
            Rounding::HalfUpToWholePoint
        } else {
            Rounding::None
        }
    }

    pub(crate) fn rules(&self, disqualified: bool) -> rank::Rules {
        rank::Rules {
            round_half_up: self.round_half_up,
            disqualified,
            mark_reading: self.mark_reading,
        }
    }
}

impl Edition {
    /// The band rank of a total (before star-mark gates), under the options'
    /// rounding: 0 if outside every band.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use ocop::assess::Options;
    /// let edition = ocop::edition("1048-2019")?;
    /// let total = Decimal::new(695, 1); // 69.5, an average of council sheets
    /// // Printed "từ 50 đến 69 điểm": by default a band runs up to the next band's edge.
    /// assert_eq!(edition.band_stars(total, Options::default()), 3);
    /// // The alternative reading: round half-up to a whole point first.
    /// assert_eq!(edition.band_stars(total, Options::default().round_half_up(true)), 4);
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn band_stars(&self, total: Decimal, options: Options) -> u8 {
        match (kernel::edges(self.bands()), kernel::units(total)) {
            (Some(edges), Some(units)) => rank::band_stars(&edges, units, 1, options.rules(false)),
            _ => 0,
        }
    }

    /// Scores a dossier on this edition: the dossier must name this edition, or
    /// none (then its dates are not consulted).
    pub fn assess(&self, dossier: &Dossier) -> Result<Assessment, Error> {
        self.assess_with(dossier, Options::default())
    }

    /// Scores a dossier with explicit [`Options`]: one sheet, or a council's
    /// sheets averaged (see [`Council`](crate::Council)).
    pub fn assess_with(&self, dossier: &Dossier, options: Options) -> Result<Assessment, Error> {
        let mut assessment = self.assess_unrecorded(dossier, options)?;
        assessment.dossier = Some(dossier.clone());
        Ok(assessment)
    }

    /// [`Edition::assess_with`] on a dossier the caller gives up, for the
    /// batch's full lines: recorded in the assessment without a copy, scored
    /// in the caller's buffers. A single sheet's assessment comes without its
    /// `parts`, `sections` and `criteria` lines, and its sheet is returned
    /// with it: the caller writes them from `picks` and `scored`
    /// ([`crate::assessment_json`]). A council's assessment has its lines, and
    /// no sheet is returned.
    pub(crate) fn assess_owned_apart(
        &self,
        dossier: Dossier,
        options: Options,
        picks: &mut Vec<Pick>,
        scored: &mut Scored,
    ) -> Result<(Assessment, Option<&Sheet>), Error> {
        let (mut assessment, sheet) = self.assess_in(&dossier, options, picks, scored, false)?;
        assessment.dossier = Some(dossier);
        Ok((assessment, sheet))
    }

    fn assess_unrecorded(&self, dossier: &Dossier, options: Options) -> Result<Assessment, Error> {
        let (mut picks, mut scored) = (Vec::new(), Scored::default());
        let (assessment, _) = self.assess_in(dossier, options, &mut picks, &mut scored, true)?;
        Ok(assessment)
    }

    /// The assessment of a dossier, scored in `picks` and `scored`. Without
    /// `lines`, a single sheet's has no `parts`, `sections` or `criteria`
    /// lines and its sheet is returned (see [`Edition::assess_owned_apart`]).
    fn assess_in(
        &self,
        dossier: &Dossier,
        options: Options,
        picks: &mut Vec<Pick>,
        scored: &mut Scored,
        lines: bool,
    ) -> Result<(Assessment, Option<&Sheet>), Error> {
        if let Some(named) = dossier.edition.as_deref().filter(|id| *id != self.id()) {
            return Err(Error::EditionMismatch {
                edition: self.id().to_string(),
                named: echo(named),
            });
        }
        let sheet = self.sheet(&dossier.sheet)?;
        let (mut assessment, apart) = match &dossier.filled {
            crate::dossier::Filled::Answers(answers) => {
                let law = Law::of(dossier);
                score_sheet(
                    self,
                    sheet,
                    crate::dossier::answers_in(answers),
                    &law,
                    options,
                    picks,
                    scored,
                )?;
                let mut view = View::new(self, sheet, options);
                if !lines {
                    view = view.without_lines();
                }
                let apart = (!lines).then_some(sheet);
                (view.sheet(picks, scored, dossier), apart)
            }
            crate::dossier::Filled::Members(members) => (
                crate::council::assess(self, sheet, dossier, members, options)?,
                None,
            ),
        };
        if let Some(level) = dossier.level {
            assessment.outcome = Some(self.outcome(level, assessment.stars.get())?);
        }
        if let Some(code) = dossier.product.as_ref().and_then(|p| p.code.as_deref()) {
            assessment
                .warnings
                .extend(crate::forms::product_code_warning(self, code));
        }
        if let Some(proposed_on) = dossier.proposed_on {
            let level = dossier.level.unwrap_or(Level::Province);
            match self.round_for(level, proposed_on) {
                Ok(Some(round)) => {
                    assessment.round = Some(RoundPlace {
                        level: round.level,
                        number: round.number,
                        year: round.year,
                        proposed_before: round.proposed_before,
                        evaluated_before: round.evaluated_before,
                        cite: round.cite,
                    });
                }
                Ok(None) => assessment.warnings.push(format!(
                    "proposed on {proposed_on}: no {} round of edition {} takes it",
                    level.name(),
                    self.id()
                )),
                Err(error) => assessment
                    .warnings
                    .push(format!("proposed on {proposed_on}: {error}")),
            }
        }
        Ok((assessment, apart))
    }

    /// What a council of `level` does with a final rank (0: rejected or stopped).
    pub(crate) fn outcome(&self, level: Level, stars: u8) -> Result<Outcome, Error> {
        let rules = self.level(level).ok_or_else(|| Error::InvalidField {
            field: "level".to_string(),
            value: format!("\"{}\"", level.name()),
            expected: format!(
                "a council level of edition {}: {}",
                self.id(),
                if self.levels().is_empty() {
                    "it records none".to_string()
                } else {
                    self.levels()
                        .iter()
                        .map(|l| format!("\"{}\"", l.level().name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        })?;
        let rule = rules.outcome(stars).ok_or_else(|| Error::InvalidField {
            field: "level".to_string(),
            value: format!("\"{}\"", level.name()),
            expected: format!("a level whose outcomes cover rank {stars}"),
        })?;
        Ok(Outcome {
            level,
            action: rule.action(),
            by: rule.by().to_string(),
            to: rule.to().map(str::to_string),
            text: rule.text().to_string(),
            cite: rule.cite().to_string(),
        })
    }

    pub(crate) fn certificate_of(&self, stars: u8) -> (CertificateKind, String) {
        match self.band_of(stars) {
            Some(band) => (band.certificate(), band.certificate_text().to_string()),
            None => (
                CertificateKind::None,
                "Hồ sơ bị loại: không đánh giá, phân hạng".to_string(),
            ),
        }
    }

    pub(crate) fn policies(&self, options: Options, council: bool) -> Policies {
        Policies {
            band_policy: self.band_reading(),
            rounding: options.rounding(),
            gate_reading: rank::GATE_READING.to_string(),
            council_gate_reading: council.then_some(options.mark_reading),
            spread_limit: if council { options.spread_limit } else { None },
        }
    }
}

/// What a dossier says, beside its answers, that bears on the verdict: the
/// council's rejection, its findings (criterion ids) and its level.
pub(crate) struct Law<'a> {
    pub(crate) disqualified: bool,
    pub(crate) findings: Vec<&'a str>,
    pub(crate) level: Option<Level>,
}

impl<'a> Law<'a> {
    /// The law of an owned dossier.
    pub(crate) fn of(dossier: &'a Dossier) -> Self {
        Law {
            disqualified: dossier.disqualified.is_some(),
            findings: dossier
                .findings
                .iter()
                .map(|f| f.criterion.as_str())
                .collect(),
            level: dossier.level,
        }
    }

    /// The law of a dossier as read (checked by `DossierIn::check`).
    pub(crate) fn read(dossier: &'a crate::dossier::DossierIn<'_>) -> Self {
        Law {
            disqualified: dossier.disqualified.is_some(),
            findings: dossier
                .findings
                .iter()
                .flatten()
                .map(|f| f.criterion.as_ref())
                .collect(),
            level: dossier.level(),
        }
    }
}

/// Scores one filled sheet: the one sequence every single-sheet path runs
/// (score, batch in both forms, CSV, impact on both sides). The answers are
/// checked ([`fill_picks`]), the findings resolved ([`finding_rules`]), the
/// kernel scores ([`score_picks`]), and the level must be one of the edition's.
pub(crate) fn score_sheet<'a>(
    edition: &Edition,
    sheet: &Sheet,
    answers: impl Iterator<Item = (&'a str, AnswerRef<'a>)>,
    law: &Law<'_>,
    options: Options,
    picks: &mut Vec<Pick>,
    out: &mut Scored,
) -> Result<(), Error> {
    fill_picks(edition, sheet, answers, picks)?;
    let findings = finding_rules(edition, sheet, law.findings.iter().copied())?;
    score_picks(
        edition,
        sheet,
        picks,
        options,
        law.disqualified,
        &findings,
        out,
    )?;
    if let Some(level) = law.level {
        edition.outcome(level, out.stars)?;
    }
    Ok(())
}

/// Scores one sheet's picks with the kernel: `findings` are the finding rules
/// the dossier declares ([`finding_rules`]). Leaves left unanswered are an
/// error unless a knock-out or stop rule ended the evaluation or the leaf does
/// not apply.
pub(crate) fn score_picks(
    edition: &Edition,
    sheet: &Sheet,
    picks: &[Pick],
    options: Options,
    disqualified: bool,
    findings: &[usize],
    out: &mut Scored,
) -> Result<(), Error> {
    sheet
        .kernel()
        .score(picks, options.rules(disqualified), findings, out)
        .map_err(|fault| fault_error(edition, sheet, picks, fault))?;
    require_answers(edition, sheet, out)
}

/// The leaves a scored sheet leaves unanswered, as an error, unless a rule
/// ended the evaluation (or the council rejected the dossier).
pub(crate) fn require_answers(
    edition: &Edition,
    sheet: &Sheet,
    scored: &Scored,
) -> Result<(), Error> {
    // A rejected or stopped dossier (rank 0) reports only what was answered.
    if scored.fired.is_some() || scored.stars == 0 {
        return Ok(());
    }
    let missing: Vec<String> = scored
        .unanswered
        .iter()
        .filter(|leaf| !scored.inapplicable.contains(leaf))
        .filter_map(|&leaf| sheet.leaf_ids().get(leaf as usize).cloned())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Unanswered {
        edition: edition.id().to_string(),
        sheet: sheet.key().to_string(),
        criteria: missing,
    })
}

/// A kernel fault as a typed error naming the criteria.
pub(crate) fn fault_error(edition: &Edition, sheet: &Sheet, picks: &[Pick], fault: Fault) -> Error {
    let kernel = sheet.kernel();
    let id = |leaf: usize| sheet.leaf_ids().get(leaf).cloned().unwrap_or_default();
    match fault {
        Fault::Pick(bad) => Error::OptionOutOfRange {
            edition: edition.id().to_string(),
            sheet: sheet.key().to_string(),
            criterion: id(bad.leaf),
            option: bad.pick,
            count: kernel
                .shape(bad.leaf)
                .map_or(0, |(count, _)| usize::from(count)),
        },
        Fault::Inapplicable { leaf, decider } => {
            let rule = sheet
                .criterion(&id(leaf))
                .and_then(|c| {
                    c.rules()
                        .iter()
                        .find(|r| r.criterion() == Some(id(decider).as_str()))
                })
                .map(|r| r.text().into())
                .unwrap_or_default();
            Error::Inapplicable {
                edition: edition.id().to_string(),
                sheet: sheet.key().to_string(),
                criterion: id(leaf),
                decider: id(decider),
                rule,
            }
        }
        Fault::MixedCases { first, leaf } => {
            let case = |leaf: usize| {
                let pick = picks.get(leaf).copied().unwrap_or(0);
                sheet
                    .criterion(&id(leaf))
                    .and_then(|c| c.option(u16::try_from(pick).unwrap_or(0)))
                    .and_then(|o| o.case())
                    .unwrap_or("?")
                    .to_string()
            };
            Error::MixedCases {
                edition: edition.id().to_string(),
                sheet: sheet.key().to_string(),
                first: format!("{} (case {})", id(first), case(first)),
                second: format!("{} (case {})", id(leaf), case(leaf)),
                rule: sheet
                    .exclusive_cases()
                    .map(|c| c.text().into())
                    .unwrap_or_default(),
            }
        }
    }
}

/// The finding rules (kernel rule indices) the dossier's findings fire: each
/// finding names a criterion with a rule that depends on the council's finding.
pub(crate) fn finding_rules<'a>(
    edition: &Edition,
    sheet: &Sheet,
    criteria: impl Iterator<Item = &'a str>,
) -> Result<Vec<usize>, Error> {
    let kernel = sheet.kernel();
    let mut rules = Vec::new();
    for id in criteria {
        let mut cursor = 0;
        let found: Vec<usize> = kernel
            .leaf_index_near(id, &mut cursor)
            .map(|leaf| kernel.finding_rules(leaf).collect())
            .unwrap_or_default();
        if found.is_empty() {
            let with_rules: Vec<&str> = kernel
                .rules
                .iter()
                .filter(|r| matches!(r.trigger, kernel::Trigger::Finding))
                .filter_map(|r| sheet.leaf_ids().get(r.leaf as usize).map(String::as_str))
                .collect();
            return Err(Error::FindingWithoutRule {
                edition: edition.id().to_string(),
                sheet: sheet.key().to_string(),
                criterion: echo(id),
                with_rules: with_rules.join(", "),
            });
        }
        rules.extend(found);
    }
    Ok(rules)
}

/// Maps answers onto the sheet's leaves, in leaf order: every answer names a
/// leaf and an existing option (or boxes of a cumulative criterion), no leaf
/// twice. The one place answers are checked; a leaf left out is checked after
/// scoring ([`require_answers`]).
pub(crate) fn fill_picks<'a>(
    edition: &Edition,
    sheet: &Sheet,
    answers: impl Iterator<Item = (&'a str, AnswerRef<'a>)>,
    picks: &mut Vec<Pick>,
) -> Result<(), Error> {
    let kernel = sheet.kernel();
    picks.clear();
    picks.resize(kernel.leaves(), UNANSWERED);
    let mut cursor = 0;
    for (id, answer) in answers {
        let leaf = match kernel.leaf_index_near(id, &mut cursor) {
            Some(leaf) => leaf,
            None => return Err(not_a_leaf(edition, sheet, id)),
        };
        let (count, cumulative) = kernel.shape(leaf).unwrap_or((0, false));
        let out_of_range = |option: u16| Error::OptionOutOfRange {
            edition: edition.id().to_string(),
            sheet: sheet.key().to_string(),
            criterion: id.to_string(),
            option: u64::from(option),
            count: usize::from(count),
        };
        let pick = match (answer, cumulative) {
            (AnswerRef::Option(option), false) => {
                if option > count {
                    return Err(out_of_range(option));
                }
                Pick::from(option)
            }
            (AnswerRef::Boxes(boxes), true) => {
                let mut set: Pick = 0;
                for &number in boxes {
                    if number == 0 || number > count {
                        return Err(out_of_range(number));
                    }
                    set |= 1 << (number - 1);
                }
                set
            }
            (AnswerRef::Option(option), true) => {
                return Err(Error::InvalidField {
                    field: format!("answers.{}", Value::String(echo(id))),
                    value: option.to_string(),
                    expected: format!(
                        "the ticked boxes of cumulative criterion {id} as an array, e.g. [1, 3] (boxes 1..={count}; [] for none)"
                    ),
                });
            }
            (AnswerRef::Boxes(_), false) => {
                return Err(Error::InvalidField {
                    field: format!("answers.{}", Value::String(echo(id))),
                    value: "an array".to_string(),
                    expected: format!(
                        "one option number for criterion {id} (1..={count}, or 0 for none)"
                    ),
                });
            }
        };
        match picks.get_mut(leaf) {
            Some(slot) if *slot == UNANSWERED => *slot = pick,
            _ => {
                return Err(Error::DuplicateKey {
                    key: echo(id),
                    at: Some("answers".to_string()),
                });
            }
        }
    }
    // Unanswered leaves stay UNANSWERED: whether that is an error depends on
    // the rules, decided after scoring (`require_answers`).
    Ok(())
}

fn not_a_leaf(edition: &Edition, sheet: &Sheet, id: &str) -> Error {
    match sheet.node_kind(id) {
        Some(NodeKind::Parent) => Error::ParentAnswered {
            edition: edition.id().to_string(),
            sheet: sheet.key().to_string(),
            criterion: id.to_string(),
            children: sheet
                .criterion(id)
                .map(|c| {
                    c.children()
                        .iter()
                        .map(|c| c.id().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        },
        _ => Error::UnknownCriterion {
            edition: edition.id().to_string(),
            sheet: sheet.key().to_string(),
            criterion: echo(id),
            expected: abbreviate(sheet.leaf_ids()),
        },
    }
}

fn abbreviate(ids: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(", … ({} in all)", ids.len()));
    }
    text
}

fn push_once(warnings: &mut Vec<String>, warning: String) {
    if !warnings.contains(&warning) {
        warnings.push(warning);
    }
}

/// Where a criterion's rule is printed: the sheet, the criterion, the source line.
pub(crate) fn rule_cite(
    sheet: &Sheet,
    criterion: &Criterion,
    rule: &crate::rubric::Rule,
) -> String {
    match rule.line() {
        Some(line) => format!(
            "{}, tiêu chí {} (source line {line})",
            sheet.cite(),
            criterion.id()
        ),
        None => format!("{}, tiêu chí {}", sheet.cite(), criterion.id()),
    }
}

/// The ticked boxes of a cumulative pick, in order.
pub(crate) fn boxes_of(pick: Pick, count: u16) -> Vec<u16> {
    (1..=count.min(63))
        .filter(|n| pick & (1 << (n - 1)) != 0)
        .collect()
}

/// A sheet's leaf criteria in printed order (by [`walk_criteria`]: no
/// iterator is boxed per criterion, as [`Sheet::criteria`] does).
fn leaves(sheet: &Sheet) -> Vec<&Criterion> {
    let mut leaves = Vec::with_capacity(sheet.leaf_ids().len());
    walk_criteria(sheet, &mut |line| {
        if line.criterion.is_leaf() {
            leaves.push(line.criterion);
        }
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    leaves
}

/// A sheet's parts with their ranges of leaves, in printed order: the order
/// of an assessment's `parts`.
pub(crate) fn part_spans(sheet: &Sheet) -> impl Iterator<Item = (&Part, kernel::Span)> {
    sheet
        .parts()
        .iter()
        .zip(sheet.kernel().parts.iter().copied())
}

/// A sheet's sections with their part and range of leaves, in printed order:
/// the order of an assessment's `sections`.
pub(crate) fn section_spans(
    sheet: &Sheet,
) -> impl Iterator<Item = (&Part, &Section, kernel::Span)> {
    let spans = sheet.kernel().sections.iter().copied();
    part_spans(sheet)
        .flat_map(|(part, _)| part.sections().iter().map(move |section| (part, section)))
        .zip(spans.chain(std::iter::repeat(kernel::Span::default())))
        .map(|((part, section), span)| (part, section, span))
}

/// A part's line with these points.
pub(crate) fn part_score(part: &Part, points: Decimal) -> PartScore {
    PartScore {
        id: part.id().to_string(),
        title: part.title().to_string(),
        points,
        max: part.max(),
    }
}

/// A section's line with these points.
pub(crate) fn section_score(part: &Part, section: &Section, points: Decimal) -> SectionScore {
    SectionScore {
        id: section.id().to_string(),
        part: part.id().to_string(),
        title: section.title().to_string(),
        points,
        max: section.max(),
        direct: section.is_direct(),
    }
}

/// One line of an assessment's `criteria`, before it is scored: the criterion,
/// where it sits, its range of leaves and its citation.
#[derive(Clone, Copy)]
pub(crate) struct Line<'s> {
    pub(crate) criterion: &'s Criterion,
    pub(crate) section: &'s str,
    pub(crate) parent: Option<&'s str>,
    pub(crate) span: kernel::Span,
    pub(crate) cite: &'s str,
}

impl Line<'_> {
    /// The pick of the line's first leaf (a leaf's own pick), if `picks` has it.
    pub(crate) fn pick(&self, picks: Option<&[Pick]>) -> Option<Pick> {
        picks.and_then(|p| p.get(self.span.start as usize)).copied()
    }

    /// The answer recorded on the line: the option chosen (`None` on a parent,
    /// a cumulative criterion and a council's mean), the ticked boxes of a
    /// cumulative criterion, and the chosen option.
    pub(crate) fn answer(
        &self,
        pick: Option<Pick>,
    ) -> (Option<u16>, Option<Vec<u16>>, Option<&crate::Choice>) {
        let criterion = self.criterion;
        match (criterion.is_leaf(), pick) {
            (true, Some(pick)) if criterion.is_cumulative() => (
                None,
                Some(boxes_of(pick, criterion.options().len() as u16)),
                None,
            ),
            (true, Some(pick)) => {
                let number = u16::try_from(pick).unwrap_or(0);
                (Some(number), None, criterion.option(number))
            }
            _ => (None, None, None),
        }
    }

    /// The line of `pick` (see [`Line::pick`]) with these points: the one
    /// place a [`CriterionScore`] is made.
    pub(crate) fn score(&self, pick: Option<Pick>, points: Decimal) -> CriterionScore {
        let criterion = self.criterion;
        let (option, boxes, chosen) = self.answer(pick);
        CriterionScore {
            id: criterion.id().to_string(),
            section: self.section.to_string(),
            parent: self.parent.map(str::to_string),
            title: criterion.title().to_string(),
            option,
            boxes,
            option_text: chosen.map(|c| c.text().to_string()),
            points,
            max: criterion.max(),
            min_stars: chosen.and_then(|c| c.min_stars()),
            cite: self.cite.to_string(),
        }
    }
}

/// Visits every criterion of a sheet in printed order, a parent before its
/// sub-criteria: the order of an assessment's `criteria` lines. Stops at the
/// first error `visit` returns.
pub(crate) fn walk_criteria<'s, E>(
    sheet: &'s Sheet,
    visit: &mut impl FnMut(Line<'s>) -> Result<(), E>,
) -> Result<(), E> {
    fn walk<'s, E>(
        criterion: &'s Criterion,
        section: &'s str,
        parent: Option<&'s str>,
        nodes: &mut impl Iterator<Item = (kernel::Span, &'s str)>,
        visit: &mut impl FnMut(Line<'s>) -> Result<(), E>,
    ) -> Result<(), E> {
        let (span, cite) = nodes.next().unwrap_or_default();
        visit(Line {
            criterion,
            section,
            parent,
            span,
            cite,
        })?;
        for child in criterion.children() {
            walk(child, section, Some(criterion.id()), nodes, visit)?;
        }
        Ok(())
    }
    let kernel = sheet.kernel();
    let mut nodes = kernel
        .nodes
        .iter()
        .copied()
        .zip(kernel.cites.iter().map(|c| &**c));
    for part in sheet.parts() {
        for section in part.sections() {
            for top in section.criteria() {
                walk(top, section.id(), None, &mut nodes, visit)?;
            }
        }
    }
    Ok(())
}

/// Builds an [`Assessment`] from a sheet and the kernel's result: a view,
/// no figure computed here.
pub(crate) struct View<'e> {
    edition: &'e Edition,
    sheet: &'e Sheet,
    options: Options,
    leaves: Vec<&'e Criterion>,
    /// Whether the assessment gets its `parts`, `sections` and `criteria`
    /// lines (see [`View::without_lines`]).
    lines: bool,
}

impl<'e> View<'e> {
    pub(crate) fn new(edition: &'e Edition, sheet: &'e Sheet, options: Options) -> Self {
        View {
            edition,
            sheet,
            options,
            leaves: leaves(sheet),
            lines: true,
        }
    }

    /// Builds assessments with no `parts`, `sections` or `criteria` lines:
    /// the batch writes them itself, from the same trace
    /// ([`crate::assessment_json`]).
    pub(crate) fn without_lines(mut self) -> Self {
        self.lines = false;
        self
    }

    /// The warnings every assessment on the sheet carries.
    pub(crate) fn sheet_warnings(&self) -> Vec<String> {
        let mut warnings: Vec<String> = self.edition.warnings().to_vec();
        warnings.extend(self.sheet.gaps().iter().cloned());
        if let Some(source) = self.sheet.source() {
            warnings.push(format!(
                "sheet `{}` comes from a secondary source (confidence: {}): {source}",
                self.sheet.key(),
                self.sheet.confidence().unwrap_or(self.edition.confidence())
            ));
        }
        warnings
    }

    /// Warnings about the options chosen: inferred options, corrected misprints.
    pub(crate) fn answer_warnings(&self, picks: &[Pick], warnings: &mut Vec<String>) {
        for (criterion, &pick) in self.leaves.iter().zip(picks) {
            // The option chosen, or the boxes ticked (no list is built: this
            // runs for every leaf of every dossier).
            let cumulative = criterion.is_cumulative();
            let single = if cumulative {
                None
            } else {
                u16::try_from(pick).ok().and_then(|n| criterion.option(n))
            };
            let ticked = criterion
                .options()
                .iter()
                .filter(|o| cumulative && pick & (1 << (o.number() - 1).min(62)) != 0);
            for choice in single.into_iter().chain(ticked) {
                let warning = if let Some(how) = criterion.inferred() {
                    format!(
                        "criterion {}: its options are not printed; scored on the inferred reading ({how})",
                        criterion.id()
                    )
                } else if let (Some(printed), Some(erratum)) = (choice.printed(), choice.erratum())
                {
                    format!(
                        "criterion {} option {}: printed points \"{printed}\" corrected to {} ({erratum})",
                        criterion.id(),
                        choice.number(),
                        choice.points()
                    )
                } else {
                    continue;
                };
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
    }

    /// One filled sheet's assessment.
    pub(crate) fn sheet(
        &mut self,
        picks: &[Pick],
        scored: &Scored,
        dossier: &Dossier,
    ) -> Assessment {
        let mut warnings = self.sheet_warnings();
        self.answer_warnings(picks, &mut warnings);
        self.rule_warnings(scored, dossier, &mut warnings);
        self.build(Some(picks), scored, dossier, warnings, false)
    }

    /// The assessment of `scored`: with `picks` for one sheet, without for a
    /// council's means.
    pub(crate) fn build(
        &self,
        picks: Option<&[Pick]>,
        scored: &Scored,
        dossier: &Dossier,
        warnings: Vec<String>,
        council: bool,
    ) -> Assessment {
        let kernel = self.sheet.kernel();
        let (mut parts, mut sections, mut criteria) = (Vec::new(), Vec::new(), Vec::new());
        if self.lines {
            parts = part_spans(self.sheet)
                .map(|(part, span)| part_score(part, scored.mean(scored.span(span))))
                .collect();
            sections = section_spans(self.sheet)
                .map(|(part, section, span)| {
                    section_score(part, section, scored.mean(scored.span(span)))
                })
                .collect();
            criteria.reserve(kernel.nodes.len());
            walk_criteria(self.sheet, &mut |line| {
                let points = scored.mean(scored.span(line.span));
                criteria.push(line.score(line.pick(picks), points));
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
        }
        let unmet_marks = scored
            .unmet
            .iter()
            .filter_map(|&index| kernel.marks.get(index as usize))
            .filter_map(|rule| {
                let criterion = self.leaves.get(rule.leaf as usize)?;
                let mark = criterion.marks().get(usize::from(rule.mark))?;
                let actual = scored.mean(scored.leaf_points.get(rule.leaf as usize).copied()?);
                Some(UnmetMark {
                    criterion: criterion.id().to_string(),
                    min_stars: mark.stars(),
                    option: mark.option(),
                    option_text: criterion
                        .option(mark.option())
                        .map(|c| c.text().to_string())
                        .unwrap_or_default(),
                    required: mark.points(),
                    actual,
                    gate: mark
                        .gate()
                        .and_then(|index| self.edition.gates().get(index))
                        .map(|gate| format!("{} ({})", gate.requirement(), gate.cite())),
                })
            })
            .collect();
        let disqualified = self.disqualification(scored, dossier);
        let not_applicable = self.not_applicable(scored);
        let (certificate, certificate_text) = self.edition.certificate_of(scored.stars);
        Assessment {
            engine: concat!("ocop ", env!("CARGO_PKG_VERSION")).to_string(),
            edition: self.edition.id().to_string(),
            edition_hash: self.edition.hash().to_string(),
            edition_choice: EditionChoice::Explicit,
            decision: self.edition.decision().to_string(),
            sheet: self.sheet.key().to_string(),
            sheet_number: self.sheet.number(),
            sheet_title: self.sheet.title().to_string(),
            id: dossier.id.clone(),
            product: dossier.product.clone(),
            member: None,
            total: scored.mean(scored.total),
            max: self.sheet.max(),
            band_stars: rank::Stars::from_kernel(scored.band_stars),
            stars: rank::Stars::from_kernel(scored.stars),
            certificate,
            certificate_text,
            parts,
            sections,
            criteria,
            unmet_marks,
            disqualified,
            outcome: None,
            round: None,
            not_applicable,
            council: None,
            policies: self.edition.policies(self.options, council),
            warnings,
            dossier: None,
        }
    }

    /// Why the dossier has no rank: the council's rejection first, else the
    /// first rule that fired in printed order.
    fn disqualification(&self, scored: &Scored, dossier: &Dossier) -> Option<Disqualification> {
        if let Some(reason) = &dossier.disqualified {
            return Some(Disqualification {
                kind: DisqualificationKind::Dossier,
                criterion: None,
                rule: self.sheet.disqualified_when().map(str::to_string),
                cite: Some(self.sheet.cite().to_string()),
                reason: Some(reason.clone()),
            });
        }
        let check = self.sheet.kernel().rules.get(scored.fired? as usize)?;
        let criterion = self.leaves.get(check.leaf as usize)?;
        let rule = criterion.rules().get(usize::from(check.rule))?;
        let by = self
            .leaves
            .get(scored.fired_by as usize)
            .unwrap_or(criterion);
        Some(Disqualification {
            kind: match rule.kind() {
                crate::rubric::RuleKind::Stop => DisqualificationKind::Stop,
                _ => DisqualificationKind::KnockOut,
            },
            criterion: Some(by.id().to_string()),
            rule: Some(rule.text().to_string()),
            cite: Some(rule_cite(self.sheet, criterion, rule)),
            reason: dossier
                .findings
                .iter()
                .find(|f| f.criterion == criterion.id())
                .filter(|_| rule.fires() == Some(crate::rubric::Fires::Finding))
                .map(|f| f.note.clone()),
        })
    }

    fn not_applicable(&self, scored: &Scored) -> Vec<NotApplicable> {
        let kernel = self.sheet.kernel();
        kernel
            .applies
            .iter()
            .filter(|rule| scored.inapplicable.contains(&rule.leaf))
            .filter_map(|rule| {
                let criterion = self.leaves.get(rule.leaf as usize)?;
                let decider = self.leaves.get(rule.decider as usize)?;
                let printed = criterion
                    .rules()
                    .iter()
                    .find(|r| r.criterion() == Some(decider.id()))?;
                Some(NotApplicable {
                    criterion: criterion.id().to_string(),
                    because: decider.id().to_string(),
                    rule: printed.text().to_string(),
                })
            })
            .collect()
    }

    /// Warnings about the rules: a criterion whose rule depends on the
    /// council's finding scored 0 without one; a rule fired on some members'
    /// sheets only; rounding on half-open bands.
    pub(crate) fn rule_warnings(
        &self,
        scored: &Scored,
        dossier: &Dossier,
        warnings: &mut Vec<String>,
    ) {
        let kernel = self.sheet.kernel();
        for check in &kernel.rules {
            let Some(criterion) = self.leaves.get(check.leaf as usize) else {
                continue;
            };
            let Some(rule) = criterion.rules().get(usize::from(check.rule)) else {
                continue;
            };
            let answered = !scored.unanswered.contains(&check.leaf);
            let zero = scored.leaf_points.get(check.leaf as usize).copied() == Some(0);
            let declared = dossier
                .findings
                .iter()
                .any(|f| f.criterion == criterion.id());
            if matches!(check.trigger, kernel::Trigger::Finding) && answered && zero && !declared {
                push_once(
                    warnings,
                    format!(
                        "criterion {} scored 0: the council must confirm whether its rule applies (\"{}\"); if it does, declare it in `findings`",
                        criterion.id(),
                        rule.text()
                    ),
                );
            }
        }
        for &index in &scored.split {
            let Some(check) = kernel.rules.get(index as usize) else {
                continue;
            };
            let Some(criterion) = self.leaves.get(check.leaf as usize) else {
                continue;
            };
            let Some(rule) = criterion.rules().get(usize::from(check.rule)) else {
                continue;
            };
            push_once(
                warnings,
                format!(
                    "the rule of criterion {} (\"{}\") fires on some members' sheets but not all: it ends the evaluation only when every member's answer fires it",
                    criterion.id(),
                    rule.text()
                ),
            );
        }
        if self.options.round_half_up && self.edition.band_reading() == BandReading::HalfOpen {
            push_once(
                warnings,
                format!(
                    "the total is rounded half-up to a whole point, but the bands of edition {} are printed half-open (\"dưới 70 điểm\"): a total such as 69.5 ranks higher rounded than as printed",
                    self.edition.id()
                ),
            );
        }
    }
}
