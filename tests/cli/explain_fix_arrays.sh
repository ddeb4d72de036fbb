#!/bin/sh
# mesilab explain's fix names the array whose elements the threads'
# indices differ in, and how to pad them: an array member of a struct
# (st.hits[T]: its elements padded, or a struct stats for each thread), an
# array of scalars, the rows of a 2-D array, an array of structs inside a
# struct, an array member of an element of a struct array (pair[0].hits,
# not pair's elements), and a C++ class's std::array member. It said
# "giving each thread a part of st of its own". The saving stays the padded
# replay's (each thread's bytes on lines of their own). Main's one read of
# an element after the joins does not decide the array: grid's rows, not
# grid[1]'s elements (it said "padding the elements of grid[1]").
. "$TESTLIB"

need_traced_programs
ulimit -f 200000
PROGRAM="$TESTDATA/explain/member_arrays.c"

# fix_of SHAPE EXPECTED [WRONG]: the fix explain gives for member_arrays.c
# built with -DSHAPE, and no fix line containing WRONG; false without
# libdw (the names are not checked).
fix_of() {
	timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -DSHAPE="$1" -o "$WORK/shape$1" "$PROGRAM" 2>"$WORK/err" ||
		fail "mesilab-cc -DSHAPE=$1: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/shape$1.trace" timeout -k 5 60 "$WORK/shape$1" 3000 >"$WORK/prog.out" 2>"$WORK/prog.err" ||
		fail "shape $1: the traced program failed: $(cat "$WORK/prog.err")"
	run explain "$WORK/shape$1.trace" --order timed --no-latent -o "$WORK/run$1"
	expect_status 0
	grep -q '^  under msi: misses [0-9]* -> [0-9]* (-' "$WORK/out" ||
		fail "shape $1: no saving from the padded replay: $(grep '^  under' "$WORK/out")"
	if grep -q '^(built without libdw' "$WORK/out"; then
		echo "built without libdw: the fixes are not checked" >&2
		return 1
	fi
	grep -qxF "  fix: $2" "$WORK/out" ||
		fail "shape $1: expected the line '  fix: $2', got: $(grep -E '^  (fix|tried):' "$WORK/out")"
	[ $# -lt 3 ] || ! grep -E '^  (fix|tried):' "$WORK/out" | grep -qF "$3" ||
		fail "shape $1: expected no fix naming '$3', got: $(grep -E '^  (fix|tried):' "$WORK/out")"
}

fix_of 1 "padding the elements of st.hits (long int, 8 bytes each) to 64 bytes (an array of struct { long int v; } aligned to 64 bytes), or giving each thread a struct stats of its own, on lines of its own" ||
	finish
fix_of 2 "padding the elements of counts (long int, 8 bytes each) to 64 bytes (an array of struct { long int v; } aligned to 64 bytes)"
fix_of 3 "padding the rows of grid (16 bytes each) to 64 bytes (each in a struct aligned to 64 bytes)"
fix_of 4 "padding struct (anonymous) (16 bytes, the elements of outer.per) to 64 bytes"
fix_of 5 "padding the elements of pair[0].hits (long int, 8 bytes each) to 64 bytes (an array of struct { long int v; } aligned to 64 bytes), or giving each thread a struct stats of its own, on lines of its own"
fix_of 6 "padding the rows of grid (16 bytes each) to 64 bytes (each in a struct aligned to 64 bytes)" "elements of grid["
fix_of 7 "padding struct (anonymous) (16 bytes, the elements of quad) to 64 bytes" "elements of quad["

# C++: a std::array member of a class, the library's inside not named;
# of a class template whose name is long.
printf 'int main() { return 0; }\n' >"$WORK/probe.cc"
if "${MESILAB_CXX:-c++}" -fsanitize=thread -c -x c++ "$WORK/probe.cc" -o "$WORK/probe.o" 2>/dev/null; then
	timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/cls" "$TESTDATA/explain/class_array.cc" 2>"$WORK/err" ||
		fail "mesilab-c++ class_array.cc: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/cls.trace" timeout -k 5 60 "$WORK/cls" 3000 >"$WORK/prog.out" 2>/dev/null || fail "class_array failed"
	run explain "$WORK/cls.trace" --order timed --no-latent -o "$WORK/run-cls"
	expect_status 0
	expect_out_contains "fix: padding the elements of counters.hits (long int, 8 bytes each) to 64 bytes (an array of struct { long int v; } aligned to 64 bytes), or giving each thread a class Counters of its own, on lines of its own"
	# A class template's long name, cut with "..." where shown (it was
	# cut at 95 bytes without them).
	timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/long" "$TESTDATA/explain/long_class.cc" 2>"$WORK/err" ||
		fail "mesilab-c++ long_class.cc: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/long.trace" timeout -k 5 60 "$WORK/long" 3000 >"$WORK/prog.out" 2>/dev/null || fail "long_class failed"
	run explain "$WORK/long.trace" --order timed --no-latent -o "$WORK/run-long"
	expect_status 0
	grep -E -q '^  fix: padding the elements of counters.*\.hits \(long int, 8 bytes each\) .*, or giving each thread a class CountersWithAVeryLongNameForMeasuringTheirSharing<std::map<.{60,}\.\.\. of its own, on lines of its own$' "$WORK/out" ||
		fail "long_class: expected the class's name cut with '...' in the fix, got: $(grep 'fix:' "$WORK/out")"
else
	echo "no C++ compiler with -fsanitize=thread: the C++ case is skipped" >&2
fi
finish
