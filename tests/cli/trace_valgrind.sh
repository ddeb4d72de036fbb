#!/bin/sh
# A real program's lackey trace imports with sane counts (skipped without valgrind).
. "$TESTLIB"

command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed" >&2; exit 77; }

valgrind --tool=lackey --trace-mem=yes --log-file="$WORK/lackey.log" /bin/true ||
	fail "valgrind failed"
run trace import --from lackey "$WORK/lackey.log" -o "$WORK/true.trace"
expect_status 0
run trace info --csv "$WORK/true.trace"
expect_status 0
# all,records,reads,writes,rmws,ifetches,...
line=$(grep '^all,' "$WORK/out")
records=$(echo "$line" | cut -d, -f2)
reads=$(echo "$line" | cut -d, -f3)
writes=$(echo "$line" | cut -d, -f4)
fetches=$(echo "$line" | cut -d, -f6)
[ "$records" -gt 10000 ] || fail "only $records records from /bin/true"
[ "$fetches" -gt "$reads" ] || fail "expected more fetches ($fetches) than loads ($reads)"
[ "$reads" -gt "$writes" ] && [ "$writes" -gt 0 ] || fail "implausible loads $reads / stores $writes"
[ "$(grep -c '^[0-9]' "$WORK/out")" -eq 1 ] || fail "expected one thread"

finish
