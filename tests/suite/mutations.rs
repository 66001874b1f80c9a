//! The rubric-mutation catalogue, tests/data/rubric-mutations.toml: one
//! one-line edit of an embedded edition folder per case, and the problem it
//! gets from the library (`rubric::load_dir`), from `reform::lint`, from
//! `ocop lint` and from `ocop score --rubric`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

const CATALOGUE: &str = "tests/data/rubric-mutations.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Case {
    name: String,
    file: String,
    replace: String,
    with: String,
    code: String,
    message: String,
    #[serde(default)]
    also: Vec<String>,
    line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    case: Vec<Case>,
}

fn catalogue() -> Vec<Case> {
    let text = std::fs::read_to_string(CATALOGUE).unwrap();
    let cases = toml::from_str::<Catalogue>(&text)
        .unwrap_or_else(|e| panic!("{CATALOGUE}: {e}"))
        .case;
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "{CATALOGUE}: a name used twice");
    cases
}

impl Case {
    /// The edition folder (`criteria/26-2026`) and the file's path inside it
    /// (`sheets/23-hoa.toml`).
    fn split(&self) -> (PathBuf, &str) {
        let rest = self
            .file
            .strip_prefix("criteria/")
            .unwrap_or_else(|| panic!("{}: file is not under criteria/", self.name));
        let (edition, inner) = rest
            .split_once('/')
            .unwrap_or_else(|| panic!("{}: file names no file in a folder", self.name));
        (Path::new("criteria").join(edition), inner)
    }

    /// Edits the copy in `dir`: `replace` must occur exactly once.
    fn apply(&self, dir: &Path) {
        let (_, inner) = self.split();
        let path = dir.join(inner);
        let text = std::fs::read_to_string(&path).unwrap();
        let found = text.matches(self.replace.as_str()).count();
        assert_eq!(
            found, 1,
            "case {}: `replace` occurs {found} times in {}, not once",
            self.name, self.file
        );
        std::fs::write(&path, text.replacen(&self.replace, &self.with, 1)).unwrap();
    }

    /// The problem among `problems` that this case expects, checked.
    fn check(&self, problems: &[(String, Option<usize>, String)], via: &str) {
        let (_, inner) = self.split();
        let problem = problems
            .iter()
            .find(|(file, _, message)| {
                file == inner
                    && message.contains(&self.message)
                    && self.also.iter().all(|a| message.contains(a.as_str()))
            })
            .unwrap_or_else(|| {
                panic!(
                    "case {} ({via}): no problem in {inner} saying {:?} (and {:?}); got {problems:#?}",
                    self.name, self.message, self.also
                )
            });
        assert_eq!(problem.1, self.line, "case {} ({via}): line", self.name);
    }
}

/// A fresh, empty folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ocop-mutation-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `edition` (`criteria/26-2026`) in a fresh temporary folder.
fn copy_edition(edition: &Path, name: &str) -> PathBuf {
    let dir = temp_dir(name);
    copy_folder(edition, &dir);
    dir
}

/// A copy of one edition folder with the edits of the named cases applied
/// (all on the same edition): a broken draft for other tests.
pub(super) fn mutated(names: &[&str]) -> PathBuf {
    let all = catalogue();
    let cases: Vec<&Case> = names
        .iter()
        .map(|n| {
            all.iter()
                .find(|c| c.name == *n)
                .unwrap_or_else(|| panic!("no case {n} in {CATALOGUE}"))
        })
        .collect();
    let edition = cases[0].split().0;
    assert!(cases.iter().all(|c| c.split().0 == edition));
    let dir = copy_edition(&edition, &names.join("+"));
    for case in &cases {
        case.apply(&dir);
    }
    dir
}

fn load_problems(dir: &Path) -> (String, Vec<(String, Option<usize>, String)>) {
    match ocop::rubric::load_dir(dir) {
        Ok(edition) => panic!("{}: loads as edition {}", dir.display(), edition.id()),
        Err(err) => {
            let problems = match &err {
                ocop::Error::Rubric { problems, .. } => problems
                    .iter()
                    .map(|p| (p.file.clone(), p.line, p.message.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            (err.code().to_string(), problems)
        }
    }
}

fn lint_problems(dir: &Path) -> Vec<(String, Option<usize>, String)> {
    ocop::reform::lint::lint(dir)
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.file, p.line, p.message))
        .collect()
}

fn ocop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ocop"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn unedited_copies_load_with_the_embedded_hash() {
    let mut editions: Vec<PathBuf> = catalogue().iter().map(|c| c.split().0).collect();
    editions.sort();
    editions.dedup();
    for edition in editions {
        let id = edition.file_name().unwrap().to_str().unwrap();
        let dir = copy_edition(&edition, &format!("copy-{id}"));
        let draft = ocop::rubric::load_dir(&dir).unwrap();
        assert_eq!(draft.hash(), ocop::edition(id).unwrap().hash(), "{id}");
        assert!(lint_problems(&dir).is_empty(), "{id}");
    }
}

#[test]
fn every_mutation_gets_its_problem() {
    let cases = catalogue();
    assert!(cases.len() >= 19, "{} cases", cases.len());
    for case in &cases {
        let dir = mutated(&[case.name.as_str()]);
        let (inner_file, line) = (case.split().1, case.line);

        // The library.
        let (code, problems) = load_problems(&dir);
        assert_eq!(code, case.code, "case {}: load_dir", case.name);
        case.check(&problems, "load_dir");
        case.check(&lint_problems(&dir), "lint");

        // `ocop lint DIR`: exit 1, the problem on stdout as FILE:LINE: MESSAGE.
        let dir_text = dir.to_str().unwrap();
        let out = ocop(&["lint", dir_text]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {}: {stderr}", case.name);
        assert!(
            stderr.contains(&format!("error[{}]", case.code)),
            "case {}: {stderr}",
            case.name
        );
        let located = match line {
            Some(line) => format!("{dir_text}/{inner_file}:{line}: "),
            None => format!("{dir_text}/{inner_file}: "),
        };
        assert!(
            stdout.lines().any(|l| l.starts_with(&located)
                && l.contains(&case.message)
                && case.also.iter().all(|a| l.contains(a.as_str()))),
            "case {}: no line `{located}…{}` in\n{stdout}",
            case.name,
            case.message
        );

        // `ocop score --rubric DIR`: the draft is refused with its code.
        let out = ocop(&["score", "--rubric", dir_text, "examples/dossier.json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {}: {stderr}", case.name);
        assert!(
            stderr.starts_with(&format!("error[{}]: ", case.code)),
            "case {}: {stderr}",
            case.name
        );
        assert!(out.stdout.is_empty(), "case {}", case.name);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Several mutations at once: every problem is reported, not only the first.
#[test]
fn every_problem_is_reported_at_once() {
    let names = [
        "option-above-max",
        "duplicate-id-in-another-section",
        "bands-overlap",
        "star-mark-7",
    ];
    let dir = mutated(&names);
    let (code, problems) = load_problems(&dir);
    assert_eq!(code, "invalid-rubric");
    let lint = lint_problems(&dir);
    for case in catalogue()
        .iter()
        .filter(|c| names.contains(&c.name.as_str()))
    {
        case.check(&problems, "load_dir, all at once");
        case.check(&lint, "lint, all at once");
    }
}

/// Prints each case's problems (`cargo test mutations::show -- --ignored --nocapture`),
/// to fill in a new case's `message` and `line`.
#[test]
#[ignore = "a helper for writing cases, not a check"]
fn show() {
    for case in catalogue() {
        let dir = mutated(&[case.name.as_str()]);
        println!("{}: {:#?}", case.name, load_problems(&dir));
    }
}
