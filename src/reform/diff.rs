//! `ocop diff`: the structural difference between two editions.
//!
//! Sheets are matched by key. Criteria are matched by id first, then — for
//! those left over on both sides — by identical title (the id moved); each
//! match says which. Options are matched by their text: the same text with
//! other points is re-pointed, a text on one side only is added or removed
//! (a reworded option therefore shows as one removed and one added).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::rubric::{Criterion, Edition, Sheet};

/// The difference between edition `from` and edition `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Diff {
    /// The edition compared from.
    pub from: String,
    /// The edition compared to.
    pub to: String,
    /// Band changes, e.g. `4★ from 70 → 75`.
    pub bands: Vec<String>,
    /// Sheets only in `to`.
    pub sheets_added: Vec<String>,
    /// Sheets only in `from`.
    pub sheets_removed: Vec<String>,
    /// Sheets in both with changes.
    pub sheets: Vec<SheetDiff>,
}

/// The changes within one sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetDiff {
    /// Sheet key.
    pub sheet: String,
    /// Part and section maxima that changed: `part A: 40 → 35`.
    pub maxima: Vec<String>,
    /// Criterion ids only in `to`.
    pub criteria_added: Vec<String>,
    /// Criterion ids only in `from`.
    pub criteria_removed: Vec<String>,
    /// Criteria in both with changes.
    pub criteria: Vec<CriterionDiff>,
}

/// The changes to one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionDiff {
    /// Id in `from`.
    pub from_id: String,
    /// Id in `to`.
    pub to_id: String,
    /// How the two were matched: `id` or `title`.
    pub matched_by: String,
    /// Old and new title, when renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed: Option<(String, String)>,
    /// Old and new maximum, when changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<(Decimal, Decimal)>,
    /// Options only in `to`: (number, text, points).
    pub options_added: Vec<(u16, String, Decimal)>,
    /// Options only in `from`: (number, text, points).
    pub options_removed: Vec<(u16, String, Decimal)>,
    /// Options whose points changed: (number in `from`, text, old points, new points).
    pub options_repointed: Vec<(u16, String, Decimal, Decimal)>,
    /// Star marks that moved: (rank, option text in `from` or none, option text in `to` or none).
    pub marks_moved: Vec<(u8, Option<String>, Option<String>)>,
}

impl CriterionDiff {
    fn is_empty(&self) -> bool {
        self.renamed.is_none()
            && self.max.is_none()
            && self.options_added.is_empty()
            && self.options_removed.is_empty()
            && self.options_repointed.is_empty()
            && self.marks_moved.is_empty()
            && self.matched_by == "id"
    }
}

/// Compares two editions.
///
/// ```
/// let a = ocop::edition("1048-2019")?;
/// let b = ocop::edition("781-2020")?;
/// let diff = ocop::reform::diff::diff(a, b);
/// // 781 adds minima: star marks appear on existing options.
/// assert!(diff.sheets.iter().any(|s| s.criteria.iter().any(|c| !c.marks_moved.is_empty())));
/// // 781 replaces sheet 26 (tourism) by a community-tourism sheet under a new key.
/// assert_eq!(diff.sheets_added, ["dich-vu-du-lich-cong-dong-va-diem-du-lich"]);
/// assert!(diff.bands.is_empty());
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn diff(from: &Edition, to: &Edition) -> Diff {
    let mut bands = Vec::new();
    for a in from.bands() {
        match to.band_of(a.stars()) {
            Some(b) if b.from() != a.from() => bands.push(format!(
                "{}★ from {} → {}",
                a.stars(),
                a.from().normalize(),
                b.from().normalize()
            )),
            Some(b) if b.certificate() != a.certificate() => bands.push(format!(
                "{}★ certificate {:?} → {:?}",
                a.stars(),
                a.certificate(),
                b.certificate()
            )),
            None => bands.push(format!("{}★ band removed", a.stars())),
            _ => {}
        }
    }
    let keys = |e: &Edition| e.sheet_keys().map(str::to_string).collect::<Vec<_>>();
    let (from_keys, to_keys) = (keys(from), keys(to));
    let mut sheets = Vec::new();
    for sheet in from.sheets() {
        if let Ok(other) = to.sheet(sheet.key()) {
            let d = sheet_diff(sheet, other);
            if !(d.maxima.is_empty()
                && d.criteria_added.is_empty()
                && d.criteria_removed.is_empty()
                && d.criteria.is_empty())
            {
                sheets.push(d);
            }
        }
    }
    Diff {
        from: from.id().to_string(),
        to: to.id().to_string(),
        bands,
        sheets_added: to_keys
            .iter()
            .filter(|k| !from_keys.contains(k))
            .cloned()
            .collect(),
        sheets_removed: from_keys
            .iter()
            .filter(|k| !to_keys.contains(k))
            .cloned()
            .collect(),
        sheets,
    }
}

fn sheet_diff(a: &Sheet, b: &Sheet) -> SheetDiff {
    let mut maxima = Vec::new();
    for part in a.parts() {
        if let Some(other) = b.parts().iter().find(|p| p.id() == part.id()) {
            if other.max() != part.max() {
                maxima.push(format!(
                    "part {}: {} → {}",
                    part.id(),
                    part.max(),
                    other.max()
                ));
            }
            for section in part.sections() {
                let found = other.sections().iter().find(|s| s.id() == section.id());
                if let Some(s) = found.filter(|s| s.max() != section.max()) {
                    maxima.push(format!(
                        "section {}: {} → {}",
                        section.id(),
                        section.max(),
                        s.max()
                    ));
                }
            }
        }
    }
    let from: Vec<&Criterion> = a.criteria().collect();
    let to: Vec<&Criterion> = b.criteria().collect();
    let mut matched_to = vec![false; to.len()];
    let mut pairs: Vec<(&Criterion, &Criterion, &str)> = Vec::new();
    let mut unmatched_from = Vec::new();
    for criterion in &from {
        match to.iter().position(|c| c.id() == criterion.id()) {
            Some(at) => {
                if let Some(slot) = matched_to.get_mut(at) {
                    *slot = true;
                }
                if let Some(other) = to.get(at) {
                    pairs.push((criterion, other, "id"));
                }
            }
            None => unmatched_from.push(*criterion),
        }
    }
    let mut removed = Vec::new();
    for criterion in unmatched_from {
        let found = to.iter().enumerate().find(|(i, c)| {
            !matched_to.get(*i).copied().unwrap_or(true) && c.title() == criterion.title()
        });
        match found {
            Some((at, other)) => {
                if let Some(slot) = matched_to.get_mut(at) {
                    *slot = true;
                }
                pairs.push((criterion, other, "title"));
            }
            None => removed.push(criterion.id().to_string()),
        }
    }
    let added = to
        .iter()
        .zip(&matched_to)
        .filter(|(_, matched)| !**matched)
        .map(|(c, _)| c.id().to_string())
        .collect();
    let criteria = pairs
        .into_iter()
        .map(|(x, y, by)| criterion_diff(x, y, by))
        .filter(|d| !d.is_empty())
        .collect();
    SheetDiff {
        sheet: a.key().to_string(),
        maxima,
        criteria_added: added,
        criteria_removed: removed,
        criteria,
    }
}

fn criterion_diff(a: &Criterion, b: &Criterion, by: &str) -> CriterionDiff {
    let mut d = CriterionDiff {
        from_id: a.id().to_string(),
        to_id: b.id().to_string(),
        matched_by: by.to_string(),
        renamed: (a.title() != b.title()).then(|| (a.title().to_string(), b.title().to_string())),
        max: (a.max() != b.max()).then_some((a.max(), b.max())),
        options_added: Vec::new(),
        options_removed: Vec::new(),
        options_repointed: Vec::new(),
        marks_moved: Vec::new(),
    };
    for option in a.options() {
        match b.options().iter().find(|o| o.text() == option.text()) {
            Some(other) if other.points() != option.points() => d.options_repointed.push((
                option.number(),
                option.text().to_string(),
                option.points(),
                other.points(),
            )),
            Some(_) => {}
            None => d.options_removed.push((
                option.number(),
                option.text().to_string(),
                option.points(),
            )),
        }
    }
    for option in b.options() {
        if !a.options().iter().any(|o| o.text() == option.text()) {
            d.options_added
                .push((option.number(), option.text().to_string(), option.points()));
        }
    }
    let mark_text = |c: &Criterion, stars: u8| {
        c.marks()
            .iter()
            .find(|m| m.stars() == stars)
            .and_then(|m| c.option(m.option()))
            .map(|o| o.text().to_string())
    };
    for stars in 2..=5 {
        let (x, y) = (mark_text(a, stars), mark_text(b, stars));
        if x != y {
            d.marks_moved.push((stars, x, y));
        }
    }
    d
}
