#!/bin/sh
# sim --store-buffer N: 0 (the default without --machine) leaves every
# output as it was, the textbook logs and the hand-made traces' results
# byte for byte; a buffer brings the false-sharing kernel's slowdown down
# from one transfer per store; --machine takes 56 entries, said in
# sim-machine.csv, and the option sets its own over it; a size beyond the
# bound is refused.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR
T="$TESTDATA/textbook"
ulimit -f 65536

# sim_into DIR ARGS...: sim -q with ARGS into the run DIR, its stdout
# without the line of the replay's speed and the run's name.
sim_into() {
	dir=$1
	shift
	timeout -k 5 60 "$MESILAB" sim -q -o "$dir" "$@" >"$dir.out" 2>"$WORK/err" ||
		fail "sim $* failed: $(cat "$WORK/err")"
	grep -v -e 'replayed in' -e '^results in' "$dir.out" >"$dir.summary"
}

# The textbook's logs, as stored, with the option given.
for p in msi msi-upgr mesi moesi mesif dragon; do
	timeout -k 5 60 "$MESILAB" sim --order file --log -p "$p" --quiet --store-buffer 0 "$T/classic.txt" >"$WORK/out" 2>"$WORK/err" ||
		fail "sim $p --store-buffer 0 failed: $(cat "$WORK/err")"
	grep "^$p " "$WORK/out" >"$WORK/log"
	expect_same "$WORK/log" "$T/classic.$p.log"
done

# Every hand-made trace: the same summary and results with and without
# the option.
n=0
for trace in "$T"/*.txt "$TESTDATA"/traces/*.txt; do
	n=$((n + 1))
	sim_into "$WORK/without$n" "$trace"
	sim_into "$WORK/with$n" --store-buffer 0 "$trace"
	expect_same "$WORK/with$n.summary" "$WORK/without$n.summary"
	for f in sim-summary.csv sim-cores.csv sim-transitions.csv; do
		expect_same "$WORK/with$n/$f" "$WORK/without$n/$f"
	done
done
[ "$n" -ge 5 ] || fail "only $n hand-made traces found"

# The false-sharing kernel, two threads, counters 8 and 64 bytes apart:
# without a buffer every store takes the line from the other thread; with
# one the threads run ahead of the line, which moves once per request.
for d in 8 64; do
	timeout -k 5 60 "$MESILAB" trace falseshare --quick -q --distance "$d" -o "$WORK/fs$d.trace" 2>"$WORK/err" ||
		fail "trace falseshare --distance $d failed: $(cat "$WORK/err")"
	for b in 0 56; do
		sim_into "$WORK/fs$d-$b" -p mesif --store-buffer "$b" "$WORK/fs$d.trace"
	done
done
# col RUN NAME: the column NAME of the mesif row of RUN's sim-summary.csv.
col() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } $1 == "mesif" { print $c }' \
		"$1/sim-summary.csv"
}
slow_without=$(awk "BEGIN { printf \"%.2f\", $(col "$WORK/fs8-0" cycles) / $(col "$WORK/fs64-0" cycles) }")
slow_with=$(awk "BEGIN { printf \"%.2f\", $(col "$WORK/fs8-56" cycles) / $(col "$WORK/fs64-56" cycles) }")
echo "falseshare slowdown, 8 bytes over 64, mesif, default latencies: $slow_without without a store buffer, $slow_with with 56 entries"
awk "BEGIN { exit !($slow_with * 5 < $slow_without) }" ||
	fail "the store buffer brings the slowdown from $slow_without to $slow_with only"
[ "$(col "$WORK/fs8-56" misses)" -lt "$(col "$WORK/fs8-0" misses)" ] ||
	fail "as many misses with the buffer ($(col "$WORK/fs8-56" misses)) as without ($(col "$WORK/fs8-0" misses))"
# Padded counters never share a line: the buffer changes no counter.
[ "$(col "$WORK/fs64-56" misses)" = "$(col "$WORK/fs64-0" misses)" ] ||
	fail "the padded counters' misses differ with a buffer: $(col "$WORK/fs64-56" misses), $(col "$WORK/fs64-0" misses)"
grep -q 'a store buffer of 56 entries per core' "$WORK/fs8-56.summary" ||
	fail "the summary does not say the store buffer: $(grep latencies "$WORK/fs8-56.summary")"

# The host's model takes 56 entries, and says where the figure is from;
# the option sets its own.
sim_into "$WORK/machine" -p mesi --machine "$TESTDATA/machine" "$TESTDATA/traces/handwritten.txt"
grep -q '^store_buffer,56,default,.*Skylake' "$WORK/machine/sim-machine.csv" ||
	fail "sim-machine.csv's store buffer: $(grep '^store_buffer' "$WORK/machine/sim-machine.csv")"
sim_into "$WORK/machine8" -p mesi --machine "$TESTDATA/machine" --store-buffer 8 "$TESTDATA/traces/handwritten.txt"
grep -q '^store_buffer,8,option,--store-buffer' "$WORK/machine8/sim-machine.csv" ||
	fail "sim-machine.csv's store buffer given: $(grep '^store_buffer' "$WORK/machine8/sim-machine.csv")"

run sim --store-buffer 4097 "$TESTDATA/traces/handwritten.txt"
expect_error 2 "--store-buffer"

finish
