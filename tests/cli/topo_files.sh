#!/bin/sh
# topo -o DIR writes topology.csv, topology.xml (loadable again), maybe a
# picture, and meta.json; nothing half-written is left behind.
. "$TESTLIB"

DESC="pack:2 numa:2 l3:1 l2:8 l1d:1 core:1 pu:2"
OUT="$WORK/out dir/topo"

run topo --synthetic "$DESC" -o "$OUT"
expect_status 0
expect_same "$OUT/topology.csv" "$TESTDATA/topo-2x2x8x2.csv"
[ -s "$OUT/topology.xml" ] || fail "no topology.xml"
[ -s "$OUT/meta.json" ] || fail "no meta.json"
grep -q '"status": "complete"' "$OUT/meta.json" || fail "meta.json is not complete"
grep -q '"source": "synthetic pack:2' "$OUT/meta.json" || fail "meta.json lacks the topology source"
grep -q '"core_ghz": ' "$OUT/meta.json" || fail "meta.json lacks the clock calibration"
grep -q '"topology.csv"' "$OUT/meta.json" || fail "meta.json does not list topology.csv"
if [ -s "$OUT/topology.svg" ]; then
	grep -q '<svg' "$OUT/topology.svg" || fail "topology.svg is not SVG"
else
	grep -q '"what": "topology picture"' "$OUT/meta.json" ||
		fail "no picture and meta.json does not say why"
fi
[ -z "$(ls -A "$OUT" | grep '^\.')" ] || fail "temporary files left: $(ls -A "$OUT")"

# The XML export loads back into the same topology.
run topo --input "$OUT/topology.xml" --csv
expect_status 0
expect_same "$WORK/out" "$TESTDATA/topo-2x2x8x2.csv"

# This machine: every data cache level has a size and a line size.
run topo --csv
expect_status 0
head -n 1 "$WORK/out" | grep -q '^cache,level,type,instance,size_bytes,line_bytes,ways,pu_count,pus$' ||
	fail "unexpected CSV header: $(head -n 1 "$WORK/out")"
grep -q '^L1d,1,data,0,[1-9][0-9]*,[1-9][0-9]*,' "$WORK/out" || fail "no L1d on this machine"

finish
