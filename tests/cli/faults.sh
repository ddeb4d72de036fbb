#!/bin/sh
# Faults a lab machine inflicts: a full file system, a read-only output
# directory, a run killed with SIGKILL, a run directory removed under a
# run, working sets larger than the memory there is, a bad option after the
# run directory was made. Each ends with one clear message, never a crash,
# and leaves no partial file.
. "$TESTLIB"

fs_namespace

if [ -z "$NAMESPACE" ]; then
	echo "no private mount namespace can be made here (a chroot?): full and read-only file systems not tested" >&2
else
	# A trace bigger than the file system: ENOSPC, one line, no file.
	in_fs size=256k "$MESILAB" trace mix --threads 1 --accesses 1000000 -o "$WORK/fs/mix.trace"
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ] || fail "a full file system: exit status $status: $(cat "$WORK/err")"
	[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "mix.trace: cannot write: No space left on device" "$WORK/err" ||
		fail "a full file system: $(cat "$WORK/err")"
	[ ! -s "$WORK/fs.list" ] || fail "a full file system: left $(cat "$WORK/fs.list")"
	# The same with several threads (spooled beside the output).
	in_fs size=256k "$MESILAB" trace mix --threads 2 --accesses 1000000 -o "$WORK/fs/mix.trace"
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ] || fail "a full file system, 2 threads: exit status $status: $(cat "$WORK/err")"
	grep -q "No space left on device" "$WORK/err" || fail "a full file system, 2 threads: $(cat "$WORK/err")"
	[ ! -s "$WORK/fs.list" ] || fail "a full file system, 2 threads: left $(cat "$WORK/fs.list")"
	# A suite that runs out of space: it says so; what it kept is whole.
	in_fs size=12k sh -c '"$1" run --quick --only topo,latency -o "$2/run" && exit 0
		st=$?
		# What it kept is whole: the CSVs parse, the XML ends.
		"$1" compare "$2/run" "$2/run" >/dev/null 2>"$2/../whole.err" || echo "CSVs: $(cat "$2/../whole.err")" >&2
		[ ! -e "$2/run/topology.xml" ] || tail -c 64 "$2/run/topology.xml" | grep -q "</topology>" ||
			echo "a partial topology.xml" >&2
		exit $st' sh "$MESILAB" "$WORK/fs"
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ] || fail "a suite on a full file system: exit status $status: $(cat "$WORK/err")"
	grep -q "No space left on device" "$WORK/err" || fail "a suite on a full file system: $(cat "$WORK/err")"
	grep -Eq "^CSVs:|partial" "$WORK/err" && fail "a suite on a full file system kept a partial file: $(cat "$WORK/err")"
	# A read-only output directory: refused at once.
	in_fs ro "$MESILAB" bench latency --quick -o "$WORK/fs/run"
	[ "$status" -eq 2 ] || fail "a read-only directory: exit status $status (expected 2): $(cat "$WORK/err")"
	[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q "Read-only file system" "$WORK/err" ||
		fail "a read-only directory: $(cat "$WORK/err")"
	in_fs ro "$MESILAB" trace mix --quick --threads 1 -o "$WORK/fs/mix.trace"
	[ "$status" -ne 0 ] && [ "$status" -lt 128 ] && grep -q "mix.trace: cannot create: Read-only file system" "$WORK/err" ||
		fail "a trace into a read-only directory: $status $(cat "$WORK/err")"
fi

# wait_for FILE PID: waits until FILE is not empty while process PID runs
# (4 minutes at most: a busy machine is slow to get there); false, saying on
# stderr what there was, when the process ended first or time ran out.
wait_for() {
	tries=0
	while [ ! -s "$1" ] && kill -0 "$2" 2>/dev/null && [ "$tries" -lt 2400 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	[ -s "$1" ] && return 0
	echo "$1 did not come in $((tries / 10)) s; the process $(kill -0 "$2" 2>/dev/null && echo "still ran" || echo "had ended"); its directory held: $(ls -A "${1%/*}" 2>&1)" >&2
	return 1
}

# SIGKILL in the middle of a run: every file it lists is whole; report and
# compare say it was killed. It runs until it is killed, after its first
# results (4 minutes at most).
"$MESILAB" run --quick --quiet -o "$WORK/killed" >/dev/null 2>"$WORK/killed.err" &
pid=$!
wait_for "$WORK/killed/latency.csv" "$pid" || fail "a run to kill wrote no latency.csv: $(cat "$WORK/killed.err")"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
grep -q '"status": "running"' "$WORK/killed/meta.json" || fail "a killed run's meta.json: $(cat "$WORK/killed/meta.json")"
grep -q '"cores":' "$WORK/killed/meta.json" || fail "a killed run's meta.json lacks the topology: $(cat "$WORK/killed/meta.json")"
run report "$WORK/killed"
expect_status 0
grep -q "This run did not complete: it was killed" "$WORK/killed/report.md" ||
	fail "report does not say the run was killed: $(head -n 20 "$WORK/killed/report.md")"
run compare "$WORK/killed" "$WORK/killed"
grep -q "warning: $WORK/killed did not complete: it was killed" "$WORK/err" || fail "compare does not say the run was killed: $(cat "$WORK/err")"

# The run directory removed under a run: it stops, says why, no crash.
timeout -k 5 300 "$MESILAB" run --quick -o "$WORK/gone" >/dev/null 2>"$WORK/gone.err" &
pid=$!
if wait_for "$WORK/gone/topology.csv" "$pid"; then
	# rm -rf fails while the run adds a file to the directory: again, 10 s at most.
	tries=0
	while [ -e "$WORK/gone" ] && [ "$tries" -lt 1000 ]; do
		rm -rf "$WORK/gone" 2>/dev/null || sleep 0.01
		tries=$((tries + 1))
	done
	[ ! -e "$WORK/gone" ] || fail "a run directory could not be removed under its run: it held $(ls -A "$WORK/gone")"
	wait "$pid"
	status=$?
	[ "$status" -eq 1 ] || fail "a removed run directory: exit status $status (expected 1): $(cat "$WORK/gone.err")"
	grep -q "the run directory was removed during the run: stopped before" "$WORK/gone.err" ||
		fail "a removed run directory: no 'the run directory was removed during the run: stopped before': $(cat "$WORK/gone.err")"
else
	fail "a run to remove the directory of wrote no topology.csv: $(cat "$WORK/gone.err")"
	kill "$pid" 2>/dev/null
	wait "$pid"
fi

# Working sets larger than the memory available: refused before anything
# is allocated or created.
avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ -n "$avail_kib" ]; then
	twice="$((avail_kib * 2))K"
	run bench latency --max "$twice" -o "$WORK/mem"
	expect_error 2 "--max $twice needs"
	[ ! -e "$WORK/mem" ] || fail "a refused working set left $(ls -A "$WORK/mem")"
	run bench bandwidth --threads 1 --max "$twice"
	expect_error 2 "of memory;"
	"$MESILAB" trace mix --quick --threads 2 -o "$WORK/m.trace" 2>/dev/null
	run sim --cores 64 --l2 4G:16:64 -p all "$WORK/m.trace"
	expect_error 2 "64 cores with these caches under 6 protocols need about"
fi
run sim --l1 8G:8:64 "$WORK/m.trace"
expect_error 2 "--l1: cache '8G:8:64': larger than 4 GiB"

# A results file far larger than any run writes is refused, not read into
# memory (a sparse file: no disk is used).
mkdir "$WORK/huge"
cp "$REFERENCE/meta.json" "$WORK/huge/"
truncate -s 300M "$WORK/huge/latency.csv"
run plot "$WORK/huge"
expect_error 2 "latency.csv: larger than 256 MiB: not read"

# A bad option found after the run directory was made leaves nothing.
run bench c2c --relax many -o "$WORK/bad"
expect_error 2 "invalid --relax 'many'"
[ ! -e "$WORK/bad" ] || fail "a usage error left $(ls -A "$WORK/bad")"
run bench c2c --relax many
[ -z "$(ls -A "$WORK/results" 2>/dev/null)" ] || fail "a usage error left a run under results/"

finish
