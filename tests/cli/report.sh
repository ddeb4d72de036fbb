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
