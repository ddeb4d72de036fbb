#!/bin/sh
# Hardware counters: counted where the machine has them, and where it has
# none (this project's CI machine) the run says why and the benchmark
# still runs on timings alone.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench falseshare --quick --quiet --threads 1 --distance 8 --variants atomic -o "$WORK/d"
expect_status 0
[ -s "$WORK/d/falseshare.csv" ] || fail "no timings without counters"
if [ -s "$WORK/d/counters.csv" ]; then
	head -n 1 "$WORK/d/counters.csv" | grep -q '^benchmark,event,value$' || fail "counters.csv header"
	awk -F, '$1 == "falseshare" && $2 == "PAPI_TOT_CYC" && $3 > 0 { ok = 1 } END { exit !ok }' \
		"$WORK/d/counters.csv" || fail "no cycles counted: $(cat "$WORK/d/counters.csv")"
else
	# The reason is PAPI's own (no PMU, perf_event_paranoid, ...) or the build's.
	grep -A1 '"what": "counters"' "$WORK/d/meta.json" | grep -q '"why": ".*PAPI' ||
		fail "no counters and no reason in meta.json"
fi

# A suite run records the same.
run run --quick --quiet --only falseshare -o "$WORK/r"
expect_status 0
[ -s "$WORK/r/counters.csv" ] || grep -q '"what": "counters"' "$WORK/r/meta.json" ||
	fail "the suite neither counted nor said why"

run bench falseshare --events ,PAPI_TOT_CYC
expect_error 2 "invalid event name '' in --events"
run bench c2c --events E1,E2,E3,E4,E5,E6,E7,E8,E9
expect_error 2 "more than 8 events in --events"
run run --events ""
expect_error 2 "--events names no event"

finish
