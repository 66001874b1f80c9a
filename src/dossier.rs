//! What a council member fills in: the edition (or a date), the sheet, the
//! product, and one answer per leaf criterion.

use std::collections::BTreeMap;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, echo};

/// Fields a dossier may have at the top level; any other is an error, so a
/// typo such as `answer` for `answers` is caught instead of scoring nothing.
const FIELDS: &[&str] = &[
    "$schema",
    "id",
    "edition",
    "evaluated_on",
    "filed_on",
    "sheet",
    "product",
    "answers",
    "members",
    "disqualified",
];

/// The largest dossier accepted, in bytes: real dossiers are a few KB; the
/// limit keeps memory bounded on hostile input.
pub const MAX_DOSSIER: usize = 16 << 20;

/// The most members a council dossier may have: councils have a dozen or so;
/// the limit keeps memory bounded on hostile input.
pub const MAX_MEMBERS: usize = 100;

/// A scoring sheet as filled in for one product.
///
/// Read one from JSON with [`Dossier::from_json`], or build one in code:
///
/// ```
/// let dossier = ocop::Dossier::new("hoa").edition("26-2026").answer("1.1", 2);
/// assert_eq!(dossier.answers["1.1"], 2);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Dossier {
    /// Passed through to the assessment untouched (e.g. a row id of the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    /// Edition id, e.g. `26-2026`. Without it, the edition in force on
    /// `evaluated_on` is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Day of the evaluation (`YYYY-MM-DD`); picks the edition when `edition` is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub evaluated_on: Option<Date>,
    /// Day the dossier was filed (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub filed_on: Option<Date>,
    /// Sheet key, e.g. `rau-cu-qua-hat-tuoi`.
    pub sheet: String,
    /// The product, passed through to the assessment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Criterion id → option number (1-based), or 0 when no option applies.
    /// Empty for a council dossier, whose members carry the answers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, u16>,
    /// A council dossier: every member's sheet of the same product. The rank
    /// follows the mean of their totals (Điều 3.3, "tổng điểm trung bình").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// Set by the council when the dossier is rejected outright ("Hồ sơ bị loại
    /// khi …", or a knock-out note of a criterion): the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disqualified: Option<String>,
}

/// Read as [`Dossier::from_value`] reads it: the same checks and typed errors
/// (as the deserialiser's custom error message).
impl<'de> serde::Deserialize<'de> for Dossier {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Dossier::from_value(&value).map_err(serde::de::Error::custom)
    }
}

/// One council member's filled sheet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Member {
    /// The member's name, unique within the council.
    pub member: String,
    /// The sheet the member filled, if given: it must be the dossier's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Criterion id → option number, as in a single dossier.
    pub answers: BTreeMap<String, u16>,
}

/// The product a dossier rates: free-form, passed through.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize, JsonSchema)]
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
    pub fn answer(mut self, criterion: impl Into<String>, option: u16) -> Self {
        self.answers.insert(criterion.into(), option);
        self
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
        Dossier::from_value(&parse_json(text)?)
    }

    /// Reads a dossier from a parsed JSON value, checking every field.
    pub fn from_value(value: &Value) -> Result<Dossier, Error> {
        let Value::Object(map) = value else {
            return Err(invalid("(dossier)", value, "a JSON object"));
        };
        if let Some(unknown) = map.keys().find(|key| !FIELDS.contains(&key.as_str())) {
            return Err(Error::InvalidField {
                field: echo(unknown),
                value: "(present)".to_string(),
                expected: format!("no such field: a dossier has {}", FIELDS.join(", ")),
            });
        }
        let sheet = match map.get("sheet") {
            Some(value) => string(value, "sheet")?,
            None => {
                return Err(missing(
                    "sheet",
                    "the sheet key, e.g. \"rau-cu-qua-hat-tuoi\"",
                ));
            }
        };
        let (answers, members) = match (map.get("answers"), map.get("members")) {
            (Some(value), None) => (answers(value, "answers")?, Vec::new()),
            (None, Some(value)) => (BTreeMap::new(), members(value)?),
            (Some(_), Some(_)) => {
                return Err(Error::InvalidField {
                    field: "members".to_string(),
                    value: "(present beside answers)".to_string(),
                    expected: "either answers (one sheet) or members (a council), not both"
                        .to_string(),
                });
            }
            (None, None) => {
                return Err(missing(
                    "answers",
                    "an object of criterion id → option number (or members, for a council)",
                ));
            }
        };
        Ok(Dossier {
            id: map.get("id").cloned(),
            edition: optional(map, "edition", string)?,
            evaluated_on: optional(map, "evaluated_on", date)?,
            filed_on: optional(map, "filed_on", date)?,
            sheet,
            product: optional(map, "product", product)?,
            answers,
            members,
            disqualified: optional(map, "disqualified", string)?,
        })
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

/// Parses JSON strictly: at most [`MAX_DOSSIER`] bytes, a leading byte-order
/// mark skipped, and no object may name a key twice (serde_json alone would
/// silently keep the last). Nesting is limited by serde_json (128 levels).
pub fn parse_json(text: &str) -> Result<Value, Error> {
    if text.len() > MAX_DOSSIER {
        return Err(Error::TooLarge {
            what: "JSON input".to_string(),
            size: text.len(),
            limit: MAX_DOSSIER,
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let duplicate = std::cell::RefCell::new(None);
    let mut parser = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(
        Strict {
            duplicate: &duplicate,
        },
        &mut parser,
    )
    .and_then(|value| parser.end().map(|()| value));
    match parsed {
        Ok(value) => Ok(value),
        Err(err) => match duplicate.into_inner() {
            Some(key) => Err(Error::DuplicateKey {
                key,
                at: Some(format!("line {}, column {}", err.line(), err.column())),
            }),
            None => Err(Error::Json {
                message: err.to_string(),
            }),
        },
    }
}

/// Builds a `Value`, refusing a key that appears twice in one object.
struct Strict<'d> {
    duplicate: &'d std::cell::RefCell<Option<String>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
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
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
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
        while let Some(item) = seq.next_element_seed(Strict {
            duplicate: self.duplicate,
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let message = format!("duplicate key `{}`", echo(&key));
                *self.duplicate.borrow_mut() = Some(echo(&key));
                return Err(serde::de::Error::custom(message));
            }
            let value = map.next_value_seed(Strict {
                duplicate: self.duplicate,
            })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

fn optional<T>(
    map: &Map<String, Value>,
    field: &str,
    read: impl Fn(&Value, &str) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value, field).map(Some),
    }
}

fn string(value: &Value, field: &str) -> Result<String, Error> {
    match value {
        Value::String(text) => Ok(text.clone()),
        other => Err(invalid(field, other, "a string")),
    }
}

fn date(value: &Value, field: &str) -> Result<Date, Error> {
    let text = string(value, field)?;
    text.parse::<Date>()
        .map_err(|_| invalid(field, value, "a real calendar date written YYYY-MM-DD"))
}

fn product(value: &Value, field: &str) -> Result<Product, Error> {
    let Value::Object(map) = value else {
        return Err(invalid(field, value, "an object with name, code, producer"));
    };
    let mut product = Product::default();
    for (key, value) in map {
        let slot = match key.as_str() {
            "name" => &mut product.name,
            "code" => &mut product.code,
            "producer" => &mut product.producer,
            _ => {
                product.extra.insert(key.clone(), value.clone());
                continue;
            }
        };
        if !value.is_null() {
            *slot = Some(string(value, &format!("product.{key}"))?);
        }
    }
    Ok(product)
}

fn members(value: &Value) -> Result<Vec<Member>, Error> {
    let Value::Array(list) = value else {
        return Err(invalid(
            "members",
            value,
            "an array of {\"member\": …, \"answers\": {…}}",
        ));
    };
    if list.is_empty() {
        return Err(Error::Council {
            problem: "the council has no members: give at least one member's sheet".to_string(),
        });
    }
    if list.len() > MAX_MEMBERS {
        return Err(Error::Council {
            problem: format!(
                "the council has {} members; at most {MAX_MEMBERS} are accepted",
                list.len()
            ),
        });
    }
    let mut members: Vec<Member> = Vec::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        let at = format!("members[{index}]");
        let Value::Object(map) = item else {
            return Err(invalid(
                &at,
                item,
                "an object {\"member\": …, \"answers\": {…}}",
            ));
        };
        if let Some(unknown) = map
            .keys()
            .find(|key| !["member", "sheet", "answers"].contains(&key.as_str()))
        {
            return Err(Error::InvalidField {
                field: format!("{at}.{}", echo(unknown)),
                value: "(present)".to_string(),
                expected: "no such field: a member has member, sheet, answers".to_string(),
            });
        }
        let name = match map.get("member") {
            Some(value) => string(value, &format!("{at}.member"))?,
            None => return Err(missing(&format!("{at}.member"), "the member's name")),
        };
        if name.trim().is_empty() {
            return Err(invalid(
                &format!("{at}.member"),
                &Value::String(name),
                "a non-empty name",
            ));
        }
        if members.iter().any(|m| m.member == name) {
            return Err(Error::Council {
                problem: format!(
                    "member `{}` appears twice: names must be unique",
                    echo(&name)
                ),
            });
        }
        let sheet = match map.get("sheet") {
            None | Some(Value::Null) => None,
            Some(value) => Some(string(value, &format!("{at}.sheet"))?),
        };
        let answers = match map.get("answers") {
            Some(value) => answers(value, &format!("{at}.answers"))?,
            None => return Err(missing(&format!("{at}.answers"), "the member's answers")),
        };
        members.push(Member {
            member: name,
            sheet,
            answers,
        });
    }
    Ok(members)
}

fn answers(value: &Value, at: &str) -> Result<BTreeMap<String, u16>, Error> {
    let Value::Object(map) = value else {
        return Err(invalid(
            at,
            value,
            "an object of criterion id → option number",
        ));
    };
    let mut answers = BTreeMap::new();
    for (criterion, option) in map {
        let field = format!("{at}.{}", Value::String(echo(criterion)));
        let number = match option {
            Value::Number(number) => number.as_u64().and_then(|n| u16::try_from(n).ok()),
            _ => None,
        };
        let Some(number) = number else {
            return Err(invalid(
                &field,
                option,
                "an option number: a whole number from 1, or 0 when no option applies",
            ));
        };
        answers.insert(criterion.clone(), number);
    }
    Ok(answers)
}

fn invalid(field: &str, value: &Value, expected: &str) -> Error {
    Error::InvalidField {
        field: field.to_string(),
        value: echo(&value.to_string()),
        expected: expected.to_string(),
    }
}

fn missing(field: &str, expected: &str) -> Error {
    Error::InvalidField {
        field: field.to_string(),
        value: "nothing (the field is missing)".to_string(),
        expected: expected.to_string(),
    }
}
