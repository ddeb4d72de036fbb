#!/bin/sh
# topo on a synthetic 2-package, 4-NUMA-node, 32-core, 64-PU machine:
# exact human table and exact CSV.
. "$TESTLIB"

DESC="pack:2 numa:2 l3:1 l2:8 l1d:1 core:1 pu:2"

run topo --synthetic "$DESC"
expect_status 0
expect_same "$WORK/out" "$TESTDATA/topo-2x2x8x2.expected"

run topo --synthetic "$DESC" --csv
expect_status 0
expect_same "$WORK/out" "$TESTDATA/topo-2x2x8x2.csv"

finish
