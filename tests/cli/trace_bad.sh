#!/bin/sh
# Every malformed trace in tests/data/bad: exit status 2, one line naming
# the file and the byte offset or line, and no output file left behind.
. "$TESTLIB"

grep -v '^#' "$TESTDATA/bad/EXPECTED" | while IFS='|' read -r file message; do
	path="$TESTDATA/bad/$file"
	run trace info "$path"
	expect_error 2 "$path$message"

	run trace cat "$path" -o "$WORK/out.txt"
	expect_error 2 "$path$message"
	[ ! -e "$WORK/out.txt" ] || fail "trace cat left $WORK/out.txt for $file"

	run trace pack "$path" -o "$WORK/out.trace"
	expect_error 2 "$path$message"
	[ ! -e "$WORK/out.trace" ] || fail "trace pack left $WORK/out.trace for $file"
	[ -z "$(ls -A "$WORK" | grep '^\.')" ] || fail "temporary files left for $file"

	"$MESILAB" trace info - <"$path" >"$WORK/out" 2>"$WORK/err"
	status=$?
	expect_error 2 "<stdin>$message"
	[ "$failures" -eq 0 ] || { echo "failing file: $file" >&2; exit 1; }
done || failures=1

run trace info /nonexistent/x.trace
expect_error 2 "/nonexistent/x.trace: cannot open"

run trace info
expect_error 2 "missing operand (expected FILE)"

run trace nosuch
expect_error 2 "unknown subcommand 'nosuch' (see 'mesilab trace --help')"

run trace latency --size 4 -o "$WORK/x.trace"
expect_error 1 "fewer than 2 nodes"
[ ! -e "$WORK/x.trace" ] || fail "a failed trace left its file"

run trace latency --stride 12 -o "$WORK/x.trace"
expect_error 1 "stride 12 is not a multiple of 8"

run trace falseshare --distance 12 -o "$WORK/x.trace"
expect_error 2 "invalid --distance '12'"

run trace falseshare --threads 0 -o "$WORK/x.trace"
expect_error 2 "invalid --threads '0'"

run trace import --from din "$TESTDATA/bad/unknown-op.txt" -o "$WORK/x.trace"
expect_error 2 "unknown-op.txt:2: expected a hex address after the label"
[ ! -e "$WORK/x.trace" ] || fail "a failed import left its file"

run trace import --from nosuch a -o "$WORK/x.trace"
expect_error 2 "unknown format 'nosuch' (expected din, lackey, percore or interleaved)"

run trace import a -o "$WORK/x.trace"
expect_error 2 "missing --from FORMAT"

run trace import --from din a b -o "$WORK/x.trace"
expect_error 2 "din traces are single-threaded"

finish
