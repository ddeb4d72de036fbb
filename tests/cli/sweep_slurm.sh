#!/bin/sh
# Slurm, for real, on a single-node cluster the test starts: sweep
# --slurm's job array and collecting job give the same sweep.csv as the
# local pool; a cancelled task's configurations are reported by
# configuration, and the same command resubmits them alone; run --slurm
# runs the suite on each node into DIR/<hostname> and the fleet report
# after. Skipped where Slurm is not installed.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/slurm_cluster.sh"

slurm_start || { echo "Slurm cannot run here: skipped" >&2; exit 77; }

"$MESILAB" trace mix --quiet --threads 4 --accesses 20000 --seed 3 -o "$WORK/mix.trace" || fail "trace mix"
set -- "$WORK/mix.trace" --l1 8K:8:64,16K:8:64,32K:8:64 --cores 4,8 -p msi,mesi
"$MESILAB" sweep "$@" -o "$WORK/local" >/dev/null 2>&1 || fail "the local sweep"

run sweep "$@" --slurm --tasks 3 -o "$WORK/array"
expect_status 0
grep -q "submitted job array [0-9]* (3 tasks, 6 configurations) and job [0-9]*" "$WORK/err" || fail "submission: $(cat "$WORK/err")"
grep -q '^[0-9][0-9]*$' "$WORK/out" || fail "the array's job id on stdout: $(cat "$WORK/out")"
slurm_wait_idle 120 || fail "the jobs did not end: $(squeue)"
expect_same "$WORK/array/sweep.csv" "$WORK/local/sweep.csv"
[ "$(cut -d, -f1 "$WORK/array/slurm/s1/tasks.csv" | sort -u | wc -l)" -eq 4 ] || fail "tasks.csv: $(cat "$WORK/array/slurm/s1/tasks.csv")"

# A task cancelled before it ran: the collecting job names its
# configurations; the same command submits them alone, and then the sweep
# is whole.
run sweep "$@" --slurm --tasks 3 --sbatch "--hold" -o "$WORK/cancel"
expect_status 0
job=$(cat "$WORK/out")
scancel "${job}_1" || fail "scancel"
scontrol release "$job" >/dev/null 2>&1
scontrol release "$((job + 1))" >/dev/null 2>&1
slurm_wait_idle 120 || fail "the jobs did not end: $(squeue)"
[ ! -e "$WORK/cancel/sweep.csv" ] || fail "a sweep.csv without task 1's configurations"
grep -q "2 of 6 configurations are missing" "$WORK/cancel/slurm/s1/collect.log" || fail "collect: $(cat "$WORK/cancel/slurm/s1/collect.log")"
grep -q "c00001  cores=4 l1=16K:8:64" "$WORK/cancel/slurm/s1/collect.log" || fail "collect: $(cat "$WORK/cancel/slurm/s1/collect.log")"
run sweep "$@" --slurm --tasks 3 -o "$WORK/cancel"
expect_status 0
grep -q "(2 tasks, 2 configurations)" "$WORK/err" || fail "resubmission: $(cat "$WORK/err")"
slurm_wait_idle 120 || fail "the jobs did not end: $(squeue)"
expect_same "$WORK/cancel/sweep.csv" "$WORK/local/sweep.csv"

# sbatch refusing (no such partition): one line, exit 1.
run sweep "$@" --slurm --partition nosuch -o "$WORK/refused"
expect_status 1
grep -q "sbatch .*array.sh: .*nosuch\|sbatch .*array.sh: .*[Pp]artition" "$WORK/err" || fail "sbatch's refusal: $(cat "$WORK/err")"

# The suite on every node (here the one), each into DIR/<hostname>, then
# the fleet's report by a last job.
host=$(hostname -s)
run run --slurm --nodes "$host" --quick --only topo,latency -o "$WORK/fleet"
expect_status 0
grep -q "^[0-9][0-9]* $host$" "$WORK/out" || fail "run --slurm: $(cat "$WORK/out")"
grep -q "submitted 1 job, one per node, and job [0-9]*, which writes .*/fleet/fleet.md" "$WORK/err" ||
	fail "run --slurm: $(cat "$WORK/err")"
slurm_wait_idle 180 || fail "the jobs did not end: $(squeue)"
[ -s "$WORK/fleet/$host/latency.csv" ] && grep -q '"status": *"complete"' "$WORK/fleet/$host/meta.json" ||
	fail "the node's run: $(ls "$WORK/fleet/$host" 2>&1; cat "$WORK/fleet/slurm/"run-*.log)"
grep -q "1 machine" "$WORK/fleet/fleet/fleet.md" || fail "the fleet job: $(cat "$WORK/fleet/slurm/fleet.log")"
# By partition: its nodes, from sinfo.
run run --slurm --partition test --quick --only topo -o "$WORK/fleet2"
expect_status 0
grep -q "^[0-9][0-9]* $host$" "$WORK/out" || fail "run --slurm --partition: $(cat "$WORK/out")"
slurm_wait_idle 180 || fail "the jobs did not end: $(squeue)"
run run --slurm --quick -o "$WORK/fleet3"
expect_error 2 "--slurm needs --nodes LIST or --partition P"

finish
