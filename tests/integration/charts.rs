//! The charts and the report: what each SVG says (titles, axes, series), PNGs drawn with the
//! embedded font, and `corridor chart` redrawing a run's files byte for byte.

use std::path::Path;
use std::process::{Command, Output};

use corridor::report::RunResults;
use corridor::report::chart::{self, ChartKind};

use crate::common::*;

fn corridor(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every chart of a run as (file name, SVG).
fn svgs(r: &RunResults) -> Vec<(String, String)> {
    chart::charts(r)
        .iter()
        .map(|c| (c.name.clone(), chart::render_svg(c, r).unwrap()))
        .collect()
}

fn assert_has(svg: &str, name: &str, needles: &[&str]) {
    for needle in needles {
        assert!(svg.contains(needle), "{name}.svg lacks {needle:?}");
    }
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

#[test]
fn every_chart_of_the_default_scenario_has_its_title_axes_and_series() {
    let r = corridor::simulate(&corridor::Scenario::builtin_default(), 1, 200, 2);
    let all = svgs(&r);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..6],
        [
            "stock",
            "price",
            "deliveries",
            "delivered",
            "streams",
            "map"
        ]
    );
    // Then one fleet-size chart per fleet stream, the stock and price of every sink after
    // the first, the served share of each sink with classes and each staging point's queue.
    let fleets = r.fleets.len();
    assert!(
        names[6..6 + fleets].iter().all(|n| n.starts_with("fleet-")),
        "{names:?}"
    );
    assert_eq!(names.len(), 6 + fleets + places(&r), "{names:?}");
    for (name, svg) in &all {
        assert!(svg.starts_with("<svg width=\"1000\" "), "{name}");
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        assert!(!svg.contains("NaN"), "{name}");
        assert_has(svg, name, &["bamako-2025: ", "200 trials"]);
        assert_eq!(count(svg, "<text"), count(svg, "</text>"), "{name}");
    }
    let svg = |n: &str| &all.iter().find(|(name, _)| name == n).unwrap().1;
    // Fans: two bands, the median, the legend, dates on the x axis.
    for (name, title, y_axis) in [
        (
            "stock",
            "Fuel stock in Bamako",
            "Stock, days of normal demand",
        ),
        (
            "price",
            "Street price of fuel in Bamako",
            "Street price, XOF per litre",
        ),
        (
            "deliveries",
            "Fuel delivered to Bamako each day",
            "Delivered, million litres per day",
        ),
    ] {
        let s = svg(name);
        assert_has(
            s,
            name,
            &[
                title,
                y_axis,
                "Date (2025)",
                "15 Sep",
                "1 Dec",
                "5-95 % of trials",
                "25-75 %",
                "Median",
            ],
        );
        assert!(count(s, "<polygon") >= 2, "{name}: the two bands");
        assert!(count(s, "<polyline") >= 2, "{name}: the median line");
    }
    assert_has(
        svg("stock"),
        "stock",
        &["Stock empty in half the trials or more", "empty"],
    );
    assert_has(
        svg("price"),
        "price",
        &[
            "Official pump price, 775 XOF/L",
            "Ceiling of the model, 4,650 XOF/L",
        ],
    );
    assert_has(
        svg("deliveries"),
        "deliveries",
        &["Normal demand, 2.6 M L a day", "Mean"],
    );
    let d = r.metric("delivered_litres");
    let ml = |x: f64| corridor::report::table::grouped(x / 1e6, 1);
    assert_has(
        svg("delivered"),
        "delivered",
        &[
            "Total fuel delivered to Bamako",
            "Share of trials, %",
            "Fuel delivered to Bamako in 90 days, million litres",
            &format!("mean {}", ml(d.mean)),
            &format!("5 %: {}", ml(d.p5)),
            &format!("95 %: {}", ml(d.p95)),
        ],
    );
    let streams = svg("streams");
    assert_has(
        streams,
        "streams",
        &[
            "Fuel, million litres",
            "Tankers destroyed",
            "Fuel delivered",
        ],
    );
    for s in &r.streams {
        assert_has(streams, "streams", &[&format!(">\n{}\n</text>", s.name)]);
    }
    assert_has(
        svg("map"),
        "map",
        &[
            "Where tankers were destroyed",
            "Bamako (sink, ML)",
            "Dakar (SN)",
            "Abidjan (CI)",
            "Mean tankers destroyed per trial",
            "Sea port",
            " km",
            "15°N",
            "10°W",
            "Country border",
            "Borders and coast: Natural Earth.",
        ],
    );
    // A road for every edge of the network, on top of the frame and the graticule.
    assert!(count(svg("map"), "<polyline") >= r.edges.len());
    // The sea, the land, and dashed borders under the roads.
    let map = svg("map");
    assert_eq!(count(map, r##"fill="#E8F0F6""##), 1, "one sea");
    assert!(
        count(map, r##"<polygon opacity="1" fill="#FFFFFF""##) >= 5,
        "land"
    );
    let border = map.find(r##"stroke="#A8A8A8""##).unwrap();
    assert!(count(map, r##"stroke="#A8A8A8""##) > 100, "dashed borders");
    assert!(
        border < map.find("Bamako (sink, ML)").unwrap(),
        "under the roads' labels"
    );
}

#[test]
fn a_map_beyond_the_embedded_borders_draws_no_sea_and_credits_no_source() {
    let network = line_network(&["a", "b", "sink"], &[100.0, 100.0], &[0.0, 0.0, 0.0])
        .replace("lat = 13.0", "lat = 47.0");
    let s = scenario(&with_stream(&network, 12, "tankers = 2", ""));
    let r = corridor::simulate(&s, 1, 20, 1);
    let map = chart::charts(&r)
        .iter()
        .find(|c| c.name == "map")
        .map(|c| chart::render_svg(c, &r).unwrap())
        .unwrap();
    for absent in [
        "#E8F0F6",
        "#A8A8A8",
        "#A6BDCF",
        "Natural Earth",
        "Country border",
    ] {
        assert!(!map.contains(absent), "{absent}");
    }
    assert!(map.contains("Equirectangular projection"));
}

#[test]
fn a_run_without_attacks_or_dates_still_charts_clearly() {
    let network = line_network(&["a", "b", "sink"], &[100.0, 100.0], &[0.0, 0.0, 0.0]);
    let s = scenario(&with_stream(&network, 12, "tankers = 2", ""));
    let r = corridor::simulate(&s, 1, 20, 1);
    for (name, svg) in svgs(&r) {
        assert!(!svg.contains("NaN"), "{name}");
        if name == "stock" {
            assert_has(
                &svg,
                &name,
                &["Day of the scenario (day 0 is the first day)"],
            );
        }
        if name == "map" {
            assert_has(
                &svg,
                &name,
                &[
                    "t: The corridors",
                    "no convoy was attacked in any trial",
                    "No attacks",
                ],
            );
        }
    }
}

#[test]
fn a_fleet_stream_gets_a_fleet_chart() {
    let network = line_network(&["a", "b", "sink"], &[100.0, 100.0], &[0.0, 0.0, 0.0]);
    let s = scenario(&with_stream(
        &network,
        20,
        "tankers = 4\nfleet = 6",
        "[[threat]]\nedges = [\"a-b\"]\nattacks_per_100km = 0.5\n",
    ));
    let r = corridor::simulate(&s, 1, 50, 2);
    let list = chart::charts(&r);
    let fleet = list.last().unwrap();
    assert_eq!(fleet.kind, ChartKind::Fleet(0));
    assert_eq!(fleet.name, "fleet-s");
    let svg = chart::render_svg(fleet, &r).unwrap();
    assert_has(
        &svg,
        "fleet-s",
        &[
            "t: Tankers left in the fleet of s",
            "Tankers in the fleet",
            "Fleet at the start, 6",
            "Mean",
        ],
    );
}

#[test]
fn png_charts_are_drawn_with_the_embedded_font() {
    let r = corridor::simulate(&corridor::Scenario::builtin_default(), 1, 50, 2);
    let stock = &chart::charts(&r)[0];
    let bytes = chart::render_png(stock, &r).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), stock.size(&r));
    // The title, top left, is drawn in dark ink: text rendered without a system font.
    let dark = (10..45)
        .flat_map(|y| (20..400).map(move |x| (y * info.width as usize + x) * 3))
        .filter(|&i| pixels[i] < 80 && pixels[i + 1] < 80 && pixels[i + 2] < 80)
        .count();
    assert!(dark > 500, "{dark} dark pixels in the title");
    assert_eq!(bytes, chart::render_png(stock, &r).unwrap());
}

#[test]
fn run_writes_the_charts_and_the_report_and_chart_redraws_them_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let s = repo().join("scenarios/bamako-2025.toml");
    let o = corridor(
        &[
            "run",
            s.to_str().unwrap(),
            "-n",
            "300",
            "--out",
            "out",
            "-q",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    let mut names: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".svg")
                .to_string()
        })
        .collect();
    names.sort();
    let r = corridor::simulate(&corridor::Scenario::load(&s).unwrap(), 1, 10, 1);
    assert_eq!(names.len(), 6 + r.fleets.len() + places(&r), "{names:?}");
    let read = |p: &str| std::fs::read(out.join(p)).unwrap();
    let first: Vec<Vec<u8>> = names
        .iter()
        .map(|n| read(&format!("charts/{n}.svg")))
        .chain([read("report.html")])
        .collect();
    let meta: serde_json::Value = serde_json::from_slice(&read("run.json")).unwrap();
    assert_eq!(
        meta["scenario_sha256"],
        corridor::report::meta::sha256_hex(&read("scenario.toml"))
    );
    let html = String::from_utf8(read("report.html")).unwrap();
    assert_eq!(count(&html, "<figure"), names.len());
    assert_eq!(count(&html, "<svg "), names.len());

    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    let o = corridor(&["chart", "out", "--format", "both"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{} charts", names.len())));
    for (k, n) in names.iter().enumerate() {
        assert!(
            read(&format!("charts/{n}.svg")) == first[k],
            "{n}.svg differs"
        );
        assert!(read(&format!("charts/{n}.png")).starts_with(b"\x89PNG\r\n\x1a\n"));
    }
    assert!(
        read("report.html") == first[names.len()],
        "report.html differs"
    );
    let png = read("charts/map.png");
    let o = corridor(&["chart", "out", "-f", "png"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read("charts/map.png") == png, "map.png differs");
}

#[test]
fn charts_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    for t in ["1", "2"] {
        let o = corridor(&["run", "-n", "200", "-j", t, "--out", t, "-q"], tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for n in [
        "stock",
        "price",
        "deliveries",
        "delivered",
        "streams",
        "map",
    ] {
        let file = format!("charts/{n}.svg");
        let a = std::fs::read(tmp.path().join("1").join(&file)).unwrap();
        let b = std::fs::read(tmp.path().join("2").join(&file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
}

#[test]
fn no_charts_skips_the_charts_and_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let o = corridor(
        &["run", "-n", "50", "--out", "out", "-q", "--no-charts"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    assert!(out.join("summary.json").is_file() && out.join("run.json").is_file());
    assert!(!out.join("charts").exists() && !out.join("report.html").exists());
    // They can be drawn later, even without run.json.
    std::fs::remove_file(out.join("run.json")).unwrap();
    let o = corridor(&["chart", "out"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("charts/map.svg").is_file());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Wall time of the trials</th><td><span class=\"muted\">not recorded"));
}

#[test]
fn chart_explains_a_folder_that_is_not_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    let cases = [
        ("missing", "missing: no such folder"),
        (
            "empty",
            "results.json: no such file; give the output folder of `corridor run`",
        ),
    ];
    for (dir, expected) in cases {
        let o = corridor(&["chart", dir], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{dir}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{dir}: {}", stderr(&o));
    }
    std::fs::write(tmp.path().join("empty/results.json"), "{\"scenario\": 1}").unwrap();
    let o = corridor(&["chart", "empty"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("results.json:1:"), "{}", stderr(&o));
}

/// The charts of a run's places beyond the headline sink's: two per further sink, one per
/// sink with several demand classes, one per staging point.
fn places(r: &corridor::report::RunResults) -> usize {
    2 * (r.sinks.len() - 1)
        + r.sinks.iter().filter(|s| s.classes.len() > 1).count()
        + r.staging.len()
}
