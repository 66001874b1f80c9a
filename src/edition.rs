//! The embedded editions: a static table of the files under `criteria/`,
//! parsed and validated on first use, handed out as `&'static` references.

use std::sync::OnceLock;

use jiff::civil::Date;

use crate::error::Error;
use crate::rubric::compile::SourceFile;
use crate::rubric::{Edition, compile};

/// The files of one embedded edition.
struct EmbeddedEdition {
    id: &'static str,
    /// The content hash of its data, pinned: the edition is handed out with
    /// its sheets compiled on first use, so the hash over all of them is not
    /// computed at run time. The suite compiles every embedded edition whole
    /// and checks that it has this hash (`every_embedded_edition_validates`):
    /// a change to rubric data must update the pin, deliberately, since
    /// stored assessments record the hash and `ocop verify` reports a change.
    hash: &'static str,
    edition: &'static str,
    sheets: &'static [(&'static str, &'static str)],
}

macro_rules! sheets {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$((concat!("sheets/", $name), include_str!(concat!("../criteria/", $dir, "/sheets/", $name)))),*]
    };
}

/// Every edition the crate embeds, oldest first. A test checks this list
/// against the folders under `criteria/`.
static EMBEDDED: &[EmbeddedEdition] = &[
    EmbeddedEdition {
        id: "1048-2019",
        hash: "d1809a69de037027f8834dfdd4bfee6503810051755d0361830645240d589784",
        edition: include_str!("../criteria/1048-2019/edition.toml"),
        sheets: sheets!("1048-2019":
            "01-rau-cu-qua-hat-tuoi.toml",
            "02-thit-trung-sua-tuoi.toml",
            "03-gao-ngu-coc.toml",
            "04-mat-ong-cac-san-pham-tu-mat-ong-mat-khac.toml",
            "05-do-an-nhanh.toml",
            "06-che-bien-tu-gao-ngu-coc.toml",
            "07-che-bien-tu-rau-cu-qua-hat.toml",
            "08-che-bien-tu-thit-trung-sua.toml",
            "09-che-bien-tu-thuy-hai-san.toml",
            "10-tuong-nuoc-mam-gia-vi-dang-long-khac.toml",
            "11-gia-vi-khac.toml",
            "12-che-tuoi-che-bien.toml",
            "13-cac-san-pham-khac-tu-che-tra.toml",
            "14-ca-phe-ca-cao.toml",
            "15-ruou-trang.toml",
            "16-do-uong-co-con-khac.toml",
            "17-nuoc-khoang-thien-nhien-nuoc-uong-tinh-khiet.toml",
            "18-do-uong-khong-con.toml",
            "19-thuc-pham-chuc-nang-thuoc-tu-duoc-lieu-thuoc-y-hoc-co-truyen.toml",
            "20-my-pham.toml",
            "21-trang-thiet-bi-dung-cu-y-te.toml",
            "22-thao-duoc-khac.toml",
            "23-thu-cong-my-nghe-trang-tri.toml",
            "24-thu-cong-my-nghe-gia-dung.toml",
            "25-vai-may-mac.toml",
            "26-dich-vu-du-lich-truyen-thong-le-hoi.toml",
        ),
    },
    EmbeddedEdition {
        id: "781-2020",
        hash: "8434003e8f3d4274eb3f7f91738f32816a0a3f3f87ea8d31eb7978b1b941d185",
        edition: include_str!("../criteria/781-2020/edition.toml"),
        sheets: sheets!("781-2020":
            "26-dich-vu-du-lich-cong-dong-va-diem-du-lich.toml",
        ),
    },
    EmbeddedEdition {
        id: "148-2023",
        hash: "b4b7200176705815cc653cf09893481d22b57869064643c047bbe96feb069364",
        edition: include_str!("../criteria/148-2023/edition.toml"),
        sheets: sheets!("148-2023":
            "01-rau-cu-qua-hat-tuoi.toml",
        ),
    },
    EmbeddedEdition {
        id: "26-2026",
        hash: "8cfd5e6cc0f92d3ba5e26ebb332ba26237d6f240731088b0e09f8a840c85872a",
        edition: include_str!("../criteria/26-2026/edition.toml"),
        sheets: sheets!("26-2026":
            "01-rau-cu-qua-hat-tuoi.toml",
            "02-thit-thuy-san-trung-sua-tuoi.toml",
            "03-gao-ngu-coc-hat-so-che-khac.toml",
            "04-mat-ong-mat-khac-va-nong-san-thuc-pham-khac.toml",
            "05-do-an-nhanh.toml",
            "06-che-bien-tu-gao-ngu-coc.toml",
            "07-che-bien-tu-rau-cu-qua-hat.toml",
            "08-che-bien-tu-thit-thuy-san-trung-sua-cac-san-pham-tu-mat-ong-mat-khac-va-nong-san-thuc-pham-khac.toml",
            "09-tuong-nuoc-mam-gia-vi-dang-long-khac.toml",
            "10-gia-vi-khac-muoi-hanh-toi-tieu.toml",
            "11-che-tuoi-che-che-bien.toml",
            "12-san-pham-tra-tu-thuc-vat-khac.toml",
            "13-san-pham-ca-phe-ca-cao.toml",
            "14-ruou-trang.toml",
            "15-do-uong-co-con-khac.toml",
            "16-nuoc-khoang-thien-nhien-nuoc-uong-dong-chai.toml",
            "17-do-uong-khong-con-khac.toml",
            "18-thuc-pham-chuc-nang-thuoc-duoc-lieu-thuoc-co-truyen.toml",
            "19-my-pham-co-thanh-phan-tu-duoc-lieu.toml",
            "20-tinh-dau-va-duoc-lieu-khac.toml",
            "21-thu-cong-my-nghe-gia-dung-trang-tri.toml",
            "22-vai-may-mac.toml",
            "23-hoa.toml",
            "24-cay-canh.toml",
            "25-dong-vat-canh.toml",
            "26-dich-vu-du-lich-cong-dong-du-lich-sinh-thai-va-diem-du-lich.toml",
        ),
    },
];

/// One lazily compiled cell per embedded edition: scoring on one edition does
/// not pay for compiling the others.
fn cells() -> &'static [OnceLock<Result<Edition, Error>>] {
    static CELLS: OnceLock<Vec<OnceLock<Result<Edition, Error>>>> = OnceLock::new();
    CELLS.get_or_init(|| EMBEDDED.iter().map(|_| OnceLock::new()).collect())
}

fn load(index: usize) -> Option<&'static Result<Edition, Error>> {
    let embedded = EMBEDDED.get(index)?;
    let cell = cells().get(index)?;
    Some(cell.get_or_init(|| {
        let own: Vec<SourceFile<'static>> = embedded
            .sheets
            .iter()
            .map(|(name, text)| SourceFile { name, text })
            .collect();
        let sheets = crate::rubric::compile::with_base(embedded.edition, own);
        compile::compile_deferred(
            &format!("embedded edition {}", embedded.id),
            SourceFile {
                name: "edition.toml",
                text: embedded.edition,
            },
            sheets,
            embedded.hash,
        )
    }))
}

fn loaded() -> impl Iterator<Item = &'static Result<Edition, Error>> {
    (0..EMBEDDED.len()).filter_map(load)
}

/// The embedded editions that validate, oldest first.
///
/// Every embedded edition validates (a test ensures it); one that did not
/// would be reported by [`edition`] under its id.
///
/// ```
/// let ids: Vec<&str> = ocop::editions().map(|e| e.id()).collect();
/// assert!(ids.contains(&"26-2026"));
/// ```
pub fn editions() -> impl Iterator<Item = &'static Edition> {
    loaded().filter_map(|edition| edition.as_ref().ok())
}

/// The embedded edition with this id.
///
/// ```
/// let edition = ocop::edition("26-2026")?;
/// assert_eq!(edition.decision(), "26/2026/QĐ-TTg");
/// assert_eq!(edition.sheet_count(), 26);
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn edition(id: &str) -> Result<&'static Edition, Error> {
    if let Some(index) = EMBEDDED.iter().position(|embedded| embedded.id == id) {
        if let Some(edition) = load(index) {
            return edition.as_ref().map_err(Clone::clone);
        }
    }
    Err(Error::UnknownEdition {
        edition: crate::error::echo(id),
        available: EMBEDDED.iter().map(|e| e.id).collect::<Vec<_>>().join(", "),
    })
}

/// The embedded edition in force on `date`: the latest whose first day is on
/// or before it.
///
/// ```
/// use jiff::civil::date;
/// assert_eq!(ocop::in_force_on(date(2026, 11, 29))?.id(), "26-2026");
/// assert!(ocop::in_force_on(date(2019, 8, 20)).is_err());
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn in_force_on(date: Date) -> Result<&'static Edition, Error> {
    // Only the first days are read, from each edition.toml: the edition in
    // force is the one compiled, the others are not paid for.
    let starts: Vec<(usize, Date)> = (0..EMBEDDED.len())
        .filter_map(|index| Some((index, in_force_from(index)?)))
        .collect();
    let found = starts
        .iter()
        .filter(|(_, from)| *from <= date)
        .max_by_key(|(_, from)| *from);
    match found.and_then(|(index, _)| EMBEDDED.get(*index)) {
        Some(embedded) => edition(embedded.id),
        None => Err(Error::NoEditionInForce {
            date: date.to_string(),
            first: starts
                .iter()
                .map(|(_, from)| *from)
                .min()
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }),
    }
}

/// The first day in force of an embedded edition, read from its edition.toml
/// alone (the compiled edition checks the same field).
fn in_force_from(index: usize) -> Option<Date> {
    #[derive(serde::Deserialize)]
    struct Start {
        in_force_from: String,
    }
    static STARTS: OnceLock<Vec<Option<Date>>> = OnceLock::new();
    STARTS
        .get_or_init(|| {
            EMBEDDED
                .iter()
                .map(|embedded| {
                    toml::from_str::<Start>(embedded.edition)
                        .ok()
                        .and_then(|start| start.in_force_from.parse().ok())
                })
                .collect()
        })
        .get(index)
        .copied()
        .flatten()
}

/// The edition a dossier's dates give, the transition rule that chose it (if
/// any), and what a reader should know about the dates.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ByDates {
    /// The edition the dossier is scored on.
    pub edition: &'static Edition,
    /// The transition rule that kept it under an earlier edition.
    pub rule: Option<&'static crate::rubric::Transition>,
    /// A missed transition deadline, a date in a transition window without
    /// `filed_on`, a kind of registration not given.
    pub warnings: Vec<String>,
}

/// The edition for a dossier dated by evaluation (and filing) day and of a
/// kind of registration: the one in force on `evaluated_on`, unless a
/// transition rule of that edition keeps the dossier under an earlier one
/// (26/2026 Điều 12.2: filed before 22 May 2026 and evaluated within 60 days —
/// 30 days for a re-rating — stays under 148/2023).
///
/// ```
/// use jiff::civil::date;
/// use ocop::dossier::Registration;
/// let first = ocop::edition::for_dossier_dates(date(2026, 7, 1), Some(date(2026, 5, 1)), Some(Registration::First))?;
/// assert_eq!(first.edition.id(), "148-2023");
/// assert!(first.rule.is_some());
/// // A re-rating had 30 days: past 21 June it is scored under 26/2026, with a warning.
/// let late = ocop::edition::for_dossier_dates(date(2026, 6, 25), Some(date(2026, 5, 10)), Some(Registration::ReRating))?;
/// assert_eq!(late.edition.id(), "26-2026");
/// assert!(late.warnings[0].contains("2026-06-21"));
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn for_dossier_dates(
    evaluated_on: Date,
    filed_on: Option<Date>,
    kind: Option<crate::dossier::Registration>,
) -> Result<ByDates, Error> {
    let edition = in_force_on(evaluated_on)?;
    let mut warnings = Vec::new();
    let covering = || {
        edition
            .transitions()
            .iter()
            .filter(|rule| rule.covers(kind))
    };
    let Some(filed_on) = filed_on else {
        if let Some(rule) = covering().find(|rule| evaluated_on <= rule.evaluated_until()) {
            warnings.push(format!(
                "evaluated on {evaluated_on}, within the transition window of {} (until {}), but filed_on is not given: scored under {}; if the dossier was filed before {}, the rules of {} apply",
                rule.cite(),
                rule.evaluated_until(),
                edition.id(),
                rule.filed_before(),
                rule.edition()
            ));
        }
        return Ok(ByDates {
            edition,
            rule: None,
            warnings,
        });
    };
    let filed_in_time = |rule: &&crate::rubric::Transition| filed_on < rule.filed_before();
    if let Some(rule) = covering()
        .filter(filed_in_time)
        .find(|rule| evaluated_on <= rule.evaluated_until())
    {
        if kind.is_none() {
            for other in edition.transitions().iter().filter(|other| {
                !other.kinds().is_empty()
                    && evaluated_on > other.evaluated_until()
                    && filed_on < other.filed_before()
            }) {
                let kinds: Vec<&str> = other.kinds().iter().map(|k| k.name()).collect();
                warnings.push(format!(
                    "kind of registration not given: scored under {} by {}; a {} dossier had until {} ({}) and would be scored under {}",
                    rule.edition(),
                    rule.cite(),
                    kinds.join(" or "),
                    other.evaluated_until(),
                    other.cite(),
                    edition.id()
                ));
            }
        }
        return Ok(ByDates {
            edition: self::edition(rule.edition())?,
            rule: Some(rule),
            warnings,
        });
    }
    if let Some(rule) = covering().find(filed_in_time) {
        warnings.push(format!(
            "filed on {filed_on}, before {}, but evaluated on {evaluated_on}, after the deadline {} of {}: the transition no longer applies; scored under {}",
            rule.filed_before(),
            rule.evaluated_until(),
            rule.cite(),
            edition.id()
        ));
    }
    Ok(ByDates {
        edition,
        rule: None,
        warnings,
    })
}

/// The ids of the embedded editions, oldest first (without compiling them).
pub(crate) fn embedded_ids() -> Vec<&'static str> {
    EMBEDDED.iter().map(|e| e.id).collect()
}

/// The embedded editions' ids and raw files, for tools that copy an edition
/// to a folder to draft a change.
pub fn embedded_files(id: &str) -> Option<Vec<(&'static str, &'static str)>> {
    let embedded = EMBEDDED.iter().find(|e| e.id == id)?;
    let mut files = vec![("edition.toml", embedded.edition)];
    files.extend(embedded.sheets.iter().copied());
    Some(files)
}

#[cfg(test)]
mod tests {
    /// The first days read from edition.toml alone are the compiled ones.
    #[test]
    fn first_days_read_alone_match_the_compiled_editions() {
        for (index, embedded) in super::EMBEDDED.iter().enumerate() {
            let compiled = super::edition(embedded.id).unwrap();
            assert_eq!(super::in_force_from(index), Some(compiled.in_force_from()));
        }
    }
}
