#!/bin/sh
# sim: results files, determinism, statistics that must add up, bad input.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

"$MESILAB" trace falseshare --threads 2 --distance 8 --iterations 2000 >"$WORK/fs8.trace"
"$MESILAB" trace falseshare --threads 2 --distance 64 --iterations 2000 >"$WORK/fs64.trace"

run sim -p msi,mesi,moesi,mesif,dragon,msi-upgr -o "$WORK/run" "$WORK/fs8.trace"
expect_status 0
for f in meta.json sim-summary.csv sim-cores.csv sim-transitions.csv; do
	[ -s "$WORK/run/$f" ] || fail "no $f"
done
expect_out_contains "vs first"
[ "$(wc -l <"$WORK/run/sim-summary.csv")" -eq 7 ] || fail "expected 6 protocol rows"
[ "$(wc -l <"$WORK/run/sim-cores.csv")" -eq 13 ] || fail "expected 12 core rows"
grep -q '"name": "sim.latencies"' "$WORK/run/meta.json" || fail "latencies not recorded"

# Column by name, from the summary CSV: value PROTOCOL COLUMN
value() {
	awk -F, -v p="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == p { print $col[c] }' "$WORK/run/sim-summary.csv"
}
for p in msi mesi moesi mesif dragon msi-upgr; do
	reads=$(value $p reads); writes=$(value $p writes); hits=$(value $p hits); misses=$(value $p misses)
	[ $((hits + misses)) -eq $((reads + writes)) ] || fail "$p: hits + misses != accesses"
	causes=$(($(value $p misses_cold) + $(value $p misses_capacity) + $(value $p misses_conflict) +
		$(value $p misses_true_sharing) + $(value $p misses_false_sharing)))
	[ "$causes" -eq "$misses" ] || fail "$p: misses by cause ($causes) != misses ($misses)"
done
# 8 bytes apart, two writers: false sharing, and only with invalidations.
[ "$(value mesi misses_false_sharing)" -gt 1000 ] || fail "MESI shows no false sharing"
[ "$(value mesi misses_true_sharing)" -eq 0 ] || fail "MESI shows true sharing between private counters"
[ "$(value dragon misses_false_sharing)" -eq 0 ] || fail "Dragon updates: no coherence misses"
[ "$(value dragon bus_upd)" -gt 1000 ] || fail "Dragon sends no updates"
[ "$(value msi bus_rdx)" -gt "$(value msi-upgr bus_rdx)" ] || fail "msi-upgr should turn BusRdX into BusUpgr"
[ "$(value msi-upgr bus_upgr)" -gt 0 ] || fail "msi-upgr issues no BusUpgr"
grep -q '^mesi,M,snoop BusRd,S,[1-9]' "$WORK/run/sim-transitions.csv" || fail "M on BusRd never fired under MESI"
grep -q ',0,0$' "$WORK/run/sim-transitions.csv" || fail "no transition marked as never fired"

# Padded counters: no coherence traffic at all.
run sim -p mesi --csv -o "$WORK/run64" "$WORK/fs64.trace"
expect_status 0
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ if ($col["misses_false_sharing"] + $col["misses_true_sharing"] + $col["invalidations"] != 0) exit 1 }' \
	"$WORK/out" || fail "padded counters cause coherence traffic"

# Deterministic: the same inputs, the same numbers, in either order mode.
for order in timed file; do
	"$MESILAB" sim --csv --order $order -o "$WORK/a" "$WORK/fs8.trace" >"$WORK/a.csv"
	"$MESILAB" sim --csv --order $order -o "$WORK/b" "$WORK/fs8.trace" >"$WORK/b.csv"
	expect_same "$WORK/a.csv" "$WORK/b.csv"
	expect_same "$WORK/a/sim-cores.csv" "$WORK/b/sim-cores.csv"
done
# From standard input too.
"$MESILAB" sim --csv -o "$WORK/c" - <"$WORK/fs8.trace" >"$WORK/c.csv"
"$MESILAB" sim --csv -o "$WORK/t" "$WORK/fs8.trace" >"$WORK/t.csv"
expect_same "$WORK/c.csv" "$WORK/t.csv"

# A single core: every miss is cold, capacity or conflict; 1 KiB direct-mapped
# over a 4 KiB cycle misses every time.
"$MESILAB" trace latency --size 4K --stride 64 --steps 640 >"$WORK/chase.trace"
run sim -p mesi --csv --l1 1K:1:64 -o "$WORK/d" "$WORK/chase.trace"
expect_status 0
grep -q '^mesi,640,0,0,0,640,64,576,0,0,0,' "$WORK/out" || fail "unexpected chase misses: $(cat "$WORK/out")"
run sim -p mesi --csv --l1 4K:64:64 -o "$WORK/e" "$WORK/chase.trace"
grep -q '^mesi,640,0,0,576,64,64,0,0,0,0,' "$WORK/out" || fail "a 4 KiB cache should hold the cycle: $(cat "$WORK/out")"

# The hierarchy: a private L2 behind the L1, a shared last level.
"$MESILAB" trace latency --size 16K --threads 2 --steps 2000 >"$WORK/c16.trace"
col() { # col FILE COLUMN: the first data row's value
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } NR == 2 { print $col[c] }' "$1"
}
"$MESILAB" trace latency --size 16K --steps 2000 >"$WORK/c16one.trace"
"$MESILAB" sim -p mesi --csv --l1 1K:2:64 --l2 8K:4:64 --llc 64K:4:64 -o "$WORK/h" "$WORK/c16one.trace" >"$WORK/h.csv"
[ "$(col "$WORK/h.csv" l1_misses)" -gt 0 ] || fail "no L1 misses with an L2"
# 256 lines: the first lap from memory, the rest from the LLC (the L2 holds 128).
[ "$(col "$WORK/h.csv" memory_reads)" -eq 2000 ] || fail "every L2 miss goes below: $(cat "$WORK/h.csv")"
[ "$(col "$WORK/h.csv" llc_hits)" -eq $((2000 - 256)) ] || fail "LLC hits: $(cat "$WORK/h.csv")"
"$MESILAB" sim -p mesi --csv --l1 1K:2:64 --l2 8K:4:64 --llc 4K:4:64 -o "$WORK/b" "$WORK/c16.trace" >"$WORK/h.csv"
[ "$(col "$WORK/h.csv" back_invalidations)" -gt 0 ] || fail "a small inclusive LLC back-invalidates nothing"
"$MESILAB" sim -p mesi --csv --l1 1K:2:64 --l2 8K:4:64 --llc 4K:4:64 --non-inclusive -o "$WORK/n" \
	"$WORK/c16.trace" >"$WORK/n.csv"
[ "$(col "$WORK/n.csv" back_invalidations)" -eq 0 ] || fail "a non-inclusive LLC back-invalidates"
for policy in lru fifo random plru; do
	"$MESILAB" sim -p mesi --csv --l1 2K:4:64 --replacement $policy -o "$WORK/r" "$WORK/c16.trace" \
		>"$WORK/r-$policy.csv" || fail "--replacement $policy failed"
done
! cmp -s "$WORK/r-lru.csv" "$WORK/r-random.csv" || fail "random replacement gave LRU's numbers"

# Straddling accesses: once (two lines, one access) or split.
printf '0 R 0x3c 8\n0 R 0x1000 4\n' >"$WORK/straddle.txt"
"$MESILAB" sim -p mesi --csv -o "$WORK/s1" "$WORK/straddle.txt" >"$WORK/s1.csv"
[ "$(col "$WORK/s1.csv" reads)" -eq 2 ] && [ "$(col "$WORK/s1.csv" misses)" -eq 2 ] ||
	fail "--straddle once: $(cat "$WORK/s1.csv")"
"$MESILAB" sim -p mesi --csv --straddle split -o "$WORK/s2" "$WORK/straddle.txt" >"$WORK/s2.csv"
[ "$(col "$WORK/s2.csv" reads)" -eq 3 ] && [ "$(col "$WORK/s2.csv" misses)" -eq 3 ] ||
	fail "--straddle split: $(cat "$WORK/s2.csv")"

# Instruction fetches: skipped without an L1i, cached with one.
printf '0 I 0x400000 4\n0 I 0x400004 4\n0 R 0x10\n' >"$WORK/fetch.txt"
"$MESILAB" sim -p mesi --csv -o "$WORK/f1" "$WORK/fetch.txt" >"$WORK/f1.csv"
[ "$(col "$WORK/f1.csv" ifetches_skipped)" -eq 2 ] || fail "fetches not skipped without an L1i"
"$MESILAB" sim -p mesi --csv --l1i 32K:8:64 -o "$WORK/f2" "$WORK/fetch.txt" >"$WORK/f2.csv"
[ "$(col "$WORK/f2.csv" ifetches)" -eq 2 ] && [ "$(col "$WORK/f2.csv" ifetch_misses)" -eq 1 ] ||
	fail "L1i: $(cat "$WORK/f2.csv")"

# Latencies are options, and the cycles follow them.
"$MESILAB" sim -p mesi --csv --memory 100 --c2c 30 --hit 2 --bus 5 -o "$WORK/l1" "$WORK/fs8.trace" >"$WORK/l1.csv"
"$MESILAB" sim -p mesi --csv -o "$WORK/l2" "$WORK/fs8.trace" >"$WORK/l2.csv"
[ "$(col "$WORK/l1.csv" cycles)" -lt "$(col "$WORK/l2.csv" cycles)" ] || fail "faster latencies gave no fewer cycles"
[ "$(col "$WORK/l1.csv" misses)" -eq "$(col "$WORK/l2.csv" misses)" ] || fail "latencies changed the misses"
grep -q 'memory 100, cache-to-cache 30' "$WORK/l1/meta.json" || fail "the latencies are not recorded"

# Bad configurations.
run sim --l1 48K:8:64 "$WORK/fs8.trace"
expect_error 2 "--l1: cache '48K:8:64': 96 sets, not a power of two"
run sim --l1 64:2:64 "$WORK/fs8.trace"
expect_error 2 "smaller than one set"
run sim --l1 32K:8:60 "$WORK/fs8.trace"
expect_error 2 "the line size must be a power of two"
run sim -p mosi "$WORK/fs8.trace"
expect_error 2 "unknown protocol 'mosi'"
run sim --cores 1 "$WORK/fs8.trace"
expect_error 2 "has 2 threads but the simulation has 1 cores"
run sim --replacement mru "$WORK/fs8.trace"
expect_error 2 "unknown --replacement 'mru'"
run sim --replacement plru --l1 24K:3:64 "$WORK/fs8.trace"
expect_error 2 "plru needs a power-of-two number of ways"
run sim --order random "$WORK/fs8.trace"
expect_error 2 "unknown --order 'random'"
run sim --l2 16K:8:64 "$WORK/fs8.trace"
expect_error 2 "the L2 must be at least as large as the L1"
run sim --print-table mosi
expect_error 2 "unknown protocol 'mosi'"
run sim
expect_error 2 "expected one TRACE operand"
run sim "$TESTDATA/bad/thread-beyond.trace"
expect_error 2 "thread-beyond.trace: byte 80: thread 5 beyond"
[ ! -d "$WORK/results" ] || [ -z "$(ls "$WORK/results")" ] || fail "a failed sim left a run directory"

# Counted at the snooper: core 0's line invalidated by core 1's write is
# one invalidation received by core 0; an exclusive line given up to the
# other core's read is an intervention: core 0's M line under both
# protocols, and under MESI also the E line a lone read left it.
printf '0 W 0x40\n1 R 0x40\n1 W 0x40\n0 R 0x80\n1 R 0x80\n' >"$WORK/snoop.txt"
run sim "$WORK/snoop.txt" -p msi,mesi --order file -o "$WORK/snoop"
expect_status 0
for expected in "msi,0,1,1" "msi,1,0,0" "mesi,0,1,2" "mesi,1,0,0"; do
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["protocol"] "," $c["core"] "," $c["invalidations_received"] "," $c["interventions"] }' \
		"$WORK/snoop/sim-cores.csv" | grep -qx "$expected" || fail "per-core snooped counts: $expected not in $(cat "$WORK/snoop/sim-cores.csv")"
done

# Without the classification by cause: the same figures, the causes'
# columns empty (unknown, not zero), and not in the side-by-side table.
run sim "$WORK/fs8.trace" -p msi,mesi --csv
cp "$WORK/out" "$WORK/causes.csv"
run sim "$WORK/fs8.trace" -p msi,mesi --csv --no-causes
expect_status 0
awk -F, 'NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) c[$i] = i; else full[FNR] = $0; next }
	FNR > 1 { split(full[FNR], f, ",")
		for (name in c) {
			i = c[name]
			if (name ~ /^misses_/) { if ($i != "") bad = bad " " name " not empty" }
			else if ($i != f[i]) bad = bad " " name " " $i " vs " f[i]
		} }
	END { if (bad != "") { print bad; exit 1 } }' "$WORK/causes.csv" "$WORK/out" >"$WORK/diff" ||
	fail "--no-causes: $(cat "$WORK/diff")"
grep -q '^misses_false_sharing\|,misses_false_sharing,' "$WORK/out" || fail "--no-causes dropped the cause columns"
run sim "$WORK/fs8.trace" -p mesi --no-causes
expect_status 0
! grep -q "false sharing" "$WORK/out" || fail "--no-causes shows causes: $(cat "$WORK/out")"
run sim "$WORK/fs8.trace" --causes --no-causes
expect_error 2 "--causes and --no-causes contradict each other"

finish
