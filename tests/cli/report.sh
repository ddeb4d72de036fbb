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
grep -q "^- c2c-vs-states-M agrees: core-to-core transfer 0-\\\\>1 209.3 ns lies between a load (90.4 ns) and a load and a store (216.5 ns) of a line 1 left Modified" "$md" ||
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
	grep -q '](<figures/latency.png>)' "$md" || fail "report.md does not show the latency figure"
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
grep -q "^- c2c-vs-states-M DISAGREES: core-to-core transfer 0-\\\\>1 520.0 ns, but a load of a line 1 left Modified takes 90.4 ns and a load and a store 216.5 ns: a hand-over is at most the second (2.40x); one of them is not measuring the transfer" "$md" ||
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
grep -q "^- c2c-vs-states-M agrees: core-to-core transfer 0-\\\\>1 209.3 ns" "$WORK/siblings/report.md" ||
	fail "another pair of the same relation judged against states' pair: $(grep c2c-vs "$WORK/siblings/report.md")"

# The same disagreement in a run whose PUs the machine moved (its transfer
# control fell from 230 to 60 ns after c2c): said to be the machine's.
cp -R "$WORK/edited" "$WORK/moved"
printf 'when,control,value,unit,spread\nstart,transfer,230,ns,0.01\nafter-c2c,transfer,60,ns,0.01\nafter-states,transfer,61,ns,0.01\n' \
	>"$WORK/moved/controls.csv"
run report "$WORK/moved"
expect_status 0
grep -q "^- c2c-vs-states-M DISAGREES: core-to-core transfer 0-\\\\>1 520.0 ns, but a load of a line 1 left Modified takes 90.4 ns: the machine moved its PUs during the run (transfer control 230.0 ns start, 60.0 ns after-c2c)" \
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

# A run directory is untrusted input: its host name, command line, CPU
# model and CSV cells are plain text in report.md and fleet.md (no block of
# their own, no raw HTML, no javascript: link) and in the HTML pages.
hostile() {
	sed 's|"hostname": "[^"]*"|"hostname": "x\\n# Owned\\n<script>alert(1)</script> [a](javascript:alert(1))"|
		s|"command_line": "[^"]*"|"command_line": "x\\n# Owned\\n<script>alert(1)</script> [a](javascript:alert(1))"|
		s|"cpu_model": "[^"]*"|"cpu_model": "x\\n# Owned\\n<script>alert(1)</script> [a](javascript:alert(1))"|' \
		"$REFERENCE/meta.json" >"$1/meta.json"
	awk -F, -v OFS=, 'NR == 2 { $5 = "\"x\n# Owned\n<script>alert(1)</script> [a](javascript:alert(1))\"" } { print }' \
		"$REFERENCE/levels.csv" >"$1/levels.csv"
}
# no_markup MD HTML: what the hostile texts must not become.
no_markup() {
	! grep -n '^ *# Owned' "$1" || fail "$1: the text started a heading of its own"
	! grep -En '(^|[^\\])<script' "$1" || fail "$1: raw HTML from the run directory"
	! grep -En '(^|[^\\])\]\(javascript:' "$1" || fail "$1: a javascript: link"
	! grep -n '<script' "$2" || fail "$2: raw HTML from the run directory"
	! grep -in '="javascript:' "$2" || fail "$2: a javascript: link"
}
cp -R "$REFERENCE" "$WORK/hostile"
hostile "$WORK/hostile"
run report "$WORK/hostile"
expect_status 0
no_markup "$WORK/hostile/report.md" "$WORK/hostile/report.html"
grep -q '^- Host: x # Owned \\<script\\>alert(1)\\</script\\> \\\[a\\\](javascript:alert(1)),' "$WORK/hostile/report.md" ||
	fail "the host name is not said as text: $(grep -n 'Host:' "$WORK/hostile/report.md")"
mkdir -p "$WORK/hostile-lab/node1"
cp "$REFERENCE"/*.csv "$WORK/hostile-lab/node1/"
hostile "$WORK/hostile-lab/node1"
run fleet "$WORK/hostile-lab"
expect_status 0
no_markup "$WORK/hostile-lab/fleet/fleet.md" "$WORK/hostile-lab/fleet/fleet.html"

# How the run ended, from its meta.json: a run killed mid-way (status
# "running", its process gone) and an interrupted one say they did not
# complete; so does a run still going on another host.
gone=$(sh -c 'echo $$')
for end in killed interrupted elsewhere; do
	cp -R "$REFERENCE" "$WORK/$end"
	case $end in
	killed) sed "s/\"status\": \"complete\",/\"status\": \"running\", \"pid\": $gone,/; s/\"hostname\": \"[^\"]*\"/\"hostname\": \"$(uname -n)\"/" \
		"$REFERENCE/meta.json" >"$WORK/$end/meta.json" ;;
	interrupted) sed 's/"status": "complete"/"status": "interrupted"/' "$REFERENCE/meta.json" >"$WORK/$end/meta.json" ;;
	elsewhere) sed 's/"status": "complete"/"status": "running"/' "$REFERENCE/meta.json" >"$WORK/$end/meta.json" ;;
	esac
	run report "$WORK/$end"
	expect_status 0
	grep -q "^This run did not complete: " "$WORK/$end/report.md" ||
		fail "$end: the report does not say the run did not complete: $(sed -n 3,5p "$WORK/$end/report.md")"
	grep -q "^- Command: .*; did not complete (see above)$" "$WORK/$end/report.md" ||
		fail "$end: the command's line: $(grep '^- Command:' "$WORK/$end/report.md")"
done
grep -q "^This run did not complete: it was killed" "$WORK/killed/report.md" || fail "the killed run: $(sed -n 3,5p "$WORK/killed/report.md")"
grep -q "^This run did not complete: it was interrupted" "$WORK/interrupted/report.md" ||
	fail "the interrupted run: $(sed -n 3,5p "$WORK/interrupted/report.md")"
! grep -q "did not complete" "$WORK/ref/report.md" || fail "a complete run's report says it did not complete"
# A complete run says so, not only by the absence of a warning.
grep -q "^- Command: .*; started .*; completed$" "$WORK/ref/report.md" ||
	fail "a complete run's report does not say it completed: $(grep '^- Command:' "$WORK/ref/report.md")"
# A run's own report, written as it ends: its meta.json says "running"
# while it is written, complete after; the report says nothing is missing.
run run --quick --quiet --only latency,plot,report -o "$WORK/own"
expect_status 0
grep -q '"status": "complete"' "$WORK/own/meta.json" || fail "the run did not complete: $(cat "$WORK/err")"
[ -s "$WORK/own/report.md" ] || fail "the run wrote no report"
! grep -n "did not complete" "$WORK/own/report.md" || fail "a complete run's own report says it did not complete"
grep -q "^- Command: .*; completed$" "$WORK/own/report.md" ||
	fail "a complete run's own report does not say it completed: $(grep '^- Command:' "$WORK/own/report.md")"

# The figures the HTML page embeds are regular files inside the run, of
# a figure's size: a symbolic link to a secret, to /dev/zero, a FIFO, a
# figures directory leading out of the run are linked, never read. Meta
# and CSV files that are FIFOs: one line, at once. Each run bounded.
# bounded CMD...: mesilab CMD in at most 30 s, writing at most 10 MB.
bounded() {
	(ulimit -f 20000 && exec timeout -k 5 30 "$MESILAB" "$@") >"$WORK/out" 2>"$WORK/err"
	status=$?
}
# no_temporaries DIR: no hidden file left behind.
no_temporaries() {
	! ls -A "$1" | grep '^\.' || fail "$1: a temporary file left"
}
marker="mesilab-secret-$$-marker"
printf '%s\n' "$marker" >"$WORK/secret"
cp -R "$REFERENCE" "$WORK/links"
mkdir "$WORK/links/figures"
ln -s "$WORK/secret" "$WORK/links/figures/latency.png"
ln -s /dev/zero "$WORK/links/figures/bandwidth.png"
mkfifo "$WORK/links/figures/c2c.png"
head -c 17000000 /dev/zero >"$WORK/links/figures/states.png"
started=$(date +%s)
bounded report "$WORK/links"
expect_status 0
[ $(($(date +%s) - started)) -le 10 ] || fail "the report took $(($(date +%s) - started)) s"
html="$WORK/links/report.html"
! grep -q "$marker" "$html" || fail "a secret outside the run embedded"
if command -v base64 >/dev/null 2>&1; then
	! grep -q "$(base64 <"$WORK/secret" | head -c 24)" "$html" || fail "a secret outside the run embedded in base64"
fi
for f in latency bandwidth c2c states; do
	grep -q "<a href=\"figures/$f.png\">figures/$f.png</a> (not embedded" "$html" || fail "figures/$f.png is not linked"
done
[ "$(wc -c <"$html")" -lt 1000000 ] || fail "report.html is $(wc -c <"$html") bytes"
no_temporaries "$WORK/links"
no_temporaries "$WORK/links/figures"
mkdir "$WORK/outside"
cp -R "$REFERENCE" "$WORK/linkdir"
printf '%s\n' "$marker" >"$WORK/outside/latency.png"
ln -s "$WORK/outside" "$WORK/linkdir/figures"
bounded report "$WORK/linkdir"
expect_status 0
! grep -q "$marker" "$WORK/linkdir/report.html" || fail "a figures directory outside the run embedded"
for f in meta.json levels.csv; do
	cp -R "$REFERENCE" "$WORK/fifo-$f"
	rm "$WORK/fifo-$f/$f"
	mkfifo "$WORK/fifo-$f/$f"
	bounded report "$WORK/fifo-$f"
	expect_error 2 "$f: a FIFO, not a regular file"
	[ ! -e "$WORK/fifo-$f/report.md" ] || fail "a report from a FIFO $f"
	no_temporaries "$WORK/fifo-$f"
done
# Nor does plot, whose figures the report embeds: one line, and the status
# of bad input (2, as for an oversized CSV).
bounded plot "$WORK/fifo-meta.json" --quiet
expect_error 2 "meta.json: a FIFO, not a regular file: not read"

# A meta.json that lacks what the first section says (another tool's, or
# a hand-edited one): "unknown", never a null pointer printed.
cp -R "$REFERENCE" "$WORK/bare-meta"
grep -v '"start_time"\|"hostname"' "$REFERENCE/meta.json" >"$WORK/bare-meta/meta.json"
run report "$WORK/bare-meta" --quiet
expect_status 0
grep -q "started unknown" "$WORK/bare-meta/report.md" || fail "a missing start time: $(grep -i started "$WORK/bare-meta/report.md")"
grep -q "(null)" "$WORK/bare-meta/report.md" "$WORK/bare-meta/report.html" && fail "a null pointer printed in the report"

finish
