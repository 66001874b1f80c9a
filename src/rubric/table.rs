//! The dense form of a sheet that bulk scoring runs on: options as integers of
//! a fixed point (10^-scale), marks as per-leaf floors, bands as integer edges.
//! Built once per sheet when the edition is compiled; scoring with it allocates
//! nothing and gives the same figures as [`Edition::assess`](crate::Edition::assess)
//! (a property test holds it to that).

use rust_decimal::Decimal;

use super::{Band, BandPolicy, Sheet};
use crate::rank;

/// The most parts a sheet may have for the dense form (A, B, C today).
pub const MAX_PARTS: usize = 8;

/// One sheet, compiled for bulk scoring.
#[derive(Debug, Clone, Default)]
pub struct Table {
    scale: u32,
    unit: i64,
    /// Leaf ids sorted, with their leaf index, for lookups by id.
    lookup: Vec<(String, u16)>,
    leaves: usize,
    /// Leaf i's options are `points[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<u32>,
    points: Vec<i64>,
    leaf_part: Vec<u8>,
    parts: usize,
    /// Marks as (leaf, stars, required units), by leaf.
    marks: Vec<(u16, u8, i64)>,
    /// Band lower edges in units with their rank, ascending.
    bands: Vec<(i64, u8)>,
    top: i64,
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
        (index < usize::from(self.part_count))
            .then(|| {
                self.parts
                    .get(index)
                    .map(|p| Decimal::new(*p, self.scale).normalize())
            })
            .flatten()
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

/// An answer the table cannot score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    /// Leaf index.
    pub leaf: usize,
    /// The option number given.
    pub option: u16,
}

impl Table {
    /// Builds the dense form; `None` when a value does not fit (more than four
    /// decimals, more than [`MAX_PARTS`] parts), in which case only the
    /// explained scorer is used.
    pub(crate) fn build(sheet: &Sheet, bands: &[Band], _policy: BandPolicy) -> Option<Table> {
        let leaves: Vec<&super::Criterion> = sheet.criteria().filter(|c| c.is_leaf()).collect();
        let scale = leaves
            .iter()
            .flat_map(|c| c.options().iter().map(|o| o.points().normalize().scale()))
            .chain(bands.iter().map(|b| b.from().normalize().scale()))
            .max()
            .unwrap_or(0);
        if scale > 4 || sheet.parts().len() > MAX_PARTS || leaves.len() > usize::from(u16::MAX) {
            return None;
        }
        let unit = 10_i64.pow(scale);
        let to_units = |d: Decimal| i64::try_from(d * Decimal::from(unit)).ok();
        let mut table = Table {
            scale,
            unit,
            leaves: leaves.len(),
            parts: sheet.parts().len(),
            ..Table::default()
        };
        for (part_index, part) in sheet.parts().iter().enumerate() {
            for section in part.sections() {
                for criterion in section.criteria() {
                    for leaf in criterion.walk().filter(|c| c.is_leaf()) {
                        let index = u16::try_from(table.leaf_part.len()).ok()?;
                        table.lookup.push((leaf.id().to_string(), index));
                        table.offsets.push(u32::try_from(table.points.len()).ok()?);
                        for option in leaf.options() {
                            table.points.push(to_units(option.points())?);
                        }
                        for mark in leaf.marks() {
                            table
                                .marks
                                .push((index, mark.stars, to_units(mark.points)?));
                        }
                        table.leaf_part.push(u8::try_from(part_index).ok()?);
                    }
                }
            }
        }
        table.offsets.push(u32::try_from(table.points.len()).ok()?);
        table.lookup.sort();
        for band in bands {
            table.bands.push((to_units(band.from())?, band.stars()));
        }
        table.top = to_units(sheet.max())?;
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

    /// How many leaf criteria a dossier answers.
    pub fn leaves(&self) -> usize {
        self.leaves
    }

    /// How many options leaf `index` has.
    pub fn options_of(&self, index: usize) -> usize {
        match (self.offsets.get(index), self.offsets.get(index + 1)) {
            (Some(start), Some(end)) => (end - start) as usize,
            _ => 0,
        }
    }

    /// Scores option numbers given in leaf order (0: none applies).
    pub fn score(&self, answers: &[u16], round_half_up: bool) -> Result<Summary, OutOfRange> {
        let mut total = 0_i64;
        let mut parts = [0_i64; MAX_PARTS];
        for (leaf, &option) in answers.iter().enumerate().take(self.leaves) {
            let points = self.points_of(leaf, option)?;
            total += points;
            if let Some(part) = self
                .leaf_part
                .get(leaf)
                .and_then(|p| parts.get_mut(usize::from(*p)))
            {
                *part += points;
            }
        }
        let banded = if round_half_up {
            // Half-up to a whole point: floor((total + unit / 2) / unit) * unit.
            (total + self.unit / 2).div_euclid(self.unit) * self.unit
        } else {
            total
        };
        let band_stars = self
            .bands
            .iter()
            .rev()
            .find(|(from, _)| banded >= *from)
            .map_or(0, |(_, stars)| *stars);
        // The lowest rank a missed mark blocks decides the final rank.
        let mut lowest_blocked = u8::MAX;
        let mut unmet = 0_u16;
        for &(leaf, stars, required) in &self.marks {
            let option = answers.get(usize::from(leaf)).copied().unwrap_or(0);
            let points = self.points_of(usize::from(leaf), option)?;
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
        Ok(Summary {
            scale: self.scale,
            total,
            parts,
            part_count: u8::try_from(self.parts).unwrap_or(u8::MAX),
            band_stars,
            stars,
            unmet_marks: unmet,
        })
    }

    fn points_of(&self, leaf: usize, option: u16) -> Result<i64, OutOfRange> {
        if option == 0 {
            return Ok(0);
        }
        let start = self.offsets.get(leaf).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(leaf + 1).copied().unwrap_or(0) as usize;
        let at = start + usize::from(option) - 1;
        if at >= end {
            return Err(OutOfRange { leaf, option });
        }
        self.points
            .get(at)
            .copied()
            .ok_or(OutOfRange { leaf, option })
    }
}
