# Helpers for the command-line tests (POSIX sh). Each test sources this.
set -u

: "${MESILAB:?MESILAB must name the mesilab binary}"
: "${TESTDATA:?TESTDATA must name tests/data}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mesilab-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# A command run without -o makes a run directory: never in the build tree.
MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run CMD...: runs mesilab, keeping stdout, stderr and the exit status.
run() {
	"$MESILAB" "$@" >"$WORK/out" 2>"$WORK/err"
	status=$?
}

expect_status() {
	[ "$status" -eq "$1" ] || fail "expected exit status $1, got $status: $(cat "$WORK/err")"
}

# expect_error STATUS TEXT: exit status, one line on stderr containing TEXT,
# nothing on stdout.
expect_error() {
	expect_status "$1"
	lines=$(wc -l <"$WORK/err")
	[ "$lines" -eq 1 ] || fail "expected one line on stderr, got $lines: $(cat "$WORK/err")"
	grep -F -q -- "$2" "$WORK/err" || fail "stderr lacks '$2': $(cat "$WORK/err")"
	[ ! -s "$WORK/out" ] || fail "expected nothing on stdout, got: $(cat "$WORK/out")"
}

expect_out_contains() {
	grep -F -q -- "$1" "$WORK/out" || fail "stdout lacks '$1'"
}

# The private mount namespace the file-system faults are made in: as an
# ordinary user (or root) through a user namespace, or as root directly.
# A chroot allows neither (and a container may not): then those cases are
# skipped, saying so. fs_namespace sets NAMESPACE to how to make one, or
# to "".
fs_namespace() {
	NAMESPACE=""
	for ns in "unshare -rm" "unshare -m"; do
		if $ns sh -c 'mount -t tmpfs -o size=64k none "$1"' sh "$WORK" 2>/dev/null; then
			NAMESPACE=$ns
			break
		fi
	done
	export WORK
}

# in_fs OPTIONS CMD...: runs CMD with a fresh tmpfs mounted (mount OPTIONS)
# at $WORK/fs, in the private mount namespace; CMD's status in $status, its
# output in $WORK/out and $WORK/err, what it left in the file system in
# $WORK/fs.list. Where the tmpfs cannot be mounted, status 99 and mount's
# message in $WORK/err.
in_fs() {
	mkdir -p "$WORK/fs"
	rm -f "$WORK/fs.list"
	$NAMESPACE sh -c '
		opts=$1; shift
		mount -t tmpfs -o "$opts" none "$WORK/fs" 2>"$WORK/err" || exit 99
		"$@" >"$WORK/out" 2>"$WORK/err"
		st=$?
		ls -A "$WORK/fs" >"$WORK/fs.list"
		exit $st' sh "$@" 2>/dev/null
	status=$?
}

# skip WHY: the whole test is skipped (automake's status 77), saying why.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# need_traced_programs: the test traces programs of its own with
# mesilab-cc (MESILAB_CC_BIN), which builds on a C compiler's
# -fsanitize=thread: skipped where there is none.
need_traced_programs() {
	: "${MESILAB_CC_BIN:?}"
	export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
	printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
	"${MESILAB_CC:-cc}" -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null ||
		skip "no C compiler with -fsanitize=thread"
}

# traced NAME SOURCE [ARG...]: SOURCE built with mesilab-cc -g -O1 into
# $WORK/NAME and run with ARGs, traced into $WORK/NAME.trace, its output
# in $WORK/NAME.out; a failed build or run fails the test.
traced() {
	name=$1
	source=$2
	shift 2
	timeout -k 5 120 "$MESILAB_CC_BIN" -g -O1 -o "$WORK/$name" "$source" 2>"$WORK/err" ||
		fail "mesilab-cc -g $source: $(cat "$WORK/err")"
	MESILAB_TRACE="$WORK/$name.trace" timeout -k 5 60 "$WORK/$name" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
		fail "the traced $name failed: $(cat "$WORK/$name.err")"
}

# measures: this test measures the machine. It waits (30 minutes at most)
# until no other test that measures runs, whichever build it belongs to, so
# that two never disturb each other under 'make -j check'; the lock is a
# file of the machine's temporary directory, held until the test ends. It
# says how long it waited (a test's time in its log is then its own).
# MESILAB_TESTS_NO_MEASURING=1 skips the whole test, saying so: for a pass
# whose build already ran them (the test command's distcheck).
measures() {
	[ "${MESILAB_TESTS_NO_MEASURING:-0}" = 0 ] ||
		skip "a test that measures, and MESILAB_TESTS_NO_MEASURING is set (they ran in another build)"
	command -v flock >/dev/null 2>&1 || return 0
	exec 9>>"${TMPDIR:-/tmp}/mesilab-tests-measure.lock"
	measures_since=$(date +%s)
	flock -w 1800 9 || skip "another test kept measuring for 30 minutes"
	echo "measures: waited $(($(date +%s) - measures_since)) s for the other tests that measure" >&2
}

# idle_pus N: whether N PUs of the machine stood idle over the last half
# second: tests beside this one (make -j check), another build or a
# neighbour take PUs away, and an effect that needs two idle cores is then
# not the hardware's. Judged from /proc/stat; true where it cannot be read.
idle_pus() {
	[ -r /proc/stat ] || return 0
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $6 + $7 + $8 + $9, $5 }' /proc/stat)
	sleep 0.5
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $6 + $7 + $8 + $9, $5 }' /proc/stat)
	pus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
	echo "$a $b" | awk -v n="$1" -v pus="$pus" '{ busy = $3 - $1; idle = $4 - $2
		exit !(busy + idle > 0 && pus * idle / (busy + idle) >= n - 0.25) }'
}

# quiet_begin N: before a measurement whose effect needs N idle PUs;
# quiet_judged WHAT after it: true when N PUs were idle both before and
# after it, else it says on stderr that WHAT is not judged, and why. What
# a test asserts of a measurement otherwise holds on any machine.
quiet_begin() {
	QUIET_PUS=$1
	QUIET_BEFORE=0
	idle_pus "$QUIET_PUS" && QUIET_BEFORE=1
}
quiet_judged() {
	if [ "$QUIET_BEFORE" = 1 ] && idle_pus "$QUIET_PUS"; then
		return 0
	fi
	plural=s
	[ "$QUIET_PUS" -gt 1 ] || plural=""
	echo "not judged: $1 (it needs $QUIET_PUS idle PU$plural; other work took them: tests in parallel, another build, a neighbour)" >&2
	return 1
}

expect_same() {
	cmp -s "$1" "$2" || fail "$1 and $2 differ: $(diff "$1" "$2" | head -20)"
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	exit 0
}
