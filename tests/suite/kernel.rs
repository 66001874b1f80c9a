//! The one kernel: a differential check against a naive scorer written from the
//! TOML definitions (not the compiled model), and the same verdict on every
//! path (score, batch summary, batch full, impact) for careless input.

use std::collections::BTreeMap;

use ocop::batch::{LineScorer, Outcome};
use ocop::dossier::Answer;
use ocop::rubric::def::{
    CriterionDef, EditionDef, Fires, OptionDef, RuleDef, RuleKind, Scoring, SheetDef,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

/// Every sheet of every embedded edition, as written in TOML, with its
/// edition's definition (gates and bands from `edition.toml`, inherited
/// sheets through `extends`).
fn definitions() -> &'static [(EditionDef, SheetDef)] {
    static DEFINITIONS: std::sync::OnceLock<Vec<(EditionDef, SheetDef)>> =
        std::sync::OnceLock::new();
    DEFINITIONS.get_or_init(read_definitions)
}

fn read_definitions() -> Vec<(EditionDef, SheetDef)> {
    let mut out = Vec::new();
    for edition in ocop::editions() {
        let files = ocop::edition::embedded_files(edition.id()).unwrap();
        let edition_text = files[0].1;
        let own: Vec<_> = files[1..]
            .iter()
            .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
            .collect();
        let sheets = ocop::rubric::compile::with_base(edition_text, own);
        // The effective definition: inherited fields and gate groups resolved.
        let def: EditionDef = ocop::rubric::compile::definition(
            ocop::rubric::compile::SourceFile {
                name: "edition.toml",
                text: edition_text,
            },
            &sheets,
        )
        .unwrap();
        for file in sheets {
            out.push((def.clone(), toml::from_str(file.text).unwrap()));
        }
    }
    out
}

/// A leaf as written: id, options, cumulative.
struct NaiveLeaf<'d> {
    id: &'d str,
    options: &'d [OptionDef],
    cumulative: bool,
    rules: &'d [RuleDef],
}

fn leaves_of<'d>(criterion: &'d CriterionDef, out: &mut Vec<NaiveLeaf<'d>>) {
    if criterion.children.is_empty() {
        out.push(NaiveLeaf {
            id: &criterion.id,
            options: &criterion.options,
            cumulative: criterion.scoring == Scoring::Cumulative,
            rules: &criterion.rules,
        });
    }
    for child in &criterion.children {
        leaves_of(child, out);
    }
}

/// A part's sections, each with its leaves in printed order.
type PartLayout<'d> = (String, Vec<(String, Vec<NaiveLeaf<'d>>)>);

/// Per part, per section, the leaves in printed order.
fn layout(sheet: &SheetDef) -> Vec<PartLayout<'_>> {
    sheet
        .parts
        .iter()
        .map(|part| {
            let sections = part
                .sections
                .iter()
                .map(|section| {
                    let mut leaves = Vec::new();
                    if section.options.is_empty() {
                        for criterion in &section.criteria {
                            leaves_of(criterion, &mut leaves);
                        }
                    } else {
                        leaves.push(NaiveLeaf {
                            id: &section.id,
                            options: &section.options,
                            cumulative: section.scoring == Scoring::Cumulative,
                            rules: &section.rules,
                        });
                    }
                    (section.id.clone(), leaves)
                })
                .collect();
            (part.id.clone(), sections)
        })
        .collect()
}

/// The naive reading: points add up; a knock-out or stop rule fired by 0
/// points on one of its `on` criteria gives rank 0; the band is the highest whose `from` the
/// total reaches; a mark (an option's `min_stars`, or a gate of edition.toml)
/// is missed when the leaf scores less than the marked option; the final rank
/// is the highest rank at or below the band that no missed mark binds.
struct Naive {
    total: Decimal,
    parts: Vec<Decimal>,
    sections: Vec<Decimal>,
    leaf_points: BTreeMap<String, Decimal>,
    band: u8,
    stars: u8,
    unmet: Vec<(String, u8, Decimal)>,
}

fn naive(edition: &EditionDef, sheet: &SheetDef, answers: &BTreeMap<String, Answer>) -> Naive {
    let mut leaf_points = BTreeMap::new();
    let mut parts = Vec::new();
    let mut sections = Vec::new();
    let mut marks: Vec<(String, u8, Decimal)> = Vec::new();
    for (_, part_sections) in layout(sheet) {
        let mut part = Decimal::ZERO;
        for (_, leaves) in part_sections {
            let mut section = Decimal::ZERO;
            for leaf in leaves {
                let points = match &answers[leaf.id] {
                    Answer::Option(0) => Decimal::ZERO,
                    Answer::Option(n) => leaf.options[usize::from(*n) - 1].points.0,
                    Answer::Boxes(b) => b
                        .iter()
                        .map(|n| leaf.options[usize::from(*n) - 1].points.0)
                        .sum(),
                };
                assert!(leaf.cumulative == matches!(answers[leaf.id], Answer::Boxes(_)));
                for option in leaf.options {
                    if let Some(stars) = option.min_stars {
                        marks.push((leaf.id.to_string(), stars, option.points.0));
                    }
                }
                for gate in edition
                    .gates
                    .iter()
                    .filter(|g| g.sheet == sheet.key && g.criterion == leaf.id)
                {
                    let required = leaf.options[usize::from(gate.option) - 1].points.0;
                    marks.push((leaf.id.to_string(), gate.stars, required));
                }
                leaf_points.insert(leaf.id.to_string(), points);
                section += points;
            }
            sections.push(section);
            part += section;
        }
        parts.push(part);
    }
    let stopped = layout(sheet)
        .iter()
        .flat_map(|(_, s)| s)
        .flat_map(|(_, l)| l)
        .any(|leaf| {
            leaf.rules.iter().any(|rule| {
                rule.kind != RuleKind::AppliesWhen
                    && rule.fires == Some(Fires::Zero)
                    && rule
                        .on
                        .iter()
                        .any(|id| leaf_points[id.as_str()] == Decimal::ZERO)
            })
        });
    let total: Decimal = parts.iter().sum();
    let band = edition
        .bands
        .iter()
        .filter(|b| total >= b.from.0)
        .map(|b| b.stars)
        .max()
        .unwrap();
    let missed: Vec<(String, u8, Decimal)> = marks
        .into_iter()
        .filter(|(id, _, required)| leaf_points[id] < *required)
        .collect();
    let stars = (1..=band)
        .rev()
        .find(|&rank| rank == 1 || !missed.iter().any(|(_, m, _)| *m <= rank))
        .filter(|_| !stopped)
        .unwrap_or(0);
    let mut unmet: Vec<_> = missed.into_iter().filter(|(_, m, _)| *m <= band).collect();
    unmet.sort();
    Naive {
        total,
        parts,
        sections,
        leaf_points,
        band,
        stars,
        unmet,
    }
}

/// Answers from raw numbers for every leaf as written.
fn answers_for(sheet: &SheetDef, raw: &[u16]) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::new();
    let mut raw = raw.iter().cycle();
    for (_, sections) in layout(sheet) {
        for (_, leaves) in sections {
            for leaf in leaves {
                let n = *raw.next().unwrap();
                let count = leaf.options.len() as u16;
                let answer = if leaf.cumulative {
                    Answer::Boxes((1..=count).filter(|b| n & (1 << (b - 1)) != 0).collect())
                } else {
                    Answer::Option(n % (count + 1))
                };
                answers.insert(leaf.id.to_string(), answer);
            }
        }
    }
    lawful(sheet, &mut answers);
    answers
}

/// Random answers made lawful from the definitions: one case on a sheet whose
/// cases are exclusive (an answer under another case moves to the option of the
/// same rank in the held case); a criterion that does not apply answered 0.
fn lawful(sheet: &SheetDef, answers: &mut BTreeMap<String, Answer>) {
    let all = layout(sheet);
    let leaves: Vec<&NaiveLeaf<'_>> = all
        .iter()
        .flat_map(|(_, s)| s)
        .flat_map(|(_, l)| l)
        .collect();
    if sheet.exclusive_cases.is_some() {
        let mut held: Option<String> = None;
        for leaf in &leaves {
            let Some(Answer::Option(n)) = answers.get(leaf.id).cloned() else {
                continue;
            };
            let Some(case) = n
                .checked_sub(1)
                .and_then(|i| leaf.options.get(usize::from(i)))
                .and_then(|o| o.case.clone())
            else {
                continue;
            };
            match &held {
                None => held = Some(case),
                Some(h) if *h != case => {
                    let rank = leaf
                        .options
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.case.as_ref() == Some(&case))
                        .position(|(i, _)| i + 1 == usize::from(n))
                        .unwrap();
                    let same: Vec<u16> = leaf
                        .options
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.case.as_ref() == Some(h))
                        .map(|(i, _)| i as u16 + 1)
                        .collect();
                    let moved = same.get(rank).or(same.last()).copied().unwrap();
                    answers.insert(leaf.id.to_string(), Answer::Option(moved));
                }
                Some(_) => {}
            }
        }
    }
    for leaf in &leaves {
        for rule in leaf
            .rules
            .iter()
            .filter(|r| r.kind == RuleKind::AppliesWhen)
        {
            let decider = rule.criterion.as_deref().unwrap();
            if let Some(Answer::Option(n)) = answers.get(decider) {
                if *n == 0 || rule.unless_options.contains(n) {
                    answers.insert(leaf.id.to_string(), Answer::Option(0));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    /// The kernel against the naive scorer on every sheet of every edition:
    /// total, parts, sections, every leaf, band, final rank and each unmet mark.
    #[test]
    fn the_kernel_agrees_with_a_naive_scorer_from_the_toml(
        index in any::<prop::sample::Index>(),
        raw in prop::collection::vec(any::<u16>(), 1..80),
    ) {
        let all = definitions();
        let (edition_def, sheet_def) = &all[index.index(all.len())];
        let answers = answers_for(sheet_def, &raw);
        let expected = naive(edition_def, sheet_def, &answers);
        let mut dossier = ocop::Dossier::new(&sheet_def.key).edition(&edition_def.id);
        *dossier.answers_mut().unwrap() = answers;
        let a = ocop::assess(&dossier).unwrap();
        prop_assert_eq!(a.total, expected.total);
        prop_assert_eq!(a.parts.iter().map(|p| p.points).collect::<Vec<_>>(), expected.parts);
        prop_assert_eq!(a.sections.iter().map(|s| s.points).collect::<Vec<_>>(), expected.sections);
        for line in a.criteria.iter().filter(|c| c.option.is_some() || c.boxes.is_some()) {
            prop_assert_eq!(line.points, expected.leaf_points[&line.id], "criterion {}", line.id);
        }
        prop_assert_eq!(a.band_stars, expected.band);
        prop_assert_eq!(a.stars, expected.stars);
        let mut unmet: Vec<_> = a.unmet_marks.iter().map(|m| (m.criterion.clone(), m.min_stars, m.required)).collect();
        unmet.sort();
        prop_assert_eq!(unmet, expected.unmet);
    }
}

/// What each path says of a line: `ok <stars>` or the error code.
fn verdicts(line: &str) -> [String; 4] {
    let result = ocop::Dossier::from_json(line).and_then(|d| ocop::assess(&d));
    let score = match &result {
        Ok(a) => format!("ok {}", a.stars),
        Err(e) => e.code().to_string(),
    };
    let batch = |summary: bool| {
        let mut out = String::new();
        let outcome = LineScorer::new(Default::default(), summary).score_line(1, line, &mut out);
        let value: Value = serde_json::from_str(&out).expect("every output line is JSON");
        match outcome {
            Outcome::Scored(stars) => format!("ok {stars}"),
            Outcome::Failed => value["error"]["code"].as_str().unwrap().to_string(),
        }
    };
    let edition = ocop::edition("26-2026").unwrap();
    let impact = ocop::reform::impact::run_jsonl(
        edition,
        edition,
        None,
        Default::default(),
        line.as_bytes(),
    )
    .unwrap();
    // Impact has no rank per line: it scored the line, or gives the reader's
    // message, which must be the one `score` gives.
    let impact = match (impact.scored, impact.not_scorable.first(), &result) {
        (1, _, Ok(_)) => score.clone(),
        (0, Some(n), Err(e)) if n.reason == e.to_string() => score.clone(),
        (0, Some(n), Err(e)) if n.reason.ends_with(&e.to_string()) => score.clone(),
        _ => "impact disagrees".to_string(),
    };
    [score, batch(true), batch(false), impact]
}

/// The defects of the kernel issue: inputs `score` refuses that other paths
/// once accepted. Every path must now give the same verdict.
#[test]
fn every_path_gives_the_same_verdict() {
    let dossier = std::fs::read_to_string("examples/dossier.json").unwrap();
    let body = dossier.trim_end().strip_suffix('}').unwrap().to_string();
    let with = |extra: &str| format!("{body}, {extra}}}").replace('\n', " ");
    let cases = [
        (
            with(r#""disqualified": "fraud", "disqualified": null"#),
            "duplicate-key",
        ),
        (with(r#""id": 1, "id": 2"#), "duplicate-key"),
        (
            r#"{"edition": "26-2026", "sheet": "hoa", "product": 5, "answers": {}}"#.to_string(),
            "invalid-field",
        ),
        (with(r#""id": 1e400"#), "invalid-json"),
        (with(r#""id": "\ud800""#), "invalid-json"),
        (with(r#""id": {"a": 1, "a": 2}"#), "duplicate-key"),
        (with(r#""evaluated_on": "garbage""#), "invalid-field"),
        (with(r#""evaluated_on": "20260522""#), "invalid-field"),
        (
            with(r#""evaluated_on": "2026-05-22T00:00""#),
            "invalid-field",
        ),
        (
            with(r#""filed_on": "2026-05-22[Asia/Ho_Chi_Minh]""#),
            "invalid-field",
        ),
        (with(r#""answer": {}"#), "invalid-field"),
        // The law's inputs (issue 12): a level the edition does not have, a
        // finding without a rule, dates out of order, a level it has.
        (with(r#""level": "district""#), "invalid-field"),
        (
            with(r#""findings": [{"criterion": "2.2", "note": "x"}]"#),
            "finding-without-rule",
        ),
        (
            with(r#""evaluated_on": "2026-06-01", "filed_on": "2026-06-02""#),
            "invalid-dates",
        ),
        (with(r#""level": "province""#), "ok 3"),
        (with(r#""id": "ok""#), "ok 3"),
        (
            dossier
                .replace("\"1.1\": 2", "\"1.1\": 65535, \"1.1\": 2")
                .replace('\n', " "),
            "duplicate-key",
        ),
        (
            dossier
                .replace("\"1.1\": 2", "\"1.1\": 2, \"1.1\": 2")
                .replace('\n', " "),
            "duplicate-key",
        ),
        (
            dossier.replace("\"1.1\": 2,", "").replace('\n', " "),
            "unanswered",
        ),
        (
            dossier
                .replace("\"1.1\": 2", "\"1.1\": 9")
                .replace('\n', " "),
            "option-out-of-range",
        ),
    ];
    assert!(
        dossier.contains("\"1.1\": 2"),
        "examples/dossier.json answers 1.1 with 2"
    );
    for (line, code) in cases {
        let [score, summary, full, impact] = verdicts(&line);
        assert_eq!(score, code, "score: {line}");
        assert_eq!(summary, code, "batch --summary: {line}");
        assert_eq!(full, code, "batch: {line}");
        assert_eq!(impact, code, "impact: {line}");
    }
}

/// A 30-digit numeric id keeps its digits on every path.
#[test]
fn numeric_ids_pass_through_as_written() {
    let dossier = std::fs::read_to_string("examples/dossier.json").unwrap();
    let body = dossier.trim_end().strip_suffix('}').unwrap();
    let line = format!("{body}, \"id\": 123456789012345678901234567890}}").replace('\n', " ");
    let a = ocop::assess(&ocop::Dossier::from_json(&line).unwrap()).unwrap();
    assert!(
        serde_json::to_string(&a)
            .unwrap()
            .contains("\"id\":123456789012345678901234567890")
    );
    for summary in [true, false] {
        let mut out = String::new();
        LineScorer::new(Default::default(), summary).score_line(1, &line, &mut out);
        assert!(
            out.contains("\"id\":123456789012345678901234567890"),
            "{out}"
        );
    }
}

/// `Edition::assess` refuses a dossier naming another edition.
#[test]
fn an_edition_refuses_a_dossier_naming_another() {
    let text = std::fs::read_to_string("examples/dossier.json").unwrap();
    let dossier = ocop::Dossier::from_json(&text).unwrap();
    let err = ocop::edition("1048-2019")
        .unwrap()
        .assess(&dossier)
        .unwrap_err();
    assert_eq!(err.code(), "edition-mismatch");
}

/// Cumulative criteria (1048/2019 sheet 26 Part C, L7988): ticked boxes add
/// up; a repeated or out-of-range box, or a number for boxes, is an error.
#[test]
fn cumulative_boxes_add_up() {
    let edition = ocop::edition("1048-2019").unwrap();
    let sheet = edition
        .sheet("dich-vu-du-lich-truyen-thong-le-hoi")
        .unwrap();
    let six = sheet.criterion("6").unwrap();
    assert!(six.is_cumulative());
    let mut dossier = ocop::Dossier::new(sheet.key()).edition(edition.id());
    for c in sheet.criteria().filter(|c| c.is_leaf()) {
        dossier = if c.is_cumulative() {
            dossier.tick(c.id(), &[])
        } else {
            dossier.answer(c.id(), 0)
        };
    }
    // Section 6 "Vị trí" (L7989): boxes 1, 1, 2, 1; ticking 1 and 3 gives 3.
    let a = ocop::assess(&dossier.clone().tick("6", &[1, 3])).unwrap();
    let line = a.criteria.iter().find(|c| c.id == "6").unwrap();
    assert_eq!(
        (line.points, line.boxes.clone()),
        (Decimal::from(3), Some(vec![1, 3]))
    );
    assert_eq!(a.total, Decimal::from(3));
    let all = ocop::assess(&dossier.clone().tick("6", &[1, 2, 3, 4])).unwrap();
    assert_eq!(all.total, Decimal::from(5));
    for (answer, code) in [
        (r#"[1, 1]"#, "invalid-field"),
        (r#"[5]"#, "option-out-of-range"),
        (r#"[0]"#, "invalid-field"),
        (r#"2"#, "invalid-field"),
    ] {
        let mut json: Value = serde_json::to_value(&dossier).unwrap();
        json["answers"]["6"] = serde_json::from_str(answer).unwrap();
        let result = ocop::Dossier::from_json(&json.to_string()).and_then(|d| ocop::assess(&d));
        assert_eq!(result.unwrap_err().code(), code, "{answer}");
    }
    // ocop show prints the scoring of such criteria.
    let shown = serde_json::to_value(six).unwrap();
    assert_eq!(shown["scoring"], "cumulative");
}
