//! The compiled rubric: an immutable, validated model of an edition and its sheets.
//!
//! Built once by [`compile()`] from the data as written ([`def`]); every field is
//! private and read through accessors, so a compiled sheet can be trusted to add
//! up. The tree follows the printed sheet: [`Sheet`] → [`Part`] → [`Section`] →
//! [`Criterion`] (→ sub-criteria) → [`Choice`].

pub mod certification;
pub mod compile;
pub mod def;
pub mod dump;

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

pub use compile::{compile, load_dir};
pub use def::{Fires, RuleKind, Scoring};
pub use dump::dump;

/// How the edition's bands are printed, and so how a total between two
/// printed ranges is read: a provenance label recorded in every assessment
/// (`policies.band_policy`). It does not move the bands: every band runs from
/// its `from` (inclusive) to the next band's `from` (exclusive), the top one to
/// the maximum inclusive, under both readings; rounding first is an option of
/// the assessment ([`Options::round_half_up`](crate::assess::Options::round_half_up)).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BandReading {
    /// Printed half-open ("từ 70 đến dưới 90"): a band runs from its lower edge
    /// (inclusive) to the next band's lower edge (exclusive); the total is
    /// compared unrounded (26/2026, Điều 3.3).
    HalfOpen,
    /// Printed as integer ranges ("từ 70 đến 89"), which leave averages such as
    /// 89.5 undefined: a band runs up to the next band's lower edge, so 89.5 is
    /// 4★ (1048/2019). Rounding first is an option of the assessment.
    UpToNextEdge,
}

impl std::fmt::Display for BandReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl BandReading {
    /// The policy's name as written in `edition.toml`.
    pub fn name(self) -> &'static str {
        match self {
            BandReading::HalfOpen => "half-open",
            BandReading::UpToNextEdge => "up-to-next-edge",
        }
    }
}

/// A transition rule of a later decision (e.g. 26/2026 Điều 12.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// Dossiers filed strictly before this day…
    filed_before: Date,
    /// …and evaluated on or before this day…
    evaluated_until: Date,
    /// …stay under this edition.
    edition: String,
    /// The kinds of registration it covers; empty: every kind.
    kinds: Vec<crate::dossier::Registration>,
    /// Where the rule is printed.
    cite: String,
    /// The rule as printed.
    text: Option<String>,
}

impl Transition {
    /// Dossiers filed strictly before this day…
    pub fn filed_before(&self) -> Date {
        self.filed_before
    }
    /// …and evaluated on or before this day…
    pub fn evaluated_until(&self) -> Date {
        self.evaluated_until
    }
    /// …stay under this edition.
    pub fn edition(&self) -> &str {
        &self.edition
    }
    /// The kinds of registration it covers; empty: every kind.
    pub fn kinds(&self) -> &[crate::dossier::Registration] {
        &self.kinds
    }
    /// Where the rule is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
    /// The rule as printed.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
    /// Whether the rule covers a dossier of this kind (`None`: not given, read
    /// as covered, so the widest window applies).
    pub fn covers(&self, kind: Option<crate::dossier::Registration>) -> bool {
        match kind {
            Some(kind) => self.kinds.is_empty() || self.kinds.contains(&kind),
            None => true,
        }
    }
}

/// What a council level does with a result.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The level recognises the rank and issues the certificate.
    Recognise,
    /// The level approves the result and proposes the product to the next level.
    Propose,
    /// The result goes back to the province, which may recognise 3★ or 4★.
    Return,
    /// No recognition, no certificate.
    None,
}

impl Action {
    /// The name as written in the data and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Action::Recognise => "recognise",
            Action::Propose => "propose",
            Action::Return => "return",
            Action::None => "none",
        }
    }
}

/// A council level of an edition and what it does with each final rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRules {
    level: crate::dossier::Level,
    title: String,
    cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    doubt: Option<String>,
    outcomes: Vec<OutcomeRule>,
}

/// What a level does with some final ranks, as the decision words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRule {
    stars: Vec<u8>,
    action: Action,
    by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    text: String,
    cite: String,
}

impl LevelRules {
    /// The level.
    pub fn level(&self) -> crate::dossier::Level {
        self.level
    }
    /// The level as printed, e.g. `cấp tỉnh`.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Where the level is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
    /// Doubts about the reading.
    pub fn doubt(&self) -> Option<&str> {
        self.doubt.as_deref()
    }
    /// The outcomes, every final rank 0–5 in exactly one.
    pub fn outcomes(&self) -> &[OutcomeRule] {
        &self.outcomes
    }
    /// The outcome of a final rank (0: rejected or stopped).
    pub fn outcome(&self, stars: u8) -> Option<&OutcomeRule> {
        self.outcomes.iter().find(|o| o.stars.contains(&stars))
    }
}

impl OutcomeRule {
    /// The final ranks it applies to.
    pub fn stars(&self) -> &[u8] {
        &self.stars
    }
    /// What the level does.
    pub fn action(&self) -> Action {
        self.action
    }
    /// Who acts.
    pub fn by(&self) -> &str {
        &self.by
    }
    /// To whom a proposal or a return goes.
    pub fn to(&self) -> Option<&str> {
        self.to.as_deref()
    }
    /// The rule as the decision words it.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Where it is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
}

/// When a later decision ends an edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ends {
    last_day: Date,
    by: String,
    text: String,
    cite: String,
}

impl Ends {
    /// The last day the edition's rules apply.
    pub fn last_day(&self) -> Date {
        self.last_day
    }
    /// The edition that ends it.
    pub fn by(&self) -> &str {
        &self.by
    }
    /// The rule as printed.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Where it is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
}

/// Who recognises a product of a given rank.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CertificateKind {
    /// No recognition decision, no certificate (1★, 2★).
    None,
    /// Recognised and certified by the provincial People's Committee (3★, 4★).
    Province,
    /// Recognised and certified by the ministry (5★).
    Ministry,
}

/// A star band of an edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    stars: u8,
    from: Decimal,
    to: Decimal,
    to_inclusive: bool,
    printed: String,
    certificate: CertificateKind,
    certificate_text: String,
    level: Option<String>,
}

impl Band {
    /// The rank, 1 to 5.
    pub fn stars(&self) -> u8 {
        self.stars
    }
    /// Lowest total in the band (inclusive).
    pub fn from(&self) -> Decimal {
        self.from
    }
    /// Upper edge: exclusive, except for the top band which ends at the maximum.
    pub fn to(&self) -> Decimal {
        self.to
    }
    /// Whether [`to`](Band::to) belongs to the band.
    pub fn to_inclusive(&self) -> bool {
        self.to_inclusive
    }
    /// The band as printed.
    pub fn printed(&self) -> &str {
        &self.printed
    }
    /// Who certifies a product of this rank.
    pub fn certificate(&self) -> CertificateKind {
        self.certificate
    }
    /// The certificate rule as printed.
    pub fn certificate_text(&self) -> &str {
        &self.certificate_text
    }
    /// The level printed beside the rank, e.g. `cấp tỉnh`.
    pub fn level(&self) -> Option<&str> {
        self.level.as_deref()
    }
    /// Whether `total` falls in this band.
    pub fn contains(&self, total: Decimal) -> bool {
        total >= self.from && (total < self.to || (self.to_inclusive && total == self.to))
    }
}

/// A leaf of the classification tree, pointing at the sheet that scores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductClass {
    /// Group (roman numeral and title), e.g. `I. Sản phẩm thực phẩm`.
    group: String,
    /// "Nhóm" as printed.
    nhom: String,
    /// "Phân nhóm" as printed, where there is one.
    phan_nhom: Option<String>,
    /// Lead ministry as printed.
    ministry: String,
    /// Key of the sheet that applies.
    sheet: String,
}

impl ProductClass {
    /// Group (roman numeral and title), e.g. `I. Sản phẩm thực phẩm`.
    pub fn group(&self) -> &str {
        &self.group
    }
    /// "Nhóm" as printed.
    pub fn nhom(&self) -> &str {
        &self.nhom
    }
    /// "Phân nhóm" as printed, where there is one.
    pub fn phan_nhom(&self) -> Option<&str> {
        self.phan_nhom.as_deref()
    }
    /// Lead ministry as printed.
    pub fn ministry(&self) -> &str {
        &self.ministry
    }
    /// Key of the sheet that applies.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }
}

/// An edition of the rubric: one decision's bands, classification and sheets.
#[derive(Debug, Clone)]
pub struct Edition {
    id: String,
    title: String,
    decision: String,
    signed_on: Date,
    in_force_from: Date,
    source: String,
    confidence: String,
    cite: String,
    max_points: Decimal,
    band_policy: BandReading,
    star_footnote: Option<String>,
    product_code: Option<def::ProductCodeDef>,
    sheets_expected: u16,
    bands: Vec<Band>,
    classes: Vec<ProductClass>,
    sheets: Vec<SheetSlot>,
    /// An embedded edition's definition, kept to compile its sheets on first
    /// use; `None` when every sheet was compiled with the edition (a draft).
    deferred: Option<std::sync::Arc<def::EditionDef>>,
    unavailable: Option<String>,
    extends: Option<String>,
    transitions: Vec<Transition>,
    levels: Vec<LevelRules>,
    ends: Option<Ends>,
    gates: Vec<Gate>,
    warnings: Vec<String>,
    hash: String,
    certification: certification::Certification,
    part_maxima: Vec<PartMax>,
    known_misprints: Vec<def::KnownMisprintDef>,
}

/// One sheet of an edition: compiled with it (a draft, or `ocop lint`), or
/// kept as its file and compiled on first use (an embedded edition, whose
/// whole data the test suite validates and pins by hash).
#[derive(Debug, Clone)]
struct SheetSlot {
    key: String,
    file: Option<compile::SourceFile<'static>>,
    compiled: std::sync::OnceLock<Result<Sheet, crate::Error>>,
}

impl SheetSlot {
    fn compiled(sheet: Sheet) -> SheetSlot {
        SheetSlot {
            key: sheet.key.clone(),
            file: None,
            compiled: std::sync::OnceLock::from(Ok(sheet)),
        }
    }
}

/// A part's maximum as the decision's body prints it, which every sheet's
/// part of that id must have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartMax {
    /// `A`, `B` or `C`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// Maximum points.
    pub max: Decimal,
}

/// A minimum criterion for a rank set outside the sheets (781/2020 Mục 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    /// The rank it binds, and every rank above.
    stars: u8,
    /// Sheet key.
    sheet: String,
    /// Criterion id.
    criterion: String,
    /// The lowest option that meets it.
    option: u16,
    /// The requirement as printed.
    requirement: String,
    /// Where it is printed.
    cite: String,
    /// Doubts about the mapping.
    doubts: Vec<String>,
}

impl Gate {
    /// The rank it binds, and every rank above.
    pub fn stars(&self) -> u8 {
        self.stars
    }
    /// Sheet key.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }
    /// Criterion id.
    pub fn criterion(&self) -> &str {
        &self.criterion
    }
    /// The lowest option that meets it.
    pub fn option(&self) -> u16 {
        self.option
    }
    /// The requirement as printed.
    pub fn requirement(&self) -> &str {
        &self.requirement
    }
    /// Where it is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
    /// Doubts about the mapping.
    pub fn doubts(&self) -> &[String] {
        &self.doubts
    }
}

impl Edition {
    /// Why some sheets of the classification are not in the crate.
    pub fn unavailable(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }
    /// The edition whose sheets this one takes.
    pub fn extends(&self) -> Option<&str> {
        self.extends.as_deref()
    }
    /// Part maxima as the decision's body prints them (empty when it prints none).
    pub fn part_maxima(&self) -> &[PartMax] {
        &self.part_maxima
    }
    /// Printed restatements known to disagree with the data (a heading's
    /// "(N Điểm)", a band's range), accepted by validation as listed.
    pub fn known_misprints(&self) -> &[def::KnownMisprintDef] {
        &self.known_misprints
    }
    /// The register's rules (term, re-rating, revocation, rounds), as compiled.
    pub fn certification(&self) -> &certification::Certification {
        &self.certification
    }
    /// Minimum criteria per rank set outside the sheets.
    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }
    /// Caveats carried into every assessment.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// The council levels of the edition and what each does with a result.
    pub fn levels(&self) -> &[LevelRules] {
        &self.levels
    }

    /// The rules of one council level, if the edition has it.
    pub fn level(&self, level: crate::dossier::Level) -> Option<&LevelRules> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// When a later decision ends this edition, if it does.
    pub fn ends(&self) -> Option<&Ends> {
        self.ends.as_ref()
    }

    /// Transition rules that send some dossiers to an earlier edition.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }
    /// Sheet keys of the classification that the crate does not hold.
    pub fn missing_sheets(&self) -> Vec<&str> {
        let mut missing: Vec<&str> = self
            .classes
            .iter()
            .map(|class| class.sheet.as_str())
            .filter(|key| !self.sheets.iter().any(|slot| slot.key == *key))
            .collect();
        missing.dedup();
        missing
    }
    /// Edition id, e.g. `26-2026`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The decision's title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Decision number as printed, e.g. `26/2026/QĐ-TTg`.
    pub fn decision(&self) -> &str {
        &self.decision
    }
    /// Signing date.
    pub fn signed_on(&self) -> Date {
        self.signed_on
    }
    /// First day in force.
    pub fn in_force_from(&self) -> Date {
        self.in_force_from
    }
    /// Where the text comes from.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// How far the source can be trusted.
    pub fn confidence(&self) -> &str {
        &self.confidence
    }
    /// Where in the decision the edition's rules are printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
    /// Maximum total points.
    pub fn max_points(&self) -> Decimal {
        self.max_points
    }
    /// How the edition's bands are printed (the label assessments record as `band_policy`).
    pub fn band_reading(&self) -> BandReading {
        self.band_policy
    }
    /// The printed footnote explaining star marks.
    pub fn star_footnote(&self) -> Option<&str> {
        self.star_footnote.as_deref()
    }
    /// The product code format the decision prints ("Mã số sản phẩm"), if any.
    pub fn product_code(&self) -> Option<&def::ProductCodeDef> {
        self.product_code.as_ref()
    }
    /// How many sheets the decision prints (some may be unavailable).
    pub fn sheets_expected(&self) -> u16 {
        self.sheets_expected
    }
    /// Star bands, lowest first.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }
    /// The classification, in printed order.
    pub fn classes(&self) -> &[ProductClass] {
        &self.classes
    }
    /// The sheets the crate holds, in printed order.
    ///
    /// An embedded edition compiles a sheet the first time it is asked for:
    /// this compiles them all.
    ///
    /// ```
    /// let edition = ocop::edition("26-2026")?;
    /// assert_eq!(edition.sheets().count(), 26);
    /// assert_eq!(edition.sheets().next().map(|sheet| sheet.key()), Some("rau-cu-qua-hat-tuoi"));
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn sheets(&self) -> impl Iterator<Item = &Sheet> + '_ {
        // A sheet that does not compile is returned as an error by `sheet`;
        // the suite proves that no embedded sheet is one.
        self.sheets
            .iter()
            .filter_map(|slot| self.compiled(slot).as_ref().ok())
    }

    /// How many sheets the crate holds (without compiling them).
    pub fn sheet_count(&self) -> usize {
        self.sheets.len()
    }

    /// The keys of the sheets the crate holds, in printed order (without
    /// compiling them).
    pub fn sheet_keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.sheets.iter().map(|slot| slot.key.as_str())
    }

    fn compiled<'a>(&'a self, slot: &'a SheetSlot) -> &'a Result<Sheet, crate::Error> {
        slot.compiled
            .get_or_init(|| match (&self.deferred, slot.file) {
                (Some(def), Some(file)) => {
                    compile::deferred_sheet(&self.id, def, &self.bands, self.max_points, file)
                }
                // Slots without a file are filled when the edition is built.
                _ => Err(crate::Error::Rubric {
                    origin: format!("edition {}", self.id),
                    problems: vec![crate::error::RubricProblem {
                        file: format!("sheets/*-{}.toml", slot.key),
                        line: None,
                        message: "the sheet was neither compiled nor kept to compile".to_string(),
                    }],
                }),
            })
    }
    /// SHA-256 (hex) of the edition's canonical data: what an assessment records.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The sheet with this key.
    ///
    /// ```
    /// let edition = ocop::edition("26-2026")?;
    /// let sheet = edition.sheet("hoa")?;
    /// assert_eq!(sheet.number(), 23);
    /// assert!(edition.sheet("rau").is_err());
    /// # Ok::<(), ocop::Error>(())
    /// ```
    pub fn sheet(&self, key: &str) -> Result<&Sheet, crate::Error> {
        if let Some(slot) = self.sheets.iter().find(|slot| slot.key == key) {
            return self.compiled(slot).as_ref().map_err(Clone::clone);
        }
        if self.classes.iter().any(|class| class.sheet == key) {
            return Err(crate::Error::SheetNotAvailable {
                edition: self.id.clone(),
                sheet: key.to_string(),
                why: self.unavailable.clone().unwrap_or_else(|| {
                    "the edition classifies it but the crate has no text for it".to_string()
                }),
            });
        }
        Err(crate::Error::UnknownSheet {
            edition: self.id.clone(),
            sheet: crate::error::echo(key),
            available: self.sheet_keys().collect::<Vec<_>>().join(", "),
        })
    }

    /// The band a total falls in (the band rank before star-mark gates).
    pub fn band_for(&self, total: Decimal) -> Option<&Band> {
        self.bands.iter().find(|band| band.contains(total))
    }

    /// The band of a rank.
    pub fn band_of(&self, stars: u8) -> Option<&Band> {
        self.bands.iter().find(|band| band.stars == stars)
    }
}

/// One scoring sheet ("phiếu đánh giá") of an edition.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    edition: String,
    number: u16,
    key: String,
    title: String,
    group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subgroup: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disqualified_when: Option<String>,
    #[serde(skip)]
    printed_group: Option<String>,
    #[serde(skip)]
    disqualified_line: Option<u32>,
    cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    gaps: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusive_cases: Option<ExclusiveCases>,
    max: Decimal,
    parts: Vec<Part>,
    #[serde(skip)]
    index: BTreeMap<String, NodeKind>,
    #[serde(skip)]
    leaf_ids: Vec<String>,
    #[serde(skip)]
    kernel: crate::kernel::Kernel,
}

/// What a criterion id names within a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// Answered directly; has this many options.
    Leaf {
        options: usize,
        cumulative: bool,
    },
    Parent,
}

impl Sheet {
    /// Id of the edition this sheet belongs to.
    pub fn edition(&self) -> &str {
        &self.edition
    }
    /// The sheet's number in the appendix.
    pub fn number(&self) -> u16 {
        self.number
    }
    /// Stable key, e.g. `rau-cu-qua-hat-tuoi`.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// Product set as printed.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Product group as printed.
    pub fn group(&self) -> &str {
        &self.group
    }
    /// Subgroup as printed.
    pub fn subgroup(&self) -> Option<&str> {
        self.subgroup.as_deref()
    }
    /// The sheet's "choose one of the two cases" rule, if printed.
    pub fn exclusive_cases(&self) -> Option<&ExclusiveCases> {
        self.exclusive_cases.as_ref()
    }

    /// "Hồ sơ bị loại khi": when the dossier is rejected outright.
    pub fn disqualified_when(&self) -> Option<&str> {
        self.disqualified_when.as_deref()
    }
    /// The group line as printed under the heading.
    pub fn printed_group(&self) -> Option<&str> {
        self.printed_group.as_deref()
    }
    /// Line of the "Bị loại khi" text in the edition's source text.
    pub fn disqualified_line(&self) -> Option<u32> {
        self.disqualified_line
    }
    /// Where the sheet is printed.
    pub fn cite(&self) -> &str {
        &self.cite
    }
    /// Where this sheet's data comes from, when not the edition's source.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// How far this sheet's source can be trusted, when not as the edition's.
    pub fn confidence(&self) -> Option<&str> {
        self.confidence.as_deref()
    }
    /// Known gaps of this sheet (parts that do not add up, kept as stored).
    pub fn gaps(&self) -> &[String] {
        &self.gaps
    }
    /// Line of the sheet's heading in the edition's source text.
    pub fn line(&self) -> Option<u32> {
        self.line
    }
    /// Maximum total.
    pub fn max(&self) -> Decimal {
        self.max
    }
    /// Parts A, B, C.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }
    /// Ids of the criteria a dossier answers (leaves), in printed order.
    pub fn leaf_ids(&self) -> &[String] {
        &self.leaf_ids
    }
    /// Every criterion, parents before their children, in printed order.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.parts
            .iter()
            .flat_map(|part| part.sections.iter())
            .flat_map(|section| section.criteria.iter())
            .flat_map(|criterion| criterion.walk())
    }
    /// The criterion with this id, leaf or parent.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria().find(|criterion| criterion.id == id)
    }
    pub(crate) fn kernel(&self) -> &crate::kernel::Kernel {
        &self.kernel
    }
    pub(crate) fn node_kind(&self, id: &str) -> Option<NodeKind> {
        self.index.get(id).copied()
    }
}

/// Part A, B or C of a sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    heading: Option<String>,
    max: Decimal,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    doubts: Vec<String>,
    sections: Vec<Section>,
}

impl Part {
    /// `A`, `B` or `C`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Title as printed.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Heading as printed, with its "(N Điểm)".
    pub fn heading(&self) -> Option<&str> {
        self.heading.as_deref()
    }
    /// Maximum points.
    pub fn max(&self) -> Decimal {
        self.max
    }
    /// Printed notes of the part.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
    /// Doubts recorded about the printed text.
    pub fn doubts(&self) -> &[String] {
        &self.doubts
    }
    /// Its numbered sections.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }
}

/// A numbered section of a part.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    id: String,
    title: String,
    max: Decimal,
    /// True when the printed section has options and no criteria.
    direct: bool,
    #[serde(skip)]
    printed_max: Option<Decimal>,
    #[serde(skip)]
    line: Option<u32>,
    #[serde(skip)]
    doubts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    criteria: Vec<Criterion>,
}

impl Section {
    /// Section number as printed.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Title as printed.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Maximum points.
    pub fn max(&self) -> Decimal {
        self.max
    }
    /// The maximum as printed, when it breaks the arithmetic.
    pub fn printed_max(&self) -> Option<Decimal> {
        self.printed_max
    }
    /// Line in the edition's source text.
    pub fn line(&self) -> Option<u32> {
        self.line
    }
    /// Doubts recorded about the printed text.
    pub fn doubts(&self) -> &[String] {
        &self.doubts
    }
    /// Whether the section is scored directly (then it has one criterion with its own id).
    pub fn is_direct(&self) -> bool {
        self.direct
    }
    /// Printed requirements of the section.
    pub fn requirements(&self) -> &[String] {
        &self.requirements
    }
    /// Printed notes of the section.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
    /// Its criteria.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }
}

/// A criterion (or sub-criterion) of a section.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    printed_id: Option<String>,
    title: String,
    max: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    printed_max: Option<Decimal>,
    #[serde(skip_serializing_if = "Scoring::is_one")]
    scoring: Scoring,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requirements: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    doubts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inferred: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cases: Vec<Case>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<Choice>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<Criterion>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<Rule>,
    /// Star marks, lowest rank first: (rank, option number, points).
    #[serde(skip)]
    marks: Vec<Mark>,
}

/// A rule printed as a note on a criterion: a knock-out (the dossier is
/// rejected), a stop (the evaluation ends there) or an applicability condition.
///
/// ```
/// let sheet = ocop::edition("26-2026")?.sheet("nuoc-khoang-thien-nhien-nuoc-uong-dong-chai")?;
/// let rule = &sheet.criterion("6.4").unwrap().rules()[0];
/// assert_eq!(rule.kind(), ocop::rubric::RuleKind::Stop);
/// assert_eq!(rule.on(), ["6.1", "6.2", "6.3", "6.4"]);
/// # Ok::<(), ocop::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    kind: RuleKind,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fires: Option<Fires>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    on: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: Vec<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    criterion: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unless_options: Vec<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doubt: Option<String>,
}

impl Rule {
    /// Knock-out, stop or applies-when.
    pub fn kind(&self) -> RuleKind {
        self.kind
    }
    /// The note as printed.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Line of the note in the edition's source text.
    pub fn line(&self) -> Option<u32> {
        self.line
    }
    /// What fires a knock-out or a stop (`None` for applies-when).
    pub fn fires(&self) -> Option<Fires> {
        self.fires
    }
    /// For a rule fired by 0 points: the criteria whose 0 points fire it.
    pub fn on(&self) -> &[String] {
        &self.on
    }
    /// For a rule fired by options: the options of its criterion that fire it.
    pub fn options(&self) -> &[u16] {
        &self.options
    }
    /// For applies-when: the criterion whose answer decides.
    pub fn criterion(&self) -> Option<&str> {
        self.criterion.as_deref()
    }
    /// For applies-when: that criterion's options under which this one does not apply.
    pub fn unless_options(&self) -> &[u16] {
        &self.unless_options
    }
    /// Doubts about the reading.
    pub fn doubt(&self) -> Option<&str> {
        self.doubt.as_deref()
    }
}

/// The sheet's "choose one of the two cases" rule ("Lựa chọn một trong hai
/// trường hợp"): a dossier's options on the case criteria come from one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusiveCases {
    text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lines: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doubt: Option<String>,
}

impl ExclusiveCases {
    /// The note as printed.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Lines where it is printed.
    pub fn lines(&self) -> &[u32] {
        &self.lines
    }
    /// Doubts about the reading.
    pub fn doubt(&self) -> Option<&str> {
        self.doubt.as_deref()
    }
}

/// An alternative case of a criterion ("Trường hợp 1/2").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Letter as printed.
    id: String,
    /// Title as printed.
    title: String,
}

impl Case {
    /// Letter as printed.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Title as printed.
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// A star mark: the option a product must reach on a criterion to hold a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// The rank the mark is printed for (3, 4 or 5; 2 to 5 for a gate).
    stars: u8,
    /// The marked option's number.
    option: u16,
    /// The marked option's points: the minimum required.
    points: Decimal,
    /// For a gate set outside the sheet: the index of the edition's gate.
    gate: Option<usize>,
}

impl Mark {
    /// The rank the mark is printed for (3, 4 or 5; 2 to 5 for a gate).
    pub fn stars(&self) -> u8 {
        self.stars
    }
    /// The marked option's number.
    pub fn option(&self) -> u16 {
        self.option
    }
    /// The marked option's points: the minimum required.
    pub fn points(&self) -> Decimal {
        self.points
    }
    /// For a gate set outside the sheet: the index of the edition's gate.
    pub fn gate(&self) -> Option<usize> {
        self.gate
    }
}

impl Criterion {
    /// Id as printed, e.g. `1.1`, `6.1.1`, or `7` for a section scored directly.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The id as printed, when it was renumbered (a printed duplicate).
    pub fn printed_id(&self) -> Option<&str> {
        self.printed_id.as_deref()
    }
    /// Title as printed.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Maximum points (attainable: see [`printed_max`](Criterion::printed_max)).
    pub fn max(&self) -> Decimal {
        self.max
    }
    /// The maximum as printed, when it breaks the arithmetic.
    pub fn printed_max(&self) -> Option<Decimal> {
        self.printed_max
    }
    /// How the options are scored: one ticked option, or ticked boxes added up.
    pub fn scoring(&self) -> Scoring {
        self.scoring
    }
    /// Whether ticked boxes add up ([`Scoring::Cumulative`]).
    pub fn is_cumulative(&self) -> bool {
        self.scoring == Scoring::Cumulative
    }
    /// Line in the edition's source text.
    pub fn line(&self) -> Option<u32> {
        self.line
    }
    /// Printed requirements ("Yêu cầu").
    pub fn requirements(&self) -> &[String] {
        &self.requirements
    }
    /// Printed notes ("Ghi chú", "Chú ý").
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
    /// Doubts recorded about the printed text.
    pub fn doubts(&self) -> &[String] {
        &self.doubts
    }
    /// How the options were inferred, when none are printed.
    pub fn inferred(&self) -> Option<&str> {
        self.inferred.as_deref()
    }
    /// Alternative cases.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }
    /// Options in printed order; empty for a parent criterion.
    pub fn options(&self) -> &[Choice] {
        &self.options
    }
    /// The option with this number (1-based).
    pub fn option(&self, number: u16) -> Option<&Choice> {
        usize::from(number)
            .checked_sub(1)
            .and_then(|index| self.options.get(index))
    }
    /// Sub-criteria.
    pub fn children(&self) -> &[Criterion] {
        &self.children
    }
    /// Whether a dossier answers this criterion directly.
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }
    /// Knock-out, stop and applicability rules printed on this criterion.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Star marks, lowest rank first.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }
    pub(crate) fn find_mut(&mut self, id: &str) -> Option<&mut Criterion> {
        if self.id == id {
            return Some(self);
        }
        self.children
            .iter_mut()
            .find_map(|child| child.find_mut(id))
    }

    /// This criterion and all below it, parents first.
    pub fn walk(&self) -> Box<dyn Iterator<Item = &Criterion> + '_> {
        Box::new(std::iter::once(self).chain(self.children.iter().flat_map(|c| c.walk())))
    }
}

/// A tickable option ("□") of a criterion.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    number: u16,
    points: Decimal,
    min_stars: Option<u8>,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    printed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    erratum: Option<String>,
}

impl Choice {
    /// Number in printed order, from 1.
    pub fn number(&self) -> u16 {
        self.number
    }
    /// Points scored when ticked.
    pub fn points(&self) -> Decimal {
        self.points
    }
    /// The star mark printed on the option, if any.
    pub fn min_stars(&self) -> Option<u8> {
        self.min_stars
    }
    /// Text as printed.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The alternative case it belongs to.
    pub fn case(&self) -> Option<&str> {
        self.case.as_deref()
    }
    /// Points as printed, when an erratum corrected them.
    pub fn printed(&self) -> Option<&str> {
        self.printed.as_deref()
    }
    /// Why the printed points were corrected.
    pub fn erratum(&self) -> Option<&str> {
        self.erratum.as_deref()
    }
}
