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
# The effect: one thread shares nothing (no slowdown at any distance); two
# threads on two cores are clearly slower 8 bytes apart than a line apart,
# and not 128 bytes apart (the effect is several times larger; the bounds
# leave room for noise). Timings need the threads running undisturbed:
# other tests running beside this one can prevent that, so a few attempts
# are allowed; the effect cannot appear by accident, only disappear.
effect_seen() {
	awk -v one="$(slowdown "$1" 1 8)" -v near="$(slowdown "$1" 2 8)" -v far="$(slowdown "$1" 2 128)" \
		-v two="$2" 'BEGIN { ok = one > 0.5 && one < 1.5
		if (two) ok = ok && near > 1.5 && far < 1.5
		exit !ok }'
}
two=0
grep -q '^plain,2,' "$WORK/fs/falseshare.csv" && two=1
for v in plain atomic; do
	seen=no
	for attempt in 1 2 3 4 5; do
		if effect_seen $v $two; then
			seen=yes
			break
		fi
		[ "$attempt" -lt 5 ] || break
		"$MESILAB" bench falseshare --quick --quiet --distance 8,64,128 --threads 1,2 --variants $v \
			-o "$WORK/fs" >/dev/null 2>&1 || fail "bench falseshare failed"
	done
	[ "$seen" = yes ] || fail "$v: slowdown $(slowdown $v 1 8) with one thread at 8 bytes;" \
		"$(slowdown $v 2 8) and $(slowdown $v 2 128) with two at 8 and 128 bytes, in 5 attempts"
done

run bench falseshare --distance 12
expect_error 2 "invalid distance 12 in --distance"
run bench falseshare --variants plain,weird
expect_error 2 "unknown 'weird' in --variants"
run bench falseshare --threads 1,x
expect_error 2 "invalid value 'x' in --threads"

finish
