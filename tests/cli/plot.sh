#!/bin/sh
# plot: every figure of the stored reference run, drawn by gnuplot without
# a warning, in each format; a partial run; no gnuplot; bad input.
. "$TESTLIB"

command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot is not installed: skipped" >&2; exit 77; }
cp -R "$REFERENCE" "$WORK/ref"

run plot "$WORK/ref"
expect_status 0
grep "gnuplot says" "$WORK/err" && fail "gnuplot warned: $(cat "$WORK/err")"
for f in topology latency bandwidth c2c states falseshare contention falseshare-sim \
	protocols-falseshare-8 protocols-falseshare-64 protocols-c2c protocols-states \
	protocols-contention-tas protocols-contention-ticket; do
	png="$WORK/ref/figures/$f.png"
	[ "$(od -An -c -N4 "$png" 2>/dev/null | tr -d ' ')" = '211PNG' ] || fail "$f.png is missing or not a PNG"
	grep -q "figures/$f.png" "$WORK/out" || fail "$f.png not listed"
done
ls -a "$WORK/ref/figures" | grep -q '^\.plot-' && fail "work files left behind"

run plot "$WORK/ref" --format svg,pdf --quiet
expect_status 0
[ ! -s "$WORK/err" ] || fail "svg/pdf: $(cat "$WORK/err")"
grep -q '<svg' "$WORK/ref/figures/latency.svg" || fail "latency.svg is not SVG"
[ "$(head -c 4 "$WORK/ref/figures/states.pdf")" = '%PDF' ] || fail "states.pdf is not PDF"

# Every pair at the same latency: a colour scale all the same, no warning.
cp -R "$REFERENCE" "$WORK/flat"
awk -F, -v OFS=, 'NR > 1 { $5 = "200.0" } { print }' "$REFERENCE/c2c.csv" >"$WORK/flat/c2c.csv"
run plot "$WORK/flat" --quiet
expect_status 0
[ ! -s "$WORK/err" ] || fail "equal c2c values: $(cat "$WORK/err")"

# A big machine's topology (2 packages, 64 PUs, SMT): drawn without a
# warning, alone, with the other figures skipped.
run topo --synthetic "pack:2 numa:2 l3:1(size=32MiB) l2:8(size=1MiB) l1d:1(size=48KiB) core:1 pu:2" -o "$WORK/big" --csv
run plot "$WORK/big" --format png,svg
expect_status 0
grep "gnuplot says" "$WORK/err" && fail "gnuplot warned on a big topology: $(cat "$WORK/err")"
[ -s "$WORK/big/figures/topology.png" ] && grep -q 'L3 32 MiB' "$WORK/big/figures/topology.svg" ||
	fail "no topology figure for a synthetic machine"

# A run with only its latency: that figure, the others skipped.
mkdir "$WORK/part"
cp "$REFERENCE/meta.json" "$REFERENCE/latency.csv" "$REFERENCE/levels.csv" "$WORK/part/"
run plot "$WORK/part" --csv
expect_status 0
[ "$(cat "$WORK/out")" = "file
$WORK/part/figures/latency.png" ] || fail "a latency-only run: $(cat "$WORK/out")"
grep -q "^not drawn, the run holds no results for them: topology, bandwidth, c2c, " "$WORK/err" ||
	fail "the figures not drawn not named: $(cat "$WORK/err")"
grep "not drawn" "$WORK/err" | grep -Eq "(: |, )latency(,|$)" && fail "the drawn latency said not drawn: $(cat "$WORK/err")"

# A malformed result: the file and line, no figure left half-drawn.
mkdir "$WORK/bad"
cp "$REFERENCE/meta.json" "$WORK/bad/"
printf 'size_bytes,order,pages,latency_ns,latency_ns_p5,latency_ns_p95\n1024,tlb\n' >"$WORK/bad/latency.csv"
run plot "$WORK/bad"
expect_error 2 "latency.csv:2: 2 fields where the header has 6"
[ -z "$(ls -A "$WORK/bad/figures")" ] || fail "files left after a failure: $(ls -A "$WORK/bad/figures")"

# No gnuplot: a clear message, the CSVs untouched.
mkdir "$WORK/nobin"
cp -R "$REFERENCE" "$WORK/plain"
PATH="$WORK/nobin" "$MESILAB" plot "$WORK/plain" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 1 "gnuplot is not installed"
cmp -s "$REFERENCE/latency.csv" "$WORK/plain/latency.csv" || fail "a CSV changed"

run plot "$WORK/nosuch"
expect_error 2 "no such run directory"
run plot "$WORK/ref" --format gif
expect_error 2 "unknown 'gif' in --format (expected png, svg, pdf)"

finish
