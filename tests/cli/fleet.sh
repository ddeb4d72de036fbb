#!/bin/sh
# fleet: stored run directories of five machines, four of one model (one
# of them with its memory latency degraded by half) and one of another:
# the odd figure is flagged, beyond its own noise, and the other model is
# grouped apart, not compared.
. "$TESTLIB"

: "${REFERENCE:?}"
F="$WORK/lab"
# machine NAME FACTOR MEMORY_FACTOR [CPU]: the reference run, its
# latencies scaled by FACTOR and its memory latency by MEMORY_FACTOR more.
machine() {
	d="$F/$1"
	mkdir -p "$d"
	cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$d/" || fail "copying the reference run"
	awk -F, -v OFS=, -v f="$2" -v mf="$3" 'NR > 1 { $2 = sprintf("%.2f", $2 * f * ($1 == "memory" ? mf : 1)) } { print }' \
		"$REFERENCE/levels.csv" >"$d/levels.csv"
	awk -F, -v OFS=, -v f="$2" -v mf="$3" 'NR > 1 { $5 = sprintf("%.3f", $5 * f * ($1 > 8388608 ? mf : 1)) } { print }' \
		"$REFERENCE/latency.csv" >"$d/latency.csv"
	if [ $# -ge 4 ]; then
		sed "s/\"cpu_model\": *\"[^\"]*\"/\"cpu_model\": \"$4\"/" "$REFERENCE/meta.json" >"$d/meta.json"
	fi
}
machine node1 1.00 1
machine node2 1.01 1
machine node3 0.99 1.5
machine node4 1.02 1
machine other 0.80 0.9 "Another CPU 9000"

run fleet "$F"
expect_status 0
expect_out_contains "5 machines in 2 groups; 1 figure stands out"
grep -q "^node3,1,memory_latency_ns,.*,yes$" "$F/fleet/fleet-flags.csv" || fail "flags: $(cat "$F/fleet/fleet-flags.csv")"
[ "$(tail -n +2 "$F/fleet/fleet-flags.csv" | wc -l)" -eq 1 ] || fail "more than the degraded figure flagged: $(cat "$F/fleet/fleet-flags.csv")"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == "other" && $c["group"] == 2 { ok = 1 } END { exit !ok }' \
	"$F/fleet/fleet.csv" || fail "the other CPU is not a group of its own: $(cut -d, -f1-4 "$F/fleet/fleet.csv")"
grep -q "node3: memory\\\\_latency\\\\_ns .* above its group's median .* beyond its own run-to-run noise" "$F/fleet/fleet.md" ||
	fail "fleet.md does not say it: $(grep -n node3 "$F/fleet/fleet.md")"
grep -q "too few to tell an odd one" "$F/fleet/fleet.md" || fail "a group of one compared"
[ -s "$F/fleet/fleet.html" ] || fail "no fleet.html"

# One machine, as the README's tour makes: said in the singular.
mkdir -p "$WORK/one/node"
cp "$REFERENCE"/*.csv "$REFERENCE"/meta.json "$WORK/one/node/" || fail "copying the reference run"
run fleet "$WORK/one"
expect_status 0
expect_out_contains "1 machine in 1 group; 0 figures stand out"
grep -q "^1 machine in 1 group of the same CPU" "$WORK/one/fleet/fleet.md" || fail "fleet.md: $(grep -n "group of" "$WORK/one/fleet/fleet.md")"
if command -v gnuplot >/dev/null 2>&1; then
	[ -s "$F/fleet/figures/fleet-latency-1.png" ] && [ -s "$F/fleet/figures/fleet-latency-2.png" ] ||
		fail "staircases: $(ls "$F/fleet/figures" 2>&1)"
fi
# The report's own directory is not a machine.
run fleet "$F" --csv
expect_status 0
[ "$(wc -l <"$WORK/out")" -eq 2 ] || fail "--csv: $(cat "$WORK/out")"

mkdir "$WORK/empty"
run fleet "$WORK/empty"
expect_error 2 "no run directories"
run fleet "$WORK/nosuch"
expect_error 2 "nosuch"

finish
