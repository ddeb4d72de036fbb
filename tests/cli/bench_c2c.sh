#!/bin/sh
# bench c2c --quick: every ordered pair, both variants, files and options.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench c2c --quick --quiet -o "$WORK/c"
expect_status 0
pus=$("$MESILAB" topo --csv | awk -F, '$1 == "L1d" { n++ } END { print n + 0 }')
if [ ! -s "$WORK/c/c2c.csv" ] || [ "$(wc -l <"$WORK/c/c2c.csv")" -le 1 ]; then
	grep -q '"what": "c2c"' "$WORK/c/meta.json" || fail "no pairs measured and no reason given"
else
	head -n 1 "$WORK/c/c2c.csv" | grep -q '^cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles,' ||
		fail "c2c.csv header: $(head -n 1 "$WORK/c/c2c.csv")"
	awk -F, 'NR > 1 && !($5 > 1 && $5 < 100000) { exit 1 }' "$WORK/c/c2c.csv" || fail "implausible latencies"
	grep -q ',store,' "$WORK/c/c2c.csv" && grep -q ',cas,' "$WORK/c/c2c.csv" || fail "a variant is missing"
	awk -F, 'NR > 1 && $1 == $2 { exit 1 }' "$WORK/c/c2c.csv" || fail "a PU paired with itself"
	[ "$(($(wc -l <"$WORK/c/c2c-samples.csv") - 1))" -eq $((3 * ($(wc -l <"$WORK/c/c2c.csv") - 1))) ] ||
		fail "not 3 samples per row"
fi
[ "$pus" -ge 1 ] || fail "cannot count this machine's L1d instances"

run bench c2c --quick --quiet --pairs sample --variants cas --csv -o "$WORK/s"
expect_status 0
awk -F, 'NR > 1 { seen[$3]++ } END { for (r in seen) if (seen[r] > 1) exit 1 }' "$WORK/out" ||
	fail "--pairs sample measured a relation twice: $(cat "$WORK/out")"

# Hammering the line (no spin-wait hints) is allowed, and recorded.
run bench c2c --quick --quiet --relax 0 --variants store --rounds 2000 -o "$WORK/r"
expect_status 0
grep -A1 '"name": "c2c.relax"' "$WORK/r/meta.json" | grep -q '"value": "0 spin-wait hints' || fail "relax not recorded"
run bench c2c --relax many
expect_error 2 "invalid --relax 'many'"

run bench c2c --pairs some
expect_error 2 "unknown --pairs 'some' (expected all or sample)"
run bench c2c --variants store,swap
expect_error 2 "unknown 'swap' in --variants"

finish
