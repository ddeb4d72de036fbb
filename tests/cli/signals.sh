#!/bin/sh
# SIGTERM and SIGHUP stop a command as Ctrl-C does: promptly, with exit
# status 128 + the signal, completed files kept, temporaries and partial
# outputs gone, a run marked interrupted.
. "$TESTLIB"

# wait_for FILE: up to 10 s for FILE (or a hidden temporary of it) to exist.
wait_for() {
	tries=0
	while [ "$tries" -lt 100 ]; do
		[ -e "$1" ] && return 0
		ls -A "$(dirname "$1")" 2>/dev/null | grep -q "^\.$(basename "$1")" && return 0
		sleep 0.1
		tries=$((tries + 1))
	done
	return 1
}

# stopped PID SIGNAL WHAT: sends SIGNAL (TERM or HUP) and checks that WHAT
# exits with 128 + its number within 8 s: a few milliseconds on an idle
# machine, but the full test suite runs its builds beside this test, and a
# stop that writes its results (synced to disk) once took 4 s there; a
# loop that never looks at its signal takes the test's whole time limit.
stopped() {
	t0=$(date +%s)
	kill "-$2" "$1"
	wait "$1"
	status=$?
	took=$(($(date +%s) - t0))
	case $2 in TERM) want=143 ;; HUP) want=129 ;; esac
	[ "$status" -eq "$want" ] || fail "$3 stopped by SIG$2 exited with $status, not $want: $(cat "$WORK/err")"
	[ "$took" -le 8 ] || fail "$3 took $took s to stop"
}

# An endless lackey stream being imported: SIGTERM ends it with one line,
# no file and no temporary left.
mkdir "$WORK/imp"
yes ' L 0400d7d4,8' | "$MESILAB" trace import --from lackey - -o "$WORK/imp/endless.trace" 2>"$WORK/err" &
pid=$!
wait_for "$WORK/imp/endless.trace" || fail "the import never started"
sleep 0.5
# $! is the last command of the pipeline: mesilab.
stopped "$pid" TERM "an import"
grep -q "interrupted by SIGTERM" "$WORK/err" || fail "import does not say it was interrupted: $(cat "$WORK/err")"
[ -z "$(ls -A "$WORK/imp")" ] || fail "import left files: $(ls -A "$WORK/imp")"

# A kernel's trace with several threads (spooled beside the output): the
# same with SIGHUP.
mkdir "$WORK/gen"
"$MESILAB" trace mix --threads 2 --accesses 2000000000 -o "$WORK/gen/mix.trace" 2>"$WORK/err" &
pid=$!
wait_for "$WORK/gen/mix.trace.thread-0" || fail "the spool never appeared"
sleep 0.3
stopped "$pid" HUP "a trace"
[ -z "$(ls -A "$WORK/gen")" ] || fail "trace left files: $(ls -A "$WORK/gen")"

# A lock-step trace (threads taking turns access by access): the same.
"$MESILAB" trace c2c --rounds 1000000000 -o "$WORK/gen/c2c.trace" 2>"$WORK/err" &
pid=$!
wait_for "$WORK/gen/c2c.trace" || fail "the lock-step trace never started"
sleep 0.5
stopped "$pid" TERM "a lock-step trace"
[ -z "$(ls -A "$WORK/gen")" ] || fail "a lock-step trace left files: $(ls -A "$WORK/gen")"

# The simulator reading an endless trace from a pipe stops, keeps what it
# simulated and marks its run interrupted.
"$MESILAB" trace mix --threads 1 --accesses 2000000000 -o - 2>/dev/null |
	"$MESILAB" sim -p mesi - -o "$WORK/sim" >/dev/null 2>"$WORK/err" &
pid=$!
sleep 1
stopped "$pid" TERM "sim"
grep -q '"status": "interrupted"' "$WORK/sim/meta.json" || fail "sim's run not marked interrupted"

# Waiting on a pipe nothing feeds: a read the signal must end, not restart.
mkfifo "$WORK/fifo"
sleep 30 >"$WORK/fifo" &
feeder=$!
"$MESILAB" sim -p mesi - <"$WORK/fifo" >/dev/null 2>"$WORK/err" &
pid=$!
sleep 0.5
stopped "$pid" TERM "sim waiting on a pipe"
kill "$feeder" 2>/dev/null
grep -q "interrupted by SIGTERM" "$WORK/err" || fail "sim does not say it was interrupted: $(cat "$WORK/err")"

# Any command reading a trace: an endless text trace through trace info.
yes '0 R 0x40 8' | "$MESILAB" trace info - >/dev/null 2>"$WORK/err" &
pid=$!
sleep 1
stopped "$pid" TERM "trace info"
grep -q "interrupted by SIGTERM" "$WORK/err" || fail "trace info does not say it was interrupted: $(cat "$WORK/err")"

# What timeout(1), CI runners and Slurm's time limits do to a suite: the
# run stops within seconds, says interrupted, keeps whole files only.
t0=$(date +%s)
timeout -s TERM 4 "$MESILAB" run --quiet -o "$WORK/run" >/dev/null 2>"$WORK/err"
status=$?
took=$(($(date +%s) - t0))
[ "$status" -eq 124 ] || fail "timeout did not have to stop the run (status $status)"
[ "$took" -le 8 ] || fail "the run took $took s to stop after SIGTERM at 4 s"
grep -q '"status": "interrupted"' "$WORK/run/meta.json" || fail "a run stopped by SIGTERM is not marked interrupted"
ls -A "$WORK/run" | grep -q '^\.' && fail "temporary files left: $(ls -A "$WORK/run")"

finish
