//! The register of OCOP certificates: terms, re-rating windows, late
//! re-ratings, revocations and deadlines.
//!
//! A [`Certificate`] is one line of a province's register. Its rules come from
//! the editions' data (`[certificate_term]`, `[rerating]`, `[late_rerating]`,
//! `[revocation]` in `criteria/<edition>/edition.toml`, see
//! [`rubric::certification`](crate::rubric::certification)); where an edition's
//! text gives no value, nothing is assumed.
//!
//! The readings this module makes of the texts, each in one place:
//!
//! * **A period in months** ([`add_months`]): Bộ luật Dân sự 2015, Điều 147–148.
//! * **The re-rating window** ([`rerating_window`]): 26/2026 Điều 7.6.a.
//! * **A late re-rating** ([`Certificate::standing`]): 26/2026 Điều 12.3.
//! * **Which edition's procedure applies**: the term is the certificate's own
//!   edition's (or its own date, Điều 12.1); the re-rating window and the late
//!   re-rating extension are those of the edition in force on the
//!   certificate's last day of validity, when the re-rating falls due;
//!   revocation grounds and authority are those of the edition in force on the
//!   day of revocation.
//!
//! ```
//! use jiff::civil::date;
//! use ocop::certificate::{Certificate, Status};
//!
//! let line = r#"{"code":"HN-01-001-2026","edition":"26-2026","stars":4,
//!     "issued_on":"2026-06-15","decision":"123/QĐ-UBND"}"#;
//! let certificate = Certificate::from_json(line)?;
//! let standing = certificate.standing(date(2027, 1, 1))?;
//! assert_eq!(standing.status, Status::Valid);
//! assert_eq!(standing.valid_until, date(2029, 6, 15));
//! let window = standing.rerating_window.unwrap();
//! assert_eq!((window.opens, window.closes), (date(2028, 12, 17), date(2029, 2, 15)));
//! # Ok::<(), ocop::Error>(())
//! ```

use jiff::Span;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{Error, echo};
use crate::rubric::CertificateKind;
use crate::rubric::certification::ReratingDef;

/// The end of a period of `months` months that starts with the event of
/// `start` (a certificate's issue).
///
/// Bộ luật Dân sự 2015, Điều 147.1: the day of the event is not counted, the
/// period runs from the next day; Điều 148.1.c: a period in months ends at the
/// end of the corresponding day of its last month, or at the end of that
/// month's last day when it has no corresponding day. The result is the
/// period's last day, which belongs to it: a certificate issued on 2024-03-15
/// for 36 months is valid until the end of 2027-03-15.
///
/// ```
/// use jiff::civil::date;
/// use ocop::certificate::add_months;
/// assert_eq!(add_months(date(2024, 3, 15), 36)?, date(2027, 3, 15));
/// assert_eq!(add_months(date(2024, 2, 29), 36)?, date(2027, 2, 28));
/// assert_eq!(add_months(date(2023, 8, 31), 36)?, date(2026, 8, 31));
/// assert_eq!(add_months(date(2024, 8, 31), 6)?, date(2025, 2, 28));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn add_months(start: Date, months: u16) -> Result<Date, Error> {
    // jiff adds months to the month and keeps the day, clamping it to the
    // month's last day: exactly the corresponding day of Điều 148.1.c.
    Span::new()
        .try_months(i64::from(months))
        .and_then(|span| start.checked_add(span))
        .map_err(|_| Error::InvalidDates {
            problem: format!("{start} + {months} months falls outside the calendar"),
        })
}

/// `days` days after `start` (before it when negative); the day of `start` is
/// not counted (Bộ luật Dân sự 2015, Điều 147.1), so the result is the last
/// day of a period "N ngày kể từ" `start`.
///
/// ```
/// use jiff::civil::date;
/// assert_eq!(ocop::certificate::add_days(date(2026, 12, 31), 1)?, date(2027, 1, 1));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn add_days(start: Date, days: i64) -> Result<Date, Error> {
    Span::new()
        .try_days(days)
        .and_then(|span| start.checked_add(span))
        .map_err(|_| Error::InvalidDates {
            problem: format!("{start} + {days} days falls outside the calendar"),
        })
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> Result<i32, Error> {
    to.since(from)
        .map(|span| span.get_days())
        .map_err(|_| Error::InvalidDates {
            problem: format!("cannot count the days from {from} to {to}"),
        })
}

/// The days on which a re-rating may be filed, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first day a filing is accepted.
    pub opens: Date,
    /// The last day a filing is accepted.
    pub closes: Date,
}

/// The re-rating filing window of a certificate valid until `valid_until`.
///
/// 26/2026 Điều 7.6.a: "không sớm hơn 180 ngày và không muộn hơn 120 ngày
/// tính đến ngày hết thời hạn của giấy chứng nhận". Read: a filing on day F is
/// `valid_until − F` days before the certificate's last day; "not earlier than
/// 180 days" is `valid_until − F ≤ 180`, "not later than 120 days" is
/// `valid_until − F ≥ 120`. So the window opens on `valid_until − 180 days` and
/// closes on `valid_until − 120 days`, both days included.
///
/// ```
/// use jiff::civil::date;
/// let rule = ocop::edition("26-2026")?.rerating()?;
/// let window = ocop::certificate::rerating_window(date(2027, 3, 15), rule)?;
/// assert_eq!((window.opens, window.closes), (date(2026, 9, 16), date(2026, 11, 15)));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn rerating_window(valid_until: Date, rule: &ReratingDef) -> Result<Window, Error> {
    Ok(Window {
        opens: add_days(valid_until, -i64::from(rule.opens_days_before_expiry))?,
        closes: add_days(valid_until, -i64::from(rule.closes_days_before_expiry))?,
    })
}

/// The last day for the re-rating result of a dossier received complete on
/// `received_on` (26/2026 Điều 7.6.g: "không quá 45 ngày kể từ ngày nhận đủ hồ
/// sơ"), under the edition in force that day.
///
/// ```
/// use jiff::civil::date;
/// assert_eq!(ocop::certificate::rerating_result_due(date(2026, 9, 1))?, date(2026, 10, 16));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn rerating_result_due(received_on: Date) -> Result<Date, Error> {
    let rule = crate::in_force_on(received_on)?.rerating()?;
    add_days(received_on, i64::from(rule.limit_days))
}

/// The last day to revoke a certificate after the competent body's
/// conclusion on `concluded_on` (26/2026 Điều 8.4: "15 ngày kể từ ngày có kết
/// luận"), under the edition in force that day.
///
/// ```
/// use jiff::civil::date;
/// assert_eq!(ocop::certificate::revocation_due(date(2026, 12, 20))?, date(2027, 1, 4));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn revocation_due(concluded_on: Date) -> Result<Date, Error> {
    let rule = crate::in_force_on(concluded_on)?.revocation()?;
    add_days(concluded_on, i64::from(rule.limit_days))
}

/// A certificate's standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Within its term.
    Valid,
    /// Past its term (and any extension).
    Expired,
    /// Revoked on or before the day.
    Revoked,
    /// Past its term, kept valid by a late re-rating (26/2026 Điều 12.3).
    Extended,
}

impl Status {
    /// The status as written: `valid`, `expired`, `revoked`, `extended`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
            Status::Extended => "extended",
        }
    }
}

/// Everything [`Certificate::standing`] finds for a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The status on the day.
    pub status: Status,
    /// The term's last day (its own, or issue + the edition's months).
    pub valid_until: Date,
    /// The last day of a late re-rating's extension, when one applies.
    pub extended_until: Option<Date>,
    /// The day of revocation, when revoked on or before the day.
    pub revoked_on: Option<Date>,
    /// The re-rating filing window, when the edition in force on
    /// `valid_until` gives one.
    pub rerating_window: Option<Window>,
    /// Days from the day to the last valid day (the extension's end when
    /// there is one): 0 on the last day, negative after; `None` once revoked.
    pub days_left: Option<i32>,
}

/// A day a register office watches for a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// The re-rating filing window opens (Điều 7.6.a).
    ReratingOpens,
    /// The re-rating filing window closes.
    ReratingCloses,
    /// The last valid day (of the extension, when there is one).
    Expires,
}

impl Event {
    /// The event's name as the register's output writes it.
    pub fn name(self) -> &'static str {
        match self {
            Event::ReratingOpens => "rerating-opens",
            Event::ReratingCloses => "rerating-closes",
            Event::Expires => "expires",
        }
    }
}

impl Standing {
    /// The days to watch that fall in `from..=to`, by date (on one day: the
    /// window's opening, its closing, then the expiry). A revoked certificate
    /// has none.
    pub fn events_between(&self, from: Date, to: Date) -> Vec<(Date, Event)> {
        if self.status == Status::Revoked {
            return Vec::new();
        }
        let mut events = vec![(
            self.extended_until.unwrap_or(self.valid_until),
            Event::Expires,
        )];
        if let Some(window) = &self.rerating_window {
            events.push((window.opens, Event::ReratingOpens));
            events.push((window.closes, Event::ReratingCloses));
        }
        events.retain(|(date, _)| from <= *date && *date <= to);
        events.sort();
        events
    }
}

/// A revocation entered in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The day of the revocation decision.
    #[serde(deserialize_with = "strict_date")]
    #[schemars(with = "DateSchema")]
    pub revoked_on: Date,
    /// The printed letter of the ground (26/2026 Điều 8.1): `a`, `b`, `c`,
    /// `d`, `đ` or `e`.
    pub ground: String,
    /// Who revoked it: `province` (3★, 4★) or `ministry` (5★), Điều 8.2;
    /// derived from the rank when absent, checked when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<CertificateKind>,
}

/// One certificate of the register ("sổ theo dõi giấy chứng nhận").
///
/// Read strictly: unknown fields are refused, each error names its field.
/// Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Product code, `(T)-(X)-(STT)-(year)`.
    pub code: String,
    /// Product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Producer ("chủ thể OCOP").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// Key of the sheet it was rated on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The edition it was rated under, e.g. `26-2026`.
    pub edition: String,
    /// The rank, 3 to 5.
    pub stars: u8,
    /// The day the recognition decision was issued.
    #[serde(deserialize_with = "strict_date")]
    #[schemars(with = "DateSchema")]
    pub issued_on: Date,
    /// The recognition decision's number, e.g. `123/QĐ-UBND`.
    pub decision: String,
    /// Who issued it: `province` or `ministry`; derived from the rank and the
    /// edition when absent, checked when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<CertificateKind>,
    /// The term's last day printed on a certificate issued before 26/2026 took
    /// effect (Điều 12.1); refused on later certificates, whose term is the
    /// edition's.
    #[serde(
        default,
        deserialize_with = "strict_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<DateSchema>")]
    pub valid_until: Option<Date>,
    /// The revocation, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Revocation>,
    /// The day a re-rating dossier was filed.
    #[serde(
        default,
        deserialize_with = "strict_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<DateSchema>")]
    pub rerating_filed_on: Option<Date>,
    /// The day the competent body gave the re-rating's result.
    #[serde(
        default,
        deserialize_with = "strict_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<DateSchema>")]
    pub result_on: Option<Date>,
}

/// A date `YYYY-MM-DD`, for the schema.
#[derive(JsonSchema)]
#[schemars(rename = "Date")]
#[allow(dead_code)]
struct DateSchema(#[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))] String);

fn strict_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = String::deserialize(deserializer)?;
    crate::dossier::parse_date(&text).ok_or_else(|| {
        serde::de::Error::custom(format_args!(
            "expected a date YYYY-MM-DD, got `{}`",
            echo(&text)
        ))
    })
}

fn strict_date_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    strict_date(deserializer).map(Some)
}

/// The name in a serde message such as "missing field `code`".
fn quoted_name(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    Some(rest.split_once('`')?.0)
}

impl Certificate {
    /// Reads one register record (a JSON object) and [checks](Certificate::check) it.
    ///
    /// ```
    /// let err = ocop::certificate::Certificate::from_json(r#"{"code":"X","edition":"26-2026",
    ///     "stars":4,"issued_on":"2026-13-01","decision":"1"}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid-certificate");
    /// assert!(err.to_string().contains("`issued_on`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Certificate, Error> {
        Certificate::from_value(&crate::dossier::parse_json(text)?)
    }

    /// Reads one register record from a parsed JSON value and checks it.
    pub fn from_value(value: &Value) -> Result<Certificate, Error> {
        let mut certificate: Certificate =
            serde_path_to_error::deserialize(value).map_err(|err| {
                let path = err.path().to_string();
                let message = err.inner().to_string();
                let field = if path == "." || path.is_empty() {
                    quoted_name(&message).unwrap_or("(record)").to_string()
                } else {
                    path
                };
                Error::InvalidCertificate {
                    field: echo(&field),
                    problem: message,
                }
            })?;
        certificate.check()?;
        Ok(certificate)
    }

    /// Checks the record against its edition and fills in the authorities:
    /// rank 3 to 5, an embedded edition in force on the day of issue, the
    /// issuing authority of the rank, dates in order, an own term only before
    /// the decision that keeps earlier terms (26/2026 Điều 12.1), a printed
    /// ground and the authority of the rank for a revocation.
    pub fn check(&mut self) -> Result<(), Error> {
        for (field, value) in [("code", &self.code), ("decision", &self.decision)] {
            if value.trim().is_empty() {
                return Err(Error::InvalidCertificate {
                    field: field.to_string(),
                    problem: "must not be empty".to_string(),
                });
            }
        }
        if !(3..=5).contains(&self.stars) {
            return Err(Error::InvalidCertificate {
                field: "stars".to_string(),
                problem: format!(
                    "a certificate is issued for 3★ to 5★ only, got {}",
                    self.stars
                ),
            });
        }
        let edition = crate::edition(&self.edition)?;
        if self.issued_on < edition.in_force_from() {
            return Err(Error::InvalidDates {
                problem: format!(
                    "issued_on {} is before edition {} took effect ({})",
                    self.issued_on,
                    edition.id(),
                    edition.in_force_from()
                ),
            });
        }
        let band = edition
            .band_of(self.stars)
            .ok_or_else(|| Error::InvalidCertificate {
                field: "stars".to_string(),
                problem: format!("edition {} has no {}★ band", edition.id(), self.stars),
            })?;
        self.authority = Some(settle_authority(
            "authority",
            self.stars,
            self.authority,
            band.certificate(),
            band.certificate_text(),
        )?);
        if let Some(valid_until) = self.valid_until {
            self.check_own_term(valid_until)?;
        }
        self.check_rerating()?;
        if let Some(revocation) = &mut self.revocation {
            if revocation.revoked_on < self.issued_on {
                return Err(Error::InvalidDates {
                    problem: format!(
                        "revocation.revoked_on {} is before issued_on {}",
                        revocation.revoked_on, self.issued_on
                    ),
                });
            }
            let rules = crate::in_force_on(revocation.revoked_on)?.revocation()?;
            if !rules.grounds.iter().any(|g| g.letter == revocation.ground) {
                return Err(Error::InvalidCertificate {
                    field: "revocation.ground".to_string(),
                    problem: format!(
                        "`{}` is not a printed ground: expected one of {} ({})",
                        echo(&revocation.ground),
                        rules
                            .grounds
                            .iter()
                            .map(|g| g.letter.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        rules.cite
                    ),
                });
            }
            let rule = rules
                .authorities
                .iter()
                .find(|a| a.stars.contains(&self.stars))
                .ok_or_else(|| Error::InvalidCertificate {
                    field: "revocation.authority".to_string(),
                    problem: format!("no authority revokes a {}★ certificate", self.stars),
                })?;
            revocation.authority = Some(settle_authority(
                "revocation.authority",
                self.stars,
                revocation.authority,
                rule.authority,
                &rule.printed,
            )?);
        }
        Ok(())
    }

    fn check_own_term(&self, valid_until: Date) -> Result<(), Error> {
        if valid_until <= self.issued_on {
            return Err(Error::InvalidDates {
                problem: format!(
                    "valid_until {valid_until} is not after issued_on {}",
                    self.issued_on
                ),
            });
        }
        let keeps = crate::editions().find_map(|edition| {
            let cite = edition
                .certificate_term()
                .ok()?
                .earlier_terms_kept
                .as_ref()?;
            (self.issued_on < edition.in_force_from()).then_some(cite)
        });
        if keeps.is_some() {
            return Ok(());
        }
        let rule = crate::editions()
            .filter_map(|e| Some((e, e.certificate_term().ok()?.earlier_terms_kept.as_ref()?)))
            .map(|(e, cite)| format!("before {} ({cite})", e.in_force_from()))
            .next()
            .unwrap_or_else(|| "under a decision that keeps earlier terms".to_string());
        Err(Error::InvalidCertificate {
            field: "valid_until".to_string(),
            problem: format!(
                "only a certificate issued {rule} keeps the term printed on it; one issued on {} runs the edition's term: leave valid_until out",
                self.issued_on
            ),
        })
    }

    fn check_rerating(&self) -> Result<(), Error> {
        match (self.rerating_filed_on, self.result_on) {
            (None, Some(_)) => Err(Error::InvalidCertificate {
                field: "result_on".to_string(),
                problem: "a re-rating result needs rerating_filed_on".to_string(),
            }),
            (Some(filed), _) if filed < self.issued_on => Err(Error::InvalidDates {
                problem: format!(
                    "rerating_filed_on {filed} is before issued_on {}",
                    self.issued_on
                ),
            }),
            (Some(filed), Some(result)) if result < filed => Err(Error::InvalidDates {
                problem: format!("result_on {result} is before rerating_filed_on {filed}"),
            }),
            _ => Ok(()),
        }
    }

    /// The term's last day: the date printed on a pre-26/2026 certificate
    /// (Điều 12.1), else the day of issue plus the edition's term in months
    /// ([`add_months`]).
    pub fn valid_until(&self) -> Result<Date, Error> {
        match self.valid_until {
            Some(date) => Ok(date),
            None => add_months(
                self.issued_on,
                crate::edition(&self.edition)?.certificate_term()?.months,
            ),
        }
    }

    /// The certificate's status on `on`.
    pub fn status(&self, on: Date) -> Result<Status, Error> {
        self.standing(on).map(|standing| standing.status)
    }

    /// The certificate's standing on `on`: status, term, window, extension.
    ///
    /// A re-rating filed late — after the window closes and no later than the
    /// term's last day — keeps the certificate valid "đến ngày có kết quả xử
    /// lý của cơ quan có thẩm quyền, nhưng không quá 180 ngày tính từ ngày hết
    /// thời hạn" (26/2026 Điều 12.3). Read: extended until the day of the
    /// result (`result_on`, included) or `valid_until + 180 days`, whichever is
    /// earlier; with no result yet, until `valid_until + 180 days`. A filing
    /// before the window opens is not a filing under Điều 7.6.a and extends
    /// nothing; nor does one after the term's last day (nothing is left to
    /// continue). A revocation takes effect on its day.
    pub fn standing(&self, on: Date) -> Result<Standing, Error> {
        let valid_until = self.valid_until()?;
        let procedure = crate::in_force_on(valid_until).ok();
        let rerating_window = match procedure.and_then(|e| e.rerating().ok()) {
            Some(rule) => Some(rerating_window(valid_until, rule)?),
            None => None,
        };
        let late = procedure.and_then(|e| e.late_rerating().ok());
        let extended_until = match (self.rerating_filed_on, rerating_window, late) {
            (Some(filed), Some(window), Some(late))
                if filed > window.closes && filed <= valid_until =>
            {
                let cap = add_days(valid_until, i64::from(late.max_extension_days))?;
                let end = self.result_on.map_or(cap, |result| result.min(cap));
                (end > valid_until).then_some(end)
            }
            _ => None,
        };
        let revoked_on = self
            .revocation
            .as_ref()
            .map(|r| r.revoked_on)
            .filter(|day| *day <= on);
        let status = if revoked_on.is_some() {
            Status::Revoked
        } else if on <= valid_until {
            Status::Valid
        } else if extended_until.is_some_and(|end| on <= end) {
            Status::Extended
        } else {
            Status::Expired
        };
        let days_left = match status {
            Status::Revoked => None,
            _ => Some(days_between(on, extended_until.unwrap_or(valid_until))?),
        };
        Ok(Standing {
            status,
            valid_until,
            extended_until,
            revoked_on,
            rerating_window,
            days_left,
        })
    }

    /// A register record for a stored assessment (`ocop score --format
    /// json`), issued on `issued_on` under decision `decision`.
    ///
    /// Refused when the assessment carries an `outcome` whose `action` is not
    /// `recognise`, when it is disqualified, below 3★, or when its
    /// re-computation ([`verify`](crate::verify::verify)) does not match it.
    pub fn from_assessment(
        stored: &Value,
        issued_on: Date,
        decision: &str,
    ) -> Result<Certificate, Error> {
        let refuse = |reason: String| Err(Error::NotCertifiable { reason });
        if let Some(outcome) = stored.get("outcome") {
            let action = outcome.get("action").and_then(Value::as_str);
            if action != Some("recognise") {
                return refuse(format!(
                    "the assessment's outcome is `{}`, not `recognise`",
                    echo(action.unwrap_or("(none)"))
                ));
            }
        }
        if stored.get("disqualified").is_some_and(|d| !d.is_null()) {
            return refuse("the dossier was disqualified".to_string());
        }
        let stars = stored
            .get("stars")
            .and_then(Value::as_u64)
            .and_then(|s| u8::try_from(s).ok())
            .unwrap_or(0);
        if stars < 3 {
            return refuse(format!(
                "a {stars}★ product gets no certificate (only 3★ to 5★ are certified)"
            ));
        }
        let verification = crate::verify::verify(stored)?;
        if !verification.matches {
            return refuse(format!(
                "the stored assessment does not match its re-computation ({} differences{}): run `ocop verify`",
                verification.differences.len(),
                if verification.rubric_changed.is_some() {
                    ", rubric changed"
                } else {
                    ""
                }
            ));
        }
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_string);
        let product = stored.get("product");
        let code =
            text(product.and_then(|p| p.get("code"))).ok_or_else(|| Error::InvalidCertificate {
                field: "code".to_string(),
                problem: "the assessment's product has no code (dossier `product.code`)"
                    .to_string(),
            })?;
        let mut certificate = Certificate {
            code,
            name: text(product.and_then(|p| p.get("name"))),
            producer: text(product.and_then(|p| p.get("producer"))),
            sheet: text(stored.get("sheet")),
            edition: text(stored.get("edition")).unwrap_or_default(),
            stars,
            issued_on,
            decision: decision.to_string(),
            authority: None,
            valid_until: None,
            revocation: None,
            rerating_filed_on: None,
            result_on: None,
        };
        certificate.check()?;
        Ok(certificate)
    }
}

/// The authority the rules name, or a mismatch error when `given` differs.
fn settle_authority(
    field: &str,
    stars: u8,
    given: Option<CertificateKind>,
    expected: CertificateKind,
    cite: &str,
) -> Result<CertificateKind, Error> {
    match given {
        Some(given) if given != expected => Err(Error::AuthorityMismatch {
            field: field.to_string(),
            stars,
            expected: kind_name(expected).to_string(),
            given: kind_name(given).to_string(),
            cite: cite.to_string(),
        }),
        _ => Ok(expected),
    }
}

/// `none`, `province`, `ministry`.
pub fn kind_name(kind: CertificateKind) -> &'static str {
    match kind {
        CertificateKind::None => "none",
        CertificateKind::Province => "province",
        CertificateKind::Ministry => "ministry",
    }
}

/// A register record from a CSV row: `headers` name the columns (the
/// record's fields; `revocation.revoked_on`, `revocation.ground`,
/// `revocation.authority` for a revocation); empty cells are absent fields.
/// The row is read and checked as a JSON record is.
pub fn from_csv_record(headers: &[&str], fields: &[&str]) -> Result<Certificate, Error> {
    let mut record = serde_json::Map::new();
    let mut revocation = serde_json::Map::new();
    for (at, cell) in fields.iter().enumerate() {
        let cell = cell.trim();
        let Some(header) = headers.get(at) else {
            if cell.is_empty() {
                continue;
            }
            return Err(Error::InvalidCertificate {
                field: format!("(column {})", at + 1),
                problem: "the row has more cells than the header has columns".to_string(),
            });
        };
        if headers.iter().take(at).any(|other| other == header) {
            return Err(Error::InvalidCertificate {
                field: echo(header),
                problem: "the column appears twice in the header".to_string(),
            });
        }
        if cell.is_empty() {
            continue;
        }
        let value = match (*header, cell.parse::<u64>()) {
            ("stars", Ok(number)) => Value::from(number),
            _ => Value::from(cell),
        };
        match header.strip_prefix("revocation.") {
            Some(inner) => revocation.insert(inner.to_string(), value),
            None => record.insert((*header).to_string(), value),
        };
    }
    if !revocation.is_empty() {
        record.insert("revocation".to_string(), Value::Object(revocation));
    }
    Certificate::from_value(&Value::Object(record))
}
