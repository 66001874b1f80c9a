//! Bulk-scoring benchmarks and the floor they are measured against. Each
//! scenario asserts its result; CI runs them with `cargo bench -- --test`.
//! BENCHMARKS.md records the figures and how to read them.

#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ocop::batch::{Input, LineScorer, Outcome};

const SHEET: &str = "rau-cu-qua-hat-tuoi";
/// Records per chunk, as `ocop batch --summary` reads them.
const CHUNK: usize = 16384;

/// A deliberately minimal scorer for one sheet: plain arrays of integer tenths,
/// no validation, no explanation. The floor the real scorers are compared with.
struct Floor {
    points: Vec<[u16; 8]>,
    marks: Vec<(usize, u8, u16)>,
    edges: [u16; 5],
}

impl Floor {
    fn new() -> Floor {
        let edition = ocop::edition("26-2026").unwrap();
        let sheet = edition.sheet(SHEET).unwrap();
        let tenths =
            |d: rust_decimal::Decimal| u16::try_from(d * rust_decimal::Decimal::TEN).unwrap();
        let leaves: Vec<_> = sheet.criteria().filter(|c| c.is_leaf()).collect();
        let mut points = Vec::new();
        let mut marks = Vec::new();
        for (i, leaf) in leaves.iter().enumerate() {
            let mut row = [0u16; 8];
            for option in leaf.options() {
                row[usize::from(option.number())] = tenths(option.points());
            }
            points.push(row);
            for mark in leaf.marks() {
                marks.push((i, mark.stars(), tenths(mark.points())));
            }
        }
        let edges = [0, 300, 500, 700, 900];
        Floor {
            points,
            marks,
            edges,
        }
    }

    fn score(&self, answers: &[u8]) -> (u16, u8) {
        let mut total = 0u16;
        for (row, &a) in self.points.iter().zip(answers) {
            total += row[usize::from(a)];
        }
        let mut stars = self.edges.iter().rposition(|&e| total >= e).unwrap() as u8 + 1;
        for &(leaf, mark, need) in &self.marks {
            if self.points[leaf][usize::from(answers[leaf])] < need && mark <= stars {
                stars = stars.min(mark - 1);
            }
        }
        (total, stars)
    }
}

fn corpus_lines(count: usize) -> Vec<String> {
    let edition = ocop::edition("26-2026").unwrap();
    corpus::generate(edition, count, 2026)
        .map(|d| serde_json::to_string(&d).unwrap())
        .collect()
}

fn assess(c: &mut Criterion) {
    let edition = ocop::edition("26-2026").unwrap();
    let sheet = edition.sheet(SHEET).unwrap();
    // One plausible dossier, pre-parsed: 67 points, 3★ (examples/dossier.json).
    let text = std::fs::read_to_string("examples/dossier.json").unwrap();
    let dossier = ocop::Dossier::from_json(&text).unwrap();
    let answers = dossier.answers().unwrap();
    let small: Vec<u8> = sheet
        .leaf_ids()
        .iter()
        .map(|id| match answers[id.as_str()] {
            ocop::dossier::Answer::Option(option) => option as u8,
            ocop::dossier::Answer::Boxes(_) => 0,
        })
        .collect();
    let floor = Floor::new();
    assert_eq!(floor.score(&small), (670, 3));

    let mut group = c.benchmark_group("assess");
    group.bench_function("floor", |b| b.iter(|| floor.score(black_box(&small))));
    // The kernel through the summary line: read, checked, scored, written.
    let line = serde_json::to_string(&dossier).unwrap();
    let mut scorer = LineScorer::new(Default::default(), true);
    let mut out = String::with_capacity(256);
    group.bench_function("summary-line", |b| {
        b.iter(|| {
            out.clear();
            let outcome = scorer.score_line(1, black_box(&line), &mut out);
            debug_assert_eq!(outcome, Outcome::Scored(3));
            outcome
        })
    });
    group.bench_function("assessment", |b| {
        b.iter(|| {
            let assessment = edition.assess(black_box(&dossier)).unwrap();
            debug_assert_eq!(assessment.stars, 3);
            assessment
        })
    });
    group.finish();
    let assessment = edition.assess(&dossier).unwrap();
    assert_eq!(
        (
            assessment.total.to_string().as_str(),
            assessment.stars.get()
        ),
        ("67", 3)
    );
}

fn batch(c: &mut Criterion) {
    let count = if std::env::args().any(|a| a == "--test") {
        2_000
    } else {
        100_000
    };
    let lines = corpus_lines(count);
    let inputs: Vec<Input> = lines.iter().cloned().map(Input::Line).collect();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();

    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(count as u64));
    // The floor of reading: serde_json skipping every value of every line.
    group.bench_function("parse-only", |b| {
        b.iter(|| {
            let parsed = lines
                .iter()
                .filter(|l| serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok())
                .count();
            assert_eq!(parsed, count);
        })
    });
    let options = ocop::assess::Options::default();
    // Full lines are written from per-sheet fragments, not by serde over the
    // assessment: they must be serde's bytes (tests/suite/assessment_json.rs
    // checks every sheet; this checks the corpus measured).
    let mut scorer = LineScorer::new(options, false);
    for line in lines.iter().take(104) {
        let mut out = String::new();
        assert_ne!(scorer.score_line(1, line, &mut out), Outcome::Failed);
        let dossier = ocop::Dossier::from_json(line).unwrap();
        let assessment = ocop::assess_with(&dossier, options).unwrap();
        assert_eq!(out, serde_json::to_string(&assessment).unwrap());
    }
    // One thread, line by line: summary lines, then full assessments (the
    // parts, sections and criteria lines from the sheets' fragments).
    for (name, summary) in [("jsonl", true), ("jsonl-full", false)] {
        group.bench_function(name, |b| {
            let mut scorer = LineScorer::new(options, summary);
            let mut out = String::with_capacity(16 << 10);
            b.iter(|| {
                let mut scored = 0;
                for (i, line) in lines.iter().enumerate() {
                    out.clear();
                    if scorer.score_line(i + 1, line, &mut out) != Outcome::Failed {
                        scored += 1;
                    }
                }
                assert_eq!(scored, count);
            })
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    group.bench_function("jsonl-jobs-1", |b| {
        let mut scorer = LineScorer::new(options, true);
        let mut text = String::with_capacity(CHUNK * 256);
        let mut outcomes = Vec::with_capacity(CHUNK);
        b.iter(|| {
            let mut scored = 0;
            for (n, chunk) in inputs.chunks(CHUNK).enumerate() {
                text.clear();
                outcomes.clear();
                ocop::batch::score_chunk(
                    &mut scorer,
                    chunk,
                    n * CHUNK + 1,
                    &mut text,
                    &mut outcomes,
                );
                scored += outcomes.iter().filter(|o| **o != Outcome::Failed).count();
            }
            assert_eq!(scored, count);
        })
    });
    group.bench_function("jsonl-jobs-2", |b| {
        b.iter(|| {
            let mut scored = 0;
            for (n, chunk) in inputs.chunks(CHUNK).enumerate() {
                let pieces = pool.install(|| {
                    ocop::batch::score_chunk_parallel(options, true, chunk, n * CHUNK + 1)
                });
                for piece in &pieces {
                    scored += piece
                        .outcomes
                        .iter()
                        .filter(|o| **o != Outcome::Failed)
                        .count();
                }
            }
            assert_eq!(scored, count);
        })
    });
    // A reform re-scored against its baseline: every line parsed once, scored twice.
    let reform = ocop::rubric::load_dir(std::path::Path::new("examples/drafts/band-75")).unwrap();
    let baseline = ocop::edition("26-2026").unwrap();
    let joined = lines.join("\n");
    group.bench_function("impact", |b| {
        b.iter(|| {
            let impact = ocop::reform::impact::run_jsonl(
                baseline,
                &reform,
                None,
                options,
                black_box(joined.as_bytes()),
            )
            .unwrap();
            assert_eq!(impact.scored, count);
            impact
        })
    });
    group.finish();
    eprintln!("batch corpus: {count} lines, {bytes} bytes");
}

criterion_group!(benches, assess, batch);
criterion_main!(benches);
