//! The batch's full lines (`ocop batch` without `--summary`) are written from
//! per-sheet fragments, not by serde over the assessment: here they are
//! compared, byte for byte, with `serde_json::to_string` of the library's
//! assessment of the same dossier, on every sheet of every embedded edition
//! (every option of every criterion, boxes of cumulative criteria, unanswered
//! criteria of rejected dossiers, stop and knock-out rules, councils) and on
//! dossiers full of hostile text.

use std::collections::BTreeMap;

use ocop::assess::Options;
use ocop::batch::{LineScorer, Outcome};
use ocop::dossier::{Answer, Answers, Filled, RawJson};
use ocop::{Dossier, Finding, Level, MarkReading, Member, Product, Sheet};
use proptest::prelude::*;
use serde_json::Value;

/// The batch's full line for `dossier` (as its JSON line) against the library.
/// Returns whether the dossier was scored (else both refused it, with the
/// same error code).
fn same_line(scorer: &mut LineScorer, options: Options, dossier: &Dossier) -> Result<bool, String> {
    let line = serde_json::to_string(dossier).map_err(|e| e.to_string())?;
    let mut out = String::from("left over from the previous line");
    out.clear();
    let outcome = scorer.score_line(7, &line, &mut out);
    let library = Dossier::from_json(&line).and_then(|d| ocop::assess_with(&d, options));
    match library {
        Ok(assessment) => {
            let expected = serde_json::to_string(&assessment).map_err(|e| e.to_string())?;
            if out != expected {
                let at = out
                    .bytes()
                    .zip(expected.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(out.len().min(expected.len()));
                return Err(format!(
                    "the batch line differs from serde's at byte {at}:\n batch: …{}\n serde: …{}\n dossier: {line}",
                    around(&out, at),
                    around(&expected, at),
                ));
            }
            if outcome != Outcome::Scored(assessment.stars.get()) {
                return Err(format!("outcome {outcome:?}, stars {}", assessment.stars));
            }
            Ok(true)
        }
        Err(error) => {
            let value: Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
            if outcome != Outcome::Failed || value["error"]["code"] != error.code() {
                return Err(format!("library: {error}; batch: {out}"));
            }
            Ok(false)
        }
    }
}

/// The text of `text` around byte `at`.
fn around(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(80).min(text.len());
    let mut to = (at + 80).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    while !text.is_char_boundary(to) {
        to += 1;
    }
    text.get(from..to).unwrap_or(text)
}

/// Every sheet of every embedded edition.
fn all_sheets() -> Vec<&'static Sheet> {
    ocop::editions().flat_map(|e| e.sheets()).collect()
}

/// A dossier on `sheet` whose leaf `i` gets option `(k + i) mod (count + 1)`
/// (boxes: the bits of `k + i`), made lawful as the corpus makes it: `k` over
/// `0..=max count` gives every option of every criterion.
fn systematic(sheet: &Sheet, k: u64) -> Dossier {
    let mut dossier = Dossier::new(sheet.key()).edition(sheet.edition());
    dossier.id = serde_json::value::RawValue::from_string(format!("\"{}-{k}\"", sheet.key()))
        .ok()
        .map(RawJson::from);
    let mut answers = Answers::new();
    for (i, criterion) in sheet.criteria().filter(|c| c.is_leaf()).enumerate() {
        let count = criterion.options().len() as u64;
        let n = k + i as u64;
        let answer = if criterion.is_cumulative() {
            Answer::Boxes(
                (1..=count as u16)
                    .filter(|b| n & (1 << (b - 1)) != 0)
                    .collect(),
            )
        } else {
            Answer::Option((n % (count + 1)) as u16)
        };
        answers.insert(criterion.id().to_string(), answer);
    }
    super::corpus::lawful(sheet, &mut answers);
    dossier.filled = Filled::Answers(answers);
    dossier
}

#[test]
fn full_lines_are_serdes_on_every_option_of_every_sheet() {
    let sheets = all_sheets();
    assert!(
        sheets.len() > 50,
        "every edition's sheets: {}",
        sheets.len()
    );
    let options = [
        Options::default(),
        Options::default()
            .round_half_up(true)
            .mark_reading(MarkReading::Every),
    ];
    // One scorer for everything: its buffers carry over from line to line.
    let mut scorer = LineScorer::new(options[0], false);
    let mut rounded = LineScorer::new(options[1], false);
    let (mut scored, mut refused) = (0, 0);
    for sheet in &sheets {
        let most = sheet
            .criteria()
            .map(|c| c.options().len() as u64)
            .max()
            .unwrap_or(0);
        for k in 0..=most.max(3) {
            let mut dossier = systematic(sheet, k);
            if k == 1 {
                dossier.level = Some(Level::Province);
                dossier.proposed_on = "2026-03-02".parse().ok();
            }
            let (scorer, options) = if k % 2 == 0 {
                (&mut scorer, options[0])
            } else {
                (&mut rounded, options[1])
            };
            match same_line(scorer, options, &dossier) {
                Ok(true) => scored += 1,
                Ok(false) => refused += 1,
                Err(message) => panic!("{} {k}: {message}", sheet.key()),
            }
        }
        // Rejected by the council with every criterion unanswered: the lines
        // of unanswered criteria (cumulative ones list every box).
        let mut rejected = Dossier::new(sheet.key()).edition(sheet.edition());
        rejected.disqualified = Some("hồ sơ \"giả\"\n".into());
        match same_line(&mut scorer, options[0], &rejected) {
            Ok(true) => scored += 1,
            Ok(false) => panic!("{}: a rejected dossier is scored", sheet.key()),
            Err(message) => panic!("{} rejected: {message}", sheet.key()),
        }
    }
    assert!(scored > 10 * refused, "{scored} scored, {refused} refused");
}

#[test]
fn full_lines_are_serdes_on_the_corpus_of_every_edition() {
    let mut scorer = LineScorer::new(Options::default(), false);
    let mut scored = 0;
    for edition in ocop::editions() {
        let count = edition.sheet_count() * 4;
        for mut dossier in super::corpus::generate(edition, count, 2026) {
            // The corpus answers cumulative criteria with an option: tick boxes.
            let sheet = edition.sheet(&dossier.sheet).unwrap();
            if let Some(answers) = dossier.answers_mut() {
                for criterion in sheet.criteria().filter(|c| c.is_cumulative()) {
                    let boxes = (1..=criterion.options().len() as u16).step_by(2).collect();
                    answers.insert(criterion.id().to_string(), Answer::Boxes(boxes));
                }
            }
            match same_line(&mut scorer, Options::default(), &dossier) {
                Ok(true) => scored += 1,
                Ok(false) => {}
                Err(message) => panic!("{} {}: {message}", edition.id(), dossier.sheet),
            }
        }
    }
    assert!(scored > 100, "{scored}");
}

/// Text that JSON must escape, or that escapes badly: quotes, backslashes,
/// control characters, line and paragraph separators, bidi overrides, a BOM,
/// and text that looks like the assessment's own fields.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\u{2028}\u{2029}".to_string()),
        Just("\u{202E}\u{2066}\u{200F}".to_string()),
        Just("\u{FEFF}\u{7F}".to_string()),
        Just("\",\"criteria\":[],\"x\":\"".to_string()),
        Just("}],\"points\":\"100\"".to_string()),
        Just("Sản phẩm “đặc sản” Đồng Tháp".to_string()),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// A dossier `id`: any JSON, as written.
fn hostile_id() -> impl Strategy<Value = Option<RawJson>> {
    let text = prop_oneof![
        hostile().prop_map(|s| serde_json::to_string(&s).unwrap()),
        hostile().prop_map(|s| {
            serde_json::json!({ "criteria": [], "parts": [{ "points": s }], "sections": s })
                .to_string()
        }),
        Just("123456789012345678901234567890".to_string()),
        Just("[{\"criteria\":[1,2]}, null, -0.0e-7]".to_string()),
    ];
    prop::option::of(text).prop_map(|text| {
        text.and_then(|t| serde_json::value::RawValue::from_string(t).ok())
            .map(RawJson::from)
    })
}

fn hostile_product() -> impl Strategy<Value = Option<Product>> {
    let extra = prop::collection::btree_map(
        prop_oneof![
            Just("criteria".to_string()),
            Just("points".to_string()),
            hostile()
        ],
        hostile().prop_map(Value::String),
        0..3,
    );
    prop::option::of(
        (
            prop::option::of(hostile()),
            prop::option::of(hostile()),
            prop::option::of(hostile()),
            extra,
        )
            .prop_map(|(name, code, producer, extra)| Product {
                name,
                code,
                producer,
                extra,
            }),
    )
}

/// Answers on `sheet` from `raw` (one number per leaf, cycled), some left
/// out when `drop` is set (the boxes of a cumulative criterion: the low bits).
fn answers_of(sheet: &Sheet, raw: &[u16], drop: u16) -> Answers {
    let mut answers = BTreeMap::new();
    for (i, criterion) in sheet.criteria().filter(|c| c.is_leaf()).enumerate() {
        let r = raw.get(i % raw.len().max(1)).copied().unwrap_or(0);
        if drop > 0 && r % 7 == drop % 7 {
            continue;
        }
        let count = criterion.options().len() as u16;
        let answer = if criterion.is_cumulative() {
            Answer::Boxes(
                (1..=count.min(16))
                    .filter(|b| r & (1 << (b - 1)) != 0)
                    .collect(),
            )
        } else {
            Answer::Option(r % (count + 1))
        };
        answers.insert(criterion.id().to_string(), answer);
    }
    super::corpus::lawful(sheet, &mut answers);
    answers
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Hostile ids, products, member names and reasons on any sheet: the
    /// batch's line is serde's, byte for byte.
    #[test]
    fn full_lines_are_serdes_on_hostile_dossiers(
        sheet in any::<prop::sample::Index>(),
        raw in prop::collection::vec(any::<u16>(), 1..48),
        drop in 0u16..3,
        id in hostile_id(),
        product in hostile_product(),
        disqualified in prop::option::weighted(0.15, hostile()),
        members in prop::option::weighted(0.15, prop::collection::vec(hostile(), 1..4)),
        finding in prop::option::weighted(0.1, (any::<prop::sample::Index>(), hostile())),
        dated in any::<bool>(),
        level in prop::option::of(prop_oneof![Just(Level::Province), Just(Level::Central)]),
        round_half_up in any::<bool>(),
    ) {
        let sheets = all_sheets();
        let sheet = sheet.get(&sheets);
        let mut dossier = Dossier::new(sheet.key());
        // By its date only on the edition in force on it, else by name.
        if dated && sheet.edition() == "26-2026" {
            dossier.evaluated_on = "2026-06-01".parse().ok();
        } else {
            dossier.edition = Some(sheet.edition().to_string());
        }
        dossier.id = id;
        dossier.product = product;
        dossier.disqualified = disqualified;
        dossier.level = level;
        dossier.filled = match members {
            Some(names) => Filled::Members(
                names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| {
                        Member {
                            member: format!("{name}#{i}"),
                            answers: answers_of(sheet, &raw, 0),
                            ..Member::default()
                        }
                    })
                    .collect(),
            ),
            // Unanswered criteria only where a rejection allows them.
            None if dossier.disqualified.is_some() => Filled::Answers(answers_of(sheet, &raw, drop)),
            None => Filled::Answers(answers_of(sheet, &raw, 0)),
        };
        if let Some((leaf, note)) = finding {
            let with_rules: Vec<&ocop::Criterion> = sheet
                .criteria()
                .filter(|c| c.is_leaf() && !c.rules().is_empty())
                .collect();
            if !with_rules.is_empty() {
                dossier.findings = vec![Finding {
                    criterion: leaf.get(&with_rules).id().to_string(),
                    note,
                }];
            }
        }
        let options = Options::default().round_half_up(round_half_up);
        let mut scorer = LineScorer::new(options, false);
        if let Err(message) = same_line(&mut scorer, options, &dossier) {
            prop_assert!(false, "{}", message);
        }
    }
}
