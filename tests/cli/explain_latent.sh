#!/bin/sh
# mesilab explain, latent false sharing: two threads count in two fields
# of one struct 80 bytes apart, which share no 64-byte line (no false
# sharing now) but one 128-byte line: explain says it is latent with
# 128-byte lines, names the fields, the threads and the line of code, in
# the terminal and in explain-falseshare.csv (kind latent, line_bytes
# 128), and calls nothing actual. Built with -DSTRADDLE the fields are 24
# bytes apart across a 64-byte boundary: the data placed 32 bytes further
# shares a line, which explain says too; the report's section says them.
# --no-latent leaves it out, and explain-latent.csv and the report say
# whether explain looked: not with --no-latent or Dragon alone (nor for
# the run's own false sharing); a program with nothing latent, none found;
# the replays that found none beside one that found some.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}"
export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
PROGRAM="$TESTDATA/explain/latent_bug.c"

printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
"${MESILAB_CC:-cc}" -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null ||
	skip "no C compiler with -fsanitize=thread"

ulimit -f 200000
csv_rows() { # csv_rows FILE KIND: "line_bytes moved_bytes protocol misses objects" of the KIND rows
	awk -F, -v k="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["kind"] == k { print $c["line_bytes"], $c["moved_bytes"], $c["protocol"], $c["misses_false_sharing"], $c["objects"] }' "$1"
}

for variant in apart straddle; do
	flags=""
	[ $variant = straddle ] && flags=-DSTRADDLE
	timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 $flags -o "$WORK/$variant" "$PROGRAM" 2>"$WORK/err" ||
		fail "mesilab-cc -g $flags: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/$variant.trace" timeout -k 5 60 "$WORK/$variant" 20000 >"$WORK/prog.out" 2>"$WORK/prog.err" ||
		fail "the traced program failed: $(cat "$WORK/prog.err")"
	grep -q '^20000 20000$' "$WORK/prog.out" || fail "$variant: the program's result: $(cat "$WORK/prog.out")"
	run explain "$WORK/$variant.trace" --order timed -o "$WORK/run-$variant"
	expect_status 0
	expect_out_contains "no false sharing under these protocols"
	grep -q "is shared falsely" "$WORK/out" && fail "$variant: false sharing called actual at 64 bytes: $(cat "$WORK/out")"
	[ -z "$(csv_rows "$WORK/run-$variant/explain-falseshare.csv" actual)" ] ||
		fail "$variant: actual rows in explain-falseshare.csv: $(cat "$WORK/run-$variant/explain-falseshare.csv")"
	expect_out_contains "with 32-byte lines: false-sharing misses 0 under msi, 0 under mesi; none latent"
	for p in msi mesi; do
		# Most of each thread's 20000 increments miss on the shared 128-byte line.
		misses=$(csv_rows "$WORK/run-$variant/explain-falseshare.csv" latent | awk -v p=$p '$1 == 128 && $2 == 0 && $3 == p { print $4 }')
		[ -n "$misses" ] && [ "$misses" -gt 30000 ] ||
			fail "$variant: $p: latent false sharing with 128-byte lines in explain-falseshare.csv: '$misses' in $(cat "$WORK/run-$variant/explain-falseshare.csv")"
		moved=$(csv_rows "$WORK/run-$variant/explain-falseshare.csv" latent | awk -v p=$p '$1 == 64 && $2 == 32 && $3 == p { print $4 }')
		if [ $variant = straddle ]; then
			[ -n "$moved" ] && [ "$moved" -gt 30000 ] ||
				fail "straddle: $p: latent false sharing with the data moved 32 bytes: '$moved'"
		else
			[ -z "$moved" ] || fail "apart: $p: latent false sharing with the data moved 32 bytes: '$moved'"
		fi
	done
	if [ $variant = apart ]; then
		expect_out_contains "with 64-byte lines, the data 32 bytes further: false-sharing misses 0 under msi, 0 under mesi; none latent"
	else
		expect_out_contains "would be shared falsely with 64-byte lines, the data 32 bytes further:"
	fi
	if grep -q '^(built without libdw' "$WORK/out"; then
		echo "built without libdw: the names are not checked" >&2
		continue
	fi
	# latent_bug.c:37 is the increment.
	expect_out_contains "(tally.sent;tally.received) would be shared falsely with 128-byte lines:"
	[ $variant = apart ] && first=0 second=80 || first=48 second=72
	expect_out_contains "thread 1 writes bytes $first-$((first + 7)) (tally.sent) at latent_bug.c:37 in count, 20000 times"
	expect_out_contains "thread 2 writes bytes $second-$((second + 7)) (tally.received) at latent_bug.c:37 in count, 20000 times"
	expect_out_contains "fix: keep each thread's data on 128-byte lines of its own"
	csv_rows "$WORK/run-$variant/explain-falseshare.csv" latent | grep -q '^128 0 msi [0-9]* tally.sent;tally.received$' ||
		fail "$variant: explain-falseshare.csv does not name the fields: $(cat "$WORK/run-$variant/explain-falseshare.csv")"
	# The report's section says it, as latent.
	"$MESILAB" report "$WORK/run-$variant" >/dev/null 2>"$WORK/err" || fail "$variant: mesilab report: $(cat "$WORK/err")"
	sed -n '/Latent false sharing/,$p' "$WORK/run-$variant/report.html" | grep -q "tally.sent;tally.received" ||
		fail "$variant: report.html does not say the latent false sharing"
done

run explain "$WORK/apart.trace" --order timed --no-latent -o "$WORK/run-none"
expect_status 0
grep -q "latent false sharing\|^latent:" "$WORK/out" && fail "--no-latent: $(cat "$WORK/out")"
[ -z "$(csv_rows "$WORK/run-none/explain-falseshare.csv" latent)" ] || fail "--no-latent: latent rows in explain-falseshare.csv"

# Whether explain looked, in explain-latent.csv and in the report's
# section, which tells 'none found' from 'not looked for'. report_latent
# RUN TEXT: the report of RUN says TEXT in its latent section.
report_latent() {
	timeout -k 5 60 "$MESILAB" report "$WORK/$1" >/dev/null 2>"$WORK/err" || fail "$1: mesilab report: $(cat "$WORK/err")"
	sed -n '/Latent false sharing/,$p' "$WORK/$1/report.md" | grep -qF "$2" ||
		fail "$1: report.md's latent section: expected '$2', got: $(sed -n '/Latent false sharing/,$p' "$WORK/$1/report.md")"
}
for row in '32,0,no,,explain --no-latent' '128,0,no,,explain --no-latent' '64,32,no,,explain --no-latent'; do
	grep -qxF "$row" "$WORK/run-none/explain-latent.csv" ||
		fail "--no-latent: explain-latent.csv lacks '$row': $(cat "$WORK/run-none/explain-latent.csv")"
done
report_latent run-none "Not looked for (explain --no-latent): no replay with 32-byte lines; 128-byte lines; 64-byte lines with the data 32 bytes further."
grep -qxF '128,0,yes,1,' "$WORK/run-apart/explain-latent.csv" ||
	fail "apart: explain-latent.csv lacks its one latent line with 128-byte lines: $(cat "$WORK/run-apart/explain-latent.csv")"
# The replays that found none are said beside the one that found some.
report_latent run-apart "None found in the replays with 32-byte lines; 64-byte lines with the data 32 bytes further."

# A program with nothing latent (one word, main's then a thread's): none
# found, with the replays that looked; under Dragon alone none looked.
traced one "$TESTDATA/explain/one_true.c"
run explain "$WORK/one.trace" -o "$WORK/run-one"
expect_status 0
report_latent run-one "None found in the replays with 32-byte lines; 128-byte lines; 64-byte lines with the data 32 bytes further: no line of them shares falsely where the run's lines do not."
run explain "$WORK/one.trace" -p dragon -o "$WORK/run-dragon"
expect_status 0
report_latent run-dragon "Not looked for (update protocols alone, whose writes miss nothing for false sharing): no replay with"
# Nor the run's own false sharing: not 'None in this run'.
section=$(sed -n '/^False sharing/,/^Latent false sharing/p' "$WORK/run-dragon/report.md")
printf '%s\n' "$section" | grep -qF "Not looked for (update protocols alone, whose writes miss nothing for false sharing): explain finds false sharing by an invalidation protocol's misses" &&
	! printf '%s\n' "$section" | grep -qF "None in this run" ||
	fail "run-dragon: report.md's false-sharing section: expected 'Not looked for (update protocols alone, ...', got: $section"
# A run of an explain from before explain-latent.csv says it cannot tell.
rm "$WORK/run-one/explain-latent.csv"
report_latent run-one "None listed, and this run does not say whether explain looked for any"
finish
