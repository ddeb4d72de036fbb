#!/bin/sh
# 'make fuzz': the libFuzzer targets side by side, JOBS at a time, each for
# SECONDS from its seeds (SRCDIR/tests/fuzz/corpus/NAME) and from what
# earlier runs learnt (fuzz-corpus/NAME, where what it learns goes); an
# input that makes one fail goes to fuzz-findings/. Each runs under a time
# limit of its own besides libFuzzer's, so that a hung target fails instead
# of holding the others. Run in the build directory:
#   sh SRCDIR/tests/fuzz/run_fuzzers.sh SRCDIR SECONDS JOBS TARGET...
# JOBS empty: one per PU. Prints each target's executions and new inputs,
# in the order given; a target that failed, the end of its log.
set -u
if [ $# -lt 4 ]; then
	echo "usage: $0 SRCDIR SECONDS JOBS TARGET..." >&2
	exit 2
fi
FUZZ_SRC=$1
FUZZ_SECONDS=$2
jobs=${3:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
shift 3
for value in "FUZZ_SECONDS=$FUZZ_SECONDS" "FUZZ_JOBS=$jobs"; do
	case ${value#*=} in
	'' | *[!0-9]* | 0)
		echo "$0: $value: expected a whole number above 0" >&2
		exit 2
		;;
	esac
done
export FUZZ_SRC FUZZ_SECONDS

mkdir -p fuzz-findings
for t in "$@"; do
	[ -x "$t" ] || { echo "$0: $t: no such fuzz target (built with --enable-fuzzing?)" >&2; exit 2; }
	mkdir -p "fuzz-corpus/${t##*/}"
	rm -f "fuzz-${t##*/}.status"
done
echo "fuzzing $# targets for $FUZZ_SECONDS s each, $jobs at a time"

# One target: its log in fuzz-NAME.log, its exit status in fuzz-NAME.status
# (124: over its time limit). libFuzzer stops on its own after SECONDS; the
# limit gives it two minutes more (loading the corpus, the final merge).
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 sh -c '
	t=$1 name=${1##*/}
	LSAN_OPTIONS=suppressions=$FUZZ_SRC/tests/fuzz/lsan.supp \
		timeout -k 10 $((FUZZ_SECONDS + 120)) "./$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="fuzz-findings/$name-" \
		"fuzz-corpus/$name" "$FUZZ_SRC/tests/fuzz/corpus/$name" >"fuzz-$name.log" 2>&1
	echo $? >"fuzz-$name.status"' sh

failed=""
for t in "$@"; do
	name=${t##*/}
	status=$(cat "fuzz-$name.status" 2>/dev/null || echo "none (it never ran)")
	if [ "$status" = 0 ]; then
		echo "$name:" $(grep -E '^stat::(number_of_executed_units|new_units_added):' "fuzz-$name.log")
	else
		echo "$name failed, exit status $status; the end of fuzz-$name.log:"
		tail -n 40 "fuzz-$name.log" 2>/dev/null
		failed="$failed $name"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed (the inputs they failed on: fuzz-findings/)" >&2
	exit 1
fi
