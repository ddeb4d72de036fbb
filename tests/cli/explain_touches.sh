#!/bin/sh
# mesilab explain's finding names each run of bytes a touch covers with
# its own object: main's one load in a loop over four slots reads bytes
# of slots[0] to slots[3], said as "32-35 (slots[0].even), 40-43
# (slots[1].even), ..."; it named them all after the first. The workers'
# flags, a line of a handful of false-sharing misses, get no fix of their
# own, said in one line. Main's one run of bytes over four flags is named
# as their range, "0-15 (flags.marks[0..3])", where it was named after
# the first.
. "$TESTLIB"

need_traced_programs
ulimit -f 200000

traced sum "$TESTDATA/explain/slots_sum.c" 5000
grep -q '^20000 8$' "$WORK/sum.out" || fail "the program's result: $(cat "$WORK/sum.out")"

run explain "$WORK/sum.trace" --order timed --no-latent -o "$WORK/run"
expect_status 0
expect_out_contains "is shared falsely"
r='[0-9]*-[0-9]*'
grep -q "^  thread 0 reads bytes $r (slots\[0\]\.even), $r (slots\[1\]\.even), $r (slots\[2\]\.even), $r (slots\[3\]\.even) at slots_sum.c:49 in main" "$WORK/out" ||
	fail "main's loop over the slots: expected each run of bytes with its slot, got: $(grep 'thread 0 reads' "$WORK/out")"
# One run of bytes over four flags: named as their range, not the first.
grep -q "^  thread 0 reads bytes 0-15 (flags\.marks\[0\.\.3\]) at slots_sum.c:51 in main" "$WORK/out" ||
	fail "main's loop over the flags: expected 'bytes 0-15 (flags.marks[0..3])', got: $(grep 'thread 0 reads .*slots_sum.c:51' "$WORK/out")"
grep -q "^  fix: padding struct slot (8 bytes, the elements of slots) to 64 bytes$" "$WORK/out" ||
	fail "no fix for the slots: $(grep 'fix:' "$WORK/out")"
if grep -q "fix: .*marks" "$WORK/out"; then
	fail "a fix for the flags' handful of misses: $(grep 'fix:' "$WORK/out")"
fi
grep -q "^  (and 1 line of a hundredth of the false sharing or less, regrouped too)$" "$WORK/out" ||
	fail "the flags' line is not said apart: $(grep -A4 'regrouped by the threads' "$WORK/out")"
finish
