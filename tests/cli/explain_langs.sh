#!/bin/sh
# mesilab explain on the programs users write, each with a false-sharing
# bug in an array of small structs: C++ with std::thread and a std::atomic
# counter (true sharing), its names demangled (a function template's long
# name whole, cut where shown with "..."); OpenMP (skipped, saying so,
# where the compiler has no -fopenmp); the bug in a shared library built
# with mesilab-cc -shared -fPIC, named at the library's source line; C
# built with clang (MESILAB_CC=clang; skipped, saying so, without clang),
# whose partial .debug_aranges (the C startup's alone) must not hide the
# program's lines. Each names the fields, the threads' lines and the
# padding fix, and computes its saving under MSI and MESI. Code inlined
# from a library's header (a std::atomic's add) is named at the user's
# line that called it, the header's line beside it.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}"
export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
DATA="$TESTDATA/explain"

printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
"${MESILAB_CC:-cc}" -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null ||
	skip "no C compiler with -fsanitize=thread"
ulimit -f 200000

# explained NAME TRACE: explain's output in $WORK/out, its files in $WORK/run-NAME;
# false when the names cannot be checked (no libdw).
explained() {
	"$MESILAB" explain "$2" --order timed --no-latent -o "$WORK/run-$1" >"$WORK/out" 2>"$WORK/err"
	status=$?
	expect_status 0
	for p in msi mesi; do
		line=$(grep "^  under $p: misses" "$WORK/out")
		before=$(echo "$line" | sed -n 's/.*misses \([0-9]*\) -> \([0-9]*\).*/\1/p')
		after=$(echo "$line" | sed -n 's/.*misses \([0-9]*\) -> \([0-9]*\).*/\2/p')
		[ -n "$before" ] && [ -n "$after" ] && [ "$after" -lt $((before / 4)) ] ||
			fail "$1: $p: no saving from padding: '$line' in $(cat "$WORK/out")"
	done
	if grep -q '^(built without libdw' "$WORK/out"; then
		echo "$1: built without libdw: the names are not checked" >&2
		return 1
	fi
}

# expect_line TEXT: stdout has a line matching the extended regular expression TEXT.
expect_line() {
	grep -E -q -- "$1" "$WORK/out" || fail "stdout lacks a line '$1': $(cat "$WORK/out")"
}

# C++: std::thread, std::atomic (cxx_bug.cc:24 the increment, 26 the atomic add).
printf 'int main() { return 0; }\n' >"$WORK/probe.cc"
if "${MESILAB_CXX:-c++}" -fsanitize=thread -c -x c++ "$WORK/probe.cc" -o "$WORK/probe.o" 2>/dev/null; then
	timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/cxx" "$DATA/cxx_bug.cc" 2>"$WORK/err" ||
		fail "mesilab-c++ cxx_bug.cc: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/cxx.trace" timeout -k 5 60 "$WORK/cxx" >"$WORK/prog.out" 2>/dev/null || fail "cxx_bug failed"
	grep -q '^20000 20000 2500$' "$WORK/prog.out" || fail "cxx_bug's result: $(cat "$WORK/prog.out")"
	if explained cxx "$WORK/cxx.trace"; then
		expect_line '^line 0x[0-9a-f]+ \(tallies\[0\]\.hits;tallies\[1\]\.hits\) is shared falsely:$'
		expect_line '^  thread 1 writes bytes [0-9]+-[0-9]+ \(tallies\[0\]\.hits\) at cxx_bug\.cc:24 in work\(int\), 20000 times$'
		expect_line '^  thread 2 writes bytes [0-9]+-[0-9]+ \(tallies\[1\]\.hits\) at cxx_bug\.cc:24 in work\(int\), 20000 times$'
		expect_out_contains "fix: padding struct tally (16 bytes, the elements of tallies) to 64 bytes"
		# The atomic add is inlined from the library's header: named at
		# the program's line that calls it, the header's line beside it.
		expect_line '^  at cxx_bug\.cc:26 \(inlined atomic_base\.h:[0-9]+\) in work\(int\): [0-9]+ true-sharing misses under msi$'
		loc=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["protocol"] == "msi" && $c["file"] == "cxx_bug.cc" && $c["line"] == 26 { print $c["location"] }' \
			"$WORK/run-cxx/explain-lines.csv")
		case $loc in
		"cxx_bug.cc:26 (inlined atomic_base.h:"*")") ;;
		*) fail "cxx: the inlined atomic add in explain-lines.csv: '$loc'" ;;
		esac
		expect_line '^  on events: [0-9]+ true-sharing misses under msi$'
		ts=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["protocol"] == "msi" && $c["object"] == "events" { print $c["misses_true_sharing"] }' \
			"$WORK/run-cxx/explain-objects.csv")
		[ -n "$ts" ] && [ "$ts" -gt 1000 ] || fail "cxx: true sharing on events in explain-objects.csv: '$ts'"
	fi
	# A function template's long linkage name (long_name.cc:24 the
	# increment), demangled whole and cut where shown, with "...": it was
	# cut to 128 bytes before demangling, and shown mangled.
	timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/long" "$DATA/long_name.cc" 2>"$WORK/err" ||
		fail "mesilab-c++ long_name.cc: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/long.trace" timeout -k 5 60 "$WORK/long" 20000 >"$WORK/prog.out" 2>/dev/null || fail "long_name failed"
	grep -q '^20000 20000$' "$WORK/prog.out" || fail "long_name's result: $(cat "$WORK/prog.out")"
	if explained long "$WORK/long.trace"; then
		expect_line '^  thread 1 writes bytes [0-9]+-[0-9]+ \(counts\) at long_name\.cc:24 in void count<std::map<std::.{100,}\.\.\., 20000 times$'
		grep -q '_Z5count' "$WORK/out" "$WORK/run-long/explain-lines.csv" &&
			fail "long_name: a mangled name shown: $(grep '_Z5count' "$WORK/out" "$WORK/run-long/explain-lines.csv")"
	fi
else
	echo "no C++ compiler with -fsanitize=thread: the C++ programs skipped" >&2
fi

# OpenMP (omp_bug.c:27 the increment, in the outlined body of main's parallel region).
printf '#include <omp.h>\nint main(void) { return omp_get_max_threads() > 0 ? 0 : 1; }\n' >"$WORK/probe_omp.c"
if timeout -k 5 120 "$MESILAB_CC_BIN" -fopenmp -o "$WORK/probe_omp" "$WORK/probe_omp.c" 2>"$WORK/err"; then
	timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -fopenmp -o "$WORK/omp" "$DATA/omp_bug.c" 2>"$WORK/err" ||
		fail "mesilab-cc -fopenmp omp_bug.c: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/omp.trace" OMP_NUM_THREADS=2 timeout -k 5 60 "$WORK/omp" >"$WORK/prog.out" 2>/dev/null ||
		fail "omp_bug failed"
	grep -q '^20000 20000$' "$WORK/prog.out" || fail "omp_bug's result: $(cat "$WORK/prog.out")"
	if explained omp "$WORK/omp.trace"; then
		expect_line '^  thread 0 writes bytes [0-9]+-[0-9]+ \(slots\[0\]\.count\) at omp_bug\.c:27 in main\._omp_fn\.0, 20000 times$'
		expect_line '^  thread 1 writes bytes [0-9]+-[0-9]+ \(slots\[1\]\.count\) at omp_bug\.c:27 in main\._omp_fn\.0, 20000 times$'
		expect_out_contains "fix: padding struct slot (16 bytes, the elements of slots) to 64 bytes"
	fi
else
	echo "mesilab-cc -fopenmp cannot build an OpenMP program here (no libgomp?): the OpenMP program skipped: $(head -3 "$WORK/err")" >&2
fi

# A shared library (lib_count.c:21 the increment) built with mesilab-cc -shared.
timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -shared -fPIC -o "$WORK/libcount.so" "$DATA/lib_count.c" 2>"$WORK/err" ||
	fail "mesilab-cc -shared lib_count.c: $(cat "$WORK/err")"
timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -pthread -o "$WORK/libmain" "$DATA/lib_main.c" -L"$WORK" -lcount \
	-Wl,-rpath,"$WORK" 2>"$WORK/err" || fail "mesilab-cc lib_main.c -lcount: $(cat "$WORK/err")"
MESILAB_TRACE="$WORK/lib.trace" timeout -k 5 60 "$WORK/libmain" >"$WORK/prog.out" 2>/dev/null || fail "lib_main failed"
grep -q '^20000 20000$' "$WORK/prog.out" || fail "lib_main's result: $(cat "$WORK/prog.out")"
if explained lib "$WORK/lib.trace"; then
	expect_line '^  thread 1 writes bytes [0-9]+-[0-9]+ \(lib_counters\[0\]\.value\) at lib_count\.c:21 in lib_count, 20000 times$'
	expect_line '^  thread 2 writes bytes [0-9]+-[0-9]+ \(lib_counters\[1\]\.value\) at lib_count\.c:21 in lib_count, 20000 times$'
	expect_out_contains "fix: padding struct counter (16 bytes, the elements of lib_counters) to 64 bytes"
	module=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == "msi" && $c["location"] == "lib_count.c:21" { print $c["module"] }' "$WORK/run-lib/explain-lines.csv")
	[ "$module" = libcount.so ] || fail "lib: lib_count.c:21's module in explain-lines.csv: '$module'"
fi

# C built with clang: falseshare_bug.c:30 the increment.
if command -v clang >/dev/null 2>&1 && clang -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null; then
	MESILAB_CC=clang timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -pthread -o "$WORK/clang" "$DATA/falseshare_bug.c" \
		2>"$WORK/err" || fail "MESILAB_CC=clang mesilab-cc falseshare_bug.c: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/clang.trace" timeout -k 5 60 "$WORK/clang" 20000 >"$WORK/prog.out" 2>/dev/null ||
		fail "falseshare_bug built with clang failed"
	grep -q '^20000 20000 626$' "$WORK/prog.out" || fail "falseshare_bug built with clang: $(cat "$WORK/prog.out")"
	if explained clang "$WORK/clang.trace"; then
		expect_line '^  thread 1 writes bytes [0-9]+-[0-9]+ \(counters\[0\]\.hits\) at falseshare_bug\.c:30 in worker, 20000 times$'
		grep -q '^(no debug information' "$WORK/out" && fail "clang: said to have no debug information: $(cat "$WORK/out")"
	fi
else
	echo "no clang with -fsanitize=thread: the program built with clang skipped" >&2
fi
finish
