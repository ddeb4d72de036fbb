#!/bin/sh
# verify: every protocol passes with 2, 3 and 4 caches; bad options fail.
. "$TESTLIB"

run verify --csv
expect_status 0
[ "$(grep -c ',ok,$' "$WORK/out")" -eq 18 ] || fail "expected 18 passing checks: $(cat "$WORK/out")"
for p in msi msi-upgr mesi moesi mesif dragon; do
	for n in 2 3 4; do
		grep -q "^$p,$n,[0-9]*,[0-9]*,ok,$" "$WORK/out" || fail "no passing row for $p with $n caches"
	done
done

run verify --protocol mesi,dragon --cores 3
expect_status 0
[ "$(grep -c ' ok' "$WORK/out")" -eq 2 ] || fail "expected two rows: $(cat "$WORK/out")"

run verify --protocol mesi --cores 2 --csv
expect_status 0
printf 'protocol,caches,states,transitions,result,counterexample\nmesi,2,8,40,ok,\n' >"$WORK/expected"
expect_same "$WORK/out" "$WORK/expected"

run verify --stress 20000 --csv
expect_status 0
[ "$(grep -c ',20000,ok,$' "$WORK/out")" -eq 12 ] || fail "expected 12 passing stress runs: $(cat "$WORK/out")"

run verify --protocol mosi
expect_error 2 "unknown protocol 'mosi'"

run verify --cores 9
expect_error 2 "invalid --cores '9' (expected an integer from 1 to 5)"

finish
