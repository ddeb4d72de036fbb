#!/bin/sh
# mesilab explain names the C++ spellings of false sharing as it names
# C's (class_bug.cc, built with mesilab-c++ and, where there is one, with
# clang++, whose debug information gives addresses through .debug_addr
# and the library's headers from clang's own directory, "/usr/bin/../lib":
# the atomic add inlined from one is named at the program's line as with
# g++): the member of an array of a class's objects (counters[1].hits,
# class Counters), a base class's member named as the derived struct's
# (padded[1].count, struct Padded), a global in a namespace
# (ns::table[1].value), a static data member (Registry::slots[1].value),
# and a std::array of structs holding a std::atomic, named without the
# library's insides (stats[1].hits, struct Stats, not
# stats._M_elems[1].hits._M_i). Each gets the padding fix with its
# element's size, and explain-objects.csv has that size in element_bytes
# (empty for a scalar).
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}"
export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
PROGRAM="$TESTDATA/explain/class_bug.cc"

printf 'int main() { return 0; }\n' >"$WORK/probe.cc"
"${MESILAB_CXX:-c++}" -fsanitize=thread -c -x c++ "$WORK/probe.cc" -o "$WORK/probe.o" 2>/dev/null ||
	skip "no C++ compiler with -fsanitize=thread"
ulimit -f 200000

# expect_line TEXT: stdout has a line matching the extended regular expression TEXT.
expect_line() {
	grep -E -q -- "$1" "$WORK/out" || fail "$name: stdout lacks a line '$1': $(cat "$WORK/out")"
}

# object_cell RUN OBJECT MEMBER COLUMN: COLUMN of OBJECT's MEMBER under msi in RUN's explain-objects.csv.
object_cell() {
	awk -F, -v o="$2" -v m="$3" -v col="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["protocol"] == "msi" && $c["object"] == o && $c["member"] == m { print $c[col] }' \
		"$WORK/run-$1/explain-objects.csv"
}

# check NAME CXX: class_bug.cc built with the C++ compiler CXX, traced and explained.
check() {
	name=$1
	MESILAB_CXX=$2 timeout -k 5 120 "${MESILAB_CC_BIN%cc}c++" -g -O1 -pthread -o "$WORK/$name" "$PROGRAM" \
		2>"$WORK/err" || { fail "$name: mesilab-c++ class_bug.cc: $(cat "$WORK/err")"; return; }
	MESILAB_TRACE="$WORK/$name.trace" timeout -k 5 60 "$WORK/$name" >"$WORK/prog.out" 2>/dev/null ||
		{ fail "$name: class_bug failed"; return; }
	grep -q '^20000 20000 20000 20000 20000$' "$WORK/prog.out" || fail "$name: class_bug's result: $(cat "$WORK/prog.out")"
	timeout -k 5 120 "$MESILAB" explain "$WORK/$name.trace" --order timed --no-latent -o "$WORK/run-$name" \
		>"$WORK/out" 2>"$WORK/err"
	status=$?
	expect_status 0
	if grep -q '^(built without libdw' "$WORK/out"; then
		echo "$name: built without libdw: the names are not checked" >&2
		return
	fi
	# class_bug.cc's lines: 55 counters, 57 padded, 59 ns::table, 61
	# Registry::slots, 63 stats (the atomic add, inlined from its header).
	for case in 'counters hits 55 class Counters' 'padded count 57 struct Padded' \
		'ns::table value 59 struct Slot' 'Registry::slots value 61 struct Slot' 'stats hits 63 struct Stats'; do
		set -- $case
		object=$1 member=$2 line=$3 type="$4 $5"
		quoted=$(printf '%s' "$object" | sed 's/[].[]/\\&/g')
		at="class_bug\.cc:$line"
		[ "$object" = stats ] && at="$at \(inlined atomic_base\.h:[0-9]+\)"
		expect_line "^line 0x[0-9a-f]+ \(($quoted\[[01]\]\.$member;?){2}\) is shared falsely:$"
		expect_line "^  thread 1 writes bytes [0-9]+-[0-9]+ \($quoted\[0\]\.$member\) at $at in work\(int\), 20000 times$"
		expect_line "^  thread 2 writes bytes [0-9]+-[0-9]+ \($quoted\[1\]\.$member\) at $at in work\(int\), 20000 times$"
		grep -F -q -- "  fix: padding $type (16 bytes, the elements of $object) to 64 bytes" "$WORK/out" ||
			fail "$name: no padding fix for $object: $(grep 'fix:' "$WORK/out")"
		got=$(object_cell "$name" "$object" "[1].$member" type)
		[ "$got" = "$type" ] || fail "$name: $object[1].$member's type in explain-objects.csv: expected '$type', got '$got'"
		got=$(object_cell "$name" "$object" "[1].$member" element_bytes)
		[ "$got" = 16 ] || fail "$name: $object[1].$member's element_bytes in explain-objects.csv: expected 16, got '$got'"
	done
	got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["member"] ~ /_M_/ { print $c["member"] }' \
		"$WORK/run-$name/explain-objects.csv")
	[ -z "$got" ] || fail "$name: a library's insides named in explain-objects.csv: $got"
	# A scalar (rounds) is no array: its element_bytes is empty.
	got=$(object_cell "$name" rounds "" element_bytes)
	[ -z "$got" ] || fail "$name: rounds' element_bytes in explain-objects.csv: expected '', got '$got'"
}

check gcc "${MESILAB_CXX:-c++}"
if command -v clang++ >/dev/null 2>&1 && clang++ -fsanitize=thread -c -x c++ "$WORK/probe.cc" -o "$WORK/probe.o" 2>/dev/null; then
	check clang clang++
else
	echo "no clang++ with -fsanitize=thread: the program built with clang++ skipped" >&2
fi
finish
