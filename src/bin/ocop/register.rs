//! `ocop register` and `ocop rounds`: a province's register of certificates
//! and the rounds of evaluation. Reading and formatting only; every rule is
//! in `ocop::certificate` and `ocop::rubric::certification`.

use std::io::Read;

use jiff::civil::Date;
use ocop::Error;
use ocop::certificate::{Certificate, Standing, add_days, days_between};
use ocop::rubric::certification::Level;
use serde_json::{Value, json};

/// The largest register read (a province holds thousands of records, not millions).
const MAX_REGISTER: u64 = 64 << 20;

/// Output of `register status`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFormat {
    Jsonl,
    Csv,
    Text,
}

/// A level for `ocop rounds --level`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    Province,
    Central,
}

impl From<LevelArg> for Level {
    fn from(level: LevelArg) -> Level {
        match level {
            LevelArg::Province => Level::Province,
            LevelArg::Central => Level::Central,
        }
    }
}

/// One record read: its line number and the certificate, or the error.
pub struct Record {
    pub line: usize,
    pub read: Result<Certificate, Error>,
}

/// Today in Vietnam (UTC+7, no daylight saving): the day the law's dates count in.
pub fn today() -> Date {
    let vietnam = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
    jiff::Timestamp::now().to_zoned_datetime(vietnam).date()
}

/// `--on`, `--issued-on`: a date `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    ocop::dossier::parse_date(text).ok_or_else(|| format!("`{text}` is not a date YYYY-MM-DD"))
}

/// Reads a register: JSON Lines (one certificate per line) or CSV (a `.csv`
/// file, or input whose first line is not a JSON object), `-` for standard
/// input. Every record yields one [`Record`], in order.
pub fn read(file: &str) -> Result<Vec<Record>, Error> {
    let io = |err: std::io::Error| Error::Io {
        path: file.to_string(),
        message: err.to_string(),
    };
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(io)?)
    };
    reader
        .take(MAX_REGISTER + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_REGISTER {
        return Err(Error::TooLarge {
            what: format!("register {file}"),
            size: bytes.len(),
            limit: MAX_REGISTER as usize,
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = body
        .split(|b| *b == b'\n')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace));
    let csv = file.to_ascii_lowercase().ends_with(".csv")
        || first.is_some_and(|line| line.trim_ascii_start().first() != Some(&b'{'));
    if csv {
        read_csv(body)
    } else {
        read_jsonl(body)
    }
}

fn read_jsonl(mut body: &[u8]) -> Result<Vec<Record>, Error> {
    let mut records = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0usize;
    while let Some(input) =
        ocop::batch::read_input(&mut body, &mut buf).map_err(|err| Error::Io {
            path: "register".to_string(),
            message: err.to_string(),
        })?
    {
        line += 1;
        let read = match input {
            ocop::batch::Input::Line(text) if text.trim().is_empty() => {
                Err(Error::InvalidCertificate {
                    field: "(record)".to_string(),
                    problem: "the line is empty: one certificate per line".to_string(),
                })
            }
            ocop::batch::Input::Line(text) => Certificate::from_json(&text),
            ocop::batch::Input::TooLong(size) => Err(Error::TooLarge {
                what: "a line".to_string(),
                size,
                limit: ocop::batch::MAX_LINE,
            }),
            ocop::batch::Input::NotUtf8 => Err(Error::NotUtf8 { at: 0 }),
        };
        records.push(Record { line, read });
    }
    Ok(records)
}

/// CSV: the header names the fields; `line` is the record's line in the file.
fn read_csv(body: &[u8]) -> Result<Vec<Record>, Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let headers = crate::csv_headers(&mut reader)?;
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut records = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut count = 1usize;
    loop {
        let read = reader.read_byte_record(&mut record);
        count += 1;
        let line = record
            .position()
            .and_then(|p| usize::try_from(p.line()).ok())
            .unwrap_or(count);
        let read = match read {
            Ok(false) => break,
            Ok(true) => {
                let fields: Result<Vec<&str>, _> = record.iter().map(std::str::from_utf8).collect();
                match fields {
                    Ok(fields) => ocop::certificate::from_csv_record(&header_refs, &fields),
                    Err(err) => Err(Error::NotUtf8 {
                        at: err.valid_up_to(),
                    }),
                }
            }
            Err(err) => Err(Error::InvalidCertificate {
                field: "(record)".to_string(),
                problem: format!("not a CSV record: {err}"),
            }),
        };
        records.push(Record { line, read });
    }
    Ok(records)
}

/// `{"line":N,"error":{"code":…,"message":…}}`, as `ocop batch` writes it.
fn error_line(line: usize, err: &Error) -> String {
    let mut out = String::new();
    ocop::batch::error_line(&mut out, line, None, err.code(), &err.to_string());
    out
}

/// The JSON line of one certificate's standing.
fn status_json(line: usize, certificate: &Certificate, standing: &Standing) -> Value {
    let mut out = json!({
        "line": line,
        "code": certificate.code,
        "stars": certificate.stars,
        "issued_on": certificate.issued_on.to_string(),
        "valid_until": standing.valid_until.to_string(),
        "status": standing.status.name(),
    });
    if let Some(fields) = out.as_object_mut() {
        if let Some(end) = standing.extended_until {
            fields.insert("extended_until".into(), end.to_string().into());
        }
        if let Some(day) = standing.revoked_on {
            fields.insert("revoked_on".into(), day.to_string().into());
        }
        fields.insert(
            "rerating_window".into(),
            standing.rerating_window.map_or(
                Value::Null,
                |w| json!({"opens": w.opens.to_string(), "closes": w.closes.to_string()}),
            ),
        );
        fields.insert(
            "days_left".into(),
            standing.days_left.map_or(Value::Null, Value::from),
        );
    }
    out
}

fn text_line(line: usize, certificate: &Certificate, standing: &Standing) -> String {
    let mut text = format!(
        "line {line}: {} {}★ issued {} valid until {}: {}",
        ocop::error::escape_controls(&certificate.code),
        certificate.stars,
        certificate.issued_on,
        standing.valid_until,
        standing.status.name()
    );
    if let Some(end) = standing.extended_until {
        text.push_str(&format!(" (extended until {end}, Điều 12.3)"));
    }
    if let Some(day) = standing.revoked_on {
        text.push_str(&format!(" on {day}"));
    }
    match standing.days_left {
        Some(days) if days < 0 => text.push_str(&format!(", {} days ago", -i64::from(days))),
        Some(days) => text.push_str(&format!(", {days} days left")),
        None => {}
    }
    if let Some(window) = standing.rerating_window {
        text.push_str(&format!(
            "; re-rating filing {} to {}",
            window.opens, window.closes
        ));
    }
    text
}

/// `ocop register status`: one line out per record in. Returns the text and
/// the number of records that could not be read.
pub fn status(
    records: &[Record],
    on: Date,
    format: StatusFormat,
) -> Result<(String, usize), Error> {
    let mut errors = 0;
    let mut text = String::new();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |err: csv::Error| Error::Write {
        path: "standard output".to_string(),
        message: err.to_string(),
    };
    if format == StatusFormat::Csv {
        writer
            .write_record([
                "line",
                "code",
                "stars",
                "issued_on",
                "valid_until",
                "status",
                "extended_until",
                "revoked_on",
                "rerating_opens",
                "rerating_closes",
                "days_left",
                "error_code",
                "error_message",
            ])
            .map_err(csv_error)?;
    }
    for record in records {
        let standing = record
            .read
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| c.standing(on).map(|s| (c, s)));
        match (&standing, format) {
            (Ok((certificate, standing)), StatusFormat::Jsonl) => {
                text.push_str(&status_json(record.line, certificate, standing).to_string());
            }
            (Ok((certificate, standing)), StatusFormat::Text) => {
                text.push_str(&text_line(record.line, certificate, standing));
            }
            (Ok((certificate, standing)), StatusFormat::Csv) => {
                let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
                writer
                    .write_record([
                        record.line.to_string(),
                        certificate.code.clone(),
                        certificate.stars.to_string(),
                        certificate.issued_on.to_string(),
                        standing.valid_until.to_string(),
                        standing.status.name().to_string(),
                        date(standing.extended_until),
                        date(standing.revoked_on),
                        date(standing.rerating_window.map(|w| w.opens)),
                        date(standing.rerating_window.map(|w| w.closes)),
                        standing
                            .days_left
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        String::new(),
                        String::new(),
                    ])
                    .map_err(csv_error)?;
            }
            (Err(err), _) => {
                errors += 1;
                match format {
                    StatusFormat::Jsonl => text.push_str(&error_line(record.line, err)),
                    StatusFormat::Text => text.push_str(&ocop::error::escape_controls(&format!(
                        "line {}: error[{}]: {err}",
                        record.line,
                        err.code()
                    ))),
                    StatusFormat::Csv => {
                        let mut row = vec![String::new(); 13];
                        if let Some(cell) = row.first_mut() {
                            *cell = record.line.to_string();
                        }
                        if let Some(cell) = row.get_mut(11) {
                            *cell = err.code().to_string();
                        }
                        if let Some(cell) = row.get_mut(12) {
                            *cell = ocop::error::escape_controls(&err.to_string());
                        }
                        writer.write_record(&row).map_err(csv_error)?;
                    }
                }
            }
        }
        if format != StatusFormat::Csv {
            text.push('\n');
        }
    }
    if format == StatusFormat::Csv {
        let bytes = writer.into_inner().map_err(|err| Error::Write {
            path: "standard output".to_string(),
            message: err.to_string(),
        })?;
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    Ok((text, errors))
}

/// `ocop register due`: the re-rating windows that open or close, and the
/// certificates whose last valid day falls, within `[on, on + within]`,
/// soonest first; records that could not be read follow as error lines.
pub fn due(records: &[Record], on: Date, within: u16) -> Result<(String, usize), Error> {
    let until = add_days(on, i64::from(within))?;
    let mut events: Vec<(Date, usize, ocop::certificate::Event, &Certificate)> = Vec::new();
    let mut failed = Vec::new();
    for record in records {
        let standing = record
            .read
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| c.standing(on).map(|s| (c, s)));
        let (certificate, standing) = match standing {
            Ok(found) => found,
            Err(err) => {
                failed.push(error_line(record.line, &err));
                continue;
            }
        };
        for (date, event) in standing.events_between(on, until) {
            events.push((date, record.line, event, certificate));
        }
    }
    events.sort_by_key(|(date, line, event, _)| (*date, *line, *event));
    let mut text = String::new();
    for (date, line, event, certificate) in events {
        let value = json!({
            "line": line,
            "code": certificate.code,
            "event": event.name(),
            "date": date.to_string(),
            "days": days_between(on, date)?,
        });
        text.push_str(&value.to_string());
        text.push('\n');
    }
    for line in &failed {
        text.push_str(line);
        text.push('\n');
    }
    Ok((text, failed.len()))
}

/// `ocop register add`: the register record (one JSON line) of a stored assessment.
pub fn add(stored: &Value, issued_on: Date, decision: &str) -> Result<String, Error> {
    let certificate = Certificate::from_assessment(stored, issued_on, decision)?;
    let mut text = serde_json::to_string(&certificate).map_err(|err| Error::Json {
        message: err.to_string(),
    })?;
    text.push('\n');
    Ok(text)
}

/// `ocop rounds`: the rounds of `year` under `edition` (by default the
/// edition in force on the year's last day).
pub fn rounds(
    year: i16,
    level: Option<LevelArg>,
    edition: Option<&str>,
    as_json: bool,
) -> Result<String, Error> {
    let edition = match edition {
        Some(id) => ocop::edition(id)?,
        None => {
            let last_day = Date::new(year, 12, 31).map_err(|_| Error::InvalidDates {
                problem: format!("year {year} is outside the years -9999 to 9999"),
            })?;
            ocop::in_force_on(last_day)?
        }
    };
    let rounds = edition.rounds(year, level.map(Level::from))?;
    if as_json {
        let list: Vec<Value> = rounds
            .iter()
            .map(|round| {
                json!({
                    "edition": edition.id(),
                    "level": round.level.name(),
                    "round": round.number,
                    "year": round.year,
                    "proposed_before": round.proposed_before.to_string(),
                    "evaluated_before": round.evaluated_before.to_string(),
                    "cite": round.cite,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&list).map_err(|err| Error::Json {
            message: err.to_string(),
        })?;
        text.push('\n');
        return Ok(text);
    }
    let mut text = format!(
        "Rounds of {year}, edition {} ({}); \"before\" excludes the day named\n",
        edition.id(),
        edition.decision()
    );
    text.push_str("level     round  proposed before  evaluated before  cite\n");
    for round in &rounds {
        text.push_str(&format!(
            "{:<9} {:<6} {:<16} {:<17} {}\n",
            round.level.name(),
            round.number,
            round.proposed_before.to_string(),
            round.evaluated_before.to_string(),
            round.cite
        ));
    }
    Ok(text)
}
