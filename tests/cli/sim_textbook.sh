#!/bin/sh
# The classic sequences, step by step in file order: states, transactions
# and data sources as the textbook tables give them.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR
T="$TESTDATA/textbook"

for p in msi msi-upgr mesi moesi mesif dragon; do
	"$MESILAB" sim --order file --log -p "$p" --quiet "$T/classic.txt" >"$WORK/out" 2>"$WORK/err" ||
		fail "sim $p failed: $(cat "$WORK/err")"
	grep "^$p " "$WORK/out" >"$WORK/log"
	expect_same "$WORK/log" "$T/classic.$p.log"

	"$MESILAB" sim --order file --log --l1 256:2:64 -p "$p" --quiet "$T/owner.txt" >"$WORK/out" 2>"$WORK/err" ||
		fail "sim $p failed: $(cat "$WORK/err")"
	grep "^$p " "$WORK/out" >"$WORK/log"
	expect_same "$WORK/log" "$T/owner.$p.log"
done

# Several protocols in one run give each the same log as alone.
"$MESILAB" sim --order file --log -p msi,mesi,dragon --quiet "$T/classic.txt" >"$WORK/out"
for p in msi mesi dragon; do
	grep "^$p " "$WORK/out" >"$WORK/log"
	expect_same "$WORK/log" "$T/classic.$p.log"
done

# The table is the documentation.
run sim --print-table mesi
expect_status 0
expect_out_contains "# MESI (Illinois)"
expect_out_contains "| I | PrRd | no | BusRd | E | - | no |"
expect_out_contains "| I | PrRd | yes | BusRd | S | - | no |"
expect_out_contains "| M | BusRd | S | yes | yes |"
run sim --print-table dragon
expect_out_contains "| I | PrWr | yes | BusRd | Sm | BusUpd | no |"

finish
