//! Scoring: a pure function of an edition's sheet and a dossier.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dossier::{Dossier, Product};
use crate::error::{Error, echo};
use crate::rank;
use crate::rubric::{CertificateKind, Criterion, Edition, NodeKind, Sheet};

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
    /// The dossier's `id`, passed through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
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
    pub band_stars: u8,
    /// Final rank after star-mark gates; 0 when disqualified.
    pub stars: u8,
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
    /// Set when the council rejected the dossier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disqualified: Option<Disqualification>,
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
        evaluated_on: String,
    },
    /// A transition rule kept the dossier under an earlier edition.
    Transition {
        /// The evaluation date.
        evaluated_on: String,
        /// The filing date.
        filed_on: String,
        /// Where the rule is printed.
        cite: String,
    },
}

/// The rules an assessment applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Policies {
    /// How totals are placed in bands.
    pub band_policy: String,
    /// Rounding of the total before banding: `none` or `half-up-to-whole-point`.
    pub rounding: String,
    /// How star marks gate the rank (see [`rank`](crate::rank)).
    pub gate_reading: String,
    /// For a council: how marks are read on the members' sheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub council_gate_reading: Option<String>,
    /// For a council: the spread check's limit, when it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_limit: Option<Decimal>,
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
    /// The option chosen; 0 when no option applies; absent on a parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<u16>,
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

impl UnmetMark {
    /// The mark `mark` of `criterion`, missed with `actual` points.
    pub(crate) fn new(
        criterion: &Criterion,
        mark: &crate::rubric::Mark,
        actual: Decimal,
        gates: &[crate::rubric::Gate],
    ) -> UnmetMark {
        UnmetMark {
            criterion: criterion.id().to_string(),
            min_stars: mark.stars,
            option: mark.option,
            option_text: criterion
                .option(mark.option)
                .map(|c| c.text().to_string())
                .unwrap_or_default(),
            required: mark.points,
            actual,
            gate: mark
                .gate
                .and_then(|index| gates.get(index))
                .map(|gate| format!("{} ({})", gate.requirement, gate.cite)),
        }
    }
}

/// A dossier rejected outright.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Disqualification {
    /// The council's reason.
    pub reason: String,
    /// The sheet's "Hồ sơ bị loại khi" text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
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
    let (edition, choice) = match (&dossier.edition, dossier.evaluated_on) {
        (Some(id), _) => (crate::edition(id)?, EditionChoice::Explicit),
        (None, Some(date)) => match crate::edition::for_dossier_dates(date, dossier.filed_on)? {
            (edition, Some(rule)) => (
                edition,
                EditionChoice::Transition {
                    evaluated_on: date.to_string(),
                    filed_on: dossier.filed_on.map(|d| d.to_string()).unwrap_or_default(),
                    cite: rule.cite.clone(),
                },
            ),
            (edition, None) => (
                edition,
                EditionChoice::Date {
                    evaluated_on: date.to_string(),
                },
            ),
        },
        (None, None) => {
            return Err(Error::InvalidField {
                field: "edition".to_string(),
                value: "nothing (neither edition nor evaluated_on is given)".to_string(),
                expected: "an edition id such as \"26-2026\", or an evaluated_on date".to_string(),
            });
        }
    };
    let mut assessment = edition.assess_with(dossier, options)?;
    assessment.edition_choice = choice;
    Ok(assessment)
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

    pub(crate) fn rounding_name(&self) -> &'static str {
        if self.round_half_up {
            "half-up-to-whole-point"
        } else {
            "none"
        }
    }
}

impl Edition {
    /// The band rank of a total (before star-mark gates), under the edition's
    /// band policy and the options' rounding: 0 if outside every band.
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
        let total = if options.round_half_up {
            total.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        } else {
            total
        };
        self.band_for(total).map_or(0, |band| band.stars())
    }

    /// The band rank of a council's mean total, decided exactly on the sum of the
    /// members' totals: `sum / members` is in a band when `sum ≥ from × members`.
    pub fn band_stars_of_sum(&self, sum: Decimal, members: u32, options: Options) -> u8 {
        let count = Decimal::from(members.max(1));
        if options.round_half_up {
            return self.band_stars(sum.checked_div(count).unwrap_or(sum), options);
        }
        self.bands()
            .iter()
            .find(|band| {
                sum >= band.from() * count
                    && (sum < band.to() * count
                        || (band.to_inclusive() && sum == band.to() * count))
            })
            .map_or(0, |band| band.stars())
    }

    /// Scores a dossier on this edition (the dossier's `edition` field is not consulted).
    pub fn assess(&self, dossier: &Dossier) -> Result<Assessment, Error> {
        self.assess_with(dossier, Options::default())
    }

    /// Scores a dossier with explicit [`Options`]: one sheet, or a council's
    /// sheets averaged (see [`council`](crate::council)).
    pub fn assess_with(&self, dossier: &Dossier, options: Options) -> Result<Assessment, Error> {
        let mut assessment = if dossier.members.is_empty() {
            self.assess_sheet(dossier, options)?
        } else {
            crate::council::assess(self, dossier, options)?
        };
        assessment.dossier = Some(dossier.clone());
        Ok(assessment)
    }

    /// Scores one filled sheet (the dossier's `answers`).
    pub(crate) fn assess_sheet(
        &self,
        dossier: &Dossier,
        options: Options,
    ) -> Result<Assessment, Error> {
        let sheet = self.sheet(&dossier.sheet)?;
        check_answers(self, sheet, dossier)?;
        let mut warnings: Vec<String> = self.warnings().to_vec();
        warnings.extend(sheet.gaps().iter().cloned());
        if let Some(source) = sheet.source() {
            warnings.push(format!(
                "sheet `{}` comes from a secondary source (confidence: {}): {source}",
                sheet.key(),
                sheet.confidence().unwrap_or(self.confidence())
            ));
        }
        let mut scorer = Scorer {
            gates: self.gates(),
            cite: sheet.cite(),
            dossier,
            criteria: Vec::new(),
            unmet: Vec::new(),
            warnings,
        };
        let mut parts = Vec::new();
        let mut sections = Vec::new();
        let mut total = Decimal::ZERO;
        for part in sheet.parts() {
            let mut part_points = Decimal::ZERO;
            for section in part.sections() {
                let mut section_points = Decimal::ZERO;
                for criterion in section.criteria() {
                    section_points += scorer.criterion(criterion, section.id(), None);
                }
                part_points += section_points;
                sections.push(SectionScore {
                    id: section.id().to_string(),
                    part: part.id().to_string(),
                    title: section.title().to_string(),
                    points: section_points,
                    max: section.max(),
                });
            }
            total += part_points;
            parts.push(PartScore {
                id: part.id().to_string(),
                title: part.title().to_string(),
                points: part_points,
                max: part.max(),
            });
        }
        let band_stars = self.band_stars(total, options);
        // Only the marks that bind at the band rank can lower it.
        scorer
            .unmet
            .retain(|mark| rank::binds(mark.min_stars, band_stars));
        let (stars, disqualified) = self.final_rank(sheet, band_stars, &scorer.unmet, dossier);
        let (certificate, certificate_text) = self.certificate_of(stars);
        Ok(Assessment {
            engine: concat!("ocop ", env!("CARGO_PKG_VERSION")).to_string(),
            edition: self.id().to_string(),
            edition_hash: self.hash().to_string(),
            edition_choice: EditionChoice::Explicit,
            decision: self.decision().to_string(),
            sheet: sheet.key().to_string(),
            sheet_number: sheet.number(),
            sheet_title: sheet.title().to_string(),
            id: dossier.id.clone(),
            product: dossier.product.clone(),
            member: None,
            total,
            max: sheet.max(),
            band_stars,
            stars,
            certificate,
            certificate_text,
            parts,
            sections,
            criteria: scorer.criteria,
            unmet_marks: scorer.unmet,
            disqualified,
            council: None,
            policies: self.policies(options, false),
            warnings: scorer.warnings,
            dossier: None,
        })
    }

    /// The final rank after the gates, and the disqualification if any (rank 0).
    pub(crate) fn final_rank(
        &self,
        sheet: &Sheet,
        band_stars: u8,
        unmet: &[UnmetMark],
        dossier: &Dossier,
    ) -> (u8, Option<Disqualification>) {
        let unmet_ranks: Vec<u8> = unmet.iter().map(|mark| mark.min_stars).collect();
        let stars = rank::final_stars(band_stars, &unmet_ranks);
        match &dossier.disqualified {
            Some(reason) => (
                0,
                Some(Disqualification {
                    reason: reason.clone(),
                    rule: sheet.disqualified_when().map(str::to_string),
                }),
            ),
            None => (stars, None),
        }
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
            band_policy: self.band_policy().name().to_string(),
            rounding: options.rounding_name().to_string(),
            gate_reading: rank::GATE_READING.to_string(),
            council_gate_reading: council.then(|| rank::COUNCIL_GATE_READING.to_string()),
            spread_limit: if council { options.spread_limit } else { None },
        }
    }
}

/// Every answer names a leaf and an existing option; every leaf is answered.
fn check_answers(edition: &Edition, sheet: &Sheet, dossier: &Dossier) -> Result<(), Error> {
    for (id, &option) in &dossier.answers {
        match sheet.node_kind(id) {
            None => {
                return Err(Error::UnknownCriterion {
                    edition: edition.id().to_string(),
                    sheet: sheet.key().to_string(),
                    criterion: echo(id),
                    expected: abbreviate(sheet.leaf_ids()),
                });
            }
            Some(NodeKind::Parent) => {
                let children = sheet
                    .criterion(id)
                    .map(|c| {
                        c.children()
                            .iter()
                            .map(|c| c.id().to_string())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                return Err(Error::ParentAnswered {
                    edition: edition.id().to_string(),
                    sheet: sheet.key().to_string(),
                    criterion: id.clone(),
                    children: children.join(", "),
                });
            }
            Some(NodeKind::Leaf { options: count, .. }) => {
                if usize::from(option) > count {
                    return Err(Error::OptionOutOfRange {
                        edition: edition.id().to_string(),
                        sheet: sheet.key().to_string(),
                        criterion: id.clone(),
                        option: u64::from(option),
                        count,
                    });
                }
            }
        }
    }
    let missing: Vec<String> = sheet
        .leaf_ids()
        .iter()
        .filter(|id| !dossier.answers.contains_key(id.as_str()))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(Error::Unanswered {
            edition: edition.id().to_string(),
            sheet: sheet.key().to_string(),
            criteria: missing,
        });
    }
    Ok(())
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

struct Scorer<'a> {
    gates: &'a [crate::rubric::Gate],
    cite: &'a str,
    dossier: &'a Dossier,
    criteria: Vec<CriterionScore>,
    unmet: Vec<UnmetMark>,
    warnings: Vec<String>,
}

impl Scorer<'_> {
    /// Scores a criterion (recursing into sub-criteria) and returns its points.
    fn criterion(&mut self, criterion: &Criterion, section: &str, parent: Option<&str>) -> Decimal {
        if !criterion.is_leaf() {
            let line = self.criteria.len();
            self.criteria.push(CriterionScore {
                id: criterion.id().to_string(),
                section: section.to_string(),
                parent: parent.map(str::to_string),
                title: criterion.title().to_string(),
                option: None,
                option_text: None,
                points: Decimal::ZERO,
                max: criterion.max(),
                min_stars: None,
                cite: format!("{}, tiêu chí {}", self.cite, criterion.id()),
            });
            let mut points = Decimal::ZERO;
            for child in criterion.children() {
                points += self.criterion(child, section, Some(criterion.id()));
            }
            if let Some(parent_line) = self.criteria.get_mut(line) {
                parent_line.points = points;
            }
            return points;
        }
        // check_answers has made sure the answer exists and is in range.
        let option = self
            .dossier
            .answers
            .get(criterion.id())
            .copied()
            .unwrap_or(0);
        let chosen = criterion.option(option);
        let points = chosen.map_or(Decimal::ZERO, |choice| choice.points());
        if let Some(choice) = chosen {
            if criterion.inferred().is_some() {
                self.warnings.push(format!(
                    "criterion {}: its options are not printed; scored on the inferred reading ({})",
                    criterion.id(),
                    criterion.inferred().unwrap_or_default()
                ));
            }
            if let (Some(printed), Some(erratum)) = (choice.printed(), choice.erratum()) {
                self.warnings.push(format!(
                    "criterion {} option {}: printed points \"{printed}\" corrected to {} ({erratum})",
                    criterion.id(),
                    choice.number(),
                    choice.points()
                ));
            }
        }
        for mark in criterion.marks() {
            if !rank::mark_met(points, mark.points) {
                self.unmet
                    .push(UnmetMark::new(criterion, mark, points, self.gates));
            }
        }
        self.criteria.push(CriterionScore {
            id: criterion.id().to_string(),
            section: section.to_string(),
            parent: parent.map(str::to_string),
            title: criterion.title().to_string(),
            option: Some(option),
            option_text: chosen.map(|c| c.text().to_string()),
            points,
            max: criterion.max(),
            min_stars: chosen.and_then(|c| c.min_stars()),
            cite: format!("{}, tiêu chí {}", self.cite, criterion.id()),
        });
        points
    }
}
