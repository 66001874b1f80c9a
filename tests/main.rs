//! The one integration test binary: modules by area.

mod suite;
