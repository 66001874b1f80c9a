//! `ocop`: the command-line wrapper. Argument parsing and formatting only;
//! every rule lives in the library.

mod batch;
mod bounded;
mod forms;
mod register;
mod summary;
mod text;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ocop::reform::EditionSource;
use ocop::{Dossier, Edition, Error};

#[derive(Parser)]
#[command(
    name = "ocop",
    version,
    about = "Score OCOP product dossiers on the official rubric"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// List the embedded editions.
    Editions {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the sheets of an edition.
    Sheets {
        /// Edition id, e.g. 26-2026.
        #[arg(long, required_unless_present = "rubric")]
        edition: Option<String>,
        /// A draft edition folder (edition.toml + sheets/) instead of an embedded edition.
        #[arg(long, conflicts_with = "edition")]
        rubric: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The compiled edition as text, one datum a line (criteria/<id>/COMPILED.txt).
    Dump {
        /// Edition id, e.g. 26-2026.
        #[arg(required_unless_present = "rubric")]
        edition: Option<String>,
        /// A draft edition folder instead of an embedded edition.
        #[arg(long, conflicts_with = "edition")]
        rubric: Option<PathBuf>,
    },
    /// Show one sheet: parts, sections, criteria and options.
    Show {
        /// Edition id, e.g. 26-2026.
        #[arg(long, required_unless_present = "rubric")]
        edition: Option<String>,
        /// A draft edition folder instead of an embedded edition.
        #[arg(long, conflicts_with = "edition")]
        rubric: Option<PathBuf>,
        /// Sheet key, e.g. rau-cu-qua-hat-tuoi.
        #[arg(long)]
        sheet: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Score a dossier (JSON file, or - for standard input).
    Score {
        /// The dossier file, or - for standard input.
        file: String,
        /// Score on a draft edition folder instead of the embedded edition the dossier names.
        #[arg(long)]
        rubric: Option<PathBuf>,
        /// Round the total half-up to a whole point before placing it in a band.
        #[arg(long)]
        round_half_up: bool,
        /// Council spread check: flag members' totals differing by more than N points.
        #[arg(long, value_name = "N", value_parser = parse_spread_limit, allow_negative_numbers = true)]
        spread_limit: Option<rust_decimal::Decimal>,
        /// How a council reads a star mark: the members' mean points, a majority of members, or every member.
        #[arg(long, value_enum, default_value_t = MarkReadingArg::Mean)]
        mark_reading: MarkReadingArg,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The cheapest changes that lift a dossier (one sheet) to the next rank.
    Advise {
        /// The dossier, or - for standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A one-page report of a scored dossier (a dossier, or an assessment from `score --format json`).
    Report {
        /// The dossier or assessment, or - for standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = DocFormat::Md)]
        format: DocFormat,
    },
    /// The blank scoring form (phiếu đánh giá) of a sheet, to print and fill in.
    Sheet {
        /// Edition id, e.g. 26-2026.
        #[arg(long)]
        edition: String,
        /// Sheet key.
        #[arg(long)]
        sheet: String,
        #[arg(long, value_enum, default_value_t = DocFormat::Html)]
        format: DocFormat,
    },
    /// Re-compute a stored assessment from the dossier it records; exit 0 only if every figure matches.
    Verify {
        /// The assessment (JSON written by `ocop score --format json`), or - for standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Score many dossiers: one output record per input record, in order.
    Batch {
        /// JSON Lines (one dossier per line) or CSV, or - for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Input and output format.
        #[arg(long, value_enum, default_value_t = BatchFormat::Jsonl)]
        format: BatchFormat,
        /// A compact line per dossier instead of the full assessment (JSON Lines).
        #[arg(long)]
        summary: bool,
        /// Worker threads.
        #[arg(long, default_value_t = 1, value_parser = parse_jobs)]
        jobs: usize,
        /// Round totals half-up to a whole point before banding.
        #[arg(long)]
        round_half_up: bool,
        /// Council spread check limit (points).
        #[arg(long, value_name = "N", value_parser = parse_spread_limit, allow_negative_numbers = true)]
        spread_limit: Option<rust_decimal::Decimal>,
        /// How a council reads a star mark: the members' mean points, a majority of members, or every member.
        #[arg(long, value_enum, default_value_t = MarkReadingArg::Mean)]
        mark_reading: MarkReadingArg,
    },
    /// Validate a draft edition folder: every problem with file, line and the fix expected.
    Lint {
        /// The folder (edition.toml + sheets/), possibly extending an embedded edition.
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Structural difference between two editions (embedded ids or draft folders).
    Diff {
        /// The edition compared from.
        from: String,
        /// The edition compared to.
        to: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Re-score dossiers under a baseline and a reform edition and report what moves.
    Impact {
        /// The baseline edition (embedded id or draft folder).
        #[arg(long)]
        baseline: String,
        /// The reform edition (embedded id or draft folder).
        #[arg(long)]
        reform: String,
        /// A crosswalk (JSON) mapping criterion ids and options from baseline to reform.
        #[arg(long)]
        crosswalk: Option<PathBuf>,
        /// Round totals half-up to a whole point before banding.
        #[arg(long)]
        round_half_up: bool,
        /// Dossiers as JSON Lines, or - for standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print a JSON Schema.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// A province's register of certificates: status, what falls due, new records.
    Register {
        #[command(subcommand)]
        action: RegisterCommand,
    },
    /// The province summary of results (batch output or stored assessments): ranks, the share at 3★+, proposals, disqualifications, marks.
    Summary {
        /// Results: JSON Lines from `ocop batch` (summary or full lines), or stored assessments; - for standard input.
        #[arg(default_value = "-")]
        results: Vec<String>,
        /// Group the figures by sheet, product group, district/commune (from the product code) or round.
        #[arg(long, value_enum)]
        by: Option<summary::ByArg>,
        /// The share at 3★ or more aimed at (default 0.8, the Quảng Nam plan).
        #[arg(long, value_parser = summary::parse_share, default_value = "0.8")]
        target_share: rust_decimal::Decimal,
        #[arg(long, value_enum, default_value_t = summary::PageFormat::Md)]
        format: summary::PageFormat,
    },
    /// A form of Phụ lục III (QĐ 26/2026): 01 phiếu đăng ký, 02 báo cáo tự đánh giá, 03 báo cáo của UBND xã.
    Form {
        /// 01, 02 or 03.
        #[arg(value_parser = forms::parse_form)]
        number: ocop::forms::FormNumber,
        /// Fill the form from this dossier (product, code, producer, kind, dates; Mẫu 02: the self-scores).
        #[arg(long)]
        dossier: Option<String>,
        #[arg(long, value_enum, default_value_t = DocFormat::Html)]
        format: DocFormat,
    },
    /// Mẫu 02 with Phần III filled: the producer's own answers scored, and a later council's scores beside them.
    SelfAssess {
        /// The producer's dossier, or - for standard input.
        dossier: String,
        /// The council's assessment (from `ocop score --format json`) or council dossier.
        #[arg(long)]
        council: Option<String>,
        #[arg(long, value_enum, default_value_t = summary::PageFormat::Md)]
        format: summary::PageFormat,
    },
    /// The rounds of evaluation of a year (QĐ 26/2026 Điều 5).
    Rounds {
        /// The year, e.g. 2026.
        #[arg(long)]
        year: i16,
        /// One level only.
        #[arg(long, value_enum)]
        level: Option<register::LevelArg>,
        /// Edition id (default: the edition in force on the year's last day).
        #[arg(long)]
        edition: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Each certificate's status on a day: one line out per record in.
    Status {
        /// The day (default: today in Vietnam, UTC+7).
        #[arg(long, value_parser = register::parse_date)]
        on: Option<jiff::civil::Date>,
        #[arg(long, value_enum, default_value_t = register::StatusFormat::Jsonl)]
        format: register::StatusFormat,
        /// The register: JSON Lines or CSV, or - for standard input.
        file: String,
    },
    /// Re-rating windows opening or closing, and certificates expiring, within DAYS of a day.
    Due {
        /// The first day.
        #[arg(long, value_parser = register::parse_date)]
        on: jiff::civil::Date,
        /// How many days ahead.
        #[arg(long)]
        within: u16,
        /// The register: JSON Lines or CSV, or - for standard input.
        file: String,
    },
    /// The register record of a stored assessment (from `ocop score --format json`).
    Add {
        /// The day the recognition decision was issued.
        #[arg(long, value_parser = register::parse_date)]
        issued_on: jiff::civil::Date,
        /// The decision's number.
        #[arg(long)]
        decision: String,
        /// The assessment, or - for standard input.
        assessment: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MarkReadingArg {
    Mean,
    Majority,
    Every,
}

impl From<MarkReadingArg> for ocop::MarkReading {
    fn from(arg: MarkReadingArg) -> Self {
        match arg {
            MarkReadingArg::Mean => ocop::MarkReading::Mean,
            MarkReadingArg::Majority => ocop::MarkReading::Majority,
            MarkReadingArg::Every => ocop::MarkReading::Every,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BatchFormat {
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Md,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Dossier,
    Assessment,
    Rubric,
    Crosswalk,
    Register,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    match run(cli.command, &mut out) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(failure)) => {
            let _ = out.flush();
            report(failure);
            ExitCode::from(1)
        }
        Err(err) => {
            let _ = out.flush();
            report(&format!("error[{}]: {err}", err.code()));
            ExitCode::from(1)
        }
    }
}

/// Writes one line to standard error, its controls escaped (the library
/// escapes the values it echoes; this is the second line of defence, and it
/// keeps one error on one line). A standard error that cannot be written to
/// (full, closed) is not worth a panic: the exit code still says it.
fn report(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        ocop::error::escape_controls(message)
    );
}

/// Runs a command; `Some(message)` when it ran but its verdict is a failure
/// (exit 1): a mismatch found by `verify`, problems found by `lint`.
fn run(command: Command, out: &mut impl Write) -> Result<Option<&'static str>, Error> {
    let mut failure = None;
    let text = match command {
        Command::Editions { format } => {
            let editions: Vec<&Edition> = ocop::editions().collect();
            match format {
                Format::Json => json(
                    &editions
                        .iter()
                        .map(|e| text::edition_json(e))
                        .collect::<Vec<_>>(),
                ),
                Format::Text => text::editions(&editions),
            }
        }
        Command::Sheets {
            edition,
            rubric,
            format,
        } => {
            let edition = resolve(edition.as_deref(), rubric.as_ref())?;
            match format {
                Format::Json => json(&text::sheets_json(&edition)),
                Format::Text => text::sheets(&edition),
            }
        }
        Command::Dump { edition, rubric } => resolve(edition.as_deref(), rubric.as_ref())?.dump(),
        Command::Show {
            edition,
            rubric,
            sheet,
            format,
        } => {
            let edition = resolve(edition.as_deref(), rubric.as_ref())?;
            let sheet = edition.sheet(&sheet)?;
            match format {
                Format::Json => json(sheet),
                Format::Text => text::sheet(&edition, sheet),
            }
        }
        Command::Score {
            file,
            rubric,
            round_half_up,
            spread_limit,
            mark_reading,
            format,
        } => {
            let dossier = Dossier::from_json(&read_input(&file)?)?;
            let options = ocop::assess::Options::default()
                .round_half_up(round_half_up)
                .spread_limit(spread_limit)
                .mark_reading(mark_reading.into());
            let assessment = match rubric {
                Some(dir) => ocop::rubric::load_dir(&dir)?.assess_with(&dossier, options)?,
                None => ocop::assess::assess_with(&dossier, options)?,
            };
            match format {
                Format::Json => json(&assessment),
                Format::Text => text::assessment(&assessment),
            }
        }
        Command::Advise { file, format } => {
            let dossier = Dossier::from_json(&read_input(&file)?)?;
            let advice = ocop::advise::advise(&dossier)?;
            match format {
                Format::Json => json(&advice),
                Format::Text => text::advice(&advice),
            }
        }
        Command::Report { file, format } => {
            let value = ocop::dossier::parse_json(&read_input(&file)?)?;
            let assessment = ocop::report::load(&value)?;
            match format {
                DocFormat::Md => ocop::report::assessment_markdown(&assessment),
                DocFormat::Html => ocop::report::assessment_html(&assessment),
            }
        }
        Command::Sheet {
            edition,
            sheet,
            format,
        } => {
            let edition = ocop::edition(&edition)?;
            let sheet = edition.sheet(&sheet)?;
            match format {
                DocFormat::Md => ocop::report::blank_sheet_markdown(edition, sheet),
                DocFormat::Html => ocop::report::blank_sheet_html(edition, sheet),
            }
        }
        Command::Verify { file, format } => {
            let stored = ocop::dossier::parse_json(&read_input(&file)?)?;
            let verification = ocop::verify::verify(&stored)?;
            if !verification.matches {
                failure = Some(
                    "error[mismatch]: the stored assessment does not match its re-computation",
                );
            }
            match format {
                Format::Json => json(&verification),
                Format::Text => text::verification(&verification),
            }
        }
        Command::Batch {
            file,
            format,
            summary,
            jobs,
            round_half_up,
            spread_limit,
            mark_reading,
        } => {
            let options = ocop::assess::Options::default()
                .round_half_up(round_half_up)
                .spread_limit(spread_limit)
                .mark_reading(mark_reading.into());
            let mut input = std::io::BufReader::with_capacity(1 << 16, open_input(&file)?);
            let mut output = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            let counts = match format {
                BatchFormat::Jsonl => {
                    batch::jsonl(&mut input, &mut output, options, summary, jobs)?
                }
                BatchFormat::Csv => batch::csv(input, &mut output, options)?,
            };
            output.flush().map_err(write_error)?;
            drop(output);
            report(&counts.report());
            String::new()
        }
        Command::Lint { dir, format } => {
            let lint = ocop::reform::lint::lint(&dir)?;
            if !lint.problems.is_empty() {
                failure = Some("error[invalid-rubric]: the draft has problems (listed above)");
            }
            match format {
                Format::Json => json(&lint),
                Format::Text => text::lint(&lint),
            }
        }
        Command::Diff { from, to, format } => {
            let from = ocop::reform::EditionSource::resolve(&from)?;
            let to = ocop::reform::EditionSource::resolve(&to)?;
            let diff = ocop::reform::diff::diff(&from, &to);
            match format {
                Format::Json => json(&diff),
                Format::Text => text::diff(&diff),
            }
        }
        Command::Impact {
            baseline,
            reform,
            crosswalk,
            round_half_up,
            file,
            format,
        } => {
            let baseline = ocop::reform::EditionSource::resolve(&baseline)?;
            let reform = ocop::reform::EditionSource::resolve(&reform)?;
            let crosswalk = match crosswalk {
                Some(path) => Some(ocop::reform::impact::Crosswalk::from_json(&read_input(
                    &path.display().to_string(),
                )?)?),
                None => None,
            };
            let reader = open_input(&file)?;
            let options = ocop::assess::Options::default().round_half_up(round_half_up);
            let impact = ocop::reform::impact::run_jsonl(
                &baseline,
                &reform,
                crosswalk,
                options,
                std::io::BufReader::with_capacity(1 << 16, reader),
            )?;
            match format {
                Format::Json => json(&impact),
                Format::Text => text::impact(&impact),
            }
        }
        Command::Schema { which } => json(&match which {
            SchemaKind::Dossier => ocop::schema::dossier(),
            SchemaKind::Assessment => ocop::schema::assessment(),
            SchemaKind::Rubric => ocop::schema::rubric(),
            SchemaKind::Crosswalk => ocop::schema::crosswalk(),
            SchemaKind::Register => ocop::schema::register(),
        }),
        Command::Register { action } => {
            let (text, errors, total) = match action {
                RegisterCommand::Status { on, format, file } => {
                    let records = register::read(&file)?;
                    let on = on.unwrap_or_else(register::today);
                    let (text, errors) = register::status(&records, on, format)?;
                    (text, errors, records.len())
                }
                RegisterCommand::Due { on, within, file } => {
                    let records = register::read(&file)?;
                    let (text, errors) = register::due(&records, on, within)?;
                    (text, errors, records.len())
                }
                RegisterCommand::Add {
                    issued_on,
                    decision,
                    assessment,
                } => {
                    let stored = ocop::dossier::parse_json(&read_input(&assessment)?)?;
                    (register::add(&stored, issued_on, &decision)?, 0, 1)
                }
            };
            if errors > 0 {
                report(&format!(
                    "ocop register: {errors} of {total} records could not be read (their error lines are in the output)"
                ));
                failure = Some("error[partial]: not every record of the register was read");
            }
            text
        }
        Command::Rounds {
            year,
            level,
            edition,
            format,
        } => register::rounds(year, level, edition.as_deref(), format == Format::Json)?,
        Command::Summary {
            results,
            by,
            target_share,
            format,
        } => summary::run(&results, by, target_share, format)?,
        Command::Form {
            number,
            dossier,
            format,
        } => forms::form(number, dossier.as_deref(), format == DocFormat::Html)?,
        Command::SelfAssess {
            dossier,
            council,
            format,
        } => forms::self_assess(&dossier, council.as_deref(), format)?,
    };
    out.write_all(text.as_bytes()).map_err(write_error)?;
    out.flush().map_err(write_error)?;
    Ok(failure)
}

fn write_error(err: std::io::Error) -> Error {
    Error::Write {
        path: "standard output".to_string(),
        message: err.to_string(),
    }
}

/// `--jobs`: 1 up to four threads per core; more only adds switching.
fn parse_jobs(text: &str) -> Result<usize, String> {
    let jobs: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of threads"))?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let cap = cores.saturating_mul(4);
    match jobs {
        0 => Err("at least 1 thread is needed".to_string()),
        n if n > cap => Err(format!(
            "at most {cap} threads (4 per core, {cores} cores) are allowed"
        )),
        n => Ok(n),
    }
}

/// `--spread-limit`: a number of points, zero or more.
fn parse_spread_limit(text: &str) -> Result<rust_decimal::Decimal, String> {
    let limit: rust_decimal::Decimal = text
        .parse()
        .map_err(|_| format!("`{text}` is not a decimal number of points"))?;
    if limit.is_sign_negative() && !limit.is_zero() {
        return Err("a spread limit is zero or more points".to_string());
    }
    Ok(limit)
}

/// The embedded edition `--edition ID`, or the draft folder `--rubric DIR`.
fn resolve(id: Option<&str>, rubric: Option<&PathBuf>) -> Result<EditionSource, Error> {
    match (id, rubric) {
        (_, Some(dir)) => Ok(EditionSource::Draft(Box::new(ocop::rubric::load_dir(dir)?))),
        (Some(id), None) => Ok(EditionSource::Embedded(ocop::edition(id)?)),
        (None, None) => Err(Error::InvalidField {
            field: "--edition".to_string(),
            value: "nothing".to_string(),
            expected: "an edition id or --rubric DIR".to_string(),
        }),
    }
}

/// A file to stream, or standard input for `-`.
fn open_input(file: &str) -> Result<Box<dyn Read + Send>, Error> {
    if file == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    std::fs::File::open(file)
        .map(|f| Box::new(f) as Box<dyn Read + Send>)
        .map_err(|err| Error::Io {
            path: file.to_string(),
            message: err.to_string(),
        })
}

/// Reads a dossier or assessment file: at most MAX_DOSSIER bytes of UTF-8.
fn read_input(file: &str) -> Result<String, Error> {
    let io = |err: std::io::Error| Error::Io {
        path: file.to_string(),
        message: err.to_string(),
    };
    let limit = ocop::dossier::MAX_DOSSIER as u64 + 1;
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    } else {
        std::fs::File::open(file)
            .map_err(io)?
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    ocop::dossier::text_of(&bytes, file).map(str::to_string)
}

/// A CSV file's header names, trimmed (a name that is not UTF-8 is read
/// lossily, and then matches no field).
fn csv_headers<R: Read>(reader: &mut csv::Reader<R>) -> Result<Vec<String>, Error> {
    Ok(reader
        .byte_headers()
        .map_err(|err| Error::Io {
            path: "CSV header".to_string(),
            message: err.to_string(),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect())
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"));
    text.push('\n');
    text
}
