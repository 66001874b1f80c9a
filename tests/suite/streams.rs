//! The CLI against hostile surroundings: full output streams, out-of-range
//! arguments, and input that would write control characters to a terminal.

use std::fs::{File, OpenOptions};
use std::process::{Command, Output, Stdio};

use super::cli::ocop_bytes;

fn dev_full() -> File {
    OpenOptions::new().write(true).open("/dev/full").unwrap()
}

fn ocop() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocop"));
    command.stdin(Stdio::null());
    command
}

#[test]
fn a_full_stderr_is_exit_1_not_a_panic() {
    let out = ocop()
        .args(["score", "nope.json"])
        .stdout(Stdio::piped())
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "101 is a panic");
    assert!(out.stdout.is_empty());

    // A verdict (lint's problems) goes to stderr too.
    let broken = super::mutations::mutated(&["duplicate-id"]);
    let out = ocop()
        .arg("lint")
        .arg(&broken)
        .stdout(Stdio::null())
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_full_stdout_is_an_io_error() {
    for args in [
        &["editions"][..],
        &["score", "--format", "json", "examples/dossier.json"],
        &["schema", "dossier"],
    ] {
        let out = ocop()
            .args(args)
            .stdout(dev_full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error[io]: cannot write standard output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let batch = ocop()
        .args(["batch", "--summary", "-"])
        .stdin(File::open("examples/dossier.json").unwrap())
        .stdout(dev_full())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(batch.status.code(), Some(1));
    // Both streams full: still exit 1, no panic.
    let both = ocop()
        .args(["editions"])
        .stdout(dev_full())
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(1));
}

fn code(args: &[&str]) -> Option<i32> {
    ocop_bytes(args, Some(b"")).status.code()
}

#[test]
fn jobs_are_capped_at_four_per_core() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let cap = (cores * 4).to_string();
    let over = (cores * 4 + 1).to_string();
    assert_eq!(code(&["batch", "--jobs", "1"]), Some(0));
    assert_eq!(code(&["batch", "--jobs", &cap]), Some(0));
    assert_eq!(code(&["batch", "--jobs", &over]), Some(2));
    assert_eq!(code(&["batch", "--jobs", "5000"]), Some(2));
    assert_eq!(code(&["batch", "--jobs", "0"]), Some(2));
    assert_eq!(code(&["batch", "--jobs", "-1"]), Some(2));
    let out = ocop_bytes(&["batch", "--jobs", "5000"], Some(b""));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("at most {cap} threads")),
        "{stderr}"
    );
}

#[test]
fn spread_limit_is_zero_or_more() {
    let council = "examples/council.json";
    assert_eq!(code(&["score", "--spread-limit", "-1", council]), Some(2));
    assert_eq!(
        code(&["score", "--spread-limit", "-0.01", council]),
        Some(2)
    );
    assert_eq!(code(&["score", "--spread-limit", "ten", council]), Some(2));
    assert_eq!(code(&["batch", "--spread-limit", "-5"]), Some(2));
    assert_eq!(code(&["score", "--spread-limit", "0", council]), Some(0));
    assert_eq!(code(&["score", "--spread-limit", "12.5", council]), Some(0));
    assert_eq!(code(&["batch", "--spread-limit", "0"]), Some(0));
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn a_crafted_key_gives_one_error_line_with_its_controls_escaped() {
    for answer in ["1", "\"x\""] {
        let dossier = format!(
            r#"{{"edition":"26-2026","sheet":"hoa","answers":{{"1.1\n error[x]: fake \u001b[31mred\u202e":{answer}}}}}"#
        );
        let out = ocop_bytes(&["score", "-"], Some(dossier.as_bytes()));
        assert_eq!(out.status.code(), Some(1));
        let stderr = stderr_of(&out);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.ends_with('\n'));
        assert!(stderr.starts_with("error["), "{stderr}");
        assert_eq!(stderr.matches("error[").count(), 2, "{stderr}");
        assert!(stderr.contains("n error[x]: fake "), "{stderr}");
        assert!(stderr.contains("u{1b}[31mred"), "{stderr}");
        assert!(stderr.contains("u{202e}"), "{stderr}");
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
            "{stderr}"
        );
    }
}

#[test]
fn the_cli_escapes_what_the_library_does_not_echo() {
    // A file name is not a value the library cuts and escapes: the CLI does.
    let out = ocop_bytes(
        &["score", "no\u{1b}]0;title\u{7}\nerror[x]: such.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no\\u{1b}]0;title\\u{7}\\nerror[x]"),
        "{stderr}"
    );
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr}"
    );
}

#[test]
fn library_errors_escape_echoed_values() {
    let err = ocop::edition("26-2026")
        .unwrap()
        .sheet("hoa\u{202e}\u{85}\u{7f}\u{2066}")
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("hoa\\u{202e}\\u{85}\\u{7f}\\u{2066}"),
        "{message}"
    );
    assert!(
        !message.chars().any(ocop::error::is_unsafe_char),
        "{message}"
    );
    // Cut values are escaped too.
    let long = format!("{}\u{1b}yy", "x".repeat(79));
    let message = ocop::edition(&long).unwrap_err().to_string();
    assert!(message.contains("x\\u{1b}… (82 bytes)"), "{message}");
}
