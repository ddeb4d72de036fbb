#!/bin/sh
# The protocol variants a course or textbook uses, each against its base on
# a trace that hits the one rule they differ in: the per-step logs and the
# counters written by hand from the rules (tests/data/textbook/variants.md
# explains every line and count), listed, printed and named in the outputs.
. "$TESTLIB"

T="$TESTDATA/textbook"
ulimit -f 4096
# Every mesilab this test starts, run() included, has a time limit.
MESILAB_UNTIMED=$MESILAB
export MESILAB_UNTIMED
printf '#!/bin/sh\nexec timeout -k 5 60 "$MESILAB_UNTIMED" "$@"\n' >"$WORK/mesilab"
chmod +x "$WORK/mesilab"
MESILAB=$WORK/mesilab

# sim_log TRACE PROTOCOL: the per-step log of PROTOCOL alone, in file order,
# and its run directory in $WORK/PROTOCOL.
sim_log() {
	rm -rf "$WORK/$2"
	"$MESILAB" sim --order file --log -p "$2" --quiet -o "$WORK/$2" "$1" \
		>"$WORK/out" 2>"$WORK/err" || fail "sim -p $2 $1 failed: $(cat "$WORK/err")"
	grep "^$2 " "$WORK/out" >"$WORK/log"
}

# column FILE NAME: the values of column NAME of a CSV file, one a line.
column() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		c { print $c }' "$1"
}

# counts PROTOCOL: flushes, cache-to-cache transfers, memory reads (the
# summary's), then the flushes of each core (sim-cores.csv), on one line.
counts() {
	d="$WORK/$1"
	printf '%s %s %s %s\n' "$(column "$d/sim-summary.csv" flushes)" \
		"$(column "$d/sim-summary.csv" c2c_transfers)" "$(column "$d/sim-summary.csv" memory_reads)" \
		"$(column "$d/sim-cores.csv" flushes | tr '\n' ' ' | sed 's/ $//')"
}

# check TRACE PROTOCOL FLUSHES C2C MEMORY CORE_FLUSHES: the hand-written
# log and counts.
check() {
	sim_log "$T/$1.txt" "$2"
	if ! cmp -s "$WORK/log" "$T/$1.$2.log"; then
		fail "$2 on $1.txt: the log differs from $1.$2.log: $(diff "$T/$1.$2.log" "$WORK/log")"
	fi
	got=$(counts "$2")
	[ "$got" = "$3 $4 $5 $6" ] ||
		fail "$2 on $1.txt: expected flushes, c2c, memory reads, flushes per core '$3 $4 $5 $6', got '$got'"
	grep -q "^$2," "$WORK/$2/sim-summary.csv" || fail "$2: sim-summary.csv does not name it"
}

#                                  flushes c2c memory per-core flushes
check clean mesi                   3       3   1      "2 0 1"
check clean mesi-basic             1       1   3      "0 0 1"
check clean mesi-flush-all         4       3   1      "2 1 1"
check shared moesi                 3       3   2      "1 0 2"
check shared moesi-shared-supplies 4       4   1      "2 0 2"
check shared moesi-shared-flush-all 6      4   1      "2 2 2"
check migratory mesif              2       2   1      "1 1"
check migratory mesif-migratory    3       3   1      "2 1"
for p in mesif mesif-migratory; do
	got=$(column "$WORK/$p/sim-summary.csv" bus_upgr)
	want=1
	[ "$p" = mesif ] || want=0
	[ "$got" = "$want" ] || fail "$p on migratory.txt: expected $want BusUpgr, got '$got'"
done

# Every output names the variant as -p gave it: the side-by-side table,
# the CSV's protocol column, the run's meta.json.
"$MESILAB" sim --order file -p mesi,mesi-basic --quiet -o "$WORK/both" "$T/clean.txt" \
	>"$WORK/out" 2>"$WORK/err" || fail "sim -p mesi,mesi-basic failed: $(cat "$WORK/err")"
grep -q "^ *mesi  *mesi-basic  *vs first" "$WORK/out" || fail "the table does not name mesi-basic: $(cat "$WORK/out")"
"$MESILAB" sim --csv --order file -p mesi-basic -o "$WORK/csv" "$T/clean.txt" >"$WORK/out" 2>"$WORK/err" ||
	fail "sim --csv -p mesi-basic failed: $(cat "$WORK/err")"
[ "$(column "$WORK/out" protocol)" = mesi-basic ] || fail "--csv's protocol column: $(cat "$WORK/out")"
grep -q '"value": "mesi,mesi-basic"' "$WORK/both/meta.json" || fail "meta.json lacks sim.protocols mesi,mesi-basic"
grep -q '"name": "sim.protocol.mesi-basic"' "$WORK/both/meta.json" || fail "meta.json does not describe mesi-basic"

# 'all' is the six protocols compared, not the variants.
"$MESILAB" sim --csv --order file -o "$WORK/all" "$T/clean.txt" >"$WORK/out" 2>"$WORK/err" ||
	fail "sim --csv (all) failed: $(cat "$WORK/err")"
got=$(column "$WORK/out" protocol | tr '\n' ' ')
[ "$got" = "msi msi-upgr mesi moesi mesif dragon " ] || fail "all: expected msi msi-upgr mesi moesi mesif dragon, got '$got'"

# One run can name every protocol and variant.
every="msi msi-upgr mesi mesi-basic mesi-flush-all moesi moesi-shared-supplies moesi-shared-flush-all mesif mesif-migratory dragon"
"$MESILAB" sim --csv --order file -o "$WORK/every" -p "$(echo $every | tr ' ' ,)" "$T/clean.txt" >"$WORK/out" 2>"$WORK/err" ||
	fail "sim -p (every protocol) failed: $(cat "$WORK/err")"
got=$(column "$WORK/out" protocol | tr '\n' ' ')
[ "$got" = "$every " ] || fail "-p naming every protocol: expected '$every ', got '$got'"

# --list-protocols: every protocol, whether 'all' runs it, what it is.
run sim --list-protocols
expect_status 0
for p in $every; do
	grep -q "^$p  *\(yes\|no\)  " "$WORK/out" || fail "--list-protocols lacks $p: $(cat "$WORK/out")"
done
expect_out_contains "mesi                    yes     Illinois MESI"
expect_out_contains "mesi-basic              no      variant of mesi: memory supplies"
expect_out_contains "moesi-shared-supplies   no      variant of moesi: a clean S copy supplies"
expect_out_contains "mesif-migratory         no      variant of mesif: a read of a line another cache holds Modified takes it over"

if [ -w /dev/full ]; then
	"$MESILAB" sim --list-protocols >/dev/full 2>"$WORK/err" && fail "--list-protocols into a full device succeeded"
	grep -q "standard output" "$WORK/err" || fail "--list-protocols into a full device: $(cat "$WORK/err")"
fi

# --print-table shows the rule that differs.
run sim --print-table mesi-basic
expect_status 0
expect_out_contains "# MESI, basic (memory supplies clean lines)"
expect_out_contains "| S | BusRd | S | no | no |"
expect_out_contains "| E | BusRd | S | no | no |"
run sim --print-table moesi-shared-supplies
expect_out_contains "| S | BusRd | S | yes | no |"
expect_out_contains "an owner does, else the first after the requester"
run sim --print-table mesif-migratory
expect_out_contains "# MESIF with migratory sharing"
expect_out_contains "| M | BusRd | I | yes | yes |"
run sim --print-table mesif
expect_out_contains "| M | BusRd | S | yes | yes |"
run sim --print-table mesi-flush-all
expect_out_contains "A flush is counted at every cache that supplies the line"
run sim --print-table mesi
expect_out_contains "A flush is counted at the cache the line came from"

run sim --print-table mesi-illinois
expect_error 2 "unknown protocol 'mesi-illinois' (expected one of msi, msi-upgr, mesi, mesi-basic,"
run sim -p mesi,mesi-course "$T/clean.txt"
expect_error 2 "unknown protocol 'mesi-course' (expected msi, msi-upgr, mesi, mesi-basic,"

finish
