//! Any bytes as a batch input: every line yields exactly one output line.
#![no_main]

use ocop::batch::{LineScorer, read_input};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut reader = std::io::BufReader::new(data);
    let mut buf = Vec::new();
    let mut summary = LineScorer::new(ocop::assess::Options::default(), true);
    let mut full = LineScorer::new(ocop::assess::Options::default(), false);
    let mut number = 0;
    while let Ok(Some(input)) = read_input(&mut reader, &mut buf) {
        number += 1;
        for scorer in [&mut summary, &mut full] {
            let mut out = String::new();
            scorer.score_input(number, &input, &mut out);
            assert!(!out.is_empty() && !out.contains('\n'), "one line per record");
            let value: serde_json::Value = serde_json::from_str(&out).expect("output is JSON");
            assert!(value.get("line").is_none() || value["line"] == number);
        }
    }
});
