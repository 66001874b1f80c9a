//! `ocop impact`: re-score dossiers under a baseline and a reform edition and
//! report what moves: the rank-transition matrix, each product whose rank
//! changes with the criteria responsible, the distribution of total changes,
//! and counts per sheet. No dossier is dropped: one that cannot be scored under
//! either edition is counted and listed with the reason.
//!
//! The dossier's own `edition` is ignored: both editions are given. Criterion
//! ids and options carry over unchanged unless a [`Crosswalk`] maps them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::{Law, Options, score_sheet};
use crate::dossier::{AnswerRef, Dossier, RawJson};
use crate::error::Error;
use crate::kernel::{Pick, Scored};
use crate::rubric::{Edition, Sheet};

/// Labels of the matrix rows (baseline) and columns (reform).
pub const RANKS: [&str; 7] = ["no rank", "1★", "2★", "3★", "4★", "5★", "not scorable"];
const NOT_SCORABLE: usize = 6;

/// Maps criterion ids and options from the baseline to the reform, for editions
/// whose numbering differs. JSON: `{"criteria": {"2.4": "2.5", "1.7": null},
/// "options": {"1.3": {"3": 2}}, "defaults": {"7.4": 0}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// Baseline criterion id → reform criterion id; `null` drops the answer.
    #[serde(default)]
    pub criteria: BTreeMap<String, Option<String>>,
    /// Baseline criterion id → (baseline option number → reform option number).
    #[serde(default)]
    pub options: BTreeMap<String, BTreeMap<String, u16>>,
    /// Answers for reform criteria that no baseline answer maps to.
    #[serde(default)]
    pub defaults: BTreeMap<String, u16>,
}

impl Crosswalk {
    /// Reads a crosswalk from JSON (strictly: unknown fields are refused).
    pub fn from_json(text: &str) -> Result<Crosswalk, Error> {
        let value = crate::dossier::parse_json(text)?;
        serde_json::from_value(value).map_err(|err| Error::InvalidField {
            field: "(crosswalk)".to_string(),
            value: crate::error::echo(&err.to_string()),
            expected: "{\"criteria\": {…}, \"options\": {…}, \"defaults\": {…}} (see `ocop schema crosswalk`)"
                .to_string(),
        })
    }

    /// The reform's criterion id and option for a baseline answer; `None` when
    /// the crosswalk drops it.
    fn map<'a>(&'a self, id: &'a str, option: u16) -> Option<(&'a str, u16)> {
        let to = match self.criteria.get(id) {
            Some(None) => return None,
            Some(Some(to)) => to.as_str(),
            None => id,
        };
        let option = match self.options.get(id) {
            Some(map) => map.get(&option.to_string()).copied().unwrap_or(option),
            None => option,
        };
        Some((to, option))
    }
}

/// What a reform does to a set of dossiers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Impact {
    /// Baseline edition id and data hash.
    pub baseline: (String, String),
    /// Reform edition id and data hash.
    pub reform: (String, String),
    /// Dossiers read.
    pub read: usize,
    /// Dossiers scored under both.
    pub scored: usize,
    /// Dossiers not scorable under one edition or both, with the reason.
    pub not_scorable: Vec<NotScorable>,
    /// `matrix[baseline][reform]`, indexed as [`RANKS`].
    pub matrix: [[usize; 7]; 7],
    /// Every dossier whose final rank changes.
    pub changed: Vec<Change>,
    /// Total-point change (reform − baseline) → how many dossiers.
    pub total_changes: BTreeMap<Decimal, usize>,
    /// Counts per sheet.
    pub sheets: BTreeMap<String, SheetCounts>,
}

/// A dossier that could not be scored under both editions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotScorable {
    /// Line (1-based) in the input.
    pub line: usize,
    /// The dossier's `id`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RawJson>,
    /// Why.
    pub reason: String,
}

/// A dossier whose rank changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Line (1-based) in the input.
    pub line: usize,
    /// The dossier's `id`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RawJson>,
    /// Sheet key.
    pub sheet: String,
    /// Total and final rank under the baseline.
    pub baseline: (Decimal, u8),
    /// Total and final rank under the reform.
    pub reform: (Decimal, u8),
    /// What moved it: criteria whose points changed, marks met or missed, band edges.
    pub causes: Vec<String>,
}

/// Per-sheet counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SheetCounts {
    /// Dossiers read.
    pub read: usize,
    /// Scored under both.
    pub scored: usize,
    /// Rank up under the reform.
    pub up: usize,
    /// Rank down under the reform.
    pub down: usize,
}

/// Scores dossiers one by one under both editions, reusing its buffers.
pub struct ImpactRun<'e> {
    baseline: &'e Edition,
    reform: &'e Edition,
    crosswalk: Crosswalk,
    options: Options,
    report: Impact,
    a: Vec<Pick>,
    b: Vec<Pick>,
    scored_a: Scored,
    scored_b: Scored,
}

impl<'e> ImpactRun<'e> {
    /// A run comparing `reform` with `baseline`.
    pub fn new(
        baseline: &'e Edition,
        reform: &'e Edition,
        crosswalk: Option<Crosswalk>,
        options: Options,
    ) -> Self {
        let report = Impact {
            baseline: (baseline.id().to_string(), baseline.hash().to_string()),
            reform: (reform.id().to_string(), reform.hash().to_string()),
            ..Impact::default()
        };
        ImpactRun {
            baseline,
            reform,
            crosswalk: crosswalk.unwrap_or_default(),
            options,
            report,
            a: Vec::new(),
            b: Vec::new(),
            scored_a: Scored::default(),
            scored_b: Scored::default(),
        }
    }

    /// Adds a dossier.
    pub fn add_dossier(&mut self, line: usize, dossier: &Dossier) {
        let Some(answers) = dossier.answers() else {
            self.unreadable(
                line,
                dossier.id.clone(),
                "a council dossier: impact compares single sheets".into(),
            );
            return;
        };
        let answers: Vec<(&str, AnswerRef<'_>)> = crate::dossier::answers_in(answers).collect();
        self.add(
            line,
            dossier.id.clone(),
            &dossier.sheet,
            &answers,
            &Law::of(dossier),
        );
    }

    /// Counts a record that could not be read at all.
    pub fn unreadable(&mut self, line: usize, id: Option<RawJson>, reason: String) {
        self.report.read += 1;
        if let Some(row) = self.report.matrix.get_mut(NOT_SCORABLE) {
            row[NOT_SCORABLE] += 1;
        }
        self.report
            .not_scorable
            .push(NotScorable { line, id, reason });
    }

    /// Adds one dossier: its sheet and answers.
    pub(crate) fn add(
        &mut self,
        line: usize,
        id: Option<RawJson>,
        sheet: &str,
        answers: &[(&str, AnswerRef<'_>)],
        law: &Law<'_>,
    ) {
        self.report.read += 1;
        self.report
            .sheets
            .entry(sheet.to_string())
            .or_default()
            .read += 1;
        let baseline = self.score_baseline(sheet, answers, law);
        let reform = self.score_reform(sheet, answers, law);
        // A disqualified dossier has no rank under either edition (the kernel gives 0).
        let rank = |s: &Result<&Sheet, String>, scored: &Scored| match s {
            Ok(_) => usize::from(scored.stars),
            Err(_) => NOT_SCORABLE,
        };
        let (row, col) = (
            rank(&baseline, &self.scored_a),
            rank(&reform, &self.scored_b),
        );
        if let Some(cell) = self.report.matrix.get_mut(row).and_then(|r| r.get_mut(col)) {
            *cell += 1;
        }
        match (baseline, reform) {
            (Ok(sheet_a), Ok(sheet_b)) => {
                self.report.scored += 1;
                if let Some(counts) = self.sheet_counts(sheet) {
                    counts.scored += 1;
                    if col > row {
                        counts.up += 1;
                    } else if col < row {
                        counts.down += 1;
                    }
                }
                let (total_a, total_b) = (
                    crate::kernel::decimal(self.scored_a.total),
                    crate::kernel::decimal(self.scored_b.total),
                );
                let delta = (total_b - total_a).normalize();
                *self.report.total_changes.entry(delta).or_default() += 1;
                if row != col {
                    let causes = self.causes(sheet_a, sheet_b);
                    self.report.changed.push(Change {
                        line,
                        id,
                        sheet: sheet.to_string(),
                        baseline: (total_a, self.scored_a.stars),
                        reform: (total_b, self.scored_b.stars),
                        causes,
                    });
                }
            }
            (Err(reason), _) => self.report.not_scorable.push(NotScorable {
                line,
                id,
                reason: format!("baseline {}: {reason}", self.baseline.id()),
            }),
            (_, Err(reason)) => self.report.not_scorable.push(NotScorable {
                line,
                id,
                reason: format!("reform {}: {reason}", self.reform.id()),
            }),
        }
    }

    /// The counts of a sheet, allocating its key only the first time.
    fn sheet_counts(&mut self, sheet: &str) -> Option<&mut SheetCounts> {
        if !self.report.sheets.contains_key(sheet) {
            self.report
                .sheets
                .insert(sheet.to_string(), SheetCounts::default());
        }
        self.report.sheets.get_mut(sheet)
    }

    fn score_baseline(
        &mut self,
        key: &str,
        answers: &[(&str, AnswerRef<'_>)],
        law: &Law<'_>,
    ) -> Result<&'e Sheet, String> {
        let edition = self.baseline;
        let sheet = edition.sheet(key).map_err(|e| e.to_string())?;
        score_sheet(
            edition,
            sheet,
            answers.iter().copied(),
            law,
            self.options,
            &mut self.a,
            &mut self.scored_a,
        )
        .map_err(|e| e.to_string())?;
        Ok(sheet)
    }

    fn score_reform(
        &mut self,
        key: &str,
        answers: &[(&str, AnswerRef<'_>)],
        law: &Law<'_>,
    ) -> Result<&'e Sheet, String> {
        let edition = self.reform;
        let sheet = edition.sheet(key).map_err(|e| e.to_string())?;
        let crosswalk = &self.crosswalk;
        let mut mapped: Vec<(&str, AnswerRef<'_>)> = answers
            .iter()
            .filter_map(|&(id, answer)| match answer {
                AnswerRef::Option(option) => crosswalk
                    .map(id, option)
                    .map(|(to, option)| (to, AnswerRef::Option(option))),
                AnswerRef::Boxes(_) => crosswalk.map(id, 0).map(|(to, _)| (to, answer)),
            })
            .collect();
        for (id, option) in &crosswalk.defaults {
            if !mapped.iter().any(|(given, _)| given == id) && sheet.criterion(id).is_some() {
                mapped.push((id.as_str(), AnswerRef::Option(*option)));
            }
        }
        score_sheet(
            edition,
            sheet,
            mapped.into_iter(),
            law,
            self.options,
            &mut self.b,
            &mut self.scored_b,
        )
        .map_err(|e| match e {
            Error::Unanswered { criteria, .. } => format!(
                "criteria {} are not answered (map them in a crosswalk, or give defaults)",
                criteria.join(", ")
            ),
            other => other.to_string(),
        })?;
        Ok(sheet)
    }

    /// Criteria whose points differ, marks met or missed, or the band edges.
    fn causes(&self, sheet_a: &Sheet, sheet_b: &Sheet) -> Vec<String> {
        let (a, b) = (&self.scored_a, &self.scored_b);
        let mut causes = Vec::new();
        let points = |sheet: &Sheet, scored: &Scored| -> BTreeMap<String, Decimal> {
            sheet
                .leaf_ids()
                .iter()
                .zip(&scored.leaf_points)
                .map(|(id, units)| (id.clone(), crate::kernel::decimal(*units)))
                .collect()
        };
        let (pa, pb) = (points(sheet_a, a), points(sheet_b, b));
        for (id, x) in &pa {
            let to = self.crosswalk.map(id, 0).map_or(id.as_str(), |(to, _)| to);
            match pb.get(to) {
                Some(y) if y != x => causes.push(format!("criterion {id}: {x} → {y} points")),
                None => causes.push(format!("criterion {id}: dropped ({x} points)")),
                _ => {}
            }
        }
        // The marks each side misses, as the kernel decided them.
        let missed = |sheet: &Sheet, scored: &Scored| -> Vec<(u8, String)> {
            let kernel = sheet.kernel();
            scored
                .unmet
                .iter()
                .filter_map(|&i| kernel.marks.get(i as usize))
                .filter_map(|m| Some((m.stars, sheet.leaf_ids().get(m.leaf as usize)?.clone())))
                .collect()
        };
        let (ma, mb) = (missed(sheet_a, a), missed(sheet_b, b));
        for (stars, id) in mb.iter().filter(|m| !ma.contains(m)) {
            causes.push(format!("{stars}★ mark on criterion {id} now missed"));
        }
        for (stars, id) in ma.iter().filter(|m| !mb.contains(m)) {
            causes.push(format!("{stars}★ mark on criterion {id} now met"));
        }
        if a.band_stars != b.band_stars && a.total == b.total {
            causes.push(format!(
                "band edges: {} points is {}★ under the baseline, {}★ under the reform",
                crate::kernel::decimal(a.total),
                a.band_stars,
                b.band_stars
            ));
        } else if a.band_stars != b.band_stars {
            causes.push(format!("band: {}★ → {}★", a.band_stars, b.band_stars));
        }
        causes
    }

    /// The report.
    pub fn finish(self) -> Impact {
        self.report
    }
}

/// Runs a JSON Lines file of dossiers through both editions.
///
/// ```
/// let baseline = ocop::edition("26-2026")?;
/// let sheet = baseline.sheet("hoa")?;
/// let mut dossier = ocop::Dossier::new("hoa");
/// for id in sheet.leaf_ids() {
///     dossier = dossier.answer(id.as_str(), 1);
/// }
/// let line = serde_json::to_string(&dossier).unwrap();
/// let lines = vec![line; 100];
/// let impact = ocop::reform::impact::run_jsonl(baseline, baseline, None, Default::default(), lines.join("\n").as_bytes())?;
/// assert_eq!((impact.read, impact.scored), (100, 100));
/// assert!(impact.changed.is_empty());
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn run_jsonl(
    baseline: &Edition,
    reform: &Edition,
    crosswalk: Option<Crosswalk>,
    options: Options,
    mut input: impl std::io::BufRead,
) -> Result<Impact, Error> {
    let mut run = ImpactRun::new(baseline, reform, crosswalk, options);
    let mut buf = Vec::new();
    let mut line = 0;
    while let Some(record) =
        crate::batch::read_input(&mut input, &mut buf).map_err(|err| Error::Io {
            path: "impact input".to_string(),
            message: err.to_string(),
        })?
    {
        line += 1;
        let text = match record {
            crate::batch::Input::Line(text) => text,
            crate::batch::Input::TooLong(bytes) => {
                run.unreadable(line, None, format!("line of {bytes} bytes is too long"));
                continue;
            }
            crate::batch::Input::NotUtf8 => {
                run.unreadable(line, None, "the line is not valid UTF-8".to_string());
                continue;
            }
        };
        if text.trim().is_empty() {
            run.unreadable(line, None, "blank line".to_string());
            continue;
        }
        // The one dossier reader: impact refuses what `ocop score` refuses.
        match crate::dossier::read(&text) {
            Ok(read) => match &read.answers {
                Some(answers) => {
                    let id = read.id.map(|raw| RawJson::from(raw.to_owned()));
                    let answers: Vec<(&str, AnswerRef<'_>)> = answers.iter().collect();
                    let law = Law::read(&read);
                    run.add(line, id, &read.sheet, &answers, &law);
                }
                None => match read.owned() {
                    Ok(dossier) => run.add_dossier(line, &dossier),
                    Err(err) => run.unreadable(line, None, err.to_string()),
                },
            },
            Err(err) => run.unreadable(line, None, err.to_string()),
        }
    }
    Ok(run.finish())
}
