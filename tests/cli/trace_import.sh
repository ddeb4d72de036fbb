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
mkdir "$WORK/out.d"
for case in "din:bad.din:bad.din:2: expected a din label" \
	"lackey:bad.lackey:bad.lackey:2: expected ADDRESS,SIZE" \
	"percore:good0.data bad1.data:bad1.data:2: expected a hex address"; do
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

finish
