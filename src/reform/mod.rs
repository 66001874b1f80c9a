//! Changing the rubric: lint a draft edition, diff two editions, and measure a
//! reform's impact on past ratings (a baseline and a reform scored side by
//! side, as OpenFisca does for tax rules).

pub mod diff;
pub mod impact;
pub mod lint;

use std::path::Path;

use crate::error::Error;
use crate::rubric::Edition;

/// An edition named on a command line: an embedded id, or a draft folder.
#[derive(Debug)]
pub enum EditionSource {
    /// An embedded edition.
    Embedded(&'static Edition),
    /// A draft loaded from a folder.
    Draft(Box<Edition>),
}

impl EditionSource {
    /// An embedded edition id, else a folder laid out like `criteria/<id>/`.
    pub fn resolve(name: &str) -> Result<EditionSource, Error> {
        match crate::edition(name) {
            Ok(edition) => Ok(EditionSource::Embedded(edition)),
            Err(err) if Path::new(name).is_dir() => {
                drop(err);
                crate::rubric::load_dir(Path::new(name)).map(|e| EditionSource::Draft(Box::new(e)))
            }
            Err(err) => Err(err),
        }
    }
}

impl std::ops::Deref for EditionSource {
    type Target = Edition;
    fn deref(&self) -> &Edition {
        match self {
            EditionSource::Embedded(edition) => edition,
            EditionSource::Draft(edition) => edition,
        }
    }
}
