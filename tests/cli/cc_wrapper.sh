#!/bin/sh
# mesilab-cc as a user runs it: the build tree's (before 'make install'),
# with no settings, and the one 'make install' writes, with GCC and with
# Clang, in one step and in two (-c, then a link of the objects only), all
# under -Werror: each program runs and writes its trace. A wrapper that
# finds no runtime, or a runtime other than mesilab's, fails to link,
# saying why, instead of building a program that runs untraced.
. "$TESTLIB"

: "${MESILAB_CC_BIN:?}" "${TRACER_PROGRAMS:?}"
unset MESILAB_CC MESILAB_CXX
ulimit -f 200000

# cc_works COMPILER: whether COMPILER and its thread sanitizer's
# instrumentation are here.
cc_works() {
	printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
	timeout -k 5 60 "$1" -fsanitize=thread -c -x c "$WORK/probe.c" -o "$WORK/probe.o" 2>/dev/null
}
compilers=""
for c in gcc clang; do
	if cc_works $c; then
		compilers="$compilers $c"
	else
		echo "no $c with -fsanitize=thread: its cases skipped" >&2
	fi
done
[ -n "$compilers" ] || { echo "no compiler with -fsanitize=thread: skipped" >&2; exit 77; }

# wrap WRAPPER COMPILER ARGS...: WRAPPER run with COMPILER under -Werror,
# its stderr in $WORK/err, its status in $status.
wrap() {
	w=$1 c=$2
	shift 2
	MESILAB_CC=$c timeout -k 5 120 "$w" -Werror "$@" 2>"$WORK/err"
	status=$?
	return "$status"
}

# traces WHAT PROGRAM: PROGRAM (falseshare.c, 1000 increments a thread)
# runs and writes a trace holding each thread's loads and stores.
traces() {
	rm -f "$WORK/t.trace"
	MESILAB_TRACE="$WORK/t.trace" timeout -k 5 60 "$2" 8 1000 >"$WORK/prog.out" 2>"$WORK/prog.err" ||
		{ fail "$1: the program failed: $(cat "$WORK/prog.err")"; return; }
	[ -f "$WORK/t.trace" ] || { fail "$1: the program ran untraced, writing no trace: $(cat "$WORK/prog.err")"; return; }
	run trace info "$WORK/t.trace" --csv
	expect_status 0
	for t in 1 2; do
		awk -F, -v t=$t '$1 == t { found = $3 == 1002 && $4 == 1000 } END { exit !found }' "$WORK/out" ||
			fail "$1: thread $t's records, expected 1002 reads and 1000 writes: $(cat "$WORK/out")"
	done
}

# builds WRAPPER WHERE: falseshare.c built by WRAPPER with each compiler,
# in one step and in two; each program traces.
builds() {
	for c in $compilers; do
		what="$2, $c"
		wrap "$1" "$c" -O2 -pthread -o "$WORK/one" "$TRACER_PROGRAMS/falseshare.c"
		if [ "$status" -eq 0 ]; then
			traces "$what, one step" "$WORK/one"
		else
			fail "$what, one step: $(cat "$WORK/err")"
		fi
		wrap "$1" "$c" -O2 -pthread -c -o "$WORK/fs.o" "$TRACER_PROGRAMS/falseshare.c" ||
			fail "$what, -c: $(cat "$WORK/err")"
		wrap "$1" "$c" -pthread -o "$WORK/two" "$WORK/fs.o"
		if [ "$status" -eq 0 ]; then
			traces "$what, -c then a link" "$WORK/two"
		else
			fail "$what, the link of the object: $(cat "$WORK/err")"
		fi
		printf '%s\n' "$WORK/fs.o" >"$WORK/objects"
		wrap "$1" "$c" -pthread -o "$WORK/two" "@$WORK/objects" ||
			fail "$what, the link of the object named in a response file: $(cat "$WORK/err")"
		rm -f "$WORK/one" "$WORK/two" "$WORK/fs.o"
	done
}

# With the settings the other tracer tests give it (the build tree's
# runtime, named), then as a newcomer runs it, with none.
builds "$MESILAB_CC_BIN" "the build tree's wrapper, with MESILAB_TRACER_*"
unset MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR MESILAB_TRACER_INCLUDE
builds "$MESILAB_CC_BIN" "the build tree's wrapper, without MESILAB_TRACER_*"

# Installed, under a prefix of the test's own (every directory the
# install writes to under it, whatever configure was told).
inst=$WORK/inst
(cd "${MESILAB_CC_BIN%/*}" && MAKEFLAGS="" timeout -k 5 300 make install prefix="$inst" exec_prefix="$inst" \
	bindir="$inst/bin" libdir="$inst/lib" includedir="$inst/include" datarootdir="$inst/share" \
	datadir="$inst/share" mandir="$inst/share/man" docdir="$inst/share/doc") >"$WORK/install.log" 2>&1 ||
	fail "make install: $(tail -5 "$WORK/install.log")"
grep -F -q "$inst/lib/libmesilab-trace.a" "$inst/bin/mesilab-cc" ||
	fail "the installed wrapper does not link the installed runtime: $(grep -n 'TRACER_LIB' "$inst/bin/mesilab-cc")"
builds "$inst/bin/mesilab-cc" "the installed wrapper"

# Clang: a source file whatever its name after -x LANGUAGE is compiled
# with the loads its stores follow (1002 reads a thread, not 2).
case " $compilers " in
*" clang "*)
	cp "$TRACER_PROGRAMS/falseshare.c" "$WORK/falseshare.src"
	wrap "$MESILAB_CC_BIN" clang -O2 -pthread -o "$WORK/prog" -x c "$WORK/falseshare.src" -x none ||
		fail "clang, -x c: $(cat "$WORK/err")"
	traces "clang, -x c" "$WORK/prog"
	rm -f "$WORK/prog"
	;;
esac

# expect_link_error WHAT TEXT: the link failed, saying TEXT on one line,
# and left no program.
expect_link_error() {
	[ "$status" -ne 0 ] || fail "$1: linked (status 0)"
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "$1: expected one line, got: $(cat "$WORK/err")"
	grep -F -q -- "$2" "$WORK/err" || fail "$1: expected '$2', got: $(cat "$WORK/err")"
	[ ! -e "$WORK/prog" ] || fail "$1: left a program"
	rm -f "$WORK/prog"
}

# No runtime where the wrapper looks (as before 'make' or 'make install'):
# one line naming it and how to fix it; compiling alone needs none.
export MESILAB_TRACER_LIB="$WORK/none/libmesilab-trace.a" MESILAB_TRACER_TSAN_DIR="$WORK/none"
for c in $compilers; do
	wrap "$MESILAB_CC_BIN" "$c" -pthread -o "$WORK/prog" "$TRACER_PROGRAMS/falseshare.c"
	expect_link_error "$c, no runtime" "mesilab-cc: mesilab's tracing runtime is missing ($WORK/none/"
	grep -F -q "build mesilab (make) or install it (make install)" "$WORK/err" || fail "$c, no runtime: no remedy said"
	wrap "$MESILAB_CC_BIN" "$c" -c -o "$WORK/fs.o" "$TRACER_PROGRAMS/falseshare.c" ||
		fail "$c, no runtime, -c: $(cat "$WORK/err")"
done
unset MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR

# The thread sanitizer's own runtime where mesilab's should be: the link
# fails, naming mesilab's. GCC's static one is refused at once.
real=$(timeout -k 5 60 gcc -print-file-name=libtsan.so 2>/dev/null)
case $real in
/*)
	[ -e "$real" ] || fail "gcc -print-file-name=libtsan.so: $real does not exist"
	mkdir "$WORK/real" && ln -s "$real" "$WORK/real/libtsan.so"
	export MESILAB_TRACER_LIB="$real" MESILAB_TRACER_TSAN_DIR="$WORK/real"
	for c in $compilers; do
		wrap "$MESILAB_CC_BIN" "$c" -pthread -o "$WORK/prog" "$TRACER_PROGRAMS/falseshare.c"
		[ "$status" -ne 0 ] || fail "$c, the sanitizer's runtime: linked (status 0)"
		grep -q "mesilab_trace_runtime" "$WORK/err" || fail "$c, the sanitizer's runtime: $(cat "$WORK/err")"
		[ ! -e "$WORK/prog" ] || fail "$c, the sanitizer's runtime: left a program"
		rm -f "$WORK/prog"
	done
	unset MESILAB_TRACER_LIB MESILAB_TRACER_TSAN_DIR
	;;
*) echo "GCC has no libtsan.so: linking it instead not tested" >&2 ;;
esac
case " $compilers " in
*" gcc "*)
	wrap "$MESILAB_CC_BIN" gcc -static-libtsan -pthread -o "$WORK/prog" "$TRACER_PROGRAMS/falseshare.c"
	expect_link_error "-static-libtsan" "-static-libtsan links the thread sanitizer's own runtime"
	;;
esac

finish
