#!/bin/sh
# bench c2c --quick: every ordered pair, both variants, files and options.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench c2c --quick --quiet -o "$WORK/c"
expect_status 0
pus=$("$MESILAB" topo --csv | awk -F, '$1 == "L1d" { n++ } END { print n + 0 }')
if [ ! -s "$WORK/c/c2c.csv" ] || [ "$(wc -l <"$WORK/c/c2c.csv")" -le 1 ]; then
	# A busy machine's give-ups are said per pair ("c2c 0->1 store") and
	# for the rest ("c2c (the rest)").
	grep -q '"what": "c2c' "$WORK/c/meta.json" ||
		fail "no pairs measured and no reason given: $(cat "$WORK/c/meta.json")"
else
	head -n 1 "$WORK/c/c2c.csv" | grep -q '^cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles,' ||
		fail "c2c.csv header: $(head -n 1 "$WORK/c/c2c.csv")"
	awk -F, 'NR > 1 && !($5 > 1 && $5 < 100000) { exit 1 }' "$WORK/c/c2c.csv" || fail "implausible latencies"
	# A variant every pair of which a busy machine gave up (a sanitizer
	# build beside other tests) is said in the run, not left out silently.
	for v in store cas; do
		grep -q ",$v," "$WORK/c/c2c.csv" ||
			grep -Eq "\"what\": \"c2c ([0-9]+->[0-9]+ $v|\\(the rest\\))\"" "$WORK/c/meta.json" ||
			fail "the $v variant is missing and no give-up is said: $(cat "$WORK/c/c2c.csv")"
	done
	awk -F, 'NR > 1 && $1 == $2 { exit 1 }' "$WORK/c/c2c.csv" || fail "a PU paired with itself"
	[ "$(($(wc -l <"$WORK/c/c2c-samples.csv") - 1))" -eq $((3 * ($(wc -l <"$WORK/c/c2c.csv") - 1))) ] ||
		fail "not 3 samples per row"
fi
[ "$pus" -ge 1 ] || fail "cannot count this machine's L1d instances"

run bench c2c --quick --quiet --pairs sample --variants cas --csv -o "$WORK/s"
expect_status 0
awk -F, 'NR > 1 { seen[$3]++ } END { for (r in seen) if (seen[r] > 1) exit 1 }' "$WORK/out" ||
	fail "--pairs sample measured a relation twice: $(cat "$WORK/out")"

# The default waits two ways and keeps the faster, naming it; the run
# records what a spin-wait hint costs here.
if [ -s "$WORK/c/c2c.csv" ] && [ "$(wc -l <"$WORK/c/c2c.csv")" -gt 1 ]; then
	head -n 1 "$WORK/c/c2c.csv" | grep -q ',wait,wait_ns,other_wait_latency_ns$' || fail "no wait columns"
	awk -F, 'NR > 1 && !(($11 == "none" && $12 == 0 && $13 > 0 && $13 >= $5) ||
			      ($11 == "backoff" && $12 > 0 && $13 > 0 && $13 >= $5)) { exit 1 }' "$WORK/c/c2c.csv" ||
		fail "a row's wait is not the faster of none and backoff: $(cat "$WORK/c/c2c.csv")"
	awk -F, 'NR > 1 && $6 != "none" && $6 != "backoff" { exit 1 }' "$WORK/c/c2c-samples.csv" ||
		fail "samples without their wait"
fi
grep -q '"pause_ns": [0-9]' "$WORK/c/meta.json" || fail "the pause's cost not recorded"
grep -A1 '"name": "c2c.wait"' "$WORK/c/meta.json" | grep -q 'the fastest kept' || fail "the method not recorded"

# Hints as multichase uses them (--relax implies --wait pause), and no
# wait at all, are there on request, and recorded.
run bench c2c --quick --quiet --relax 3 --variants store --rounds 2000 -o "$WORK/r"
expect_status 0
grep -A1 '"name": "c2c.wait"' "$WORK/r/meta.json" | grep -q '"value": "3 spin-wait hints (' || fail "relax not recorded"
awk -F, 'NR > 1 && ($11 != "pause" || $13 != "") { exit 1 }' "$WORK/r/c2c.csv" || fail "pause rows: $(cat "$WORK/r/c2c.csv")"
run bench c2c --quick --quiet --wait none --variants store --rounds 2000 -o "$WORK/n"
expect_status 0
awk -F, 'NR > 1 && ($11 != "none" || $12 != 0) { exit 1 }' "$WORK/n/c2c.csv" || fail "--wait none rows: $(cat "$WORK/n/c2c.csv")"
run bench c2c --relax many
expect_error 2 "invalid --relax 'many'"
run bench c2c --wait sometimes
expect_error 2 "unknown --wait 'sometimes' (expected auto, none or pause)"
run bench c2c --wait none --relax 4
expect_error 2 "--relax counts the hints of --wait pause, not of --wait none"

run bench c2c --pairs some
expect_error 2 "unknown --pairs 'some' (expected all or sample)"
run bench c2c --variants store,swap
expect_error 2 "unknown 'swap' in --variants"

# Every measurement of the c2c run said how it went.
grep -q '"benchmark": "c2c"' "$WORK/c/meta.json" || fail "no conditions recorded for c2c"
grep -A14 '"benchmark": "c2c"' "$WORK/c/meta.json" | grep -Eq '"verdict": "(ok|busy|oversubscribed)"' ||
	fail "no verdict on the conditions"

# A measurement past its deadline is given up, said in the run, and after
# three in a row the benchmark stops instead of waiting: a billion round
# trips take longer than 0.2 s on any machine (two line transfers each,
# a nanosecond at the very least even between SMT siblings; ten million
# took 0.15 s where two cores share an L3).
if [ "$pus" -ge 2 ]; then
	run bench c2c --quick --rounds 1000000000 --deadline 0.2 -o "$WORK/d"
	expect_status 0
	grep -q 'not measured: its threads had not finished at the deadline, 0.2 s' "$WORK/err" ||
		fail "a given-up measurement not said: $(cat "$WORK/err")"
	[ "$(grep -c '"what": "c2c [0-9]*->[0-9]* ' "$WORK/d/meta.json")" -eq 3 ] ||
		fail "not three give-ups before stopping: $(cat "$WORK/d/meta.json")"
	grep -q '"what": "c2c (the rest)"' "$WORK/d/meta.json" || fail "the stop not recorded"
	grep -q '"given_up": 3' "$WORK/d/meta.json" || fail "the give-ups not counted in the conditions"
	[ "$(wc -l <"$WORK/d/c2c.csv")" -eq 1 ] || fail "a given-up point has a row: $(cat "$WORK/d/c2c.csv")"
fi
run bench c2c --deadline soon
expect_error 2 "invalid --deadline 'soon'"

# Under taskset, only the PUs it allows: with one, no pair at all, and
# meta.json says which PUs mesilab was allowed.
if command -v taskset >/dev/null 2>&1 && [ "$pus" -ge 2 ]; then
	first=$("$MESILAB" topo --csv | awk -F, '$1 == "L1d" && NR > 1 { split($9, p, "[-,]"); print p[1]; exit }')
	taskset -c "$first" "$MESILAB" bench c2c --quick -o "$WORK/t" >"$WORK/out" 2>"$WORK/err"
	[ $? -eq 0 ] || fail "c2c under taskset failed: $(cat "$WORK/err")"
	grep -q "mesilab may use one" "$WORK/err" || fail "a single allowed PU not said: $(cat "$WORK/err")"
	grep -q "\"pus_allowed\": \"$first\"" "$WORK/t/meta.json" || fail "the allowed PUs not recorded"
	[ ! -s "$WORK/t/c2c.csv" ] || [ "$(wc -l <"$WORK/t/c2c.csv")" -eq 1 ] || fail "measured outside taskset's mask"
	taskset -c "$first" "$MESILAB" topo >"$WORK/out" 2>&1
	grep -q "mesilab may use 1 of them: $first" "$WORK/out" || fail "topo does not say the allowed PUs: $(cat "$WORK/out")"
fi

finish
