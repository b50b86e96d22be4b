//! The Monte Carlo core: a scenario compiled into flat tables (`model`), route trees
//! (`routing`) and the plans made on days with random closures (`plans`), random closures
//! (`closures`), itineraries (`itinerary`), one trip (`trip`) with its losses (`losses`),
//! the order of a trial's days (`trial`), staging points (`staging`), the sinks (`sink`),
//! what a trial reports (`outcome`) and many trials in parallel (`run`). It does no I/O and
//! never sees serde or clap types; `rng` is the only place a random generator is made.

pub mod closures;
pub mod itinerary;
pub mod losses;
pub mod model;
pub mod outcome;
pub mod plans;
pub mod rng;
pub mod routing;
pub mod rows;
pub mod run;
pub mod sink;
pub mod staging;
pub mod trial;
pub mod trip;
