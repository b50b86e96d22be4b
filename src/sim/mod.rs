//! The Monte Carlo core: a scenario compiled into flat tables (`model`), route trees
//! (`routing`), random closures (`closures`), one trial (`trial`) and many in parallel
//! (`run`). It does no I/O and never sees serde or clap types; `rng` is the only place a
//! random generator is made.

pub mod closures;
pub mod model;
pub mod outcome;
pub mod rng;
pub mod routing;
pub mod run;
pub mod trial;
