//! Any bytes as a dossier: parse, score, advise, report. Never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(dossier) = ocop::Dossier::from_slice(data) {
        if let Ok(assessment) = ocop::assess(&dossier) {
            let _ = ocop::report::assessment_html(&assessment);
            if let Ok(value) = serde_json::to_value(&assessment) {
                let _ = ocop::verify::verify(&value);
            }
        }
        let _ = ocop::advise::advise(&dossier);
    }
});
