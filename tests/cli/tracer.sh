#!/bin/sh
# mesilab-cc: programs of the user's own, compiled with the wrapper and
# run, write traces that hold what they did, thread by thread, in the order
# it happened; the simulator sees their false sharing; locks, barriers,
# atomics and OpenMP appear as atomics on their objects; a region of
# interest, a record limit, a fork and bad settings behave as documented.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}" "${TRACER_PROGRAMS:?}"
export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE

# cc_works COMPILER [FLAGS]: whether COMPILER and its thread sanitizer's
# instrumentation are here (the pass is part of GCC and Clang).
cc_works() {
	compiler=$1
	shift
	printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
	"$compiler" -fsanitize=thread "$@" -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null
}

cc_works "${MESILAB_CC:-cc}" || { echo "no C compiler with -fsanitize=thread: skipped" >&2; exit 77; }

# False sharing: two threads, a million increments each of a volatile
# long, 8 bytes apart. Each thread's records: a million loads and a
# million stores, two loads of the globals saying how many and where, and
# the two atomics of its start and end.

# thread_has CSV THREAD READS WRITES RMWS: trace info's row for THREAD.
thread_has() {
	awk -F, -v t="$2" -v r="$3" -v w="$4" -v a="$5" '$1 == t { found = 1; ok = $3 == r && $4 == w && $5 == a }
		END { exit !(found && ok) }' "$1"
}
"$MESILAB_CC_BIN" -O2 -o "$WORK/fsprog" "$TRACER_PROGRAMS/falseshare.c" 2>"$WORK/err" || fail "mesilab-cc: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/fs8.trace" "$WORK/fsprog" 8 1000000 >"$WORK/prog.out" 2>"$WORK/prog.err" ||
	fail "the traced program failed: $(cat "$WORK/prog.err")"
grep -q '^1000000 1000000$' "$WORK/prog.out" || fail "the traced program's result: $(cat "$WORK/prog.out")"
grep -q "records of 3 threads in $WORK/fs8.trace" "$WORK/prog.err" || fail "the runtime did not say where: $(cat "$WORK/prog.err")"
run trace info "$WORK/fs8.trace" --csv
expect_status 0
for t in 1 2; do
	thread_has "$WORK/out" $t 1000002 1000000 2 || fail "thread $t's records: $(cat "$WORK/out")"
done
# Replayed by the simulator's timing model (each core issues its next
# access when the last completes), one coherence miss per store under
# both protocols; in the file's order (the program's own interleaving,
# which gives a thread several increments in a row, or all of them when
# the machine ran the threads one after the other) at most that; 64 bytes
# apart, none either way.
MESILAB_TRACE="$WORK/fs64.trace" "$WORK/fsprog" 64 1000000 >/dev/null 2>&1 || fail "the traced program failed at 64 bytes"
for d in 8 64; do
	for order in timed file; do
		run sim "$WORK/fs$d.trace" -p msi,mesi --order $order --csv
		expect_status 0
		cp "$WORK/out" "$WORK/sim$d-$order.csv"
	done
done
coherence() { # FILE PROTOCOL: coherence (true and false sharing) misses per store
	awk -F, -v p="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == p { printf "%.3f\n", ($c["misses_false_sharing"] + $c["misses_true_sharing"]) / $c["writes"] }' "$1"
}
within() { # VALUE LOW HIGH
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}
for p in msi mesi; do
	per=$(coherence "$WORK/sim8-timed.csv" $p)
	within "$per" 0.95 1.01 || fail "$p, 8 bytes apart, timed order: $per coherence misses per store"
	per=$(coherence "$WORK/sim8-file.csv" $p)
	within "$per" 0 1.01 || fail "$p, 8 bytes apart, file order: $per coherence misses per store"
	for order in timed file; do
		per=$(coherence "$WORK/sim64-$order.csv" $p)
		within "$per" 0 0.001 || fail "$p, 64 bytes apart, $order order: $per coherence misses per store"
	done
done

# Written in place, in the chunked format (version 4): a loop's record
# is about its flags byte alone (its stamp steps evenly between the clock
# reads, its address is predicted), code locations included, and the
# reader takes a chunk that small; the same records in the same order as
# the version 2 copy 'trace pack' makes of it, so that trace cat and sim
# say the same of both.
version=$(od -An -tu2 -j8 -N2 "$WORK/fs8.trace" | tr -d ' ')
[ "$version" = 4 ] || fail "the traced program's trace is version $version, not 4"
run trace info "$WORK/fs8.trace" --csv
records=$(awk -F, '$1 == "all" { print $2 }' "$WORK/out")
bytes=$(wc -c <"$WORK/fs8.trace")
awk -v b="$bytes" -v r="$records" 'BEGIN { exit !(r > 4000000 && b / r <= 1.5) }' ||
	fail "the trace takes $bytes bytes for $records records (at most 1.5 a record expected)"
MESILAB_TRACE="$WORK/small.trace" timeout -k 5 60 "$WORK/fsprog" 8 20000 >/dev/null 2>&1 || fail "the traced program failed"
run trace pack "$WORK/small.trace" -o "$WORK/small.v2"
expect_status 0
for cmd in "trace cat" "sim -p msi,mesi --csv" "sim -p mesi --order file --csv"; do
	# shellcheck disable=SC2086 # the command's words
	run $cmd "$WORK/small.trace"
	expect_status 0
	mv "$WORK/out" "$WORK/v4.out"
	# shellcheck disable=SC2086
	run $cmd "$WORK/small.v2"
	expect_status 0
	cmp -s "$WORK/v4.out" "$WORK/out" || fail "$cmd: the chunked trace and its version 2 copy differ: $(diff "$WORK/v4.out" "$WORK/out" | head -5)"
done
# From a pipe it cannot be merged as it is read: one line says so (a file
# on standard input is read).
cat "$WORK/small.trace" | timeout -k 5 60 "$MESILAB" sim - -p mesi >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "<stdin>: a chunked trace (version 4) is read by seeking in it"
# The trace is the only spool, and has no name until the program exits:
# a program killed (SIGKILL, SIGTERM) leaves nothing, in the trace's
# directory or the temporary one.
mkdir "$WORK/killed" "$WORK/tmp"
for sig in KILL TERM; do
	TMPDIR="$WORK/tmp" MESILAB_TRACE="$WORK/killed/k.trace" timeout -s $sig 2 "$WORK/fsprog" 8 1000000000 >/dev/null 2>&1
	[ -z "$(ls -A "$WORK/killed" "$WORK/tmp" | grep -v ':$' | grep .)" ] ||
		fail "a program killed by SIG$sig left $(ls -A "$WORK/killed" "$WORK/tmp")"
done

# A region of interest: 100 stores, nothing before or after; the forked
# child says it is not traced and leaves the trace alone.
"$MESILAB_CC_BIN" -O2 -o "$WORK/region" "$TRACER_PROGRAMS/region.c" 2>"$WORK/err" || fail "mesilab-cc region.c: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/region.trace" "$WORK/region" >"$WORK/prog.out" 2>"$WORK/prog.err"
grep -q "is a fork's child: it is not traced" "$WORK/prog.err" || fail "the fork not said: $(cat "$WORK/prog.err")"
run trace info "$WORK/region.trace" --csv
grep -q '^all,100,0,100,0,0,' "$WORK/out" || fail "the region's records: $(cat "$WORK/out")"
inside=$(sed -n 's/^inside 0x\([0-9a-f]*\)$/\1/p' "$WORK/prog.out")
run trace cat "$WORK/region.trace"
[ "$(grep -c "^0 W 0x$inside " "$WORK/out")" -eq 1 ] || fail "the region's first store is not at inside[]: $(head -8 "$WORK/out")"
# Built without the wrapper, the region calls do nothing.
${MESILAB_CC:-cc} -I"$MESILAB_TRACER_INCLUDE" -o "$WORK/plain" "$TRACER_PROGRAMS/region.c" && "$WORK/plain" >/dev/null ||
	fail "region.c without mesilab-cc"

# A record limit: exactly that many records, marked truncated.
MESILAB_TRACE="$WORK/limit.trace" MESILAB_TRACE_LIMIT=5000 "$WORK/fsprog" 8 100000 >/dev/null 2>"$WORK/prog.err"
grep -q "record limit (5000) is reached" "$WORK/prog.err" || fail "the limit not said: $(cat "$WORK/prog.err")"
run trace info "$WORK/limit.trace"
expect_out_contains "truncated: the records end before the program did"
run trace info "$WORK/limit.trace" --csv
grep -q '^all,5000,' "$WORK/out" || fail "a limit of 5000 records: $(cat "$WORK/out")"

# More threads than the format holds: the program runs to its end, one
# message says where the trace ends, and the trace holds the first 65535
# threads, marked truncated.
"$MESILAB_CC_BIN" -O2 -o "$WORK/many" "$TRACER_PROGRAMS/manythreads.c" 2>"$WORK/err" || fail "mesilab-cc: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/many.trace" "$WORK/many" 65540 >"$WORK/prog.out" 2>"$WORK/prog.err" ||
	fail "65540 threads, traced: $(cat "$WORK/prog.err")"
grep -q '^65540$' "$WORK/prog.out" || fail "65540 threads, traced, ran: $(cat "$WORK/prog.out")"
[ "$(grep -c 'more threads than the trace format holds (65535)' "$WORK/prog.err")" -eq 1 ] ||
	fail "65540 threads: $(cat "$WORK/prog.err")"
run trace info "$WORK/many.trace"
expect_out_contains "truncated: the records end before the program did"
run trace info "$WORK/many.trace" --csv
expect_status 0
awk -F, '$1 == "65534" { found = 1 } END { exit !found }' "$WORK/out" ||
	fail "65540 threads: the trace lacks thread 65534: $(tail -2 "$WORK/out")"

# The ticket order: the same records, in one global order.
MESILAB_TRACE="$WORK/ticket.trace" MESILAB_TRACE_ORDER=ticket "$WORK/fsprog" 8 10000 >/dev/null 2>&1
run trace info "$WORK/ticket.trace" --csv
thread_has "$WORK/out" 1 10002 10000 2 || fail "ticket order: $(cat "$WORK/out")"

# The clock read at every access (clock-each), and the default's (read at
# each synchronisation record and every 32nd access, the accesses between
# stamped in between when the buffer is written): the same records; the
# generator says which.
for order in clock clock-each; do
	MESILAB_TRACE="$WORK/$order.trace" MESILAB_TRACE_ORDER=$order "$WORK/fsprog" 8 10000 >/dev/null 2>&1 ||
		fail "the program failed traced in the $order order"
	run trace info "$WORK/$order.trace" --csv
	thread_has "$WORK/out" 1 10002 10000 2 || fail "$order order: $(cat "$WORK/out")"
	run trace info "$WORK/$order.trace"
	expect_out_contains "(order: $order; stack accesses kept)"
done

# A thread's accesses after its end was recorded (a key's destructor, by
# code the thread ran before): not recorded, and the program runs on.
"$MESILAB_CC_BIN" -O2 -o "$WORK/late" "$TRACER_PROGRAMS/late_access.c" 2>"$WORK/err" ||
	fail "mesilab-cc late_access.c: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/late.trace" timeout -k 5 60 "$WORK/late" >"$WORK/prog.out" 2>"$WORK/prog.err" ||
	fail "accesses after the thread's end: $(cat "$WORK/prog.err")"
grep -q '^104950$' "$WORK/prog.out" || fail "accesses after the thread's end: $(cat "$WORK/prog.out")"
run trace info "$WORK/late.trace" --csv
thread_has "$WORK/out" 1 1 100 2 || fail "accesses after the thread's end: $(cat "$WORK/out")"

# What a thread's records leave out: its stack's accesses under
# MESILAB_TRACE_STACK=drop, and those it ignores between the race
# detector's __tsan_ignore_thread_begin() and _end(), made by code it ran
# before (the fast path's).
"$MESILAB_CC_BIN" -O2 -o "$WORK/unrecorded" "$TRACER_PROGRAMS/unrecorded.c" 2>"$WORK/err" ||
	fail "mesilab-cc unrecorded.c: $(cat "$WORK/err")"
for case in keep:94 drop:30; do
	MESILAB_TRACE_STACK=${case%:*} MESILAB_TRACE="$WORK/unrecorded.trace" timeout -k 5 60 "$WORK/unrecorded" \
		>/dev/null 2>"$WORK/prog.err" || fail "unrecorded.c, stack ${case%:*}: $(cat "$WORK/prog.err")"
	run trace info "$WORK/unrecorded.trace" --csv
	thread_has "$WORK/out" 1 0 "${case#*:}" 2 || fail "stack ${case%:*}: expected ${case#*:} writes: $(cat "$WORK/out")"
done

# Bad settings: one line, exit 2, no trace.
for setting in MESILAB_TRACE_ORDER=random MESILAB_TRACE_LIMIT=-3 MESILAB_TRACE_STACK=maybe; do
	env "$setting" MESILAB_TRACE="$WORK/bad.trace" "$WORK/fsprog" 8 10 >/dev/null 2>"$WORK/prog.err"
	st=$?
	[ "$st" -eq 2 ] || fail "$setting: exit status $st"
	[ "$(wc -l <"$WORK/prog.err")" -eq 1 ] && grep -q "^mesilab-trace: ${setting%%=*}=" "$WORK/prog.err" ||
		fail "$setting: $(cat "$WORK/prog.err")"
	[ ! -e "$WORK/bad.trace" ] || fail "$setting left a trace"
done
# A directory that cannot be written: the program runs, untraced, saying so.
MESILAB_TRACE=/nonexistent/dir/x.trace "$WORK/fsprog" 8 10 >"$WORK/prog.out" 2>"$WORK/prog.err" || fail "an unwritable trace stopped the program"
grep -q "cannot write beside /nonexistent/dir/x.trace" "$WORK/prog.err" || fail "an unwritable trace: $(cat "$WORK/prog.err")"

# Clang, where it is here: the same records (a load its store follows
# included, which Clang's race detector would skip).
if cc_works clang; then
	MESILAB_CC=clang "$MESILAB_CC_BIN" -O2 -o "$WORK/fs-clang" "$TRACER_PROGRAMS/falseshare.c" 2>"$WORK/err" ||
		fail "mesilab-cc with clang: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/clang.trace" "$WORK/fs-clang" 8 1000 >/dev/null 2>&1 || fail "the clang-built program failed"
	run trace info "$WORK/clang.trace" --csv
	for t in 1 2; do
		thread_has "$WORK/out" $t 1002 1000 2 || fail "clang, thread $t's records: $(cat "$WORK/out")"
	done
fi

# A file system that fills up: the program runs on, one message says no
# trace is written, and nothing is left there.
fs_namespace
if [ -n "$NAMESPACE" ]; then
	in_fs size=1m env MESILAB_TRACE="$WORK/fs/full.trace" "$WORK/fsprog" 8 1000000
	[ "$status" -eq 0 ] || fail "a full file system stopped the traced program: $(cat "$WORK/err")"
	grep -q "cannot write the spool beside $WORK/fs/full.trace: No space left on device; no trace will be written" \
		"$WORK/err" || fail "a full file system: $(cat "$WORK/err")"
	[ ! -s "$WORK/fs.list" ] || fail "a full file system: left $(cat "$WORK/fs.list")"
else
	echo "no private mount namespace: the full file system not tested" >&2
fi

# C++: std::atomic, std::mutex, a barrier, OpenMP; every lock operation an
# atomic on the mutex, every arrival one on the barrier.
if cc_works "${MESILAB_CXX:-c++}" -fopenmp; then
	"${MESILAB_CC_BIN%cc}c++" -O1 -std=c++17 -fopenmp -o "$WORK/sync" "$TRACER_PROGRAMS/sync.cc" 2>"$WORK/err" ||
		fail "mesilab-c++: $(cat "$WORK/err")"
	OMP_NUM_THREADS=2 MESILAB_TRACE="$WORK/sync.trace" "$WORK/sync" >"$WORK/prog.out" 2>"$WORK/prog.err" ||
		fail "the C++ program: $(cat "$WORK/prog.out" "$WORK/prog.err")"
	mutex=$(sed -n 's/.* mutex 0x\([0-9a-f]*\) .*/\1/p' "$WORK/prog.out")
	barrier=$(sed -n 's/.* barrier 0x\([0-9a-f]*\)$/\1/p' "$WORK/prog.out")
	atomic=$(sed -n 's/^atomic 0x\([0-9a-f]*\) .*/\1/p' "$WORK/prog.out")
	run trace cat "$WORK/sync.trace"
	[ "$(grep -c " A 0x$mutex 4 " "$WORK/out")" -eq 600 ] || fail "mutex records: $(grep -c " A 0x$mutex " "$WORK/out")"
	[ "$(grep -c " A 0x$barrier 4 " "$WORK/out")" -eq 3 ] || fail "barrier records: $(grep -c " A 0x$barrier " "$WORK/out")"
	[ "$(grep -c " A 0x$atomic 8 " "$WORK/out")" -ge 300 ] || fail "atomic records: $(grep -c " A 0x$atomic " "$WORK/out")"
	threads=$(sed -n 's/^# threads: //p' "$WORK/out")
	[ "$threads" -ge 5 ] || fail "3 threads and an OpenMP team: $threads threads"
	for p in msi mesi moesi; do
		run sim "$WORK/sync.trace" -p $p --order file
		expect_status 0
	done
else
	echo "no C++ compiler with -fsanitize=thread and -fopenmp: the C++ case skipped" >&2
fi

[ "$failures" -eq 0 ]
