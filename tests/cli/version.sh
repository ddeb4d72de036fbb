#!/bin/sh
# --version prints the version and the git revision it was built from.
. "$TESTLIB"

run --version
expect_status 0
grep -E -q '^mesilab [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]+(-dirty)?|unknown)\)$' "$WORK/out" ||
	fail "unexpected version line: $(cat "$WORK/out")"
[ "$(wc -l <"$WORK/out")" -eq 1 ] || fail "--version prints more than one line"

run -V
expect_status 0

finish
