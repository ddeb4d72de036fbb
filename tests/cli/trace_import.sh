#!/bin/sh
# Importers: Dinero din, valgrind lackey and per-core course traces.
. "$TESTLIB"

T="$TESTDATA/traces"

run trace import --from din "$T/sample.din" -o "$WORK/din.trace"
expect_status 0
grep -q "imported 8 accesses for 1 thread; skipped 2 lines" "$WORK/err" || fail "din report: $(cat "$WORK/err")"
grep -q "invented: din has no sizes" "$WORK/err" || fail "din does not say what it invented"
run trace info --csv "$WORK/din.trace"
grep -q '^all,8,3,2,0,3,0,' "$WORK/out" || fail "din read/write/fetch split: $(cat "$WORK/out")"

run trace import --from lackey "$T/sample.lackey" -o "$WORK/lackey.trace"
expect_status 0
grep -q "split: 1 accesses larger than 128 bytes" "$WORK/err" || fail "lackey report: $(cat "$WORK/err")"
run trace info --csv "$WORK/lackey.trace"
# 4 fetches, loads 1 + 1 (M) + 4 (512 bytes in 128-byte pieces), stores 1 + 1 (M)
grep -q '^all,12,6,2,0,4,0,' "$WORK/out" || fail "lackey counts: $(cat "$WORK/out")"

run trace import --quiet --from percore "$T/core0.data" "$T/core1.data" -o "$WORK/pc.trace"
expect_status 0
[ ! -s "$WORK/err" ] || fail "--quiet import wrote to stderr"
"$MESILAB" trace cat "$WORK/pc.trace" | grep -v '^# generator' >"$WORK/pc.txt"
expect_same "$WORK/pc.txt" "$T/percore.expected"

finish
