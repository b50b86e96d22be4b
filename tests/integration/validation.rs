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

/// Version 2 keys (MODEL.md sections 6, 12 and 13), each broken in one way.
#[test]
fn invalid_version_2_keys_get_clear_messages() {
    let full = crate::v2_inputs::FULL;
    let case = |find: &str, replace: &str| {
        assert!(full.contains(find), "{find}");
        rejection(&full.replacen(find, replace, 1))
    };
    let mine = "node = \"mine\"\ninitial_stock_litres = 0\n";
    let staging = "[[staging]]\nnode = \"z\"\n";
    let long = format!("name = \"{}\"", "r".repeat(100));
    let cases = [
        ("class name too long", case("name = \"retail\"", &long)),
        (
            "staging node with a tab",
            case(staging, "[[staging]]\nnode = \"z\\t\"\n"),
        ),
        (
            "[sink] and [[sink]]",
            case("[[sink]]\nnode = \"bam\"", "[sink]\nnode = \"bam\""),
        ),
        (
            "both demand forms",
            case(
                "capacity_litres = 5000\n",
                "capacity_litres = 5000\ndaily_demand_litres = 300\n",
            ),
        ),
        ("no demand at all", case("daily_demand_litres = 10\n", "")),
        (
            "empty demand list",
            case("daily_demand_litres = 10\n", "demand = []\n"),
        ),
        (
            "two sinks at one node",
            case(mine, "node = \"bam\"\ninitial_stock_litres = 0\n"),
        ),
        (
            "sink at an unknown node",
            case(mine, "node = \"mien\"\ninitial_stock_litres = 0\n"),
        ),
        (
            "zero capacity",
            case("capacity_litres = 5000", "capacity_litres = 0"),
        ),
        (
            "stock above capacity",
            case("capacity_litres = 5000", "capacity_litres = 500"),
        ),
        (
            "class name used twice",
            case("name = \"retail\"", "name = \"power\""),
        ),
        ("empty class name", case("name = \"retail\"", "name = \"\"")),
        (
            "negative class demand",
            case("litres_per_day = 200", "litres_per_day = -200"),
        ),
        ("priority zero", case("priority = 2", "priority = 0")),
        ("priority a decimal", case("priority = 2", "priority = 1.5")),
        ("ration share above 1", case("share = 0.6", "share = 1.5")),
        (
            "ration below_days zero",
            case("below_days = 6", "below_days = 0"),
        ),
        (
            "ration tiers with one below_days",
            case("below_days = 6", "below_days = 3"),
        ),
        (
            "ration tier with an unknown key",
            case("share = 0.6", "shares = 0.6"),
        ),
        (
            "unknown key in a class",
            case("street = false", "streets = false"),
        ),
        (
            "seize_prob above 1",
            case("seize_prob = 0.1", "seize_prob = 1.5"),
        ),
        (
            "negative size_exponent",
            case("size_exponent = 0.5", "size_exponent = -1"),
        ),
        ("zero size_ref", case("size_ref = 30", "size_ref = 0")),
        (
            "negative seize_mult",
            case("seize_mult = 0.2", "seize_mult = -1"),
        ),
        (
            "staging at a sink",
            case(staging, "[[staging]]\nnode = \"bam\"\n"),
        ),
        (
            "staging at an unknown node",
            case(staging, "[[staging]]\nnode = \"zz\"\n"),
        ),
        (
            "two staging points at one node",
            case(
                "[[convoy]]\nname = \"staged\"",
                "[[staging]]\nnode = \"z\"\nescort = \"army\"\nunits = 1\nmax_tankers = 5\n\n[[convoy]]\nname = \"staged\"",
            ),
        ),
        (
            "staging escort unknown",
            case("escort = \"army\"", "escort = \"armi\""),
        ),
        ("zero units", case("units = 2", "units = 0")),
        (
            "zero max_tankers",
            case("max_tankers = 150", "max_tankers = 0"),
        ),
        (
            "min_tankers above max_tankers",
            case("min_tankers = 60", "min_tankers = 160"),
        ),
        (
            "negative max_wait_days",
            case("max_wait_days = 7", "max_wait_days = -7"),
        ),
        (
            "negative turnaround_days",
            case("turnaround_days = 1", "turnaround_days = -1"),
        ),
        (
            "staging to a node that is no sink",
            case("to = \"bam\"\nrouting", "to = \"b\"\nrouting"),
        ),
        (
            "staging via without fixed routing",
            case(
                "routing = \"fixed\"\nvia = []",
                "routing = \"safest\"\nvia = [\"a\"]",
            ),
        ),
        (
            "staging routing misspelled",
            case("routing = \"fixed\"\nvia = []", "routing = \"fixd\""),
        ),
        ("unknown staging key", case("units = 2", "unit = 2")),
        (
            "stage that is no staging point",
            case("stage = \"z\"", "stage = \"a\""),
        ),
        (
            "stream to a node that is no sink",
            case("to = \"mine\"\ntankers", "to = \"mien\"\ntankers"),
        ),
        (
            "staged stream to another sink",
            case("stage = \"z\"", "stage = \"z\"\nto = \"mine\""),
        ),
        (
            "stream from a sink",
            case(
                "name = \"mine\"\nfrom = \"b\"",
                "name = \"mine\"\nfrom = \"mine\"",
            ),
        ),
        (
            "zero load_per_day",
            case("load_per_day = 3", "load_per_day = 0"),
        ),
        (
            "load_per_day a decimal",
            case("load_per_day = 3", "load_per_day = 2.5"),
        ),
    ];
    let mut text = String::new();
    for (what, message) in cases {
        assert!(message.starts_with("test.toml:"), "{what}: {message}");
        text += &format!("{what}:\n  {message}\n");
    }
    insta::assert_snapshot!(text);
}
