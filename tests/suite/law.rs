//! The law around the score (issue 12): knock-out and stop rules, criteria
//! that apply only sometimes, exclusive cases, council levels and outcomes,
//! kinds of registration and transitions, the council's named choices. Each
//! case cites the line of the decision it exercises (line numbers of the
//! source copies under ../shared/reference/*/source/).

use ocop::Dossier;
use ocop::MarkReading;
use ocop::assess::{Assessment, DisqualificationKind, Options};
use ocop::dossier::{Answer, Finding, Level, Registration};
use ocop::rubric::Action;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Every leaf of a sheet at its best option (cumulative: every box).
fn best(edition: &str, sheet: &str) -> Dossier {
    let sheet = ocop::edition(edition).unwrap().sheet(sheet).unwrap();
    let mut dossier = Dossier::new(sheet.key()).edition(edition);
    for c in sheet.criteria().filter(|c| c.is_leaf()) {
        let count = c.options().len() as u16;
        dossier = if c.is_cumulative() {
            dossier.tick(c.id(), &(1..=count).collect::<Vec<_>>())
        } else {
            // The best option of its case, on a sheet whose cases are exclusive: case b's last.
            dossier.answer(c.id(), count)
        };
    }
    dossier
}

fn score(dossier: &Dossier) -> Assessment {
    ocop::assess(dossier).unwrap_or_else(|e| panic!("{e}"))
}

/// Lowers criteria that carry no star mark, last first, until the rank is `stars`.
fn lowered_to(dossier: &Dossier, stars: u8) -> Dossier {
    let sheet = ocop::edition(dossier.edition.as_deref().unwrap())
        .unwrap()
        .sheet(&dossier.sheet)
        .unwrap();
    let leaves: Vec<_> = sheet.criteria().filter(|c| c.is_leaf()).collect();
    let mut lowered = dossier.clone();
    for c in leaves.iter().rev() {
        if score(&lowered).stars <= stars {
            break;
        }
        if c.marks().is_empty() && c.rules().is_empty() && !c.is_cumulative() {
            let floor = c
                .options()
                .iter()
                .map(|o| o.points())
                .filter(|p| *p > Decimal::ZERO)
                .min();
            if let Some(o) = c.options().iter().find(|o| Some(o.points()) == floor) {
                lowered = lowered.answer(c.id(), o.number());
            }
        }
    }
    assert_eq!(score(&lowered).stars, stars);
    lowered
}

fn assert_mentions(warnings: &[String], words: &[&str]) {
    assert!(
        warnings
            .iter()
            .any(|w| words.iter().all(|word| w.contains(word))),
        "no warning with {words:?} in {warnings:#?}"
    );
}

fn code(dossier: &Dossier) -> String {
    ocop::assess(dossier).unwrap_err().code().to_string()
}

const WATER: &str = "nuoc-khoang-thien-nhien-nuoc-uong-dong-chai";
const VEGETABLES: &str = "che-bien-tu-rau-cu-qua-hat";
const TOURISM: &str = "dich-vu-du-lich-cong-dong-du-lich-sinh-thai-va-diem-du-lich";

/// Sheet 16, 6.1 "Có tạp chất" and 6.3 "Có mùi" (0 points), 93 points: the
/// note after 6.4 (L12784) "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ
/// không đánh giá các bước tiếp theo" stops the evaluation: no rank.
#[test]
fn a_zero_on_sheet_16s_sensory_criteria_stops_the_evaluation() {
    let dossier = best("26-2026", WATER).answer("6.1", 1).answer("6.3", 1);
    let a = score(&dossier);
    assert_eq!(a.total, Decimal::from(93));
    assert_eq!((a.band_stars.get(), a.stars.get()), (5, 0));
    let d = a.disqualified.as_ref().unwrap();
    assert_eq!(d.kind, DisqualificationKind::Stop);
    assert_eq!(d.criterion.as_deref(), Some("6.1"));
    assert!(d.rule.as_deref().unwrap().contains("Nếu được 0 điểm"));
    assert!(d.cite.as_deref().unwrap().contains("12784"), "{:?}", d.cite);
    // The points of the criteria answered are still reported.
    let line = a.criteria.iter().find(|c| c.id == "6.2").unwrap();
    assert_eq!(line.points, Decimal::from(3));
    // A stopped evaluation need not answer what comes after.
    let mut partial = dossier.clone();
    partial
        .answers_mut()
        .unwrap()
        .retain(|id, _| id.as_str() < "7");
    let p = score(&partial);
    assert_eq!(p.stars, 0);
    assert_eq!(p.disqualified.unwrap().kind, DisqualificationKind::Stop);
    // Without the zeros, the same sheet is 5★ and every criterion must be answered.
    assert_eq!(score(&best("26-2026", WATER)).stars, 5);
    let mut missing = best("26-2026", WATER);
    missing.answers_mut().unwrap().remove("10");
    assert_eq!(code(&missing), "unanswered");
}

/// Sheet 07, all raw material imported: "Bị loại nếu sử dụng toàn bộ nguyên
/// liệu nhập khẩu hoặc không rõ nguồn gốc" (1.1, L5444) is a fact the council
/// establishes: declared as a finding, it rejects the dossier.
#[test]
fn a_finding_fires_sheet_07s_knock_out() {
    // No option fits "all imported": 1.1 is answered 0 ("none applies"), 97
    // points; the missed 3★ mark of 1.1 leaves 2★ until the council's finding.
    let mut dossier = best("26-2026", VEGETABLES).answer("1.1", 0);
    let warned = score(&dossier);
    assert_eq!((warned.total, warned.stars.get()), (Decimal::from(97), 2));
    // 1.1 answered with its 0-point option: the council must confirm the rule.
    assert_mentions(&warned.warnings, &["criterion 1.1 scored 0", "Bị loại"]);
    dossier.findings.push(Finding {
        criterion: "1.1".into(),
        note: "toàn bộ nguyên liệu nhập khẩu".into(),
    });
    let a = score(&dossier);
    assert_eq!(a.stars, 0);
    let d = a.disqualified.unwrap();
    assert_eq!(d.kind, DisqualificationKind::KnockOut);
    assert_eq!(d.criterion.as_deref(), Some("1.1"));
    assert_eq!(d.reason.as_deref(), Some("toàn bộ nguyên liệu nhập khẩu"));
    // A finding on a criterion without such a rule is an error naming it.
    let mut stray = best("26-2026", VEGETABLES);
    stray.findings.push(Finding {
        criterion: "2.2".into(),
        note: "x".into(),
    });
    let err = ocop::assess(&stray).unwrap_err();
    assert_eq!(err.code(), "finding-without-rule");
    assert!(err.to_string().contains("`2.2`") && err.to_string().contains("1.1"));
}

/// "Chỉ áp dụng khi có câu chuyện sản phẩm" (5.2 of sheet 07, L5784 area):
/// without a story (5.1 option 1, or 0), 5.2 counts 0 and may be left out;
/// answered above 0 it is an error naming both criteria.
#[test]
fn a_criterion_that_does_not_apply_counts_nothing() {
    let no_story = best("26-2026", VEGETABLES).answer("5.1", 1);
    let err = ocop::assess(&no_story).unwrap_err();
    assert_eq!(err.code(), "inapplicable-criterion");
    assert!(err.to_string().contains("`5.2`") && err.to_string().contains("`5.1`"));
    for decider in [0, 1] {
        let zero = best("26-2026", VEGETABLES)
            .answer("5.1", decider)
            .answer("5.2", 0);
        let a = score(&zero);
        assert_eq!(a.not_applicable.len(), 1);
        assert_eq!(a.not_applicable[0].criterion, "5.2");
        let mut left_out = zero.clone();
        left_out.answers_mut().unwrap().remove("5.2");
        assert_eq!(score(&left_out).total, a.total);
    }
}

/// Sheet 26 (tourism): "Lựa chọn một trong hai trường hợp" (L19657): case a
/// on one criterion and case b on another is an error naming both.
#[test]
fn options_of_two_cases_are_refused() {
    let sheet = ocop::edition("26-2026").unwrap().sheet(TOURISM).unwrap();
    let cased: Vec<_> = sheet
        .criteria()
        .filter(|c| c.is_leaf() && !c.cases().is_empty())
        .collect();
    assert!(cased.len() >= 2);
    let first_a = |c: &ocop::Criterion| {
        c.options()
            .iter()
            .find(|o| o.case() == Some("a"))
            .unwrap()
            .number()
    };
    let mixed = best("26-2026", TOURISM).answer(cased[0].id(), first_a(cased[0]));
    let err = ocop::assess(&mixed).unwrap_err();
    assert_eq!(err.code(), "mixed-cases");
    assert!(err.to_string().contains("case a") && err.to_string().contains("case b"));
    // All in case a is fine.
    let mut one_case = best("26-2026", TOURISM);
    for c in &cased {
        one_case = one_case.answer(c.id(), first_a(c));
    }
    assert!(ocop::assess(&one_case).is_ok());
}

/// Điều 7.3.e (L252): a province's 5★ result is approved and proposed to the
/// Ministry; 3★–4★ are recognised by the province (L250). Điều 7.4.e/g (L296,
/// L299): the centre recognises 5★ and returns anything below to the province.
#[test]
fn each_level_reads_the_outcome_the_decision_prescribes() {
    let five = best("26-2026", "rau-cu-qua-hat-tuoi");
    let four = lowered_to(&five, 4);
    let outcome = |dossier: &Dossier, level| {
        let mut d = dossier.clone();
        d.level = Some(level);
        score(&d).outcome.unwrap()
    };
    let p5 = outcome(&five, Level::Province);
    assert_eq!(p5.action, Action::Propose);
    assert_eq!(p5.to.as_deref(), Some("Bộ Nông nghiệp và Môi trường"));
    assert!(p5.cite.contains("7.3.e"));
    assert_eq!(outcome(&four, Level::Province).action, Action::Recognise);
    assert_eq!(outcome(&five, Level::Central).action, Action::Recognise);
    let back = outcome(&four, Level::Central);
    assert_eq!(back.action, Action::Return);
    assert!(back.cite.contains("7.4.g"));
    // A stopped dossier at the province: nothing to recognise.
    let stopped = best("26-2026", WATER).answer("6.1", 1);
    let none = outcome(&stopped, Level::Province);
    assert_eq!(none.action, Action::None);
    // Not the "1 sao hoặc 2 sao" rule: a stopped dossier has no rank at all.
    assert!(none.text.contains("dừng đánh giá"), "{}", none.text);
    // No level: no outcome, the certificate-by-rank text stays.
    assert!(score(&five).outcome.is_none());
    // 1048's district level forwards 3★–5★ to the province (Phụ lục II, L162).
    let district = outcome(&best("1048-2019", "rau-cu-qua-hat-tuoi"), Level::District);
    assert_eq!(district.action, Action::Propose);
    assert_eq!(district.to.as_deref(), Some("Ủy ban nhân dân cấp tỉnh"));
    // 26/2026 has no district level.
    let mut wrong = five.clone();
    wrong.level = Some(Level::District);
    assert_eq!(code(&wrong), "invalid-field");
}

/// Điều 12.2 (L477–L490): filed before 22/05/2026, a first rating or an upgrade
/// stays under 148/2023 if evaluated by 21/07/2026, a re-rating by 21/06/2026.
#[test]
fn transitions_depend_on_the_kind_of_registration() {
    let date = |text: &str| text.parse().unwrap();
    let chosen = |kind, filed: &str, evaluated: &str| {
        ocop::edition::for_dossier_dates(date(evaluated), Some(date(filed)), kind).unwrap()
    };
    let late = chosen(Some(Registration::ReRating), "2026-05-10", "2026-06-25");
    assert_eq!(late.edition.id(), "26-2026");
    assert!(
        late.warnings[0].contains("2026-06-21"),
        "{:?}",
        late.warnings
    );
    let first = chosen(Some(Registration::First), "2026-05-10", "2026-06-25");
    assert_eq!(first.edition.id(), "148-2023");
    assert!(first.warnings.is_empty());
    // Kind not given: the 60-day rule, with a warning about re-ratings.
    let unknown = chosen(None, "2026-05-10", "2026-06-25");
    assert_eq!(unknown.edition.id(), "148-2023");
    assert!(unknown.warnings[0].contains("re-rating"));
    let in_time = chosen(Some(Registration::ReRating), "2026-05-10", "2026-06-21");
    assert_eq!(in_time.edition.id(), "148-2023");
    // In the window without filed_on: 26/2026, with a warning.
    let undated = ocop::edition::for_dossier_dates(date("2026-06-01"), None, None).unwrap();
    assert_eq!(undated.edition.id(), "26-2026");
    assert!(undated.warnings[0].contains("filed_on is not given"));
    // Filed after the evaluation: an error.
    let mut dossier = best("26-2026", VEGETABLES);
    dossier.edition = None;
    let json = serde_json::to_string(&dossier).unwrap().replacen(
        '{',
        r#"{"evaluated_on":"2026-06-25","filed_on":"2026-06-30","#,
        1,
    );
    let err = Dossier::from_json(&json).unwrap_err();
    assert_eq!(err.code(), "invalid-dates");
    // An explicit edition that the dates contradict: a warning.
    let mut named = best("26-2026", "rau-cu-qua-hat-tuoi");
    named.evaluated_on = Some(date("2026-06-01"));
    named.filed_on = Some(date("2026-05-01"));
    assert_mentions(&score(&named).warnings, &["give edition 148-2023"]);
}

/// The council's choices the decision leaves open: how a star mark is read on
/// the members' sheets, and rounding (a warning on half-open bands).
#[test]
fn a_councils_mark_reading_is_a_recorded_policy() {
    // 2.2 of sheet 01 carries a 3★ mark at option 3 (2 points): two members
    // reach it, one does not (mean 1.67 < 2).
    let base = best("26-2026", "rau-cu-qua-hat-tuoi");
    let sheet = ocop::edition("26-2026")
        .unwrap()
        .sheet("rau-cu-qua-hat-tuoi")
        .unwrap();
    let (criterion, mark) = sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .find_map(|c| c.marks().first().map(|m| (c, *m)))
        .unwrap();
    let below = criterion
        .options()
        .iter()
        .filter(|o| o.points() < mark.points())
        .map(|o| o.number())
        .max()
        .unwrap_or(0);
    let member = |name: &str, option: u16| ocop::Member {
        member: name.into(),
        sheet: None,
        answers: base
            .clone()
            .answer(criterion.id(), option)
            .answers()
            .unwrap()
            .clone(),
    };
    let mut council = base.clone();
    council.filled = ocop::dossier::Filled::Members(vec![
        member("a", mark.option()),
        member("b", mark.option()),
        member("c", below),
    ]);
    let read = |reading| {
        ocop::assess::assess_with(&council, Options::default().mark_reading(reading)).unwrap()
    };
    let majority = read(MarkReading::Majority);
    let every = read(MarkReading::Every);
    assert!(
        majority
            .unmet_marks
            .iter()
            .all(|m| m.criterion != criterion.id())
    );
    assert!(
        every
            .unmet_marks
            .iter()
            .any(|m| m.criterion == criterion.id())
    );
    assert_eq!(
        majority.policies.council_gate_reading,
        Some(MarkReading::Majority)
    );
    // The recorded policy is what verify re-runs with.
    let stored = serde_json::to_value(&every).unwrap();
    assert!(ocop::verify::verify(&stored).unwrap().matches);
    // Rounding on half-open bands is a warning.
    let rounded = ocop::assess::assess_with(&base, Options::default().round_half_up(true)).unwrap();
    assert_mentions(&rounded.warnings, &["half-open"]);
}

/// A stopped or rejected assessment verifies like any other.
#[test]
fn verify_rechecks_the_rules() {
    let mut dossier = best("26-2026", VEGETABLES);
    dossier.findings.push(Finding {
        criterion: "1.1".into(),
        note: "nhập khẩu".into(),
    });
    dossier.level = Some(Level::Province);
    let stored = serde_json::to_value(score(&dossier)).unwrap();
    assert!(ocop::verify::verify(&stored).unwrap().matches);
    let mut forged = stored.clone();
    forged["disqualified"] = serde_json::Value::Null;
    assert!(!ocop::verify::verify(&forged).unwrap().matches);
}

/// The same verdict on every path: score, batch summary, batch full.
#[test]
fn the_rules_give_the_same_verdict_on_every_path() {
    let stopped = best("26-2026", WATER).answer("6.1", 1);
    let mut knocked = best("26-2026", VEGETABLES);
    knocked.findings.push(Finding {
        criterion: "1.1".into(),
        note: "nhập khẩu".into(),
    });
    let inapplicable = best("26-2026", VEGETABLES).answer("5.1", 1);
    for dossier in [stopped, knocked, inapplicable] {
        let line = serde_json::to_string(&dossier).unwrap();
        let expected = match ocop::assess(&dossier) {
            Ok(a) => format!("ok {}", a.stars),
            Err(e) => e.code().to_string(),
        };
        for summary in [true, false] {
            let mut out = String::new();
            let outcome = ocop::batch::LineScorer::new(Default::default(), summary)
                .score_line(1, &line, &mut out);
            let got = match outcome {
                ocop::batch::Outcome::Scored(stars) => format!("ok {stars}"),
                ocop::batch::Outcome::Failed => {
                    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                    v["error"]["code"].as_str().unwrap().to_string()
                }
            };
            assert_eq!(got, expected, "summary={summary}: {out}");
        }
    }
}

/// The embedded editions with every rule and exclusive case removed, compiled
/// as drafts: what the crate scored before the rules existed.
fn without_rules(id: &str) -> ocop::Edition {
    fn strip(value: &mut toml::Value) {
        match value {
            toml::Value::Table(table) => {
                table.remove("rules");
                table.remove("exclusive_cases");
                table.iter_mut().for_each(|(_, v)| strip(v));
            }
            toml::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let files = ocop::edition::embedded_files(id).unwrap();
    let edition_text = files[0].1;
    let own: Vec<_> = files[1..]
        .iter()
        .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
        .collect();
    let stripped: Vec<(String, String)> = ocop::rubric::compile::with_base(edition_text, own)
        .iter()
        .map(|file| {
            let mut value: toml::Value = toml::from_str(file.text).unwrap();
            strip(&mut value);
            (file.name.to_string(), toml::to_string(&value).unwrap())
        })
        .collect();
    let sheets: Vec<_> = stripped
        .iter()
        .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
        .collect();
    ocop::rubric::compile(
        "stripped",
        ocop::rubric::compile::SourceFile {
            name: "edition.toml",
            text: edition_text,
        },
        &sheets,
    )
    .unwrap()
}

fn stripped_editions() -> &'static [(String, ocop::Edition)] {
    static EDITIONS: std::sync::OnceLock<Vec<(String, ocop::Edition)>> = std::sync::OnceLock::new();
    EDITIONS.get_or_init(|| {
        ocop::editions()
            .map(|e| (e.id().to_string(), without_rules(e.id())))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A rule never raises a rank, and without the findings and the rules the
    /// figures are today's: same total, parts and band; the rank differs only
    /// where a rule fired (then it is 0).
    #[test]
    fn a_rule_never_raises_a_rank_and_removing_them_restores_the_figures(
        index in any::<prop::sample::Index>(),
        raw in prop::collection::vec(any::<u16>(), 1..64),
        finding in any::<prop::sample::Index>(),
    ) {
        let all: Vec<_> = ocop::editions().flat_map(|e| e.sheets()).collect();
        let sheet = all[index.index(all.len())];
        let mut dossier = Dossier::new(sheet.key()).edition(sheet.edition());
        for (c, n) in sheet.criteria().filter(|c| c.is_leaf()).zip(raw.iter().cycle()) {
            let count = c.options().len() as u16;
            dossier = if c.is_cumulative() {
                dossier.tick(c.id(), &(1..=count).filter(|b| n & (1 << (b - 1)) != 0).collect::<Vec<_>>())
            } else {
                dossier.answer(c.id(), n % (count + 1))
            };
        }
        super::corpus::lawful(sheet, dossier.answers_mut().unwrap());
        // Now and then a finding on a criterion that has a finding rule.
        let finders: Vec<&str> = sheet
            .criteria()
            .filter(|c| c.rules().iter().any(|r| r.fires() == Some(ocop::rubric::Fires::Finding)))
            .map(|c| c.id())
            .collect();
        if !finders.is_empty() && finding.index(4) == 0 {
            dossier.findings.push(Finding {
                criterion: finders[finding.index(finders.len())].to_string(),
                note: "phát hiện".into(),
            });
        }
        let with = ocop::assess(&dossier).unwrap();
        let bare = stripped_editions().iter().find(|(id, _)| id == sheet.edition()).unwrap();
        let mut plain = dossier.clone();
        plain.findings.clear();
        // Inapplicable criteria were answered 0 or left out: both score 0 without rules too.
        for skipped in &with.not_applicable {
            plain = plain.answer(skipped.criterion.as_str(), 0);
        }
        let without = bare.1.assess(&plain).unwrap();
        prop_assert!(with.stars <= without.stars);
        prop_assert_eq!(with.total, without.total);
        prop_assert_eq!(&with.parts, &without.parts);
        prop_assert_eq!(with.band_stars, without.band_stars);
        if with.disqualified.is_none() {
            prop_assert_eq!(with.stars, without.stars);
        } else {
            prop_assert_eq!(with.stars, 0);
        }
        // Cumulative answers are untouched by the rules.
        for (id, answer) in dossier.answers().unwrap() {
            if let Answer::Boxes(_) = answer {
                prop_assert!(sheet.criterion(id).unwrap().rules().is_empty());
            }
        }
    }
}
