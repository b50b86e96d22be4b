//! `report.html` in a real browser: headless Chromium lays the page out, and a probe script
//! (added to a copy of the page, never to the report) reports what it rendered. Skipped with
//! a message when Chromium is missing, unless `CORRIDOR_REQUIRE_CHROMIUM=1` (set by
//! `.ci/run`), which makes a missing browser a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

const WIDTH: u32 = 1200;

fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    let found = candidates.into_iter().find(|p| p.is_file());
    if found.is_none() {
        let required = std::env::var("CORRIDOR_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "CORRIDOR_REQUIRE_CHROMIUM=1 but no Chromium: install Debian's `chromium` package"
        );
        eprintln!("skipped: no Chromium (apt-get install chromium, or set CHROMIUM=/path)");
    }
    found
}

/// Runs headless Chromium on a file with a fresh profile, offline, and returns stdout.
fn headless(browser: &Path, page: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={WIDTH},1600"))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Measures what the browser laid out and writes it into the page as one line of text.
const PROBE: &str = r#"<script>
const boxes = [...document.querySelectorAll("figure svg")].map(s => s.getBoundingClientRect());
const texts = [...document.querySelectorAll("figure svg text")].filter(t => t.getBBox().width > 0).length;
const probe = {
  figures: document.querySelectorAll("figure").length,
  svgs: boxes.length,
  narrowest: Math.min(...boxes.map(b => b.width)),
  shortest: Math.min(...boxes.map(b => b.height)),
  widest: Math.max(...boxes.map(b => b.right)),
  texts: texts,
  tables: document.querySelectorAll("table").length,
  overflow: document.documentElement.scrollWidth > window.innerWidth,
  spills: [...document.querySelectorAll("table, figure")].filter(
    e => e.getBoundingClientRect().right > document.querySelector("main").getBoundingClientRect().right + 1).length,
  h1: document.querySelector("h1").textContent,
};
// Split markers, so that the script's own text in the dumped DOM never matches them.
document.body.insertAdjacentHTML("beforeend", "<pre>" + "PRO" + "BE " + JSON.stringify(probe) + " EN" + "D</pre>");
</script>"#;

/// Runs `corridor run` with `args` in `dir`, writing to `dir/out`, and returns its report.
fn report_of(dir: &Path, args: &[&str]) -> PathBuf {
    let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["run", "-n", "200", "--out", "out", "-q"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join("out/report.html")
}

/// Lays a report out in Chromium and returns what the probe measured.
fn probe(browser: &Path, report: &Path) -> serde_json::Value {
    let html = std::fs::read_to_string(report).unwrap();
    // Self-contained: nothing to fetch.
    for outside in [
        "<script", "<link", "<img", "<iframe", "url(", "@import", "src=",
    ] {
        assert!(!html.contains(outside), "report.html has {outside}");
    }
    let probed = report.with_file_name("probed.html");
    std::fs::write(
        &probed,
        html.replace("</body>", &format!("{PROBE}\n</body>")),
    )
    .unwrap();
    let dom = headless(browser, &probed, &["--dump-dom".to_string()]);
    let json = dom
        .split("PROBE ")
        .nth(1)
        .and_then(|rest| rest.split(" END").next())
        .unwrap_or_else(|| panic!("no probe in the DOM:\n{dom}"));
    let probe: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    eprintln!("what Chromium laid out: {probe}");
    assert!(probe["narrowest"].as_f64().unwrap() >= 600.0, "{probe}");
    assert!(probe["shortest"].as_f64().unwrap() >= 200.0, "{probe}");
    assert!(
        probe["widest"].as_f64().unwrap() <= f64::from(WIDTH),
        "{probe}"
    );
    assert_eq!(probe["overflow"], false, "{probe}");
    assert_eq!(
        probe["spills"], 0,
        "a table or chart is wider than the page: {probe}"
    );
    probe
}

#[test]
fn the_report_renders_in_chromium_with_every_chart() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let report = report_of(tmp.path(), &[]);
    let probe = probe(&browser, &report);
    assert_eq!(probe["h1"], "bamako-2025");
    let r = corridor::simulate(&corridor::Scenario::builtin_default(), 1, 10, 1);
    assert_eq!(
        probe["figures"],
        corridor::report::chart::charts(&r).len(),
        "every chart of the run: {probe}"
    );
    assert_eq!(probe["svgs"], probe["figures"], "{probe}");
    assert!(probe["texts"].as_u64().unwrap() > 150, "{probe}");
    assert!(probe["tables"].as_u64().unwrap() >= 4, "{probe}");

    // And a screenshot of the real page that is not blank.
    let shot = tmp.path().join("shot.png");
    headless(
        &browser,
        &report,
        &[format!("--screenshot={}", shot.display())],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.width, WIDTH);
    let step = info.color_type.samples();
    let dark = pixels
        .chunks(step)
        .filter(|p| p[..3].iter().all(|&c| c < 90))
        .count();
    assert!(dark > 5_000, "{dark} dark pixels: the page looks blank");
}

#[test]
fn a_report_with_fleets_fits_the_page_too() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let network = line_network(&["a", "b", "sink"], &[100.0, 100.0], &[0.0, 0.0, 0.0]);
    let mut text = with_stream(
        &network,
        30,
        "tankers = 4\nfleet = 12",
        "[[threat]]\nedges = [\"a-b\"]\nattacks_per_100km = 0.5\n",
    );
    text += "\n[[convoy]]\nname = \"a-second-stream-with-a-long-name\"\nfrom = \"a\"\ntankers = 3\nfleet = 9\n";
    std::fs::write(tmp.path().join("fleets.toml"), text).unwrap();
    let report = report_of(tmp.path(), &["fleets.toml"]);
    let probe = probe(&browser, &report);
    assert_eq!(probe["figures"], 8, "six charts and two fleets: {probe}");
}

#[test]
fn a_report_of_several_sinks_classes_and_a_staging_point_fits_the_page() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let s = two_sinks_and_staging();
    let r = corridor::simulate(&s, 1, 100, 2);
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in corridor::report::files::run_files(&s.to_resolved_toml(), &r) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["chart", "out"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let probe = probe(&browser, &dir.join("report.html"));
    let charts = corridor::report::chart::charts(&r).len();
    assert_eq!(probe["figures"], charts, "{probe}");
    // Summary, sinks, classes, streams, fleets, staging, scenario and run.
    assert!(probe["tables"].as_u64().unwrap() >= 7, "{probe}");
}
