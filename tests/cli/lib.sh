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
# $WORK/fs.list.
in_fs() {
	mkdir -p "$WORK/fs"
	$NAMESPACE sh -c '
		opts=$1; shift
		mount -t tmpfs -o "$opts" none "$WORK/fs" || exit 99
		"$@" >"$WORK/out" 2>"$WORK/err"
		st=$?
		ls -A "$WORK/fs" >"$WORK/fs.list"
		exit $st' sh "$@" 2>/dev/null
	status=$?
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
