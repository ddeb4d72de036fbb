#!/bin/sh
# The model against the machine: model-error.csv and its section in the
# report from a run made by hand (tests/data/model: its README works each
# row out), a twin missing said and not judged, malformed input refused
# naming the file and line with no output, and compare judging the
# model's error.
. "$TESTLIB"

MODEL="$TESTDATA/model"
ulimit -f 65536

# fresh NAME: a copy of the hand-made run at $WORK/NAME.
fresh() {
	rm -rf "${WORK:?}/$1"
	cp -R "$MODEL" "$WORK/$1"
}

# report_of NAME: 'mesilab report' of $WORK/NAME under a time limit.
report_of() {
	timeout -k 5 60 "$MESILAB" report "$WORK/$1" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

# Every row and every repetition as worked out by hand.
fresh good
report_of good
expect_status 0
for f in model-error model-error-samples; do
	diff "$MODEL/$f.expected" "$WORK/good/$f.csv" >"$WORK/diff" ||
		fail "$f.csv is not as worked out by hand: $(cat "$WORK/diff")"
done

# The report's section: the two tables apart, what was missed and what
# was not judged, said with the reason.
md="$WORK/good/report.md"
grep -q '^## The model against the machine' "$md" || fail "report.md lacks the model's section"
grep -q "under mesif, the protocol closest to this machine (an Intel CPU" "$md" || fail "the protocol judged is not said"
grep -q '^Calibrated: the model was built from these figures' "$md" || fail "the calibrated figures are not said apart"
grep -q '^Predicted: the model never saw these' "$md" || fail "the predicted figures are not said apart"
grep -q '^| figure | unit | measured | msi | mesi | mesif | error % | target % | met |' "$md" ||
	fail "no table of the figures under every protocol"
grep -q '^| c2c store transfer | cycles | 105 | 220 | 110 | 110 | 4\\.8 | 10 | yes |' "$md" ||
	fail "c2c's row: $(grep '^| c2c store' "$md")"
grep -q '^- falseshare slowdown 2 threads 8 B (plain): target of 25% missed, the model off by 50.0%: the model'"'"'s store buffer joins a store only to its line'"'"'s request still waiting' "$md" ||
	fail "the missed false-sharing target is not said with its reason"
grep -q '^- falseshare slowdown 2 threads 8 B (read-mostly): not judged: no twin: sim-workloads.csv has no workload falseshare-readmostly-8.' "$md" ||
	fail "the read-mostly figure without a twin is not said"
grep -q '<h2>The model against the machine</h2>' "$WORK/good/report.html" || fail "report.html lacks the model's section"

# A twin the simulation lacks: the figure is there, not judged, said.
fresh notwin
grep -v '^contention-tas,' "$MODEL/sim-workloads.csv" >"$WORK/notwin/sim-workloads.csv"
report_of notwin
expect_status 0
grep -q '^contention,contention tas 2 threads,predicted,ops/s,100000000,mesif,,,,25,not-judged,no twin: sim-workloads.csv has no workload contention-tas,,,$' \
	"$WORK/notwin/model-error.csv" || fail "a missing twin: $(grep 'contention tas' "$WORK/notwin/model-error.csv")"
grep -q '^- contention tas 2 threads: not judged: no twin' "$WORK/notwin/report.md" || fail "the missing twin is not said in the report"

# A measured slowdown under 1 (sharing beating padding: a busy machine)
# is said to be the measurement's miss, not the model's.
fresh under1
sed 's/^plain,2,8,4.000,250000000,4.00,/plain,2,8,0.640,1562500000,0.64,/' "$MODEL/falseshare.csv" >"$WORK/under1/falseshare.csv"
report_of under1
expect_status 0
grep 'falseshare slowdown 2 threads 8 B (plain)' "$WORK/under1/model-error.csv" | grep -q 'the measured slowdown is under 1' ||
	fail "a slowdown under 1 blamed on the model: $(grep 'plain' "$WORK/under1/model-error.csv")"

# A lock's miss says its figures: the locks the model and the machine
# take in a hand-over's time (105 cycles at 2 GHz, 52.5 ns: 8e7 a second
# is 4.2, 4e7 2.1), then the mechanism.
fresh lockover
sed 's/^tas,2,20.00,100000000,/tas,2,40.00,40000000,/' "$MODEL/contention.csv" >"$WORK/lockover/contention.csv"
report_of lockover
expect_status 0
grep 'contention tas 2 threads' "$WORK/lockover/model-error.csv" |
	grep -q ",no,\"the model takes 4.2 locks in a hand-over's time (sim-machine.csv's handover, 105.0 cycles), the machine 2.1: the model's holder takes the lock again" ||
	fail "the lock's miss without its figures: $(grep 'contention tas' "$WORK/lockover/model-error.csv")"

# A machine that changed under the run (its transfer control twice as
# long after one benchmark as at the start): a miss of a figure of two
# cores says so too; a level's does not.
fresh moved
printf 'when,control,value,unit,spread\nstart,transfer,50.0,ns,0.01\nafter-c2c,transfer,100.0,ns,0.01\n' >"$WORK/moved/controls.csv"
report_of moved
expect_status 0
grep 'falseshare slowdown 2 threads 8 B (plain)' "$WORK/moved/model-error.csv" |
	grep -q 'fall in step, which .*; also the run.s transfer between two cores, measured at its start and after each benchmark (controls.csv), went from 50.0 ns (start) to 100.0 ns (after-c2c): the machine changed under the run' ||
	fail "the machine's move not said: $(grep 'B (plain)' "$WORK/moved/model-error.csv")"
grep '^latency,memory latency' "$WORK/moved/model-error.csv" | grep -q 'changed under the run' &&
	fail "a level's miss blamed on the move: $(grep '^latency,memory' "$WORK/moved/model-error.csv")"

# Simulated on another machine than the host: nothing judged, said.
fresh nomachine
rm "$WORK/nomachine/sim-machine.csv"
report_of nomachine
expect_status 0
[ "$(grep -c ',not-judged,the run has no sim-machine.csv: its simulation did not model this host,' "$WORK/nomachine/model-error.csv")" -eq 12 ] ||
	fail "a run without the host's model is judged: $(cat "$WORK/nomachine/model-error.csv")"

# Nothing simulated: no table, no section.
fresh nosim
rm "$WORK/nosim/sim-workloads.csv"
report_of nosim
expect_status 0
[ ! -e "$WORK/nosim/model-error.csv" ] || fail "model-error.csv without a simulation"
grep -q 'The model against the machine' "$WORK/nosim/report.md" && fail "a model section without a simulation"

# Malformed input: one line naming the file and its line, exit status 2,
# nothing written.
bad_case() { # NAME FILE SED-EXPRESSION EXPECTED
	fresh "$1"
	sed "$3" "$MODEL/$2" >"$WORK/$1/$2"
	report_of "$1"
	expect_error 2 "$4"
	for f in model-error.csv model-error-samples.csv report.md report.html; do
		[ ! -e "$WORK/$1/$f" ] || fail "$1: $f written from a malformed run"
	done
}
bad_case slowdown falseshare.csv 's/^plain,2,8,4.000,250000000,4.00,/plain,2,8,4.000,250000000,four,/' \
	"slowdown/falseshare.csv:2: slowdown 'four' is not a number"
bad_case cycles sim-workloads.csv '5s/,[0-9]*$/,many/' "cycles/sim-workloads.csv:5: cycles 'many' is not a number"
bad_case latency sim-machine.csv 's/^memory,170,/memory,fast,/' "latency/sim-machine.csv:9: the latency 'fast' is not a number of cycles"
bad_case fields c2c.csv '3s/$/,extra/' "fields/c2c.csv:3"
bad_case huge states.csv 's/^0,2,,same-numa,M,load,45.0,90,/0,2,,same-numa,M,load,45.0,1e300,/' \
	"huge/states.csv:2: latency_cycles '1e300' is out of range"
bad_case negative contention.csv 's/^tas,2,20.00,/tas,2,-3,/' "negative/contention.csv:2: ns_per_op '-3' is out of range"
bad_case flag c2c.csv 's/^0,2,same-numa,store,50.0,100,49.0,51.0,100,0$/0,2,same-numa,store,50.0,100,49.0,51.0,100,yes/' \
	"flag/c2c.csv:3: unstable 'yes' is not 0 or 1"
bad_case samples contention-samples.csv 's/^tas,2,1,25.0$/tas,2,1,slow/' "samples/contention-samples.csv:3"

# compare: the same model is no regression; a model off twice as far on
# false sharing is one, in the model's table.
fresh worse
sed 's/^\(falseshare-8,mesif,.*\),48000$/\1,96000/' "$MODEL/sim-workloads.csv" >"$WORK/worse/sim-workloads.csv"
report_of worse
timeout -k 5 60 "$MESILAB" compare "$WORK/good" "$WORK/good" >"$WORK/out" 2>"$WORK/err"
[ $? -eq 0 ] || fail "a run against itself: $(cat "$WORK/out" "$WORK/err")"
timeout -k 5 60 "$MESILAB" compare "$WORK/good" "$WORK/worse" >"$WORK/out" 2>"$WORK/err"
[ $? -eq 1 ] || fail "a worse model is no regression: $(cat "$WORK/out" "$WORK/err")"
sed -n '/^model$/,/^$/p' "$WORK/out" | grep -q 'figure=falseshare slowdown 2 threads 8 B (plain) .* slower' ||
	fail "the model's false-sharing error is not judged worse: $(cat "$WORK/out")"

# The suite's report stage writes the table and lists it among the run's
# files.
timeout -k 5 120 "$MESILAB" run --quick --only sim,report -o "$WORK/suite" --quiet >"$WORK/out" 2>"$WORK/err" ||
	fail "run --only sim,report: $(cat "$WORK/err")"
for f in model-error.csv model-error-samples.csv; do
	[ -f "$WORK/suite/$f" ] || fail "the report stage wrote no $f"
	grep -q "\"$f\"" "$WORK/suite/meta.json" || fail "meta.json does not list $f"
done
# Beside the protocols compared, the suite simulates mesif-migratory (the
# migratory sharing measured on an Intel host): its rows, and its column
# in the table, after theirs.
for w in c2c contention-tas contention-ticket; do
	grep -q "^$w,mesif-migratory," "$WORK/suite/sim-workloads.csv" ||
		fail "sim-workloads.csv has no row of $w under mesif-migratory: $(cut -d, -f1,2 "$WORK/suite/sim-workloads.csv" | tr '\n' ' ')"
done
head -1 "$WORK/suite/model-error.csv" | grep -q ',sim_mesif,sim_dragon,sim_mesif-migratory$' ||
	fail "model-error.csv's columns: expected sim_mesif-migratory after sim_dragon, got $(head -1 "$WORK/suite/model-error.csv")"

# fleet: how far the model is off is a figure of each machine.
mkdir "$WORK/fleet"
cp -R "$WORK/good" "$WORK/fleet/a"
cp -R "$WORK/worse" "$WORK/fleet/b"
timeout -k 5 60 "$MESILAB" fleet "$WORK/fleet" -o "$WORK/fleet-out" >"$WORK/out" 2>"$WORK/err" ||
	fail "fleet: $(cat "$WORK/err")"
# The column counted from the end: the shape before it is quoted, commas
# and all.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "model_error_factor_falseshare_slowdown_2_threads_8_b_plain") c = NF - i }
	NR > 1 && c { print $1 "=" $(NF - c) }' "$WORK/fleet-out/fleet.csv" | tr '\n' ' ' >"$WORK/factors"
[ "$(cat "$WORK/factors")" = "a=1.5 b=3 " ] || fail "fleet's model figures: $(cat "$WORK/factors")"

finish
