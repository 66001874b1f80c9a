//! Golden dossiers: tests/fixtures/<edition>/*.json, each a list of cases with
//! the dossier, the clause it exercises and the expected figures.

use std::path::Path;

use serde_json::Value;

fn cases(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    // The first line says the file is generated; the rest is JSON.
    let json = text
        .split_once('\n')
        .map_or(text.as_str(), |(first, rest)| {
            if first.starts_with("//") {
                rest
            } else {
                text.as_str()
            }
        });
    serde_json::from_str(json).unwrap()
}

#[test]
fn golden_dossiers_26_2026() {
    check_fixtures("26-2026", 26);
}

#[test]
fn golden_dossiers_1048_2019() {
    check_fixtures("1048-2019", 26);
}

#[test]
fn golden_dossiers_781_2020_own_sheet() {
    check_fixtures("781-2020", 1);
}

#[test]
fn golden_dossiers_148_2023_sheet_01() {
    check_fixtures("148-2023", 1);
}

fn check_fixtures(edition: &str, sheets: usize) {
    let mut sheets_seen = std::collections::BTreeSet::new();
    let mut count = 0;
    for entry in std::fs::read_dir(format!("tests/fixtures/{edition}")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        for case in cases(&path) {
            let label = format!("{} {}", path.display(), case["case"]);
            let dossier = ocop::Dossier::from_value(&case["dossier"]).unwrap();
            let assessment = ocop::assess(&dossier).unwrap_or_else(|e| panic!("{label}: {e}"));
            let expect = &case["expect"];
            assert_eq!(assessment.total.to_string(), expect["total"], "{label}");
            // Every part the expected file lists, and no other.
            let expected_parts = expect["parts"]
                .as_object()
                .unwrap_or_else(|| panic!("{label}: expect.parts is not an object"));
            assert!(!expected_parts.is_empty(), "{label}: no expected parts");
            for (id, points) in expected_parts {
                let part = assessment
                    .parts
                    .iter()
                    .find(|p| &p.id == id)
                    .unwrap_or_else(|| panic!("{label}: the result has no part {id}"));
                assert_eq!(part.points.to_string(), *points, "{label} part {id}");
            }
            let mut got: Vec<&str> = assessment.parts.iter().map(|p| p.id.as_str()).collect();
            let mut want: Vec<&str> = expected_parts.keys().map(String::as_str).collect();
            assert_eq!(got.len(), want.len(), "{label}: number of parts");
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{label}: part ids");
            assert_eq!(
                Value::from(assessment.band_stars.get()),
                expect["band_stars"],
                "{label}"
            );
            assert_eq!(
                Value::from(assessment.stars.get()),
                expect["stars"],
                "{label}"
            );
            let unmet: Vec<Value> = assessment
                .unmet_marks
                .iter()
                .map(|m| serde_json::json!([m.criterion, m.min_stars]))
                .collect();
            let mut unmet = unmet;
            unmet.sort_by_key(|v| v.to_string());
            let mut expected: Vec<Value> = expect["unmet_marks"].as_array().unwrap().clone();
            expected.sort_by_key(|v| v.to_string());
            assert_eq!(unmet, expected, "{label}");
            check_rules(&label, &assessment, expect);
            sheets_seen.insert(assessment.sheet.clone());
            count += 1;
        }
    }
    assert_eq!(sheets_seen.len(), sheets, "every sheet has golden dossiers");
    assert!(count >= sheets * 8, "{count} cases");
}

/// The printed rules (issue 12): `expect.disqualified` is `null` or `{kind, criterion}`; where the
/// dossier has a level, `expect.outcome` is `{level, action}`.
fn check_rules(label: &str, assessment: &ocop::Assessment, expect: &Value) {
    let want = expect
        .get("disqualified")
        .unwrap_or_else(|| panic!("{label}: expect.disqualified missing"));
    match (&assessment.disqualified, want) {
        (None, Value::Null) => {}
        (Some(got), Value::Object(want)) => {
            let kind = serde_json::to_value(got.kind).unwrap();
            assert_eq!(kind, want["kind"], "{label}: disqualified.kind");
            assert_eq!(
                got.criterion.as_deref().map_or(Value::Null, Value::from),
                want["criterion"],
                "{label}: disqualified.criterion"
            );
            assert_eq!(
                assessment.stars, 0,
                "{label}: a disqualified dossier has no stars"
            );
        }
        (got, want) => panic!("{label}: disqualified {got:?}, expected {want}"),
    }
    match (&assessment.outcome, expect.get("outcome")) {
        (None, None) => {}
        (Some(got), Some(want)) => {
            assert_eq!(got.level.name(), want["level"], "{label}: outcome.level");
            let action = serde_json::to_value(got.action).unwrap();
            assert_eq!(action, want["action"], "{label}: outcome.action");
        }
        (got, want) => panic!("{label}: outcome {got:?}, expected {want:?}"),
    }
}

/// Dossiers the crate must refuse (tests/fixtures/rules-errors.json), each with its error code,
/// whether the refusal comes when the dossier is read or when it is scored.
#[test]
fn rule_errors_are_refused_with_their_code() {
    let errors = cases(Path::new("tests/fixtures/rules-errors.json"));
    let mut codes = std::collections::BTreeSet::new();
    for case in &errors {
        let label = format!("rules-errors.json {}", case["case"]);
        let want = case["error"].as_str().unwrap();
        let got = match ocop::Dossier::from_value(&case["dossier"]) {
            Err(e) => e.code(),
            Ok(dossier) => match ocop::assess(&dossier) {
                Err(e) => e.code(),
                Ok(a) => panic!("{label}: scored ({} stars), expected {want}", a.stars),
            },
        };
        assert_eq!(got, want, "{label}");
        codes.insert(want);
    }
    for code in [
        "inapplicable-criterion",
        "mixed-cases",
        "finding-without-rule",
        "invalid-dates",
        "invalid-field",
    ] {
        assert!(codes.contains(code), "no error case for {code}");
    }
}

/// Hand-checked: the example dossier of the README, computed by hand from
/// ../shared/reference/26-2026/sheets/01-rau-cu-qua-hat-tuoi.md.
#[test]
fn example_dossier_matches_the_hand_computation() {
    let text = std::fs::read_to_string("examples/dossier.json").unwrap();
    let assessment = ocop::assess(&ocop::Dossier::from_json(&text).unwrap()).unwrap();
    // Part A: 1.1→2, 1.2→1, 1.3→2, 1.4→2, 1.5→2, 1.6→1, 1.7→1 = 11;
    // 2.1→3, 2.2→2, 2.3→3, 2.4→1 = 9; 3.1→3, 3.2→1, 3.3→3, 3.4→2, 3.5→2 = 11. A = 31.
    // Part B: 4.1→3, 4.2→2, 4.3→2 = 7; 5.1→3, 5.2→1, 5.3→3 = 7. B = 14.
    // Part C: 6.1→2, 6.2→3, 6.3→2, 6.4→2 = 9; 7→1; 8→3; 9→4; 10→3; 11→1; 12→1. C = 22.
    // Total 67: band 3★ (50 ≤ 67 < 70). 3★ marks: 2.2 (2 pts, has 2), 2.3 (1, has 3),
    // 3.5 (1, has 2), 4.1 (2, has 3), 5.3 (1, has 3), 9 (2, has 4), 10 (1, has 3): all met.
    let parts: Vec<String> = assessment
        .parts
        .iter()
        .map(|p| p.points.to_string())
        .collect();
    assert_eq!(parts, ["31", "14", "22"]);
    assert_eq!(assessment.total.to_string(), "67");
    assert_eq!(assessment.band_stars, 3);
    assert_eq!(assessment.stars, 3);
    assert!(assessment.unmet_marks.is_empty());
}

/// The 1048 sheets whose printed options cannot reach a part's printed maximum carry a
/// warning, and their best total is below 100 (07: Part A 34; 19: Part C 38).
#[test]
fn known_gap_sheets_warn() {
    let edition = ocop::edition("1048-2019").unwrap();
    for (key, total, sum) in [
        ("che-bien-tu-rau-cu-qua-hat", "99", "add up to 34"),
        (
            "thuc-pham-chuc-nang-thuoc-tu-duoc-lieu-thuoc-y-hoc-co-truyen",
            "98",
            "add up to 38",
        ),
    ] {
        let sheet = edition.sheet(key).unwrap();
        let mut dossier = ocop::Dossier::new(key).edition("1048-2019");
        for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
            let best = criterion
                .options()
                .iter()
                .max_by_key(|o| (o.points(), o.number()))
                .unwrap();
            dossier = dossier.answer(criterion.id(), best.number());
        }
        let assessment = ocop::assess(&dossier).unwrap();
        assert_eq!(assessment.total.to_string(), total, "{key}");
        assert!(
            assessment
                .warnings
                .iter()
                .any(|w| w.contains(sum) && w.contains("known gap")),
            "{key}: {:?}",
            assessment.warnings
        );
    }
    // A consistent 1048 sheet has no gap.
    let sheet = edition.sheet("ruou-trang").unwrap();
    assert!(sheet.gaps().is_empty());
}

/// Hand-checked: a 2020 dossier resolved by date to 1048-2019, computed by hand from
/// ../shared/reference/1048-2019/sheets/02-rau-cu-qua-hat-tuoi.md.
#[test]
fn example_1048_dossier_matches_the_hand_computation() {
    let text = std::fs::read_to_string("examples/dossier-1048.json").unwrap();
    let assessment = ocop::assess(&ocop::Dossier::from_json(&text).unwrap()).unwrap();
    assert_eq!(assessment.edition, "1048-2019");
    assert_eq!(
        assessment.edition_choice,
        ocop::assess::EditionChoice::Date {
            evaluated_on: jiff::civil::date(2020, 3, 15)
        }
    );
    // A: 1.1→2 1.2→2 1.3→2 1.4→1 1.5→3 1.6→1 = 11; 2.1→2 2.2→2 2.3→1 = 5;
    //    3.1→3, 3.2 option 4 (case 2, "Giám đốc/Chủ hộ là người trong tỉnh") → 1, 3.3→1, 3.4→0, 3.5→1 = 6. A = 22.
    // B: 4.1→3 4.2→3 4.3→2 = 8; 5.1→3 5.2→2 5.3→1 = 6. B = 14.
    // C: 6.1→2 6.2→5 6.3→2 6.4→2 6.5→1 = 12; 7→1; 8→3; 9.1→2 9.2→2 = 4; 10→3; 11→1. C = 24.
    // Total 60: 3★ ("từ 50 đến 69 điểm").
    let parts: Vec<String> = assessment
        .parts
        .iter()
        .map(|p| p.points.to_string())
        .collect();
    assert_eq!(parts, ["22", "14", "24"]);
    assert_eq!(assessment.total.to_string(), "60");
    assert_eq!(
        (assessment.band_stars.get(), assessment.stars.get()),
        (3, 3)
    );
    assert_eq!(assessment.policies.band_policy.name(), "up-to-next-edge");
    let line = assessment.criteria.iter().find(|c| c.id == "3.2").unwrap();
    assert_eq!(line.option, Some(4));
    // The 1048 sheets now come from the decision's text, not a secondary source.
    assert!(
        !assessment
            .warnings
            .iter()
            .any(|w| w.contains("secondary source"))
    );
}

/// 781/2020: the same dossier is 5★ under 1048 and capped under 781, whose Part C
/// minimum (a declared product standard, criterion 9.1 option 3) it misses.
#[test]
fn a_781_minimum_caps_the_rank() {
    let text = std::fs::read_to_string("tests/fixtures/781-gate-dossier.json").unwrap();
    let mut dossier = ocop::Dossier::from_json(&text).unwrap();
    let under_781 = ocop::assess(&dossier).unwrap();
    assert_eq!(under_781.edition, "781-2020");
    assert_eq!(under_781.total.to_string(), "99");
    assert_eq!((under_781.band_stars.get(), under_781.stars.get()), (5, 2));
    let mark = &under_781.unmet_marks[0];
    assert_eq!(
        (mark.criterion.as_str(), mark.min_stars, mark.option),
        ("9.1", 3, 3)
    );
    assert!(mark.gate.as_deref().unwrap().contains("781/QĐ-TTg"));
    assert!(
        under_781
            .warnings
            .iter()
            .any(|w| w.contains("only partly known"))
    );

    dossier.evaluated_on = Some(jiff::civil::date(2020, 6, 7));
    let under_1048 = ocop::assess(&dossier).unwrap();
    assert_eq!(under_1048.edition, "1048-2019");
    assert_eq!(
        (under_1048.band_stars.get(), under_1048.stars.get()),
        (5, 5)
    );
    assert!(under_1048.unmet_marks.is_empty());

    // Meeting the minimum (option 3: 2 points) lifts the cap.
    let met = dossier.clone().answer("9.1", 3);
    let mut met = met;
    met.evaluated_on = Some(jiff::civil::date(2021, 5, 1));
    let assessment = ocop::assess(&met).unwrap();
    assert_eq!(
        (
            assessment.total.to_string().as_str(),
            assessment.stars.get()
        ),
        ("100", 5)
    );
}

#[test]
fn the_781_edition_extends_1048_and_spares_tourism() {
    let base = ocop::edition("1048-2019").unwrap();
    let amended = ocop::edition("781-2020").unwrap();
    assert_eq!(amended.extends(), Some("1048-2019"));
    assert_eq!(amended.sheet_count(), base.sheet_count());
    assert_ne!(amended.hash(), base.hash());
    assert!(base.gates().is_empty());
    assert!(!amended.gates().is_empty());
    // Mục 6 applies to every group but tourism.
    assert!(
        amended
            .gates()
            .iter()
            .all(|g| g.sheet() != "dich-vu-du-lich-cong-dong-va-diem-du-lich")
    );
    // Every gate became a mark on an existing option of its criterion.
    for gate in amended.gates() {
        let criterion = amended
            .sheet(gate.sheet())
            .unwrap()
            .criterion(gate.criterion())
            .unwrap();
        assert!(criterion.option(gate.option()).is_some());
        assert!(
            criterion
                .marks()
                .iter()
                .any(|m| m.stars() == gate.stars() && m.option() == gate.option())
        );
    }
}
