//! What a council fills in: the edition (or a date), the sheet, the product,
//! and one answer per leaf criterion, or every member's answers.
//!
//! One strict reader serves every path: [`Dossier::from_json`], `ocop score`,
//! both batch outputs, CSV rows and impact studies all read through the same
//! borrowed shape (`read`) with the same limits, so they refuse the same
//! things with the same typed errors.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, echo};

/// The largest dossier accepted, in bytes: real dossiers are a few KB; the
/// limit keeps memory bounded on hostile input.
pub const MAX_DOSSIER: usize = 16 << 20;

/// The most members a council dossier may have: councils have a dozen or so;
/// the limit keeps memory bounded on hostile input.
pub const MAX_MEMBERS: usize = 100;

/// Fields a dossier may have at the top level.
const FIELDS: &str = "$schema, id, edition, evaluated_on, filed_on, proposed_on, level, kind, sheet, product, answers, members, findings, disqualified";

/// A scoring sheet as filled in for one product.
///
/// Read one from JSON with [`Dossier::from_json`], or build one in code:
///
/// ```
/// use ocop::dossier::Answer;
/// let dossier = ocop::Dossier::new("hoa").edition("26-2026").answer("1.1", 2);
/// assert_eq!(dossier.answers().unwrap()["1.1"], Answer::Option(2));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dossier {
    /// Passed through to the assessment untouched, as written (any JSON).
    pub id: Option<RawJson>,
    /// Edition id, e.g. `26-2026`. Without it, the edition in force on
    /// `evaluated_on` is used.
    pub edition: Option<String>,
    /// Day of the evaluation (`YYYY-MM-DD`); picks the edition when `edition` is absent.
    pub evaluated_on: Option<Date>,
    /// Day the dossier was filed (`YYYY-MM-DD`).
    pub filed_on: Option<Date>,
    /// Sheet key, e.g. `rau-cu-qua-hat-tuoi`.
    pub sheet: String,
    /// The product, passed through to the assessment.
    pub product: Option<Product>,
    /// One sheet's answers, or a council's members.
    pub filled: Filled,
    /// Set by the council when the dossier is rejected outright ("Hồ sơ bị loại
    /// khi …"): the reason.
    pub disqualified: Option<String>,
    /// Day the commune (or the province, for the central level) proposed the
    /// dossier (`YYYY-MM-DD`): places it in a round.
    pub proposed_on: Option<Date>,
    /// The council's level; gives the assessment its outcome.
    pub level: Option<Level>,
    /// Kind of registration (Mẫu 01): first rating, upgrade or re-rating.
    pub kind: Option<Registration>,
    /// Facts the council established that fire a criterion's knock-out or stop
    /// rule (all material imported, unacceptable impurities, a copy, …).
    pub findings: Vec<Finding>,
}

/// The level of the council that evaluates ("cấp"): which levels an edition
/// has is in its data (26/2026: province and central; 1048/2019: district too).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Cấp huyện (1048/2019 and 781/2020 only).
    District,
    /// Cấp tỉnh.
    Province,
    /// Cấp trung ương.
    Central,
}

impl Level {
    /// The name as written in a dossier.
    pub fn name(self) -> &'static str {
        match self {
            Level::District => "district",
            Level::Province => "province",
            Level::Central => "central",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Level> {
        [Level::District, Level::Province, Level::Central]
            .into_iter()
            .find(|level| level.name() == text)
    }
}

/// The kind of registration, as Mẫu 01 ticks it: "Lần đầu / Nâng hạng / Đánh giá lại".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Registration {
    /// Lần đầu: a first rating.
    First,
    /// Nâng hạng: an upgrade of a rated product.
    Upgrade,
    /// Đánh giá lại: a re-rating when the certificate runs out.
    ReRating,
}

impl Registration {
    /// The name as written in a dossier.
    pub fn name(self) -> &'static str {
        match self {
            Registration::First => "first",
            Registration::Upgrade => "upgrade",
            Registration::ReRating => "re-rating",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Registration> {
        [
            Registration::First,
            Registration::Upgrade,
            Registration::ReRating,
        ]
        .into_iter()
        .find(|kind| kind.name() == text)
    }
}

/// A fact the council established on a criterion whose rule depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The criterion whose knock-out or stop rule the finding fires.
    pub criterion: String,
    /// What the council found, in its words.
    pub note: String,
}

/// The dossier's JSON form, for its schema: `answers` or `members`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, rename = "Dossier")]
#[allow(dead_code)]
struct DossierShape {
    /// A JSON Schema reference, ignored.
    #[serde(rename = "$schema")]
    schema: Option<String>,
    /// Passed through to the assessment untouched, as written (any JSON).
    id: Option<RawJson>,
    /// Edition id, e.g. `26-2026`. Without it, the edition in force on
    /// `evaluated_on` is used.
    edition: Option<String>,
    /// Day of the evaluation (`YYYY-MM-DD`); picks the edition when `edition` is absent.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    evaluated_on: Option<String>,
    /// Day the dossier was filed (`YYYY-MM-DD`); not after `evaluated_on`.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    filed_on: Option<String>,
    /// Day the commune (or province) proposed the dossier (`YYYY-MM-DD`).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    proposed_on: Option<String>,
    /// The council's level: `district` (1048/2019, 781/2020), `province` or `central`.
    level: Option<Level>,
    /// Kind of registration: `first`, `upgrade` or `re-rating`.
    kind: Option<Registration>,
    /// Sheet key, e.g. `rau-cu-qua-hat-tuoi`.
    sheet: String,
    /// The product, passed through to the assessment.
    product: Option<Product>,
    /// One sheet: criterion id → option number (or an array of ticked boxes for
    /// a cumulative criterion). Give this or `members`, not both.
    answers: Option<Answers>,
    /// A council: every member's sheet (at most 100). Give this or `answers`.
    members: Option<Vec<Member>>,
    /// Facts the council established that fire a criterion's knock-out or stop rule.
    findings: Option<Vec<Finding>>,
    /// The council's reason for rejecting the dossier outright.
    disqualified: Option<String>,
}

impl JsonSchema for Dossier {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        DossierShape::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        DossierShape::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        DossierShape::json_schema(generator)
    }
}

/// A JSON value kept exactly as written (a 30-digit number keeps its digits).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl From<Box<RawValue>> for RawJson {
    fn from(raw: Box<RawValue>) -> Self {
        RawJson(raw)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl JsonSchema for RawJson {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AnyJson".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::Schema::from(true)
    }
}

/// Criterion id → answer.
pub type Answers = BTreeMap<String, Answer>;

/// What a dossier holds: one filled sheet, or a council's.
#[derive(Debug, Clone, PartialEq)]
pub enum Filled {
    /// One sheet: criterion id → answer.
    Answers(Answers),
    /// A council dossier: every member's sheet of the same product. The rank
    /// follows the mean of their totals (Điều 3.3, "tổng điểm trung bình").
    Members(Vec<Member>),
}

impl Default for Filled {
    fn default() -> Self {
        Filled::Answers(Answers::new())
    }
}

/// The answer to one leaf criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Answer {
    /// The option ticked, numbered from 1 in printed order; 0 when none applies.
    Option(u16),
    /// For a cumulative criterion: the numbers of the boxes ticked (`[]` for none).
    Boxes(Vec<u16>),
}

impl std::fmt::Display for Answer {
    /// As a CSV cell holds it: `3`, or `1;3` for ticked boxes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Option(option) => write!(f, "{option}"),
            Answer::Boxes(boxes) => {
                let cells: Vec<String> = boxes.iter().map(u16::to_string).collect();
                f.write_str(&cells.join(";"))
            }
        }
    }
}

impl From<u16> for Answer {
    fn from(option: u16) -> Self {
        Answer::Option(option)
    }
}

/// One council member's filled sheet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Member {
    /// The member's name, unique within the council.
    pub member: String,
    /// The sheet the member filled, if given: it must be the dossier's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Criterion id → answer, as in a single dossier.
    pub answers: Answers,
}

/// The product a dossier rates: free-form, passed through.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Product {
    /// Product name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Product code, `(T)-(X)-(STT)-(year)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Producer ("chủ thể").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// Any other fields, kept as given.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Serialize for Dossier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(edition) = &self.edition {
            map.serialize_entry("edition", edition)?;
        }
        if let Some(date) = &self.evaluated_on {
            map.serialize_entry("evaluated_on", &date.to_string())?;
        }
        if let Some(date) = &self.filed_on {
            map.serialize_entry("filed_on", &date.to_string())?;
        }
        if let Some(date) = &self.proposed_on {
            map.serialize_entry("proposed_on", &date.to_string())?;
        }
        if let Some(level) = &self.level {
            map.serialize_entry("level", level)?;
        }
        if let Some(kind) = &self.kind {
            map.serialize_entry("kind", kind)?;
        }
        map.serialize_entry("sheet", &self.sheet)?;
        if let Some(product) = &self.product {
            map.serialize_entry("product", product)?;
        }
        match &self.filled {
            Filled::Answers(answers) => map.serialize_entry("answers", answers)?,
            Filled::Members(members) => map.serialize_entry("members", members)?,
        }
        if !self.findings.is_empty() {
            map.serialize_entry("findings", &self.findings)?;
        }
        if let Some(reason) = &self.disqualified {
            map.serialize_entry("disqualified", reason)?;
        }
        map.end()
    }
}

/// Read as [`Dossier::from_json`] reads it (the typed error becomes the
/// deserialiser's message).
impl<'de> Deserialize<'de> for Dossier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Dossier::from_json(raw.get()).map_err(serde::de::Error::custom)
    }
}

impl Dossier {
    /// An empty dossier for a sheet.
    pub fn new(sheet: impl Into<String>) -> Self {
        Dossier {
            sheet: sheet.into(),
            ..Dossier::default()
        }
    }

    /// Names the edition.
    pub fn edition(mut self, edition: impl Into<String>) -> Self {
        self.edition = Some(edition.into());
        self
    }

    /// Sets the evaluation date.
    pub fn evaluated_on(mut self, date: Date) -> Self {
        self.evaluated_on = Some(date);
        self
    }

    /// Answers a criterion with an option number (0: no option applies).
    /// On a council dossier it does nothing.
    pub fn answer(mut self, criterion: impl Into<String>, option: u16) -> Self {
        if let Filled::Answers(answers) = &mut self.filled {
            answers.insert(criterion.into(), Answer::Option(option));
        }
        self
    }

    /// Ticks boxes of a cumulative criterion (`&[]` for none).
    pub fn tick(mut self, criterion: impl Into<String>, boxes: &[u16]) -> Self {
        if let Filled::Answers(answers) = &mut self.filled {
            answers.insert(criterion.into(), Answer::Boxes(boxes.to_vec()));
        }
        self
    }

    /// One sheet's answers; `None` for a council dossier.
    pub fn answers(&self) -> Option<&Answers> {
        match &self.filled {
            Filled::Answers(answers) => Some(answers),
            Filled::Members(_) => None,
        }
    }

    /// One sheet's answers, to change; `None` for a council dossier.
    pub fn answers_mut(&mut self) -> Option<&mut Answers> {
        match &mut self.filled {
            Filled::Answers(answers) => Some(answers),
            Filled::Members(_) => None,
        }
    }

    /// A council's members, to change; `None` for a one-sheet dossier.
    pub fn members_mut(&mut self) -> Option<&mut Vec<Member>> {
        match &mut self.filled {
            Filled::Answers(_) => None,
            Filled::Members(members) => Some(members),
        }
    }

    /// A council's members; empty for a one-sheet dossier.
    pub fn members(&self) -> &[Member] {
        match &self.filled {
            Filled::Answers(_) => &[],
            Filled::Members(members) => members,
        }
    }

    /// Reads a dossier from bytes: at most [`MAX_DOSSIER`] bytes of UTF-8
    /// (a leading byte-order mark is skipped), then as [`Dossier::from_json`].
    pub fn from_slice(bytes: &[u8]) -> Result<Dossier, Error> {
        Dossier::from_json(text_of(bytes, "dossier")?)
    }

    /// Reads a dossier from JSON, checking every field.
    ///
    /// ```
    /// let dossier = ocop::Dossier::from_json(r#"{"edition":"26-2026","sheet":"hoa","answers":{"1.1":1}}"#)?;
    /// assert_eq!(dossier.sheet, "hoa");
    ///
    /// let err = ocop::Dossier::from_json(r#"{"sheet":"hoa","answers":{"1.1":"3"}}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid-field");
    /// assert!(err.to_string().contains(r#"answers."1.1""#));
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Dossier, Error> {
        read(text)?.owned()
    }

    /// Reads a dossier from a parsed JSON value, as [`Dossier::from_json`].
    pub fn from_value(value: &Value) -> Result<Dossier, Error> {
        Dossier::from_json(&value.to_string())
    }
}

/// Checks bytes of input: size, UTF-8, and skips a byte-order mark.
pub fn text_of<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Error> {
    if bytes.len() > MAX_DOSSIER {
        return Err(Error::TooLarge {
            what: what.to_string(),
            size: bytes.len(),
            limit: MAX_DOSSIER,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|err| Error::NotUtf8 {
        at: err.valid_up_to(),
    })
}

/// Parses any JSON strictly: at most [`MAX_DOSSIER`] bytes, a leading
/// byte-order mark skipped, no object naming a key twice, no number outside
/// the range of a double. Nesting is limited to 127 levels (serde_json's limit
/// of 128 includes the outermost value).
pub fn parse_json(text: &str) -> Result<Value, Error> {
    if text.len() > MAX_DOSSIER {
        return Err(Error::TooLarge {
            what: "JSON input".to_string(),
            size: text.len(),
            limit: MAX_DOSSIER,
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    FAULT.with(|fault| fault.borrow_mut().take());
    let mut parser = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(StrictValue, &mut parser)
        .and_then(|value| parser.end().map(|()| value));
    parsed.map_err(|err| fault_or(json_error(&err)))
}

// ---------------------------------------------------------------------------
// The one borrowed shape.

/// A dossier as read, borrowing from the input: what every path validates
/// through [`DossierIn::check`] before scoring.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DossierIn<'a> {
    #[serde(rename = "$schema", borrow, default)]
    _schema: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "checked_raw")]
    pub(crate) id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(crate) edition: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) evaluated_on: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) filed_on: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) proposed_on: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) level: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) sheet: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) product: Option<ProductIn<'a>>,
    #[serde(borrow, default)]
    pub(crate) answers: Option<AnswersIn<'a>>,
    #[serde(borrow, default)]
    pub(crate) members: Option<Vec<MemberIn<'a>>>,
    #[serde(borrow, default)]
    pub(crate) findings: Option<Vec<FindingIn<'a>>>,
    #[serde(borrow, default)]
    pub(crate) disqualified: Option<Cow<'a, str>>,
    /// An `id` given as text by another reader (a CSV cell), as JSON.
    #[serde(skip)]
    pub(crate) id_text: Option<String>,
}

/// A member as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberIn<'a> {
    #[serde(borrow)]
    pub(crate) member: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) sheet: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) answers: AnswersIn<'a>,
}

/// A finding as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FindingIn<'a> {
    #[serde(borrow)]
    pub(crate) criterion: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) note: Cow<'a, str>,
}

/// The product as read: three known strings, any other field kept.
#[derive(Debug, Default)]
pub(crate) struct ProductIn<'a> {
    pub(crate) name: Option<Cow<'a, str>>,
    pub(crate) code: Option<Cow<'a, str>>,
    pub(crate) producer: Option<Cow<'a, str>>,
    pub(crate) extra: BTreeMap<String, Value>,
}

/// An answer as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AnswerIn {
    Option(u16),
    Boxes(Vec<u16>),
}

/// The answers object as pairs in input order, duplicates refused.
#[derive(Debug, Default)]
pub(crate) struct AnswersIn<'a>(pub(crate) Vec<(Cow<'a, str>, AnswerIn)>);

/// Where a dossier's answers are, after [`DossierIn::check`].
pub(crate) enum FilledIn<'d, 'a> {
    Answers(&'d AnswersIn<'a>),
    Members,
}

/// Reads a dossier's JSON into the borrowed shape, with typed errors naming the
/// field, and checks what can be checked without the rubric.
pub(crate) fn read(text: &str) -> Result<DossierIn<'_>, Error> {
    if text.len() > MAX_DOSSIER {
        return Err(Error::TooLarge {
            what: "dossier".to_string(),
            size: text.len(),
            limit: MAX_DOSSIER,
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    FAULT.with(|fault| fault.borrow_mut().take());
    let mut parser = serde_json::Deserializer::from_str(text);
    // The fast way first; only a failure is read again to learn the field's path.
    let first = DossierIn::deserialize(&mut parser).and_then(|dossier| {
        parser.end()?;
        Ok(dossier)
    });
    if let Ok(dossier) = first {
        dossier.check()?;
        return Ok(dossier);
    }
    FAULT.with(|fault| fault.borrow_mut().take());
    let mut parser = serde_json::Deserializer::from_str(text);
    let result = serde_path_to_error::deserialize::<_, DossierIn<'_>>(&mut parser)
        .map_err(|err| {
            let path = err.path().to_string();
            let error = fault_or(field_error(&path, err.inner()));
            // Not JSON at all (syntax, nesting, a repeated key deep inside) is
            // reported as such before any field: the error path only.
            match parse_json(text) {
                Err(json) => json,
                Ok(_) => error,
            }
        })
        .and_then(|dossier| {
            parser
                .end()
                .map(|()| dossier)
                .map_err(|err| json_error(&err))
        })?;
    result.check()?;
    Ok(result)
}

impl<'a> DossierIn<'a> {
    /// What the rubric is not needed for: dates, members, answers vs members.
    pub(crate) fn check(&self) -> Result<FilledIn<'_, 'a>, Error> {
        self.check_dates()?;
        match (&self.answers, &self.members) {
            (Some(answers), None) => Ok(FilledIn::Answers(answers)),
            (None, Some(members)) => {
                check_members(members)?;
                Ok(FilledIn::Members)
            }
            (Some(_), Some(_)) => Err(Error::InvalidField {
                field: "members".to_string(),
                value: "(present beside answers)".to_string(),
                expected: "either answers (one sheet) or members (a council), not both".to_string(),
            }),
            (None, None) => Err(missing(
                "answers",
                "an object of criterion id → option number (or members, for a council)",
            )),
        }
    }

    /// The evaluation date, checked by [`check`](DossierIn::check).
    pub(crate) fn evaluated_on(&self) -> Option<Date> {
        self.evaluated_on
            .as_deref()
            .and_then(|text| date(text, "evaluated_on").ok())
    }

    /// The filing date, checked by [`check`](DossierIn::check).
    pub(crate) fn filed_on(&self) -> Option<Date> {
        self.filed_on
            .as_deref()
            .and_then(|text| date(text, "filed_on").ok())
    }

    /// A dossier with nothing in it, for readers that fill it field by field.
    pub(crate) fn empty() -> Self {
        DossierIn {
            _schema: None,
            id: None,
            edition: None,
            evaluated_on: None,
            filed_on: None,
            proposed_on: None,
            level: None,
            kind: None,
            sheet: Cow::Borrowed(""),
            product: None,
            answers: None,
            members: None,
            findings: None,
            disqualified: None,
            id_text: None,
        }
    }

    /// The dates, level, kind and findings, checked: each date real, filed
    /// and proposed no later than evaluated.
    pub(crate) fn check_dates(&self) -> Result<(), Error> {
        let evaluated = self
            .evaluated_on
            .as_deref()
            .map(|text| date(text, "evaluated_on"))
            .transpose()?;
        let filed = self
            .filed_on
            .as_deref()
            .map(|text| date(text, "filed_on"))
            .transpose()?;
        let proposed = self
            .proposed_on
            .as_deref()
            .map(|text| date(text, "proposed_on"))
            .transpose()?;
        for (field, earlier) in [("filed_on", filed), ("proposed_on", proposed)] {
            if let (Some(earlier), Some(evaluated)) = (earlier, evaluated) {
                if earlier > evaluated {
                    return Err(Error::InvalidDates {
                        problem: format!(
                            "{field} {earlier} is after evaluated_on {evaluated}: a dossier is evaluated after it is filed and proposed"
                        ),
                    });
                }
            }
        }
        if let (Some(filed), Some(proposed)) = (filed, proposed) {
            if filed > proposed {
                return Err(Error::InvalidDates {
                    problem: format!(
                        "filed_on {filed} is after proposed_on {proposed}: the commune proposes a dossier after it is filed"
                    ),
                });
            }
        }
        if let Some(text) = &self.level {
            if Level::parse(text).is_none() {
                return Err(Error::InvalidField {
                    field: "level".to_string(),
                    value: echo(&format!("{text:?}")),
                    expected: "\"district\", \"province\" or \"central\"".to_string(),
                });
            }
        }
        if let Some(text) = &self.kind {
            if Registration::parse(text).is_none() {
                return Err(Error::InvalidField {
                    field: "kind".to_string(),
                    value: echo(&format!("{text:?}")),
                    expected: "\"first\", \"upgrade\" or \"re-rating\"".to_string(),
                });
            }
        }
        for (index, finding) in self.findings.iter().flatten().enumerate() {
            if finding.note.trim().is_empty() {
                return Err(Error::InvalidField {
                    field: format!("findings[{index}].note"),
                    value: echo(&format!("{:?}", finding.note)),
                    expected: "what the council found, in words".to_string(),
                });
            }
            if self
                .findings
                .iter()
                .flatten()
                .take(index)
                .any(|other| other.criterion == finding.criterion)
            {
                return Err(Error::InvalidField {
                    field: format!("findings[{index}].criterion"),
                    value: echo(&format!("{:?}", finding.criterion)),
                    expected: "one finding per criterion".to_string(),
                });
            }
        }
        Ok(())
    }

    /// The level, checked by [`check`](DossierIn::check).
    pub(crate) fn level(&self) -> Option<Level> {
        self.level.as_deref().and_then(Level::parse)
    }

    /// The kind of registration, checked by [`check`](DossierIn::check).
    pub(crate) fn kind(&self) -> Option<Registration> {
        self.kind.as_deref().and_then(Registration::parse)
    }

    /// The owned dossier.
    pub(crate) fn owned(&self) -> Result<Dossier, Error> {
        let filled = match (&self.answers, &self.members) {
            (Some(answers), _) => Filled::Answers(answers.to_map()),
            (None, Some(members)) => Filled::Members(
                members
                    .iter()
                    .map(|m| Member {
                        member: m.member.to_string(),
                        sheet: m.sheet.as_ref().map(|s| s.to_string()),
                        answers: m.answers.to_map(),
                    })
                    .collect(),
            ),
            (None, None) => Filled::default(),
        };
        let evaluated_on = match &self.evaluated_on {
            Some(text) => Some(date(text, "evaluated_on")?),
            None => None,
        };
        let filed_on = match &self.filed_on {
            Some(text) => Some(date(text, "filed_on")?),
            None => None,
        };
        let id = match (&self.id_text, self.id) {
            (Some(text), _) => RawValue::from_string(text.clone()).ok().map(RawJson),
            (None, Some(raw)) => Some(RawJson(raw.to_owned())),
            (None, None) => None,
        };
        Ok(Dossier {
            id,
            edition: self.edition.as_ref().map(|s| s.to_string()),
            evaluated_on,
            filed_on,
            sheet: self.sheet.to_string(),
            product: self.product.as_ref().map(|p| Product {
                name: p.name.as_ref().map(|s| s.to_string()),
                code: p.code.as_ref().map(|s| s.to_string()),
                producer: p.producer.as_ref().map(|s| s.to_string()),
                extra: p.extra.clone(),
            }),
            filled,
            disqualified: self.disqualified.as_ref().map(|s| s.to_string()),
            proposed_on: match &self.proposed_on {
                Some(text) => Some(date(text, "proposed_on")?),
                None => None,
            },
            level: self.level(),
            kind: self.kind(),
            findings: self
                .findings
                .iter()
                .flatten()
                .map(|f| Finding {
                    criterion: f.criterion.to_string(),
                    note: f.note.to_string(),
                })
                .collect(),
        })
    }
}

impl AnswersIn<'_> {
    fn to_map(&self) -> Answers {
        self.0
            .iter()
            .map(|(id, answer)| {
                let answer = match answer {
                    AnswerIn::Option(option) => Answer::Option(*option),
                    AnswerIn::Boxes(boxes) => Answer::Boxes(boxes.clone()),
                };
                (id.to_string(), answer)
            })
            .collect()
    }
}

/// An answer, borrowed: what the kernel's answer check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnswerRef<'a> {
    Option(u16),
    Boxes(&'a [u16]),
}

/// A dossier's answers, borrowed (for a dossier built in code).
pub(crate) fn answers_in(answers: &Answers) -> impl Iterator<Item = (&str, AnswerRef<'_>)> {
    answers.iter().map(|(id, answer)| {
        let answer = match answer {
            Answer::Option(option) => AnswerRef::Option(*option),
            Answer::Boxes(boxes) => AnswerRef::Boxes(boxes),
        };
        (id.as_str(), answer)
    })
}

impl<'a> AnswersIn<'a> {
    /// The answers as read, borrowed.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, AnswerRef<'_>)> {
        self.0.iter().map(|(id, answer)| {
            let answer = match answer {
                AnswerIn::Option(option) => AnswerRef::Option(*option),
                AnswerIn::Boxes(boxes) => AnswerRef::Boxes(boxes),
            };
            (&**id, answer)
        })
    }

    /// Adds an answer read from elsewhere (a CSV cell), refusing a repeat.
    pub(crate) fn push(&mut self, id: Cow<'a, str>, text: &str) -> Result<(), Error> {
        if self.0.iter().any(|(other, _)| *other == id) {
            return Err(Error::DuplicateKey {
                key: echo(&id),
                at: Some("a second column for the criterion".to_string()),
            });
        }
        let value = if text.contains(';') || text.starts_with('[') {
            let inner = text.trim_start_matches('[').trim_end_matches(']');
            AnswerValue::Array(
                inner
                    .split([';', ','])
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .map(|part| part.parse::<u64>().ok())
                    .collect(),
            )
        } else {
            match text.parse::<u64>() {
                Ok(n) => AnswerValue::Number(Some(n)),
                Err(_) => AnswerValue::Other(Value::String(text.to_string()).to_string()),
            }
        };
        let answer = value.check(&id)?;
        self.0.push((id, answer));
        Ok(())
    }
}

/// A council has 1 to [`MAX_MEMBERS`] members: checked when a dossier is
/// read and again when one built in code is scored.
pub(crate) fn check_member_count(count: usize) -> Result<(), Error> {
    if count == 0 {
        return Err(Error::Council {
            problem: "the council has no members: give at least one member's sheet".to_string(),
        });
    }
    if count > MAX_MEMBERS {
        return Err(Error::Council {
            problem: format!("the council has {count} members; at most {MAX_MEMBERS} are accepted"),
        });
    }
    Ok(())
}

fn check_members(members: &[MemberIn<'_>]) -> Result<(), Error> {
    check_member_count(members.len())?;
    for (index, member) in members.iter().enumerate() {
        if member.member.trim().is_empty() {
            return Err(Error::InvalidField {
                field: format!("members[{index}].member"),
                value: echo(&format!("{:?}", member.member)),
                expected: "a non-empty name".to_string(),
            });
        }
        if members
            .iter()
            .take(index)
            .any(|other| other.member == member.member)
        {
            return Err(Error::Council {
                problem: format!(
                    "member `{}` appears twice: names must be unique",
                    echo(&member.member)
                ),
            });
        }
    }
    Ok(())
}

/// A date as the crate reads every date (dossiers, registers, the CLI): written
/// exactly `YYYY-MM-DD` and real in the calendar; `20260522`, `2026-05-22T00:00`
/// and zoned forms are not dates here.
///
/// ```
/// assert_eq!(ocop::dossier::parse_date("2024-02-29"), Some(jiff::civil::date(2024, 2, 29)));
/// assert_eq!(ocop::dossier::parse_date("2023-02-29"), None);
/// assert_eq!(ocop::dossier::parse_date("20260522"), None);
/// ```
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    text.parse::<Date>().ok()
}

/// [`parse_date`], as a typed error naming the field.
pub(crate) fn date(text: &str, field: &str) -> Result<Date, Error> {
    parse_date(text).ok_or_else(|| Error::InvalidField {
        field: field.to_string(),
        value: echo(&format!("{text:?}")),
        expected: "a real calendar date written YYYY-MM-DD".to_string(),
    })
}

fn missing(field: &str, expected: &str) -> Error {
    Error::InvalidField {
        field: field.to_string(),
        value: "nothing (the field is missing)".to_string(),
        expected: expected.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Errors: custom visitors leave a typed error here before failing, so the
// reader returns it instead of serde's message.

thread_local! {
    static FAULT: RefCell<Option<Error>> = const { RefCell::new(None) };
}

fn fault<E: serde::de::Error>(error: Error) -> E {
    let message = error.to_string();
    FAULT.with(|fault| *fault.borrow_mut() = Some(error));
    E::custom(message)
}

fn fault_or(error: Error) -> Error {
    FAULT
        .with(|fault| fault.borrow_mut().take())
        .unwrap_or(error)
}

/// A serde_json error as a typed error: syntax is `invalid-json`; a data error
/// names the field.
fn field_error(path: &str, err: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    if !matches!(err.classify(), Category::Data) {
        return json_error(err);
    }
    let message = err.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .replace("struct FindingIn", "an object")
        .replace("struct MemberIn", "an object")
        .replace("struct DossierIn", "an object");
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        let key = if path == "." || path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        return Error::DuplicateKey {
            key: echo(&key),
            at: Some(format!("line {}, column {}", err.line(), err.column())),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        // The path names the unknown key already, or the object holding it.
        let field = if path == key || path.ends_with(&format!(".{key}")) {
            path.to_string()
        } else if path == "." || path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let expected = if field.starts_with("members") {
            "no such field: a member has member, sheet, answers".to_string()
        } else if field.starts_with("findings") {
            "no such field: a finding has criterion, note".to_string()
        } else {
            format!("no such field: a dossier has {FIELDS}")
        };
        return Error::InvalidField {
            field: echo(&field),
            value: "(present)".to_string(),
            expected,
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        let field = if path == "." || path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let expected = match key {
            "sheet" => "the sheet key, e.g. \"rau-cu-qua-hat-tuoi\"",
            "member" => "the member's name",
            "answers" => "the member's answers",
            _ => "a value",
        };
        return missing(&field, expected);
    }
    // A top-level value that is not an object (an array: path `[0]`) is the dossier's fault.
    let field = if path == "." || path.is_empty() || path.starts_with('[') {
        "(dossier)".to_string()
    } else {
        path.to_string()
    };
    let expected = match field.as_str() {
        "(dossier)" => "a JSON object".to_string(),
        "product" => "an object with name, code, producer".to_string(),
        "members" => "an array of {\"member\": …, \"answers\": {…}}".to_string(),
        _ if field.starts_with("members[") && !field.contains('.') => {
            "an object {\"member\": …, \"answers\": {…}}".to_string()
        }
        _ if field.ends_with("answers") => "an object of criterion id → option number".to_string(),
        "findings" => "an array of {\"criterion\": …, \"note\": …}".to_string(),
        _ if field.starts_with("findings[") && !field.contains('.') => {
            "an object {\"criterion\": …, \"note\": …}".to_string()
        }
        _ => "a string".to_string(),
    };
    Error::InvalidField {
        field: echo(&field),
        value: echo(&message),
        expected,
    }
}

fn json_error(err: &serde_json::Error) -> Error {
    Error::Json {
        message: err.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Visitors.

/// `id`: kept as written, but only if it is JSON every reader accepts (no
/// repeated key, no lone surrogate, no number beyond a double).
fn checked_raw<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<&'de RawValue>, D::Error> {
    let raw = <&'de RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let simple = match text.as_bytes().first() {
        Some(b'"') => !text.contains('\\'),
        Some(b'-' | b'0'..=b'9') => text.parse::<f64>().is_ok_and(f64::is_finite),
        Some(b't' | b'f' | b'n') => true,
        _ => false,
    };
    if !simple {
        // Wrapped once, so nesting counts as it does inside the dossier.
        let wrapped = format!("[{text}]");
        let mut parser = serde_json::Deserializer::from_str(&wrapped);
        serde::de::DeserializeSeed::deserialize(StrictValue, &mut parser).map_err(|err| {
            let error = FAULT
                .with(|fault| fault.borrow_mut().take())
                .unwrap_or_else(|| Error::Json {
                    message: format!("in `id`: {err}"),
                });
            fault::<D::Error>(error)
        })?;
    }
    Ok(Some(raw))
}

impl<'de: 'a, 'a> Deserialize<'de> for ProductIn<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = ProductIn<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with name, code, producer")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut product = ProductIn::default();
                let mut seen: Vec<String> = Vec::new();
                while let Some(key) = map.next_key_seed(BorrowedKey(std::marker::PhantomData))? {
                    if seen.iter().any(|k| *k == *key) {
                        return Err(fault(Error::DuplicateKey {
                            key: echo(&format!("product.{key}")),
                            at: None,
                        }));
                    }
                    seen.push(key.to_string());
                    let slot = match &*key {
                        "name" => &mut product.name,
                        "code" => &mut product.code,
                        "producer" => &mut product.producer,
                        _ => {
                            let value = map.next_value_seed(StrictValue)?;
                            product.extra.insert(key.into_owned(), value);
                            continue;
                        }
                    };
                    *slot = map.next_value::<Option<Cow<'de, str>>>().map_err(|_| {
                        fault::<A::Error>(Error::InvalidField {
                            field: format!("product.{}", echo(&key)),
                            value: "(not a string)".to_string(),
                            expected: "a string".to_string(),
                        })
                    })?;
                }
                Ok(product)
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for AnswersIn<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = AnswersIn<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of criterion id → option number")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut pairs: Vec<(Cow<'a, str>, AnswerIn)> =
                    Vec::with_capacity(map.size_hint().unwrap_or(48));
                let mut sorted = true;
                while let Some(key) = map.next_key_seed(BorrowedKey(std::marker::PhantomData))? {
                    let value = map.next_value::<AnswerValue>()?;
                    let answer = value.check(&key).map_err(fault::<A::Error>)?;
                    if let Some((last, _)) = pairs.last() {
                        sorted &= **last < *key;
                    }
                    pairs.push((key, answer));
                }
                if !sorted {
                    let mut ids: Vec<&str> = pairs.iter().map(|(id, _)| &**id).collect();
                    ids.sort_unstable();
                    if let Some(pair) = ids.windows(2).find(|w| w.first() == w.get(1)) {
                        let key = pair.first().copied().unwrap_or_default();
                        return Err(fault(Error::DuplicateKey {
                            key: echo(key),
                            at: None,
                        }));
                    }
                }
                Ok(AnswersIn(pairs))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A map key borrowed from the input when it can be (no escapes), owned
/// otherwise: serde's own `Cow<str>` always allocates.
struct BorrowedKey<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> serde::de::DeserializeSeed<'de> for BorrowedKey<'a> {
    type Value = Cow<'a, str>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Cow<'a, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a criterion id")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        deserializer.deserialize_str(Visit(std::marker::PhantomData))
    }
}

/// An answer value before its checks: a number, an array, or anything else.
enum AnswerValue {
    Number(Option<u64>),
    Array(Vec<Option<u64>>),
    Other(String),
}

impl AnswerValue {
    fn check(self, key: &str) -> Result<AnswerIn, Error> {
        let field = || format!("answers.{}", Value::String(echo(key)));
        let option = |n: Option<u64>| n.and_then(|n| u16::try_from(n).ok());
        match self {
            AnswerValue::Number(n) => {
                option(n)
                    .map(AnswerIn::Option)
                    .ok_or_else(|| Error::InvalidField {
                        field: field(),
                        value: n.map_or("(not a whole number)".to_string(), |n| n.to_string()),
                        expected:
                            "an option number: a whole number from 1, or 0 when no option applies"
                                .to_string(),
                    })
            }
            AnswerValue::Array(items) => {
                let mut boxes = Vec::with_capacity(items.len());
                for item in items {
                    let Some(number) = option(item).filter(|n| *n > 0) else {
                        return Err(Error::InvalidField {
                            field: field(),
                            value: item
                                .map_or("(not a whole number)".to_string(), |n| n.to_string()),
                            expected: "box numbers: whole numbers from 1, each at most once"
                                .to_string(),
                        });
                    };
                    if boxes.contains(&number) {
                        return Err(Error::InvalidField {
                            field: field(),
                            value: format!("{number} twice"),
                            expected: "box numbers: whole numbers from 1, each at most once"
                                .to_string(),
                        });
                    }
                    boxes.push(number);
                }
                Ok(AnswerIn::Boxes(boxes))
            }
            AnswerValue::Other(value) => Err(Error::InvalidField {
                field: field(),
                value: echo(&value),
                expected: "an option number: a whole number from 1, or 0 when no option applies"
                    .to_string(),
            }),
        }
    }
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = AnswerValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an option number or an array of box numbers")
            }
            fn visit_u64<E>(self, v: u64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Number(Some(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other(Value::String(v.to_string()).to_string()))
            }
            fn visit_unit<E>(self) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Other("null".to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<AnswerValue, A::Error> {
                let value = StrictValue.visit_map(map)?;
                Ok(AnswerValue::Other(value.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<AnswerValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element_seed(StrictValue)? {
                    items.push(item.as_u64());
                    if items.len() > usize::from(u8::MAX) {
                        break;
                    }
                }
                while seq.next_element_seed(StrictValue)?.is_some() {}
                Ok(AnswerValue::Array(items))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// Builds a `Value`, refusing a key that appears twice in one object and a
/// number beyond a double.
struct StrictValue;

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(fault(Error::DuplicateKey {
                    key: echo(&key),
                    at: None,
                }));
            }
            let value = map.next_value_seed(StrictValue)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}
