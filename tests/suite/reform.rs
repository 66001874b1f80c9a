//! Rubric authoring: lint, diff and impact.

use std::path::{Path, PathBuf};

use ocop::reform::impact::{Crosswalk, ImpactRun};

/// A clean draft lints clean and the CLI exits 0. (Each kind of problem, and
/// exit 1, is a case of tests/data/rubric-mutations.toml: suite/mutations.rs.)
#[test]
fn a_clean_draft_lints_clean() {
    assert!(
        ocop::reform::lint::lint(Path::new("examples/drafts/band-75"))
            .unwrap()
            .problems
            .is_empty()
    );
    let status = |dir: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ocop"))
            .args(["lint", dir])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(status("examples/drafts/band-75"), Some(0));
}

/// A draft of 26/2026 with one option re-pointed: criterion 1.1 of the
/// fresh-produce sheet, option 2 ("50% đến dưới 75%"), from 2 points to 1.
fn repointed_draft() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ocop-repointed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sheets")).unwrap();
    let edition = std::fs::read_to_string("examples/drafts/band-75/edition.toml")
        .unwrap()
        .replace("id = \"26-2026-band-75\"", "id = \"26-2026-repointed\"")
        .replace("stars = 4\nfrom = 75", "stars = 4\nfrom = 70")
        .replace("đạt từ 75 đến dưới 90", "đạt từ 70 đến dưới 90")
        .replace("đạt từ 50 đến dưới 75", "đạt từ 50 đến dưới 70");
    std::fs::write(dir.join("edition.toml"), edition).unwrap();
    let name = "sheets/01-rau-cu-qua-hat-tuoi.toml";
    let sheet = std::fs::read_to_string(Path::new("criteria/26-2026").join(name)).unwrap();
    let changed = sheet.replacen(
        "{ points = 2, text = \"Sản phẩm được trồng trên địa bàn cấp xã từ 50% đến dưới 75%\" }",
        "{ points = 1, text = \"Sản phẩm được trồng trên địa bàn cấp xã từ 50% đến dưới 75%\" }",
        1,
    );
    assert_ne!(changed, sheet);
    std::fs::write(dir.join(name), changed).unwrap();
    dir
}

#[test]
fn diff_names_exactly_the_repointed_option() {
    let dir = repointed_draft();
    let draft = ocop::rubric::load_dir(&dir).unwrap();
    let diff = ocop::reform::diff::diff(ocop::edition("26-2026").unwrap(), &draft);
    assert!(
        diff.bands.is_empty() && diff.sheets_added.is_empty() && diff.sheets_removed.is_empty()
    );
    assert_eq!(diff.sheets.len(), 1);
    let sheet = &diff.sheets[0];
    assert_eq!(sheet.sheet, "rau-cu-qua-hat-tuoi");
    assert!(
        sheet.criteria_added.is_empty()
            && sheet.criteria_removed.is_empty()
            && sheet.maxima.is_empty()
    );
    assert_eq!(sheet.criteria.len(), 1);
    let c = &sheet.criteria[0];
    assert_eq!((c.from_id.as_str(), c.matched_by.as_str()), ("1.1", "id"));
    assert_eq!(c.options_repointed.len(), 1);
    let (number, _, from, to) = &c.options_repointed[0];
    assert_eq!(
        (*number, from.to_string(), to.to_string()),
        (2, "2".into(), "1".into())
    );
    assert!(c.options_added.is_empty() && c.options_removed.is_empty() && c.marks_moved.is_empty());
    // The text view lives with the command line (`ocop diff`).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ocop"))
        .args(["diff", "26-2026"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "option 2 \"Sản phẩm được trồng trên địa bàn cấp xã từ 50% đến dưới 75%\": 2 → 1 points"
    ));
}

#[test]
fn impact_moves_exactly_the_dossiers_that_chose_it_across_a_band_edge() {
    let dir = repointed_draft();
    let draft = ocop::rubric::load_dir(&dir).unwrap();
    let baseline = ocop::edition("26-2026").unwrap();
    let corpus: Vec<ocop::Dossier> = super::corpus::generate(baseline, 26 * 6000, 5)
        .filter(|d| d.sheet == "rau-cu-qua-hat-tuoi")
        .collect();
    let mut run = ImpactRun::new(baseline, &draft, None, Default::default());
    let mut expected = Vec::new();
    for (i, dossier) in corpus.iter().enumerate() {
        run.add_dossier(i + 1, dossier);
        let a = ocop::assess(dossier).unwrap();
        // It chose the re-pointed option, sits on a band edge, and its rank is its band's.
        let edge = [30, 50, 70, 90].iter().any(|e| a.total == (*e).into());
        if dossier.answers().unwrap()["1.1"] == 2.into() && edge && a.stars == a.band_stars {
            expected.push(i + 1);
        }
    }
    let impact = run.finish();
    assert_eq!((impact.read, impact.scored), (corpus.len(), corpus.len()));
    let moved: Vec<usize> = impact.changed.iter().map(|c| c.line).collect();
    assert!(
        expected.len() >= 3,
        "the corpus has dossiers on a band edge: {}",
        expected.len()
    );
    assert_eq!(moved, expected);
    for change in &impact.changed {
        assert_eq!(
            change.reform.0,
            change.baseline.0 - rust_decimal::Decimal::ONE
        );
        assert!(
            change
                .causes
                .iter()
                .any(|c| c == "criterion 1.1: 2 → 1 points"),
            "{:?}",
            change.causes
        );
    }
    // Totals change by -1 exactly for those that chose option 2, 0 for the rest.
    let chose = corpus
        .iter()
        .filter(|d| d.answers().unwrap()["1.1"] == 2.into())
        .count();
    let count =
        |delta: rust_decimal::Decimal| impact.total_changes.get(&delta).copied().unwrap_or(0);
    assert_eq!(count(rust_decimal::Decimal::NEGATIVE_ONE), chose);
    assert_eq!(count(rust_decimal::Decimal::ZERO), corpus.len() - chose);
}

#[test]
fn impact_counts_and_lists_what_cannot_be_scored() {
    let baseline = ocop::edition("1048-2019").unwrap();
    let reform = ocop::edition("26-2026").unwrap();
    let lines = [
        // A 1048 dossier: its ids do not all exist in 26/2026 without a crosswalk.
        serde_json::to_string(&super::corpus::generate(baseline, 1, 3).next().unwrap()).unwrap(),
        "not json".to_string(),
        String::new(),
        r#"{"sheet":"no-such-sheet","answers":{}}"#.to_string(),
    ];
    let impact = ocop::reform::impact::run_jsonl(
        baseline,
        reform,
        None,
        Default::default(),
        lines.join("\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(impact.read, 4);
    assert_eq!(impact.scored, 0);
    assert_eq!(impact.not_scorable.len(), 4);
    let total: usize = impact.matrix.iter().flatten().sum();
    assert_eq!(total, 4, "every dossier is in the matrix");
    assert!(
        impact.not_scorable[0].reason.starts_with("reform 26-2026:"),
        "{:?}",
        impact.not_scorable[0]
    );

    // A crosswalk can drop answers and give defaults: here the same edition with
    // 1.1's answer dropped and given the default option 3.
    let crosswalk =
        Crosswalk::from_json(r#"{"criteria":{"1.1":null},"defaults":{"1.1":3}}"#).unwrap();
    let dossier = super::corpus::generate(reform, 1, 9).next().unwrap();
    let mut run = ImpactRun::new(reform, reform, Some(crosswalk), Default::default());
    run.add_dossier(1, &dossier);
    let impact = run.finish();
    assert_eq!(impact.scored, 1);
    assert!(Crosswalk::from_json(r#"{"criterias":{}}"#).is_err());
}
