//! A rubric reform measured before it is signed: the draft in
//! `examples/drafts/band-75` raises the 4★ band from 70 to 75 points. This
//! prints the structural diff, then re-scores a generated corpus (every sheet,
//! plausible answers) under both editions and prints the impact.
//!
//!     cargo run --release --example reform -- [COUNT]

#[allow(dead_code)]
#[path = "../benches/support/corpus.rs"]
mod corpus;
// The text views live with the command line; the example prints the same text.
#[allow(dead_code)]
#[path = "../src/bin/ocop/text.rs"]
mod text;

use ocop::reform::impact::ImpactRun;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(26_000);
    let baseline = ocop::edition("26-2026")?;
    let reform = ocop::rubric::load_dir(std::path::Path::new("examples/drafts/band-75"))?;

    print!(
        "{}",
        text::diff(&ocop::reform::diff::diff(baseline, &reform))
    );
    println!();

    let started = std::time::Instant::now();
    let mut run = ImpactRun::new(baseline, &reform, None, ocop::assess::Options::default());
    for (line, dossier) in corpus::generate(baseline, count, 75).enumerate() {
        run.add_dossier(line + 1, &dossier);
    }
    let impact = run.finish();
    let elapsed = started.elapsed();
    let text = text::impact(&impact);
    // The per-product list is long; show the summary and the first few changes.
    for line in text.lines().take(50) {
        println!("{line}");
    }
    println!("\n({count} dossiers scored under both editions in {elapsed:.2?})");
    Ok(())
}
