#!/bin/sh
# Every fuzz target replays its seed corpus and every input that ever made
# one crash or hang (tests/fuzz/regressions/): none may crash, and each
# must have inputs to replay.
. "$TESTLIB"

for target in fuzz_csv fuzz_json fuzz_options fuzz_topology fuzz_trace_import fuzz_trace_reader; do
	bin="$FUZZ_TARGETS_DIR/$target"
	[ -x "$bin" ] || { fail "$target is not built"; continue; }
	dirs="$FUZZ_INPUTS/corpus/$target"
	[ -d "$FUZZ_INPUTS/regressions/$target" ] && dirs="$dirs $FUZZ_INPUTS/regressions/$target"
	[ -n "$(ls "$FUZZ_INPUTS/corpus/$target" 2>/dev/null)" ] || fail "$target has no seeds"
	# shellcheck disable=SC2086 # the directories are words
	"$bin" -runs=0 $dirs >"$WORK/out" 2>"$WORK/err" </dev/null
	status=$?
	[ "$status" -eq 0 ] || fail "$target crashed on a stored input (status $status): $(tail -n 20 "$WORK/err")"
done

finish
