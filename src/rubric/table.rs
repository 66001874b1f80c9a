//! The dense form of a sheet that bulk scoring runs on: each leaf a fixed row
//! of option points in integer units (10^-scale), marks as (leaf, rank, units),
//! bands as integer edges. Built once per sheet when the edition is compiled;
//! scoring with it allocates nothing and gives the same figures as
//! [`Edition::assess`](crate::Edition::assess) (a property test holds it to that).

use rust_decimal::Decimal;

use super::{Band, Sheet};
use crate::rank;

/// The most parts a sheet may have for the dense form (A, B, C today).
pub const MAX_PARTS: usize = 8;
/// The most leaf criteria a sheet may have for the dense form (50 today).
pub const MAX_LEAVES: usize = 64;
/// The most options a criterion may have for the dense form (6 today).
pub const MAX_OPTIONS: usize = 7;

/// Points of a leaf by option number; slot 0 is "no option applies".
type Row = [i32; MAX_OPTIONS + 1];

/// One sheet, compiled for bulk scoring.
#[derive(Debug, Clone, Default)]
pub struct Table {
    scale: u32,
    unit: i64,
    /// Leaf ids sorted, with their leaf index, for lookups by id.
    lookup: Vec<(String, u16)>,
    rows: Vec<Row>,
    /// How many options each leaf has.
    counts: Vec<u8>,
    /// Each part's leaves are a contiguous range, in printed order.
    part_ends: Vec<usize>,
    /// Marks as (leaf, stars, required units).
    marks: Vec<(u16, u8, i32)>,
    /// Band lower edges in units with their rank, ascending.
    bands: Vec<(i64, u8)>,
}

/// The figures of one dossier scored on a [`Table`]: all `Copy`, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    scale: u32,
    total: i64,
    parts: [i64; MAX_PARTS],
    part_count: u8,
    /// Rank from the bands.
    pub band_stars: u8,
    /// Final rank after the marks.
    pub stars: u8,
    /// How many marks binding at the band rank are missed.
    pub unmet_marks: u16,
}

impl Summary {
    /// Total points.
    pub fn total(&self) -> Decimal {
        Decimal::new(self.total, self.scale).normalize()
    }
    /// Points of part `index` (in printed order).
    pub fn part(&self, index: usize) -> Option<Decimal> {
        self.part_units()
            .get(index)
            .map(|p| Decimal::new(*p, self.scale).normalize())
    }
    /// Total in fixed-point units and the scale (points = units / 10^scale).
    pub fn total_units(&self) -> (i64, u32) {
        (self.total, self.scale)
    }
    /// Part points in fixed-point units.
    pub fn part_units(&self) -> &[i64] {
        self.parts
            .get(..usize::from(self.part_count))
            .unwrap_or(&[])
    }
}

/// Answers checked against a table, ready to score (see [`Table::prepare`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    options: [u8; MAX_LEAVES],
    leaves: usize,
}

/// One criterion's line of a traced score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceLine {
    /// Leaf index (printed order).
    pub leaf: u16,
    /// The option chosen (0: none applies).
    pub option: u16,
    /// Points, in the table's fixed-point units.
    pub points: i64,
}

/// An answer the table cannot score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// Leaf index.
    pub leaf: usize,
    /// The option number given.
    pub option: u16,
}

impl Table {
    /// Builds the dense form; `None` when the sheet does not fit it (more than
    /// four decimals, or more parts, leaves or options than the limits above),
    /// in which case only the explained scorer is used.
    pub(crate) fn build(sheet: &Sheet, bands: &[Band]) -> Option<Table> {
        let leaves: Vec<&super::Criterion> = sheet.criteria().filter(|c| c.is_leaf()).collect();
        let scale = leaves
            .iter()
            .flat_map(|c| c.options().iter().map(|o| o.points().normalize().scale()))
            .chain(bands.iter().map(|b| b.from().normalize().scale()))
            .max()
            .unwrap_or(0);
        if scale > 4 || sheet.parts().len() > MAX_PARTS || leaves.len() > MAX_LEAVES {
            return None;
        }
        let unit = 10_i64.pow(scale);
        let to_units = |d: Decimal| i32::try_from(d * Decimal::from(unit)).ok();
        let mut table = Table {
            scale,
            unit,
            ..Table::default()
        };
        for part in sheet.parts() {
            for section in part.sections() {
                for criterion in section.criteria() {
                    for leaf in criterion.walk().filter(|c| c.is_leaf()) {
                        if leaf.options().len() > MAX_OPTIONS {
                            return None;
                        }
                        let index = u16::try_from(table.rows.len()).ok()?;
                        table.lookup.push((leaf.id().to_string(), index));
                        let mut row = [0; MAX_OPTIONS + 1];
                        for option in leaf.options() {
                            *row.get_mut(usize::from(option.number()))? =
                                to_units(option.points())?;
                        }
                        table.rows.push(row);
                        table.counts.push(u8::try_from(leaf.options().len()).ok()?);
                        for mark in leaf.marks() {
                            table
                                .marks
                                .push((index, mark.stars, to_units(mark.points)?));
                        }
                    }
                }
            }
            table.part_ends.push(table.rows.len());
        }
        table.lookup.sort();
        for band in bands {
            table
                .bands
                .push((i64::from(to_units(band.from())?), band.stars()));
        }
        Some(table)
    }

    /// The leaf index of a criterion id (printed order), if it is a leaf.
    pub fn leaf_index(&self, id: &str) -> Option<usize> {
        self.lookup
            .binary_search_by(|(key, _)| key.as_str().cmp(id))
            .ok()
            .and_then(|at| self.lookup.get(at))
            .map(|(_, index)| usize::from(*index))
    }

    /// [`leaf_index`](Table::leaf_index) for ids that usually arrive in sorted
    /// order: tries the entry at `cursor` (a position in the sorted ids) first.
    /// Returns the leaf index and the cursor for the next id.
    pub fn leaf_index_from(&self, id: &str, cursor: usize) -> Option<(usize, usize)> {
        let at = match self.lookup.get(cursor) {
            Some((key, _)) if key == id => cursor,
            _ => self
                .lookup
                .binary_search_by(|(key, _)| key.as_str().cmp(id))
                .ok()?,
        };
        self.lookup
            .get(at)
            .map(|(_, index)| (usize::from(*index), at + 1))
    }

    /// How many leaf criteria a dossier answers.
    pub fn leaves(&self) -> usize {
        self.rows.len()
    }

    /// How many options leaf `index` has.
    pub fn options_of(&self, index: usize) -> usize {
        self.counts.get(index).map_or(0, |c| usize::from(*c))
    }

    /// Checks option numbers given in leaf order once, for scoring many times
    /// (a batch re-scored under several policies, an impact study).
    pub fn prepare(&self, answers: &[u16]) -> Result<Prepared, OutOfRange> {
        let mut options = [0_u8; MAX_LEAVES];
        for (leaf, ((&option, &count), slot)) in answers
            .iter()
            .zip(&self.counts)
            .zip(&mut options)
            .enumerate()
        {
            if option > u16::from(count) {
                return Err(OutOfRange { leaf, option });
            }
            // option ≤ count ≤ MAX_OPTIONS < 256.
            *slot = option as u8;
        }
        Ok(Prepared {
            options,
            leaves: self.rows.len().min(answers.len()),
        })
    }

    /// Scores answers checked by [`prepare`](Table::prepare) on this table.
    pub fn score_prepared(&self, prepared: &Prepared, round_half_up: bool) -> Summary {
        let leaves = prepared.leaves;
        // Masking keeps every index in its row (0..=MAX_OPTIONS, a power of two
        // minus one); prepare has already checked option ≤ count.
        let points = |leaf: usize| -> i32 {
            match (self.rows.get(leaf), prepared.options.get(leaf)) {
                (Some(row), Some(&option)) => row
                    .get(usize::from(option) & MAX_OPTIONS)
                    .copied()
                    .unwrap_or(0),
                _ => 0,
            }
        };
        let mut parts = [0_i64; MAX_PARTS];
        let mut start = 0;
        for (part, &end) in parts.iter_mut().zip(&self.part_ends) {
            let end = end.min(leaves);
            *part = (start..end).map(|leaf| i64::from(points(leaf))).sum();
            start = end;
        }
        self.finish(parts, points, round_half_up)
    }

    /// Scores option numbers given in leaf order (0: none applies).
    pub fn score(&self, answers: &[u16], round_half_up: bool) -> Result<Summary, OutOfRange> {
        self.score_with(answers, round_half_up, |_, _, _| {})
    }

    /// [`score`](Table::score), also recording every criterion's line in
    /// `trace` (cleared first; reuse it across calls to allocate nothing).
    /// The leaf index resolves to the criterion through
    /// [`Sheet::leaf_ids`](super::Sheet::leaf_ids).
    pub fn score_traced(
        &self,
        answers: &[u16],
        round_half_up: bool,
        trace: &mut Vec<TraceLine>,
    ) -> Result<Summary, OutOfRange> {
        trace.clear();
        self.score_with(answers, round_half_up, |leaf, option, points| {
            trace.push(TraceLine {
                leaf: leaf as u16,
                option,
                points: i64::from(points),
            })
        })
    }

    fn score_with(
        &self,
        answers: &[u16],
        round_half_up: bool,
        mut on_leaf: impl FnMut(usize, u16, i32),
    ) -> Result<Summary, OutOfRange> {
        let mut seen = [0_i32; MAX_LEAVES];
        let mut parts = [0_i64; MAX_PARTS];
        let mut start = 0;
        for (part, &end) in parts.iter_mut().zip(&self.part_ends) {
            let rows = self.rows.get(start..end).unwrap_or(&[]);
            let counts = self.counts.get(start..end).unwrap_or(&[]);
            let given = answers.get(start..end.min(answers.len())).unwrap_or(&[]);
            let slots = seen.get_mut(start..end).unwrap_or(&mut []);
            let mut sum = 0_i64;
            for (offset, (((row, &count), &option), slot)) in
                rows.iter().zip(counts).zip(given).zip(slots).enumerate()
            {
                if option > u16::from(count) {
                    return Err(OutOfRange {
                        leaf: start + offset,
                        option,
                    });
                }
                // option ≤ count ≤ MAX_OPTIONS: always in the row.
                let points = row.get(usize::from(option)).copied().unwrap_or(0);
                on_leaf(start + offset, option, points);
                *slot = points;
                sum += i64::from(points);
            }
            *part = sum;
            start = end;
        }
        Ok(self.finish(
            parts,
            |leaf| seen.get(leaf).copied().unwrap_or(0),
            round_half_up,
        ))
    }

    /// Bands and marks, from the part sums and each leaf's points.
    fn finish(
        &self,
        parts: [i64; MAX_PARTS],
        points_of: impl Fn(usize) -> i32,
        round_half_up: bool,
    ) -> Summary {
        let total: i64 = parts.iter().sum();
        let banded = if round_half_up {
            // Half-up to a whole point: floor((total + unit / 2) / unit) * unit.
            (total + self.unit / 2).div_euclid(self.unit) * self.unit
        } else {
            total
        };
        let mut band_stars = 0;
        for &(from, stars) in &self.bands {
            if banded >= from {
                band_stars = stars;
            }
        }
        // The lowest rank a missed mark blocks decides the final rank.
        let mut lowest_blocked = u8::MAX;
        let mut unmet = 0_u16;
        for &(leaf, stars, required) in &self.marks {
            let points = points_of(usize::from(leaf));
            if points < required && rank::binds(stars, band_stars) {
                unmet = unmet.saturating_add(1);
                lowest_blocked = lowest_blocked.min(stars);
            }
        }
        let stars = if lowest_blocked <= band_stars {
            rank::final_stars(band_stars, &[lowest_blocked])
        } else {
            band_stars
        };
        Summary {
            scale: self.scale,
            total,
            parts,
            part_count: u8::try_from(self.part_ends.len()).unwrap_or(u8::MAX),
            band_stars,
            stars,
            unmet_marks: unmet,
        }
    }
}
