#!/bin/sh
# run: a new run directory each time, never reused; the quick profile
# yields every file of the suite; --only and --skip; an interrupted run.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

quiet_begin 1
run run --quick --quiet
expect_status 0
first=$(cat "$WORK/out")
case "$first" in
"$WORK/results/"[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-*) ;;
*) fail "unexpected run directory '$first'" ;;
esac
grep -q '"status": "complete"' "$first/meta.json" || fail "run not complete"
grep -A1 '"name": "profile"' "$first/meta.json" | grep -q '"value": "quick"' || fail "profile not recorded"
# The self-checks, one verdict each, whatever this machine measured.
for check in c2c-vs-states-M l1-cycles memory-vs-states-I bandwidth-vs-latency levels-vs-hwloc; do
	grep -A1 "\"name\": \"$check\"" "$first/meta.json" | grep -Eq '"verdict": "(agrees|disagrees|not-checked)"' ||
		fail "no verdict of self-check $check"
done
# Virtual machine or not, by its witnesses, and the time a hypervisor took
# during each stage.
grep -A1 '"virtualization"' "$first/meta.json" | grep -Eq '"virtual_machine": (true|false)' || fail "no virtualization in meta.json"
grep -q '"evidence": "[^"]' "$first/meta.json" || fail "no witnesses of the virtualization"
for stage in topo latency bandwidth c2c sim; do
	grep -A1 "\"stage\": \"$stage\"" "$first/meta.json" | grep -Eq '"share": ([0-9.e-]+|null)' || fail "no steal for stage $stage"
done
# What each stage took on this machine, not a time assumed from another.
seconds=$(grep -A1 '"name": "stage_seconds"' "$first/meta.json" | sed -n 's/.*"value": "\(.*\)".*/\1/p')
for stage in topo latency bandwidth falseshare c2c contention states storage timeshare sim; do
	echo "$seconds" | grep -Eq "(^|, )$stage [0-9]+[.][0-9]( |,|$)" || fail "stage_seconds: expected '$stage N.N', got '$seconds'"
done
grep -q '"estimate_s"' "$first/meta.json" && fail "meta.json has an estimate assumed from another machine"
if grep -q '"cpuid_signature": "bhyve' "$first/meta.json"; then
	grep -q '"hypervisor": "bhyve"' "$first/meta.json" || fail "bhyve's signature, not its name"
fi
[ ! -e "$first/report.md" ] || grep -Eq "^- (A virtual machine|Bare metal)" "$first/report.md" || fail "the report does not say VM or not"
# The pyramid, registers first, every level slower than the one above, and
# memory in it even when the quick sweep stops short of it (states' loads
# of flushed lines stand in): measured levels, told apart only when the
# machine let the run measure them.
grep -q '^registers,' "$first/pyramid.csv" || fail "no registers in the pyramid: $(cat "$first/pyramid.csv")"
if quiet_judged "the pyramid's order and its memory level"; then
	awk -F, 'NR == 2 && $1 != "registers" { bad = "first level " $1 }
		NR > 1 { if (!($2 > 0)) bad = bad " " $1 " has no latency"; if (NR > 2 && !($2 > last)) bad = bad " " $1 " not slower than the level above"; last = $2 }
		END { if (NR < 4) bad = bad " too few levels (" NR - 1 ")"; if (bad != "") { print bad; exit 1 } }' "$first/pyramid.csv" >"$WORK/pyr" ||
		fail "pyramid.csv: $(cat "$WORK/pyr"): $(cat "$first/pyramid.csv")"
	grep -q '^memory,' "$first/pyramid.csv" || fail "no memory in the pyramid: $(cat "$first/pyramid.csv")"
fi
if command -v gnuplot >/dev/null 2>&1; then
	[ -s "$first/figures/pyramid.png" ] || fail "no pyramid figure"
	grep -q "^## From registers to disk" "$first/report.md" || fail "no pyramid in the report"
	[ -s "$first/figures/timeshare.png" ] || fail "no timesharing figure"
	grep -q "^## Timesharing" "$first/report.md" || fail "no timesharing in the report"
fi
grep -q "^## Self-checks" "$first/report.md" 2>/dev/null || [ ! -e "$first/report.md" ] || fail "the report has no self-checks"
[ ! -s "$WORK/err" ] || fail "--quiet run wrote to stderr: $(cat "$WORK/err")"
for f in meta.json topology.csv topology.xml latency.csv latency-samples.csv levels.csv pyramid.csv \
	bandwidth.csv bandwidth-samples.csv falseshare.csv falseshare-samples.csv c2c.csv \
	c2c-samples.csv contention.csv contention-samples.csv states.csv states-samples.csv \
	timeshare.csv timeshare-refill.csv sim-machine.csv sim-workloads.csv report.md report.html; do
	[ -s "$first/$f" ] || fail "the quick run has no $f"
	[ "$f" = meta.json ] || grep -q "\"$f\"" "$first/meta.json" || fail "$f is not listed in meta.json"
done
# Eight workloads under seven protocols (the six compared, and
# mesif-migratory beside them): the read-mostly counters beside the
# written ones, and the locks driven by the model's timing (with the
# pause this run measured), not traced in lock step.
rows=$(($(wc -l <"$first/sim-workloads.csv") - 1))
[ "$rows" -eq 56 ] || fail "sim-workloads.csv: expected 56 rows, got $rows"
for w in falseshare-readmostly-8 falseshare-readmostly-64 contention-tas contention-ticket; do
	grep -q "^$w,mesi," "$first/sim-workloads.csv" || fail "sim-workloads.csv has no $w under mesi"
done
grep -A1 '"name": "sim.workload.contention-tas"' "$first/meta.json" | grep -q "driven by each protocol's timing" ||
	fail "the lock twin does not say it is driven by the model's timing"
grep -q '^falseshare,falseshare slowdown 2 threads 8 B (read-mostly),predicted,x,[0-9.]*,[a-z-]*,[0-9]' "$first/model-error.csv" ||
	fail "the read-mostly false sharing has no simulated twin: $(grep read-mostly "$first/model-error.csv")"
if command -v gnuplot >/dev/null 2>&1; then
	[ "$(ls "$first/figures" | grep -c '\.png$')" -ge 15 ] || fail "fewer than 15 figures: $(ls "$first/figures")"
else
	grep -q '"what": "figures"' "$first/meta.json" || fail "no figures and no reason"
fi
# The simulator's results are the same on every run; a run against
# itself is no regression.
run compare "$first" "$first"
expect_status 0

run run --quick --quiet --only topo,sim
expect_status 0
second=$(cat "$WORK/out")
[ "$first" != "$second" ] || fail "the second run reused $first"
[ "$(ls "$WORK/results" | wc -l)" -eq 2 ] || fail "expected two run directories"
# The simulation is the same on the same model of the host: two runs that
# measured no latency each simulate the topology with the default
# latencies (the first simulated its own measured ones). The locks wait
# with each run's own measured pause: test_driven holds them to the same
# result for the same pause.
run run --quick --quiet --only topo,sim -o "$WORK/third"
expect_status 0
grep -v '^contention-' "$second/sim-workloads.csv" >"$WORK/second.sim"
grep -v '^contention-' "$WORK/third/sim-workloads.csv" >"$WORK/third.sim"
cmp -s "$WORK/second.sim" "$WORK/third.sim" || fail "the simulation differs between runs"
grep -q '^hit,4,default,' "$second/sim-machine.csv" || fail "a run without latencies did not simulate the default L1 hit"
[ ! -e "$second/latency.csv" ] || fail "--only ran a stage not asked for"

# --skip every stage: still a complete, self-describing run.
run run --quiet --skip topo,latency,bandwidth,falseshare,c2c,contention,states,storage,timeshare,sim,plot,report -o "$WORK/empty"
expect_status 0
[ -s "$WORK/empty/meta.json" ] || fail "no meta.json when every stage is skipped"
[ ! -e "$WORK/empty/topology.csv" ] || fail "a skipped stage wrote its files"

run run --quick --full
expect_error 2 "--quick and --full are two different profiles"

# Ctrl-C in the middle: what completed is kept, the run says interrupted.
"$MESILAB" run --quiet --skip latency -o "$WORK/int" >/dev/null 2>"$WORK/err" &
pid=$!
tries=0
while [ ! -s "$WORK/int/topology.csv" ] && [ "$tries" -lt 300 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
sleep 0.5
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "an interrupted run exited with $status"
grep -q '"status": "interrupted"' "$WORK/int/meta.json" || fail "the run is not marked interrupted"
[ -s "$WORK/int/topology.csv" ] || fail "the completed topo stage was not kept"
[ ! -e "$WORK/int/report.md" ] || fail "an interrupted run went on to its report"
ls -A "$WORK/int" | grep -q '^\.' && fail "temporary files left: $(ls -A "$WORK/int")"

finish
