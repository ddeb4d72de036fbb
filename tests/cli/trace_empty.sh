#!/bin/sh
# A 0-byte file is no trace (a traced program killed before its first
# write, a wrong path): one line naming it, exit status 2, for each
# command that reads a trace, an importer's input included; a sweep of
# it leaves no directory behind. A text trace of comments alone still
# reads.
. "$TESTLIB"

: >"$WORK/e.trace"
for cmd in "sim" "explain" "trace info" "trace cat"; do
	# shellcheck disable=SC2086 # the command's words
	run $cmd "$WORK/e.trace"
	expect_error 2 "$WORK/e.trace: empty file, not a trace (0 bytes)"
	[ "$failures" -eq 0 ] || { echo "case: mesilab $cmd on a 0-byte file" >&2; break; }
done

timeout -k 5 60 "$MESILAB" trace info - <"$WORK/e.trace" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "<stdin>: empty file, not a trace (0 bytes)"

for format in din lackey; do
	run trace import --from "$format" "$WORK/e.trace" -o "$WORK/imported.trace"
	expect_error 2 "$WORK/e.trace: empty file, not a trace (0 bytes)"
	[ ! -e "$WORK/imported.trace" ] || fail "trace import --from $format of a 0-byte file left its output"
done

run sweep --l1 16K,32K -o "$WORK/sweep" "$WORK/e.trace"
expect_error 2 "$WORK/e.trace: empty file, not a trace (0 bytes)"
[ ! -e "$WORK/sweep" ] || fail "a sweep of a 0-byte file left $WORK/sweep: $(ls -A "$WORK/sweep")"

printf '# threads: 2\n# order: program\n' >"$WORK/comments.trace"
run trace info "$WORK/comments.trace"
expect_status 0

finish
