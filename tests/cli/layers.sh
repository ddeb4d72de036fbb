#!/bin/sh
# The layers point down. Every #include "..." of a room's sources is an
# arrow from the including file's room to the room of the header it names;
# the test fails, naming the file, the include and the rule, on an arrow
# the table below does not allow, on rooms that include each other round a
# cycle, and on files that do (a file here is a .c and its .h together:
# lib/error.c including interrupt.h while interrupt.h includes error.h is
# a cycle of lib/error and lib/interrupt). It reads includes only: two
# files calling each other through a third's header are not seen. The
# check is tried first on a made-up tree with one of each problem;
# LAYERS_SRCDIR checks another tree than this one.
. "$TESTLIB"

# The rooms, lowest first, each with the rooms it may include from (its
# own headers always). A header is looked for in the including file's own
# folder, then in the rooms' folders in this order, as the compiler does
# with the -I options of Makefile.am (lib first). A subfolder belongs to
# its room (sim/protocols is sim). A new room is one line here.
ROOMS='
lib
trace    lib
tracer   trace lib
sim      trace lib
bench    trace lib
plot     lib
analysis plot lib
sweep    sim plot trace lib
cli      sweep analysis plot bench sim tracer trace lib
'

# check TREE TABLE OUT: the problems of the sources of TREE under TABLE,
# one a line, into OUT.
check() {
	rooms=$(echo "$2" | awk 'NF { print $1 }')
	# Every top folder that holds sources is a room of the table (tests
	# and examples are not rooms, nor a build tree made in the sources).
	for dir in "$1"/*/; do
		name=$(basename "$dir")
		case " tests examples " in *" $name "*) continue ;; esac
		[ ! -f "$dir/config.status" ] || continue
		for file in "$dir"*.c "$dir"*.h; do
			[ -e "$file" ] || continue
			echo "$rooms" | grep -qx "$name" ||
				echo "$name/ holds sources but is no room of the table (add a line: $name, then the rooms it may include from)"
			break
		done
	done >"$3.unsorted"
	present=""
	for room in $rooms; do
		[ ! -d "$1/$room" ] || present="$present $room"
	done
	(cd "$1" && find $present -name '*.[ch]' | LC_ALL=C sort) >"$WORK/files"
	awk -v rooms="$2" -v srcdir="$1" '
function room_of(path) { sub(/\/.*/, "", path); return path }
function dir_of(path) { sub(/\/[^\/]*$/, "", path); return path }
function module_of(path) { sub(/\.[ch]$/, "", path); return path }

# The header an include names, as a path of the tree, or "" when it is
# no source of a room (a generated header, a system one).
function resolve(from, name,   k) {
	if ((dir_of(from) "/" name) in exists)
		return dir_of(from) "/" name
	for (k = 1; k <= nrooms; k++)
		if ((order[k] "/" name) in exists)
			return order[k] "/" name
	return name in exists ? name : ""
}

# The strongly connected components (Tarjan) of the graph KIND from U: every
# component of more than one node is a cycle, reported with the arrows
# that make it.
function strong(u, kind,   k, v, w, n, i, j, list, arrows) {
	idx[kind, u] = low[kind, u] = ++counter
	stack[++depth] = u
	onstack[kind, u] = 1
	for (k = 1; k <= deg[kind, u]; k++) {
		v = head[kind, u, k]
		if (!((kind, v) in idx)) {
			strong(v, kind)
			if (low[kind, v] < low[kind, u])
				low[kind, u] = low[kind, v]
		} else if (onstack[kind, v] && idx[kind, v] < low[kind, u]) {
			low[kind, u] = idx[kind, v]
		}
	}
	if (low[kind, u] != idx[kind, u])
		return
	n = 0
	do {
		w = stack[depth--]
		onstack[kind, w] = 0
		member[++n] = w
		component[kind, w] = u
	} while (w != u)
	if (n < 2)
		return
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && member[j] < member[j - 1]; j--) {
			w = member[j]; member[j] = member[j - 1]; member[j - 1] = w
		}
	list = arrows = ""
	for (i = 1; i <= n; i++) {
		list = list ", " member[i]
		for (k = 1; k <= deg[kind, member[i]]; k++)
			if (component[kind, head[kind, member[i], k]] == u)
				arrows = arrows "; " why[kind, member[i], head[kind, member[i], k]]
	}
	print (kind == "table" ? "the table lets rooms include each other round a cycle" : \
	       kind == "room" ? "rooms in a cycle" : "files in a cycle") ": " substr(list, 3) " (" substr(arrows, 3) ")"
}

function arrow(kind, a, b, reason) {
	if (a == b || ((kind, a, b) in why))
		return
	why[kind, a, b] = reason
	head[kind, a, ++deg[kind, a]] = b
	if (!((kind, a) in node)) {
		node[kind, a] = 1
		nodes[kind] = nodes[kind] " " a
	}
}

BEGIN {
	nlines = split(rooms, line, "\n")
	for (i = 1; i <= nlines; i++) {
		n = split(line[i], word, " ")
		if (n == 0)
			continue
		order[++nrooms] = word[1]
		for (k = 2; k <= n; k++) {
			allowed[word[1], word[k]] = 1
			arrow("table", word[1], word[k], "the table lets " word[1] " include from " word[k])
		}
	}
}

{ files[++nfiles] = $0; exists[$0] = 1 }

END {
	for (f = 1; f <= nfiles; f++) {
		from = files[f]
		path = srcdir "/" from
		no = 0
		while ((getline text < path) > 0) {
			no++
			if (text !~ /^[ \t]*#[ \t]*include[ \t]*"/)
				continue
			name = text
			sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", name)
			sub(/".*/, "", name)
			to = resolve(from, name)
			if (to == "")
				continue
			a = room_of(from)
			b = room_of(to)
			if (a != b && !((a, b) in allowed)) {
				rule = ""
				for (k = 1; k <= nrooms; k++)
					if ((a, order[k]) in allowed)
						rule = rule " " order[k]
				print from ":" no ": #include \"" name "\" (" to "): " a " may not include from " b \
					" (the table lets " a " include from" (rule == "" ? " no other room" : rule) ")"
			}
			arrow("room", a, b, from " includes \"" name "\"")
			arrow("file", module_of(from), module_of(to), from " includes \"" name "\"")
		}
		close(path)
	}
	split("table room file", kinds, " ")
	for (k = 1; k <= 3; k++) {
		n = split(nodes[kinds[k]], list, " ")
		for (i = 1; i <= n; i++)
			if (!((kinds[k], list[i]) in idx))
				strong(list[i], kinds[k])
	}
}
' "$WORK/files" >>"$3.unsorted"
	LC_ALL=C sort "$3.unsorted" >"$3"
}

# The check itself first, on a tree made with one of each problem (and a
# table that allows a cycle).
T="$WORK/tree"
mkdir -p "$T/lib" "$T/trace" "$T/cli" "$T/extra" "$T/examples" "$T/build"
printf '#include "interrupt.h"\n' >"$T/lib/error.c"
: >"$T/lib/error.h"
printf '#include <stdio.h>\n#include "error.h"\n' >"$T/lib/interrupt.h"
printf '#include "trace.h"\n#include "git-revision.h"\n' >"$T/lib/csv.c"
: >"$T/trace/trace.h"
printf '#include "commands.h"\n' >"$T/trace/merge.c"
printf '#include "merge.h"\n' >"$T/cli/commands.h"
: >"$T/trace/merge.h"
: >"$T/extra/x.c"
: >"$T/examples/y.c"
: >"$T/build/config.h"
: >"$T/build/config.status"
check "$T" '
lib
trace lib cli
cli   trace lib
' "$WORK/tree.problems"
cat >"$WORK/tree.expected" <<'EOF'
extra/ holds sources but is no room of the table (add a line: extra, then the rooms it may include from)
files in a cycle: cli/commands, trace/merge (cli/commands.h includes "merge.h"; trace/merge.c includes "commands.h")
files in a cycle: lib/error, lib/interrupt (lib/error.c includes "interrupt.h"; lib/interrupt.h includes "error.h")
lib/csv.c:1: #include "trace.h" (trace/trace.h): lib may not include from trace (the table lets lib include from no other room)
rooms in a cycle: cli, trace (cli/commands.h includes "merge.h"; trace/merge.c includes "commands.h")
the table lets rooms include each other round a cycle: cli, trace (the table lets cli include from trace; the table lets trace include from cli)
EOF
expect_same "$WORK/tree.problems" "$WORK/tree.expected"

SRCDIR=${LAYERS_SRCDIR:-$TESTDATA/../..}
[ -d "$SRCDIR/lib" ] || fail "no sources at $SRCDIR"
check "$SRCDIR" "$ROOMS" "$WORK/layers"
while IFS= read -r problem; do
	fail "$problem"
done <"$WORK/layers"

finish
