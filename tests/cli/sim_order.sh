#!/bin/sh
# The order a trace is replayed in: by default the one its header asks
# for, said in the summary. A traced program's synchronisation records
# keep their order, so that no access moves across a lock, a barrier or a
# thread's start or end (the timed order alone gets a hand-made program
# wrong); the rest follows the timing model, whatever interleaving the
# tracing machine happened to record. A course's interleaved trace keeps
# its file order, a kernel's streams the timed order; version 1 traces
# still read, a tracer's as a program.
. "$TESTLIB"

D="$TESTDATA/order"

# column NAME of the CSV row of PROTOCOL in FILE
col() {
	awk -F, -v p="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == p { print $c[name] }' "$1"
}
# sim TRACE [OPTIONS...]: the CSV summary in $WORK/csv, the order line of the
# summary for people in $WORK/order
sim_both() {
	trace=$1
	shift
	timeout -k 5 60 "$MESILAB" sim "$trace" --csv -o "$WORK/run" "$@" >"$WORK/csv" 2>"$WORK/err" ||
		fail "sim $trace $*: $(cat "$WORK/err")"
	timeout -k 5 60 "$MESILAB" sim "$trace" -o "$WORK/run" "$@" 2>"$WORK/err" | grep '^order: ' >"$WORK/order" ||
		fail "sim $trace $*: no order line"
}
expect_order() {
	grep -q -F -- "$1" "$WORK/order" || fail "expected the order line to say '$1': $(cat "$WORK/order")"
}

# The hand-made program (lock-barrier.txt says why): by default in the
# synchronised order, with the misses and invalidations worked out by
# hand, under MSI and MESI alike.
sim_both "$D/lock-barrier.txt" -p msi,mesi
expect_order "order: synchronised timed order (a traced program): 8 synchronisation records kept in the program's order; 0 accesses (0.0%) replayed ahead"
for p in msi mesi; do
	got="$(col "$WORK/csv" $p misses) $(col "$WORK/csv" $p misses_cold) $(col "$WORK/csv" $p misses_true_sharing) $(col "$WORK/csv" $p invalidations)"
	[ "$got" = "9 8 1 3" ] || fail "lock-barrier.txt, $p, default order: misses, cold, true sharing, invalidations: $got, expected 9 8 1 3"
done
grep -A1 '"name": "sim.order"' "$WORK/run/meta.json" | grep -q '"value": "synced"' ||
	fail "meta.json does not say the order: $(grep -A1 '"sim.order' "$WORK/run/meta.json")"
grep -q 'synchronised timed order (a traced program)' "$WORK/run/meta.json" || fail "meta.json does not say why the order"
cp "$WORK/csv" "$WORK/default.csv"
sim_both "$D/lock-barrier.txt" -p msi,mesi --order synced
expect_same "$WORK/csv" "$WORK/default.csv"
expect_order "synchronised timed order (as asked; the header says: a traced program)"
# The timed order alone lets thread 1 through the barrier before thread 0
# arrives: its read of the result comes first, and thread 0's write then
# takes the line from it.
sim_both "$D/lock-barrier.txt" -p msi,mesi --order timed
expect_order "order: timed order (as asked; the header says: a traced program)"
for p in msi mesi; do
	got="$(col "$WORK/csv" $p misses) $(col "$WORK/csv" $p misses_cold) $(col "$WORK/csv" $p misses_true_sharing) $(col "$WORK/csv" $p invalidations)"
	[ "$got" != "9 8 1 3" ] && [ "$(col "$WORK/csv" $p invalidations)" -gt 3 ] ||
		fail "lock-barrier.txt, $p, timed order: $got, the synchronised order's figures"
done

# The same program as two runs interleaved its plain accesses: the file
# orders differ (the first has thread 0's two writes in a row), the
# synchronised order is one and the same; how far each replay went from
# its file is said.
for f in a b; do
	sim_both "$D/falseshare-$f.txt" -p msi,mesi
	cp "$WORK/csv" "$WORK/synced-$f.csv"
	cp "$WORK/run/sim-cores.csv" "$WORK/cores-$f.csv"
	expect_order "4 synchronisation records kept in the program's order"
	sed -n 's/.*order; \([0-9]*\) access.*/\1/p' "$WORK/order" >"$WORK/ahead-$f"
	[ -s "$WORK/ahead-$f" ] || fail "falseshare-$f.txt: no count of accesses replayed ahead: $(cat "$WORK/order")"
	sim_both "$D/falseshare-$f.txt" -p msi,mesi --order file
	cp "$WORK/csv" "$WORK/file-$f.csv"
done
expect_same "$WORK/synced-a.csv" "$WORK/synced-b.csv"
expect_same "$WORK/cores-a.csv" "$WORK/cores-b.csv"
! cmp -s "$WORK/file-a.csv" "$WORK/file-b.csv" || fail "the two interleavings give the same figures in file order: the test shows nothing"
! cmp -s "$WORK/ahead-a" "$WORK/ahead-b" || fail "the same count of accesses replayed ahead of two different files"

# A course's interleaved trace: its file order, by default (MESI: 5 misses;
# the timed order would give 4).
timeout -k 5 60 "$MESILAB" trace import --quiet --from interleaved "$D/course8.txt" -o "$WORK/course8.trace" ||
	fail "import of course8.txt"
sim_both "$WORK/course8.trace" -p mesi
expect_order "order: file order (a trace whose file order is the reference)"
[ "$(col "$WORK/csv" mesi misses)" -eq 5 ] || fail "course8.txt, default order: $(col "$WORK/csv" mesi misses) misses, not 5"
sim_both "$WORK/course8.trace" -p mesi --order timed
[ "$(col "$WORK/csv" mesi misses)" -eq 4 ] || fail "course8.txt, timed order: $(col "$WORK/csv" mesi misses) misses, not 4"
# A hand-written text trace without '# order:' is a reference too.
printf '0 W 0x40\n1 W 0x44\n0 W 0x40\n1 R 0x40\n' >"$WORK/hand.txt"
sim_both "$WORK/hand.txt" -p mesi
expect_order "order: file order (a trace whose file order is the reference)"
cp "$WORK/csv" "$WORK/hand-default.csv"
sim_both "$WORK/hand.txt" -p mesi --order file
expect_same "$WORK/csv" "$WORK/hand-default.csv"

# Kernels: per-core streams keep the timed order, lock-step kernels their
# file's order.
timeout -k 5 60 "$MESILAB" trace falseshare --quiet --threads 2 --distance 8 --iterations 2000 -o "$WORK/fs.trace" ||
	fail "trace falseshare"
sim_both "$WORK/fs.trace" -p msi,mesi
expect_order "order: timed order (independent per-core streams)"
cp "$WORK/csv" "$WORK/fs-default.csv"
sim_both "$WORK/fs.trace" -p msi,mesi --order timed
expect_same "$WORK/csv" "$WORK/fs-default.csv"
timeout -k 5 60 "$MESILAB" trace c2c --quick --quiet -o "$WORK/c2c.trace" || fail "trace c2c"
sim_both "$WORK/c2c.trace" -p mesi
expect_order "order: file order (a trace whose file order is the reference)"
run trace info "$WORK/fs.trace"
expect_out_contains "order: streams (independent per-thread streams"

# The suite's simulation stage: each kernel's trace in its own order; the
# ping-pong and the locks not traced but driven by each protocol's timing.
timeout -k 5 120 "$MESILAB" run --quick --quiet --only sim -o "$WORK/suite" >/dev/null 2>"$WORK/err" ||
	fail "run --only sim: $(cat "$WORK/err")"
for case in "falseshare-8 timed" "falseshare-64 timed" "falseshare-readmostly-8 timed" "states file"; do
	grep -A1 "\"name\": \"sim.workload.${case% *}\"" "$WORK/suite/meta.json" | grep -q "replayed in ${case#* } order" ||
		fail "run's sim stage: ${case% *} not in ${case#* } order: $(grep -A1 "sim.workload.${case% *}\"" "$WORK/suite/meta.json")"
done
for lock in c2c contention-tas contention-ticket; do
	grep -A1 "\"name\": \"sim.workload.$lock\"" "$WORK/suite/meta.json" | grep -q "driven by each protocol's timing" ||
		fail "run's sim stage: $lock not driven by the model's timing: $(grep -A1 "sim.workload.$lock\"" "$WORK/suite/meta.json")"
done

# Version 1 traces: a tracer's is a program whose atomics are its
# synchronisation records (shown as such, and packed so into version 2);
# a kernel's, streams.
run trace info "$D/v1-program.trace"
expect_status 0
expect_out_contains "order: program, as a version 1 trace is taken"
run trace cat "$D/v1-program.trace"
[ "$(grep -c ' A .* sync$' "$WORK/out")" -eq 8 ] && [ "$(grep -c ' sync$' "$WORK/out")" -eq 8 ] ||
	fail "v1-program.trace: its 8 atomics are not its synchronisation records: $(cat "$WORK/out")"
grep -q '^# order: program$' "$WORK/out" || fail "v1-program.trace: the text lacks '# order: program'"
sim_both "$D/v1-program.trace" -p msi,mesi
expect_order "order: synchronised timed order (a traced program): 8 synchronisation records"
cp "$WORK/csv" "$WORK/v1.csv"
run trace pack "$D/v1-program.trace" -o "$WORK/v2.trace"
expect_status 0
[ "$(od -An -tu1 -j8 -N1 "$WORK/v2.trace" | tr -d ' ')" = 2 ] || fail "pack did not write version 2"
sim_both "$WORK/v2.trace" -p msi,mesi
expect_same "$WORK/csv" "$WORK/v1.csv"
sim_both "$D/v1-streams.trace" -p mesi
expect_order "order: timed order (independent per-core streams)"

# A sweep takes each trace's own order unless given a list.
timeout -k 5 120 "$MESILAB" sweep --quiet -j 1 -p mesi -o "$WORK/sweep" "$D/lock-barrier.txt" "$WORK/fs.trace" "$WORK/course8.trace" \
	>/dev/null 2>"$WORK/err" || fail "sweep: $(cat "$WORK/err")"
for case in "lock-barrier.txt synced" "fs.trace timed" "course8.trace file"; do
	awk -F, -v t="${case% *}" -v o="${case#* }" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		index($c["trace"], t) { found = 1; ok = $c["order"] == o } END { exit !(found && ok) }' "$WORK/sweep/plan.csv" ||
		fail "sweep: ${case% *} not in ${case#* } order: $(cat "$WORK/sweep/plan.csv")"
done
timeout -k 5 120 "$MESILAB" sweep --quiet -j 1 -p mesi --order timed,synced -o "$WORK/sweep2" "$D/lock-barrier.txt" \
	>/dev/null 2>"$WORK/err" || fail "sweep --order timed,synced: $(cat "$WORK/err")"
[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["order"] }' "$WORK/sweep2/plan.csv" | sort | tr '\n' ' ')" = "synced timed " ] ||
	fail "sweep --order timed,synced: $(cat "$WORK/sweep2/plan.csv")"
run sim --order random "$D/lock-barrier.txt"
expect_error 2 "unknown --order 'random' (expected timed, synced or file)"

# A real program, traced with mesilab-cc: replayed in the synchronised
# order by default, which says so; every read of the reader's third phase
# comes after the writer's writes (256 coherence misses at least), where
# the timed order alone lets the reader through the barriers and read its
# own copies before the writer has written.
cc_works() {
	printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
	"${MESILAB_CC:-cc}" -fsanitize=thread -c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null
}
if [ -n "${MESILAB_CC_BIN:-}" ] && cc_works; then
	export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
	timeout -k 5 120 "$MESILAB_CC_BIN" -O1 -o "$WORK/phases" "$TRACER_PROGRAMS/phases.c" 2>"$WORK/err" ||
		fail "mesilab-cc phases.c: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/phases.trace" timeout -k 5 60 "$WORK/phases" >"$WORK/prog.out" 2>"$WORK/prog.err" ||
		fail "the traced program: $(cat "$WORK/prog.out" "$WORK/prog.err")"
	run trace info "$WORK/phases.trace" --csv
	sync_records=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == "all" { print $c["sync_records"] }' "$WORK/out")
	[ "${sync_records:-0}" -ge 14 ] || fail "phases: $sync_records synchronisation records (locks, barriers, threads: 14 at least)"
	sim_both "$WORK/phases.trace" -p msi,mesi
	expect_order "order: synchronised timed order (a traced program): $sync_records synchronisation records kept in the program's order"
	reader_misses() { # PROTOCOL: the reader's (thread 1's) coherence misses, true sharing
		awk -F, -v p=$1 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["protocol"] == p && $c["core"] == 1 { print $c["misses_true_sharing"] }' "$WORK/run/sim-cores.csv"
	}
	for p in msi mesi; do
		got=$(reader_misses $p)
		[ "${got:-0}" -ge 256 ] || fail "phases, $p, default order: the reader's coherence misses: $got, not 256 or more"
	done
	sim_both "$WORK/phases.trace" -p msi,mesi --order timed
	for p in msi mesi; do
		got=$(reader_misses $p)
		[ "${got:-256}" -lt 256 ] || fail "phases, $p, timed order: the reader's coherence misses: $got, the barriers kept"
	done
else
	echo "no mesilab-cc or no compiler with -fsanitize=thread: the traced program not tested" >&2
fi

finish
