//! # ocop: the reference scoring engine for Vietnam's OCOP product ratings
//!
//! OCOP ("Mỗi xã một sản phẩm", One Commune One Product) rates a product on an
//! official sheet: Part A (product and community strength), Part B (marketing)
//! and Part C (quality), 100 points in all, ranked 1★ to 5★ by bands, with star
//! marks that set the minimum a product needs on some criteria for a rank.
//!
//! Each decision that set the rubric is an [`Edition`], embedded in the crate as
//! reviewable TOML (`criteria/`), validated on first use:
//!
//! ```
//! use ocop::Dossier;
//!
//! let edition = ocop::edition("26-2026")?;
//! let sheet = edition.sheet("rau-cu-qua-hat-tuoi")?;
//!
//! // Tick the best option of every criterion.
//! let mut dossier = Dossier::new(sheet.key()).edition(edition.id());
//! for criterion in sheet.criteria().filter(|c| c.is_leaf()) {
//!     let best = criterion.options().len() as u16;
//!     dossier = dossier.answer(criterion.id(), best);
//! }
//!
//! let assessment = ocop::assess(&dossier)?;
//! assert_eq!(assessment.total.to_string(), "100");
//! assert_eq!(assessment.stars, 5);
//! assert_eq!(assessment.edition_hash, edition.hash());
//! # Ok::<(), ocop::Error>(())
//! ```
//!
//! A draft edition can be loaded from a folder laid out like `criteria/<id>/`
//! with [`rubric::load_dir`]; it is validated the same way.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod advise;
pub mod assess;
mod assessment_json;
pub mod batch;
pub mod certificate;
mod council;
pub mod dossier;
pub mod edition;
pub mod error;
pub mod forms;
mod kernel;
mod rank;
pub mod reform;
pub mod report;
pub mod rubric;
pub mod schema;
pub mod summary;
pub mod verify;

pub use assess::{Assessment, Options, assess, assess_with};
pub use certificate::{Certificate, Standing, Status};
pub use council::{Council, MemberTotal, Spread};
pub use dossier::{Dossier, Finding, Level, Member, Product, Registration};
pub use edition::{edition, editions, in_force_on};
pub use error::Error;
pub use rank::{MarkReading, Rank, Stars};
pub use rubric::{Choice, Criterion, Edition, Part, Section, Sheet};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
