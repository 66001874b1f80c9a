//! The register's rules: month counts, windows, extensions, revocations, rounds.

use jiff::civil::{Date, date};
use ocop::certificate::{Certificate, Status, add_months, rerating_window};
use ocop::rubric::certification::Level;

fn certificate(extra: &str) -> Result<Certificate, ocop::Error> {
    Certificate::from_json(&format!(
        r#"{{"code":"T-01","edition":"26-2026","stars":4,"decision":"1/QĐ-UBND",{extra}}}"#
    ))
}

#[test]
fn months_are_counted_as_the_civil_code_counts_them() {
    let cases = [
        (date(2024, 3, 15), 36, date(2027, 3, 15)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2028, 2, 29), 36, date(2031, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2023, 8, 31), 36, date(2026, 8, 31)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 12, 31), 36, date(2029, 12, 31)),
    ];
    for (start, months, end) in cases {
        assert_eq!(
            add_months(start, months).unwrap(),
            end,
            "{start} + {months}"
        );
    }
    assert_eq!(
        add_months(date(9998, 1, 1), 36).unwrap_err().code(),
        "invalid-dates"
    );
}

#[test]
fn a_certificate_is_valid_through_its_last_day() {
    let c = certificate(r#""issued_on":"2026-06-15""#).unwrap();
    assert_eq!(c.valid_until().unwrap(), date(2029, 6, 15));
    assert_eq!(c.status(date(2029, 6, 15)).unwrap(), Status::Valid);
    assert_eq!(c.standing(date(2029, 6, 15)).unwrap().days_left, Some(0));
    assert_eq!(c.status(date(2029, 6, 16)).unwrap(), Status::Expired);
    assert_eq!(c.standing(date(2029, 6, 16)).unwrap().days_left, Some(-1));
    // 29 February: issued in a leap year, the term ends on 28 February.
    let leap = certificate(r#""issued_on":"2028-02-29""#).unwrap();
    assert_eq!(leap.valid_until().unwrap(), date(2031, 2, 28));
    assert_eq!(leap.status(date(2031, 3, 1)).unwrap(), Status::Expired);
    // The authority is filled in from the rank.
    assert_eq!(
        leap.authority,
        Some(ocop::rubric::CertificateKind::Province)
    );
}

#[test]
fn the_rerating_window_opens_180_and_closes_120_days_before_the_last_day() {
    let rule = ocop::edition("26-2026").unwrap().rerating().unwrap();
    let window = rerating_window(date(2029, 6, 15), rule).unwrap();
    assert_eq!(window.opens, date(2028, 12, 17));
    assert_eq!(window.closes, date(2029, 2, 15));
    let days = |d: Date| date(2029, 6, 15).since(d).unwrap().get_days();
    assert_eq!((days(window.opens), days(window.closes)), (180, 120));
    // Across 29 February 2028.
    let window = rerating_window(date(2028, 8, 27), rule).unwrap();
    assert_eq!(
        (window.opens, window.closes),
        (date(2028, 2, 29), date(2028, 4, 29))
    );
    // Filing on the window's bounds extends nothing; one day after it closes does.
    for (filed, extended) in [
        ("2029-02-15", false),
        ("2028-12-17", false),
        ("2029-02-16", true),
    ] {
        let c = certificate(&format!(
            r#""issued_on":"2026-06-15","rerating_filed_on":"{filed}""#
        ))
        .unwrap();
        let standing = c.standing(date(2029, 6, 16)).unwrap();
        assert_eq!(standing.extended_until.is_some(), extended, "{filed}");
    }
}

#[test]
fn a_late_rerating_extends_until_the_result_or_180_days() {
    let late = |extra: &str| {
        certificate(&format!(
            r#""issued_on":"2026-06-15","rerating_filed_on":"2029-03-01"{extra}"#
        ))
        .unwrap()
    };
    let pending = late("");
    let standing = pending.standing(date(2029, 7, 1)).unwrap();
    assert_eq!(standing.status, Status::Extended);
    assert_eq!(standing.extended_until, Some(date(2029, 12, 12)));
    assert_eq!(standing.days_left, Some(164));
    assert_eq!(
        pending.status(date(2029, 12, 12)).unwrap(),
        Status::Extended
    );
    assert_eq!(pending.status(date(2029, 12, 13)).unwrap(), Status::Expired);
    // The result comes first: extended until its day.
    let answered = late(r#","result_on":"2029-08-01""#);
    let standing = answered.standing(date(2029, 8, 2)).unwrap();
    assert_eq!(standing.extended_until, Some(date(2029, 8, 1)));
    assert_eq!(standing.status, Status::Expired);
    // A result before the term ends extends nothing.
    let early = late(r#","result_on":"2029-04-01""#);
    assert_eq!(
        early.standing(date(2029, 6, 16)).unwrap().extended_until,
        None
    );
    // A filing after the last day revives nothing.
    let after =
        certificate(r#""issued_on":"2026-06-15","rerating_filed_on":"2029-06-16""#).unwrap();
    assert_eq!(after.status(date(2029, 6, 20)).unwrap(), Status::Expired);
}

#[test]
fn a_revoked_certificate() {
    let c = certificate(
        r#""issued_on":"2026-06-15","revocation":{"revoked_on":"2026-10-01","ground":"đ","authority":"province"}"#,
    )
    .unwrap();
    assert_eq!(c.status(date(2026, 9, 30)).unwrap(), Status::Valid);
    let standing = c.standing(date(2026, 10, 1)).unwrap();
    assert_eq!(standing.status, Status::Revoked);
    assert_eq!(standing.revoked_on, Some(date(2026, 10, 1)));
    assert_eq!(standing.days_left, None);
    // Six printed grounds: a, b, c, d, đ, e.
    let rules = ocop::edition("26-2026").unwrap().revocation().unwrap();
    let letters: Vec<&str> = rules.grounds.iter().map(|g| g.letter.as_str()).collect();
    assert_eq!(letters, ["a", "b", "c", "d", "đ", "e"]);
    for (extra, code, field) in [
        (
            r#""ground":"g""#,
            "invalid-certificate",
            "revocation.ground",
        ),
        (
            r#""ground":"a","authority":"ministry""#,
            "authority-mismatch",
            "revocation.authority",
        ),
        (r#""ground":"a","by":"x""#, "invalid-certificate", "by"),
    ] {
        let err = certificate(&format!(
            r#""issued_on":"2026-06-15","revocation":{{"revoked_on":"2026-10-01",{extra}}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().contains(&format!("`{field}`")), "{err}");
    }
    // Before 26/2026 took effect no edition held gives revocation grounds.
    let old = Certificate::from_json(
        r#"{"code":"T","edition":"148-2023","stars":3,"issued_on":"2024-01-10","decision":"1","revocation":{"revoked_on":"2025-01-10","ground":"a"}}"#,
    )
    .unwrap_err();
    assert_eq!(old.code(), "rule-not-in-edition");
    assert!(old.to_string().contains("148-2023"), "{old}");
}

#[test]
fn an_expired_certificate() {
    let c = Certificate::from_json(
        r#"{"code":"T","edition":"148-2023","stars":3,"issued_on":"2023-08-31","decision":"1"}"#,
    )
    .unwrap();
    let standing = c.standing(date(2026, 12, 2)).unwrap();
    assert_eq!(standing.status, Status::Expired);
    assert_eq!(standing.valid_until, date(2026, 8, 31));
    assert_eq!(standing.days_left, Some(-93));
}

#[test]
fn a_certificate_issued_before_26_2026_keeps_its_own_term() {
    let own = Certificate::from_json(
        r#"{"code":"T","edition":"148-2023","stars":4,"issued_on":"2024-03-15","decision":"1","valid_until":"2027-06-30"}"#,
    )
    .unwrap();
    assert_eq!(own.valid_until().unwrap(), date(2027, 6, 30));
    assert_eq!(own.status(date(2027, 6, 30)).unwrap(), Status::Valid);
    // Without one, 36 months (148's term).
    let computed = Certificate::from_json(
        r#"{"code":"T","edition":"148-2023","stars":4,"issued_on":"2024-03-15","decision":"1"}"#,
    )
    .unwrap();
    assert_eq!(computed.valid_until().unwrap(), date(2027, 3, 15));
    // From 2026-05-22 the term is the edition's (Điều 4.3): an own term is refused.
    let err = certificate(r#""issued_on":"2026-05-22","valid_until":"2030-01-01""#).unwrap_err();
    assert_eq!(err.code(), "invalid-certificate");
    assert!(err.to_string().contains("Điều 12.1"), "{err}");
    assert!(certificate(r#""issued_on":"2026-05-22""#).is_ok());
}

#[test]
fn records_are_read_strictly() {
    for (extra, code, field) in [
        (
            r#""issued_on":"2026-06-15","colour":"red""#,
            "invalid-certificate",
            "colour",
        ),
        (
            r#""issued_on":"15/06/2026""#,
            "invalid-certificate",
            "issued_on",
        ),
        (
            r#""issued_on":"2026-02-30""#,
            "invalid-certificate",
            "issued_on",
        ),
        (
            r#""issued_on":"2026-06-15","authority":"ministry""#,
            "authority-mismatch",
            "authority",
        ),
        (
            r#""issued_on":"2026-06-15","result_on":"2026-07-01""#,
            "invalid-certificate",
            "result_on",
        ),
        (r#""issued_on":"2025-06-15""#, "invalid-dates", "issued_on"),
        (
            r#""issued_on":"2026-06-15","rerating_filed_on":"2026-01-01""#,
            "invalid-dates",
            "rerating_filed_on",
        ),
    ] {
        let err = certificate(extra).unwrap_err();
        assert_eq!(err.code(), code, "{extra}: {err}");
        assert!(err.to_string().contains(field), "{extra}: {err}");
    }
    let missing = Certificate::from_json(
        r#"{"edition":"26-2026","stars":4,"issued_on":"2026-06-15","decision":"1"}"#,
    )
    .unwrap_err();
    assert!(missing.to_string().contains("`code`"), "{missing}");
    let low = Certificate::from_json(
        r#"{"code":"T","edition":"26-2026","stars":2,"issued_on":"2026-06-15","decision":"1"}"#,
    )
    .unwrap_err();
    assert!(low.to_string().contains("`stars`"), "{low}");
}

#[test]
fn deadlines() {
    assert_eq!(
        ocop::certificate::rerating_result_due(date(2026, 12, 20)).unwrap(),
        date(2027, 2, 3)
    );
    assert_eq!(
        ocop::certificate::revocation_due(date(2027, 2, 20)).unwrap(),
        date(2027, 3, 7)
    );
    assert_eq!(
        ocop::certificate::revocation_due(date(2025, 2, 20))
            .unwrap_err()
            .code(),
        "rule-not-in-edition"
    );
}

#[test]
fn rounds_and_the_round_of_a_proposal() {
    let edition = ocop::edition("26-2026").unwrap();
    let round = |level, on| {
        let r = edition.round_for(level, on).unwrap().unwrap();
        (r.year, r.number, r.evaluated_before)
    };
    use Level::{Central, Province};
    assert_eq!(
        round(Province, date(2026, 4, 29)),
        (2026, 1, date(2026, 6, 30))
    );
    assert_eq!(
        round(Province, date(2026, 4, 30)),
        (2026, 2, date(2026, 12, 30))
    );
    assert_eq!(
        round(Province, date(2026, 10, 30)),
        (2027, 1, date(2027, 6, 30))
    );
    assert_eq!(
        round(Central, date(2026, 7, 29)),
        (2026, 1, date(2026, 9, 30))
    );
    assert_eq!(
        round(Central, date(2026, 7, 30)),
        (2026, 2, date(2027, 3, 30))
    );
    // Across the year boundary: January proposals go to round 2 of the year before.
    assert_eq!(
        round(Central, date(2027, 1, 29)),
        (2026, 2, date(2027, 3, 30))
    );
    assert_eq!(
        round(Central, date(2027, 1, 30)),
        (2027, 1, date(2027, 9, 30))
    );
    assert_eq!(
        round(Central, date(2026, 12, 31)),
        (2026, 2, date(2027, 3, 30))
    );
    for id in ["148-2023", "1048-2019", "781-2020"] {
        let err = ocop::edition(id).unwrap().rounds(2024, None).unwrap_err();
        assert_eq!(err.code(), "rule-not-in-edition");
        assert!(err.to_string().contains(id));
    }
    for id in ["148-2023", "1048-2019", "781-2020", "26-2026"] {
        assert_eq!(
            ocop::edition(id)
                .unwrap()
                .certificate_term()
                .unwrap()
                .months,
            36,
            "{id}"
        );
    }
}

#[test]
fn a_draft_with_bad_register_rules_is_refused_with_every_problem() {
    let files = ocop::edition::embedded_files("26-2026").unwrap();
    let (_, text) = files[0];
    let text = text
        .replace("proposed_before = \"04-30\"", "proposed_before = \"02-29\"")
        .replace(
            "opens_days_before_expiry = 180",
            "opens_days_before_expiry = 100",
        )
        .replace("{ stars = [5], authority", "{ stars = [4, 5], authority");
    let edition = ocop::rubric::compile::SourceFile {
        name: "edition.toml",
        text: &text,
    };
    let sheets: Vec<_> = files[1..]
        .iter()
        .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
        .collect();
    let err = ocop::rubric::compile("draft", edition, &sheets).unwrap_err();
    let message = err.to_string();
    assert_eq!(err.code(), "invalid-rubric");
    assert!(message.contains("`02-29` is not a month-day"), "{message}");
    assert!(
        message.contains("opens 100 days before expiry"),
        "{message}"
    );
    assert!(
        message.contains("4★ must be named exactly once"),
        "{message}"
    );
}
