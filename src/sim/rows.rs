//! One row per trial, for `run --per-trial`: the trial metrics and the per-sink, per-stream
//! and per-staging-point figures of a trial as one flat row of numbers, and the hand-over of
//! finished blocks of rows to whoever writes them ([`BlockSink`]). Like the rest of `sim`
//! it does no I/O: the writer (`per_trial`) lives outside and receives blocks.

use super::model::Model;
use super::outcome::{METRICS, SINK_FIELDS, STAGING_FIELDS, STREAM_FIELDS, TrialOutcome};

/// The width of a trial's row (without its trial index): the metrics, then every sink's
/// `SINK_FIELDS`, every stream's `STREAM_FIELDS`, every staging point's `STAGING_FIELDS`.
pub fn row_width(model: &Model) -> usize {
    METRICS.len()
        + model.sinks.len() * SINK_FIELDS.len()
        + model.streams.len() * STREAM_FIELDS.len()
        + model.staging.len() * STAGING_FIELDS.len()
}

/// Appends trial `out`'s row (in the order of [`row_width`]) to `rows`.
pub fn push_row(out: &TrialOutcome, rows: &mut Vec<f64>) {
    rows.extend_from_slice(&out.metrics());
    for s in &out.sinks {
        rows.extend_from_slice(&s.values());
    }
    for s in &out.streams {
        rows.extend_from_slice(&s.values());
    }
    for s in &out.staging {
        rows.extend_from_slice(&s.values());
    }
}

/// Receives the rows of a run's blocks, in any order, from several threads, and writes them
/// in trial order. Block `b` holds the trials `first + b × len ..` of the run.
pub trait BlockSink: Sync {
    /// Waits (briefly, rechecking `stop`) until block `b` may be simulated: a worker must
    /// not run too far ahead of the oldest block not yet written, so that the blocks held
    /// back for their turn stay few. Never waits for the oldest unwritten block itself.
    fn wait_turn(&self, block: u64, stop: &std::sync::atomic::AtomicBool);
    /// Block `b`'s rows, `row_width` numbers per trial. A block cut short by a stop holds
    /// fewer rows; the run is then incomplete and its rows are not kept.
    fn deliver(&self, block: u64, rows: Vec<f64>);
    /// Whether writing has failed (a full disk): the workers stop, as at a signal.
    fn failed(&self) -> bool;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use crate::sim::trial::{NoTrace, Scratch, simulate_trial};

    #[test]
    fn a_row_holds_every_figure_of_its_trial_in_order() {
        let model = Model::new(&Scenario::builtin_default());
        let (mut scratch, mut out) = (Scratch::default(), TrialOutcome::new(&model));
        simulate_trial(&model, 1, 0, &mut scratch, &mut out, &mut NoTrace);
        let mut row = Vec::new();
        push_row(&out, &mut row);
        assert_eq!(row.len(), row_width(&model));
        assert_eq!(row[..METRICS.len()], out.metrics());
        let stream0 = METRICS.len() + model.sinks.len() * SINK_FIELDS.len();
        assert_eq!(row[stream0..stream0 + 6], out.streams[0].values());
    }
}
