#!/bin/sh
# plot with someone else's run directory: a payload that would run a
# command if it reached gnuplot's program text, planted in every label of
# every figure's input and in the paths of runs, sweeps, fleets and
# templates. Every figure is drawn, the labels as they are, and nothing
# runs.
. "$TESTLIB"

command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot is not installed: skipped" >&2; exit 77; }
ulimit -f 200000

# Quotes to leave a gnuplot string and call system(); backquotes, which
# gnuplot runs outside a single-quoted string.
P1="x'.system('touch $WORK/owned').'"
P2="\`touch $WORK/owned2\`"

# mesilab ARGS, stopped after 120 s.
trun() {
	timeout -k 5 120 "$MESILAB" "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

# Nothing planted ran: no file owned* in $WORK.
expect_nothing_ran() {
	ran=$(ls "$WORK" | grep '^owned')
	[ -z "$ran" ] || fail "$1: gnuplot ran a command of the input: $ran"
	rm -f "$WORK"/owned*
}

# plant FILE COLUMN VALUE [ONLY]: COLUMN of every row (whose cell is ONLY)
# set to VALUE.
plant() {
	awk -F, -v OFS=, -v col="$2" -v val="$3" -v only="${4-}" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; print; next }
		only == "" || $c == only { $c = val }
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1" || fail "planting in $1"
	grep -qF -- "$3" "$1" || fail "nothing planted in $1's $2"
}

# expect_pngs DIR NAME...: DIR/figures/NAME.png is a PNG for each NAME.
expect_pngs() {
	d=$1
	shift
	for f in "$@"; do
		[ "$(od -An -c -N4 "$d/figures/$f.png" 2>/dev/null | tr -d ' ')" = '211PNG' ] ||
			fail "$f.png is missing or not a PNG: $(ls "$d/figures")"
	done
}

# The run: every label of every figure's input.
R="$WORK/hostile"
cp -R "$REFERENCE" "$R"
plant "$R/latency.csv" order "$P1"
plant "$R/latency.csv" pages "$P2"
plant "$R/levels.csv" level "$P1" 1
plant "$R/levels.csv" level "$P2" 2
plant "$R/states.csv" relation "$P1"
plant "$R/topology.csv" cache "$P1" L1d
plant "$R/topology.csv" cache "$P2" L2
plant "$R/sim-workloads.csv" workload "$P1" c2c
plant "$R/sim-workloads.csv" workload "$P2" states
plant "$R/sim-workloads.csv" protocol "$P1" msi
plant "$R/sim-workloads.csv" protocol "$P2" mesi
plant "$R/falseshare.csv" variant "$P1" plain
plant "$R/falseshare.csv" variant "$P2" atomic
plant "$R/contention.csv" variant "$P1" faa
plant "$R/contention.csv" variant "$P2" tas
plant "$R/bandwidth.csv" op "$P1" read
plant "$R/bandwidth.csv" op "$P2" write
sed -e "s|\"name\": \"L1d\"|\"name\": \"$P1\"|" -e "s|\"name\": \"L2\"|\"name\": \"$P2\"|" "$REFERENCE/meta.json" >"$R/meta.json"
grep -qF "$P2" "$R/meta.json" || fail "nothing planted in meta.json"
cat >"$R/pyramid.csv" <<EOF
level,latency_ns,capacity_bytes,bandwidth_mbs,source
registers,0.29,128,,one dependent add
$P1,1.17,49152,150000,levels.csv
$P2,4.07,1048576,80000,levels.csv
memory,102.87,8589934592,20000,levels.csv
EOF
{
	echo "tasks,handoff,own_bytes,competitor_bytes,refill_ns,refill_ns_p5,refill_ns_p95,refill_ns_mad,refill_ns_per_line,warm_ns,unstable"
	for own in 32768 262144; do
		for other in 0 65536 1048576 8388608; do
			echo "$P1,$P2,$own,$other,$((other / 1000 + 10)),1,1,1,$((other / 100000 + 1)).5,100,0"
		done
	done
} >"$R/timeshare-refill.csv"
trun plot "$R" --format png,svg
expect_status 0
expect_nothing_ran "labels of a run"
workload1=$(printf '%s' "$P1" | tr / _)
workload2=$(printf '%s' "$P2" | tr / _)
expect_pngs "$R" topology latency bandwidth c2c states falseshare contention falseshare-sim pyramid timeshare \
	protocols-falseshare-8 "protocols-$workload1" "protocols-$workload2"
# The labels drawn as they are, quotes and all.
for f in latency states topology bandwidth falseshare contention pyramid timeshare falseshare-sim "protocols-$workload1"; do
	grep -qF "$WORK/owned" "$R/figures/$f.svg" || fail "$f.svg does not show the planted label"
done

# A PU that is no number: bad input, one line naming the file and line,
# exit 2, and nothing ran.
B="$WORK/bad-pu"
cp -R "$REFERENCE" "$B"
plant "$B/states.csv" cpu_a "$P1"
trun plot "$B"
expect_error 2 "states.csv:2: cpu_a 'x"
expect_nothing_ran "a PU's number"

# A sweep: the protocols, the swept setting's name and its values.
trun trace falseshare --threads 2 --distance 8 -o "$WORK/fs.trace"
expect_status 0
S="$WORK/sweep"
trun sweep "$WORK/fs.trace" --l1 4K:4:64,8K:4:64 -p msi,mesi -o "$S"
expect_status 0
plant "$S/sweep.csv" protocol "$P1" msi
plant "$S/sweep.csv" protocol "$P2" mesi
trun plot "$S"
expect_status 0
expect_nothing_ran "a sweep's protocols"
expect_pngs "$S" sweep-1
plant "$S/sweep.csv" l1 "$P1" 4K:4:64
plant "$S/sweep.csv" l1 "$P2" 8K:4:64
sed "1s|,l1,|,$P1,|" "$S/sweep.csv" >"$S/sweep.new" && mv "$S/sweep.new" "$S/sweep.csv"
trun plot "$S" --format png,svg
expect_status 0
expect_nothing_ran "a sweep's setting"
expect_pngs "$S" sweep-1
grep -qF "$WORK/owned2" "$S/figures/sweep-1.svg" || fail "sweep-1.svg does not show the planted values"

# A fleet: its machines and their CPU.
F="$WORK/lab"
mkdir -p "$F/node1" "$F/node2"
cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$F/node1/"
cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$F/node2/"
trun fleet "$F"
expect_status 0
plant "$F/fleet/fleet.csv" machine "$P1" node1
plant "$F/fleet/fleet.csv" machine "$P2" node2
plant "$F/fleet/fleet.csv" cpu "$P1"
plant "$F/fleet/fleet-latency.csv" machine "$P1" node1
plant "$F/fleet/fleet-latency.csv" machine "$P2" node2
trun plot "$F/fleet" --format png,svg
expect_status 0
expect_nothing_ran "a fleet's machines"
expect_pngs "$F/fleet" fleet-latency-1
grep -qF "$WORK/owned2" "$F/fleet/figures/fleet-latency-1.svg" || fail "the fleet's figure does not name the planted machine"

# Paths: a run, a sweep, a fleet, a suite run and the templates at paths
# holding a quote and backquotes, absolute and relative.
D="$WORK/O'Brien \`touch $WORK/owned3\`/run1"
mkdir -p "$D"
cp -R "$REFERENCE"/. "$D"
trun plot "$D"
expect_status 0
expect_nothing_ran "a run's path"
expect_pngs "$D" topology latency states protocols-c2c
(cd "$D/.." && timeout -k 5 120 "$MESILAB" plot run1 --format svg >/dev/null 2>"$WORK/err") ||
	fail "a relative run path: $(cat "$WORK/err")"
[ -s "$D/figures/latency.svg" ] || fail "a relative run path: no latency.svg"
expect_nothing_ran "a relative run path"

trun sweep "$WORK/fs.trace" --l1 4K:4:64,8K:4:64 -p msi,mesi -o "$WORK/O'Brien \`touch $WORK/owned4\`/sweep"
expect_status 0
expect_nothing_ran "a sweep's path"
expect_pngs "$WORK/O'Brien \`touch $WORK/owned4\`/sweep" sweep-1

FP="$WORK/O'Brien \`touch $WORK/owned5\`/lab"
mkdir -p "$FP"
cp -R "$F/node1" "$F/node2" "$FP/"
trun fleet "$FP"
expect_status 0
expect_nothing_ran "a fleet's path"
expect_pngs "$FP/fleet" fleet-latency-1

trun run --quick --quiet --only topo,plot -o "$WORK/O'Brien \`touch $WORK/owned6\`/suite"
expect_status 0
expect_nothing_ran "a suite run's path"
expect_pngs "$WORK/O'Brien \`touch $WORK/owned6\`/suite" topology

T="$WORK/tpl'\`touch $WORK/owned7\`"
mkdir -p "$T"
cp "$SCRIPTS"/gnuplot/*.gp "$T/" || fail "copying the templates"
cp -R "$REFERENCE" "$WORK/tpl-run"
MESILAB_GNUPLOT_DIR=$T trun plot "$WORK/tpl-run"
expect_status 0
expect_nothing_ran "the templates' path"
expect_pngs "$WORK/tpl-run" latency states
rm -rf "$WORK/tpl-run/figures"
(cd "$T/.." && MESILAB_GNUPLOT_DIR=$(basename "$T") timeout -k 5 120 "$MESILAB" plot "$WORK/tpl-run" >/dev/null 2>"$WORK/err") ||
	fail "a relative template directory: $(cat "$WORK/err")"
expect_pngs "$WORK/tpl-run" latency
expect_nothing_ran "a relative template directory"

finish
