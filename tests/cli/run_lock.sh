#!/bin/sh
# A run directory in use is locked: a second command writing into it is
# refused at once (exit 2, one line naming the first one's PID), so two
# runs never mix their files; once the first has ended the directory is
# free again and no lock file is left behind: a command then adds to the
# run, and 'mesilab run' into it is refused.
. "$TESTLIB"
measures

dir="$WORK/run"
timeout -k 5 120 "$MESILAB" bench latency -o "$dir" >"$WORK/first.out" 2>"$WORK/first.err" &
first=$!
# Wait (at most 20 s) until the first holds the directory.
i=0
while [ "$i" -lt 200 ] && ! grep -q '[0-9]' "$dir/.mesilab.lock" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
holder=$(cat "$dir/.mesilab.lock" 2>/dev/null)
[ -n "$holder" ] || fail "the first run never locked $dir: $(cat "$WORK/first.err")"

run run --quick --only latency -o "$dir"
expect_error 2 "is in use by another mesilab command (pid $holder)"
run bench c2c -o "$dir"
expect_error 2 "pid $holder"

kill -TERM "$first" 2>/dev/null
wait "$first"
[ ! -e "$dir/.mesilab.lock" ] || fail "the lock file outlived the run that held it"
grep -q '"status": "interrupted"' "$dir/meta.json" || fail "the first run's meta.json was not its own: $(cat "$dir/meta.json")"

# Free again: a command into it now goes ahead, added to the run (which
# stays interrupted), and the whole suite into it is refused.
run topo -o "$dir"
expect_status 0
[ ! -e "$dir/.mesilab.lock" ] || fail "the lock file outlived topo"
[ "$(grep -m1 '"status"' "$dir/meta.json")" = '  "status": "interrupted",' ] ||
	fail "an addition changed the run's status: $(grep '"status"' "$dir/meta.json")"
grep -q '"additions"' "$dir/meta.json" || fail "topo is not listed as an addition: $(cat "$dir/meta.json")"
run run --quick --only topo -o "$dir"
expect_error 2 "$dir holds a run already: give -o a new or empty directory"
[ ! -e "$dir/.mesilab.lock" ] || fail "the lock file outlived a refused run"

# A directory that holds other files and is not a run (a source folder:
# '-o sim' typed in the source tree) is refused, left as it was; an empty
# one is taken.
mkdir "$WORK/sources"
echo 'int main(void) { return 0; }' >"$WORK/sources/main.c"
run topo -o "$WORK/sources"
expect_error 2 "$WORK/sources: holds other files and no meta.json: give -o a new or empty directory"
[ "$(ls -A "$WORK/sources")" = main.c ] || fail "a refused directory was written: $(ls -A "$WORK/sources")"
run sim -p mesi "$TESTDATA/textbook/classic.txt" -o "$WORK/sources"
expect_error 2 "$WORK/sources: holds other files and no meta.json"
run sweep --l1 8K:2:64,16K:2:64 "$TESTDATA/textbook/classic.txt" -o "$WORK/sources"
expect_error 2 "$WORK/sources: holds other files and no plan.csv"
[ "$(ls -A "$WORK/sources")" = main.c ] || fail "a refused directory was written: $(ls -A "$WORK/sources")"
mkdir "$WORK/empty"
run topo -o "$WORK/empty"
expect_status 0
[ -s "$WORK/empty/meta.json" ] || fail "an empty directory was not taken"
finish
