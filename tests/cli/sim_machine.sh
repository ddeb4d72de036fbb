#!/bin/sh
# sim --machine RUN: the simulated machine built from a run directory
# (tests/data/machine, made by hand: its README says what each figure
# should give), an option over one part, what a run lacks left to the
# defaults and said, bad files refused naming the file and line, and the
# suite's simulation stage on the run's own figures.
. "$TESTLIB"

MACHINE="$TESTDATA/machine"
TRACE="$TESTDATA/traces/handwritten.txt"
ulimit -f 65536

# part FILE NAME: the value, from and source of NAME in a sim-machine.csv.
part() {
	awk -F, -v name="$2" '$1 == name { print $2 "," $3; exit }' "$1"
}

# expect_part FILE NAME VALUE FROM
expect_part() {
	got=$(part "$1" "$2")
	[ "$got" = "$3,$4" ] || fail "$1: $2: expected '$3,$4', got '$got'"
}

# sim_on NAME ARGS...: sim -p mesi with ARGS into the run $WORK/NAME.
sim_on() {
	name=$1
	shift
	"$MESILAB" sim -q -p mesi -o "$WORK/$name" "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

# The model, from the files: every part but the bus the run's.
sim_on model --machine "$MACHINE" "$TRACE"
expect_status 0
csv="$WORK/model/sim-machine.csv"
expect_part "$csv" l1 32768:8:64 run
expect_part "$csv" l2 1048576:16:64 run
# 30 MiB in 20 ways is no power of two of sets: the size kept in 30 ways.
expect_part "$csv" llc 31457280:30:64 run
# To the nearest sixteenth of a cycle: 4.1 is 4 2/16, 14.4 is 14 6/16.
expect_part "$csv" hit 4.125 run
expect_part "$csv" l2_hit 14.375 run
# No cycles in levels.csv: 12.0 ns at meta.json's 3.0 GHz.
expect_part "$csv" llc_hit 36 run
expect_part "$csv" memory 270 run
# The median of the store transfers between cores (150, 160, 170): not
# the SMT siblings' 20, not the cas rows.
expect_part "$csv" c2c 160 run
expect_part "$csv" bus 10 default
grep -q '^llc,.*30 MiB 20-way made 30 MiB 30-way' "$csv" || fail "the LLC's change of ways is not said: $(grep '^llc' "$csv")"
# The transfers' spread is the suite's sim stage's alone.
! grep -q '^spread,' "$csv" || fail "sim --machine took the spread: $(grep '^spread' "$csv")"
# The summary prints the block, the configuration the model, with the
# sixteenths of a cycle it simulates (it said "hit 4, L2 hit 14").
expect_out_contains "machine: $MACHINE"
expect_out_contains "latencies: hit 4.125, L2 hit 14.375, LLC 36, memory 270, cache-to-cache 160, bus-only 10 cycles"
expect_out_contains "LLC 30 MiB 30-way 64 B lines (inclusive)"
grep -q "^c2c .*160 cycles  run .*c2c.csv, median of 3 store transfers" "$WORK/out" ||
	fail "the summary's c2c line: $(grep '^c2c' "$WORK/out")"
# The trace's 3 threads on a machine of 4 PUs: no word of it.
[ ! -s "$WORK/err" ] || fail "unexpected stderr: $(cat "$WORK/err")"
# The results say which machine they are of.
awk -F, 'NR == 1 && $NF != "machine" { exit 1 } NR == 2 && $NF != m { exit 1 }' m="$MACHINE" \
	"$WORK/model/sim-summary.csv" || fail "sim-summary.csv lacks the machine column: $(head -2 "$WORK/model/sim-summary.csv")"
grep -q '"name": *"sim.machine", *"value": *"'"$MACHINE"'"' "$WORK/model/meta.json" ||
	grep -A1 '"sim.machine"' "$WORK/model/meta.json" | grep -q "$MACHINE" ||
	fail "meta.json lacks the setting sim.machine"
"$MESILAB" sim -q --csv -p mesi -o "$WORK/csv" --machine "$MACHINE" "$TRACE" >"$WORK/csv.out" 2>&1 ||
	fail "sim --csv --machine failed: $(cat "$WORK/csv.out")"
head -1 "$WORK/csv.out" | grep -q ',machine$' || fail "sim --csv lacks the machine column: $(head -1 "$WORK/csv.out")"

# This machine with twice the L2, and a cache-to-cache latency of its own.
sim_on override --machine "$MACHINE" --l2 2M:16:64 --c2c 99 "$TRACE"
expect_status 0
csv="$WORK/override/sim-machine.csv"
expect_part "$csv" l2 2097152:16:64 option
expect_part "$csv" c2c 99 option
expect_part "$csv" l1 32768:8:64 run
expect_part "$csv" llc_hit 36 run
expect_out_contains "L2 2 MiB 16-way 64 B lines"
# The what-if in a word: a size alone keeps the machine's L2's ways and
# line (it was refused: SIZE:WAYS:LINE expected).
sim_on what_if --machine "$MACHINE" --l2 2M "$TRACE"
expect_status 0
expect_part "$WORK/what_if/sim-machine.csv" l2 2097152:16:64 option
# Without a machine there is no L2 to take them from: one line says so.
run sim -p mesi --l2 2M -o "$WORK/no_l2" "$TRACE"
expect_error 2 "--l2: cache '2M': no cache there to take its ways and line from (give SIZE:WAYS:LINE)"

# A trace of more threads than the machine's PUs: simulated, said.
i=0
while [ $i -lt 6 ]; do
	echo "$i w 0x1000 8"
	i=$((i + 1))
done >"$WORK/six.txt"
sim_on six --machine "$MACHINE" "$WORK/six.txt"
expect_status 0
grep -q "6 cores simulated with the caches and latencies of $MACHINE, which used 4 PUs" "$WORK/err" ||
	fail "six threads on 4 PUs not said: $(cat "$WORK/err")"

# Lines in flight, on in a host's model, are the timed and synchronised
# orders': this trace asks for its file order, and the summary says they
# do not apply;
# in the timed order they do, with the hand-over (c2c.csv's, no
# states.csv here); --no-in-flight takes them off.
expect_part "$WORK/model/sim-machine.csv" handover 160 run
expect_part "$WORK/model/sim-machine.csv" in_flight yes default
sim_on model-file --machine "$MACHINE" "$TRACE"
expect_out_contains "; lines in flight asked for, but the file order keeps its own"
sim_on model-timed --machine "$MACHINE" --order timed "$TRACE"
expect_status 0
expect_out_contains "; lines in flight, a hand-over 160 cycles"
sim_on model-off --machine "$MACHINE" --order timed --no-in-flight "$TRACE"
expect_status 0
grep -q 'lines in flight, a hand-over' "$WORK/out" && fail "--no-in-flight still says lines in flight: $(grep '^latencies' "$WORK/out")"
expect_out_contains "; a hand-over of 160 cycles, unused: no line is in flight (--in-flight)"
expect_part "$WORK/model-off/sim-machine.csv" in_flight no option
run sim -q -p mesi --in-flight --no-in-flight "$TRACE"
expect_error 2 "--in-flight and --no-in-flight contradict each other"
# A hand-over where no line is in flight counts for nothing: said.
run sim -p mesi --handover 20 -o "$WORK/handover-unused" "$TRACE"
expect_status 0
expect_out_contains "; a hand-over of 20 cycles, unused: no line is in flight (--in-flight)"
# An atomic's cost over its access, said with the latencies.
run sim -p mesi --atomic 6 -o "$WORK/atomic" "$TRACE"
expect_status 0
expect_out_contains "; an atomic 6 cycles over its access"

# What the run lacks keeps the default, said: here all but the topology.
mkdir "$WORK/partial"
cp "$MACHINE/topology.csv" "$WORK/partial/"
sim_on partial-sim --machine "$WORK/partial" "$TRACE"
expect_status 0
csv="$WORK/partial-sim/sim-machine.csv"
expect_part "$csv" l1 32768:8:64 run
expect_part "$csv" hit 4 default
expect_part "$csv" memory 200 default
expect_part "$csv" c2c 60 default
grep -q '^hit,4,default,default: the run has no levels.csv' "$csv" || fail "the missing levels.csv is not said: $(grep '^hit' "$csv")"
grep -q '^c2c,60,default,default: the run has no load of a Modified line (states.csv) nor store transfer (c2c.csv)' "$csv" ||
	fail "the missing c2c.csv is not said: $(grep '^c2c' "$csv")"

# A directory that is no run: refused.
run sim -q -o "$WORK/none" --machine "$WORK/nothing-here" "$TRACE"
expect_error 2 "nothing-here: not a run directory"

# Bad files: one line naming the file and line, exit 2, no run left.
bad_case() {
	name=$1 file=$2 expected=$3
	rm -rf "$WORK/bad"
	cp -r "$MACHINE" "$WORK/bad"
	cat >"$WORK/bad/$file"
	run sim -q -o "$WORK/bad-run" --machine "$WORK/bad" "$TRACE"
	expect_error 2 "$expected"
	[ ! -e "$WORK/bad-run" ] || fail "$name: a run directory was left"
}
printf 'cache,level,type\nL1d,1,data,extra\n' | bad_case fields topology.csv "bad/topology.csv:2:"
printf 'level,latency_ns,latency_cycles\n1,1.3,4\n2,4.8,fast\n' | bad_case number levels.csv "bad/levels.csv:3: latency_cycles 'fast' is not a number"
printf 'cpu_a,cpu_b,relation,variant,latency_ns,latency_cycles\n0,2,shared-L3,store,50,-3\n' |
	bad_case negative c2c.csv "bad/c2c.csv:2: latency_cycles '-3' is out of range"
printf '{"clock": ' | bad_case json meta.json "bad/meta.json"

# A symbolic link out of the run, a FIFO: refused, never read.
rm -rf "$WORK/bad"
cp -r "$MACHINE" "$WORK/bad"
rm "$WORK/bad/levels.csv"
ln -s "$MACHINE/levels.csv" "$WORK/bad/levels.csv"
run sim -q -o "$WORK/bad-run" --machine "$WORK/bad" "$TRACE"
expect_error 2 "levels.csv: leads outside"
rm "$WORK/bad/levels.csv"
if mkfifo "$WORK/bad/levels.csv" 2>/dev/null; then
	timeout -k 5 20 "$MESILAB" sim -q -o "$WORK/bad-run" --machine "$WORK/bad" "$TRACE" >"$WORK/out" 2>"$WORK/err"
	status=$?
	expect_error 2 "levels.csv: a FIFO, not a regular file"
fi

# sweep --machine: the settings without a list are the machine's, one
# with a list sweeps over it; the model beside the plan.
timeout -k 5 120 "$MESILAB" sweep -q -j 1 -p mesi --machine "$MACHINE" --l2 256K:8:64,2M:16:64 -o "$WORK/sweep" "$TRACE" \
	>"$WORK/out" 2>"$WORK/err" || fail "sweep --machine failed: $(cat "$WORK/err")"
plan=$(awk -F, 'NR > 1 { print $4, $6, $7, $11, $12, $13, $14, $15, $16 }' "$WORK/sweep/plan.csv" 2>/dev/null)
expected="32K:8:64 256K:8:64 30M:30:64 4 14 36 270 160 10
32K:8:64 2M:16:64 30M:30:64 4 14 36 270 160 10"
[ "$plan" = "$expected" ] || fail "sweep --machine: plan.csv's settings: expected
$expected
got
$plan"
expect_part "$WORK/sweep/sim-machine.csv" c2c 160 run
# The sweep's replays have no store buffer, lines in flight, hand-over
# or atomic's cost: its model says so, not sim --machine's parts.
for p in "store_buffer 0" "in_flight no" "handover none" "atomic none"; do
	expect_part "$WORK/sweep/sim-machine.csv" "${p% *}" "${p#* }" default
done
grep -q '^in_flight,no,default,"none: a sweep replays without store buffers' "$WORK/sweep/sim-machine.csv" ||
	fail "the sweep's lines in flight not said: $(grep '^in_flight' "$WORK/sweep/sim-machine.csv")"
grep -q '^l2,"256K:8:64,2M:16:64",option,' "$WORK/sweep/sim-machine.csv" ||
	fail "sweep's sim-machine.csv lacks the swept L2: $(grep '^l2' "$WORK/sweep/sim-machine.csv")"
run sweep -q -p mesi --machine "$WORK/nothing-here" -o "$WORK/sweep-bad" "$TRACE"
expect_error 2 "nothing-here: not a run directory"
[ ! -e "$WORK/sweep-bad" ] || fail "sweep --machine with no run made its directory"

# The suite's simulation stage on the run's own figures: its L1 and its
# L1 latency, and the transfers where c2c measured some.
measures
timeout -k 5 300 "$MESILAB" run --quick --only topo,latency,c2c,sim -o "$WORK/suite" >"$WORK/out" 2>"$WORK/err" ||
	fail "run --quick --only topo,latency,c2c,sim failed: $(cat "$WORK/err")"
csv="$WORK/suite/sim-machine.csv"
[ -s "$csv" ] && [ -s "$WORK/suite/sim-workloads.csv" ] || fail "the sim stage wrote no sim-machine.csv or sim-workloads.csv"
# The L1's latency to the nearest sixteenth, written as sim-machine.csv
# writes it (a sixteenth is 0.0625).
hit=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["level"] == "1" { s = int($col["latency_cycles"] * 16 + 0.5); if (s < 1) s = 1
		v = sprintf("%d.%04d", int(s / 16), (s % 16) * 625); sub(/0+$/, "", v); sub(/\.$/, "", v); print v; exit }' \
	"$WORK/suite/levels.csv")
expect_part "$csv" hit "$hit" run
l1=$(awk -F, '$1 == "L1d" { print $5 ":" $7 ":" $6; exit }' "$WORK/suite/topology.csv")
# The L1 as the topology gives it, where its geometry fits the simulator.
case $(part "$csv" l1) in
"$l1,run") ;;
*,run) grep -q '^l1,.*made' "$csv" || fail "the L1 $(part "$csv" l1) is not topology.csv's $l1 and no change is said" ;;
*) fail "the L1 is not the run's: $(grep '^l1' "$csv")" ;;
esac
if grep -q ',store,' "$WORK/suite/c2c.csv" 2>/dev/null; then
	# The transfers scatter as c2c's repetitions do.
	grep -q '^spread,[0-9]*,run,"c2c.csv: half the width of its store transfers. 5th to 95th percentiles' "$csv" ||
		fail "c2c measured transfers, but the model's spread is $(grep '^spread' "$csv")"
	# Without states.csv (not run here) the transfer is c2c's too, and
	# the hand-over c2c's median store transfer between cores.
	grep -q '^c2c,[0-9.]*,run,"c2c.csv, median of .*as states.csv has no load of a Modified line' "$csv" ||
		fail "c2c measured transfers, but the model's transfer is not taken from them: $(grep '^c2c' "$csv")"
	grep -q '^handover,[0-9.]*,run,"c2c.csv, median of ' "$csv" ||
		fail "c2c measured transfers, but the model's hand-over is not taken from them: $(grep '^handover' "$csv")"
	# The c2c twin, driven with lines in flight under the migratory
	# protocol, hands the line over in the model's hand-over: its one-way
	# time is the hand-over, to a cycle or 2%.
	ops=$(grep -A1 '"sim.workload.c2c.operations"' "$WORK/suite/meta.json" | sed -n 's/.*"value": "\([0-9]*\)".*/\1/p')
	awk -F, -v ops="$ops" 'FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
		FILENAME ~ /sim-machine.csv$/ && $1 == "handover" { m = $2 }
		FILENAME ~ /sim-workloads.csv$/ && $1 == "c2c" && $2 == "mesif-migratory" { twin = $col[FILENAME, "cycles"] / ops }
		END { d = twin - m; if (d < 0) d = -d
			if (!(ops > 0) || !(m > 0) || (d > 1 && d > m * 0.02)) { printf "twin %s, hand-over %s (operations %s)\n", twin, m, ops; exit 1 } }' \
		"$csv" "$WORK/suite/sim-workloads.csv" >"$WORK/calibrated" ||
		fail "the c2c twin's one-way time is not the model's hand-over: $(cat "$WORK/calibrated")"
fi
grep -A1 '"sim.machine"' "$WORK/suite/meta.json" | grep -q 'this run' || fail "meta.json lacks sim.machine: this run"

finish
