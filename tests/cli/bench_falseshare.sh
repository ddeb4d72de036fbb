#!/bin/sh
# bench falseshare --quick: files, and the effect itself where there are two cores.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench falseshare --quick --quiet --distance 8,64,128 -o "$WORK/fs"
expect_status 0
for f in meta.json falseshare.csv falseshare-samples.csv; do
	[ -s "$WORK/fs/$f" ] || fail "no $f"
done
head -n 1 "$WORK/fs/falseshare.csv" | grep -q '^variant,threads,distance_bytes,ns_per_op,ops_per_s_per_thread,slowdown,' ||
	fail "falseshare.csv header: $(head -n 1 "$WORK/fs/falseshare.csv")"
grep -q '"name": "atomic"' "$WORK/fs/meta.json" || fail "what the variants measure is not recorded"

# slowdown VARIANT THREADS DISTANCE
slowdown() {
	awk -F, -v v="$1" -v t="$2" -v d="$3" '$1 == v && $2 == t && $3 == d { print $6 }' "$WORK/fs/falseshare.csv"
}
# One thread shares nothing: no slowdown, whatever the distance.
for v in plain atomic; do
	awk -v s="$(slowdown $v 1 8)" 'BEGIN { exit !(s > 0.5 && s < 1.5) }' || fail "$v, 1 thread: slowdown $(slowdown $v 1 8)"
done
# Two threads on two cores: 8 bytes apart is clearly slower than a line apart
# (the effect is several times larger; the bound leaves room for noise).
if grep -q '^plain,2,' "$WORK/fs/falseshare.csv"; then
	for v in plain atomic; do
		awk -v s="$(slowdown $v 2 8)" 'BEGIN { exit !(s > 1.5) }' || fail "$v, 2 threads, 8 bytes: slowdown only $(slowdown $v 2 8)"
		awk -v s="$(slowdown $v 2 128)" 'BEGIN { exit !(s < 1.5) }' || fail "$v, 2 threads, 128 bytes: slowdown $(slowdown $v 2 128)"
	done
fi

run bench falseshare --distance 12
expect_error 2 "invalid distance 12 in --distance"
run bench falseshare --variants plain,weird
expect_error 2 "unknown variant 'weird' in --variants"
run bench falseshare --threads 1,x
expect_error 2 "invalid value 'x' in --threads"

finish
