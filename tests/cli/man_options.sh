#!/bin/sh
# The man pages list the options each command declares, no more, no less:
# the options of each command's --help (generated from its option rows)
# against the option sections of its man page. Each option missing from a
# page, and each one a page lists that no command of it declares, is named.
. "$TESTLIB"

MANDIR=${TESTLIB%/tests/cli/lib.sh}/man

# declared CMD...: the long names of the options 'mesilab CMD --help' lists.
declared() {
	timeout -k 5 30 "$MESILAB" "$@" --help | awk '
		/^options:/ { on = 1; next }
		on && /^$/ { on = 0 }
		on && /^  / { for (i = 1; i <= NF; i++) if ($i ~ /^--/) { print substr($i, 3); break } }'
}

# sections PAGE REGEX: the text of PAGE's sections whose names match REGEX.
sections() {
	awk -v want="^[.]SH ($2)\$" '/^[.]SH / { on = $0 ~ want } on' "$MANDIR/$1"
}

# listed PAGE REGEX: the long options the items (.TP) of those sections name.
listed() {
	sections "$1" "$2" | awk '
		prev == ".TP" { line = $0; gsub(/\\-/, "-", line)
			while (match(line, /--[a-z0-9][a-z0-9-]*/)) {
				print substr(line, RSTART + 2, RLENGTH - 2)
				line = substr(line, RSTART + RLENGTH)
			} }
		{ prev = $0 }' | sort -u
}

# check PAGE REGEX COMMAND...: each COMMAND ("bench c2c") against PAGE.
check() {
	page=$1
	want=$2
	shift 2
	[ -f "$MANDIR/$page" ] || { fail "no man page $page"; return; }
	listed "$page" "$want" >"$WORK/listed"
	: >"$WORK/all"
	for cmd in "$@"; do
		# shellcheck disable=SC2086
		declared $cmd >"$WORK/declared"
		[ -s "$WORK/declared" ] || fail "'mesilab $cmd --help' lists no option"
		cat "$WORK/declared" >>"$WORK/all"
		while read -r option; do
			[ "$option" = help ] && continue
			grep -qx -- "$option" "$WORK/listed" ||
				fail "$page ($want) does not list 'mesilab $cmd --$option'"
		done <"$WORK/declared"
	done
	while read -r option; do
		grep -qx -- "$option" "$WORK/all" || fail "$page ($want) lists --$option, which no command of it declares"
	done <"$WORK/listed"
}

for cmd in topo sim explain fleet verify run compare plot report; do
	check "mesilab-$cmd.1" OPTIONS "$cmd"
done
check mesilab-sweep.1 'SETTINGS|OPTIONS' sweep
check mesilab-baseline.1 OPTIONS 'baseline add' 'baseline list'
# Every benchmark 'mesilab bench --help' lists, so that a new one is
# checked without a line here.
benchmarks=$("$MESILAB" bench --help | awk '/^subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$benchmarks" ] || fail "no benchmark listed by 'mesilab bench --help'"
set --
for b in $benchmarks; do
	set -- "$@" "bench $b"
done
check mesilab-bench.1 OPTIONS "$@"
check mesilab-trace.1 'WORKLOADS|OPTIONS' 'trace info' 'trace cat' 'trace pack' 'trace import' \
	'trace bench' 'trace latency' 'trace bandwidth' 'trace falseshare' 'trace mix' 'trace c2c' \
	'trace states' 'trace contention'

finish
