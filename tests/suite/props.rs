//! Invariants over random valid dossiers on every sheet.

use ocop::dossier::Answer;
use ocop::{Dossier, Sheet};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Every sheet of every embedded edition.
fn sheets() -> Vec<&'static Sheet> {
    ocop::editions()
        .flat_map(|edition| edition.sheets())
        .collect()
}

/// A valid dossier from raw numbers: each leaf gets 0..=its option count; a
/// cumulative leaf ticks the boxes whose bits are set.
fn dossier(sheet: &Sheet, raw: &[u16]) -> Dossier {
    let mut dossier = Dossier::new(sheet.key()).edition(sheet.edition());
    for (criterion, n) in sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .zip(raw.iter().cycle())
    {
        let count = criterion.options().len() as u16;
        if criterion.is_cumulative() {
            let boxes: Vec<u16> = (1..=count).filter(|b| n & (1 << (b - 1)) != 0).collect();
            dossier = dossier.tick(criterion.id(), &boxes);
        } else {
            dossier = dossier.answer(criterion.id(), n % (count + 1));
        }
    }
    if let Some(answers) = dossier.answers_mut() {
        super::corpus::lawful(sheet, answers);
    }
    dossier
}

/// A leaf's points straight from the compiled options.
fn points_of(c: &ocop::Criterion, answer: &Answer) -> Decimal {
    match answer {
        Answer::Option(0) => Decimal::ZERO,
        Answer::Option(n) => c.options()[usize::from(*n) - 1].points(),
        Answer::Boxes(boxes) => boxes
            .iter()
            .map(|b| c.options()[usize::from(*b) - 1].points())
            .sum(),
    }
}

/// The total straight from the definitions, sharing no code with the scorer.
fn naive_total(sheet: &Sheet, dossier: &Dossier) -> Decimal {
    let answers = dossier.answers().unwrap();
    sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .map(|c| points_of(c, &answers[c.id()]))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn totals_add_up_and_stay_in_bounds(index in any::<prop::sample::Index>(), raw in prop::collection::vec(any::<u16>(), 1..64)) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let dossier = dossier(sheet, &raw);
        let a = ocop::assess(&dossier).unwrap();
        let parts: Decimal = a.parts.iter().map(|p| p.points).sum();
        let sections: Decimal = a.sections.iter().map(|s| s.points).sum();
        let leaves: Decimal = a.criteria.iter().filter(|c| c.option.is_some() || c.boxes.is_some()).map(|c| c.points).sum();
        prop_assert_eq!(a.total, parts);
        prop_assert_eq!(a.total, sections);
        prop_assert_eq!(a.total, leaves);
        prop_assert_eq!(a.total, naive_total(sheet, &dossier));
        prop_assert!(a.total >= Decimal::ZERO && a.total <= sheet.max());
        prop_assert!(sheet.max() <= Decimal::from(100));
        prop_assert!(a.stars <= a.band_stars);
        prop_assert!((1..=5).contains(&a.band_stars.get()));
        for part in &a.parts {
            prop_assert!(part.points <= part.max);
        }
    }

    #[test]
    fn raising_an_answer_never_lowers_total_or_rank(
        index in any::<prop::sample::Index>(),
        raw in prop::collection::vec(any::<u16>(), 1..64),
        pick in any::<prop::sample::Index>(),
        to in any::<prop::sample::Index>(),
    ) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let before_dossier = dossier(sheet, &raw);
        let before = ocop::assess(&before_dossier).unwrap();
        let leaves: Vec<_> = sheet.criteria().filter(|c| c.is_leaf()).collect();
        let criterion = leaves[pick.index(leaves.len())];
        prop_assume!(!criterion.is_cumulative());
        let current = points_of(criterion, &before_dossier.answers().unwrap()[criterion.id()]);
        let better: Vec<u16> = criterion.options().iter().filter(|o| o.points() >= current).map(|o| o.number()).collect();
        prop_assume!(!better.is_empty());
        let after_dossier = before_dossier.clone().answer(criterion.id(), better[to.index(better.len())]);
        let mut lawful = after_dossier.answers().unwrap().clone();
        super::corpus::lawful(sheet, &mut lawful);
        // Raising into another case, or a criterion that does not apply, is not lawful.
        prop_assume!(&lawful == after_dossier.answers().unwrap());
        let after = ocop::assess(&after_dossier).unwrap();
        prop_assert!(after.total >= before.total);
        prop_assert!(after.stars >= before.stars);
        prop_assert!(after.band_stars >= before.band_stars);
    }
}

#[test]
fn scoring_is_deterministic() {
    let sheet = sheets()[10];
    let dossier = dossier(sheet, &[3, 1, 4, 1, 5, 9, 2, 6]);
    let first = serde_json::to_string(&ocop::assess(&dossier).unwrap()).unwrap();
    for _ in 0..3 {
        assert_eq!(
            serde_json::to_string(&ocop::assess(&dossier).unwrap()).unwrap(),
            first
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Applying the advice and re-scoring gives at least the promised rank.
    #[test]
    fn advice_reaches_the_next_rank(index in any::<prop::sample::Index>(), raw in prop::collection::vec(any::<u16>(), 1..64)) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let dossier = dossier(sheet, &raw);
        let before = ocop::assess(&dossier).unwrap();
        let advice = ocop::advise::advise(&dossier).unwrap();
        if before.disqualified.is_some() {
            // A rule ended the evaluation: no rank is advised.
            prop_assert!(advice.target.is_none() && advice.note.is_some());
            return Ok(());
        }
        if before.stars == 5 {
            prop_assert!(advice.target.is_none());
            return Ok(());
        }
        let target = advice.target.unwrap();
        prop_assert_eq!(target, before.stars.get() + 1);
        if advice.note.is_some() {
            // Unreachable: even the best of every criterion is below the band.
            let best: Decimal = sheet.criteria().filter(|c| c.is_leaf()).map(|c| c.max()).sum();
            prop_assert!(best < ocop::edition(sheet.edition()).unwrap().band_of(target.get()).unwrap().from());
            return Ok(());
        }
        let mut applied = dossier.clone();
        for step in &advice.steps {
            applied = applied.answer(step.criterion.as_str(), step.to_option);
        }
        let after = ocop::assess(&applied).unwrap();
        prop_assert!(after.stars >= target, "{} -> {} on {}: {:?}", before.stars, after.stars, sheet.key(), after.unmet_marks);
        prop_assert_eq!(after.stars, advice.reaches);
        prop_assert_eq!(after.total, advice.new_total);
        prop_assert_eq!(advice.new_total, before.total + advice.points_gained);
        prop_assert_eq!(advice.criteria_changed, advice.steps.len());
        // No step lowers a criterion.
        prop_assert!(advice.steps.iter().all(|s| s.gained > Decimal::ZERO));
    }
}

/// On a small case the plan is checked against every alternative: no plan
/// with fewer criteria reaches the band.
#[test]
fn advice_uses_the_fewest_criteria() {
    let text = std::fs::read_to_string("examples/dossier-1048.json").unwrap();
    let dossier = ocop::Dossier::from_json(&text).unwrap();
    let advice = ocop::advise::advise(&dossier).unwrap();
    assert_eq!(advice.criteria_changed, 3);
    // Any two criteria raised to their best gain at most the two largest gains.
    let sheet = ocop::edition("1048-2019")
        .unwrap()
        .sheet("rau-cu-qua-hat-tuoi")
        .unwrap();
    let mut gains: Vec<Decimal> = sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .map(|c| {
            let now = points_of(c, &dossier.answers().unwrap()[c.id()]);
            c.max() - now
        })
        .collect();
    gains.sort();
    gains.reverse();
    assert!(gains[0] + gains[1] < Decimal::from(10));
    assert_eq!(advice.points_gained, Decimal::from(10));
}

/// The final rank straight from the definitions: 0 when a rule tied to 0
/// points fires; else the band of the total, then the highest rank at or below
/// it none of whose marks is missed.
fn naive_stars(sheet: &Sheet, dossier: &Dossier, total: Decimal) -> u8 {
    let answers = dossier.answers().unwrap();
    let zero = |id: &str| {
        let c = sheet.criterion(id).unwrap();
        points_of(c, &answers[id]) == Decimal::ZERO
    };
    let stopped = sheet.criteria().any(|c| {
        c.rules().iter().any(|r| {
            r.fires() == Some(ocop::rubric::Fires::Zero) && r.on().iter().any(|id| zero(id))
        })
    });
    if stopped {
        return 0;
    }
    let edition = ocop::edition(sheet.edition()).unwrap();
    let band = edition
        .bands()
        .iter()
        .filter(|b| total >= b.from())
        .map(|b| b.stars())
        .max()
        .unwrap();
    let missed: Vec<u8> = sheet
        .criteria()
        .filter(|c| c.is_leaf())
        .flat_map(|c| {
            let points = points_of(c, &dossier.answers().unwrap()[c.id()]);
            c.marks()
                .iter()
                .filter(move |m| points < m.points())
                .map(|m| m.stars())
                .collect::<Vec<_>>()
        })
        .collect();
    (1..=band)
        .rev()
        .find(|&rank| !missed.iter().any(|&m| m <= rank))
        .unwrap_or(1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_rank_agrees_with_a_naive_reading(index in any::<prop::sample::Index>(), raw in prop::collection::vec(any::<u16>(), 1..64)) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let dossier = dossier(sheet, &raw);
        let a = ocop::assess(&dossier).unwrap();
        let total = naive_total(sheet, &dossier);
        prop_assert_eq!(a.stars, naive_stars(sheet, &dossier, total));
    }

    #[test]
    fn an_assessment_reads_back_as_the_same_value(index in any::<prop::sample::Index>(), raw in prop::collection::vec(any::<u16>(), 1..64)) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let a = ocop::assess(&dossier(sheet, &raw)).unwrap();
        let text = serde_json::to_string(&a).unwrap();
        let back: ocop::Assessment = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn a_council_mean_lies_between_its_members_and_ignores_their_order(
        index in any::<prop::sample::Index>(),
        members in prop::collection::vec(prop::collection::vec(any::<u16>(), 1..40), 1..6),
        spin in 0usize..6,
    ) {
        let all = sheets();
        let sheet = all[index.index(all.len())];
        let mut council = Dossier::new(sheet.key()).edition(sheet.edition());
        council.filled = ocop::dossier::Filled::Members(members
            .iter()
            .enumerate()
            .map(|(i, raw)| ocop::Member { member: format!("m{i}"), sheet: None, answers: dossier(sheet, raw).answers().unwrap().clone() })
            .collect());
        let a = ocop::assess(&council).unwrap();
        let totals: Vec<Decimal> = a.council.as_ref().unwrap().members.iter().map(|m| m.total).collect();
        let (min, max) = (*totals.iter().min().unwrap(), *totals.iter().max().unwrap());
        prop_assert!(a.total >= min && a.total <= max, "{} not in {}..={}", a.total, min, max);
        let mut rotated = council.clone();
        let by = spin % rotated.members().len();
        rotated.members_mut().unwrap().rotate_left(by);
        let b = ocop::assess(&rotated).unwrap();
        prop_assert_eq!(a.total, b.total);
        prop_assert_eq!((a.band_stars.get(), a.stars.get()), (b.band_stars.get(), b.stars.get()));
        prop_assert_eq!(&a.parts, &b.parts);
    }
}

/// A rubric written out and loaded again is the same rubric (same hash).
#[test]
fn rubric_files_round_trip_to_the_same_hash() {
    use ocop::rubric::def::{EditionDef, SheetDef};
    for id in ["1048-2019", "148-2023", "26-2026"] {
        let files = ocop::edition::embedded_files(id).unwrap();
        let edition: EditionDef = toml::from_str(files[0].1).unwrap();
        let sheets: Vec<(String, String)> = files[1..]
            .iter()
            .map(|(name, text)| {
                let def: SheetDef = toml::from_str(text).unwrap();
                (name.to_string(), toml::to_string(&def).unwrap())
            })
            .collect();
        let edition_text = toml::to_string(&edition).unwrap();
        let sources: Vec<_> = sheets
            .iter()
            .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
            .collect();
        let again = ocop::rubric::compile(
            "round trip",
            ocop::rubric::compile::SourceFile {
                name: "edition.toml",
                text: &edition_text,
            },
            &sources,
        )
        .unwrap();
        assert_eq!(again.hash(), ocop::edition(id).unwrap().hash(), "{id}");
    }
}
