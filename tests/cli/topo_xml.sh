#!/bin/sh
# topo on a lab machine's XML export (shared L2 clusters, SMT siblings n and n+4).
. "$TESTLIB"

run topo --input "$TESTDATA/topo-cluster.xml"
expect_status 0
sed "s|@TESTDATA@|$TESTDATA|" "$TESTDATA/topo-cluster.expected" >"$WORK/expected"
expect_same "$WORK/out" "$WORK/expected"

finish
