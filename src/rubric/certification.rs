//! An edition's rules for certificates once a product is rated: the term, the
//! re-rating window and its limit, the extension of a late re-rating,
//! revocation, and the rounds of evaluation.
//!
//! Only what a decision's text gives is held: an edition whose text gives no
//! value for a rule answers [`Error::RuleNotInEdition`], naming itself. The
//! rules do not score a dossier and are not part of the edition's
//! [hash](super::Edition::hash), so assessments stored before they were added
//! still verify.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CertificateKind, Edition};
use crate::error::Error;

// ---------------------------------------------------------------------------
// As written in `edition.toml`.

/// `[certificate_term]`: how long a certificate is valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateTermDef {
    /// The term in months (36).
    pub months: u16,
    /// Where it is printed.
    pub cite: String,
    /// Where the decision keeps the terms of certificates issued before it
    /// took effect (26/2026 Điều 12.1), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_terms_kept: Option<String>,
}

/// `[rerating]`: the filing window before expiry and the time to rate again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReratingDef {
    /// Filing opens this many days before the certificate's last day (180).
    pub opens_days_before_expiry: u16,
    /// Filing closes this many days before the certificate's last day (120).
    pub closes_days_before_expiry: u16,
    /// Days from a complete dossier to the re-rating result (45).
    pub limit_days: u16,
    /// Where it is printed.
    pub cite: String,
}

/// `[late_rerating]`: a certificate whose re-rating was filed late stays valid
/// until the result, up to a limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LateReratingDef {
    /// The most days after the certificate's last day it may be extended (180).
    pub max_extension_days: u16,
    /// Where it is printed.
    pub cite: String,
}

/// `[revocation]`: grounds, authority and time limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationDef {
    /// Days from the competent body's conclusion to the revocation (15).
    pub limit_days: u16,
    /// Where it is printed.
    pub cite: String,
    /// The grounds, with their printed letters.
    pub grounds: Vec<GroundDef>,
    /// Who revokes, by rank.
    pub authorities: Vec<RevocationAuthorityDef>,
}

/// One printed ground for revocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroundDef {
    /// The printed letter: `a`, `b`, `c`, `d`, `đ`, `e`.
    pub letter: String,
    /// The ground as printed.
    pub text: String,
}

/// Who revokes a certificate of the given ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationAuthorityDef {
    /// The ranks, e.g. `[3, 4]`.
    pub stars: Vec<u8>,
    /// `province` or `ministry`.
    pub authority: CertificateKind,
    /// The rule as printed.
    pub printed: String,
}

/// `[[rounds]]`: one round of evaluation in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundDef {
    /// `province` or `central`.
    pub level: Level,
    /// The round's number as printed (1, 2).
    pub number: u8,
    /// Dossiers proposed strictly before this day (`MM-DD`) belong to it.
    pub proposed_before: String,
    /// The round is held before this day (`MM-DD`).
    pub evaluated_before: String,
    /// The round's dates fall this many years after the round's year (0 or 1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub year_offset: u8,
    /// Where it is printed.
    pub cite: String,
}

fn is_zero(value: &u8) -> bool {
    *value == 0
}

// ---------------------------------------------------------------------------
// Compiled.

/// The level that evaluates a round: the one council level of the crate.
pub use crate::dossier::Level;

/// The rules of an edition for certificates, as compiled.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Certification {
    term: Option<CertificateTermDef>,
    rerating: Option<ReratingDef>,
    late_rerating: Option<LateReratingDef>,
    revocation: Option<RevocationDef>,
    rounds: Vec<RoundRule>,
}

/// A round rule with its month-days checked.
#[derive(Debug, Clone, PartialEq)]
struct RoundRule {
    level: Level,
    number: u8,
    proposed_before: (i8, i8),
    evaluated_before: (i8, i8),
    year_offset: u8,
    cite: String,
}

/// A round of evaluation of one year, with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// The level that evaluates it.
    pub level: Level,
    /// The round's number as printed.
    pub number: u8,
    /// The year the round belongs to (its dates may fall in the next year).
    pub year: i16,
    /// Dossiers proposed strictly before this day belong to the round.
    pub proposed_before: Date,
    /// The round is held before this day.
    pub evaluated_before: Date,
    /// Where it is printed.
    pub cite: String,
}

/// A `MM-DD` month-day valid in every year (so not `02-29`).
fn month_day(text: &str) -> Option<(i8, i8)> {
    let (month, day) = text.split_once('-')?;
    if month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (month, day) = (month.parse::<i8>().ok()?, day.parse::<i8>().ok()?);
    Date::new(2001, month, day).ok().map(|_| (month, day))
}

/// Checks the definitions and returns the compiled rules with every problem.
pub(crate) fn compile(
    term: Option<&CertificateTermDef>,
    rerating: Option<&ReratingDef>,
    late_rerating: Option<&LateReratingDef>,
    revocation: Option<&RevocationDef>,
    rounds: &[RoundDef],
) -> (Certification, Vec<String>) {
    let mut problems = Vec::new();
    if term.is_some_and(|term| term.months == 0) {
        problems.push("certificate_term.months must be at least 1".to_string());
    }
    if let Some(rule) = rerating {
        if rule.opens_days_before_expiry < rule.closes_days_before_expiry {
            problems.push(format!(
                "rerating: the window opens {} days before expiry, after it closes ({} days before)",
                rule.opens_days_before_expiry, rule.closes_days_before_expiry
            ));
        }
    }
    if let Some(rule) = revocation {
        let mut letters: Vec<&str> = rule.grounds.iter().map(|g| g.letter.as_str()).collect();
        letters.sort_unstable();
        if letters.windows(2).any(|pair| pair.first() == pair.last()) {
            problems.push("revocation.grounds: a letter is used twice".to_string());
        }
        for stars in 3..=5u8 {
            let count = rule
                .authorities
                .iter()
                .filter(|a| a.stars.contains(&stars))
                .count();
            if count != 1 {
                problems.push(format!(
                    "revocation.authorities: {stars}★ must be named exactly once (found {count})"
                ));
            }
        }
    }
    let mut compiled = Vec::new();
    for (index, round) in rounds.iter().enumerate() {
        let at = format!(
            "rounds[{index}] ({} round {})",
            round.level.name(),
            round.number
        );
        let proposed = month_day(&round.proposed_before);
        let evaluated = month_day(&round.evaluated_before);
        for (name, value, parsed) in [
            ("proposed_before", &round.proposed_before, proposed),
            ("evaluated_before", &round.evaluated_before, evaluated),
        ] {
            if parsed.is_none() {
                problems.push(format!(
                    "{at}: {name} `{value}` is not a month-day `MM-DD` that every year has"
                ));
            }
        }
        if round.year_offset > 1 {
            problems.push(format!("{at}: year_offset must be 0 or 1"));
        }
        if compiled
            .iter()
            .any(|r: &RoundRule| r.level == round.level && r.number == round.number)
        {
            problems.push(format!("{at}: the round is listed twice"));
        }
        if let (Some(proposed_before), Some(evaluated_before)) = (proposed, evaluated) {
            compiled.push(RoundRule {
                level: round.level,
                number: round.number,
                proposed_before,
                evaluated_before,
                year_offset: round.year_offset,
                cite: round.cite.clone(),
            });
        }
    }
    let certification = Certification {
        term: term.cloned(),
        rerating: rerating.cloned(),
        late_rerating: late_rerating.cloned(),
        revocation: revocation.cloned(),
        rounds: compiled,
    };
    (certification, problems)
}

impl Certification {
    /// The certificate's term, if the edition gives it.
    pub fn term(&self) -> Option<&CertificateTermDef> {
        self.term.as_ref()
    }
    /// The re-rating window and limit, if given.
    pub fn rerating(&self) -> Option<&ReratingDef> {
        self.rerating.as_ref()
    }
    /// The extension of a late re-rating, if given.
    pub fn late_rerating(&self) -> Option<&LateReratingDef> {
        self.late_rerating.as_ref()
    }
    /// Revocation grounds, authority and limit, if given.
    pub fn revocation(&self) -> Option<&RevocationDef> {
        self.revocation.as_ref()
    }
    /// The round rules as written (month-days `MM-DD`), in the order given.
    pub fn round_rules(&self) -> Vec<RoundDef> {
        let month_day = |(month, day): (i8, i8)| format!("{month:02}-{day:02}");
        self.rounds
            .iter()
            .map(|rule| RoundDef {
                level: rule.level,
                number: rule.number,
                proposed_before: month_day(rule.proposed_before),
                evaluated_before: month_day(rule.evaluated_before),
                year_offset: rule.year_offset,
                cite: rule.cite.clone(),
            })
            .collect()
    }
}

impl RoundRule {
    fn in_year(&self, year: i16) -> Result<Round, Error> {
        let out_of_range = || Error::InvalidDates {
            problem: format!(
                "the {} round {} of year {year} falls outside the years -9999 to 9999",
                self.level.name(),
                self.number
            ),
        };
        let dates_year = year
            .checked_add(i16::from(self.year_offset))
            .ok_or_else(out_of_range)?;
        let date = |(month, day): (i8, i8)| Date::new(dates_year, month, day);
        Ok(Round {
            level: self.level,
            number: self.number,
            year,
            proposed_before: date(self.proposed_before).map_err(|_| out_of_range())?,
            evaluated_before: date(self.evaluated_before).map_err(|_| out_of_range())?,
            cite: self.cite.clone(),
        })
    }
}

impl Edition {
    fn rule_missing(&self, what: &str) -> Error {
        Error::RuleNotInEdition {
            edition: self.id.clone(),
            what: what.to_string(),
        }
    }

    /// The certificate's term (26/2026 Điều 4.3: 36 months).
    ///
    /// ```
    /// assert_eq!(ocop::edition("26-2026")?.certificate_term()?.months, 36);
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn certificate_term(&self) -> Result<&CertificateTermDef, Error> {
        self.certification
            .term
            .as_ref()
            .ok_or_else(|| self.rule_missing("the certificate's term"))
    }

    /// The re-rating window and limit (26/2026 Điều 7.6.a and 7.6.g).
    ///
    /// ```
    /// let rule = ocop::edition("26-2026")?.rerating()?;
    /// assert_eq!((rule.opens_days_before_expiry, rule.closes_days_before_expiry), (180, 120));
    /// assert_eq!(ocop::edition("148-2023")?.rerating().unwrap_err().code(), "rule-not-in-edition");
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn rerating(&self) -> Result<&ReratingDef, Error> {
        self.certification
            .rerating
            .as_ref()
            .ok_or_else(|| self.rule_missing("a re-rating window"))
    }

    /// The extension of a certificate whose re-rating was filed late (26/2026 Điều 12.3).
    pub fn late_rerating(&self) -> Result<&LateReratingDef, Error> {
        self.certification
            .late_rerating
            .as_ref()
            .ok_or_else(|| self.rule_missing("an extension for a late re-rating"))
    }

    /// Revocation grounds, authority and time limit (26/2026 Điều 8).
    pub fn revocation(&self) -> Result<&RevocationDef, Error> {
        self.certification
            .revocation
            .as_ref()
            .ok_or_else(|| self.rule_missing("revocation rules"))
    }

    /// The rounds of `year`, province first, in printed order; one level only
    /// when `level` is given.
    ///
    /// ```
    /// use ocop::rubric::certification::Level;
    /// let rounds = ocop::edition("26-2026")?.rounds(2026, Some(Level::Central))?;
    /// assert_eq!(rounds[1].proposed_before.to_string(), "2027-01-30");
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn rounds(&self, year: i16, level: Option<Level>) -> Result<Vec<Round>, Error> {
        if self.certification.rounds.is_empty() {
            return Err(self.rule_missing("rounds of evaluation"));
        }
        let mut rules: Vec<&RoundRule> = self
            .certification
            .rounds
            .iter()
            .filter(|rule| level.is_none_or(|level| rule.level == level))
            .collect();
        rules.sort_by_key(|rule| (rule.level, rule.number));
        rules.into_iter().map(|rule| rule.in_year(year)).collect()
    }

    /// The round a dossier proposed on `proposed_on` to `level` belongs to:
    /// the first round, in date order, whose "proposed before" day is after
    /// it. `None` when the edition lists no round for the level.
    ///
    /// ```
    /// use jiff::civil::date;
    /// use ocop::rubric::certification::Level;
    /// let edition = ocop::edition("26-2026")?;
    /// let round = edition.round_for(Level::Central, date(2026, 8, 1))?.unwrap();
    /// assert_eq!((round.year, round.number), (2026, 2));
    /// assert_eq!(round.evaluated_before, date(2027, 3, 30));
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn round_for(&self, level: Level, proposed_on: Date) -> Result<Option<Round>, Error> {
        if self.certification.rounds.is_empty() {
            return Err(self.rule_missing("rounds of evaluation"));
        }
        let mut candidates = Vec::new();
        // A round of the year before may still take it (a round 2 whose dates
        // fall in the next year); a round of the next year takes the rest.
        for offset in [-1i16, 0, 1] {
            let Some(year) = proposed_on.year().checked_add(offset) else {
                continue;
            };
            for rule in self
                .certification
                .rounds
                .iter()
                .filter(|r| r.level == level)
            {
                if let Ok(round) = rule.in_year(year) {
                    candidates.push(round);
                }
            }
        }
        candidates.sort_by_key(|round| (round.proposed_before, round.number));
        Ok(candidates
            .into_iter()
            .find(|round| round.proposed_before > proposed_on))
    }
}
