#!/bin/sh
# Outputs that are not regular files are written through, as a shell's
# redirection would, and never replaced: a null device (made for the test,
# as root), a FIFO with its reader, a symbolic link (its target written,
# the link kept), for mesilab's own traces and for a traced program's
# MESILAB_TRACE; nothing is left beside them.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}" "${TRACER_PROGRAMS:?}"
export MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE

mkdir "$WORK/dst"
# A null device of the test's own (never /dev/null: were the code wrong,
# the machine's would become a file). Where devices cannot be made (not
# root) or opened (a nodev mount), the FIFO and link cases still run.
null=""
if mknod "$WORK/dst/null" c 1 3 2>/dev/null && : >"$WORK/dst/null" 2>/dev/null; then
	null="$WORK/dst/null"
else
	echo "no device of the test's own (not root, or a nodev mount): the device cases are not run" >&2
fi

# still_a KIND PATH CASE: PATH is still a character device (c), a FIFO (p)
# or a link (l).
still_a() {
	case $1 in
	c) [ -c "$2" ] ;;
	p) [ -p "$2" ] ;;
	l) [ -L "$2" ] ;;
	esac || fail "$3: $2 is no longer what it was ($1): $(ls -l "$2" 2>&1)"
}

# through_fifo CASE CMD...: CMD writes into the FIFO $WORK/dst/fifo, which
# a reader copies into $WORK/copy; both within 60 s.
through_fifo() {
	name=$1
	shift
	rm -f "$WORK/dst/fifo" "$WORK/copy"
	mkfifo "$WORK/dst/fifo"
	timeout -k 5 60 cat "$WORK/dst/fifo" >"$WORK/copy" &
	reader=$!
	(
		ulimit -f 200000
		exec timeout -k 5 60 "$@"
	) >"$WORK/cmd.out" 2>"$WORK/cmd.err" || fail "$name: exit $?: $(cat "$WORK/cmd.err")"
	wait "$reader" || fail "$name: the FIFO's reader failed"
	still_a p "$WORK/dst/fifo" "$name"
	[ -s "$WORK/copy" ] || fail "$name: nothing came through the FIFO"
}

# Traces mesilab writes.
if [ -n "$null" ]; then
	run trace falseshare --threads 2 --distance 8 -o "$null"
	expect_status 0
	still_a c "$null" "trace -o a device"
	run trace import --from interleaved "$TESTDATA/order/course8.txt" -o "$null"
	expect_status 0
	still_a c "$null" "trace import -o a device"
fi
through_fifo "trace -o a FIFO" "$MESILAB" trace falseshare --threads 2 --distance 8 -o "$WORK/dst/fifo"
"$MESILAB" trace info "$WORK/copy" >/dev/null 2>&1 || fail "trace -o a FIFO: what came through is no trace"

"$MESILAB" trace falseshare --threads 2 --distance 8 -o "$WORK/dst/real.trace" 2>/dev/null || fail "trace -o a file"
ln -s real.trace "$WORK/dst/link.trace"
run trace falseshare --threads 2 --distance 16 -o "$WORK/dst/link.trace"
expect_status 0
still_a l "$WORK/dst/link.trace" "trace -o a link"
"$MESILAB" trace info "$WORK/dst/real.trace" >/dev/null 2>&1 || fail "trace -o a link: its target is no trace"

# A traced program's MESILAB_TRACE.
"$MESILAB_CC_BIN" -O2 -o "$WORK/fsprog" "$TRACER_PROGRAMS/falseshare.c" 2>"$WORK/err" || fail "mesilab-cc: $(cat "$WORK/err")"
if [ -n "$null" ]; then
	MESILAB_TRACE="$null" timeout -k 5 60 "$WORK/fsprog" 8 1000 >/dev/null 2>"$WORK/prog.err" ||
		fail "a traced program writing to a device: $(cat "$WORK/prog.err")"
	still_a c "$null" "MESILAB_TRACE a device"
fi
through_fifo "MESILAB_TRACE a FIFO" env MESILAB_TRACE="$WORK/dst/fifo" "$WORK/fsprog" 8 1000
"$MESILAB" trace info "$WORK/copy" >/dev/null 2>&1 || fail "MESILAB_TRACE a FIFO: what came through is no trace"
ln -s prog-real.trace "$WORK/dst/prog-link.trace"
MESILAB_TRACE="$WORK/dst/prog-link.trace" timeout -k 5 60 "$WORK/fsprog" 8 1000 >/dev/null 2>"$WORK/prog.err" ||
	fail "a traced program writing through a dangling link: $(cat "$WORK/prog.err")"
still_a l "$WORK/dst/prog-link.trace" "MESILAB_TRACE a link"
"$MESILAB" trace info "$WORK/dst/prog-real.trace" >/dev/null 2>&1 || fail "MESILAB_TRACE a link: no trace at its target"

# Nothing hidden left beside the outputs.
left=$(ls -A "$WORK/dst" | grep '^\.' || true)
[ -z "$left" ] || fail "files left beside the outputs: $left"
finish
