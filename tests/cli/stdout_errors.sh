#!/bin/sh
# A write error on standard output is an error: every command that prints
# data, sent to a full device (/dev/full), exits 2 with one line saying so,
# instead of exiting 0 with nothing written.
. "$TESTLIB"

[ -c /dev/full ] || { echo "SKIP: no /dev/full on this system" >&2; exit 77; }

"$MESILAB" trace falseshare --threads 2 --distance 8 -o "$WORK/fs.trace" 2>/dev/null ||
	fail "trace falseshare: exit $?"

# full CASE ARGS...: mesilab ARGS >/dev/full must exit 2 with one line
# naming standard output.
full() {
	name=$1
	shift
	timeout -k 5 60 "$MESILAB" "$@" >/dev/full 2>"$WORK/err"
	st=$?
	[ "$st" -eq 2 ] || fail "$name: expected exit 2 on a full standard output, got $st: $(cat "$WORK/err")"
	grep -q "standard output: No space left on device" "$WORK/err" ||
		fail "$name: expected 'standard output: No space left on device' on stderr, got: $(cat "$WORK/err")"
	[ "$(grep -c "standard output" "$WORK/err")" -eq 1 ] ||
		fail "$name: expected the error said once, got: $(cat "$WORK/err")"
}

full "topo --csv" topo --csv
full "topo" topo
full "trace cat" trace cat "$WORK/fs.trace"
full "trace info" trace info "$WORK/fs.trace"
full "sim --csv" sim --csv "$WORK/fs.trace"
full "sim" sim -p msi,mesi "$WORK/fs.trace"
full "sim --print-table" sim --print-table mesi
full "compare --format md" compare "$TESTDATA/compare" "$TESTDATA/compare" --format md
full "compare --csv" compare "$TESTDATA/compare" "$TESTDATA/compare" --csv
full "verify" verify
full "help" help
full "--help" --help
full "--version" --version
full "trace --help" trace --help

# The same commands to a working output still exit 0.
timeout -k 5 60 "$MESILAB" topo --csv >"$WORK/topo.csv" 2>"$WORK/err" || fail "topo --csv to a file: $(cat "$WORK/err")"
finish
