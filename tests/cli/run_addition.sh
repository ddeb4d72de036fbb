#!/bin/sh
# A command writing into a run directory adds to the run: meta.json keeps
# the run's command line, status, clock, settings, unavailable results,
# checks and files, and lists the command under "additions" with what it
# wrote; the report still says the run's command and clock and judges
# the model as before; the run's own sim-machine.csv is not replaced by a
# trace's model. 'mesilab run' into a run is refused; an addition that
# fails leaves the run complete; a meta.json that is not a run's is
# refused in one line naming it, nothing written.
. "$TESTLIB"

ulimit -f 200000

# limited CMD...: as run, under a time limit.
limited() {
	timeout -k 5 120 "$MESILAB" "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

# section FILE HEADING: the lines of a report's section, but blank ones.
section() {
	awk -v h="## $2" '/^## / { inside = $0 == h; next } inside && NF' "$1"
}

# The stored reference run: a simulation added to it keeps what it could
# not measure and its command in the report.
cp -R "$REFERENCE" "$WORK/ref"
limited sim -p mesi,msi "$TESTDATA/textbook/classic.txt" -q -o "$WORK/ref"
expect_status 0
limited report "$WORK/ref"
expect_status 0
grep -q "^- states S: a line in Shared needs a third PU" "$WORK/ref/report.md" ||
	fail "the run's unavailable list was lost: $(grep -n 'measured' "$WORK/ref/report.md")"
grep -q "^- Command: ./build/mesilab run --skip plot,report -o results/reference --quiet;" "$WORK/ref/report.md" ||
	fail "the report's command is not the run's: $(grep -n 'Command' "$WORK/ref/report.md")"

# Not a run's metadata: refused in one line naming it, nothing written.
for case in array fifo huge; do
	dir="$WORK/bad-$case"
	mkdir "$dir"
	case $case in
	array) echo '[1, 2]' >"$dir/meta.json" ;;
	fifo) mkfifo "$dir/meta.json" ;;
	huge) : >"$dir/meta.json" && truncate -s 17M "$dir/meta.json" ;;
	esac
	limited sim -p mesi "$TESTDATA/textbook/classic.txt" -o "$dir"
	expect_error 2 "$dir/meta.json: "
	[ "$(ls -A "$dir")" = meta.json ] || fail "$case: a refused directory was written: $(ls -A "$dir")"
done

# A quick run that models its host, then an explanation (where a traced
# program can be built) and a simulation on the run's model added to it.
measures
run_dir="$WORK/run"
limited run --quick --only topo,latency,sim,report -q -o "$run_dir"
expect_status 0
[ -s "$run_dir/sim-machine.csv" ] || fail "the quick run has no sim-machine.csv: $(cat "$WORK/err")"
cp -R "$run_dir" "$WORK/run-copy"
cp "$run_dir/report.md" "$WORK/before.md"
trace="$TESTDATA/textbook/classic.txt"
additions=1
printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
if [ -n "${MESILAB_CC_BIN:-}" ] &&
	"${MESILAB_CC:-cc}" -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null; then
	export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
	timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -o "$WORK/tally" "$TESTDATA/explain/falseshare_bug.c" 2>"$WORK/err" ||
		fail "mesilab-cc: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/tally.trace" timeout -k 5 60 "$WORK/tally" 2000 >/dev/null 2>"$WORK/err" ||
		fail "the traced program failed: $(cat "$WORK/err")"
	trace="$WORK/tally.trace"
	limited explain "$trace" -q -o "$run_dir"
	expect_status 0
	additions=2
else
	echo "no C compiler with -fsanitize=thread: the explanation is not added" >&2
fi
limited sim --machine "$run_dir" "$trace" -q -o "$run_dir"
expect_status 0
grep -q "sim-machine.csv is the run's own and stays: this command's is saved as sim-machine-addition$additions.csv" "$WORK/err" ||
	fail "where the simulation's model went is not said: $(cat "$WORK/err")"
cmp -s "$run_dir/sim-machine.csv" "$WORK/run-copy/sim-machine.csv" || fail "the run's sim-machine.csv was replaced"
[ -s "$run_dir/sim-machine-addition$additions.csv" ] || fail "the simulation's model was not saved: $(ls "$run_dir")"
limited report "$run_dir"
expect_status 0
for line in "- Command: " "- Core clock: "; do
	want=$(grep -F -- "$line" "$WORK/before.md")
	got=$(grep -F -- "$line" "$run_dir/report.md")
	[ "$want" = "$got" ] || fail "the report's '$line' changed: expected '$want', got '$got'"
done
section "$WORK/before.md" "The model against the machine" >"$WORK/model.before"
section "$run_dir/report.md" "The model against the machine" >"$WORK/model.after"
[ -s "$WORK/model.before" ] || fail "the quick run's report has no model section"
cmp -s "$WORK/model.before" "$WORK/model.after" ||
	fail "the model section changed: $(diff "$WORK/model.before" "$WORK/model.after" | head -5)"
meta="$run_dir/meta.json"
[ "$(grep -c '"command_line"' "$meta")" -eq $((additions + 1)) ] ||
	fail "expected $additions additions: $(grep '"command_line"' "$meta")"
[ "$(grep -m1 '"status"' "$meta")" = '  "status": "complete",' ] || fail "the run's status changed: $(grep '"status"' "$meta")"
grep -q '"sim.workload.c2c.operations"' "$meta" || fail "the run's settings were lost"
if [ "$additions" = 2 ]; then
	grep -q '"explain-lines.csv"' "$meta" || fail "explain's files are not listed"
	grep -q "^## The program explained" "$run_dir/report.md" || fail "the report has no explanation"
fi

# The whole suite again into the run: refused, the run as it was.
cp "$meta" "$WORK/meta.before"
limited run --quick --only topo -o "$run_dir"
expect_error 2 "$run_dir holds a run already: give -o a new or empty directory, or add to it"
cmp -s "$meta" "$WORK/meta.before" || fail "a refused run changed meta.json"

# An addition that fails (its table cannot be saved) leaves the run
# complete and says itself failed.
mkdir -p "$WORK/run-copy/sim-summary.csv/taken"
limited sim -p mesi "$TESTDATA/textbook/classic.txt" -q -o "$WORK/run-copy"
expect_status 1
meta="$WORK/run-copy/meta.json"
[ "$(grep -m1 '"status"' "$meta")" = '  "status": "complete",' ] ||
	fail "a failed addition changed the run's status: $(grep '"status"' "$meta")"
grep -q '^      "status": "failed",' "$meta" || fail "the failed addition is not said: $(cat "$meta")"
finish
