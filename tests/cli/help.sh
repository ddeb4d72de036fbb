#!/bin/sh
# help: the command list, per-command help, and 'help COMMAND'.
. "$TESTLIB"

run help
expect_status 0
for cmd in topo bench trace sim verify run compare baseline help; do
	grep -q "^  $cmd " "$WORK/out" || fail "'mesilab help' does not list $cmd"
done

run --help
expect_status 0
expect_out_contains "usage: mesilab"

run topo --help
expect_status 0
expect_out_contains "usage: mesilab topo [options]"
expect_out_contains "--synthetic DESC"
expect_out_contains "-o, --output DIR"
expect_out_contains "--csv"
cp "$WORK/out" "$WORK/topo-help"

run help topo
expect_status 0
expect_same "$WORK/out" "$WORK/topo-help"

run topo -h
expect_status 0
expect_same "$WORK/out" "$WORK/topo-help"

run run --help
expect_status 0
expect_out_contains "--quick"
expect_out_contains "--only LIST"

run help nosuch
expect_error 2 "unknown command 'nosuch'"

# No command at all: the list goes to stderr and the status says bad usage.
run
expect_status 2
grep -q "^commands:" "$WORK/err" || fail "no command list on stderr"

finish
