#!/bin/sh
# bench timeshare: a switch for every kind of task and hand-off, costing
# less than the pass it is reckoned from; the refill of a set that fits
# the caches grows when the other task reads more than they hold; bad
# options are one line; Ctrl-C leaves no second task behind.
. "$TESTLIB"
measures

quiet_begin 1
run bench timeshare --quick --repeat 3 --own 16K,256K --competitor 0,16M -o "$WORK/run" --csv
expect_status 0
[ "$(head -n 1 "$WORK/out")" = "tasks,handoff,switch_ns,switch_ns_p5,switch_ns_p95,switch_ns_mad,pass_ns,overhead_ns,unstable" ] ||
	fail "the CSV header: $(head -n 1 "$WORK/out")"
for kind in process,pipe process,futex thread,pipe thread,futex; do
	awk -F, -v k="$kind" 'index($0, k ",") == 1 && $3 > 0 && $7 > $8 && $3 < $7 { ok = 1 } END { exit !ok }' \
		"$WORK/run/timeshare.csv" || fail "$kind: $(cat "$WORK/run/timeshare.csv")"
done
[ "$(grep -c '^process,pipe,' "$WORK/run/timeshare-refill.csv")" -eq 4 ] ||
	fail "expected 4 refill points with processes and a pipe: $(cat "$WORK/run/timeshare-refill.csv")"
# 16 MiB read by the other task evicts a 256 KiB set from the private
# caches of any core: its lines come back from further down.
if quiet_judged "the refill's growth with the other task's set"; then
	awk -F, '$3 == 262144 && $4 == 0 { alone = $9 } $3 == 262144 && $4 == 16777216 { evicted = $9 }
		END { exit !(evicted > 0 && evicted > 2 * alone) }' "$WORK/run/timeshare-refill.csv" ||
		fail "the refill did not grow with the other task's set: $(cat "$WORK/run/timeshare-refill.csv")"
fi
grep -q '"name": "timeshare.cpu"' "$WORK/run/meta.json" || fail "the PU is not recorded"

# One kind chosen: one switch row, and the refill with it.
run bench timeshare --quick --repeat 1 --tasks thread --handoff futex --own 16K --competitor 0 -o "$WORK/one"
expect_status 0
[ "$(wc -l <"$WORK/one/timeshare.csv")" -eq 2 ] || fail "one kind, rows: $(cat "$WORK/one/timeshare.csv")"
grep -q '^thread,futex,16384,0,' "$WORK/one/timeshare-refill.csv" || fail "the refill's kind: $(cat "$WORK/one/timeshare-refill.csv")"

run bench timeshare --own 64
expect_error 2 "invalid value '64' in --own"
run bench timeshare --tasks fork
expect_error 2 "unknown 'fork' in --tasks"
run bench timeshare --competitor 0,1024T
expect_error 2 "--competitor"
run bench timeshare --cpu 100000
expect_error 2 "--cpu 100000 is not a PU this process may use"

# Ctrl-C while the tasks take turns: the second one ends with the first.
others() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		case "$(tr '\000' ' ' 2>/dev/null <"$f")" in
		"$MESILAB bench timeshare"*"$WORK/int"*) n=$((n + 1)) ;;
		esac
	done
	echo "$n"
}
"$MESILAB" bench timeshare --quiet --tasks process -o "$WORK/int" >/dev/null 2>"$WORK/err" &
pid=$!
# Each measurement starts its second task and ends it: the count is taken
# once, when the second task is seen (counted again, it may fall between two
# measurements).
tries=0
seen=$(others)
while [ "$seen" -lt 2 ] && [ "$tries" -lt 300 ]; do
	sleep 0.1
	tries=$((tries + 1))
	seen=$(others)
done
[ "$seen" -eq 2 ] || fail "no second process seen (processes of the run: $seen)"
sleep 0.5
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 130 ] || fail "an interrupted run exited with $status: $(cat "$WORK/err")"
sleep 0.2
[ "$(others)" -eq 0 ] || fail "a task is left after Ctrl-C"
[ ! -e "$WORK/int/timeshare.csv" ] || fail "an interrupted run wrote its results"

finish
