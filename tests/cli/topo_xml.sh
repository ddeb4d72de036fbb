#!/bin/sh
# topo on a lab machine's XML export (shared L2 clusters, SMT siblings n and n+4).
. "$TESTLIB"

run topo --input "$TESTDATA/topo-cluster.xml"
expect_status 0
sed "s|@TESTDATA@|$TESTDATA|" "$TESTDATA/topo-cluster.expected" >"$WORK/expected"
expect_same "$WORK/out" "$WORK/expected"

# An export damaged so that hwloc itself crashes reading it (found by the
# fuzzer): one line, exit 2, no crash.
run topo --input "$FUZZ_INPUTS/regressions/fuzz_topology/hwloc-inconsistent-xml-crash"
expect_error 2 "hwloc-inconsistent-xml-crash: hwloc fails reading it (malformed)"
# An export whose PU lost its number (hwloc makes it 2^32 - 1).
sed 's/os_index="5"/ose_dnix="5"/' "$TESTDATA/topo-cluster.xml" >"$WORK/renumbered.xml"
run topo --input "$WORK/renumbered.xml"
expect_error 2 "renumbered.xml: a PU numbered beyond any machine's (at most 65535)"
# A synthetic machine far beyond any real one is refused before hwloc
# spends minutes on it, also when attributes and memory children are given.
run topo --synthetic "pack:64 core:1024 pu:64"
expect_error 2 "more PUs than any machine's (at most 65536)"
run topo --synthetic "pack:64(memory=1GB) [numa] core:32 pu:64"
expect_error 2 "more PUs than any machine's"
run topo --synthetic "pack:2 [numa] core:2 pu:2(indexes=0,1,2,3,4,5,6,7)"
expect_status 0

finish
