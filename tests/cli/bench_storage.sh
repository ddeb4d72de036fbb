#!/bin/sh
# bench storage: every measurement on a real file system, nothing left
# behind; on tmpfs (no O_DIRECT, pages never dropped) and on a nearly
# full file system the run says what it could not measure and goes on.
. "$TESTLIB"
measures

mkdir "$WORK/fs1"
quiet_begin 1
run bench storage --quick --path "$WORK/fs1" -o "$WORK/run"
expect_status 0
[ -z "$(ls -A "$WORK/fs1")" ] || fail "files left in --path: $(ls -A "$WORK/fs1")"
for m in "pagecache_read,4096" "pagecache_read,65536" "minor_fault,4096"; do
	awk -F, -v m="$m" 'index($0, m ",") == 1 && $3 > 0 { ok = 1 } END { exit !ok }' "$WORK/run/storage.csv" ||
		fail "$m: $(cat "$WORK/run/storage.csv")"
done
# The device and major faults: measured, or said why not (a container's overlay, tmpfs).
for m in major_fault direct_read_random direct_read_sequential; do
	grep -q "^$m," "$WORK/run/storage.csv" || grep -q "\"what\": \"storage $m\"" "$WORK/run/meta.json" ||
		fail "$m neither measured nor said"
done
# A page-cache read is faster than a major fault, which reads the device.
if quiet_judged "a cached read against a major fault"; then
	awk -F, '$1 == "pagecache_read" && $2 == 4096 { c = $3 } $1 == "major_fault" { m = $3 }
		END { exit !(m == "" || c < m) }' "$WORK/run/storage.csv" ||
		fail "a cached read slower than a major fault: $(cat "$WORK/run/storage.csv")"
fi
[ "$(grep -c ',' "$WORK/run/storage-samples.csv")" -gt 10 ] || fail "no samples"

fs_namespace
if [ -n "$NAMESPACE" ]; then
	# tmpfs: no O_DIRECT, and the file's pages are the file.
	in_fs size=128m "$MESILAB" bench storage --quick --path "$WORK/fs" -o "$WORK/fs/run"
	[ "$status" -eq 0 ] || fail "storage on tmpfs: exit $status: $(cat "$WORK/err")"
	grep -q "direct_read_random not measured: the file system is in memory (tmpfs)\|direct_read_random not measured: the file system refuses O_DIRECT" "$WORK/err" ||
		fail "O_DIRECT on tmpfs: $(cat "$WORK/err")"
	grep -q "major_fault not measured: the file system keeps the file's pages in memory" "$WORK/err" ||
		fail "major faults on tmpfs: $(cat "$WORK/err")"
	# Too little room: the minor fault alone.
	in_fs size=16m "$MESILAB" bench storage --quick --path "$WORK/fs"
	[ "$status" -eq 0 ] || fail "storage on a small file system: exit $status: $(cat "$WORK/err")"
	grep -q "too little for a test file" "$WORK/err" || fail "no room not said: $(cat "$WORK/err")"
	grep -q "^minor_fault " "$WORK/out" || fail "the minor fault not measured without room: $(cat "$WORK/out")"
else
	echo "no private mount namespace here: tmpfs cases skipped" >&2
fi

run bench storage --size 12x
expect_error 2 "--size"

finish
