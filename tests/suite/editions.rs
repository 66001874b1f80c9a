//! Every embedded edition loads, validates and matches the folders under criteria/.

use std::path::Path;

#[test]
fn every_embedded_edition_validates() {
    for entry in std::fs::read_dir("criteria").unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().to_string();
        if !entry.path().join("sheets").is_dir() {
            // An edition without sheet files of its own: metadata only (148-2023), or
            // extending another (781-2020). It loads from the folder with the same hash.
            let edition = ocop::edition(&id).unwrap_or_else(|err| panic!("edition {id}: {err}"));
            let on_disk = ocop::rubric::load_dir(&entry.path()).unwrap();
            assert_eq!(on_disk.hash(), edition.hash());
            assert_eq!(on_disk.sheet_count(), edition.sheet_count());
            continue;
        }
        let edition = ocop::edition(&id).unwrap_or_else(|err| panic!("edition {id}: {err}"));
        assert_eq!(edition.id(), id);
        // The embedded table lists exactly the files on disk.
        let on_disk = ocop::rubric::load_dir(&entry.path()).unwrap();
        assert_eq!(
            on_disk.hash(),
            edition.hash(),
            "embedded files of {id} differ from criteria/{id}"
        );
        let mut files: Vec<String> = std::fs::read_dir(entry.path().join("sheets"))
            .unwrap()
            .map(|e| format!("sheets/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        files.sort();
        let embedded: Vec<String> = ocop::edition::embedded_files(&id)
            .unwrap()
            .into_iter()
            .skip(1)
            .map(|(name, _)| name.to_string())
            .collect();
        assert_eq!(files, embedded);
    }
}

#[test]
fn edition_26_2026_has_all_26_sheets_with_reference_keys() {
    let edition = ocop::edition("26-2026").unwrap();
    assert_eq!(edition.sheet_count(), 26);
    assert_eq!(edition.decision(), "26/2026/QĐ-TTg");
    assert_eq!(edition.in_force_from().to_string(), "2026-05-22");
    let keys: Vec<&str> = edition.sheets().map(|s| s.key()).collect();
    assert_eq!(keys[0], "rau-cu-qua-hat-tuoi");
    assert_eq!(keys[22], "hoa");
    assert_eq!(
        keys[25],
        "dich-vu-du-lich-cong-dong-du-lich-sinh-thai-va-diem-du-lich"
    );
    for (number, sheet) in (1..).zip(edition.sheets()) {
        assert_eq!(sheet.number(), number);
        let maxima: Vec<String> = sheet
            .parts()
            .iter()
            .map(|p| format!("{}{}", p.id(), p.max()))
            .collect();
        assert_eq!(maxima, ["A40", "B25", "C35"], "sheet {}", sheet.key());
    }
    // The classification names every sheet exactly once.
    let mut classified: Vec<&str> = edition.classes().iter().map(|c| c.sheet()).collect();
    classified.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(classified, sorted);
}

/// The reference sheet files agree with the embedded data on every option's
/// points and star mark. They are read from the pinned copy in
/// tests/reference (so the test runs on every clone); where
/// ../shared/reference is present, the copy must equal it.
#[test]
fn embedded_sheets_match_the_reference_markdown() {
    let dir = Path::new("tests/reference/26-2026/sheets");
    let shared = Path::new("../shared/reference/26-2026/sheets");
    if shared.is_dir() {
        for entry in std::fs::read_dir(shared).unwrap() {
            let path = entry.unwrap().path();
            let copy = dir.join(path.file_name().unwrap());
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(&copy).unwrap_or_default(),
                "{} differs from {}: copy the reference again",
                copy.display(),
                path.display()
            );
        }
    }
    let edition = ocop::edition("26-2026").unwrap();
    let mut checked = 0;
    for sheet in edition.sheets() {
        let name = format!("{:02}-{}.md", sheet.number(), sheet.key());
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let reference = reference_options(&text);
        for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
            let printed = reference
                .iter()
                .find(|(id, _)| id == criterion.id())
                .map(|(_, options)| options.clone())
                .unwrap_or_else(|| {
                    panic!("{name}: criterion {} not in the reference", criterion.id())
                });
            if printed.is_empty() {
                assert!(criterion.inferred().is_some(), "{name} {}", criterion.id());
                continue;
            }
            assert_eq!(
                printed.len(),
                criterion.options().len(),
                "{name} {}",
                criterion.id()
            );
            for (option, (points, stars)) in criterion.options().iter().zip(&printed) {
                let expected = option
                    .printed()
                    .unwrap_or(&option.points().to_string())
                    .to_string();
                let points = if points == "[blank]" {
                    String::new()
                } else {
                    points.clone()
                };
                assert_eq!(
                    points,
                    expected,
                    "{name} {} option {}",
                    criterion.id(),
                    option.number()
                );
                assert_eq!(
                    *stars,
                    option.min_stars(),
                    "{name} {} option {}",
                    criterion.id(),
                    option.number()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "checked {checked} options");
}

/// Options of a criterion in the reference: (points as printed, star mark).
type PrintedOptions = Vec<(String, Option<u8>)>;

/// (criterion id, options) from a reference sheet file.
fn reference_options(text: &str) -> Vec<(String, PrintedOptions)> {
    let mut out: Vec<(String, PrintedOptions)> = Vec::new();
    for line in text.lines() {
        let heading = line.trim_start_matches('#');
        if heading.len() < line.len() && line.starts_with("###") {
            let id = heading.trim().split(". ").next().unwrap_or("").to_string();
            out.push((id, Vec::new()));
            continue;
        }
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("- ") else {
            continue;
        };
        let Some((points, rest)) = rest.split_once(' ') else {
            continue;
        };
        if !(points == "[blank]" || points.chars().all(|c| c.is_ascii_digit()))
            || !rest.starts_with("pt")
        {
            continue;
        }
        let stars = rest
            .split_once("(min for ")
            .and_then(|(_, s)| s.chars().next())
            .and_then(|c| c.to_digit(10))
            .map(|d| d as u8);
        if let Some(last) = out.last_mut() {
            last.1.push((points.to_string(), stars));
        }
    }
    out
}

/// `criteria/<id>/COMPILED.txt` is the dump of the compiled edition: a data
/// edit shows in review as a diff of that file. Stale, the test names the
/// command that writes it again.
#[test]
fn compiled_dumps_are_up_to_date() {
    let mut stale = Vec::new();
    for edition in ocop::editions() {
        let id = edition.id();
        let path = format!("criteria/{id}/COMPILED.txt");
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        let dump = edition.dump();
        assert_eq!(dump, ocop::rubric::dump(edition));
        if stored != dump {
            let first = stored
                .lines()
                .zip(dump.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| stored.lines().count().min(dump.lines().count()));
            stale.push(format!(
                "{path} is stale (first difference at line {}): regenerate it with\n    cargo run -q -- dump {id} > {path}",
                first + 1
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// Every line of a dump names its edition, and no two lines are the same.
#[test]
fn dump_lines_are_self_describing() {
    for edition in ocop::editions() {
        let dump = edition.dump();
        let mut lines = dump.lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with(&format!("# generated by `ocop dump {}`", edition.id())),
            "{header}"
        );
        let prefix = format!("{} ", edition.id());
        let mut seen = std::collections::BTreeSet::new();
        for line in lines {
            assert!(line.starts_with(&prefix), "{line}");
            assert!(seen.insert(line), "{}: repeated line {line}", edition.id());
        }
    }
}

/// A draft folder holding one edition.toml (and an empty `sheets/`).
fn draft(name: &str, edition: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ocop-editions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sheets")).unwrap();
    std::fs::write(dir.join("edition.toml"), edition).unwrap();
    dir
}

fn problems(dir: &Path) -> Vec<String> {
    match ocop::rubric::load_dir(dir) {
        Ok(_) => Vec::new(),
        Err(ocop::Error::Rubric { problems, .. }) => {
            problems.into_iter().map(|p| p.message).collect()
        }
        Err(other) => vec![other.to_string()],
    }
}

/// 781-2020 gives only what it changes; the rest is 1048-2019's.
#[test]
fn extends_inherits_what_the_edition_does_not_give() {
    let base = ocop::edition("1048-2019").unwrap();
    let amended = ocop::edition("781-2020").unwrap();
    assert_eq!(amended.bands(), base.bands());
    assert_eq!(amended.levels(), base.levels());
    assert_eq!(amended.part_maxima(), base.part_maxima());
    assert_eq!(amended.band_reading(), base.band_reading());
    assert_eq!(
        amended.certificate_term().unwrap(),
        base.certificate_term().unwrap()
    );
    // Groups merge by number: 1–5 are 1048's, 6 is 781's.
    let classes = amended.classes();
    assert_eq!(classes.len(), base.classes().len());
    assert_eq!(classes[..25], base.classes()[..25]);
    assert_eq!(
        classes[25].sheet(),
        "dich-vu-du-lich-cong-dong-va-diem-du-lich"
    );
    // The gap of the replaced sheet 26 is not inherited.
    let gaps = |e: &ocop::Edition| e.sheets().map(|s| s.gaps().len()).sum::<usize>();
    assert_eq!((gaps(base), gaps(amended)), (3, 2));
    // Its own: identity, warnings and 72 gates from five gate groups.
    assert_eq!(amended.decision(), "781/QĐ-TTg");
    assert_eq!(amended.gates().len(), 72);
    let text = std::fs::read_to_string("criteria/781-2020/edition.toml").unwrap();
    assert!(!text.contains("[[bands]]") && !text.contains("\n[[gates]]"));
    assert_eq!(text.lines().filter(|l| *l == "[[gate_groups]]").count(), 5);
}

/// The hash covers the effective definition: 781 written whole (every
/// inherited field restated, gates one by one) has the embedded hash.
#[test]
fn the_hash_does_not_depend_on_how_the_file_is_written() {
    let files = ocop::edition::embedded_files("781-2020").unwrap();
    let own: Vec<_> = files[1..]
        .iter()
        .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
        .collect();
    let sheets = ocop::rubric::compile::with_base(files[0].1, own);
    let edition = ocop::rubric::compile::SourceFile {
        name: "edition.toml",
        text: files[0].1,
    };
    let def = ocop::rubric::compile::definition(edition, &sheets).unwrap();
    assert!(def.gate_groups.is_empty());
    let whole = toml::to_string(&def).unwrap();
    assert!(whole.contains("[[bands]]") && whole.contains("[[gates]]"));
    let dir = draft("whole-781", &whole);
    std::fs::copy(
        "criteria/781-2020/sheets/26-dich-vu-du-lich-cong-dong-va-diem-du-lich.toml",
        dir.join("sheets/26-dich-vu-du-lich-cong-dong-va-diem-du-lich.toml"),
    )
    .unwrap();
    let loaded = ocop::rubric::load_dir(&dir).unwrap();
    let embedded = ocop::edition("781-2020").unwrap();
    assert_eq!(loaded.hash(), embedded.hash());
    assert_eq!(loaded.gates(), embedded.gates());
}

/// A child replaces a list as a whole, or keeps the base's; the fields that
/// name it are its own and must be given.
#[test]
fn a_child_overrides_lists_and_must_name_itself() {
    let head = "id = \"d\"\ntitle = \"t\"\ndecision = \"x\"\nsigned_on = \"2021-01-01\"\nin_force_from = \"2021-01-01\"\nextends = \"781-2020\"\n";
    let clean = ocop::rubric::load_dir(&draft("child", head)).unwrap();
    assert_eq!(clean.gates().len(), 72);
    assert_eq!(clean.extends(), Some("781-2020"));
    // `gates = []` drops the inherited gates; the single-sheet form still reads.
    let no_gates =
        ocop::rubric::load_dir(&draft("no-gates", &format!("{head}gates = []\n"))).unwrap();
    assert!(no_gates.gates().is_empty());
    let one = format!(
        "{head}[[gates]]\nstars = 3\nsheet = \"hoa-not-here\"\ncriterion = \"1.1\"\noption = 1\nrequirement = \"r\"\ncite = \"c\"\n"
    );
    let found = problems(&draft("one-gate", &one));
    assert!(
        found
            .iter()
            .any(|p| p.contains("the edition has no such sheet")),
        "{found:?}"
    );
    // An unknown key and a missing title are reported against the child's file.
    let found = problems(&draft("no-title", &head.replace("title = \"t\"\n", "")));
    assert!(
        found.iter().any(|p| p.contains("missing field `title`")),
        "{found:?}"
    );
    let found = problems(&draft("unknown", &format!("{head}colour = \"red\"\n")));
    assert!(found.iter().any(|p| p.contains("colour")), "{found:?}");
}

/// Printed restatements are checked: a band's printed range, a heading's
/// "(N Điểm)" and title; a listed misprint must occur.
#[test]
fn printed_headings_and_bands_are_checked() {
    let files = ocop::edition::embedded_files("26-2026").unwrap();
    let edition = files[0].1;
    let load = |name: &str, edition: &str, sheet: Option<(&str, String)>| {
        let dir = draft(name, edition);
        for (file, text) in &files[1..] {
            let text = match &sheet {
                Some((which, replaced)) if which == file => replaced.clone(),
                _ => text.to_string(),
            };
            std::fs::write(dir.join(file), text).unwrap();
        }
        problems(&dir)
    };
    assert!(load("clean-26", edition, None).is_empty());
    let found = load(
        "band-26",
        &edition.replacen("từ 50 đến dưới 70 điểm", "từ 50 đến dưới 75 điểm", 1),
        None,
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("band 3★") && p.contains("prints 75")),
        "{found:?}"
    );
    let found = load(
        "bottom-26",
        &edition.replacen("đạt dưới 30 điểm", "đạt dưới 25 điểm", 1),
        None,
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("band 1★") && p.contains("prints 25")),
        "{found:?}"
    );
    let found = load(
        "misprint-26",
        &edition.replacen("printed = 35\n", "printed = 36\n", 1),
        None,
    );
    assert!(found.iter().any(|p| p.contains("(35 Điểm)")), "{found:?}");
    assert!(
        found.iter().any(|p| p.contains("does not occur")),
        "{found:?}"
    );
    let name = "sheets/23-hoa.toml";
    let hoa = files.iter().find(|(n, _)| *n == name).unwrap().1;
    let heading = hoa.lines().find(|l| l.starts_with("heading = ")).unwrap();
    let wrong = heading
        .replacen("Điểm)", "điểm )", 1)
        .replacen("(40", "(41", 1);
    let found = load(
        "heading-26",
        edition,
        Some((name, hoa.replacen(heading, &wrong, 1))),
    );
    assert!(found.iter().any(|p| p.contains("(41 Điểm)")), "{found:?}");
    let untitled = heading
        .replacen("Phần A: ", "Phần A: KHÁC ", 1)
        .replacen("SẢN PHẨM", "", 1);
    let found = load(
        "title-26",
        edition,
        Some((name, hoa.replacen(heading, &untitled, 1))),
    );
    assert!(
        found
            .iter()
            .any(|p| p.contains("does not contain the title")),
        "{found:?}"
    );
}
