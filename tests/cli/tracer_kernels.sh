#!/bin/sh
# scripts/tracer-kernels.sh (make bench-tracer-kernels) on tiny sizes, one
# run, two kernels: a row per kernel and a line per target, each saying
# met or not; --csv one table, every row with the header's fields; -o
# keeps the trace, without it nothing is left behind; a kernel that fails
# and a bad option are one line on stderr, status 2, nothing on stdout.
# No figure is judged (a busy machine makes any), so it takes no lock of
# the tests that measure: nothing here needs a quiet machine.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}" "${SCRIPTS:?}"
ulimit -f 400000

printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
timeout -k 5 60 "${MESILAB_CC:-cc}" -fsanitize=thread -c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null ||
	skip "no compiler with -fsanitize=thread for mesilab-cc"
mkdir "$WORK/tmp"

# bench ARGS...: the benchmark of fft and radix on tiny sizes with ARGS,
# its temporary directory in $WORK/tmp.
bench() {
	TMPDIR="$WORK/tmp" timeout -k 5 120 sh "$SCRIPTS/tracer-kernels.sh" --kernels fft,radix \
		--sizes fft=1024,radix=4096 -n 1 --timeout 60 "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

bench
expect_status 0
for k in fft radix; do
	grep -q "^$k  *[0-9]" "$WORK/out" || fail "no row for $k: $(cat "$WORK/out")"
done
for t in "slowdown, geometric mean" "slowdown, worst" "exit share, worst" "bytes per record, worst" \
	"spool peak / trace, worst" "replay / version 3 replay, lowest"; do
	grep -F -- "$t" "$WORK/out" | grep -q ' target [<>]= .* \(met\|not met\|not judged: the machine was busy\)$' ||
		fail "no target line '$t' saying met, not met or not judged: $(cat "$WORK/out")"
done
[ -z "$(ls -A "$WORK/tmp")" ] || fail "left behind: $(ls -A "$WORK/tmp")"

# On a busy machine the targets on time are not judged, the others are.
echo "64.00 64.00 64.00 3/300 1" >"$WORK/busy"
MESILAB_LOADAVG="$WORK/busy" bench
expect_status 0
for t in "slowdown, geometric mean" "slowdown, worst" "exit share, worst" "replay / version 3 replay, lowest"; do
	grep -F -- "$t" "$WORK/out" | grep -q 'not judged: the machine was busy$' ||
		fail "busy machine: expected '$t' not judged, got: $(grep -F -- "$t" "$WORK/out")"
done
for t in "bytes per record, worst" "spool peak / trace, worst"; do
	grep -F -- "$t" "$WORK/out" | grep -q ' \(met\|not met\)$' ||
		fail "busy machine: expected '$t' judged, got: $(grep -F -- "$t" "$WORK/out")"
done

bench --csv -o "$WORK/kept"
expect_status 0
awk -F, 'NR == 1 { fields = NF; if ($1 != "kind" || $2 != "name") bad = "header: " $0; next }
	NF != fields { bad = "line " NR " has " NF " fields, the header " fields ": " $0 }
	$1 == "kernel" { kernels++ }
	$1 == "target" { targets++; if ($NF != "yes" && $NF != "no" && $NF != "not-judged") bad = "met is not yes, no or not-judged: " $0 }
	# The replay beside: the same program traced in version 3 (through a
	# FIFO), not a copy without its code locations.
	$1 == "kernel" && $13 !~ /^[0-9.]+$/ { bad = "no version 3 replay beside: " $0 }
	END { if (!bad && (kernels != 2 || targets != 6)) bad = kernels " kernel rows, " targets " target rows"
		if (bad) { print bad; exit 1 } }' "$WORK/out" >"$WORK/why" ||
	fail "--csv: $(cat "$WORK/why"): $(cat "$WORK/out")"
[ -s "$WORK/kept/fft.trace.d/fft.trace" ] || fail "-o kept no trace: $(ls -R "$WORK/kept")"

# A kernel that refuses its size: the failure, named.
bench --sizes fft=1000
expect_error 2 "fft: plain run 1 failed (status 2): fft: POINTS must be a power of two"

bench --runs 0
expect_error 2 "--runs takes a number from 1 to 99, not '0'"
bench --kernels fft,cholesky
expect_error 2 "no kernel 'cholesky'"
finish
