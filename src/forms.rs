//! The forms of Phụ lục III of QĐ 26/2026/QĐ-TTg, and the product code.
//!
//! Phụ lục III ("Mẫu một số văn bản trong hồ sơ sản phẩm, hồ sơ đề nghị đánh
//! giá, phân hạng sản phẩm OCOP") prints three forms, which Điều 6.1–6.2 of
//! the decision ask for:
//!
//! - [`FormNumber::Registration`], Mẫu số 01, "Phiếu đăng ký đánh giá, phân
//!   hạng sản phẩm OCOP": the producer's registration slip, with the part the
//!   commune and the province fill in on receipt (the slip's number
//!   `……-……. /PĐK- (Mã tỉnh) - (Mã xã) - (Năm)`);
//! - [`FormNumber::SelfAssessment`], Mẫu số 02, "Báo cáo tự đánh giá về sản
//!   phẩm": the producer's self-assessment, whose Phần III is a self-score
//!   per criterion ([`self_assess`] fills it from a dossier and compares it
//!   with a later council assessment);
//! - [`FormNumber::CommuneReport`], Mẫu số 03, "Báo cáo đánh giá một số nội
//!   dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP": the
//!   commune's report that goes with its proposal to the province.
//!
//! The fixed text is quoted from the source
//! (`../shared/reference/26-2026/source/qd-26-2026-QD-TTg.txt`, lines
//! 19916–20256, line breaks of the rendering joined); blanks are the dotted
//! lines as printed, filled where a dossier gives the value (product name,
//! code, producer, kind of registration, dates, the sheet's classification).
//! Both renderings are self-contained: Markdown, and HTML with inline CSS for
//! an A4 page, no scripts; every text from a dossier is escaped.
//!
//! The product code ("Mã số sản phẩm") is printed at the head of every sheet:
//! [`product_code_warning`] checks a code against the format of the edition.

use std::fmt::Write;

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::Assessment;
use crate::dossier::{Dossier, Product, Registration};
use crate::error::Error;
use crate::report::{escape, points};
use crate::rubric::Edition;

/// Where the forms are printed.
pub const SOURCE: &str = "QĐ 26/2026/QĐ-TTg, Phụ lục III";

// ---------------------------------------------------------------------------
// The product code

/// How an edition prints the product code ("Mã số sản phẩm").
/// A product code format, as the edition's data gives it
/// (`[product_code]` in `edition.toml`).
pub type CodeFormat = crate::rubric::def::ProductCodeDef;

/// The product code format of an edition, from its data.
pub fn code_format(edition: &Edition) -> Option<&CodeFormat> {
    edition.product_code()
}

/// A product code read against its edition's format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProductCode {
    /// T: the province code.
    pub province: String,
    /// X (commune) or H (district) code.
    pub area: String,
    /// STT: the product's number in the commune's (district's) list.
    pub number: String,
    /// The year of evaluation.
    pub year: u16,
}

/// Reads a product code against the edition's printed format: four parts
/// joined by `-` (spaces around them allowed), all digits: the province's
/// two, the commune's five (26/2026) or the district's three (1048/2019), the
/// number, and a year `20NN`. The error says what does not match.
pub fn parse_product_code(format: &CodeFormat, code: &str) -> Result<ProductCode, String> {
    let parts: Vec<&str> = code.trim().split('-').map(str::trim).collect();
    let [province, area, number, year] = parts.as_slice() else {
        return Err(format!(
            "it has {} part(s) separated by `-`, the format has 4",
            parts.len()
        ));
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(province) || province.len() != 2 {
        return Err(format!(
            "the province code (T) `{}` is not 2 digits",
            crate::error::echo(province)
        ));
    }
    if !digits(area) || area.len() != format.area_digits {
        return Err(format!(
            "the {} code ({}) `{}` is not {} digits",
            format.area_name,
            format.area,
            crate::error::echo(area),
            format.area_digits
        ));
    }
    if !digits(number) {
        return Err(format!(
            "the number (STT) `{}` is not a number",
            crate::error::echo(number)
        ));
    }
    let year_value = if digits(year) && year.len() == 4 && year.starts_with("20") {
        year.parse::<u16>().ok()
    } else {
        None
    };
    let Some(year_value) = year_value else {
        return Err(format!(
            "the year `{}` is not a year 20NN",
            crate::error::echo(year)
        ));
    };
    Ok(ProductCode {
        province: (*province).to_string(),
        area: (*area).to_string(),
        number: (*number).to_string(),
        year: year_value,
    })
}

/// Reads a product code against the edition's format; `None` when the edition
/// prints no format or the code does not match it.
pub fn product_code(edition: &Edition, code: &str) -> Option<ProductCode> {
    parse_product_code(code_format(edition)?, code).ok()
}

/// A warning when a product code does not match the format the edition
/// prints (`(T)-(X)-(STT)-năm` in 26/2026, `(T)-(H)-(STT)-năm` in
/// 1048/2019); `None` when it matches, or when the edition prints no format.
///
/// A wrong code does not change the score: it is a warning for the
/// assessment's `warnings`, not an error.
///
/// ```
/// let edition = ocop::edition("26-2026")?;
/// assert_eq!(ocop::forms::product_code_warning(edition, "83-28756-001-2026"), None);
/// let warning = ocop::forms::product_code_warning(edition, "83-832-001-2026").unwrap();
/// assert!(warning.contains("(T)-(X)-(STT)"));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn product_code_warning(edition: &Edition, code: &str) -> Option<String> {
    let format = code_format(edition)?;
    let why = parse_product_code(format, code).err()?;
    Some(format!(
        "product code `{}` does not match the format {} printed by edition {} ({}): {why}; the legend reads \"{}\"",
        crate::error::echo(code),
        format.printed,
        edition.id(),
        format.cite,
        format.legend
    ))
}

// ---------------------------------------------------------------------------
// The forms

/// One of the three forms of Phụ lục III.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FormNumber {
    /// Mẫu số 01: Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP.
    Registration,
    /// Mẫu số 02: Báo cáo tự đánh giá về sản phẩm.
    SelfAssessment,
    /// Mẫu số 03: Báo cáo đánh giá một số nội dung của hồ sơ đăng ký tham
    /// gia đánh giá, phân hạng sản phẩm OCOP.
    CommuneReport,
}

impl FormNumber {
    /// The three forms, in printed order.
    pub const ALL: [FormNumber; 3] = [
        FormNumber::Registration,
        FormNumber::SelfAssessment,
        FormNumber::CommuneReport,
    ];

    /// Reads `01`, `1`, `02`, … as printed ("Mẫu số 01").
    pub fn parse(text: &str) -> Option<FormNumber> {
        match text.trim() {
            "01" | "1" => Some(FormNumber::Registration),
            "02" | "2" => Some(FormNumber::SelfAssessment),
            "03" | "3" => Some(FormNumber::CommuneReport),
            _ => None,
        }
    }

    /// The number as printed: `01`, `02`, `03`.
    pub fn number(self) -> &'static str {
        match self {
            FormNumber::Registration => "01",
            FormNumber::SelfAssessment => "02",
            FormNumber::CommuneReport => "03",
        }
    }

    /// The form's name as the list of Phụ lục III prints it.
    pub fn title(self) -> &'static str {
        match self {
            FormNumber::Registration => "Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP",
            FormNumber::SelfAssessment => "Báo cáo tự đánh giá về sản phẩm",
            FormNumber::CommuneReport => {
                "Báo cáo đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP"
            }
        }
    }

    /// The lines of the source text the form is quoted from (first, last).
    pub fn source_lines(self) -> (u32, u32) {
        match self {
            FormNumber::Registration => (19934, 19994),
            FormNumber::SelfAssessment => (19995, 20208),
            FormNumber::CommuneReport => (20209, 20256),
        }
    }

    /// Where the form is printed, e.g. `QĐ 26/2026/QĐ-TTg, Phụ lục III, Mẫu số 01`.
    pub fn cite(self) -> String {
        format!("{SOURCE}, Mẫu số {}", self.number())
    }
}

/// What a form is filled with; everything absent stays a dotted blank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormData {
    /// Tên sản phẩm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Mã số sản phẩm, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The code read against its edition's format, when it matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_parts: Option<ProductCode>,
    /// Chủ thể: the producer ("Tên đơn vị", "Tên chủ thể").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// Lần đăng ký đánh giá: Lần đầu / Nâng hạng / Đánh giá lại.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Registration>,
    /// Nhóm sản phẩm đăng ký (Ngành, Nhóm, Phân nhóm): the classes of Phụ lục
    /// I whose sheet is the dossier's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// The day the dossier was filed: the slip's date, and the commune's
    /// "Ngày nhận".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<Date>,
    /// The day the commune proposed the dossier: the province's "Ngày nhận".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_on: Option<Date>,
    /// Phần III of Mẫu 02, when the dossier's answers were scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessment>,
    /// Things a reader should know (a product code that does not match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl FormData {
    /// The data a dossier gives: its product, kind, dates and the sheet's
    /// classification in its edition (the one it names, or the one in force on
    /// its evaluation date; 26/2026, the forms' decision, when it gives
    /// neither).
    pub fn from_dossier(dossier: &Dossier) -> Result<FormData, Error> {
        let edition = edition_of(dossier)?;
        let product = dossier.product.clone().unwrap_or_default();
        let mut warnings = Vec::new();
        let code_parts = product.code.as_deref().and_then(|code| {
            if let Some(warning) = product_code_warning(edition, code) {
                warnings.push(warning);
            }
            product_code(edition, code)
        });
        let classes = edition
            .classes()
            .iter()
            .filter(|class| class.sheet() == dossier.sheet)
            .map(|class| {
                let mut text = format!("{}; {}", class.group(), class.nhom());
                if let Some(sub) = &class.phan_nhom() {
                    let _ = write!(text, "; {sub}");
                }
                text
            })
            .collect();
        Ok(FormData {
            product: product.name,
            code: product.code,
            code_parts,
            producer: product.producer,
            kind: dossier.kind,
            classes,
            filed_on: dossier.filed_on,
            proposed_on: dossier.proposed_on,
            self_assessment: None,
            warnings,
        })
    }
}

fn edition_of(dossier: &Dossier) -> Result<&'static Edition, Error> {
    match (&dossier.edition, dossier.evaluated_on) {
        (Some(id), _) => crate::edition(id),
        (None, Some(date)) => crate::in_force_on(date),
        (None, None) => crate::edition("26-2026"),
    }
}

// ---------------------------------------------------------------------------
// Mẫu 02, Phần III: the self-assessment

/// Phần III of Mẫu 02: the producer's self-score per criterion, and where a
/// later council assessment differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SelfAssessment {
    /// Edition id.
    pub edition: String,
    /// Decision number of the edition.
    pub decision: String,
    /// Sheet key.
    pub sheet: String,
    /// Sheet number in the appendix.
    pub sheet_number: u16,
    /// Product set as printed.
    pub sheet_title: String,
    /// The product, as the dossier gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The producer's total.
    pub total: Decimal,
    /// Maximum total.
    pub max: Decimal,
    /// The rank of the producer's total by the bands.
    pub band_stars: u8,
    /// The producer's final rank (star marks applied; 0 when disqualified).
    pub stars: u8,
    /// One line per criterion (parents and leaves) in printed order.
    pub criteria: Vec<SelfScore>,
    /// The council's figures, when a council assessment is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<CouncilFigures>,
}

/// One criterion of the self-assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SelfScore {
    /// Criterion id.
    pub criterion: String,
    /// Title as printed.
    pub title: String,
    /// True for a criterion scored through its sub-criteria (points: their sum).
    pub parent: bool,
    /// Maximum points.
    pub max: Decimal,
    /// The producer's option (absent on a parent or a cumulative criterion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<u16>,
    /// The producer's points.
    pub points: Decimal,
    /// The council's option, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council_option: Option<u16>,
    /// The council's points (a council's exact mean), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council_points: Option<Decimal>,
    /// Council points minus the producer's, when they differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<Decimal>,
}

/// The council's figures beside the producer's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CouncilFigures {
    /// The council's total.
    pub total: Decimal,
    /// The council's band rank.
    pub band_stars: u8,
    /// The council's final rank.
    pub stars: u8,
    /// Council total minus the producer's.
    pub difference: Decimal,
    /// How many leaf criteria the council scored differently.
    pub criteria_differing: usize,
}

/// Scores the producer's own answers (the dossier, with `ocop::assess`) as
/// Phần III of Mẫu 02, and, given a later council assessment of the same
/// sheet and edition, shows per criterion where the council and the producer
/// differ.
pub fn self_assess(
    dossier: &Dossier,
    council: Option<&Assessment>,
) -> Result<SelfAssessment, Error> {
    let own = crate::assess(dossier)?;
    let edition = crate::edition(&own.edition)?;
    let sheet = edition.sheet(&own.sheet)?;
    if let Some(council) = council {
        if council.edition != own.edition || council.sheet != own.sheet {
            return Err(Error::InvalidField {
                field: "council".to_string(),
                value: format!(
                    "an assessment of sheet `{}` in edition {}",
                    crate::error::echo(&council.sheet),
                    crate::error::echo(&council.edition)
                ),
                expected: format!(
                    "an assessment of the dossier's sheet `{}` in edition {}",
                    own.sheet, own.edition
                ),
            });
        }
    }
    let mut criteria = Vec::with_capacity(own.criteria.len());
    let mut differing = 0usize;
    for line in &own.criteria {
        let parent = sheet.criterion(&line.id).is_some_and(|c| !c.is_leaf());
        let theirs = council.and_then(|c| c.criteria.iter().find(|t| t.id == line.id));
        let council_points = theirs.map(|t| t.points);
        let difference = council_points
            .and_then(|p| p.checked_sub(line.points))
            .filter(|d| !d.is_zero());
        if difference.is_some() && !parent {
            differing = differing
                .checked_add(1)
                .ok_or_else(|| too_many("criteria"))?;
        }
        criteria.push(SelfScore {
            criterion: line.id.clone(),
            title: line.title.clone(),
            parent,
            max: line.max,
            option: line.option,
            points: line.points,
            council_option: theirs.and_then(|t| t.option),
            council_points,
            difference: difference.map(|d| d.normalize()),
        });
    }
    let council = match council {
        Some(c) => Some(CouncilFigures {
            total: c.total,
            band_stars: c.band_stars.get(),
            stars: c.stars.get(),
            difference: c
                .total
                .checked_sub(own.total)
                .ok_or_else(|| too_many("points"))?
                .normalize(),
            criteria_differing: differing,
        }),
        None => None,
    };
    Ok(SelfAssessment {
        edition: own.edition,
        decision: own.decision,
        sheet: own.sheet,
        sheet_number: own.sheet_number,
        sheet_title: own.sheet_title,
        product: own.product,
        total: own.total,
        max: own.max,
        band_stars: own.band_stars.get(),
        stars: own.stars.get(),
        criteria,
        council,
    })
}

fn too_many(what: &str) -> Error {
    Error::TooLarge {
        what: format!("a count of {what}"),
        size: usize::MAX,
        limit: usize::MAX,
    }
}

// ---------------------------------------------------------------------------
// The forms' text, as printed
//
// One walk of a form and its data gives its [`Line`]s (`page`): which lines,
// tables, rows and cells exist, in what order, and every value as text. The
// Markdown and HTML printers below are functions of those lines: they add
// markup and escaping, and decide nothing else (as `crate::report`'s printers
// do with its `Document`).

/// A piece of a line: printed text, or a blank the data may fill.
enum Piece {
    /// Text as printed.
    Text(&'static str),
    /// Text from the data, printed as text (escaped).
    Value(String),
    /// Text from the data, printed as code (a sheet's key).
    Code(String),
    /// A figure from the data, bold in HTML; `field` names it there
    /// (`data-field`).
    Figure(&'static str, String),
    /// A dotted blank of about `width` dots, or the value; `field` names it
    /// in the HTML (`data-field`).
    Blank(&'static str, Option<String>, usize),
    /// A placeholder printed as text, e.g. `(Mã tỉnh)`, or the value.
    Slot(&'static str, &'static str, Option<String>),
    /// A check box as printed (`□`), ticked when true.
    Check(&'static str, bool),
}

use Piece::{Blank, Check, Code, Figure, Slot, Text, Value};

/// A line of a form.
enum Line {
    /// Where the form is quoted from (an HTML comment in both renderings).
    Source(String),
    /// The form's number and name, above its text.
    FormNumber(String),
    /// The national motto on the right, and the issuing body on the left.
    Motto(Option<[&'static str; 2]>),
    /// The form's title (bold, large).
    Title(&'static str),
    /// A centred line under the title.
    Center(Vec<Piece>),
    /// A part heading, e.g. `Phần I` / `THÔNG TIN CHUNG`.
    Part(&'static str, &'static str),
    /// A bold heading within the form.
    Heading(&'static str),
    /// A paragraph.
    Para(Vec<Piece>),
    /// A full line of dots, to write on.
    Dots,
    /// A table: Mẫu 02's evidence, or its self-scores when filled.
    Table(Table),
    /// The signature block: the place and date line (none when empty), who
    /// signs, and how (`(Ký, đóng dấu, ghi rõ họ tên)`).
    Sign(Vec<Piece>, &'static str, &'static str),
    /// A footnote.
    Footnote(&'static str),
    /// A horizontal rule (the footnote line, the office's part).
    Rule,
    /// A thing a reader should know, as printed below the form.
    Warning(String),
}

/// The national motto, the right side of a [`Line::Motto`], as printed.
const MOTTO: [&str; 2] = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
];

/// A table of a form: its columns and rows, every cell's text decided.
struct Table {
    /// What the table is (the HTML `class`: `scores`, `evidence`).
    class: &'static str,
    /// The columns, left to right.
    columns: Vec<Column>,
    /// The rows, in printed order.
    rows: Vec<Row>,
}

/// A column of a table.
struct Column {
    /// The head, as printed.
    head: &'static str,
    /// A column of figures (aligned right).
    figures: bool,
}

/// A row of a table.
struct Row {
    /// What the row is; `None` for a row of printed text (the evidence
    /// table), which carries no marks.
    kind: Option<RowKind>,
    /// One cell per column.
    cells: Vec<Cell>,
}

/// What a row of the score table is.
struct RowKind {
    /// A criterion scored through its sub-criteria, or the total: the whole
    /// row is bold in HTML.
    parent: bool,
    /// The council's points differ from the producer's.
    differs: bool,
}

/// A cell of a table.
#[derive(Default)]
struct Cell {
    /// The value as printed: a figure, a criterion's id or title, text.
    text: String,
    /// Printed after the value, outside its emphasis and its field: a
    /// total's rank, ` (3 sao)`.
    after: String,
    /// The value's `data-field` in the HTML, so a program can read it back.
    field: Option<String>,
    /// The value is emphasised (bold in Markdown; in HTML the row's kind
    /// makes it bold).
    strong: bool,
    /// Its line breaks are printed (HTML); a Markdown table cell cannot hold
    /// them, so they are spaces there.
    breaks: bool,
    /// The row has nothing in this column (the total's criterion), as
    /// opposed to an empty value (no difference).
    vacant: bool,
}

impl Column {
    fn text(head: &'static str) -> Column {
        Column {
            head,
            figures: false,
        }
    }

    fn figures(head: &'static str) -> Column {
        Column {
            head,
            figures: true,
        }
    }
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    fn field(self, field: String) -> Cell {
        Cell {
            field: Some(field),
            ..self
        }
    }

    fn strong(self, strong: bool) -> Cell {
        Cell { strong, ..self }
    }
}

fn blank(field: &'static str, value: Option<&str>, width: usize) -> Piece {
    Blank(field, value.map(str::to_string), width)
}

fn date_pieces(date: Option<Date>) -> Vec<Piece> {
    vec![
        Text("........, ngày "),
        Slot("day", "........", date.map(|d| d.day().to_string())),
        Text(" tháng "),
        Slot("month", "........", date.map(|d| d.month().to_string())),
        Text(" năm "),
        Slot("year", "......", date.map(|d| d.year().to_string())),
    ]
}

fn dmy(date: Option<Date>) -> Option<String> {
    date.map(|d| format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()))
}

fn slip_number(data: &FormData) -> Vec<Piece> {
    let parts = data.code_parts.as_ref();
    vec![
        Text("Phiếu số: ……-……. /PĐK- "),
        Slot(
            "slip-province",
            "(Mã tỉnh)",
            parts.map(|p| p.province.clone()),
        ),
        Text(" - "),
        Slot("slip-commune", "(Mã xã)", parts.map(|p| p.area.clone())),
        Text(" - "),
        Slot(
            "slip-year",
            "(Năm)",
            data.filed_on.map(|d| d.year().to_string()),
        ),
    ]
}

fn registration(data: &FormData) -> Vec<Line> {
    let year = data.filed_on.map(|d| d.year().to_string());
    let classes = (!data.classes.is_empty()).then(|| data.classes.join(" / "));
    let kind = |k: Registration| data.kind == Some(k);
    let office = |heading: &'static str, received: Option<Date>| {
        vec![
            Line::Heading(heading),
            Line::Para(slip_number(data)),
            Line::Para(vec![
                Text("Ngày nhận: "),
                blank("received", dmy(received).as_deref(), 60),
            ]),
            Line::Para(vec![
                Text("Người tiếp nhận: "),
                blank("receiver", None, 30),
                Text(" Chữ ký: "),
                blank("receiver-signature", None, 20),
            ]),
            Line::Sign(
                Vec::new(),
                "Cơ quan tiếp nhận",
                "(Ký, đóng dấu và ghi rõ họ tên)",
            ),
        ]
    };
    let mut lines = vec![
        Line::Motto(None),
        Line::Title("PHIẾU ĐĂNG KÝ"),
        Line::Center(vec![
            Text("Tham gia đánh giá, phân hạng sản phẩm OCOP của tỉnh "),
            blank("province", None, 12),
            Text(" năm "),
            blank("year", year.as_deref(), 8),
        ]),
        Line::Heading("1. Thông tin về đơn vị đăng ký:"),
        Line::Para(vec![
            Text("- Tên đơn vị: "),
            blank("producer", data.producer.as_deref(), 60),
        ]),
        Line::Para(vec![
            Text("- Họ tên người đại diện pháp lý: "),
            blank("representative", None, 45),
        ]),
        Line::Para(vec![Text("- Chức vụ: "), blank("position", None, 60)]),
        Line::Para(vec![
            Text("- Địa chỉ liên hệ: "),
            blank("address", None, 55),
        ]),
        Line::Para(vec![
            Text("- Điện thoại: "),
            blank("phone", None, 25),
            Text(" Email: "),
            blank("email", None, 25),
        ]),
        Line::Para(vec![
            Text("2. Tên sản phẩm: "),
            blank("product", data.product.as_deref(), 55),
        ]),
        Line::Para(vec![
            Text("3. Nhóm sản phẩm đăng ký (Ngành, Nhóm, Phân nhóm¹): "),
            blank("classes", classes.as_deref(), 25),
        ]),
    ];
    if classes.is_none() {
        lines.push(Line::Dots);
    }
    lines.extend([
        Line::Para(vec![
            Text("4. Lần đăng ký đánh giá: "),
            Check("Lần đầu", kind(Registration::First)),
            Text(" "),
            Check("Nâng hạng:", kind(Registration::Upgrade)),
            Text(" "),
            Check("Đánh giá lại:", kind(Registration::ReRating)),
        ]),
        Line::Heading("5. Tài liệu kèm theo:"),
        Line::Para(vec![Text(
            "- Báo cáo đánh giá về sản phẩm theo Bộ tiêu chí (bản gốc, bản điện tử).",
        )]),
        Line::Para(vec![Text("- Sản phẩm mẫu (số lượng): "), blank("samples", None, 45)]),
        Line::Para(vec![Text(
            "Cam đoan những thông tin trong Phiếu đăng ký là đúng sự thật, chúng tôi xin cam kết tuân thủ các quy định về đánh giá, phân hạng sản phẩm OCOP, chịu trách nhiệm trước Hội đồng và pháp luật về Hồ sơ đăng ký đánh giá, phân hạng sản phẩm.",
        )]),
        Line::Sign(
            date_pieces(data.filed_on), "ĐẠI DIỆN", "(Ký, đóng dấu, ghi rõ họ tên)",
        ),
        Line::Rule,
        Line::Footnote(
            "¹ Theo Phụ lục I về Danh mục phân loại sản phẩm tham gia đánh giá, phân hạng sản phẩm OCOP.",
        ),
        Line::Rule,
        Line::Part("PHẦN DÀNH CHO CƠ QUAN QUẢN LÝ", ""),
    ]);
    lines.extend(office("DÀNH CHO ỦY BAN NHÂN DÂN CẤP XÃ", data.filed_on));
    lines.extend(office(
        "DÀNH CHO CƠ QUAN QUẢN LÝ OCOP CẤP TỈNH",
        data.proposed_on,
    ));
    lines
}

/// Mẫu 02's evidence table (Phần III), as printed: (Nội dung, Yêu cầu).
const EVIDENCE: [(&str, &str); 16] = [
    (
        "Giấy đăng ký kinh doanh",
        "Bản sao chứng minh hoạt động kinh doanh hợp pháp (đối với các đơn vị/cá nhân có đăng ký kinh doanh)",
    ),
    (
        "Giấy chứng nhận cơ sở đủ điều kiện sản xuất",
        "Bản sao (đối với sản phẩm cần phải có giấy chứng nhận theo quy định hiện hành)",
    ),
    (
        "Nguồn gốc nguyên liệu, vùng nguyên liệu, liên kết chuỗi",
        "Bản sao tài liệu: Giấy xác nhận an toàn thực phẩm đối với vùng nguyên liệu, hợp đồng mua bán/hợp đồng nguyên tắc, thỏa thuận liên kết, thanh lý hợp đồng, hóa đơn chứng từ hợp lệ... chứng minh nguồn gốc nguyên liệu, liên kết chuỗi.",
    ),
    (
        "Bảo vệ môi trường, sử dụng công nghệ theo hướng bền vững",
        "Bản sao hồ sơ, thủ tục về môi trường theo quy định; hình ảnh minh chứng về thực hiện giải pháp bảo vệ môi trường; hình ảnh, mô tả công nghệ sử dụng theo hướng bền vững.",
    ),
    (
        "Sử dụng lao động địa phương",
        "Danh sách lao động đóng bảo hiểm có xác nhận của chủ thể, bao gồm cả nơi thường trú.",
    ),
    (
        "Tăng trưởng sản xuất kinh doanh",
        "- Bản sao Tài liệu minh chứng kết quả phân loại hợp tác xã hoặc báo cáo tài chính 2 năm gần nhất.\n- Bản sao Báo cáo tài chính của chủ thể 2 năm gần nhất.",
    ),
    (
        "Sở hữu trí tuệ",
        "Minh chứng thể hiện Đơn đăng ký nhãn hiệu đã được cơ quan có thẩm quyền chấp nhận hoặc công bố.\nBản sao Giấy chứng nhận đăng ký nhãn hiệu; văn bằng ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận; Bằng sáng chế, Bằng độc quyền kiểu dáng công nghiệp,...",
    ),
    (
        "Phát triển thị trường, hoạt động quảng bá, xúc tiến thương mại",
        "Bản sao tài liệu: Hợp đồng, cam kết, ký gửi, đặt hàng, biên nhận, hóa đơn, chứng từ để minh chứng xác nhận về phân phối sản phẩm, xuất khẩu sản phẩm, hoạt động xúc tiến thương mại...",
    ),
    (
        "Quảng bá sản phẩm",
        "Tài liệu minh chứng về website, hoạt động quảng bá.",
    ),
    (
        "Câu chuyện về sản phẩm",
        "Bản sao tờ rơi, hình ảnh, phim, ghi âm... minh chứng về câu chuyện của sản phẩm",
    ),
    (
        "Công bố chất lượng sản phẩm",
        "Bản sao tài liệu, chứng minh chất lượng sản phẩm được công bố",
    ),
    (
        "Phiếu kết quả kiểm nghiệm chỉ tiêu chất lượng, an toàn thực phẩm theo tiêu chuẩn công bố",
        "Bản sao tài liệu chứng minh đạt tiêu chuẩn chất lượng, an toàn thực phẩm.",
    ),
    (
        "Mã số mã vạch, tem truy xuất nguồn gốc,",
        "Bản sao tài liệu, chứng minh mã, tem, sở hữu thương hiệu...",
    ),
    (
        "Hệ thống quản lý chất lượng tiên tiến, kiểm soát chất lượng",
        "Bản sao tài liệu: chứng nhận Hệ thống quản lý chất lượng tiên tiến, chứng minh hệ thống quản lý đạt tiêu chuẩn",
    ),
    (
        "Giải thưởng của sản phẩm, bình chọn của các tổ chức uy tín trong nước và quốc tế...",
        "Bản sao tài liệu, minh chứng về các thành tích, giải thưởng, bình chọn...",
    ),
    ("", ""),
];

/// The rows of [`EVIDENCE`] that are printed (the last is padding).
fn evidence() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    EVIDENCE.iter().filter(|(what, _)| !what.is_empty())
}

fn representative() -> Vec<Line> {
    vec![
        Line::Para(vec![Text("- Họ tên: "), blank("representative", None, 60)]),
        Line::Para(vec![
            Text("- Giới tính: "),
            blank("sex", None, 12),
            Text(" (Nam/nữ); Dân tộc: "),
            blank("ethnicity", None, 20),
        ]),
        Line::Para(vec![
            Text("- Địa chỉ thường trú: "),
            blank("residence", None, 50),
        ]),
    ]
}

fn self_assessment_form(data: &FormData) -> Vec<Line> {
    let mut lines = vec![
        Line::Title("BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM"),
        Line::Center(vec![Text("(Dành cho chủ thể có sản phẩm đăng ký)")]),
        Line::Part("Phần I", "THÔNG TIN CHUNG"),
        Line::Para(vec![
            Text("1. Tên chủ thể: "),
            blank("producer", data.producer.as_deref(), 60),
        ]),
        Line::Para(vec![
            Text("2. Loại hình tổ chức: "),
            blank("organisation", None, 55),
        ]),
        Line::Para(vec![Text("3. Địa chỉ: "), blank("address", None, 65)]),
        Line::Para(vec![
            Text("4. Điện thoại: "),
            blank("phone", None, 25),
            Text(" Email: "),
            blank("email", None, 25),
        ]),
        Line::Para(vec![
            Text("5. Tên người đại diện pháp luật: "),
            blank("representative-title", None, 40),
        ]),
    ];
    lines.extend(representative());
    lines.extend([
        Line::Para(vec![
            Text("6. Ngày thành lập/đăng ký kinh doanh: "),
            blank("founded", None, 20),
            Text(" Số giấy đăng ký (nếu có): "),
            blank("registration-number", None, 20),
        ]),
        Line::Para(vec![
            Text("7. Tên sản phẩm/dịch vụ, mô tả về quy cách sản phẩm, tiêu chuẩn: "),
            blank("product", data.product.as_deref(), 20),
        ]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![Text("Đánh dấu (√) vào mục tương ứng:")]),
        Line::Para(vec![Check("a) Giấy đăng ký kinh doanh:", false)]),
        Line::Para(vec![Check(
            "b) Đã công bố chất lượng sản phẩm theo quy định:",
            false,
        )]),
        Line::Para(vec![Text("c) Đã có các điều kiện sản xuất theo quy định:")]),
        Line::Para(vec![Check(
            "- Giấy chứng nhận cơ sở đủ điều kiện vệ sinh an toàn thực phẩm theo quy định của pháp luật cho sản xuất sản phẩm:",
            false,
        )]),
        Line::Para(vec![Check(
            "- Giấy chứng nhận cơ sở đủ điều kiện sản xuất bắt buộc theo quy định cho sản phẩm (đối với các sản phẩm bắt buộc theo quy định)",
            false,
        )]),
        Line::Para(vec![Check("d) Đã có đăng ký sở hữu trí tuệ:", false)]),
        Line::Para(vec![Check("+ Giấy chứng nhận đăng ký nhãn hiệu:", false)]),
        Line::Para(vec![Check(
            "+ Văn bản ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận:",
            false,
        )]),
        Line::Para(vec![Check("+ Bằng sáng chế", false)]),
        Line::Para(vec![Check("+ Bằng độc quyền kiểu dáng công nghiệp:", false)]),
        Line::Para(vec![Check("+ Giấy chứng nhận bản quyền tác giả", false)]),
        Line::Para(vec![Check("+ Khác (ghi rõ):", false)]),
        Line::Para(vec![Text(
            "8. Lịch sử hình thành của chủ thể (nêu các giai đoạn hình thành và phát triển):",
        )]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![Text("9. Cơ cấu tổ chức của chủ thể:")]),
        Line::Dots,
        Line::Part("Phần II", "KẾT QUẢ THỰC HIỆN PHƯƠNG ÁN SẢN XUẤT KINH DOANH"),
        Line::Para(vec![Text(
            "Nội dung yêu cầu: Đánh giá kết quả triển khai phương án sản xuất, kinh doanh của chủ thể theo Phương án sản xuất, kinh doanh khi tham gia OCOP.",
        )]),
        Line::Para(vec![Text("Lưu ý: trình bày rõ một số nội dung sau:")]),
        Line::Para(vec![Text(
            "- Tổ chức vùng nguyên liệu, công nghệ sản xuất, sơ chế, chế biến, đóng gói sản phẩm của chủ thể.",
        )]),
        Line::Para(vec![Text(
            "- Sự thay đổi về chất lượng sản phẩm: chất lượng, tiêu chuẩn chất lượng, bao bì, nhãn mác, hình thức đóng gói,...",
        )]),
        Line::Para(vec![Text("- Thị trường phân phối sản phẩm.")]),
        Line::Para(vec![Text(
            "- Kết quả sản xuất, kinh doanh: doanh thu, lợi nhuận.",
        )]),
        Line::Part(
            "Phần III",
            "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN THEO BỘ TIÊU CHÍ SẢN PHẨM OCOP",
        ),
        Line::Para(vec![Text(
            "- Căn cứ vào Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP tương ứng với sản phẩm đăng ký, chủ thể tự đánh giá về kết quả (điểm số) có thể đạt theo thứ tự từng tiêu chí.",
        )]),
    ]);
    if let Some(s) = &data.self_assessment {
        lines.extend(score_lines(s));
    }
    lines.extend([
        Line::Para(vec![Text(
            "- Mô tả, chứng minh về kết quả tương ứng (mô tả, tài liệu minh chứng cho nội dung mô tả, được sắp xếp theo thứ tự các chỉ tiêu trong Bộ tiêu chí).",
        )]),
        Line::Para(vec![Text(
            "- Tài liệu minh chứng kèm theo vào phụ lục của Báo cáo, tham khảo hướng dẫn theo bảng dưới đây:",
        )]),
        Line::Table(evidence_table()),
        Line::Para(vec![Text(
            "Đối với sản phẩm đăng ký đánh giá, phân hạng lại: cần rà soát, cập nhật những nội dung mới và đánh giá về những thay đổi, kết quả đạt được sau 3 năm được công nhận OCOP: về nguyên liệu, công nghệ sử dụng, bao bì, nhãn mác, công bố chất lượng, thị trường tiêu thụ, sản lượng, doanh thu; bổ sung các giấy tờ minh chứng pháp lý có thời hạn;....",
        )]),
        Line::Part("Phần IV", "KẾ HOẠCH SẢN XUẤT, KINH DOANH"),
        Line::Para(vec![Text(
            "Trình bày những định hướng, kế hoạch của chủ sở hữu trong thời gian tới về phát triển sản phẩm, tổ chức sản xuất, thị trường.",
        )]),
        Line::Sign(
            date_pieces(None), "ĐẠI DIỆN THEO PHÁP LUẬT CỦA CƠ SỞ", "(Ký, họ tên, đóng dấu)",
        ),
    ]);
    lines
}

fn commune_report(data: &FormData) -> Vec<Line> {
    let mut lines = vec![
        Line::Motto(Some(["ỦY BAN NHÂN DÂN", "XÃ/PHƯỜNG…"])),
        Line::Title("BÁO CÁO"),
        Line::Center(vec![Text(
            "Đánh giá một số nội dung của hồ sơ đăng ký tham gia đánh giá, phân hạng sản phẩm OCOP",
        )]),
        Line::Heading("I. THÔNG TIN CHUNG VỀ HỒ SƠ SẢN PHẨM"),
        Line::Para(vec![
            Text("1. Tên chủ thể: "),
            blank("producer", data.producer.as_deref(), 60),
        ]),
        Line::Para(vec![
            Text("2. Loại hình tổ chức: "),
            blank("organisation", None, 55),
        ]),
        Line::Para(vec![Text("3. Địa chỉ: "), blank("address", None, 65)]),
        Line::Para(vec![
            Text("4. Tên người đại diện pháp luật: "),
            blank("representative-title", None, 40),
        ]),
    ];
    lines.extend(representative());
    lines.extend([
        Line::Para(vec![
            Text("5. Sản phẩm đăng ký đánh giá: "),
            blank("product", data.product.as_deref(), 45),
        ]),
        Line::Heading("II. ĐÁNH GIÁ MỘT SỐ NỘI DUNG CỦA HỒ SƠ SẢN PHẨM"),
        Line::Para(vec![Text(
            "1. Về sử dụng nguyên liệu địa phương: (Nội dung thể hiện rõ mô tả của chủ thể và đánh giá về tình hình sử dụng nguyên liệu thực tế của chủ thể trên địa bàn xã).",
        )]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![Text(
            "2. Về sử dụng lao động địa phương: (Nội dung thể hiện rõ mô tả của chủ thể và đánh giá về tình hình sử dụng thực tế về lao động địa phương của chủ thể trên địa bàn xã).",
        )]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![Text(
            "3. Nguồn gốc ý tưởng sản phẩm: (Nhận xét về nguồn gốc sản phẩm (truyền thống, sản phẩm mới) của chủ thể dựa trên thực tế của địa phương).",
        )]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![Text(
            "4. Bản sắc/trí tuệ địa phương: Đánh giá các giá trị văn hóa, tri thức bản địa (giống, nguyên liệu, điều kiện sản xuất), kinh nghiệm sản xuất của cộng đồng và phương thức sản xuất đặc trưng của địa phương, tạo nên sự khác biệt của sản phẩm).",
        )]),
        Line::Dots,
        Line::Dots,
        Line::Para(vec![
            Text("Ủy ban nhân dân xã.... đề nghị Ủy ban nhân dân tỉnh.... đánh giá, phân hạng sản phẩm OCOP cho sản phẩm"),
            Slot("proposal-product", "....", data.product.as_ref().map(|p| format!(" {p}"))),
            Text(" của "),
            Slot("proposal-producer", "…….", data.producer.clone()),
            Text("."),
        ]),
        Line::Sign(
            Vec::new(), "T.M ỦY BAN NHÂN DÂN XÃ....", "(Ký tên và đóng dấu)",
        ),
    ]);
    lines
}

/// Mẫu 02's evidence table (Phần III), as printed.
fn evidence_table() -> Table {
    Table {
        class: "evidence",
        columns: vec![
            Column::text("TT"),
            Column::text("Nội dung"),
            Column::text("Yêu cầu"),
        ],
        rows: evidence()
            .map(|(what, required)| Row {
                kind: None,
                cells: vec![
                    Cell::text("-"),
                    Cell::text(*what),
                    Cell {
                        breaks: true,
                        ..Cell::text(*required)
                    },
                ],
            })
            .collect(),
    }
}

/// Phần III filled: the sheet, the score table, and (given a council) how
/// many criteria it scored differently.
fn score_lines(s: &SelfAssessment) -> Vec<Line> {
    let mut lines = vec![
        Line::Para(vec![
            Text("Bộ tiêu chí: Phiếu số "),
            Value(s.sheet_number.to_string()),
            Text(" — "),
            Value(s.sheet_title.clone()),
            Text(" (QĐ "),
            Value(s.decision.clone()),
            Text(", "),
            Code(s.sheet.clone()),
            Text(")."),
        ]),
        Line::Table(score_table(s)),
    ];
    if let Some(c) = &s.council {
        lines.push(Line::Para(vec![
            Text("Hội đồng đánh giá khác chủ thể ở "),
            Figure("criteria-differing", c.criteria_differing.to_string()),
            Text(" tiêu chí."),
        ]));
    }
    lines
}

/// The score table: a row per criterion, then the total; the council's
/// columns only when a council assessment is given.
fn score_table(s: &SelfAssessment) -> Table {
    let council = s.council.as_ref();
    let mut columns = vec![
        Column::text("Tiêu chí"),
        Column::text("Nội dung"),
        Column::figures("Điểm tối đa"),
        Column::figures("Chủ thể tự đánh giá"),
    ];
    if council.is_some() {
        columns.push(Column::figures("Hội đồng đánh giá"));
        columns.push(Column::figures("Chênh lệch"));
    }
    let mut rows = Vec::with_capacity(s.criteria.len().saturating_add(1));
    for c in &s.criteria {
        let id = &c.criterion;
        let mut cells = vec![
            Cell::text(id.as_str()).strong(c.parent),
            Cell::text(c.title.as_str()),
            Cell::text(points(c.max)),
            Cell::text(with_option(c.points, c.option)).field(format!("self-{id}")),
        ];
        if council.is_some() {
            let theirs = c
                .council_points
                .map(|p| with_option(p, c.council_option))
                .unwrap_or_default();
            cells.push(Cell::text(theirs).field(format!("council-{id}")));
            let difference = c.difference.map(signed).unwrap_or_default();
            cells.push(Cell::text(difference).field(format!("difference-{id}")));
        }
        rows.push(Row {
            kind: Some(RowKind {
                parent: c.parent,
                differs: c.difference.is_some(),
            }),
            cells,
        });
    }
    let mut cells = vec![
        Cell {
            vacant: true,
            ..Cell::default()
        },
        Cell::text("Tổng điểm").strong(true),
        Cell::text(points(s.max)),
        ranked(s.total, s.stars, "self-total"),
    ];
    if let Some(c) = council {
        cells.push(ranked(c.total, c.stars, "council-total"));
        cells.push(Cell::text(signed(c.difference)).field("difference-total".to_string()));
    }
    rows.push(Row {
        kind: Some(RowKind {
            parent: true,
            differs: false,
        }),
        cells,
    });
    Table {
        class: "scores",
        columns,
        rows,
    }
}

/// A total and its rank: `67 (3 sao)`, the figure bold and named `field`.
fn ranked(total: Decimal, stars: u8, field: &str) -> Cell {
    Cell {
        after: format!(" ({})", stars_text(stars)),
        ..Cell::text(points(total))
            .field(field.to_string())
            .strong(true)
    }
}

fn stars_text(stars: u8) -> String {
    match stars {
        0 => "0 (không xếp hạng)".to_string(),
        n => format!("{n} sao"),
    }
}

/// Points and the option they come from: `2 (mức 3)`; a parent or a
/// cumulative criterion has no option.
fn with_option(value: Decimal, option: Option<u16>) -> String {
    let mut text = points(value);
    if let Some(option) = option {
        let _ = write!(text, " (mức {option})");
    }
    text
}

/// A difference with its sign: `+1`, `-0.67`, `0`.
fn signed(value: Decimal) -> String {
    let text = points(value);
    if value.is_sign_positive() && !value.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}

/// A form, filled with `data`, as the lines every printer prints.
fn page(form: FormNumber, data: &FormData) -> Vec<Line> {
    let (first, last) = form.source_lines();
    let mut lines = vec![
        Line::Source(format!(
            "{}: {} (source lines {first}–{last})",
            form.cite(),
            form.title()
        )),
        Line::FormNumber(format!("Mẫu số {}: {}", form.number(), form.title())),
    ];
    lines.extend(match form {
        FormNumber::Registration => registration(data),
        FormNumber::SelfAssessment => self_assessment_form(data),
        FormNumber::CommuneReport => commune_report(data),
    });
    lines.extend(
        data.warnings
            .iter()
            .map(|warning| Line::Warning(format!("Lưu ý (warning): {warning}"))),
    );
    lines
}

// ---------------------------------------------------------------------------
// Markdown

use crate::report::md;

/// Markdown of the printed text: the characters Markdown reads as markup
/// (the dots and boxes are not) escaped.
fn md_printed(text: &str) -> String {
    md(text)
}

fn dots(width: usize) -> String {
    "…".repeat(width)
}

fn pieces_md(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Text(text) => out.push_str(&md_printed(text)),
            Value(text) | Figure(_, text) => out.push_str(&md(text)),
            // A sheet's key, as code: its characters are not markup there.
            Code(text) => {
                let _ = write!(out, "`{text}`");
            }
            Blank(_, Some(value), _) | Slot(_, _, Some(value)) => {
                if value.starts_with(' ') {
                    out.push(' ');
                }
                let _ = write!(out, "**{}**", md(value.trim()));
            }
            Blank(_, None, width) => out.push_str(&dots(*width)),
            Slot(_, printed, None) => out.push_str(&md_printed(printed)),
            Check(label, ticked) => {
                let _ = write!(out, "{} {}", md_printed(label), box_of(*ticked));
            }
        }
    }
    out
}

fn box_of(ticked: bool) -> &'static str {
    if ticked { "☑" } else { "□" }
}

fn table_md(out: &mut String, table: &Table) {
    let heads: Vec<&str> = table.columns.iter().map(|c| c.head).collect();
    let _ = writeln!(out, "| {} |", heads.join(" | "));
    out.push('|');
    for column in &table.columns {
        out.push_str(if column.figures { "---:|" } else { "---|" });
    }
    out.push('\n');
    for row in &table.rows {
        out.push('|');
        for cell in &row.cells {
            if cell.vacant {
                out.push_str(" |");
                continue;
            }
            let text = md(&cell.text);
            if cell.strong {
                let _ = write!(out, " **{text}**{} |", md(&cell.after));
            } else {
                let _ = write!(out, " {text}{} |", md(&cell.after));
            }
        }
        out.push('\n');
    }
    out.push('\n');
}

/// A form of Phụ lục III as Markdown, filled with `data` where it gives a
/// value.
pub fn markdown(form: FormNumber, data: &FormData) -> String {
    let mut out = String::new();
    for line in page(form, data) {
        match line {
            Line::Source(text) => {
                let _ = writeln!(out, "<!-- {} -->\n", escape(&text));
            }
            Line::FormNumber(text) => {
                let _ = writeln!(out, "*{}*\n", md(&text));
            }
            Line::Motto(left) => {
                if let Some([a, b]) = left {
                    let _ = writeln!(out, "**{a}**  \n**{}**  \n-------\n", md(b));
                }
                let [motto, sub] = MOTTO;
                let _ = writeln!(out, "**{motto}**  \n**{sub}**  \n\\---------------\n");
            }
            Line::Title(title) => {
                let _ = writeln!(out, "## {title}\n");
            }
            Line::Center(pieces) => {
                let _ = writeln!(out, "**{}**\n", pieces_md(&pieces));
            }
            Line::Part(part, title) => {
                if title.is_empty() {
                    let _ = writeln!(out, "### {part}\n");
                } else {
                    let _ = writeln!(out, "### {part}\n\n**{title}**\n");
                }
            }
            Line::Heading(text) => {
                let _ = writeln!(out, "**{}**\n", md_printed(text));
            }
            Line::Para(pieces) => {
                let _ = writeln!(out, "{}\n", pieces_md(&pieces));
            }
            Line::Dots => {
                let _ = writeln!(out, "{}\n", dots(70));
            }
            Line::Table(table) => table_md(&mut out, &table),
            Line::Sign(date, who, how) => {
                if !date.is_empty() {
                    let _ = writeln!(out, "{}\n", pieces_md(&date));
                }
                let _ = writeln!(out, "**{who}**  \n{how}  \n");
            }
            Line::Footnote(text) => {
                let _ = writeln!(out, "{}\n", md_printed(text));
            }
            Line::Rule => out.push_str("---\n\n"),
            Line::Warning(text) => {
                let _ = writeln!(out, "> {}\n", md(&text));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// HTML

const STYLE: &str = "@page{size:A4;margin:18mm 16mm}\
body{font-family:'Times New Roman',Times,serif;font-size:13pt;line-height:1.45;max-width:178mm;margin:0 auto;color:#000}\
.motto{display:flex;justify-content:space-between;text-align:center;font-weight:bold;margin-bottom:1em}\
.motto .right{margin-left:auto}.motto .sub{font-weight:bold}\
.form-no{font-style:italic;text-align:right;font-size:11pt}\
h1{text-align:center;font-size:15pt;margin:.6em 0 .2em}\
.center{text-align:center;font-weight:bold;margin:0 0 1em}\
h2{text-align:center;font-size:13pt;margin:1.2em 0 .3em}\
h2 .t{display:block}\
h3{font-size:13pt;margin:.8em 0 .2em}\
p{margin:.25em 0;text-align:left}\
.blank{color:#333;word-break:break-all;overflow-wrap:anywhere;line-break:anywhere}\
.filled{font-weight:bold;font-family:Arial,Helvetica,sans-serif;font-size:12pt}\
.box{font-size:14pt}\
.dots{white-space:nowrap;overflow:hidden}\
.sign{margin:1.2em 0 3.5em 50%;text-align:center}.sign b{display:block}.sign i{display:block}\
.foot{font-size:11pt}\
hr{border:0;border-top:1px solid #000;width:30%;margin:1em 0 .3em 0}\
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:11.5pt}\
th,td{border:1px solid #000;padding:2px 5px;vertical-align:top}\
th{background:#eee}td.n{text-align:right;white-space:nowrap}\
tr.parent td{font-weight:bold}tr.differs td{background:#fde2e2}\
.warn{border:1px solid #b00;padding:4px 8px;font-size:11pt}\
@media print{tr{break-inside:avoid}.sign{break-inside:avoid}}";

fn pieces_html(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Text(text) => out.push_str(&escape(text)),
            Value(text) => out.push_str(&escape(text)),
            Code(text) => {
                let _ = write!(out, "<code>{}</code>", escape(text));
            }
            Figure(field, value) => {
                let _ = write!(out, "<b data-field=\"{field}\">{}</b>", escape(value));
            }
            Blank(field, Some(value), _) | Slot(field, _, Some(value)) => {
                let _ = write!(
                    out,
                    "<span class=\"filled\" data-field=\"{field}\">{}</span>",
                    escape(value)
                );
            }
            Blank(_, None, width) => {
                let _ = write!(out, "<span class=\"blank\">{}</span>", dots(*width));
            }
            Slot(_, printed, None) => out.push_str(&escape(printed)),
            Check(label, ticked) => {
                let _ = write!(
                    out,
                    "{} <span class=\"box\" data-checked=\"{ticked}\">{}</span>",
                    escape(label),
                    box_of(*ticked)
                );
            }
        }
    }
    out
}

fn table_html(b: &mut String, table: &Table) {
    let _ = write!(b, "<table class=\"{}\"><thead><tr>", table.class);
    for column in &table.columns {
        let _ = write!(b, "<th>{}</th>", escape(column.head));
    }
    b.push_str("</tr></thead><tbody>\n");
    for row in &table.rows {
        match &row.kind {
            Some(kind) => {
                let mut class = Vec::new();
                if kind.parent {
                    class.push("parent");
                }
                if kind.differs {
                    class.push("differs");
                }
                let _ = write!(b, "<tr class=\"{}\">", class.join(" "));
            }
            None => b.push_str("<tr>"),
        }
        for (i, cell) in row.cells.iter().enumerate() {
            let figures = table.columns.get(i).is_some_and(|c| c.figures);
            b.push_str(if figures { "<td class=\"n\"" } else { "<td" });
            let mut text = escape(&cell.text);
            if cell.breaks {
                text = text.replace('\n', "<br>");
            }
            let after = escape(&cell.after);
            match &cell.field {
                // With text after it, the field names the value alone.
                Some(field) if !after.is_empty() => {
                    let _ = write!(
                        b,
                        "><span data-field=\"{}\">{text}</span>{after}</td>",
                        escape(field)
                    );
                }
                Some(field) => {
                    let _ = write!(b, " data-field=\"{}\">{text}</td>", escape(field));
                }
                None => {
                    let _ = write!(b, ">{text}{after}</td>");
                }
            }
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table>\n");
}

/// A form of Phụ lục III as a self-contained A4 HTML page, filled with
/// `data` where it gives a value. Filled values carry `data-field`
/// attributes, so a program can read them back from the rendered page.
pub fn html(form: FormNumber, data: &FormData) -> String {
    let mut b = String::new();
    for line in page(form, data) {
        match line {
            Line::Source(text) => {
                let _ = writeln!(b, "<!-- {} -->", escape(&text));
            }
            Line::FormNumber(text) => {
                let _ = writeln!(b, "<p class=\"form-no\">{}</p>", escape(&text));
            }
            Line::Motto(left) => {
                b.push_str("<div class=\"motto\">");
                if let Some([a, c]) = left {
                    let _ = write!(b, "<div>{a}<br>{}<br>-------</div>", escape(c));
                }
                let [motto, sub] = MOTTO;
                let _ = writeln!(
                    b,
                    "<div class=\"right\">{motto}<br><span class=\"sub\">{sub}</span><br>---------------</div></div>"
                );
            }
            Line::Title(title) => {
                let _ = writeln!(b, "<h1>{title}</h1>");
            }
            Line::Center(pieces) => {
                let _ = writeln!(b, "<p class=\"center\">{}</p>", pieces_html(&pieces));
            }
            Line::Part(part, title) => {
                if title.is_empty() {
                    let _ = writeln!(b, "<h2>{part}</h2>");
                } else {
                    let _ = writeln!(b, "<h2>{part}<span class=\"t\">{title}</span></h2>");
                }
            }
            Line::Heading(text) => {
                let _ = writeln!(b, "<h3>{}</h3>", escape(text));
            }
            Line::Para(pieces) => {
                let _ = writeln!(b, "<p>{}</p>", pieces_html(&pieces));
            }
            Line::Dots => {
                let _ = writeln!(b, "<p class=\"dots blank\">{}</p>", dots(90));
            }
            Line::Table(table) => table_html(&mut b, &table),
            Line::Sign(date, who, how) => {
                b.push_str("<div class=\"sign\">");
                if !date.is_empty() {
                    let _ = write!(b, "<i>{}</i>", pieces_html(&date));
                }
                let _ = writeln!(b, "<b>{who}</b><i>{how}</i></div>");
            }
            Line::Footnote(text) => {
                let _ = writeln!(b, "<p class=\"foot\">{}</p>", escape(text));
            }
            Line::Rule => b.push_str("<hr>\n"),
            Line::Warning(text) => {
                let _ = writeln!(b, "<p class=\"warn\">{}</p>", escape(&text));
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>Mẫu số {} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{b}</body>\n</html>\n",
        form.number(),
        escape(form.title())
    )
}
