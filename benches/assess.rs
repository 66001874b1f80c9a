//! Scoring benchmarks. Each scenario asserts its result, and CI runs
//! `cargo bench -- --test` so they never rot.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ocop::Dossier;

fn dossier(sheet: &str) -> Dossier {
    let edition = ocop::edition("26-2026").unwrap();
    let mut dossier = Dossier::new(sheet).edition("26-2026");
    for criterion in edition
        .sheet(sheet)
        .unwrap()
        .criteria()
        .filter(|c| c.is_leaf())
    {
        dossier = dossier.answer(criterion.id(), criterion.options().len() as u16);
    }
    dossier
}

fn assess(c: &mut Criterion) {
    let edition = ocop::edition("26-2026").unwrap();
    let dossier = dossier("rau-cu-qua-hat-tuoi");
    c.bench_function("assessment/one-sheet", |b| {
        b.iter(|| {
            let assessment = edition.assess(black_box(&dossier)).unwrap();
            assert_eq!(assessment.stars, 5);
            assessment
        })
    });
    let json = serde_json::to_string(&dossier).unwrap();
    c.bench_function("assessment/parse-and-score", |b| {
        b.iter(|| {
            let parsed = Dossier::from_json(black_box(&json)).unwrap();
            let assessment = edition.assess(&parsed).unwrap();
            assert_eq!(assessment.total.to_string(), "100");
            assessment
        })
    });
}

fn load(c: &mut Criterion) {
    let files = ocop::edition::embedded_files("26-2026").unwrap();
    c.bench_function("edition/compile-26-2026", |b| {
        b.iter(|| {
            let sheets: Vec<_> = files[1..]
                .iter()
                .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
                .collect();
            let edition = ocop::rubric::compile(
                "bench",
                ocop::rubric::compile::SourceFile {
                    name: "edition.toml",
                    text: files[0].1,
                },
                &sheets,
            )
            .unwrap();
            assert_eq!(edition.sheet_count(), 26);
            edition
        })
    });
}

fn advise(c: &mut Criterion) {
    let text = std::fs::read_to_string("examples/dossier.json").unwrap();
    let dossier = Dossier::from_json(&text).unwrap();
    c.bench_function("advise/one-dossier", |b| {
        b.iter(|| {
            let advice = ocop::advise::advise(black_box(&dossier)).unwrap();
            assert_eq!(advice.reaches, 4);
            advice
        })
    });
    let council =
        Dossier::from_json(&std::fs::read_to_string("examples/council.json").unwrap()).unwrap();
    c.bench_function("assessment/council-of-3", |b| {
        b.iter(|| {
            let assessment = ocop::assess(black_box(&council)).unwrap();
            assert_eq!(assessment.stars, 3);
            assessment
        })
    });
}

criterion_group!(benches, assess, load, advise);
criterion_main!(benches);
