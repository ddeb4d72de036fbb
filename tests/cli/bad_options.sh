#!/bin/sh
# Bad usage and bad input: one clear line on stderr, exit status 2.
. "$TESTLIB"

run nosuch
expect_error 2 "unknown command 'nosuch' (expected one of: topo, bench, trace, sim, explain, sweep, fleet, verify, run, compare, baseline, plot, report, help"

run --bogus
expect_error 2 "unknown option '--bogus'"

run topo --bogus
expect_error 2 "unknown option '--bogus' (see 'mesilab topo --help')"

run topo -x
expect_error 2 "unknown option '-x'"

run topo -o
expect_error 2 "option '-o' needs an argument"

run topo --synthetic
expect_error 2 "option '--synthetic' needs an argument"

run topo extra
expect_error 2 "unexpected operand 'extra'"

run topo --input a.xml --synthetic "pack:1 pu:1"
expect_error 2 "--input and --synthetic cannot be used together"

run topo --synthetic "pack:two pu:1"
expect_error 2 'invalid synthetic topology "pack:two pu:1"'

run topo --input /nonexistent/lab.xml
expect_error 2 "/nonexistent/lab.xml: cannot open"

run topo --input "$TESTDATA/topo-broken.xml"
expect_error 2 "topo-broken.xml: not a valid hwloc XML topology"

run run --only nosuch
expect_error 2 "unknown 'nosuch' in --only"

run run --skip topo,nosuch
expect_error 2 "unknown 'nosuch' in --skip"

# -o naming an existing file: the error names it and nothing is written.
: >"$WORK/a-file"
run topo --synthetic "pack:1 core:2 pu:1" -o "$WORK/a-file" --csv
expect_status 2
grep -q "a-file: not a directory" "$WORK/err" || fail "the error does not name the file: $(cat "$WORK/err")"
[ ! -s "$WORK/a-file" ] || fail "the file given to -o was written to"

finish
