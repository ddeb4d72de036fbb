#!/bin/sh
# mesilab explain names memory on a thread's stack by its thread: a
# program whose main thread keeps its two workers' counts in a local array
# (false sharing on main's stack) is explained with the line "stack of
# thread 0", in the finding (the workers' writes among the touches shown,
# before main's single ones) and the objects table, and given a fix; trace
# info counts the threads' stacks the trace names; the runtime's word of a
# thread's start and end is named as such. The workers' start
# barrier, a union whose char array is no array of elements, has no
# element size, and no fix pads it.
. "$TESTLIB"

need_traced_programs
ulimit -f 200000

traced bug "$TESTDATA/explain/stack_bug.c" 20000
grep -q '^20000 20000$' "$WORK/bug.out" || fail "the program's result: $(cat "$WORK/bug.out")"

run trace info "$WORK/bug.trace"
expect_status 0
grep -q "; 3 thread stacks$" "$WORK/out" || fail "trace info: expected 3 thread stacks: $(grep 'code locations' "$WORK/out")"

# The timed order: the workers overlap whatever the machine made of them.
run explain "$WORK/bug.trace" --order timed --no-latent -o "$WORK/run"
expect_status 0
grep -q "^line 0x[0-9a-f]* (stack of thread 0) is shared falsely:$" "$WORK/out" ||
	fail "no false sharing named on main's stack: $(grep 'shared falsely' "$WORK/out")"
grep -q "^  thread 1 writes bytes [0-9-]* (stack of thread 0) at stack_bug.c:24 in worker" "$WORK/out" ||
	fail "the finding does not name worker's line on main's stack: $(grep 'thread 1' "$WORK/out")"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["object"] == "stack of thread 0" && $c["misses_false_sharing"] > 1000 { found = 1 }
	END { exit !found }' "$WORK/run/explain-objects.csv" ||
	fail "explain-objects.csv: no 'stack of thread 0' row with its false sharing"
grep -q "^  fix: giving each thread whole lines of its own in the stack of thread 0" "$WORK/out" ||
	fail "no fix for the stack's false sharing: $(grep 'fix:' "$WORK/out")"
grep -q "^msi,thread 1's start and end (the runtime's)," "$WORK/run/explain-objects.csv" ||
	fail "explain-objects.csv: the runtime's word of thread 1's start and end is not named"
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["object"] == "start" { print $c["element_bytes"]; exit }' "$WORK/run/explain-objects.csv")
[ -z "$got" ] || fail "the barrier's element_bytes in explain-objects.csv: expected '', got '$got'"
if grep -q "^  fix: padding union" "$WORK/out"; then
	fail "a fix pads the barrier: $(grep 'fix:' "$WORK/out")"
fi
finish
