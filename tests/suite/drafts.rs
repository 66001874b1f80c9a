//! Reading draft edition folders: only regular files, each of bounded size;
//! anything that is not a sheet file in `sheets/` is reported; `extends`
//! follows every level of base editions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use ocop::Error;

/// A fresh, empty folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ocop-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sheets")).unwrap();
    dir
}

/// A clean draft: band-75 (extends 26-2026, no sheets of its own).
fn draft(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::copy(
        "examples/drafts/band-75/edition.toml",
        dir.join("edition.toml"),
    )
    .unwrap();
    assert!(ocop::rubric::load_dir(&dir).is_ok());
    dir
}

/// Loads a draft on another thread, so a reader that blocks (a FIFO) or never
/// ends (`/dev/zero`) fails the test instead of hanging it.
fn load(dir: &Path) -> Result<ocop::Edition, Error> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = send.send(ocop::rubric::load_dir(&dir));
    });
    receive
        .recv_timeout(Duration::from_secs(20))
        .expect("load_dir did not return: it is reading a FIFO or device")
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn non_regular_files_are_refused_by_path() {
    // A symlink to /dev/zero as a sheet, and as the edition file.
    let dir = draft("zero");
    let zero = dir.join("sheets/23-hoa.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let err = load(&dir).unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(err.to_string().contains("23-hoa.toml"), "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    std::fs::remove_file(&zero).unwrap();
    std::fs::remove_file(dir.join("edition.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("edition.toml")).unwrap();
    let err = load(&dir).unwrap_err();
    assert!(
        err.to_string().contains("edition.toml: not a regular file"),
        "{err}"
    );

    // A FIFO as a sheet, and as the edition file: refused, never opened.
    let dir = draft("fifo");
    mkfifo(&dir.join("sheets/23-hoa.toml"));
    let err = load(&dir).unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(
        err.to_string().contains("23-hoa.toml: not a regular file"),
        "{err}"
    );
    let dir = temp_dir("fifo-edition");
    mkfifo(&dir.join("edition.toml"));
    let err = load(&dir).unwrap_err();
    assert!(
        err.to_string().contains("edition.toml: not a regular file"),
        "{err}"
    );

    // A folder named like a sheet file is not a sheet either.
    let dir = draft("folder-toml");
    std::fs::create_dir(dir.join("sheets/23-hoa.toml")).unwrap();
    let err = load(&dir).unwrap_err();
    assert!(err.to_string().contains("23-hoa.toml"), "{err}");
}

#[test]
fn a_file_over_4_mib_is_too_large() {
    let dir = draft("big");
    let limit = ocop::rubric::compile::MAX_RUBRIC_FILE;
    assert_eq!(limit, 4 << 20);
    let big = dir.join("sheets/23-hoa.toml");
    std::fs::write(&big, vec![b'#'; usize::try_from(limit).unwrap() + 1]).unwrap();
    let err = load(&dir).unwrap_err();
    assert_eq!(err.code(), "too-large");
    assert!(err.to_string().contains("23-hoa.toml"), "{err}");
    // At the limit, the file is read (and here fails as a sheet, not as a size).
    std::fs::write(&big, vec![b'#'; usize::try_from(limit).unwrap()]).unwrap();
    assert_eq!(load(&dir).unwrap_err().code(), "invalid-rubric");
}

/// The problems of a draft, as (file, message).
fn problems(dir: &Path) -> Vec<(String, String)> {
    let lint = ocop::reform::lint::lint(dir).unwrap();
    lint.problems
        .into_iter()
        .map(|p| (p.file, p.message))
        .collect()
}

#[test]
fn stray_entries_in_sheets_are_problems() {
    let dir = draft("stray");
    let hoa = std::fs::read_to_string("criteria/26-2026/sheets/23-hoa.toml").unwrap();
    std::fs::write(dir.join("sheets/23-hoa.TOML"), &hoa).unwrap();
    std::fs::write(dir.join("sheets/notes.txt"), "x").unwrap();
    std::fs::write(dir.join("sheets/24-cay-canh.toml~"), "x").unwrap();
    std::fs::create_dir(dir.join("sheets/old")).unwrap();
    let found = problems(&dir);
    let files: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "sheets/23-hoa.TOML",
            "sheets/24-cay-canh.toml~",
            "sheets/notes.txt",
            "sheets/old"
        ],
        "{found:?}"
    );
    assert!(found[0].1.contains("lower case"), "{found:?}");
    assert!(found[3].1.contains("a folder"), "{found:?}");
    let err = ocop::rubric::load_dir(&dir).unwrap_err();
    assert_eq!(err.code(), "invalid-rubric");
    assert!(err.to_string().contains("sheets/23-hoa.TOML"), "{err}");

    // `sheets` that is a file, not a folder.
    let dir = draft("sheets-file");
    std::fs::remove_dir(dir.join("sheets")).unwrap();
    std::fs::write(dir.join("sheets"), &hoa).unwrap();
    let found = problems(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "sheets");
    assert!(found[0].1.contains("not a folder"), "{found:?}");
}

/// A draft extending 781-2020 (which extends 1048-2019), with `sheets` of its own.
fn draft_on_781(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let edition = std::fs::read_to_string("criteria/781-2020/edition.toml")
        .unwrap()
        .replacen("id = \"781-2020\"", "id = \"draft-on-781\"", 1)
        .replacen("extends = \"1048-2019\"", "extends = \"781-2020\"", 1);
    std::fs::write(dir.join("edition.toml"), edition).unwrap();
    dir
}

#[test]
fn extends_follows_every_level() {
    let dir = draft_on_781("on-781");
    let draft = ocop::rubric::load_dir(&dir).unwrap();
    let embedded = ocop::edition("781-2020").unwrap();
    let keys =
        |e: &ocop::Edition| -> Vec<String> { e.sheets().map(|s| s.key().to_string()).collect() };
    assert_eq!(draft.sheet_count(), 26);
    assert_eq!(keys(&draft), keys(embedded));
    assert_eq!(draft.gates().len(), embedded.gates().len());

    // The draft's own sheet replaces the farthest base's sheet of that number.
    let sheet = std::fs::read_to_string("criteria/1048-2019/sheets/01-rau-cu-qua-hat-tuoi.toml")
        .unwrap()
        .replacen(
            "title = \"Rau, củ, quả, hạt tươi\"",
            "title = \"Rau tươi (dự thảo)\"",
            1,
        );
    std::fs::write(dir.join("sheets/01-rau-cu-qua-hat-tuoi.toml"), sheet).unwrap();
    let draft = ocop::rubric::load_dir(&dir).unwrap();
    assert_eq!(draft.sheet_count(), 26);
    assert_eq!(
        draft.sheet("rau-cu-qua-hat-tuoi").unwrap().title(),
        "Rau tươi (dự thảo)"
    );
}
