#!/bin/sh
# sweep: every combination of the lists, each the same figures as 'sim'
# gives for it; resumed without redoing what was finished; interrupted
# without leaving half a configuration; collected only when whole; the
# cause columns empty unless asked for.
. "$TESTLIB"

"$MESILAB" trace mix --quiet --threads 4 --accesses 20000 --seed 3 -o "$WORK/mix.trace" || fail "trace mix"
S="$WORK/sweep"
run sweep "$WORK/mix.trace" --l1 8K:8:64,32K:8:64 --cores 4,8 -p msi,mesi -j 2 -o "$S"
expect_status 0
grep -q "ran 4 configurations on 2 workers" "$WORK/err" || fail "sweep's report: $(cat "$WORK/err")"
[ "$(tail -n +2 "$S/plan.csv" | wc -l)" -eq 4 ] || fail "plan: $(cat "$S/plan.csv")"
[ "$(tail -n +2 "$S/sweep.csv" | wc -l)" -eq 8 ] || fail "sweep.csv rows: $(wc -l <"$S/sweep.csv")"

# column NAME of FILE's rows whose COLUMN2 is VALUE2 and COLUMN3 is VALUE3
pick() {
	awk -F, -v name="$2" -v k2="$3" -v v2="$4" -v k3="$5" -v v3="$6" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c[k2] == v2 && $c[k3] == v3 { print $c[name] }' "$1"
}
# Each configuration is what sim gives for it.
"$MESILAB" sim "$WORK/mix.trace" --l1 32K:8:64 --cores 8 -p msi,mesi --no-causes --csv -o "$WORK/simrun" >"$WORK/sim.csv" 2>/dev/null ||
	fail "sim for the cross-check"
for column in misses bus_rd bus_rdx bus_upgr invalidations cycles; do
	for protocol in msi mesi; do
		want=$(awk -F, -v name="$column" -v p="$protocol" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["protocol"] == p { print $c[name] }' "$WORK/sim.csv")
		got=$(awk -F, -v name="$column" -v p="$protocol" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["protocol"] == p && $c["l1"] == "32K:8:64" && $c["cores"] == 8 { print $c[name] }' "$S/sweep.csv")
		[ -n "$want" ] && [ "$want" = "$got" ] || fail "$protocol $column: sim $want, sweep $got"
	done
done
# No causes unless asked for: empty, not zero.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["misses_cold"] != "" { bad = 1 } END { exit bad }' "$S/sweep.csv" ||
	fail "causes classified without --causes"
if command -v gnuplot >/dev/null 2>&1; then
	# l1 along x, one figure per core count
	[ -s "$S/figures/sweep-1.png" ] && [ -s "$S/figures/sweep-2.png" ] || fail "figures: $(ls "$S/figures")"
	# Rates per 1,000 accesses (3 panels without causes), the L1 sizes on a
	# log2 axis with one binary label each, plain numbers up the side (no
	# "4K:8:64", no "500m" or "4M").
	run plot "$S" --format svg --quiet
	expect_status 0
	grep -o '<text>[^<]*</text>' "$S/figures/sweep-1.svg" | sed 's/<[^>]*>//g' >"$WORK/texts"
	for size in 8K 32K; do
		[ "$(grep -c -x "$size" "$WORK/texts")" -eq 3 ] ||
			fail "the $size tick: expected once in each of 3 panels, got: $(tr '\n' '|' <"$WORK/texts")"
	done
	odd=$(grep -E '^-?[0-9.]+[^0-9. ]' "$WORK/texts" | grep -v -x -e 8K -e 32K)
	[ -z "$odd" ] || fail "tick labels other than a number or a swept size: $(echo $odd)"
	grep -q -x 'misses per 1,000 accesses' "$WORK/texts" && grep -q -x 'l1 size (bytes, log scale)' "$WORK/texts" ||
		fail "the panels: expected misses per 1,000 accesses against the l1 size, got: $(tr '\n' '|' <"$WORK/texts")"
fi

# Resumed: a lost configuration is run again, alone; the merge is the same.
cp "$S/sweep.csv" "$WORK/first.csv"
rm "$S/rows/c00002.csv" "$S/sweep.csv"
run sweep "$WORK/mix.trace" --l1 8K:8:64,32K:8:64 --cores 4,8 -p msi,mesi -j 2 -o "$S"
expect_status 0
grep -q "ran 1 configuration on 2 workers.*the others were finished before" "$WORK/err" || fail "resume: $(cat "$WORK/err")"
expect_same "$S/sweep.csv" "$WORK/first.csv"
# Another sweep's options on the same directory: refused.
run sweep "$WORK/mix.trace" --l1 8K:8:64,16K:8:64 -o "$S"
expect_error 2 "holds another sweep's plan"

# Collected only whole: the missing configuration named by its settings.
rm "$S/rows/c00001.csv"
run sweep --collect "$S"
expect_status 1
grep -q "1 of 4 configurations are missing" "$WORK/err" && grep -q "c00001  cores=4 l1=32K:8:64" "$WORK/err" ||
	fail "missing configuration: $(cat "$WORK/err")"
# A configuration's file holding another's rows: refused.
sed 's/^c00000,/c00003,/' "$S/rows/c00000.csv" >"$S/rows/c00001.csv"
run sweep --collect "$S"
expect_error 1 "rows/c00001.csv: row 1 is not configuration c00001's"

# A plan with no configuration (its header alone: cut short, or written by
# hand) is no sweep that mesilab makes: one line, exit 2, nothing merged;
# an array task given it says the same.
E="$WORK/empty"
mkdir -p "$E/slurm/s1"
head -n 1 "$S/plan.csv" >"$E/plan.csv"
printf 'task,configuration\n0,c00000\n' >"$E/slurm/s1/tasks.csv"
run sweep --collect "$E"
expect_error 2 "empty/plan.csv: not a sweep plan (no configuration, its header alone)"
[ ! -e "$E/sweep.csv" ] || fail "a plan without configurations merged into $(cat "$E/sweep.csv")"
SLURM_ARRAY_TASK_ID=0
export SLURM_ARRAY_TASK_ID
run sweep --task "$E/slurm/s1"
expect_error 1 "empty/plan.csv: not a sweep plan (no configuration, its header alone)"
# The ids name files (rows/ID.csv): one that leads out of the directory is
# refused, and nothing is written there.
X="$WORK/escape"
mkdir -p "$X/slurm/s1"
sed '2s/^c00000,/..\/..\/escaped,/' "$S/plan.csv" >"$X/plan.csv"
printf 'task,configuration\n0,../../escaped\n' >"$X/slurm/s1/tasks.csv"
run sweep --task "$X/slurm/s1"
expect_error 1 "escape/plan.csv: not a sweep plan (row 1's configuration is not c00000)"
[ ! -e "$WORK/escaped.csv" ] || fail "a configuration's rows written outside the sweep, by its id in plan.csv"
unset SLURM_ARRAY_TASK_ID
# A configuration's rows with their header alone: not collected as if the
# configuration had run (with -p all the plan names no protocol to expect).
A="$WORK/all"
run sweep "$WORK/mix.trace" --l1 8K:8:64,16K:8:64 -p all -o "$A"
expect_status 0
head -n 1 "$A/rows/c00001.csv" >"$WORK/header.csv" && mv "$WORK/header.csv" "$A/rows/c00001.csv" && rm "$A/sweep.csv"
run sweep --collect "$A"
expect_error 1 "all/rows/c00001.csv: no rows, its header alone"
[ ! -e "$A/sweep.csv" ] || fail "a configuration without rows merged into sweep.csv"

# Interrupted: exit 128+15, no half-written rows, and the same command
# finishes the rest.
"$MESILAB" trace mix --quiet --threads 2 --accesses 1500000 --seed 4 -o "$WORK/long.trace" || fail "trace mix"
"$MESILAB" sweep "$WORK/long.trace" --l1 4K:4:64,8K:4:64,16K:4:64,32K:4:64,64K:4:64,128K:4:64 -p all --causes -j 1 \
	-o "$WORK/long" >/dev/null 2>"$WORK/err" &
pid=$!
sleep 1.5
kill -TERM "$pid"
wait "$pid"
st=$?
[ "$st" -eq 143 ] || fail "interrupted sweep: exit $st: $(cat "$WORK/err")"
grep -q "interrupted by SIGTERM; [0-5] of 6 configurations finished; the same command resumes it" "$WORK/err" ||
	fail "interrupted sweep: $(cat "$WORK/err")"
[ -z "$(ls -A "$WORK/long/rows" 2>/dev/null | grep -v '^c0000[0-5]\.csv$')" ] || fail "left in rows/: $(ls -A "$WORK/long/rows")"
run sweep "$WORK/long.trace" --l1 4K:4:64,8K:4:64,16K:4:64,32K:4:64,64K:4:64,128K:4:64 -p all --causes -j 2 -o "$WORK/long"
expect_status 0
[ "$(tail -n +2 "$WORK/long/sweep.csv" | wc -l)" -eq 36 ] || fail "resumed sweep: $(wc -l <"$WORK/long/sweep.csv") lines"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["misses_cold"] == "" { bad = 1 } END { exit bad }' \
	"$WORK/long/sweep.csv" || fail "--causes left causes empty"

# Combinations the simulator refuses are left out, and said.
run sweep "$WORK/mix.trace" --l1 64K:8:64 --l2 32K:8:64,128K:8:64 -p mesi -o "$WORK/refused"
expect_status 0
grep -q "1 combination left out: the L2 must be at least as large as the L1" "$WORK/err" || fail "refused: $(cat "$WORK/err")"
[ "$(tail -n +2 "$WORK/refused/plan.csv" | wc -l)" -eq 1 ] || fail "refused combination planned"

run sweep "$WORK/mix.trace" --causes --no-causes
expect_error 2 "--causes and --no-causes contradict each other"
run sweep "$WORK/mix.trace" -p mosi
expect_error 2 "unknown protocol 'mosi'"
run sweep
expect_error 2 "expected one or more TRACE operands"
run sweep "$WORK/mix.trace" --l1 8K:3:64 -o "$WORK/bad"
expect_error 2 "cache '8K:3:64'"
run sweep --task "$S"
expect_error 1 "SLURM_ARRAY_TASK_ID is not set"

finish
