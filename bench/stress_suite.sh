#!/usr/bin/env bash
# The test suite, N times in a row, beside a CPU hog on both cores: the suite must be deterministic under load
# (its tests wait on events, never on the clock). Installs nothing: needs stress-ng (Debian: apt-get install
# stress-ng) and the test dependencies (pip install -e '.[test]').
#
# Usage: bench/stress_suite.sh [RUNS (default 3)] [extra pytest arguments...]
# Prints each run's summary line (and its failed tests), writes the same to bench/results/stress-suite.md, keeps
# the whole output of a failed run (its path is printed) and exits 1 when any run failed, 2 when stress-ng is
# missing.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
shift $(( $# > 0 ? 1 : 0 ))
if ! command -v stress-ng >/dev/null; then
    echo "stress-ng is not installed (Debian: apt-get install stress-ng)" >&2
    exit 2
fi

stress-ng --cpu 2 --timeout 0 --quiet &
hog=$!
trap 'kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null' EXIT

report=bench/results/stress-suite.md
{
    echo "# The suite beside a CPU hog"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, \`stress-ng --cpu 2\` running beside"
    echo "\`python3 -m pytest -n 2 -p no:cacheprovider -q $*\`, $runs runs in a row."
    echo
} >"$report"

failed=0
for run in $(seq 1 "$runs"); do
    log=$(mktemp)
    started=$(date +%s)
    python3 -m pytest -n 2 -p no:cacheprovider -q -r fE "$@" >"$log" 2>&1
    status=$?
    line="run $run/$runs: exit $status in $(( $(date +%s) - started )) s: $(tail -n 1 "$log")"
    echo "$line" | tee -a "$report"
    if [ "$status" -ne 0 ]; then
        failed=$((failed + 1))
        grep -E "^(FAILED|ERROR) " "$log" | sed 's/^/    /' | tee -a "$report"
        echo "    whole output: $log"
    else
        rm -f "$log"
    fi
done

echo | tee -a "$report"
echo "$failed of $runs runs failed" | tee -a "$report"
[ "$failed" -eq 0 ]
