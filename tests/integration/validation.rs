//! Bad input gets one clear message: file, line and column, the key, the rule, the bad value,
//! and the nearest valid name for a typo. The messages are pinned by a snapshot.

use crate::common::*;

/// A valid scenario on the built-in network, which each case breaks in one way.
const BASE: &str = r#"name = "case"
horizon_days = 30

[network]
builtin = "mali"

[sink]
node = "bamako"
initial_stock_litres = 1_000_000
daily_demand_litres = 500_000

[price]
elasticity = -0.5

[escort.light]
attack_mult = 0.6

[[convoy]]
name = "north"
from = "dakar"
tankers = 10
escort = "light"

[[threat]]
edges = ["kayes-sandare"]
corridors = ["dakar-north"]
attacks_per_100km = 0.1
"#;

fn case(find: &str, replace: &str) -> String {
    assert!(BASE.contains(find), "{find}");
    rejection(&BASE.replacen(find, replace, 1))
}

#[test]
fn the_base_case_is_valid() {
    scenario(BASE);
}

#[test]
fn invalid_scenarios_get_clear_messages() {
    let inline = with_stream(
        &line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]),
        10,
        "tankers = 1",
        "",
    );
    let island = inline.replace(
        "[[network.edge]]",
        "[[network.node]]\nid = \"island\"\nname = \"I\"\ncountry = \"ML\"\nkind = \"town\"\nlat = 1.0\nlon = 1.0\n[[network.edge]]",
    );
    let cases = [
        (
            "TOML syntax error",
            case("horizon_days = 30", "horizon_days = = 30"),
        ),
        (
            "unknown key",
            case("tankers = 10", "tankers = 10\ntanks = 4"),
        ),
        ("wrong type", case("tankers = 10", "tankers = \"ten\"")),
        (
            "misspelled source node",
            case("from = \"dakar\"", "from = \"dakr\""),
        ),
        (
            "convoy from the sink",
            case("from = \"dakar\"", "from = \"bamako\""),
        ),
        (
            "unknown edge",
            case("\"kayes-sandare\"", "\"kayes-bamako\""),
        ),
        (
            "misspelled node in an edge",
            case("\"kayes-sandare\"", "\"kayes-sandre\""),
        ),
        (
            "misspelled corridor",
            case("\"dakar-north\"", "\"dakar-nort\""),
        ),
        (
            "unknown escort",
            case("escort = \"light\"", "escort = \"ligth\""),
        ),
        (
            "negative multiplier",
            case("attack_mult = 0.6", "attack_mult = -0.6"),
        ),
        (
            "elasticity >= 0",
            case("elasticity = -0.5", "elasticity = 0.5"),
        ),
        (
            "horizon of zero days",
            case("horizon_days = 30", "horizon_days = 0"),
        ),
        (
            "first day past the horizon",
            case("tankers = 10", "tankers = 10\nfirst_day = 30"),
        ),
        (
            "via without fixed routing",
            case("tankers = 10", "tankers = 10\nvia = [\"kayes\"]"),
        ),
        (
            "duplicate stream name",
            case(
                "[[threat]]",
                "[[convoy]]\nname = \"north\"\nfrom = \"abidjan\"\ntankers = 1\n\n[[threat]]",
            ),
        ),
        (
            "threat that covers nothing",
            case(
                "edges = [\"kayes-sandare\"]\ncorridors = [\"dakar-north\"]\n",
                "",
            ),
        ),
        (
            "unknown built-in network",
            case("builtin = \"mali\"", "builtin = \"mail\""),
        ),
        (
            "two networks",
            case(
                "builtin = \"mali\"",
                "builtin = \"mali\"\nfile = \"x.toml\"",
            ),
        ),
        (
            "NaN hazard",
            case("attacks_per_100km = 0.1", "attacks_per_100km = nan"),
        ),
        ("zero km", rejection(&inline.replace("km = 100", "km = 0"))),
        (
            "negative km",
            rejection(&inline.replace("km = 100", "km = -5")),
        ),
        (
            "sink no convoy can reach",
            rejection(&island.replace(
                "name = \"s\"\nfrom = \"a\"",
                "name = \"s\"\nfrom = \"island\"",
            )),
        ),
        (
            "no convoy at all",
            rejection(&inline[..inline.find("[[convoy]]").unwrap()]),
        ),
    ];
    let mut text = String::new();
    for (what, message) in cases {
        assert!(message.starts_with("test.toml"), "{what}: {message}");
        text += &format!("{what}:\n  {message}\n");
    }
    insta::assert_snapshot!(text);
}
