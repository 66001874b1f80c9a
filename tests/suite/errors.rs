//! Bad input gets a typed error naming the field and the value.

use ocop::{Dossier, Error};

fn full(sheet: &str) -> Dossier {
    let edition = ocop::edition("26-2026").unwrap();
    let mut dossier = Dossier::new(sheet).edition("26-2026");
    for id in edition.sheet(sheet).unwrap().leaf_ids() {
        dossier = dossier.answer(id.as_str(), 1);
    }
    dossier
}

#[test]
fn unknown_edition_sheet_criterion() {
    let err = ocop::assess(&full("hoa").edition("1999")).unwrap_err();
    assert!(
        matches!(err, Error::UnknownEdition { ref edition, .. } if edition == "1999"),
        "{err}"
    );

    let mut dossier = full("hoa");
    dossier.sheet = "hoa-qua".into();
    let err = ocop::assess(&dossier).unwrap_err();
    assert_eq!(err.code(), "unknown-sheet");
    assert!(err.to_string().contains("hoa-qua"));

    let err = ocop::assess(&full("hoa").answer("9.9", 1)).unwrap_err();
    assert!(
        matches!(err, Error::UnknownCriterion { ref criterion, ref sheet, .. } if criterion == "9.9" && sheet == "hoa")
    );
    // Surrounding spaces are not silently trimmed.
    let err = ocop::assess(&full("hoa").answer(" 1.1", 1)).unwrap_err();
    assert_eq!(err.code(), "unknown-criterion");
}

#[test]
fn parent_criterion_answered() {
    let err = ocop::assess(&full("che-tuoi-che-che-bien").answer("6.1", 1)).unwrap_err();
    match err {
        Error::ParentAnswered {
            criterion,
            children,
            ..
        } => {
            assert_eq!(criterion, "6.1");
            assert_eq!(children, "6.1.1, 6.1.2");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn option_out_of_range_names_everything() {
    let err = ocop::assess(&full("rau-cu-qua-hat-tuoi").answer("1.3", 7)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown option 7 for criterion `1.3` of sheet `rau-cu-qua-hat-tuoi` (edition 26-2026): the criterion has options 1..=3, or 0 for none"
    );
}

#[test]
fn unanswered_criteria_are_listed() {
    let mut dossier = full("hoa");
    dossier.answers_mut().unwrap().remove("1.1");
    dossier.answers_mut().unwrap().remove("2.1");
    let err = ocop::assess(&dossier).unwrap_err();
    assert!(
        matches!(err, Error::Unanswered { ref criteria, .. } if criteria == &["1.1", "2.1"]),
        "{err}"
    );
}

#[test]
fn answer_zero_means_no_option_applies() {
    let assessment = ocop::assess(&full("hoa").answer("1.1", 0)).unwrap();
    let line = assessment.criteria.iter().find(|c| c.id == "1.1").unwrap();
    assert_eq!(line.option, Some(0));
    assert!(line.points.is_zero());
    assert!(line.option_text.is_none());
}

/// The reader's messages name the field and the value. (The codes of bad
/// dossiers are the cases of tests/data/hostile-dossiers.toml: suite/hostile.rs.)
#[test]
fn json_field_errors_name_the_field_and_value() {
    let err = Dossier::from_json(r#"{"sheet":"hoa","answers":{"1.1":"2"}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"dossier field `answers."1.1"`: expected an option number: a whole number from 1, or 0 when no option applies, got "2""#
    );
    let err = Dossier::from_json(r#"{"sheet":"hoa","answers":{},"evaluated_on":"2023-02-30"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("evaluated_on") && err.to_string().contains("2023-02-30"),
        "{err}"
    );
}

#[test]
fn long_values_are_cut_in_messages() {
    let long = "x".repeat(10_000);
    let err = ocop::edition(&long).unwrap_err();
    assert!(err.to_string().len() < 300, "{}", err.to_string().len());
}

#[test]
fn edition_by_date() {
    use jiff::civil::date;
    let dossier = Dossier {
        edition: None,
        evaluated_on: Some(date(2026, 5, 22)),
        ..full("hoa")
    };
    let assessment = ocop::assess(&dossier).unwrap();
    assert_eq!(assessment.edition, "26-2026");
    assert_eq!(
        assessment.edition_choice,
        ocop::assess::EditionChoice::Date {
            evaluated_on: jiff::civil::date(2026, 5, 22)
        }
    );
    let dossier = Dossier {
        edition: None,
        evaluated_on: None,
        ..full("hoa")
    };
    assert_eq!(ocop::assess(&dossier).unwrap_err().code(), "invalid-field");
}

#[test]
fn disqualification_is_a_result_not_an_error() {
    let mut dossier = full("hoa");
    dossier.disqualified = Some("Giả mạo hồ sơ".into());
    let assessment = ocop::assess(&dossier).unwrap();
    assert_eq!(assessment.stars, 0);
    let d = assessment.disqualified.unwrap();
    assert_eq!(d.reason.as_deref(), Some("Giả mạo hồ sơ"));
    assert!(d.rule.unwrap().starts_with("Giả mạo hồ sơ"));
}

mod dates {
    //! Which edition a date resolves to, on each side of every boundary.
    use jiff::civil::{Date, date};

    fn resolve(evaluated: Date, filed: Option<Date>) -> Result<String, String> {
        ocop::edition::for_dossier_dates(evaluated, filed, None)
            .map(|chosen| chosen.edition.id().to_string())
            .map_err(|err| err.code().to_string())
    }

    #[test]
    fn boundaries_of_the_embedded_editions() {
        let cases = [
            (date(2019, 8, 20), Err("no-edition-in-force")),
            (date(2019, 8, 21), Ok("1048-2019")),
            (date(2020, 6, 7), Ok("1048-2019")),
            (date(2020, 6, 8), Ok("781-2020")),
            (date(2023, 2, 23), Ok("781-2020")),
            (date(2023, 2, 24), Ok("148-2023")),
            (date(2026, 5, 21), Ok("148-2023")),
            (date(2026, 5, 22), Ok("26-2026")),
        ];
        for (day, expected) in cases {
            let expected = expected.map(str::to_string).map_err(str::to_string);
            assert_eq!(resolve(day, None), expected, "{day}");
        }
    }

    #[test]
    fn transition_window_of_decision_26_2026() {
        let filed_before = Some(date(2026, 5, 21));
        let filed_on_the_day = Some(date(2026, 5, 22));
        // Filed before 22/05/2026 and evaluated within 60 days (to 21/07/2026): 148-2023.
        assert_eq!(
            resolve(date(2026, 5, 22), filed_before),
            Ok("148-2023".into())
        );
        assert_eq!(
            resolve(date(2026, 7, 21), filed_before),
            Ok("148-2023".into())
        );
        assert_eq!(
            resolve(date(2026, 7, 22), filed_before),
            Ok("26-2026".into())
        );
        // Filed on or after 22/05/2026: 26-2026.
        assert_eq!(
            resolve(date(2026, 5, 22), filed_on_the_day),
            Ok("26-2026".into())
        );
        // No filing date: the transition cannot apply.
        assert_eq!(resolve(date(2026, 6, 1), None), Ok("26-2026".into()));
    }

    #[test]
    fn a_148_sheet_is_not_available_with_a_typed_error() {
        let edition = ocop::edition("148-2023").unwrap();
        // Sheet 01 is available (a secondary source); the other 25 are not.
        assert_eq!(edition.sheet_count(), 1);
        assert_eq!(edition.missing_sheets().len(), 25);
        let err = edition.sheet("hoa").unwrap_err();
        assert_eq!(err.code(), "sheet-not-available");
        let text = err.to_string();
        assert!(
            text.contains("148-2023") && text.contains("hoa") && text.contains("Phụ lục III"),
            "{text}"
        );
        // A key outside the classification is still an unknown sheet.
        assert_eq!(edition.sheet("nope").unwrap_err().code(), "unknown-sheet");
    }

    #[test]
    fn a_dossier_dated_in_the_window_says_why() {
        let text =
            r#"{"evaluated_on":"2026-07-21","filed_on":"2026-05-01","sheet":"hoa","answers":{}}"#;
        let err = ocop::assess(&ocop::Dossier::from_json(text).unwrap()).unwrap_err();
        assert_eq!(err.code(), "sheet-not-available");
    }
}
