#!/bin/sh
# Importers: Dinero din, valgrind lackey, and course traces per core or
# interleaved in one file.
. "$TESTLIB"

T="$TESTDATA/traces"

run trace import --from din "$T/sample.din" -o "$WORK/din.trace"
expect_status 0
# label 3 (an access of unknown type) is a read, label 4 (a copy-back) is
# skipped and said
grep -q "imported 9 accesses for 1 thread; skipped 1 lines" "$WORK/err" || fail "din report: $(cat "$WORK/err")"
grep -q "invented: din has no sizes" "$WORK/err" || fail "din does not say what it invented"
grep -q "skipped: 1 copy-backs (din label 4" "$WORK/err" || fail "din copy-back not said: $(cat "$WORK/err")"
run trace info --csv "$WORK/din.trace"
grep -q '^all,9,4,2,0,3,0,' "$WORK/out" || fail "din read/write/fetch split: $(cat "$WORK/out")"
# Dinero IV's rule: a record is the 4-byte word holding its address. "1 f"
# and "1 10" are then two lines of 16 bytes, two misses, as in Dinero IV.
printf '1 f\n1 10\n' >"$WORK/two.din"
run trace import --quiet --from din "$WORK/two.din" -o "$WORK/two.trace"
"$MESILAB" trace cat "$WORK/two.trace" | grep -v '^#' >"$WORK/two.txt"
printf '0 W 0xc 4 0\n0 W 0x10 4 0\n' >"$WORK/two.expected"
expect_same "$WORK/two.txt" "$WORK/two.expected"
run sim "$WORK/two.trace" -p mesi --l1 64:1:16 --csv
awk -F, 'NR == 2 && $6 == 2 { ok = 1 } END { exit !ok }' "$WORK/out" || fail "din 1 f, 1 10: $(cat "$WORK/out")"

# Held out: Dinero IV's own miss counts on a din trace of unaligned
# records, instruction fetches, misc and copy-back records, for six cache
# geometries, data and instruction caches apart: the same, to the miss.
run trace import --quiet --from din "$T/dinero-mix.din" -o "$WORK/mix.trace"
expect_status 0
grep -v '^#' "$T/dinero-mix.expected" | while read -r geometry data instructions; do
	"$MESILAB" sim "$WORK/mix.trace" -p mesi --l1 "$geometry" --l1i "$geometry" --csv >"$WORK/mix.csv" 2>/dev/null ||
		echo "$geometry: sim failed"
	awk -F, -v d="$data" -v i="$instructions" 'NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k }
		NR == 2 { ok = $c["misses"] == d && $c["ifetch_misses"] == i; got = $c["misses"] " " $c["ifetch_misses"] }
		END { if (!ok) print got }' "$WORK/mix.csv" | sed "s|^|$geometry: Dinero IV $data $instructions, mesilab |"
done >"$WORK/mix.diff"
[ ! -s "$WORK/mix.diff" ] || fail "din misses against Dinero IV: $(cat "$WORK/mix.diff")"

# One file of every core's accesses, in their order: kept as it is, one
# thread per processor, from a file or a pipe.
printf 'P0 r 1f3c\n1 W 0x1f3c\n# a comment\n\n2 r 1F40\n0 w 1f3c\n' >"$WORK/course.txt"
for how in file pipe; do
	if [ $how = file ]; then
		run trace import --from interleaved "$WORK/course.txt" -o "$WORK/il.trace"
	else
		"$MESILAB" trace import --from interleaved - -o "$WORK/il.trace" <"$WORK/course.txt" >"$WORK/out" 2>"$WORK/err"
		status=$?
	fi
	expect_status 0
	grep -q "imported 4 accesses for 3 threads; skipped 2 lines" "$WORK/err" || fail "interleaved ($how): $(cat "$WORK/err")"
	"$MESILAB" trace cat "$WORK/il.trace" | grep -v '^# generator' >"$WORK/il.txt"
	printf '%s\n' '# mesilab trace: THREAD OP ADDRESS SIZE GAP' '# threads: 3' '# line-size: 0' '# gap-unit: cycles' \
		'0 R 0x1f3c 1 0' '1 W 0x1f3c 1 0' '2 R 0x1f40 1 0' '0 W 0x1f3c 1 0' >"$WORK/il.expected"
	expect_same "$WORK/il.txt" "$WORK/il.expected"
done

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

# A damaged lackey record of 58,888,888,888,888 bytes: one clear error
# naming the file and line, nothing written (not records until the disk is
# full).
run trace import --from lackey "$T/huge-size.lackey" -o "$WORK/huge.trace"
expect_error 2 "huge-size.lackey:3: an access of 58888888888888 bytes (lackey records at most 512)"
[ ! -e "$WORK/huge.trace" ] || fail "a file was left after a bad lackey record"

# Every importer: bad input is one line naming the file and line, exit 2,
# no output file and no temporary file left.
printf '0 10\n5 20\n' >"$WORK/bad.din"
printf 'I  0400d7d4,3\n L zz,4\n' >"$WORK/bad.lackey"
printf '0 10\n1 0xZZ\n' >"$WORK/bad1.data"
printf '0 10\n' >"$WORK/good0.data"
printf '0 r 10\n1 x 20\n' >"$WORK/bad.il"
mkdir "$WORK/out.d"
for case in "din:bad.din:bad.din:2: expected a din label" \
	"lackey:bad.lackey:bad.lackey:2: expected ADDRESS,SIZE" \
	"percore:good0.data bad1.data:bad1.data:2: expected a hex address" \
	"interleaved:bad.il:bad.il:2: expected r or w after the processor"; do
	format=${case%%:*}
	rest=${case#*:}
	inputs=${rest%%:*}
	message=${rest#*:}
	set --
	for f in $inputs; do set -- "$@" "$WORK/$f"; done
	run trace import --from "$format" "$@" -o "$WORK/out.d/t.trace"
	expect_error 2 "$message"
	[ -z "$(ls -A "$WORK/out.d")" ] || fail "$format: files left: $(ls -A "$WORK/out.d")"
done

# The formats come from the importers' table (trace/importers.c): --help
# lists each with what it reads, and --from names the same ones when it
# is missing or unknown.
run trace import --help
expect_status 0
awk '/^The formats/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' "$WORK/out" \
	>"$WORK/formats"
printf '%s\n' din lackey percore interleaved >"$WORK/formats.expected"
expect_same "$WORK/formats" "$WORK/formats.expected"
run trace import --from nosuch "$T/sample.din" -o "$WORK/x.trace"
expect_error 2 "unknown format 'nosuch' (expected din, lackey, percore or interleaved)"
run trace import "$T/sample.din" -o "$WORK/x.trace"
expect_error 2 "missing --from FORMAT (din, lackey, percore or interleaved)"

finish
