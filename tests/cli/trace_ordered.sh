#!/bin/sh
# Files of every thread's accesses in their order, read twice (the header
# first): the first pass split among the PUs gives the same header as one
# pass, errors name the first bad line by its number, and header lines
# anywhere in a text trace count. Files of ~50 MB, so that the first pass
# is split in parts even on a machine of 2 PUs.
. "$TESTLIB"

# 3.2 million accesses of processors 0-2, processor 7 once near the end,
# a comment in the middle.
awk 'BEGIN {
	for (i = 0; i < 3200000; i++) {
		if (i == 1600000) print "# the middle"
		printf "%d %s %x\n", i % 3, i % 5 ? "r" : "w", (i * 2654435761) % 4294967296
	}
	print "P7 W 0x40"
}' >"$WORK/big.il"
[ "$(wc -c <"$WORK/big.il")" -gt 33554432 ] || fail "the interleaved file is too small to be split"

run trace import --from interleaved "$WORK/big.il" -o "$WORK/big.trace"
expect_status 0
grep -q "imported 3200001 accesses for 8 threads; skipped 1 lines" "$WORK/err" || fail "split first pass: $(cat "$WORK/err")"
run trace info --csv "$WORK/big.trace"
grep -q '^all,3200001,' "$WORK/out" || fail "records: $(cat "$WORK/out")"
# One PU: one part; the same trace.
if command -v taskset >/dev/null 2>&1; then
	taskset -c 0 "$MESILAB" trace import --quiet --from interleaved "$WORK/big.il" -o "$WORK/one.trace" ||
		fail "import on one PU failed"
	"$MESILAB" trace cat "$WORK/one.trace" | grep -v '^# generator' >"$WORK/one.txt"
	"$MESILAB" trace cat "$WORK/big.trace" | grep -v '^# generator' >"$WORK/big.txt"
	cmp -s "$WORK/one.txt" "$WORK/big.txt" || fail "one PU and several give different traces"
fi

# A bad line in the second half: named by its line number.
awk 'NR == 3000000 { print "1 q 10"; next } { print }' "$WORK/big.il" >"$WORK/bad.il"
run trace import --from interleaved "$WORK/bad.il" -o "$WORK/bad.trace"
expect_error 2 "bad.il:3000000: expected r or w after the processor"
[ ! -e "$WORK/bad.trace" ] || fail "a trace was left after a bad line"

# Text: the header lines at the end (as someone appending them would put
# them) count; the last of two generator lines wins.
"$MESILAB" trace cat "$WORK/big.trace" | grep -v '^#' >"$WORK/big.text"
printf '# generator: first\n# threads: 9\n# line-size: 128\n# gap-unit: instructions\n# generator: appended later\n' >>"$WORK/big.text"
run trace pack "$WORK/big.text" -o "$WORK/packed.trace"
expect_status 0
run trace info "$WORK/packed.trace" --csv
grep -q '^all,3200001,' "$WORK/out" || fail "packed records: $(cat "$WORK/out")"
"$MESILAB" trace cat "$WORK/packed.trace" | sed -n '2,5p' >"$WORK/head.txt"
printf '%s\n' '# threads: 9' '# line-size: 128' '# gap-unit: instructions' '# generator: appended later' >"$WORK/head.expected"
expect_same "$WORK/head.txt" "$WORK/head.expected"
# The same text through standard input (read whole before replaying): the same trace.
"$MESILAB" trace pack - -o "$WORK/piped.trace" <"$WORK/big.text" || fail "pack from a pipe failed"
cmp -s "$WORK/piped.trace" "$WORK/packed.trace" || fail "pack of a file and of a pipe differ"

# A thread beyond what "# threads:" says, late in the file: its line.
sed 's/^# threads: 9$/# threads: 3/' "$WORK/big.text" >"$WORK/few.text"
run trace pack "$WORK/few.text" -o "$WORK/few.trace"
expect_error 2 "few.text:3200001: thread 7 beyond the 3 threads of '# threads:'"
[ ! -e "$WORK/few.trace" ] || fail "a trace was left after a thread beyond the header"

finish
