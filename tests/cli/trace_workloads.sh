#!/bin/sh
# The traces of the kernels whose threads wait for one another (c2c,
# contention, states): what each thread did, the same on every run, and
# what the simulator makes of them.
. "$TESTLIB"

# column COLUMN of trace info's row for THREAD
info_field() {
	"$MESILAB" trace info "$1" | awk -v t="$2" -v c="$3" '$1 == t { print $c }'
}

"$MESILAB" trace c2c --quick >"$WORK/c2c-1" && "$MESILAB" trace c2c --quick >"$WORK/c2c-2" ||
	fail "trace c2c failed"
expect_same "$WORK/c2c-1" "$WORK/c2c-2"
for t in 0 1; do
	[ "$(info_field "$WORK/c2c-1" "$t" 4)" = 100 ] || fail "c2c thread $t: not 100 stores"
done
# --quiet says nothing on stderr and changes nothing but the generator line.
"$MESILAB" trace c2c --quick --quiet >"$WORK/c2c-q" 2>"$WORK/c2c-q.err" || fail "trace c2c --quiet failed"
[ ! -s "$WORK/c2c-q.err" ] || fail "trace c2c --quiet wrote to stderr: $(cat "$WORK/c2c-q.err")"
"$MESILAB" trace cat "$WORK/c2c-1" | grep -v '^# generator' >"$WORK/a"
"$MESILAB" trace cat "$WORK/c2c-q" | grep -v '^# generator' >"$WORK/b"
expect_same "$WORK/a" "$WORK/b"
"$MESILAB" trace c2c --quick --variant cas --rounds 50 -o "$WORK/cas" || fail "trace c2c --variant cas failed"
[ "$(info_field "$WORK/cas" all 5)" -ge 100 ] || fail "c2c cas: fewer than 2 x 50 compare-and-swaps"
[ "$(info_field "$WORK/cas" all 4)" = 0 ] || fail "c2c cas: plain stores"

# Three threads through a ticket lock: one ticket and one increment each
# per iteration, whatever the interleaving.
"$MESILAB" trace contention --variant ticket --threads 3 --quick -o "$WORK/ticket" ||
	fail "trace contention failed"
for t in 0 1 2; do
	[ "$(info_field "$WORK/ticket" "$t" 5)" = 100 ] || fail "ticket thread $t: not 100 tickets"
done
"$MESILAB" trace contention --variant ticket --threads 3 --quick >"$WORK/ticket-2"
"$MESILAB" trace cat "$WORK/ticket" | grep -v '^# generator' >"$WORK/a"
"$MESILAB" trace cat "$WORK/ticket-2" | grep -v '^# generator' >"$WORK/b"
expect_same "$WORK/a" "$WORK/b"
"$MESILAB" trace contention --variant ring-packed --quick -o "$WORK/ring" || fail "trace contention ring failed"
[ "$(info_field "$WORK/ring" all 8)" = 9 ] || fail "ring-packed: not 9 lines (indexes + 8 lines of slots)"

run trace contention --variant ring-padded --threads 3
expect_error 2 "a ring has one producer and one consumer"
run trace contention --variant mutex
expect_error 2 "unknown --variant 'mutex'"
run trace c2c --variant swap
expect_error 2 "unknown --variant 'swap' (expected store or cas)"
run trace falseshare --atomic --read-mostly
expect_error 2 "--atomic and --read-mostly are two different variants; choose one"
# Read-mostly: thread 0 writes its counter, the others only read theirs.
run trace falseshare --read-mostly --iterations 3 -o "$WORK/rm.trace"
expect_status 0
"$MESILAB" trace cat "$WORK/rm.trace" | awk '$1 == 1 && $2 != "R" { bad = 1 } $1 == 0 && $2 == "W" { w = 1 } END { exit bad || !w }' ||
	fail "falseshare --read-mostly: expected thread 0 writing and thread 1 only reading: $("$MESILAB" trace cat "$WORK/rm.trace")"

# States: two rounds of 16 lines B wrote, then A loads them. Every one of
# A's 32 loads is a line from B's cache.
"$MESILAB" trace states --quick --states M --ops load -o "$WORK/m" || fail "trace states failed"
[ "$("$MESILAB" trace info "$WORK/m" | awk 'NR == 1 { print $4 }')" = 2 ] || fail "states M: not 2 threads"
"$MESILAB" sim --order file -p mesi --csv --quiet "$WORK/m" >"$WORK/sim" || fail "sim of the states trace failed"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { exit !($c["c2c_transfers"] >= 32) }' \
	"$WORK/sim" || fail "states M: fewer than 32 cache-to-cache transfers: $(cat "$WORK/sim")"
"$MESILAB" trace states --quick --states S -o "$WORK/s" || fail "trace states S failed"
[ "$("$MESILAB" trace info "$WORK/s" | awk 'NR == 1 { print $4 }')" = 3 ] || fail "states S: not 3 threads"
# Invalid: lines never touched before, so A's loads all come from memory.
"$MESILAB" trace states --quick --states I --ops load -o "$WORK/i" || fail "trace states I failed"
"$MESILAB" sim --order file -p mesi --csv --quiet "$WORK/i" >"$WORK/sim"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { exit !($c["misses_cold"] >= 32) }' \
	"$WORK/sim" || fail "states I: A's loads are not cold misses: $(cat "$WORK/sim")"
run trace states --states Q
expect_error 2 "unknown 'Q' in --states"

finish
