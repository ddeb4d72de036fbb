#!/bin/sh
# Every fuzz target replays its seed corpus and every input that ever made
# one crash, hang or leak (tests/fuzz/regressions/): none may fail, and
# each must have inputs to replay. A target that fails is replayed input
# by input, so that the failure names the inputs.
. "$TESTLIB"

# The leak checker of a sanitizer build knows what hwloc leaks.
LSAN_OPTIONS=suppressions=$FUZZ_INPUTS/lsan.supp
export LSAN_OPTIONS

for target in fuzz_baseline fuzz_compare fuzz_csv fuzz_fleet fuzz_json fuzz_machine_model fuzz_model_error \
	fuzz_options fuzz_plot fuzz_report fuzz_sweep_collect fuzz_topology fuzz_trace_import fuzz_trace_reader; do
	bin="$FUZZ_TARGETS_DIR/$target"
	[ -x "$bin" ] || { fail "$target is not built"; continue; }
	dirs="$FUZZ_INPUTS/corpus/$target"
	[ -d "$FUZZ_INPUTS/regressions/$target" ] && dirs="$dirs $FUZZ_INPUTS/regressions/$target"
	[ -n "$(ls "$FUZZ_INPUTS/corpus/$target" 2>/dev/null)" ] || fail "$target has no seeds"
	# shellcheck disable=SC2086 # the directories are words
	timeout -k 5 60 "$bin" -runs=0 $dirs >"$WORK/out" 2>"$WORK/err" </dev/null && continue
	together=$? before=$failures
	for input in $(ls -d "$FUZZ_INPUTS/corpus/$target"/* "$FUZZ_INPUTS/regressions/$target"/* 2>/dev/null); do
		timeout -k 5 20 "$bin" -runs=0 "$input" >"$WORK/out" 2>"$WORK/err" </dev/null
		status=$?
		case $status in
		0) ;;
		124 | 137) fail "$target hangs on $input" ;;
		*) fail "$target fails on $input (status $status): $(grep -E 'ERROR|runtime error|SUMMARY' "$WORK/err" |
			head -n 4)" ;;
		esac
	done
	# Only together: one input leaves something behind for the next.
	[ "$failures" -ne "$before" ] || fail "$target fails on its inputs replayed together (status $together)"
done

finish
