#!/bin/sh
# compare: a run against itself, against a copy with one benchmark 20%
# slower, against small or noisy shifts, simulator differences, another
# machine, and bad operands. Stored CSVs only, never live timings.
. "$TESTLIB"

D="$TESTDATA/compare"
cp -R "$D" "$WORK/base"

# scale FILE COLUMN FACTOR [NOISE]: multiplies a numeric column; NOISE
# spreads each row by +-NOISE (a fixed pattern over the row number).
scale() {
	awk -F, -v OFS=, -v c="$2" -v f="$3" -v n="${4:-0}" '
		NR == 1 { print; next }
		{ $c = sprintf("%.4f", $c * f * (1 + n * ((NR % 5) - 2) / 2)); print }' "$1" >"$1.new" &&
		mv "$1.new" "$1"
}

run compare "$D" "$WORK/base" --all --csv
expect_status 0
awk -F, 'NR > 1 && $7 != "within noise" && $7 != "same" { exit 1 }' "$WORK/out" ||
	fail "a run against itself: $(cat "$WORK/out")"
[ "$(($(wc -l <"$WORK/out") - 1))" -eq 11 ] || fail "not 5 + 4 + 2 points: $(cat "$WORK/out")"

# One benchmark 20% slower: exit 1, and exactly its four points named.
cp -R "$D" "$WORK/slow"
scale "$WORK/slow/c2c.csv" 5 1.2
scale "$WORK/slow/c2c-samples.csv" 5 1.2
run compare "$D" "$WORK/slow" --csv
expect_status 1
awk -F, '$7 == "slower" { print $1 " " $2 }' "$WORK/out" | sort >"$WORK/named"
printf '%s\n' "c2c cpu_a=0 cpu_b=1 variant=cas" "c2c cpu_a=0 cpu_b=1 variant=store" \
	"c2c cpu_a=1 cpu_b=0 variant=cas" "c2c cpu_a=1 cpu_b=0 variant=store" >"$WORK/expected"
expect_same "$WORK/named" "$WORK/expected"
run compare "$D" "$WORK/slow"
expect_status 1
expect_out_contains "4 slower, 0 faster, 5 within noise"
expect_out_contains "regression"
run compare "$D" "$WORK/slow" --format md
expect_out_contains "### c2c"
expect_out_contains "| cpu_a=0 cpu_b=1 variant=store |"
# The other way round it is an improvement, not a failure.
run compare "$WORK/slow" "$D"
expect_status 0
expect_out_contains "0 slower, 4 faster"

# 2% slower with noisy samples: below the threshold.
cp -R "$D" "$WORK/small"
scale "$WORK/small/latency.csv" 5 1.02
scale "$WORK/small/latency-samples.csv" 5 1.02 0.04
run compare "$D" "$WORK/small"
expect_status 0
expect_out_contains "0 slower"
# 8% slower but the samples spread +-30%: not distinguishable.
cp -R "$D" "$WORK/noisy"
scale "$WORK/noisy/latency.csv" 5 1.08
scale "$WORK/noisy/latency-samples.csv" 5 1.08 0.3
run compare "$D" "$WORK/noisy" --csv
expect_status 0
awk -F, '$1 == "latency" && $7 != "within noise" { exit 1 }' "$WORK/out" ||
	fail "noisy samples judged: $(cat "$WORK/out")"
# The same 8% with tight samples is a regression at a 5% threshold, not at 10%.
cp -R "$D" "$WORK/tight"
scale "$WORK/tight/latency.csv" 5 1.08
scale "$WORK/tight/latency-samples.csv" 5 1.08
run compare "$D" "$WORK/tight"
expect_status 1
run compare "$D" "$WORK/tight" --threshold 10
expect_status 0

# Simulator results are exact: one count changed is reported.
cp -R "$D" "$WORK/sim"
sed 's/^mesi,4188,762,3499,1451,939,512,/mesi,4188,762,3499,1451,939,513,/' "$D/sim-summary.csv" >"$WORK/sim/sim-summary.csv"
run compare "$D" "$WORK/sim" --csv
expect_status 1
grep -q '^sim,protocol=mesi: bus_rdx,512,513,+0.2,,differs$' "$WORK/out" || fail "sim difference: $(cat "$WORK/out")"

# Two files of the same kind.
run compare "$D/c2c.csv" "$WORK/slow/c2c.csv" --csv
expect_status 1
[ "$(grep -c ',slower$' "$WORK/out")" -eq 4 ] || fail "two c2c.csv files: $(cat "$WORK/out")"

# Another machine: refused, saying what differs, unless --force.
cp -R "$D" "$WORK/other"
sed 's/Test CPU 9000/Other CPU 1/; s/6.1.0-test/6.5.0-other/' "$D/meta.json" >"$WORK/other/meta.json"
run compare "$D" "$WORK/other"
expect_error 2 "different machines or builds (CPU 'Test CPU 9000' vs 'Other CPU 1'; kernel '6.1.0-test' vs '6.5.0-other')"
run compare "$D" "$WORK/other" --force
expect_status 0
grep -q "compared with --force" "$WORK/err" || fail "--force said nothing"

# A table only in one run is a note, not an error.
rm "$WORK/slow/sim-summary.csv"
run compare "$D" "$WORK/slow"
expect_status 1
grep -q "note: sim-summary.csv is only in" "$WORK/err" || fail "no note for a missing table"

run compare "$D" "$WORK/missing"
expect_error 2 "no such run directory or file"
mkdir "$WORK/empty"
run compare "$D" "$WORK/empty"
expect_error 2 "not a run directory (no meta.json)"
run compare "$D" "$D/c2c.csv"
expect_error 2 "two run directories or two CSV files"
run compare "$D/c2c.csv" "$D/latency.csv"
expect_error 2 "are not the same kind of result"
run compare "$D" "$D" --alpha 2
expect_error 2 "invalid --alpha '2' (expected a number from 1e-09 to 1)"
run compare "$D" "$D" --threshold lots
expect_error 2 "invalid --threshold 'lots'"
run compare "$D" "$D" --format html
expect_error 2 "unknown --format 'html'"
printf 'cpu_a,cpu_b,variant\n0,1\n' >"$WORK/c2c.csv"
run compare "$WORK/c2c.csv" "$D/c2c.csv"
expect_error 2 "c2c.csv:2: 2 fields where the header has 3"

finish
