#!/usr/bin/env bash
# Re-runs the worked examples of README.md ("Worked example: the Bamako blockade") and copies
# their charts here. Run from the repository after `cargo build --release`; the tables in the
# README are the commands' console output with the same seed and trial counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
c="$PWD/target/release/corridor"
here="$PWD/docs/analysis"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
s="$PWD/scenarios"
(
    cd "$tmp"
    "$c" criticality -q --out crit
    "$c" compare "$s/escort-policy-daily-light.toml" "$s/escort-policy-weekly-heavy.toml" -q --out cmp
    sed '/^ration = /d; s/^name = "bamako-2025"/name = "no-ration"/' "$s/bamako-2025.toml" > no-ration.toml
    "$c" compare "$s/bamako-2025.toml" no-ration.toml -q --out ration
    "$c" sweep "$s/escort-policy-weekly-heavy.toml" --grid --set 'staging[diboli].units=1,2,3' \
        --set 'staging[diboli].min_tankers=25,50,100' -q --out escort-grid
    "$c" optimize --units 4 -q --out optimize
    "$c" sweep --metric unserved_litres --set 'convoy[dakar-north].tankers=8,12,16' \
        --set escort.army.attack_mult=0.25,0.5,1 --set 'threat[3].attacks_per_100km=0.025,0.05,0.1' \
        --set sink.initial_stock_litres=5e6,13e6,18e6 -q --out tornado
    "$c" sweep --grid --set 'convoy[dakar-north].tankers=8,12,16' \
        --set 'convoy[dakar-north].fleet=180,270,360' -q --out grid
)
cp "$tmp/crit/criticality.svg" "$tmp/crit/map.svg" "$here/"
cp "$tmp/cmp/stock.svg" "$here/compare-stock.svg"
cp "$tmp/ration/stock.svg" "$here/ration-stock.svg"
cp "$tmp/escort-grid/grid.svg" "$here/escort-grid.svg"
cp "$tmp/optimize/optimize.svg" "$here/optimize.svg"
cp "$tmp/tornado/tornado.svg" "$tmp/grid/grid.svg" "$here/"
echo "docs/analysis: charts regenerated"
