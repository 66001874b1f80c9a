//! Council evaluations: exact means, gates on means, the spread check, errors.

use ocop::assess::Options;
use ocop::{Dossier, Member};
use rust_decimal::Decimal;

fn council() -> Dossier {
    Dossier::from_json(&std::fs::read_to_string("examples/council.json").unwrap()).unwrap()
}

#[test]
fn non_terminating_mean_stays_below_the_band_edge() {
    // Totals 70, 69, 70: mean 69.666…, which is 3★ under 26/2026 (từ 50 đến dưới 70).
    let a = ocop::assess(&council()).unwrap();
    let c = a.council.as_ref().unwrap();
    let totals: Vec<String> = c.members.iter().map(|m| m.total.to_string()).collect();
    assert_eq!(totals, ["70", "69", "70"]);
    assert_eq!(a.total, Decimal::from(209) / Decimal::from(3));
    assert!(a.total.to_string().starts_with("69.666666"));
    assert_eq!((a.band_stars.get(), a.stars.get()), (3, 3));
    assert_eq!(c.members[0].stars, 4);
    assert_eq!(
        a.policies.council_gate_reading.map(|r| r.name()),
        Some("mean-points-of-the-criterion-reach-the-mark")
    );
    // Parts and criteria are means too, and add up to the mean total.
    let parts: Decimal = a.parts.iter().map(|p| p.points).sum();
    assert!((parts - a.total).abs() < Decimal::new(1, 20));
}

#[test]
fn the_mean_is_independent_of_member_order() {
    let mut dossier = council();
    let first = ocop::assess(&dossier).unwrap();
    dossier.members_mut().unwrap().reverse();
    let reversed = ocop::assess(&dossier).unwrap();
    assert_eq!(first.total, reversed.total);
    assert_eq!(first.parts, reversed.parts);
    assert_eq!(
        (first.band_stars.get(), first.stars.get()),
        (reversed.band_stars.get(), reversed.stars.get())
    );
}

#[test]
fn round_half_up_is_an_option_on_the_mean() {
    // Two members at 69 and 70: mean 69.5. Up to the next edge: 3★; rounded half-up: 70, 4★.
    let mut dossier = council();
    dossier.members_mut().unwrap().remove(2);
    let plain = ocop::assess(&dossier).unwrap();
    assert_eq!(plain.total.to_string(), "69.5");
    assert_eq!(plain.band_stars, 3);
    let rounded =
        ocop::assess::assess_with(&dossier, Options::default().round_half_up(true)).unwrap();
    assert_eq!(rounded.band_stars, 4);
    assert_eq!(
        rounded.policies.rounding.to_string(),
        "half-up-to-whole-point"
    );
}

/// A mark is met when the mean points of the criterion reach it: two members at
/// the best of everything, one with 1.3 lowered below its 5★ mark.
#[test]
fn gates_are_read_on_the_mean_of_the_criterion() {
    let edition = ocop::edition("26-2026").unwrap();
    let sheet = edition.sheet("rau-cu-qua-hat-tuoi").unwrap();
    let best: ocop::dossier::Answers = sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .map(|c| (c.id().to_string(), (c.options().len() as u16).into()))
        .collect();
    let mut lowered = best.clone();
    lowered.insert("1.3".into(), 2.into()); // 2 points; the 5★ mark asks 3
    let member = |name: &str, answers: &ocop::dossier::Answers| Member {
        member: name.into(),
        sheet: None,
        answers: answers.clone(),
    };
    let mut dossier = Dossier::new("rau-cu-qua-hat-tuoi").edition("26-2026");
    dossier.filled = ocop::dossier::Filled::Members(vec![
        member("A", &best),
        member("B", &best),
        member("C", &lowered),
    ]);
    let a = ocop::assess(&dossier).unwrap();
    // Mean total 99.67 is 5★ by band, but the mean on 1.3 is 2.67 < 3: 4★.
    assert_eq!((a.band_stars.get(), a.stars.get()), (5, 4));
    assert_eq!(a.unmet_marks.len(), 1);
    assert_eq!(a.unmet_marks[0].criterion, "1.3");
    assert_eq!(a.unmet_marks[0].min_stars, 5);
    assert!(a.unmet_marks[0].actual.to_string().starts_with("2.666"));
    // Two of three members meet it individually; the council does not.
    let members = &a.council.as_ref().unwrap().members;
    assert_eq!(members.iter().filter(|m| m.stars == 5).count(), 2);
}

#[test]
fn spread_check_names_the_members_without_refusing() {
    let mut dossier = council();
    let first = dossier.members()[0].answers.clone();
    dossier.members_mut().unwrap()[1].answers = first;
    for (_, option) in dossier.members_mut().unwrap()[1]
        .answers
        .iter_mut()
        .take(12)
    {
        *option = 0.into();
    }
    let off = ocop::assess(&dossier).unwrap();
    assert!(off.council.as_ref().unwrap().spread.is_none());
    let on = ocop::assess::assess_with(
        &dossier,
        Options::default().spread_limit(Some(Decimal::from(10))),
    )
    .unwrap();
    let spread = on.council.as_ref().unwrap().spread.as_ref().unwrap();
    assert!(spread.tripped, "{spread:?}");
    assert!(spread.difference > Decimal::from(10));
    assert_eq!(spread.lowest[0].member, "Trần Thị Bình");
    assert_eq!(spread.highest.len(), 2);
    assert!(
        on.warnings
            .iter()
            .any(|w| w.contains("re-score") && w.contains("Trần Thị Bình"))
    );
    assert_eq!(on.policies.spread_limit, Some(Decimal::from(10)));
    // The figures are computed all the same.
    assert_eq!(on.total, off.total);
}

#[test]
fn council_errors_are_typed() {
    let base = r#"{"edition":"26-2026","sheet":"hoa","members":MEMBERS}"#;
    let parse = |members: &str| Dossier::from_json(&base.replace("MEMBERS", members));
    assert_eq!(parse("[]").unwrap_err().code(), "invalid-council");
    let dup = r#"[{"member":"A","answers":{}},{"member":"A","answers":{}}]"#;
    let err = parse(dup).unwrap_err();
    assert_eq!(err.code(), "invalid-council");
    assert!(err.to_string().contains("`A` appears twice"));
    let thousand: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"member":"m{i}","answers":{{}}}}"#))
        .collect();
    assert_eq!(
        parse(&format!("[{}]", thousand.join(",")))
            .unwrap_err()
            .code(),
        "invalid-council"
    );
    let other = r#"[{"member":"A","sheet":"cay-canh","answers":{}}]"#;
    let err = ocop::assess(&parse(other).unwrap()).unwrap_err();
    assert_eq!(err.code(), "invalid-council");
    assert!(err.to_string().contains("`cay-canh`") && err.to_string().contains("`hoa`"));
    // An error in one member's sheet names the member and keeps its own code.
    let bad = r#"[{"member":"Bình","answers":{"1.1":1}}]"#;
    let err = ocop::assess(&parse(bad).unwrap()).unwrap_err();
    assert_eq!(err.code(), "unanswered");
    assert!(err.to_string().starts_with("member `Bình`:"));
    let both = r#"{"edition":"26-2026","sheet":"hoa","answers":{},"members":[]}"#;
    assert_eq!(
        Dossier::from_json(both).unwrap_err().code(),
        "invalid-field"
    );
}
