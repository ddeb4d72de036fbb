#!/bin/sh
# No dead functions: every function that a room's library exports (nm on
# the build's archives) is named by code somewhere: an indented line of a
# room's, a unit test's or a fuzz target's sources or headers (a call, a
# table's entry, a pointer), not only by its definition and declaration. A
# function nothing names is listed with its archive. The kernels'
# archives are left out: KERNEL() makes each kernel for both backends,
# whether one is used or not. UNUSED_SRCDIR and UNUSED_BUILDDIR check
# other trees than these.
. "$TESTLIB"

command -v nm >/dev/null 2>&1 || skip "no nm"
SRC=${UNUSED_SRCDIR:-${TESTLIB%/tests/cli/lib.sh}}
BUILD=${UNUSED_BUILDDIR:-$(dirname "$MESILAB")}
ROOMS='lib trace bench sim analysis plot sweep cli'

archives=
for a in mesilab trace bench sim analysis plot sweep cli; do
	[ -f "$BUILD/lib$a.a" ] && archives="$archives $BUILD/lib$a.a"
done
[ -n "$archives" ] || skip "no libraries in $BUILD"

# The indented lines of every source that may name a function, comments
# aside (a line whose first word is /* or *).
sources=$(for d in $ROOMS tests/unit tests/fuzz; do ls "$SRC/$d"/*.[ch] "$SRC/$d"/*/*.[ch] 2>/dev/null; done)
# shellcheck disable=SC2086
grep -h '^[[:space:]]' $sources | grep -v '^[[:space:]]*/\{0,1\}\*' >"$WORK/code"

for a in $archives; do
	timeout -k 5 60 nm --defined-only "$a" | awk -v a="${a##*/}" '
		$2 == "T" { print $3, a }'
done | sort -u >"$WORK/exported"
[ -s "$WORK/exported" ] || fail "nm lists no function in$archives"

while read -r name archive; do
	grep -qw -- "$name" "$WORK/code" || fail "$name ($archive) is called or named by nothing"
done <"$WORK/exported"

finish
