//! A `results.json` read back (by `corridor chart`) checked for the layout the charts and
//! the report index: every daily series one value per day of the horizon, every table of
//! means as long as its list of fields, every road between two of its places. A damaged or
//! edited file is refused with what is wrong rather than drawn past an array's end.

use super::RunResults;
use crate::sim::outcome::{
    CLASS_FIELDS, DAILY, METRICS, SINK_FIELDS, STAGING_FIELDS, STREAM_FIELDS,
};

impl RunResults {
    /// The first thing in `self` that does not fit its own horizon and lists, if any.
    pub fn layout_error(&self) -> Option<String> {
        let h = self.horizon_days as usize;
        let days = |what: &str, n: usize| (n != h).then(|| format!("{what} has {n} days, not {h}"));
        let count = |what: &str, n: usize, want: usize| {
            (n != want).then(|| format!("{what} has {n} values, not {want}"))
        };
        let mut problems = Vec::new();
        problems.push(count("metrics", self.metrics.len(), METRICS.len()));
        problems.push(count("daily", self.daily.len(), DAILY.len()));
        problems.extend(self.daily.iter().map(|s| days("a daily series", s.len())));
        for s in &self.streams {
            problems.push(count(
                "a stream's means",
                s.means.len(),
                STREAM_FIELDS.len(),
            ));
        }
        for f in &self.fleets {
            problems.push(days("a fleet's series", f.alive.len()));
        }
        if self.sinks.is_empty() {
            problems.push(Some("there are no sinks".to_string()));
        }
        for sink in &self.sinks {
            problems.push(count("a sink's means", sink.means.len(), SINK_FIELDS.len()));
            problems.push(count("a sink's daily", sink.daily.len(), DAILY.len()));
            problems.extend(sink.daily.iter().map(|s| days("a sink's series", s.len())));
            if sink.classes.is_empty() {
                problems.push(Some(format!("sink {} has no demand class", sink.node)));
            }
            for c in &sink.classes {
                problems.push(count("a class's means", c.means.len(), CLASS_FIELDS.len()));
                let want = if sink.has_class_series() { h } else { 0 };
                problems.push(count("a class's served share", c.served.len(), want));
            }
        }
        for p in &self.staging {
            problems.push(count(
                "a staging point's means",
                p.means.len(),
                STAGING_FIELDS.len(),
            ));
            problems.push(days("a staging queue", p.queue.len()));
            problems.push(days("a staging point's convoys", p.formed.len()));
        }
        let places = self.nodes.len();
        if self
            .edges
            .iter()
            .any(|e| e.from >= places || e.to >= places)
        {
            problems.push(Some(format!(
                "a road joins a place beyond the {places} listed"
            )));
        }
        problems.into_iter().flatten().next()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_fits_its_layout_and_a_cut_series_does_not() {
        let s = crate::Scenario::builtin_default();
        let mut r = crate::simulate(&s, 1, 4, 1);
        assert_eq!(r.layout_error(), None);
        r.sinks[0].daily[3].pop();
        assert_eq!(
            r.layout_error().as_deref(),
            Some("a sink's series has 89 days, not 90")
        );
        r.sinks.clear();
        assert_eq!(r.layout_error().as_deref(), Some("there are no sinks"));
    }
}
