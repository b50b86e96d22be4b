//! Files compiled into the binary: the Mali network and the default scenario, the same bytes
//! as `scenarios/networks/mali.toml` and `scenarios/bamako-2025.toml` so users can copy them,
//! and the two benchmark scenarios `corridor bench` measures (`benches/scenarios/`).

pub const MALI_NETWORK: &str = include_str!("../scenarios/networks/mali.toml");
pub const DEFAULT_SCENARIO: &str = include_str!("../scenarios/bamako-2025.toml");
pub const DEFAULT_SCENARIO_ORIGIN: &str = "<builtin>/scenarios/bamako-2025.toml";

/// The benchmark scenarios, as (origin, text), in the order `corridor bench` runs them.
pub const BENCH_SCENARIOS: [(&str, &str); 2] = [
    (
        "<builtin>/benches/scenarios/closures.toml",
        include_str!("../benches/scenarios/closures.toml"),
    ),
    (
        "<builtin>/benches/scenarios/fleets.toml",
        include_str!("../benches/scenarios/fleets.toml"),
    ),
];

/// The names `[network] builtin = ...` accepts.
pub const NETWORK_NAMES: [&str; 1] = ["mali"];

/// A built-in network's origin (for messages) and text.
pub fn network(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "mali" => Some(("<builtin>/scenarios/networks/mali.toml", MALI_NETWORK)),
        _ => None,
    }
}
