//! Any bytes as a sheet file of a draft edition: it loads or is refused with
//! problems listed, never a panic.
#![no_main]

use ocop::rubric::compile::{SourceFile, compile};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = ocop::edition::embedded_files("26-2026").unwrap_or_default();
    let Some((_, edition)) = files.first() else { return };
    // The fuzzed text replaces one sheet, then the edition file itself.
    let mut sheets: Vec<SourceFile<'_>> =
        files.iter().skip(1).map(|(name, text)| SourceFile { name, text }).collect();
    if let Some(first) = sheets.first_mut() {
        first.text = text;
    }
    if let Ok(edition) = compile("fuzz", SourceFile { name: "edition.toml", text: edition }, &sheets) {
        for sheet in edition.sheets() {
            let _ = sheet.table();
        }
    }
    let _ = compile("fuzz", SourceFile { name: "edition.toml", text }, &[]);
});
