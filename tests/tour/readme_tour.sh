#!/bin/sh
# The README's tour, literally: every command of every ```sh block of its
# "A tour" section, in order, as a newcomer types them after the quick
# start and before 'make install': from a scratch directory holding the
# tour's examples, with the build tree first in PATH. A block that an HTML
# comment "<!-- tour: not run: WHY -->" precedes is not run, and the test
# says so; so is a line whose program is not installed (valgrind, lstopo).
# Every line must end within its time limit with exit status 0 (compare:
# 0 or 1, a regression being its job); then what the README says the lines
# produce must be there. Run by 'make check-tour' (the README's test
# command runs it once): MESILAB names the build tree's mesilab, TESTDATA
# the source tree's tests/data.
set -u
: "${MESILAB:?MESILAB must name the build tree's mesilab}"
: "${TESTDATA:?TESTDATA must name the source tree's tests/data}"
build=$(dirname "$MESILAB")
src=${TESTDATA%/tests/data}
readme=$src/README.md
work=$(mktemp -d "${TMPDIR:-/tmp}/mesilab-tour.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$src/examples" "$work/examples"
PATH="$build:$PATH"
export PATH
# A run without -o goes under results/ of the current directory: the scratch one.
unset MESILAB_RESULTS_DIR
failures=0 ran=0 skipped=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# The tour's lines, one per line (continuations joined), with "#SKIP WHY"
# for a block marked not to run.
awk '
	/^## / { in_tour = ($0 == "## A tour") }
	!in_tour { next }
	/^<!-- tour: not run: / { why = $0; sub(/^<!-- tour: not run: /, "", why); sub(/ *-->$/, "", why); next }
	/^```sh$/ { block = 1; next }
	/^```$/ && block { block = 0; why = ""; next }
	block {
		line = line $0
		if (line ~ /\\$/) { sub(/\\$/, "", line); next }
		if (why != "") print "#SKIP " why "\t" line; else print line
		line = ""
	}' "$readme" >"$work/tour.lines"
[ -s "$work/tour.lines" ] || { echo "FAIL: no tour found in $readme" >&2; exit 1; }

# The tour runs from the clone's root: an output named like a folder of
# the source tree (-o sim) would be written among its sources.
for out in $(sed 's/#.*//' "$work/tour.lines" | grep -o -- '-o [^ ]*' | cut -c4-); do
	case $out in /*) continue ;; esac
	[ -d "$src/${out%%/*}" ] && fail "the tour writes into the source tree's ${out%%/*}/: -o $out"
done

# The programs a line calls: the first word of each of its commands.
programs() {
	printf '%s\n' "$1" | sed 's/#.*//; s/&&/|/g; s/||/|/g; s/;/|/g' | tr '|' '\n' |
		sed 's/^[[:space:]]*//; s/^[A-Z_][A-Z_0-9]*=[^[:space:]]*[[:space:]]*//' | awk 'NF { print $1 }'
}

cd "$work" || exit 1
while IFS= read -r line; do
	case $line in
	"#SKIP "*)
		echo "not run (${line#\#SKIP }" | sed 's/\t/): /' >&2
		skipped=$((skipped + 1))
		continue
		;;
	esac
	missing=""
	for p in $(programs "$line"); do
		case $p in ./*) continue ;; esac
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "not run (not installed:$missing): $line" >&2
		skipped=$((skipped + 1))
		continue
	fi
	echo "tour: $line" >&2
	ran=$((ran + 1))
	# Ten minutes a line at most, a file-size bound against a runaway writer.
	(ulimit -f 4000000; exec timeout -k 10 600 sh -c "$line" </dev/null) >"$work/.out" 2>"$work/.err"
	status=$?
	case $line in
	*"mesilab compare"*) [ "$status" -le 1 ] || fail "exit $status: $line: $(tail -n 5 "$work/.err")" ;;
	*) [ "$status" -eq 0 ] || fail "exit $status: $line: $(tail -n 5 "$work/.err")" ;;
	esac
	# A sweep that leaves combinations out (fewer cores than the trace's
	# threads) draws less than the README promises.
	case $line in
	*"mesilab sweep"*) ! grep -q "left out" "$work/.err" || fail "$line: $(grep "left out" "$work/.err")" ;;
	esac
done <"$work/tour.lines"

# produced FILE WHAT: the tour left FILE (a glob), which the README promises.
produced() {
	set -- $1 "$2"
	[ -s "$1" ] || fail "the tour did not produce $1 ($2)"
}
produced lab.xml "lstopo's export"
produced fs.trace "a kernel's trace"
produced c.trace "the course trace, imported"
produced 'results/*/meta.json' "mesilab run's new results/ directory"
produced 'results/*/report.html' "mesilab run's report"
produced smoke/report.md "the smoke run's report"
produced smoke/report.html "the smoke run's self-contained page"
produced smoke/figures/latency.pdf "plot --format png,pdf"
produced smoke/figures/latency.png "plot --format png,pdf"
produced history/ "the baseline"
produced prog.trace "the traced program's trace"
produced prog-sim/figures/protocols.png "mesilab plot prog-sim"
produced l1-sweep/sweep.csv "the sweep"
produced 'l1-sweep/figures/sweep-*.png' "the sweep's figures"
produced lab/fleet/fleet.md "the fleet report"
if command -v valgrind >/dev/null 2>&1; then
	produced p.trace "the lackey trace, imported"
fi
# The traced program's false sharing and its lock, as examples/counters.c
# says: both kinds of coherence misses. Either needs its threads to have
# run at the same time: on a busy machine (the test command runs other
# tests beside the tour) they may have run one after the other, and the
# program is traced again, 5 times at most, saying so.
tries=1
while mesilab sim prog.trace -p mesi -o "sim-again$tries" >"$work/.out" 2>&1 &&
	! { grep -Eq "coherence, false sharing +[1-9]" "$work/.out" && grep -Eq "coherence, true sharing +[1-9]" "$work/.out"; } &&
	[ "$tries" -lt 5 ]; do
	echo "prog.trace shows no false or no true sharing (its threads did not overlap: a busy machine?): traced again" >&2
	tries=$((tries + 1))
	(ulimit -f 4000000; MESILAB_TRACE=prog.trace exec timeout -k 10 600 ./prog) >/dev/null 2>&1 </dev/null
done
grep -Eq "coherence, false sharing +[1-9]" "$work/.out" || fail "no false sharing in prog.trace ($tries traces): $(cat "$work/.out")"
grep -Eq "coherence, true sharing +[1-9]" "$work/.out" || fail "no true sharing in prog.trace ($tries traces): $(cat "$work/.out")"

echo "$ran lines run, $skipped not run, $failures failed" >&2
[ "$failures" -eq 0 ]
