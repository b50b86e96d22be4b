//! Hostile and mistaken input through the real binary: every malformed scenario, network
//! and file below makes `corridor run` exit with code 2 and one line on stderr, naming the
//! file, line and column where there is one, without a panic and without creating an
//! output folder. The messages are pinned by a snapshot.

use std::path::Path;
use std::process::Command;

/// A valid scenario on the built-in network, which most cases break in one way.
const BUILTIN: &str = r#"name = "case"
horizon_days = 30

[network]
builtin = "mali"

[sink]
node = "bamako"
initial_stock_litres = 1_000_000
daily_demand_litres = 500_000

[price]
elasticity = -0.5
cap_multiple = 6.0

[escort.light]
attack_mult = 0.6
loss_mult = 0.8

[[convoy]]
name = "north"
from = "dakar"
tankers = 10
escort = "light"

[[threat]]
edges = ["kayes-sandare"]
corridors = ["dakar-north"]
attacks_per_100km = 0.1
to_day = 20

[[random_closure]]
corridors = ["abidjan-pogo"]
per_day = 0.02
mean_days = 4.0
"#;

/// A valid scenario whose network is the file `net.toml` ([`NETWORK`]).
const WITH_FILE: &str = r#"name = "case"
horizon_days = 20

[network]
file = "net.toml"

[sink]
node = "sink"
initial_stock_litres = 0
daily_demand_litres = 100_000

[[convoy]]
name = "s"
from = "a"
tankers = 5
"#;

/// A network file: a - b - sink, and an island.
const NETWORK: &str = r#"name = "line"

[[node]]
id = "a"
name = "A"
country = "SN"
kind = "port"
lat = 14.0
lon = -17.0

[[node]]
id = "b"
name = "B"
country = "ML"
kind = "town"
lat = 13.0
lon = -10.0

[[node]]
id = "sink"
name = "Sink"
country = "ML"
kind = "depot"
lat = 12.6
lon = -8.0

[[node]]
id = "island"
name = "Island"
country = "ML"
kind = "town"
lat = 12.0
lon = -9.0

[[edge]]
from = "a"
to = "b"
km = 700
corridors = ["west"]

[[edge]]
from = "b"
to = "sink"
km = 300
corridors = ["west"]
"#;

/// One case: the files written into an empty folder, and the scenario path given to `run`.
struct Case {
    what: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    scenario: &'static str,
}

fn text(what: &'static str, scenario: String) -> Case {
    Case {
        what,
        files: vec![("s.toml", scenario.into_bytes())],
        scenario: "s.toml",
    }
}

/// The built-in scenario with `find` replaced by `replace`.
fn builtin(what: &'static str, find: &str, replace: &str) -> Case {
    assert!(BUILTIN.contains(find), "{what}: {find}");
    text(what, BUILTIN.replacen(find, replace, 1))
}

/// The scenario with a network file, each with one replacement ("" finds nothing).
fn net(what: &'static str, scenario: (&str, &str), network: (&str, &str)) -> Case {
    let replace = |base: &str, (find, by): (&str, &str)| {
        assert!(find.is_empty() || base.contains(find), "{what}: {find}");
        if find.is_empty() {
            base.to_string()
        } else {
            base.replacen(find, by, 1)
        }
    };
    Case {
        what,
        files: vec![
            ("s.toml", replace(WITH_FILE, scenario).into_bytes()),
            ("net.toml", replace(NETWORK, network).into_bytes()),
        ],
        scenario: "s.toml",
    }
}

fn net_file(what: &'static str, network: &[u8]) -> Case {
    Case {
        what,
        files: vec![
            ("s.toml", WITH_FILE.as_bytes().to_vec()),
            ("net.toml", network.to_vec()),
        ],
        scenario: "s.toml",
    }
}

fn cases() -> Vec<Case> {
    let convoy = |extra: &str| format!("tankers = 10\n{extra}");
    vec![
        // Syntax and encoding.
        builtin("syntax error", "horizon_days = 30", "horizon_days = = 30"),
        builtin("unterminated string", "name = \"north\"", "name = \"north"),
        builtin("bad escape", "name = \"north\"", "name = \"no\\rth\\q\""),
        builtin("unclosed table header", "[sink]", "[sink"),
        builtin("key without a value", "tankers = 10", "tankers ="),
        builtin("control character", "tankers = 10", "tankers = 10\u{1}"),
        text("empty file", String::new()),
        Case {
            what: "not UTF-8 (Latin-1 e-acute)",
            files: vec![("s.toml", latin1(&BUILTIN.replacen("\"north\"", "\"café\"", 1)))],
            scenario: "s.toml",
        },
        Case {
            what: "UTF-16 file",
            files: vec![(
                "s.toml",
                [0xFF, 0xFE]
                    .into_iter()
                    .chain(BUILTIN.bytes().flat_map(|b| [b, 0]))
                    .collect(),
            )],
            scenario: "s.toml",
        },
        Case {
            what: "binary file",
            files: vec![("s.toml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())],
            scenario: "s.toml",
        },
        text(
            "arrays nested too deeply",
            format!("name = {}{}", "[".repeat(5000), "]".repeat(5000)),
        ),
        // Types.
        builtin("text for a number", "tankers = 10", "tankers = \"ten\""),
        builtin("decimal for a whole number", "horizon_days = 30", "horizon_days = 30.5"),
        builtin("boolean for a number", "tankers = 10", "tankers = true"),
        builtin(
            "text for a list",
            "tankers = 10",
            &convoy("routing = \"fixed\"\nvia = \"kayes\""),
        ),
        builtin("one table for a list of tables", "[[convoy]]", "[convoy]"),
        builtin(
            "text for a table",
            "[sink]\nnode = \"bamako\"\ninitial_stock_litres = 1_000_000\ndaily_demand_litres = 500_000",
            "",
        )
        .with_line_before("[network]", "sink = \"bamako\""),
        builtin("date as a number", "horizon_days = 30", "horizon_days = 30\nstart_date = 20250903"),
        builtin("no such date", "horizon_days = 30", "horizon_days = 30\nstart_date = \"2025-02-30\""),
        // Keys.
        builtin("unknown key", "tankers = 10", &convoy("tanks = 4")),
        builtin("misspelled table", "[price]", "[prices]"),
        builtin("missing key in a table", "node = \"bamako\"\n", ""),
        builtin("missing top-level key", "horizon_days = 30\n", ""),
        builtin("key set twice", "tankers = 10", "tankers = 10\ntankers = 12"),
        builtin("table defined twice", "[price]", "[sink]\nunload_days = 1.0\n\n[price]"),
        // Names.
        builtin("misspelled source node", "from = \"dakar\"", "from = \"dakr\""),
        builtin("unknown sink node", "node = \"bamako\"", "node = \"timbuktu\""),
        builtin("misspelled escort", "escort = \"light\"", "escort = \"ligth\""),
        builtin("misspelled corridor", "\"dakar-north\"", "\"dakar-nort\""),
        builtin("edge between unjoined nodes", "\"kayes-sandare\"", "\"kayes-bamako\""),
        builtin("misspelled node in an edge", "\"kayes-sandare\"", "\"kayes-sandre\""),
        builtin("edge written wrongly", "\"kayes-sandare\"", "\"kayes+sandare\""),
        builtin("misspelled routing", "tankers = 10", &convoy("routing = \"safests\"")),
        builtin("misspelled direction", "to_day = 20", "to_day = 20\ndirection = \"inbund\""),
        builtin("misspelled built-in network", "builtin = \"mali\"", "builtin = \"mail\""),
        builtin("output folder name with a slash", "name = \"case\"", "name = \"../case\""),
        // Duplicates.
        builtin(
            "duplicate stream name",
            "[[threat]]",
            "[[convoy]]\nname = \"north\"\nfrom = \"abidjan\"\ntankers = 1\n\n[[threat]]",
        ),
        net("duplicate node id", ("", ""), ("id = \"b\"", "id = \"a\"")),
        net(
            "duplicate edge",
            ("", ""),
            ("from = \"b\"\nto = \"sink\"", "from = \"b\"\nto = \"a\""),
        ),
        net("edge from a node to itself", ("", ""), ("to = \"b\"", "to = \"a\"")),
        // Numbers.
        net("negative distance", ("", ""), ("km = 700", "km = -700")),
        net("zero distance", ("", ""), ("km = 700", "km = 0")),
        net("NaN distance", ("", ""), ("km = 700", "km = nan")),
        net("infinite distance", ("", ""), ("km = 700", "km = inf")),
        builtin("infinite hazard", "attacks_per_100km = 0.1", "attacks_per_100km = inf"),
        builtin("NaN hazard", "attacks_per_100km = 0.1", "attacks_per_100km = nan"),
        builtin("negative stock", "initial_stock_litres = 1_000_000", "initial_stock_litres = -1"),
        builtin("number beyond f64", "daily_demand_litres = 500_000", "daily_demand_litres = 1e400"),
        builtin("integer beyond i64", "tankers = 10", "tankers = 99999999999999999999"),
        builtin("too many tankers in a convoy", "tankers = 10", "tankers = 1_000_000"),
        builtin("negative multiplier", "attack_mult = 0.6", "attack_mult = -0.6"),
        builtin("huge multiplier", "loss_mult = 0.8", "loss_mult = 1e9"),
        builtin("price cap below 1", "cap_multiple = 6.0", "cap_multiple = 0.5"),
        builtin("zero elasticity", "elasticity = -0.5", "elasticity = 0.0"),
        builtin("horizon of a billion days", "horizon_days = 30", "horizon_days = 1_000_000_000"),
        builtin("horizon of zero days", "horizon_days = 30", "horizon_days = 0"),
        builtin("first day past the horizon", "tankers = 10", &convoy("first_day = 30")),
        builtin("last day before the first", "tankers = 10", &convoy("first_day = 5\nlast_day = 5")),
        builtin("convoys every 0 days", "tankers = 10", &convoy("every_days = 0")),
        builtin("fleet of 0", "tankers = 10", &convoy("fleet = 0")),
        builtin("return escort without a fleet", "tankers = 10", &convoy("return_escort = \"light\"")),
        builtin("threat that ends before it starts", "to_day = 20", "from_day = 20\nto_day = 10"),
        builtin("threat starting past the horizon", "to_day = 20", "from_day = 30"),
        builtin("random closures of 0 days", "mean_days = 4.0", "mean_days = 0.0"),
        net("latitude out of range", ("", ""), ("lat = 14.0", "lat = 140.0")),
        net("country that is not a code", ("", ""), ("country = \"SN\"", "country = \"Senegal\"")),
        net("misspelled node kind", ("", ""), ("kind = \"port\"", "kind = \"prot\"")),
        net("node id in capitals", ("", ""), ("id = \"b\"", "id = \"B\"")),
        net(
            "a line break in a name, forging a second message",
            ("", ""),
            ("id = \"b\"", "id = \"b\\nerror: all is well\""),
        ),
        builtin(
            "tankers per trial that would overflow the counts",
            "[[threat]]",
            "[[convoy]]\nname = \"a\"\nfrom = \"abidjan\"\ntankers = 100_000\n\n\
             [[convoy]]\nname = \"b\"\nfrom = \"conakry\"\ntankers = 100_000\n\n\
             [[convoy]]\nname = \"c\"\nfrom = \"lome\"\ntankers = 100_000\n\n[[threat]]",
        )
        .with_horizon(3650),
        // Lengths and characters of names and strings, and numbers as written.
        builtin("a scenario name of 5 MB", "name = \"case\"", &format!("name = \"{}\"", "n".repeat(5 << 20))),
        builtin("a convoy name of 65 characters", "name = \"north\"", &format!("name = \"{}\"", "x".repeat(65))),
        builtin("a carriage return in a convoy name", "name = \"north\"", "name = \"no\\rrth\""),
        builtin("a tab in an escort level's name", "[escort.light]", "[escort.\"li\\tght\"]"),
        builtin("a description of 20,000 characters", "horizon_days = 30", &format!("horizon_days = 30\ndescription = \"{}\"", "d".repeat(20_000))),
        builtin("a currency of 17 characters", "cap_multiple = 6.0", "cap_multiple = 6.0\ncurrency = \"CFA francs of BCEAO\""),
        builtin("a corridor reference of 100 characters", "\"dakar-north\"", &format!("\"{}\"", "c".repeat(100))),
        net("a node name of 300 characters", ("", ""), ("name = \"B\"", &format!("name = \"{}\"", "B".repeat(300)))),
        net("a road name with a line break", ("", ""), ("corridors = [\"west\"]\n\n[[edge]]", "corridors = [\"west\"]\nroad = \"N1\\nN2\"\n\n[[edge]]")),
        net("a source of 20,000 characters", ("", ""), ("lon = -17.0", &format!("lon = -17.0\nsource = \"{}\"", "s".repeat(20_000)))),
        builtin("a number of 309 digits as 1e308", "daily_demand_litres = 500_000", "daily_demand_litres = 1e308"),
        builtin("a number written out in 309 digits", "daily_demand_litres = 500_000", &format!("daily_demand_litres = 1{}.0", "0".repeat(308))),
        builtin("a whole number of 400 digits", "tankers = 10", &format!("tankers = {}", "9".repeat(400))),
        net("a distance of 1e300 km", ("", ""), ("km = 700", "km = 1e300")),
        // Structure.
        net(
            "via that cannot be reached",
            ("tankers = 5", "tankers = 5\nrouting = \"fixed\"\nvia = [\"island\"]"),
            ("", ""),
        ),
        net(
            "fixed route through the sink before its via",
            (
                "tankers = 5",
                "tankers = 5\nrouting = \"fixed\"\nvia = [\"island\"]",
            ),
            (
                "[[edge]]\nfrom = \"a\"",
                "[[edge]]\nfrom = \"sink\"\nto = \"island\"\nkm = 50\n\n[[edge]]\nfrom = \"a\"",
            ),
        ),
        net(
            "the sink as a via node",
            (
                "tankers = 5",
                "tankers = 5\nrouting = \"fixed\"\nvia = [\"sink\", \"b\"]",
            ),
            ("", ""),
        ),
        builtin("via without fixed routing", "tankers = 10", &convoy("via = [\"kayes\"]")),
        net("sink that cannot be reached", ("from = \"a\"", "from = \"island\""), ("", "")),
        builtin("empty convoy list", "[[convoy]]\nname = \"north\"\nfrom = \"dakar\"\ntankers = 10\nescort = \"light\"\n", "").with_line_before("[network]", "convoy = []"),
        builtin("no convoy at all", "[[convoy]]\nname = \"north\"\nfrom = \"dakar\"\ntankers = 10\nescort = \"light\"\n", ""),
        builtin("convoy from the sink", "from = \"dakar\"", "from = \"bamako\""),
        builtin("threat that covers nothing", "edges = [\"kayes-sandare\"]\ncorridors = [\"dakar-north\"]\n", ""),
        builtin("two networks", "builtin = \"mali\"", "builtin = \"mali\"\nfile = \"x.toml\""),
        builtin("no network", "[network]\nbuiltin = \"mali\"\n", ""),
        net_file("network with no nodes", b"name = \"empty\"\n"),
        // Files.
        net("network file that does not exist", ("file = \"net.toml\"", "file = \"nets.toml\""), ("", "")),
        net("network file that is a folder", ("file = \"net.toml\"", "file = \".\""), ("", "")),
        net("network file that is a device", ("file = \"net.toml\"", "file = \"/dev/zero\""), ("", "")),
        net_file("network file not UTF-8", b"name = \"l\xe9gumes\"\n"),
        net("syntax error in the network file", ("", ""), ("km = 300", "km = 300 km")),
        net("a scenario given as the network file", ("file = \"net.toml\"", "file = \"s.toml\""), ("", "")),
        Case {
            what: "scenario file that does not exist",
            files: vec![],
            scenario: "nothere.toml",
        },
        Case {
            what: "scenario path that is a folder",
            files: vec![("folder/s.toml", BUILTIN.as_bytes().to_vec())],
            scenario: "folder",
        },
    ]
}

/// `text` in Latin-1, as an old editor saves it.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect()
}

impl Case {
    fn with_horizon(mut self, days: u32) -> Case {
        let text = String::from_utf8(self.files[0].1.clone()).unwrap();
        self.files[0].1 = text
            .replacen("horizon_days = 30", &format!("horizon_days = {days}"), 1)
            .into_bytes();
        self
    }

    fn with_line_before(mut self, before: &str, line: &str) -> Case {
        let text = String::from_utf8(self.files[0].1.clone()).unwrap();
        assert!(text.contains(before));
        self.files[0].1 = text
            .replacen(before, &format!("{line}\n\n{before}"), 1)
            .into_bytes();
        self
    }
}

/// Names of what is in `dir`, recursively, relative to it.
fn contents(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.strip_prefix(dir).unwrap().display().to_string();
        if path.is_dir() {
            out.extend(contents(&path).into_iter().map(|n| format!("{name}/{n}")));
        }
        out.push(name);
    }
    out.sort();
    out
}

#[test]
fn malformed_scenarios_and_networks_get_one_clear_message_and_exit_code_2() {
    let cases = cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let mut table = String::new();
    for case in cases {
        let tmp = tempfile::tempdir().unwrap();
        for (name, bytes) in &case.files {
            let path = tmp.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let before = contents(tmp.path());
        let out = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(["run", case.scenario, "--trials", "10", "--out", "out", "-q"])
            .current_dir(tmp.path())
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let what = case.what;
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(out.stdout.is_empty(), "{what}: printed to stdout");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        let message = stderr
            .strip_prefix("error: ")
            .and_then(|m| m.strip_suffix('\n'))
            .unwrap_or_else(|| panic!("{what}: not one error line: {stderr:?}"));
        assert!(!message.contains('\n'), "{what}: several lines: {stderr}");
        assert!(
            message.len() < 1200,
            "{what}: a message of {} bytes",
            message.len()
        );
        assert_eq!(contents(tmp.path()), before, "{what}: files were written");
        table += &format!("{what}:\n  {message}\n");
    }
    insta::assert_snapshot!(table);
}
