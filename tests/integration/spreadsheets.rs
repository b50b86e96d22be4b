//! Names a spreadsheet would take for formulas (`=HYPERLINK(...)`, `+1`, `-x`, `@SUM(...)`)
//! or that would break a CSV reader (a comma, a quote), through the real binary into every
//! CSV it writes: each text cell is quoted as RFC 4180 says and starts with `'` if it would
//! start a formula, as OWASP advises, while numbers, negative ones too, stay numbers.

use std::path::Path;

use crate::binary::*;
use crate::common::fixture;

/// The names a hostile or careless author might give.
const NAMES: [&str; 5] = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1",
    "-x",
    "@SUM(A1)",
    "a,b \"quoted\"",
];

/// The dwell example with those convoy names, a road named `=1+1` and a corridor `-west`.
fn hostile_scenario(dir: &Path) -> String {
    let mut text = std::fs::read_to_string(fixture("examples/dwell.toml"))
        .unwrap()
        .replace("corridors = [\"west\"]", "corridors = [\"-west\"]")
        .replace("road = \"R\"", "road = \"=1+1\"");
    let convoy = text.split_off(text.find("[[convoy]]").unwrap());
    for name in NAMES {
        let quoted = toml::Value::String(name.to_string()).to_string();
        text += &convoy.replacen("name = \"west\"", &format!("name = {quoted}"), 1);
        text += "\n";
    }
    let path = dir.join("hostile.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The cells of a CSV text, as RFC 4180 reads them.
fn cells(csv: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new()]];
    let (mut quoted, mut chars) = (false, csv.chars().peekable());
    while let Some(c) = chars.next() {
        let row = rows.last_mut().unwrap();
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                row.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(String::new()),
            ('\n', false) => rows.push(vec![String::new()]),
            (c, _) => row.last_mut().unwrap().push(c),
        }
    }
    rows.retain(|r| r.len() > 1 || !r[0].is_empty());
    rows
}

/// Every text cell is safe: no cell a spreadsheet would evaluate, unless it is a number.
fn assert_safe(file: &Path) -> Vec<Vec<String>> {
    let rows = cells(&std::fs::read_to_string(file).unwrap());
    for cell in rows.iter().flatten() {
        let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        assert!(
            !formula || cell.parse::<f64>().is_ok(),
            "{}: {cell:?}",
            file.display()
        );
    }
    rows
}

#[test]
fn names_that_look_like_formulas_reach_every_csv_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let file = hostile_scenario(tmp.path());
    ok(corridor(
        &["run", &file, "-n", "20", "--out", "run", "-q"],
        tmp.path(),
    ));
    let streams = assert_safe(&tmp.path().join("run/streams.csv"));
    let names: Vec<&str> = streams[1..].iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<String> = NAMES
        .iter()
        .map(|n| {
            if n.starts_with(['=', '+', '-', '@']) {
                format!("'{n}")
            } else {
                n.to_string()
            }
        })
        .collect();
    assert_eq!(names, expected);
    let edges = assert_safe(&tmp.path().join("run/edges.csv"));
    assert_eq!(edges[1][4], "'=1+1");
    assert_safe(&tmp.path().join("run/daily.csv"));

    let o = ok(corridor(&["network", &file, "--format", "csv"], tmp.path()));
    std::fs::write(tmp.path().join("network.csv"), stdout(&o)).unwrap();
    let network = assert_safe(&tmp.path().join("network.csv"));
    assert_eq!(
        (network[1][3].as_str(), network[1][4].as_str()),
        ("'=1+1", "'-west")
    );

    let args = [
        "criticality",
        &file,
        "-n",
        "20",
        "--out",
        "crit",
        "-q",
        "--no-charts",
    ];
    ok(corridor(&args, tmp.path()));
    let critical = assert_safe(&tmp.path().join("crit/criticality.csv"));
    assert!(critical.iter().any(|r| r[3] == "'-west"), "{critical:?}");
    // A negative number stays a number.
    assert!(
        critical[1..]
            .iter()
            .any(|r| r[8].starts_with('-') && r[8].parse::<f64>().is_ok()),
        "{critical:?}"
    );
}
