#!/bin/sh
# report: report.md and a self-contained report.html from the stored
# reference run; a screenshot in headless Chromium where it is installed.
. "$TESTLIB"

cp -R "$REFERENCE" "$WORK/ref"
if command -v gnuplot >/dev/null 2>&1; then
	"$MESILAB" plot "$WORK/ref" --quiet >/dev/null || fail "plot failed"
fi
run report "$WORK/ref"
expect_status 0
md="$WORK/ref/report.md"
html="$WORK/ref/report.html"
for section in "## Machine and run" "## Memory hierarchy" "## Core-to-core transfers" \
	"## Coherence-state costs" "## False sharing" "## Contention" "## Protocols compared (simulated)"; do
	grep -q "^$section" "$md" || fail "report.md lacks '$section'"
done
grep -q "^- states S: a line in Shared needs a third PU" "$md" || fail "what was unavailable is not said"
grep -Eq "^- falseshare-8: MESI (saved|and MSI issued|issued)" "$md" || fail "MESI against MSI not explained"
grep -q "^- states: MESI saved [0-9.]*% of MSI's bus transactions" "$md" || fail "no MESI saving on the states workload"
grep -q '^| level | latency (ns) |' "$md" || fail "no levels table"
# Self-checks on the reference run: the transfers and the Modified lines'
# costs agree; hwloc's L3 is far larger than the curve shows. Disagreements
# come first.
grep -q "^## Self-checks" "$md" || fail "no self-checks section"
grep -q "^- c2c-vs-states-M agrees: core-to-core transfer 0->1 209.3 ns lies between a load (90.4 ns) and a load and a store (216.5 ns) of a line 1 left Modified" "$md" ||
	fail "the reference run's transfer is not checked against its Modified line"
grep -q "^- levels-vs-hwloc DISAGREES: level 3 ends near 2861491 bytes, but hwloc says L3 holds 532676608 bytes" "$md" ||
	fail "the L3 gap is not a disagreement"
grep -q "^- l1-cycles agrees: L1 latency 1.17 ns is 4.1 cycles" "$md" || fail "L1 cycles not checked"
grep -q "^- memory-vs-states-I agrees: memory latency 102.9 ns from the sweep, 87.9 ns" "$md" || fail "memory not checked"
grep -q "^- bandwidth-vs-latency agrees: every read bandwidth" "$md" || fail "bandwidth not checked"
sed -n '/^## Self-checks/,/^## /p' "$md" | grep '^- ' | head -1 | grep -q DISAGREES || fail "disagreements are not first"
grep -q '<!DOCTYPE html>' "$html" || fail "report.html is not HTML"
# Self-contained: figures inline, nothing fetched.
grep -Eq "(src|href)=\"(https?:)?//" "$html" && fail "report.html refers to the network"
if command -v gnuplot >/dev/null 2>&1; then
	grep -q 'src="data:image/png;base64,iVBORw0KGgo' "$html" || fail "figures are not embedded"
	grep -q '](figures/latency.png)' "$md" || fail "report.md does not show the latency figure"
fi

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
	"$chromium" --headless --no-sandbox --disable-gpu --window-size=1200,4000 \
		--screenshot="$WORK/shot.png" "file://$html" >"$WORK/chromium.log" 2>&1 ||
		fail "chromium could not render report.html: $(tail -3 "$WORK/chromium.log")"
	[ "$(od -An -c -N4 "$WORK/shot.png" 2>/dev/null | tr -d ' ')" = '211PNG' ] || fail "no screenshot"
	[ "$(wc -c <"$WORK/shot.png")" -gt 20000 ] || fail "the screenshot is nearly empty"
fi

# A stored run edited so that one figure contradicts another: the report
# audits the files as they stand.
cp -R "$REFERENCE" "$WORK/edited"
sed 's/^0,1,same-numa,store,209.3,/0,1,same-numa,store,520.0,/' "$REFERENCE/c2c.csv" >"$WORK/edited/c2c.csv"
sed 's/^1,1.17,4.1,/1,4.80,16.7,/' "$REFERENCE/levels.csv" >"$WORK/edited/levels.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "read" && $1 == 4096 { $4 = 9000 } { print }' \
	"$REFERENCE/bandwidth.csv" >"$WORK/edited/bandwidth.csv"
run report "$WORK/edited"
expect_status 0
md="$WORK/edited/report.md"
grep -q "^- c2c-vs-states-M DISAGREES: core-to-core transfer 0->1 520.0 ns, but a load of a line 1 left Modified takes 90.4 ns and a load and a store 216.5 ns: a hand-over is at most the second (2.40x); one of them is not measuring the transfer" "$md" ||
	fail "a transfer slower than a load and a store passed"
grep -q "^- l1-cycles DISAGREES: L1 latency 4.80 ns is 16.7 cycles" "$md" || fail "an implausible L1 passed"
grep -q "^- bandwidth-vs-latency DISAGREES: read bandwidth 9000 GB/s at 4096 bytes per thread (1 threads) would need" "$md" ||
	fail "an impossible bandwidth passed"

# A pair states did not measure, of the same relation by the topology but
# much closer (a hypervisor's vCPUs on one core's SMT siblings): judged
# against states' own pair, which agrees, not against that one.
cp -R "$REFERENCE" "$WORK/siblings"
printf '2,3,same-numa,store,16.0,56,15.8,16.5,100000,0\n' >>"$WORK/siblings/c2c.csv"
run report "$WORK/siblings"
expect_status 0
grep -q "^- c2c-vs-states-M agrees: core-to-core transfer 0->1 209.3 ns" "$WORK/siblings/report.md" ||
	fail "another pair of the same relation judged against states' pair: $(grep c2c-vs "$WORK/siblings/report.md")"

# The same disagreement in a run whose PUs the machine moved (its transfer
# control fell from 230 to 60 ns after c2c): said to be the machine's.
cp -R "$WORK/edited" "$WORK/moved"
printf 'when,control,value,unit,spread\nstart,transfer,230,ns,0.01\nafter-c2c,transfer,60,ns,0.01\nafter-states,transfer,61,ns,0.01\n' \
	>"$WORK/moved/controls.csv"
run report "$WORK/moved"
expect_status 0
grep -q "^- c2c-vs-states-M DISAGREES: core-to-core transfer 0->1 520.0 ns, but a load of a line 1 left Modified takes 90.4 ns: the machine moved its PUs during the run (transfer control 230.0 ns start, 60.0 ns after-c2c)" \
	"$WORK/moved/report.md" || fail "a moved machine not named: $(grep c2c-vs "$WORK/moved/report.md")"

# Bad input: the file and byte, nothing written.
mkdir "$WORK/bad"
printf '{"host": {"hostname": "x",}\n' >"$WORK/bad/meta.json"
run report "$WORK/bad"
expect_error 2 "meta.json: byte 26: expected a member name"
[ ! -e "$WORK/bad/report.md" ] && [ ! -e "$WORK/bad/report.html" ] || fail "a report from a bad run"
run report "$WORK/nosuch"
expect_error 2 "no such run directory"
mkdir "$WORK/empty"
run report "$WORK/empty"
expect_error 2 "not a run directory (no meta.json)"

finish
