#!/bin/sh
# mesilab explain names code inlined at -O1 by the inlined function, with
# the function it was inlined into: inlined_bump.c's static inline bump
# (its line 19, inlined into count_up and count_down) is 'bump (inlined
# into count_up, count_down)', in the terminal, the finding and
# explain-lines.csv, where it was named after its caller alone beside
# bump's own line; the loops' lines keep their own functions. Inlined two
# calls deep, the direct caller and the function holding them both: 'bump
# (inlined into step, in worker)'.
. "$TESTLIB"

need_traced_programs
ulimit -f 200000

traced bump "$TESTDATA/explain/inlined_bump.c" 3000
grep -q '^3000 -3000$' "$WORK/bump.out" || fail "the program's result: $(cat "$WORK/bump.out")"
run explain "$WORK/bump.trace" --order timed --no-latent -o "$WORK/run"
expect_status 0
if grep -q '^(built without libdw' "$WORK/out"; then
	# No lines, so no line to pair with a caller's name.
	grep -q 'inlined_bump\.c:' "$WORK/out" && fail "without libdw, a line named: $(cat "$WORK/out")"
	finish
fi
grep -q '^inlined_bump\.c:19 *bump (inlined into count_up, count_down) ' "$WORK/out" ||
	fail "bump's line in the table: expected 'bump (inlined into count_up, count_down)', got: $(grep 'inlined_bump\.c:19' "$WORK/out")"
for t in 1 2; do
	[ $t = 1 ] && caller=count_up || caller=count_down
	grep -q "^  thread $t writes bytes [0-9-]* (counters\[$((t - 1))\]\.n) at inlined_bump\.c:19 in bump (inlined into $caller), 3000 times$" "$WORK/out" ||
		fail "thread $t's writes in the finding: expected 'at inlined_bump.c:19 in bump (inlined into $caller)', got: $(grep "thread $t writes" "$WORK/out")"
done
grep -q '^msi,inlined_bump\.c:19,"bump (inlined into count_up, count_down)",inlined_bump\.c,19,' "$WORK/run/explain-lines.csv" ||
	fail "explain-lines.csv: $(grep 'inlined_bump\.c:19' "$WORK/run/explain-lines.csv")"
for row in 'inlined_bump\.c:26,count_up,' 'inlined_bump\.c:35,count_down,'; do
	grep -q "^msi,$row" "$WORK/run/explain-lines.csv" ||
		fail "a loop's own line: expected '$row', got: $(grep '^msi,' "$WORK/run/explain-lines.csv")"
done

# Two inlined calls deep: bump's direct caller, and the function whose
# code holds them (it said 'bump (inlined into worker)').
traced nested "$TESTDATA/explain/nested_inline.c" 3000
grep -q '^3000 3000$' "$WORK/nested.out" || fail "nested_inline's result: $(cat "$WORK/nested.out")"
run explain "$WORK/nested.trace" --order timed --no-latent -o "$WORK/run-nested"
expect_status 0
grep -q '^nested_inline\.c:18 *bump (inlined into step, in worker) ' "$WORK/out" ||
	fail "nested_inline.c:18 in the table: expected 'bump (inlined into step, in worker)', got: $(grep 'nested_inline\.c:18' "$WORK/out")"

# std::atomic's fetch_add inlined from the headers (inlined_atomics.cc:18
# in add_all, 29 in claim).
printf 'int main() { return 0; }\n' >"$WORK/probe.cc"
if ! "${MESILAB_CXX:-c++}" -fsanitize=thread -c -x c++ "$WORK/probe.cc" -o "$WORK/probe.o" 2>/dev/null; then
	echo "no C++ compiler with -fsanitize=thread: the inlined std::atomic calls are not checked" >&2
	finish
fi
timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/atomics" "$TESTDATA/explain/inlined_atomics.cc" \
	2>"$WORK/err" || fail "mesilab-c++ inlined_atomics.cc: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/atomics.trace" timeout -k 5 60 "$WORK/atomics" 3000 >"$WORK/atomics.out" 2>"$WORK/atomics.err" ||
	fail "the traced inlined_atomics failed: $(cat "$WORK/atomics.err")"
grep -q '^3000 6000$' "$WORK/atomics.out" || fail "inlined_atomics' result: $(cat "$WORK/atomics.out")"
run explain "$WORK/atomics.trace" --order timed --no-latent -o "$WORK/run-atomics"
expect_status 0
for row in 'inlined_atomics\.cc:29 \(inlined atomic_base\.h:[0-9]+\) +claim\(int, long\) ' \
	'inlined_atomics\.cc:18 \(inlined atomic_base\.h:[0-9]+\) +add_all<main'; do
	grep -E -q "^$row" "$WORK/out" ||
		fail "the table: expected a row '$row', got: $(grep -E 'inlined_atomics\.cc|atomic_base' "$WORK/out")"
done
grep -E -q '^  at inlined_atomics\.cc:18 \(inlined atomic_base\.h:[0-9]+\) in add_all<.*> \(inlined into operator\(\), in std::thread::_State_impl<.*>::_M_run\(\)\): [0-9]+ true-sharing misses under msi$' "$WORK/out" ||
	fail "add_all's fetch_add: expected 'in add_all<...> (inlined into operator(), in ..._M_run())', got: $(grep 'inlined_atomics\.cc:18' "$WORK/out")"
finish
