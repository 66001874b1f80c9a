//! Generates a realistic corpus (every sheet of 26/2026, plausible answers) as
//! JSON Lines, then re-scores it with the batch scorer and prints the rate and
//! the rank distribution.
//!
//!     cargo run --release --example bulk -- [COUNT] [OUT.jsonl]
//!
//! Then time the CLI on the same file:
//!
//!     ocop batch --summary --jobs 2 target/corpus.jsonl > /dev/null

#[allow(dead_code)]
#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::Write;
use std::time::Instant;

use ocop::batch::{LineScorer, Outcome};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let path = args
        .next()
        .unwrap_or_else(|| "target/corpus.jsonl".to_string());
    let edition = ocop::edition("26-2026")?;

    let started = Instant::now();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for dossier in corpus::generate(edition, count, 2026) {
        serde_json::to_writer(&mut file, &dossier)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    drop(file);
    println!(
        "wrote {count} dossiers to {path} in {:.2?}",
        started.elapsed()
    );

    let text = std::fs::read_to_string(&path)?;
    let started = Instant::now();
    let mut scorer = LineScorer::new(ocop::assess::Options::default(), true);
    let mut line = String::new();
    let mut ranks = [0usize; 6];
    let mut errors = 0;
    for (i, input) in text.lines().enumerate() {
        line.clear();
        match scorer.score_line(i + 1, input, &mut line) {
            Outcome::Scored(stars) => ranks[usize::from(stars)] += 1,
            Outcome::Failed => errors += 1,
        }
    }
    let elapsed = started.elapsed();
    println!(
        "re-scored {count} dossiers in {elapsed:.2?} ({:.0} per second, one core)",
        count as f64 / elapsed.as_secs_f64()
    );
    for (stars, n) in ranks.iter().enumerate().skip(1) {
        println!("  {stars}★: {n}");
    }
    println!("  errors: {errors}");
    Ok(())
}
