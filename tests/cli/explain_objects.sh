#!/bin/sh
# mesilab explain names every object of a falsely shared line and of each
# touch, in the finding, the latent section and explain-falseshare.csv:
# grid_rows.c's main reads a column of every row in one touch, and the
# line's header named the first row's alone (a row's objects left out of
# the line's list), as did the latent section's touches ('bytes 48-51,
# 64-67 (bd.grid.cells[0][0].hits)'). One byte is 'byte 4', not 'bytes
# 4-4'. The bytes of a falsely shared line also shared truly are named by
# all their objects (shared_flags.c's two flags: 'bytes 16-17 (s.stop to
# s.go)', where it named s.stop alone), one byte as 'byte 16 (s.stop) is'.
. "$TESTLIB"

need_traced_programs
ulimit -f 200000

# expect_line TEXT: stdout has a line matching the extended regular expression TEXT.
expect_line() {
	grep -E -q -- "$1" "$WORK/out" || fail "stdout lacks a line '$1': $(cat "$WORK/out")"
}

# Four threads: rows 1 to 3 share a line.
traced grid4 "$TESTDATA/explain/grid_rows.c" 4 3000
grep -q '^12004$' "$WORK/grid4.out" || fail "grid_rows 4's result: $(cat "$WORK/grid4.out")"
run explain "$WORK/grid4.trace" --order timed -o "$WORK/run4"
expect_status 0
if grep -q '^(built without libdw' "$WORK/out"; then
	echo "built without libdw: the names are not checked" >&2
	finish
fi
header=$(grep '^line 0x[0-9a-f]* (.*) is shared falsely:$' "$WORK/out")
csv=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["kind"] == "actual" { print $c["objects"] }' \
	"$WORK/run4/explain-falseshare.csv")
for row in 1 2 3; do
	for col in 0 1; do
		for m in hits last; do
			o="bd.grid.cells[$row][$col].$m"
			case $header in
			*"($o;"* | *";$o;"* | *";$o)"*) ;;
			*) fail "the finding's header: expected $o among the line's objects, got: $header" ;;
			esac
			case ";$csv;" in
			*";$o;"*) ;;
			*) fail "explain-falseshare.csv's objects: expected $o, got: $csv" ;;
			esac
		done
	done
done
expect_line '^  thread 0 reads bytes 0-3 \(bd\.grid\.cells\[1\]\[0\]\.hits\), 16-19 \(bd\.grid\.cells\[2\]\[0\]\.hits\), 32-35 \(bd\.grid\.cells\[3\]\[0\]\.hits\) at grid_rows\.c:[0-9]+ in main, 3 times$'
expect_line '^  thread 2 writes byte 4 \(bd\.grid\.cells\[1\]\[0\]\.last\) at grid_rows\.c:[0-9]+ in walker, 1 time$'

# Two threads: their rows would share a line of 128 bytes (latent).
traced grid2 "$TESTDATA/explain/grid_rows.c" 2 3000
grep -q '^6002$' "$WORK/grid2.out" || fail "grid_rows 2's result: $(cat "$WORK/grid2.out")"
run explain "$WORK/grid2.trace" --order timed -o "$WORK/run2"
expect_status 0
header=$(grep '^latent: line 0x[0-9a-f]* (.*) would be shared falsely with 128-byte lines:$' "$WORK/out")
for o in 'bd.grid.cells[0][0].hits' 'bd.grid.cells[1][1].hits' 'bd.grid.cells[1][1].last'; do
	case $header in
	*"($o;"* | *";$o;"* | *";$o)"*) ;;
	*) fail "the latent line's header: expected $o among its objects, got: $header" ;;
	esac
done
expect_line '^  thread 0 reads bytes 48-51 \(bd\.grid\.cells\[0\]\[0\]\.hits\), 64-67 \(bd\.grid\.cells\[1\]\[0\]\.hits\) at grid_rows\.c:[0-9]+ in main, 2 times$'
expect_line '^  thread 2 writes byte 68 \(bd\.grid\.cells\[1\]\[0\]\.last\) at grid_rows\.c:[0-9]+ in walker, 1 time$'

# True sharing beside the false: one flag's byte, then two flags' bytes.
for n in 1 2; do
	traced flags$n "$TESTDATA/explain/shared_flags.c" $n 3000
	grep -q '^3000 3000$' "$WORK/flags$n.out" || fail "shared_flags $n's result: $(cat "$WORK/flags$n.out")"
	run explain "$WORK/flags$n.trace" --order timed --no-latent
	expect_status 0
	[ $n = 1 ] && text='byte 16 \(s\.stop\) is' || text='bytes 16-17 \(s\.stop to s\.go\) are'
	expect_line "^  $text also shared truly: [0-9]+ true-sharing misses? under msi, which moving keeps$"
done
finish
