//! Synthetic dossiers for examples, benchmarks and rubric-impact studies:
//! random but plausible answers on every sheet of an edition, reproducible
//! from a seed.
//!
//! Plausible means each dossier has an overall "strength" and answers near it:
//! a strong product ticks high options on most criteria, with some noise, as
//! real councils' sheets do; totals spread over all five bands.

use ocop::dossier::Dossier;
use ocop::rubric::Edition;

/// A small, fast, reproducible generator (xorshift64*). Not for cryptography;
/// it only has to make the same corpus from the same seed on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed odd constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// `count` dossiers spread over the edition's sheets in turn, with plausible
/// answers. Each has an `id` (`"d<N>"`) and names the edition.
///
/// ```
/// let edition = ocop::edition("26-2026")?;
/// let corpus: Vec<_> = ocop::corpus::generate(edition, 52, 7).collect();
/// assert_eq!(corpus.len(), 52);
/// for dossier in &corpus {
///     ocop::assess(dossier)?;
/// }
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn generate(edition: &Edition, count: usize, seed: u64) -> impl Iterator<Item = Dossier> + '_ {
    let mut rng = Rng::new(seed);
    let sheets: Vec<_> = edition.sheets().collect();
    (0..count).filter_map(move |n| {
        let sheet = sheets.get(n % sheets.len().max(1))?;
        // Strength in 35..=100: percent of the way up each criterion's options.
        let strength = 35 + (rng.below(66) + rng.below(66)) / 2;
        let mut dossier = Dossier::new(sheet.key()).edition(edition.id());
        dossier.id = serde_json::value::RawValue::from_string(format!("\"d{n}\""))
            .ok()
            .map(ocop::dossier::RawJson::from);
        for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
            let options = criterion.options().len() as u64;
            let aim = (strength * options.saturating_sub(1) + 50) / 100;
            let noisy = match rng.below(4) {
                0 => aim.saturating_sub(1),
                1 => (aim + 1).min(options.saturating_sub(1)),
                _ => aim,
            };
            // Option numbers count from 1; now and then no option applies (0).
            let option = if rng.below(50) == 0 { 0 } else { noisy + 1 };
            dossier = dossier.answer(criterion.id(), u16::try_from(option).unwrap_or(0));
        }
        if let Some(answers) = dossier.answers_mut() {
            lawful(sheet, answers);
        }
        Some(dossier)
    })
}

/// Makes random answers lawful on their sheet, as a council's would be: on a
/// sheet whose cases are exclusive ("Lựa chọn một trong hai trường hợp"), the
/// case of the first case answer holds, and an answer under another case moves
/// to the option of the same rank in that case; a criterion that does not
/// apply (its decider's answer rules it out, "Chỉ áp dụng khi …") is answered 0.
pub fn lawful(sheet: &ocop::Sheet, answers: &mut ocop::dossier::Answers) {
    use ocop::dossier::Answer;
    let leaves: Vec<&ocop::Criterion> = sheet.criteria().filter(|c| c.is_leaf()).collect();
    if sheet.exclusive_cases().is_some() {
        let mut case: Option<String> = None;
        for criterion in &leaves {
            let Some(Answer::Option(n)) = answers.get(criterion.id()).cloned() else {
                continue;
            };
            let Some(chosen) = criterion.option(n).and_then(|o| o.case()) else {
                continue;
            };
            match &case {
                None => case = Some(chosen.to_string()),
                Some(held) if held != chosen => {
                    let rank = criterion
                        .options()
                        .iter()
                        .filter(|o| o.case() == Some(chosen))
                        .position(|o| o.number() == n)
                        .unwrap_or(0);
                    let same: Vec<u16> = criterion
                        .options()
                        .iter()
                        .filter(|o| o.case() == Some(held.as_str()))
                        .map(|o| o.number())
                        .collect();
                    let moved = same.get(rank).or(same.last()).copied().unwrap_or(0);
                    answers.insert(criterion.id().to_string(), Answer::Option(moved));
                }
                Some(_) => {}
            }
        }
    }
    for criterion in &leaves {
        for rule in criterion.rules() {
            let Some(decider) = rule.criterion() else {
                continue;
            };
            if let Some(Answer::Option(n)) = answers.get(decider) {
                if *n == 0 || rule.unless_options().contains(n) {
                    answers.insert(criterion.id().to_string(), Answer::Option(0));
                }
            }
        }
    }
}
