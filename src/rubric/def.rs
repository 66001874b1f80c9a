//! The rubric as written in TOML: plain serde structs that mirror the files.
//!
//! Nothing here is validated; [`compile`](super::compile()) turns these into the
//! immutable model of [`rubric`](super) and reports every problem at once.

use std::fmt;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `edition.toml`: an edition's metadata, star bands and classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionDef {
    /// Edition id, e.g. `26-2026`.
    pub id: String,
    /// The decision's title, in Vietnamese.
    pub title: String,
    /// Decision number as printed, e.g. `26/2026/QĐ-TTg`.
    pub decision: String,
    /// Signing date, `YYYY-MM-DD`.
    pub signed_on: String,
    /// First day in force, `YYYY-MM-DD`.
    pub in_force_from: String,
    /// Where the text comes from.
    pub source: String,
    /// How far the source can be trusted (`high`, `partial`, …).
    pub confidence: String,
    /// Where in the decision the edition's rules are printed.
    pub cite: String,
    /// Maximum total points (100).
    pub max_points: Points,
    /// How a total is placed in the bands: `half-open` (printed "từ 70 đến dưới
    /// 90") or `up-to-next-edge` (printed integer ranges "từ 70 đến 89": a band runs
    /// up to the next band's lower edge, so 89.5 is 4★).
    pub band_policy: String,
    /// The edition this one amends: it takes the base's sheets (its own files
    /// add or replace sheets by number) and every field of the base's
    /// `edition.toml` it does not give itself (see [`ExtendingEditionDef`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Part maxima every sheet must have, as the decision's body prints them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartMaxDef>,
    /// Why sheets of the classification are missing, and how to add them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// Sheets known not to add up, kept as stored: validation accepts exactly
    /// these gaps and every assessment on such a sheet carries a warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_gaps: Vec<KnownGapDef>,
    /// Printed restatements known to disagree with the data (a part heading's
    /// "(N Điểm)", a band's printed range), kept as printed: validation accepts
    /// exactly these. They do not score and are left out of the content hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_misprints: Vec<KnownMisprintDef>,
    /// Minimum criteria per rank set by the decision outside the sheets (781/2020
    /// Mục 6): star marks added to a sheet's options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<GateDef>,
    /// Gates written once per requirement: each group's requirement bound on
    /// several sheets. Compiled, they join `gates` (in sheet order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate_groups: Vec<GateGroupDef>,
    /// Caveats carried as warnings into every assessment on this edition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// A later decision's transition rule sending some dossiers to another edition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<TransitionDef>,
    /// The council levels of the edition and what each does with a result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelDef>,
    /// When a later decision ends this edition, as printed there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<EndsDef>,
    /// The printed footnote explaining star marks, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub star_footnote: Option<String>,
    /// The product code format printed at the head of each sheet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_code: Option<ProductCodeDef>,
    /// How many sheets the decision prints.
    pub sheets_expected: u16,
    /// Star bands, lowest first.
    pub bands: Vec<BandDef>,
    /// Who recognises each kind of certificate, keyed `none`, `province`, `ministry`.
    pub certificates: CertificatesDef,
    /// The classification tree of product groups.
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// How long a certificate is valid (see [`certification`](super::certification)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_term: Option<super::certification::CertificateTermDef>,
    /// The re-rating window before expiry and the time limit of a re-rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerating: Option<super::certification::ReratingDef>,
    /// The extension of a certificate whose re-rating was filed late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_rerating: Option<super::certification::LateReratingDef>,
    /// Revocation grounds, authority by rank and time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<super::certification::RevocationDef>,
    /// The rounds of evaluation of a year, by level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<super::certification::RoundDef>,
}

/// `edition.toml` of an edition that `extends` another: the fields it gives
/// itself. Compiled, they are laid over the base's effective definition
/// ([`ExtendingEditionDef::over`]); criteria/README.md says which field is
/// inherited how.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendingEditionDef {
    /// Edition id (never inherited).
    pub id: String,
    /// The decision's title (never inherited).
    pub title: String,
    /// Decision number as printed (never inherited).
    pub decision: String,
    /// Signing date, `YYYY-MM-DD` (never inherited).
    pub signed_on: String,
    /// First day in force, `YYYY-MM-DD` (never inherited).
    pub in_force_from: String,
    /// The edition this one amends.
    pub extends: String,
    /// Where the text comes from.
    pub source: Option<String>,
    /// How far the source can be trusted.
    pub confidence: Option<String>,
    /// Where in the decision the edition's rules are printed.
    pub cite: Option<String>,
    /// Maximum total points.
    pub max_points: Option<Points>,
    /// How a total is placed in the bands.
    pub band_policy: Option<String>,
    /// Part maxima (replace the base's list).
    pub parts: Option<Vec<PartMaxDef>>,
    /// Why sheets of the classification are missing.
    pub unavailable: Option<String>,
    /// Known gaps (replace the base's list; inherited ones are kept only for
    /// the sheets the edition still takes from its base).
    pub known_gaps: Option<Vec<KnownGapDef>>,
    /// Known misprints (replace the base's list; inherited ones of a sheet are
    /// kept only for the sheets the edition still takes from its base).
    pub known_misprints: Option<Vec<KnownMisprintDef>>,
    /// Gates (with `gate_groups`, replace all of the base's gates).
    pub gates: Option<Vec<GateDef>>,
    /// Gate groups (with `gates`, replace all of the base's gates).
    pub gate_groups: Option<Vec<GateGroupDef>>,
    /// Caveats (replace the base's list).
    pub warnings: Option<Vec<String>>,
    /// Transition rules (replace the base's list).
    pub transitions: Option<Vec<TransitionDef>>,
    /// Council levels (replace the base's list).
    pub levels: Option<Vec<LevelDef>>,
    /// When a later decision ends this edition (never inherited: the end of
    /// the base is the base's).
    pub ends: Option<EndsDef>,
    /// The printed footnote explaining star marks.
    pub star_footnote: Option<String>,
    /// The product code format.
    pub product_code: Option<ProductCodeDef>,
    /// How many sheets the decision prints.
    pub sheets_expected: Option<u16>,
    /// Star bands (replace the base's list).
    pub bands: Option<Vec<BandDef>>,
    /// Certificate texts (replace the base's table).
    pub certificates: Option<CertificatesDef>,
    /// Product groups: each replaces the base's group of the same `number`
    /// in place; a new number is added at the end.
    pub groups: Option<Vec<GroupDef>>,
    /// How long a certificate is valid.
    pub certificate_term: Option<super::certification::CertificateTermDef>,
    /// The re-rating window.
    pub rerating: Option<super::certification::ReratingDef>,
    /// The extension of a late re-rating.
    pub late_rerating: Option<super::certification::LateReratingDef>,
    /// Revocation rules.
    pub revocation: Option<super::certification::RevocationDef>,
    /// Rounds of evaluation (replace the base's list).
    pub rounds: Option<Vec<super::certification::RoundDef>>,
}

impl ExtendingEditionDef {
    /// This edition's fields laid over its base's effective definition: a
    /// field it gives replaces the base's (a list or table as a whole, except
    /// `groups`, merged by number); a field it does not give is the base's;
    /// `id`, `title`, `decision`, the dates, `extends` and `ends` are always
    /// its own. Also says whether `known_gaps` and `known_misprints` were
    /// inherited (then the compiler keeps only those of sheets the edition
    /// still has).
    pub fn over(self, base: EditionDef) -> (EditionDef, (bool, bool)) {
        let EditionDef {
            id: _,
            title: _,
            decision: _,
            signed_on: _,
            in_force_from: _,
            source,
            confidence,
            cite,
            max_points,
            band_policy,
            extends: _,
            parts,
            unavailable,
            known_gaps,
            known_misprints,
            gates,
            gate_groups,
            warnings,
            transitions,
            levels,
            ends: _,
            star_footnote,
            product_code,
            sheets_expected,
            bands,
            certificates,
            groups,
            certificate_term,
            rerating,
            late_rerating,
            revocation,
            rounds,
        } = base;
        let own_gates = self.gates.is_some() || self.gate_groups.is_some();
        let (gates, gate_groups) = if own_gates {
            (
                self.gates.unwrap_or_default(),
                self.gate_groups.unwrap_or_default(),
            )
        } else {
            (gates, gate_groups)
        };
        let mut merged_groups = groups;
        for group in self.groups.unwrap_or_default() {
            match merged_groups.iter_mut().find(|g| g.number == group.number) {
                Some(slot) => *slot = group,
                None => merged_groups.push(group),
            }
        }
        let inherited_gaps = (self.known_gaps.is_none(), self.known_misprints.is_none());
        let def = EditionDef {
            id: self.id,
            title: self.title,
            decision: self.decision,
            signed_on: self.signed_on,
            in_force_from: self.in_force_from,
            source: self.source.unwrap_or(source),
            confidence: self.confidence.unwrap_or(confidence),
            cite: self.cite.unwrap_or(cite),
            max_points: self.max_points.unwrap_or(max_points),
            band_policy: self.band_policy.unwrap_or(band_policy),
            extends: Some(self.extends),
            parts: self.parts.unwrap_or(parts),
            unavailable: self.unavailable.or(unavailable),
            known_gaps: self.known_gaps.unwrap_or(known_gaps),
            known_misprints: self.known_misprints.unwrap_or(known_misprints),
            gates,
            gate_groups,
            warnings: self.warnings.unwrap_or(warnings),
            transitions: self.transitions.unwrap_or(transitions),
            levels: self.levels.unwrap_or(levels),
            ends: self.ends,
            star_footnote: self.star_footnote.or(star_footnote),
            product_code: self.product_code.or(product_code),
            sheets_expected: self.sheets_expected.unwrap_or(sheets_expected),
            bands: self.bands.unwrap_or(bands),
            certificates: self.certificates.unwrap_or(certificates),
            groups: merged_groups,
            certificate_term: self.certificate_term.or(certificate_term),
            rerating: self.rerating.or(rerating),
            late_rerating: self.late_rerating.or(late_rerating),
            revocation: self.revocation.or(revocation),
            rounds: self.rounds.unwrap_or(rounds),
        };
        (def, inherited_gaps)
    }
}

/// An `edition.toml` as the rubric schema describes it: a whole edition, or
/// one that `extends` another and gives only what it changes.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EditionFile {
    /// An edition that gives every field (it may still name `extends`).
    Whole(Box<EditionDef>),
    /// An edition that extends another and gives only what it changes.
    Extending(Box<ExtendingEditionDef>),
}

/// The keys of [`EditionDef`] that allow for printed restatements known not
/// to agree with the data: they neither score nor change an assessment, and
/// are left out of the edition's content hash.
pub const VALIDATION_KEYS: [&str; 1] = ["known_misprints"];

/// The keys of [`EditionDef`] that hold the register's rules, not scoring
/// data: left out of the edition's content hash.
pub const CERTIFICATION_KEYS: [&str; 5] = [
    "certificate_term",
    "rerating",
    "late_rerating",
    "revocation",
    "rounds",
];

/// A part's maximum as printed in the decision's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartMaxDef {
    /// `A`, `B` or `C`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// Maximum points.
    pub max: Points,
}

/// A minimum criterion for a rank: a product ranked `stars` or more must reach
/// `option` of `criterion` on `sheet` (a star mark set outside the sheet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateDef {
    /// The rank it binds (and every rank above), 2 to 5.
    pub stars: u8,
    /// Sheet key.
    pub sheet: String,
    /// Leaf criterion id.
    pub criterion: String,
    /// The lowest option (1-based) that meets the requirement.
    pub option: u16,
    /// The requirement as printed.
    pub requirement: String,
    /// Where it is printed.
    pub cite: String,
    /// Doubts about the mapping of the requirement to the option.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

/// `[[gate_groups]]`: one minimum of the decision (a rank and a printed
/// requirement) bound on several sheets, each at its own criterion and option.
/// Each entry of `gates` compiles to the [`GateDef`] with the group's `stars`,
/// `requirement` and `cite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateGroupDef {
    /// The rank it binds (and every rank above), 2 to 5.
    pub stars: u8,
    /// The requirement as printed.
    pub requirement: String,
    /// Where it is printed.
    pub cite: String,
    /// Where the requirement falls on each sheet it binds.
    pub gates: Vec<GateOnSheetDef>,
}

/// One sheet of a [`GateGroupDef`]: the option of a criterion that meets the
/// group's requirement there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateOnSheetDef {
    /// Sheet key.
    pub sheet: String,
    /// Leaf criterion id.
    pub criterion: String,
    /// The lowest option (1-based) that meets the requirement.
    pub option: u16,
    /// Doubts about the mapping of the requirement to the option.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

/// A sheet part whose criteria are known not to add up to its maximum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownGapDef {
    /// Sheet key.
    pub sheet: String,
    /// Part id.
    pub part: String,
    /// What its sections add up to as stored.
    pub sum: Points,
    /// Why, and what it means for scores.
    pub note: String,
}

/// A printed restatement that disagrees with the data, kept as printed: a
/// sheet part's heading (`sheet` and `part`) or a band's printed range (`band`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownMisprintDef {
    /// Sheet key, for a part heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Part id, for a part heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Rank, for a band's printed range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<u8>,
    /// The number as printed, which disagrees with the data.
    pub printed: Points,
    /// Why the data differs from it.
    pub doubt: String,
}

/// A transition rule: dossiers filed before `filed_before` and evaluated on or
/// before `evaluated_until` stay under `edition`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// Filed strictly before this day (`YYYY-MM-DD`).
    pub filed_before: String,
    /// Evaluated on or before this day (`YYYY-MM-DD`).
    pub evaluated_until: String,
    /// The edition that still applies.
    pub edition: String,
    /// The kinds of registration it covers (`first`, `upgrade`, `re-rating`);
    /// empty: every kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// Where the rule is printed.
    pub cite: String,
    /// The rule as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A council level ("cấp") of an edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDef {
    /// `district`, `province` or `central`.
    pub level: String,
    /// The level as printed, e.g. `cấp tỉnh`.
    pub title: String,
    /// Where the level is printed.
    pub cite: String,
    /// Doubts about the reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doubt: Option<String>,
    /// What the level does with each final rank: every rank 0–5 exactly once.
    pub outcomes: Vec<OutcomeDef>,
}

/// What a council level does with a result of some ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    /// Final ranks this applies to; 0 is a rejected or stopped dossier.
    pub stars: Vec<u8>,
    /// `recognise`, `propose`, `return` or `none`.
    pub action: String,
    /// Who acts.
    pub by: String,
    /// To whom a proposal or a return goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The rule as the decision words it.
    pub text: String,
    /// Where it is printed.
    pub cite: String,
}

/// The product code format a decision prints ("Mã số sản phẩm").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductCodeDef {
    /// The format as printed, e.g. `(T)-(X)-(STT)-20…`.
    pub printed: String,
    /// The legend as printed.
    pub legend: String,
    /// The letter of the second part: `X` (mã xã) or `H` (mã huyện).
    pub area: String,
    /// What the second part is, in English: `commune` or `district`.
    pub area_name: String,
    /// Digits of the second part in the administrative codes the legend names.
    pub area_digits: usize,
    /// Where the format is printed.
    pub cite: String,
}

/// When a later decision ends an edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndsDef {
    /// The last day the edition's rules apply (`YYYY-MM-DD`).
    pub last_day: String,
    /// The edition that ends it.
    pub by: String,
    /// The rule as printed.
    pub text: String,
    /// Where it is printed.
    pub cite: String,
}

/// One star band: from `from` (inclusive) to the next band's `from` (exclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDef {
    /// Rank, 1 to 5.
    pub stars: u8,
    /// Lowest total in the band.
    pub from: Points,
    /// The band's wording as printed.
    pub printed: String,
    /// Who certifies a product of this rank: `none`, `province` or `ministry`.
    pub certificate: String,
    /// The level printed beside the rank, e.g. `cấp tỉnh`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// The text of each certificate kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificatesDef {
    /// No recognition.
    pub none: String,
    /// Recognised by the province.
    pub province: String,
    /// Recognised by the ministry.
    pub ministry: String,
}

/// A product group of the classification (roman-numbered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    /// Roman numeral as printed.
    pub number: String,
    /// Title as printed.
    pub title: String,
    /// Its leaves: nhóm, phân nhóm, lead ministry and the sheet that applies.
    pub classes: Vec<ClassDef>,
}

/// A leaf of the classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassDef {
    /// "Nhóm" as printed.
    pub nhom: String,
    /// "Phân nhóm" as printed, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phan_nhom: Option<String>,
    /// Lead ministry as printed (abbreviated).
    pub ministry: String,
    /// Key of the sheet that scores this class.
    pub sheet: String,
}

/// `sheets/NN-<key>.toml`: one scoring sheet ("phiếu đánh giá").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetDef {
    /// The sheet's number in the appendix.
    pub number: u16,
    /// Stable key, e.g. `rau-cu-qua-hat-tuoi`.
    pub key: String,
    /// Product set ("Bộ sản phẩm") as printed.
    pub title: String,
    /// Product group ("Sản phẩm") as printed.
    pub group: String,
    /// Subgroup ("Nhóm") as printed, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subgroup: Option<String>,
    /// The group line as printed under the heading, e.g. `(Ngành: Thực phẩm. Nhóm: …)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_group: Option<String>,
    /// "Hồ sơ bị loại khi": when the dossier is rejected outright.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disqualified_when: Option<String>,
    /// Line of the "Bị loại khi" text in the edition's source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disqualified_line: Option<u32>,
    /// Where the sheet is printed.
    pub cite: String,
    /// Where this sheet's data comes from, when it differs from the edition's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How far this sheet's source can be trusted, when it differs from the edition's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// Line of the sheet's heading in the edition's source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// "Lựa chọn một trong hai trường hợp": a dossier's options on the sheet's
    /// case criteria all come from one case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_cases: Option<ExclusiveCasesDef>,
    /// Parts A, B, C.
    pub parts: Vec<PartDef>,
}

/// A part (A, B, C) of a sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// `A`, `B` or `C`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// The full heading as printed, with its "(N Điểm)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// Maximum points.
    pub max: Points,
    /// Printed notes of the part, e.g. how its boxes are scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Doubts about the printed text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
    /// Numbered sections.
    pub sections: Vec<SectionDef>,
}

/// A numbered section; either it has criteria, or it is scored directly with options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Section number as printed, e.g. `7`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// Maximum points.
    pub max: Points,
    /// The maximum as printed, when it breaks the arithmetic (see `doubts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_max: Option<Points>,
    /// For a section scored directly: `one` (default) or `cumulative`.
    #[serde(default, skip_serializing_if = "Scoring::is_one")]
    pub scoring: Scoring,
    /// Line in the edition's source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Printed requirements ("Yêu cầu").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Printed notes ("Ghi chú", "Chú ý").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Doubts about the printed text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
    /// Alternative cases ("Trường hợp 1/2") of a directly scored section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseDef>,
    /// Options, when the section is scored directly (one criterion, id = section id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionDef>,
    /// Knock-out, stop and applicability rules of a section scored directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDef>,
    /// Criteria, when the section is not scored directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionDef>,
}

/// A criterion `x.y` or sub-criterion `x.y.z`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    /// Id as printed, e.g. `1.1` or `6.1.1`.
    pub id: String,
    /// The id as printed, when the printed id was renumbered (a duplicate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_id: Option<String>,
    /// Title as printed.
    pub title: String,
    /// Maximum points.
    pub max: Points,
    /// The maximum as printed, when it breaks the arithmetic and `max` is the
    /// attainable value (see `doubts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_max: Option<Points>,
    /// `one` (default: one option is ticked) or `cumulative` (ticked boxes add up).
    #[serde(default, skip_serializing_if = "Scoring::is_one")]
    pub scoring: Scoring,
    /// Line in the edition's source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Printed requirements ("Yêu cầu").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Printed notes ("Ghi chú", "Chú ý").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Doubts about the printed text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
    /// Set when the options are not printed and were inferred: says how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    /// Alternative cases ("Trường hợp 1/2"): one option is chosen across all cases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseDef>,
    /// Options in printed order (numbered from 1); empty when the criterion has children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionDef>,
    /// Sub-criteria, whose points add up to this criterion's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<CriterionDef>,
    /// Knock-out, stop and applicability rules printed with the criterion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDef>,
}

/// A rule printed as a note on a criterion: it rejects the dossier, stops the
/// evaluation, or limits when the criterion counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// `knock-out`, `stop` or `applies-when`.
    pub kind: RuleKind,
    /// The note as printed (one of the criterion's `notes`).
    pub text: String,
    /// Line of the note in the edition's source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// For a knock-out or a stop: what fires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fires: Option<Fires>,
    /// `fires = "zero"`: the criteria whose 0 points fire it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<String>,
    /// `fires = "options"`: the options (1-based) of this criterion that fire it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<u16>,
    /// `applies-when`: the criterion whose answer decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// `applies-when`: that criterion's options (1-based) under which this one does not apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_options: Vec<u16>,
    /// Doubts about the reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doubt: Option<String>,
}

/// What a printed rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// "Bị loại": the dossier is rejected.
    KnockOut,
    /// "Không đánh giá các bước tiếp theo": the evaluation ends there.
    Stop,
    /// "Chỉ áp dụng khi …": the criterion counts only when another's answer allows it.
    AppliesWhen,
}

impl RuleKind {
    /// The kebab-case name, as written in the TOML and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::KnockOut => "knock-out",
            RuleKind::Stop => "stop",
            RuleKind::AppliesWhen => "applies-when",
        }
    }
}

/// What fires a knock-out or a stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Fires {
    /// 0 points on any of the listed criteria ("Nếu được 0 điểm …").
    Zero,
    /// One of the listed options of the criterion is chosen.
    Options,
    /// A fact the council establishes and the dossier declares in `findings`.
    Finding,
}

/// The sheet's "choose one of the two cases" rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusiveCasesDef {
    /// The note as printed.
    pub text: String,
    /// Lines where it is printed in the edition's source text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<u32>,
    /// Doubts about the reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doubt: Option<String>,
}

/// How a criterion's options are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scoring {
    /// One option is ticked; it gives the criterion's points (the usual case).
    #[default]
    One,
    /// Every box that applies is ticked and the ticked points add up ("Được cộng
    /// tổng điểm các nội dung ghi Có", 1048/2019 sheet 26 Part C): the boxes add
    /// up to the criterion's maximum.
    Cumulative,
}

impl Scoring {
    /// Whether this is the default, one option per criterion.
    pub fn is_one(&self) -> bool {
        *self == Scoring::One
    }
}

/// An alternative case of a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDef {
    /// Letter as printed, e.g. `a`.
    pub id: String,
    /// Title as printed.
    pub title: String,
}

/// A tickable option ("□").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    /// Points scored when ticked (after any erratum).
    pub points: Points,
    /// The points as printed, when an erratum corrected them (`""` for a blank cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<String>,
    /// Why the printed points were corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erratum: Option<String>,
    /// The star mark: a product ranked this many stars or more must reach this option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stars: Option<u8>,
    /// The alternative case this option belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Text as printed.
    pub text: String,
}

/// Points in rubric files: a TOML integer or a decimal string, never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub Decimal);

impl Points {
    /// The largest magnitude of any points value in a rubric file.
    pub const LIMIT: i64 = 1_000_000;
    /// The most decimal places a points value may have.
    pub const MAX_DECIMALS: u32 = 4;

    /// Bounds keep every sum of a sheet exact in `i64` units of 10⁻⁴ points,
    /// so scoring never overflows, whatever a draft edition holds.
    fn bounded<E: serde::de::Error>(value: Decimal) -> Result<Points, E> {
        let value = value.normalize();
        if value.abs() > Decimal::from(Points::LIMIT) || value.scale() > Points::MAX_DECIMALS {
            return Err(E::custom(format_args!(
                "{value} points is out of bounds: points are between -{} and {} with at most {} decimal places",
                Points::LIMIT,
                Points::LIMIT,
                Points::MAX_DECIMALS
            )));
        }
        Ok(Points(value))
    }
}

impl From<Decimal> for Points {
    fn from(value: Decimal) -> Self {
        Points(value)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.normalize().fmt(f)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Canonical: integers as integers, fractions as strings, so TOML written
        // back reads the same and the content hash does not depend on formatting.
        let value = self.0.normalize();
        if value.scale() == 0 {
            if let Ok(int) = i64::try_from(value) {
                return serializer.serialize_i64(int);
            }
        }
        serializer.serialize_str(&value.to_string())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "points as an integer or a decimal string such as \"0.5\" (never a float)",
                )
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Points, E> {
                Points::bounded(Decimal::from(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Points, E> {
                Points::bounded(Decimal::from(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Points, E> {
                let value = v
                    .trim()
                    .parse::<Decimal>()
                    .map_err(|_| E::custom(format_args!("`{v}` is not a decimal number")))?;
                Points::bounded(value)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for Points {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Points".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let integer = generator.subschema_for::<i64>();
        let decimal = generator.subschema_for::<Decimal>();
        schemars::json_schema!({ "anyOf": [integer, decimal] })
    }
}
