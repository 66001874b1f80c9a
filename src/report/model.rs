//! The document model: one walk of a sheet (a blank form) or of an
//! assessment (a result) gives a [`Document`], a sequence of typed
//! [`Block`]s; every printer (Markdown, HTML, the command line's text) is a
//! function of that sequence. Blocks hold data, never labels or markup: the
//! printers take their words from [`super::labels`].

use rust_decimal::Decimal;

use crate::assess::{
    Assessment, Disqualification, DisqualificationKind, EditionChoice, NotApplicable, Outcome,
    Policies, RoundPlace, UnmetMark,
};
use crate::dossier::Level;
use crate::rubric::{CertificateKind, Criterion, Edition, Sheet};

use super::labels::Label;

/// A document: its blocks in printed order.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// A blank form (a sheet without an assessment) or a result.
    pub kind: Kind,
    /// The blocks, in printed order.
    pub blocks: Vec<Block>,
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A blank scoring form ("phiếu đánh giá").
    Form,
    /// The result of an assessment.
    Result,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Block {
    /// The heading: which sheet of which edition.
    Heading(Heading),
    /// Label–value rows: the product, the dossier, the edition.
    Details(Vec<Detail>),
    /// Lines a blank form leaves to fill in.
    FillIn(Vec<Label>),
    /// A council's members and their totals.
    Members(Members),
    /// The sheet's "Hồ sơ bị loại khi" rule (a blank form).
    DisqualifiedWhen(String),
    /// The start of a part of the sheet; it opens the criteria table.
    Part(Part),
    /// A section of a part.
    Section(Section),
    /// A criterion's line.
    Criterion(CriterionLine),
    /// A case heading among a criterion's options (a blank form).
    Case(Case),
    /// An option to tick (a blank form).
    Choice(Choice),
    /// The total; it closes the criteria table.
    Total(Total),
    /// The star footnote of the edition (a blank form).
    Footnote(String),
    /// The band and the final rank, and why they differ.
    Rank(Rank),
    /// Star marks binding at the band rank that the product misses.
    Marks(Vec<UnmetMark>),
    /// The rules that fired: what stopped or rejected the dossier, and the
    /// criteria that do not apply.
    Rules(Rules),
    /// Things a reader should know.
    Warnings(Vec<String>),
    /// What the council's level does with the result.
    Outcome(Outcome),
    /// The rules of computation applied, and the engine.
    Policies(Policies, String),
    /// The assessor's comment line (a blank form).
    Comment,
    /// Signature lines.
    Signatures(Signatures),
}

/// The heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Sheet number in the appendix.
    pub number: u16,
    /// The product set, as printed.
    pub title: String,
    /// The sheet's key.
    pub key: String,
    /// The edition's id.
    pub edition: String,
    /// The edition's decision.
    pub decision: String,
    /// A blank form: the product group and subgroup, and where the sheet is printed.
    pub group: Option<(String, Option<String>, String)>,
}

/// One label–value row.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// What the value is.
    pub label: Label,
    /// The value.
    pub value: Value,
}

/// A detail's value: text from the dossier or the rubric, or data a printer words.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// Text as given (escaped by the printers).
    Text(String),
    /// A council level.
    Level(Level),
    /// The round of evaluation.
    Round(RoundPlace),
    /// How the edition was chosen.
    Choice(EditionChoice),
}

/// A council's members.
#[derive(Debug, Clone, PartialEq)]
pub struct Members {
    /// The number of members.
    pub size: u32,
    /// One row per member, in the dossier's order.
    pub rows: Vec<MemberRow>,
    /// The spread check, when it is on: difference, limit, tripped.
    pub spread: Option<(Decimal, Decimal, bool)>,
}

/// One member's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    /// The member's name (empty when not given).
    pub name: String,
    /// The member's total.
    pub total: Decimal,
    /// The member's band rank.
    pub band_stars: u8,
    /// The member's final rank.
    pub stars: u8,
}

/// A part of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// `A`, `B` or `C`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// The heading printed on the form, when it differs from the title.
    pub heading: Option<String>,
    /// Points scored (a result).
    pub points: Option<Decimal>,
    /// Maximum.
    pub max: Decimal,
    /// Doubts of the transcription.
    pub doubts: Vec<String>,
}

/// A section of a part.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Section number.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// Points scored (a result).
    pub points: Option<Decimal>,
    /// Maximum.
    pub max: Decimal,
    /// The line of its single criterion, for a section scored directly:
    /// printers give it the section's row.
    pub line: Option<CriterionLine>,
}

/// A criterion's line.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionLine {
    /// Criterion id.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// 0 for a criterion of a section, 1 for a sub-criterion, …
    pub depth: usize,
    /// The line of a section scored directly: the section's heading names it.
    pub direct: bool,
    /// What was chosen (a result).
    pub chosen: Chosen,
    /// The chosen option's text (a result).
    pub option_text: Option<String>,
    /// Points scored (a result).
    pub points: Option<Decimal>,
    /// Maximum.
    pub max: Decimal,
    /// The star mark of the chosen option, met or missed (a result).
    pub mark: Option<Mark>,
    /// The kind of the rule of this criterion that stopped or rejected the
    /// dossier (a result).
    pub fired: Option<DisqualificationKind>,
    /// Printed requirements (a blank form).
    pub requirements: Vec<String>,
    /// Printed notes (a blank form).
    pub notes: Vec<String>,
    /// How options not printed were inferred (a blank form).
    pub inferred: Option<String>,
    /// Doubts of the transcription (a blank form).
    pub doubts: Vec<String>,
}

/// What was chosen on a criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// Nothing to show: a blank form, a parent criterion.
    Nothing,
    /// An option by number; 0 when none applies.
    Option(u16),
    /// The boxes ticked on a cumulative criterion.
    Boxes(Vec<u16>),
    /// A council's mean: each member's option (`None` where a member's
    /// line has none, e.g. a cumulative criterion).
    Members(Vec<Option<u16>>),
}

/// A star mark on a chosen option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// The rank the mark is printed for.
    pub stars: u8,
    /// Whether the product meets it.
    pub met: bool,
}

/// A case heading among a criterion's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Letter as printed.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// The criterion's depth.
    pub depth: usize,
}

/// An option of a blank form.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Number as printed.
    pub number: u16,
    /// Text as printed.
    pub text: String,
    /// Points.
    pub points: Decimal,
    /// The star mark printed on it.
    pub min_stars: Option<u8>,
    /// The points as printed, when an erratum corrects them.
    pub printed: Option<String>,
    /// The criterion's depth.
    pub depth: usize,
}

/// The total.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// Points scored (a result).
    pub points: Option<Decimal>,
    /// Maximum.
    pub max: Decimal,
    /// A council's total: the exact mean of its members'.
    pub mean: bool,
}

/// The ranks and why they differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Rank {
    /// Rank from the bands alone.
    pub band_stars: u8,
    /// Final rank.
    pub stars: u8,
    /// Who certifies it.
    pub certificate: CertificateKind,
    /// Why the final rank is below the band's, when it is.
    pub lowered: Option<Lowered>,
}

/// Why a final rank is below the band's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lowered {
    /// Star marks the product misses: the criteria (the [`Block::Marks`]
    /// that follow give the details).
    Marks(Vec<String>),
    /// A rule stopped or rejected the dossier: its kind and criterion (the
    /// [`Block::Rules`] that follow give the rule).
    Rule(DisqualificationKind, Option<String>),
}

/// The rules that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// What stopped or rejected the dossier.
    pub disqualified: Option<Disqualification>,
    /// Criteria that do not apply and count 0.
    pub not_applicable: Vec<NotApplicable>,
}

/// Signature lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatures {
    /// A "……, ngày … tháng … năm …" line above them.
    pub dated: bool,
    /// Who signs, left to right.
    pub roles: Vec<Label>,
}

impl Document {
    /// The blank scoring form of a sheet.
    pub fn form(edition: &Edition, sheet: &Sheet) -> Document {
        let mut blocks = vec![
            Block::Heading(Heading {
                number: sheet.number(),
                title: sheet.title().to_string(),
                key: sheet.key().to_string(),
                edition: edition.id().to_string(),
                decision: edition.decision().to_string(),
                group: Some((
                    sheet.group().to_string(),
                    sheet.subgroup().map(str::to_string),
                    sheet.cite().to_string(),
                )),
            }),
            Block::FillIn(vec![
                Label::Product,
                Label::CodeToFill,
                Label::ProducerToFill,
                Label::Phone,
                Label::Address,
            ]),
        ];
        if let Some(rule) = sheet.disqualified_when() {
            blocks.push(Block::DisqualifiedWhen(rule.to_string()));
        }
        for part in sheet.parts() {
            blocks.push(Block::Part(Part {
                id: part.id().to_string(),
                title: part.title().to_string(),
                heading: part.heading().map(str::to_string),
                points: None,
                max: part.max(),
                doubts: part.doubts().to_vec(),
            }));
            for section in part.sections() {
                blocks.push(Block::Section(Section {
                    id: section.id().to_string(),
                    title: section.title().to_string(),
                    points: None,
                    max: section.max(),
                    line: None,
                }));
                for criterion in section.criteria() {
                    form_criterion(&mut blocks, criterion, section.is_direct(), 0);
                }
            }
        }
        blocks.push(Block::Total(Total {
            points: None,
            max: sheet.max(),
            mean: false,
        }));
        if let Some(footnote) = edition.star_footnote() {
            blocks.push(Block::Footnote(footnote.to_string()));
        }
        blocks.push(Block::Comment);
        blocks.push(Block::Signatures(Signatures {
            dated: false,
            roles: vec![Label::Assessor],
        }));
        Document {
            kind: Kind::Form,
            blocks,
        }
    }

    /// The result of an assessment (one sheet, or a council's means).
    pub fn result(a: &Assessment) -> Document {
        let mut blocks = vec![Block::Heading(Heading {
            number: a.sheet_number,
            title: a.sheet_title.clone(),
            key: a.sheet.clone(),
            edition: a.edition.clone(),
            decision: a.decision.clone(),
            group: None,
        })];
        blocks.push(Block::Details(details(a)));
        if let Some(council) = &a.council {
            blocks.push(Block::Members(Members {
                size: council.size,
                rows: council
                    .members
                    .iter()
                    .map(|m| MemberRow {
                        name: m.member.clone().unwrap_or_default(),
                        total: m.total,
                        band_stars: m.band_stars.get(),
                        stars: m.stars.get(),
                    })
                    .collect(),
                spread: council
                    .spread
                    .as_ref()
                    .map(|s| (s.difference, s.limit, s.tripped)),
            }));
        }
        result_table(&mut blocks, a);
        blocks.push(Block::Rank(Rank {
            band_stars: a.band_stars.get(),
            stars: a.stars.get(),
            certificate: a.certificate,
            lowered: match &a.disqualified {
                Some(d) => Some(Lowered::Rule(d.kind, d.criterion.clone())),
                None if a.stars < a.band_stars => {
                    let mut ids: Vec<String> =
                        a.unmet_marks.iter().map(|m| m.criterion.clone()).collect();
                    ids.dedup();
                    Some(Lowered::Marks(ids))
                }
                None => None,
            },
        }));
        if !a.unmet_marks.is_empty() {
            blocks.push(Block::Marks(a.unmet_marks.clone()));
        }
        if a.disqualified.is_some() || !a.not_applicable.is_empty() {
            blocks.push(Block::Rules(Rules {
                disqualified: a.disqualified.clone(),
                not_applicable: a.not_applicable.clone(),
            }));
        }
        if !a.warnings.is_empty() {
            blocks.push(Block::Warnings(a.warnings.clone()));
        }
        if let Some(outcome) = &a.outcome {
            blocks.push(Block::Outcome(outcome.clone()));
        }
        blocks.push(Block::Policies(a.policies.clone(), a.engine.clone()));
        blocks.push(Block::Signatures(Signatures {
            dated: true,
            roles: vec![Label::Secretary, Label::Chair],
        }));
        Document {
            kind: Kind::Result,
            blocks,
        }
    }
}

fn form_criterion(blocks: &mut Vec<Block>, criterion: &Criterion, direct: bool, depth: usize) {
    push_line(
        blocks,
        CriterionLine {
            id: criterion.id().to_string(),
            title: criterion.title().to_string(),
            depth,
            direct,
            chosen: Chosen::Nothing,
            option_text: None,
            points: None,
            max: criterion.max(),
            mark: None,
            fired: None,
            requirements: criterion.requirements().to_vec(),
            notes: criterion.notes().to_vec(),
            inferred: criterion.inferred().map(str::to_string),
            doubts: criterion.doubts().to_vec(),
        },
    );
    let mut case = None;
    for option in criterion.options() {
        if option.case() != case {
            case = option.case();
            if let Some(found) = criterion.cases().iter().find(|c| Some(c.id()) == case) {
                blocks.push(Block::Case(Case {
                    id: found.id().to_string(),
                    title: found.title().to_string(),
                    depth,
                }));
            }
        }
        blocks.push(Block::Choice(Choice {
            number: option.number(),
            text: option.text().to_string(),
            points: option.points(),
            min_stars: option.min_stars(),
            printed: match (option.printed(), option.erratum()) {
                (Some(printed), Some(_)) => Some(printed.to_string()),
                _ => None,
            },
            depth,
        }));
    }
    for child in criterion.children() {
        form_criterion(blocks, child, false, depth + 1);
    }
}

fn details(a: &Assessment) -> Vec<Detail> {
    let mut rows = Vec::new();
    let text = |rows: &mut Vec<Detail>, label, value: &str| {
        rows.push(Detail {
            label,
            value: Value::Text(value.to_string()),
        });
    };
    if let Some(product) = &a.product {
        for (label, value) in [
            (Label::Product, &product.name),
            (Label::Code, &product.code),
            (Label::Producer, &product.producer),
        ] {
            if let Some(value) = value {
                text(&mut rows, label, value);
            }
        }
    }
    if let Some(member) = &a.member {
        text(&mut rows, Label::Member, member);
    }
    text(
        &mut rows,
        Label::Sheet,
        &format!("{}. {} ({})", a.sheet_number, a.sheet_title, a.sheet),
    );
    text(
        &mut rows,
        Label::Edition,
        &format!("{} — QĐ {}", a.edition, a.decision),
    );
    rows.push(Detail {
        label: Label::EditionChosen,
        value: Value::Choice(a.edition_choice.clone()),
    });
    let level = a
        .outcome
        .as_ref()
        .map(|o| o.level)
        .or_else(|| a.dossier.as_ref().and_then(|d| d.level));
    if let Some(level) = level {
        rows.push(Detail {
            label: Label::Level,
            value: Value::Level(level),
        });
    }
    if let Some(round) = &a.round {
        rows.push(Detail {
            label: Label::Round,
            value: Value::Round(round.clone()),
        });
    }
    let evaluated = a
        .dossier
        .as_ref()
        .and_then(|d| d.evaluated_on)
        .map(|d| d.to_string())
        .or_else(|| match &a.edition_choice {
            EditionChoice::Date { evaluated_on } => Some(evaluated_on.to_string()),
            EditionChoice::Transition { evaluated_on, .. } => Some(evaluated_on.to_string()),
            EditionChoice::Explicit => None,
        });
    if let Some(day) = evaluated {
        text(&mut rows, Label::EvaluatedOn, &day);
    }
    text(&mut rows, Label::RubricHash, &a.edition_hash);
    rows
}

/// Parts, sections and criteria of a result, in printed order.
fn result_table(blocks: &mut Vec<Block>, a: &Assessment) {
    for part in &a.parts {
        blocks.push(Block::Part(Part {
            id: part.id.clone(),
            title: part.title.clone(),
            heading: None,
            points: Some(part.points),
            max: part.max,
            doubts: Vec::new(),
        }));
        for section in a.sections.iter().filter(|s| s.part == part.id) {
            blocks.push(Block::Section(Section {
                id: section.id.clone(),
                title: section.title.clone(),
                points: Some(section.points),
                max: section.max,
                line: None,
            }));
            for line in a.criteria.iter().filter(|c| c.section == section.id) {
                push_line(blocks, result_line(a, line, section.direct));
            }
        }
    }
    blocks.push(Block::Total(Total {
        points: Some(a.total),
        max: a.max,
        mean: a.council.is_some(),
    }));
}

/// A criterion's line as a block, or, the line of a section scored directly,
/// into that section's block.
fn push_line(blocks: &mut Vec<Block>, line: CriterionLine) {
    match blocks.last_mut() {
        Some(Block::Section(section)) if line.direct && section.line.is_none() => {
            section.line = Some(line);
        }
        _ => blocks.push(Block::Criterion(line)),
    }
}

fn result_line(
    a: &Assessment,
    line: &crate::assess::CriterionScore,
    section_direct: bool,
) -> CriterionLine {
    let mut depth = 0;
    let mut parent = line.parent.as_deref();
    while let Some(id) = parent {
        depth += 1;
        if depth > 8 {
            break;
        }
        parent = a
            .criteria
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent.as_deref());
    }
    let chosen = match (line.option, &line.boxes) {
        (Some(n), _) => Chosen::Option(n),
        (None, Some(boxes)) => Chosen::Boxes(boxes.clone()),
        (None, None) if !has_children(a, &line.id) => match &a.council {
            Some(council) => Chosen::Members(
                council
                    .members
                    .iter()
                    .map(|m| {
                        m.criteria
                            .iter()
                            .find(|c| c.id == line.id)
                            .and_then(|c| c.option)
                    })
                    .collect(),
            ),
            None => Chosen::Nothing,
        },
        (None, None) => Chosen::Nothing,
    };
    let missed = a
        .unmet_marks
        .iter()
        .filter(|m| m.criterion == line.id)
        .map(|m| m.min_stars)
        .min();
    let mark = match (missed, line.min_stars) {
        (Some(stars), _) => Some(Mark { stars, met: false }),
        (None, Some(stars)) => Some(Mark { stars, met: true }),
        (None, None) => None,
    };
    CriterionLine {
        id: line.id.clone(),
        title: line.title.clone(),
        depth,
        direct: section_direct && line.parent.is_none(),
        chosen,
        option_text: line.option_text.clone(),
        points: Some(line.points),
        max: line.max,
        mark,
        fired: a
            .disqualified
            .as_ref()
            .filter(|d| d.criterion.as_deref() == Some(line.id.as_str()))
            .map(|d| d.kind),
        requirements: Vec::new(),
        notes: Vec::new(),
        inferred: None,
        doubts: Vec::new(),
    }
}

fn has_children(a: &Assessment, id: &str) -> bool {
    a.criteria.iter().any(|c| c.parent.as_deref() == Some(id))
}
