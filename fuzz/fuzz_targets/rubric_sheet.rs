//! Any bytes as the only sheet of a draft edition (fast: one sheet per run).
#![no_main]

use ocop::rubric::compile::{SourceFile, compile};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = ocop::edition::embedded_files("26-2026").unwrap_or_default();
    let Some((_, edition)) = files.first() else { return };
    let sheet = [SourceFile { name: "sheets/23-hoa.toml", text }];
    if let Ok(edition) = compile("fuzz", SourceFile { name: "edition.toml", text: edition }, &sheet) {
        // Every sheet that compiles can be scored: best options, boxes all ticked.
        for sheet in edition.sheets() {
            let mut dossier = ocop::Dossier::new(sheet.key());
            for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
                let count = criterion.options().len() as u16;
                dossier = if criterion.is_cumulative() {
                    dossier.tick(criterion.id(), &(1..=count).collect::<Vec<_>>())
                } else {
                    dossier.answer(criterion.id(), count)
                };
            }
            let _ = edition.assess(&dossier);
        }
    }
});
