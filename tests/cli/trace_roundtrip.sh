#!/bin/sh
# Text and binary forms convert into each other without loss.
. "$TESTLIB"

T="$TESTDATA/traces"

# A hand-written trace becomes the canonical text form.
run trace pack "$T/handwritten.txt" -o "$WORK/hand.trace"
expect_status 0
run trace cat "$WORK/hand.trace"
expect_status 0
expect_same "$WORK/out" "$T/handwritten.canonical"

# text -> binary -> text is identical.
run trace pack "$T/handwritten.canonical" -o "$WORK/canon.trace"
expect_status 0
run trace cat "$WORK/canon.trace" -o "$WORK/canon.txt"
expect_status 0
expect_same "$WORK/canon.txt" "$T/handwritten.canonical"

# binary -> text -> binary is byte-identical, for a kernel's trace too.
"$MESILAB" trace falseshare --threads 3 --iterations 50 --work 7 --atomic >"$WORK/fs.trace" ||
	fail "trace falseshare failed"
run trace cat "$WORK/fs.trace" -o "$WORK/fs.txt"
expect_status 0
run trace pack "$WORK/fs.txt" -o "$WORK/fs2.trace"
expect_status 0
expect_same "$WORK/fs2.trace" "$WORK/fs.trace"
grep -q '^# generator: mesilab trace falseshare --threads 3 --iterations 50 --work 7 --atomic$' \
	"$WORK/fs.txt" || fail "the generator does not record the command line"
[ "$(grep -c ' A ' "$WORK/fs.txt")" -eq 150 ] || fail "expected 150 atomic increments"

# Every reader takes standard input, text or binary.
"$MESILAB" trace cat - <"$WORK/fs.trace" >"$WORK/stdin.txt" || fail "cat - failed"
expect_same "$WORK/stdin.txt" "$WORK/fs.txt"
"$MESILAB" trace pack - -o "$WORK/stdin.trace" <"$WORK/fs.txt" || fail "pack - failed"
expect_same "$WORK/stdin.trace" "$WORK/fs.trace"

# The exact trace of a tiny false-sharing run: two threads, 8 bytes apart,
# interleaved as an ideal machine would issue them.
"$MESILAB" trace falseshare --threads 2 --iterations 2 --work 5 | "$MESILAB" trace cat - >"$WORK/tiny.txt"
cat >"$WORK/tiny.expected" <<-'TXT'
	# mesilab trace: THREAD OP ADDRESS SIZE GAP
	0 R 0x0 8 0
	1 R 0x8 8 0
	0 W 0x0 8 0
	1 W 0x8 8 0
	0 R 0x0 8 5
	1 R 0x8 8 5
	0 W 0x0 8 0
	1 W 0x8 8 0
TXT
grep -v '^# [tlgGo]' "$WORK/tiny.txt" | grep -v '^# generator' >"$WORK/tiny.body"
expect_same "$WORK/tiny.body" "$WORK/tiny.expected"

# info: the counts of the hand-written trace.
run trace info --csv "$T/handwritten.txt"
expect_status 0
cat >"$WORK/info.expected" <<-'CSV'
	thread,records,reads,writes,rmws,ifetches,gap_cycles,distinct_lines,lines_estimated,address_min,address_max,sync_records
	0,2,2,0,0,0,10,1,0,4096,4103,0
	1,3,1,0,1,1,3,3,0,4096,4194307,0
	2,2,1,1,0,0,0,1,0,4096,4103,0
	all,7,4,1,1,1,13,3,0,4096,4194307,0
CSV
expect_same "$WORK/out" "$WORK/info.expected"

# chase: one load per step, every line of the working set touched.
"$MESILAB" trace latency --size 64K --steps 3000 --threads 2 -o "$WORK/chase.trace" || fail "trace latency failed"
run trace info --csv "$WORK/chase.trace"
expect_status 0
grep -q '^all,6000,6000,0,0,0,0,1024,0,' "$WORK/out" || fail "unexpected chase counts: $(cat "$WORK/out")"

# The same options give the same trace: addresses are relative to the buffer.
"$MESILAB" trace latency --size 32K --threads 2 --seed 5 >"$WORK/a.trace" || fail "trace latency failed"
"$MESILAB" trace latency --size 32K --threads 2 --seed 5 >"$WORK/b.trace" || fail "trace latency failed"
expect_same "$WORK/a.trace" "$WORK/b.trace"
"$MESILAB" trace latency --size 32K --threads 2 --seed 6 >"$WORK/c.trace" || fail "trace latency failed"
! cmp -s "$WORK/a.trace" "$WORK/c.trace" || fail "another seed gave the same cycle"

finish
