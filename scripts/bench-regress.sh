#!/bin/sh
# bench-regress: how often 'mesilab compare' cries wolf on an unchanged
# build, and whether it catches slowdowns made on purpose. A benchmark of
# the regression check itself, not a test: it takes minutes and its figures
# are this machine's.
#
#  1. N runs of one build, one after another;
#  2. each run against the next (pairwise), with and without the controls
#     (a copy without controls.csv is compared like a run of an older
#     version): the share of measured points called slower;
#  3. the runs after the first H against a history baseline of those H;
#  4. against that baseline, runs made slower on purpose: a process
#     streaming memory on the last usable CPU, a CPU quota of half a PU
#     (cgroup v1 or v2, as root), transparent huge pages off (as root):
#     what compare said of DRAM-sized and L1-sized points, and on top.
set -u

usage() {
	cat <<'USAGE'
usage: bench-regress [--quick] [--runs N] [--history H] [-o DIR]

Runs 'mesilab run --skip plot,report' N times (default 10; 8 with --quick)
into DIR (default bench-regress/), compares them as described at the top of
this script and prints one line per comparison and a summary table; the
summary is also DIR/summary.csv. MESILAB names the mesilab to use.
USAGE
}

mesilab=${MESILAB:-mesilab}
profile=""
runs=""
history=5
out=bench-regress
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--quick) profile=--quick ;;
	--runs) [ $# -ge 2 ] || { echo "bench-regress: --runs needs N" >&2; exit 2; }; runs=$2; shift ;;
	--history) [ $# -ge 2 ] || { echo "bench-regress: --history needs H" >&2; exit 2; }; history=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "bench-regress: -o needs DIR" >&2; exit 2; }; out=$2; shift ;;
	*) echo "bench-regress: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$runs" ] || runs=$([ -n "$profile" ] && echo 8 || echo 10)
case $runs$history in *[!0-9]*) echo "bench-regress: --runs and --history take numbers" >&2; exit 2 ;; esac
[ "$runs" -gt "$history" ] && [ "$history" -ge 3 ] ||
	{ echo "bench-regress: needs --history of at least 3 and more --runs than that" >&2; exit 2; }
mkdir -p "$out" || exit 2
summary="$out/summary.csv"
echo "comparison,measured,slower,faster,machine,flagged_share,detail" >"$summary"

say() { printf '%s\n' "$*" >&2; }

# one_run DIR [PREFIX...]: a run into DIR, under PREFIX (taskset, ...).
one_run() {
	dir=$1
	shift
	rm -rf "$dir"
	"$@" "$mesilab" run $profile --quiet --skip plot,report -o "$dir" >/dev/null ||
		{ say "bench-regress: the run into $dir failed"; exit 2; }
}

# tally NAME CSV [MIN MAX]: counts compare's verdicts into the summary; with
# MIN and MAX, only of latency and bandwidth points whose working set lies
# between them.
tally() {
	awk -F, -v name="$1" -v lo="${3:-}" -v hi="${4:-}" '
		NR == 1 { next }
		$7 ~ /^(slower|faster|within noise|machine)/ {
			if (lo != "") {
				if ($1 != "latency" && $1 != "bandwidth") next
				if (!match($2, /size_bytes=[0-9]+/)) next
				size = substr($2, RSTART + 11, RLENGTH - 11) + 0
				if (size < lo + 0 || size > hi + 0) next
			}
			n++
			if ($7 ~ /^slower/) s++
			if ($7 ~ /^faster/) f++
			if ($7 ~ /^machine/) m++
			if ($7 ~ /slower/) flagged++
		}
		END { printf "%s,%d,%d,%d,%d,%.4f,\n", name, n, s, f, m, n ? flagged / n : 0 }' "$2" >>"$summary"
	tail -n 1 "$summary" >&2
}

i=1
while [ "$i" -le "$runs" ]; do
	say "run $i of $runs"
	one_run "$out/run$i"
	i=$((i + 1))
done

# Pairwise, with the controls and without them.
i=1
while [ "$i" -lt "$runs" ]; do
	j=$((i + 1))
	"$mesilab" compare "$out/run$i" "$out/run$j" --csv >"$out/pair$i.csv" 2>"$out/pair$i.err"
	tally "pairwise run$i run$j" "$out/pair$i.csv"
	for r in "$i" "$j"; do
		rm -rf "$out/bare$r"
		mkdir "$out/bare$r" && cp "$out/run$r"/*.csv "$out/run$r/meta.json" "$out/bare$r/" && rm -f "$out/bare$r/controls.csv"
	done
	"$mesilab" compare "$out/bare$i" "$out/bare$j" --csv >"$out/pair$i-bare.csv" 2>/dev/null
	tally "pairwise-without-controls run$i run$j" "$out/pair$i-bare.csv"
	i=$j
done
rm -rf "$out"/bare*

# Against a history of the first H runs.
rm -rf "$out/history"
i=1
while [ "$i" -le "$history" ]; do
	"$mesilab" baseline add "$out/history" "$out/run$i" --quiet || exit 2
	i=$((i + 1))
done
while [ "$i" -le "$runs" ]; do
	"$mesilab" compare "$out/history" "$out/run$i" --csv >"$out/history$i.csv" 2>"$out/history$i.err"
	tally "history run$i" "$out/history$i.csv"
	i=$((i + 1))
done

# Slowdowns made on purpose, each against the history: what compare says
# on top (its warning) goes into the summary's detail.
slowdown() {
	name=$1
	"$mesilab" compare "$out/history" "$out/$name" --csv >"$out/$name.csv" 2>"$out/$name.err"
	tally "$name: dram points" "$out/$name.csv" "$dram" 1e15
	tally "$name: l1 points" "$out/$name.csv" 0 "$l1"
	tally "$name: all points" "$out/$name.csv"
	detail=$(grep -m1 'the machine' "$out/$name.err" | tr ',' ';')
	say "  $detail"
	sed -i "\$s|,\$|,$detail|" "$summary"
}

# DRAM-sized: twice the largest cache the curve showed, or more; L1-sized:
# within the first level.
levels="$out/run$runs/levels.csv"
dram=$(awk -F, 'NR > 1 && $4 + 0 > max { max = $4 + 0 } END { print 2 * max }' "$levels")
l1=$(awk -F, 'NR > 1 && $1 == "1" { print $4 + 0 }' "$levels")
[ -n "$l1" ] && [ "$dram" != 0 ] || { say "bench-regress: $levels shows no levels"; exit 2; }
last=$("$mesilab" topo --csv | awk -F, 'NR > 1 { n = split($9, p, /[-,]/); for (k = 1; k <= n; k++) if (p[k] + 0 > max) max = p[k] + 0 } END { print max + 0 }')
say "slowdown: a process streaming memory on CPU $last"
# mesilab's own copy kernel over 256 MiB, again and again: reads and writes
# at the rate one core can move (a dd from /dev/zero barely touches memory).
taskset -c "$last" sh -c 'trap "kill \$child 2>/dev/null; exit 0" TERM
	while :; do
		"$1" bench bandwidth --quiet --ops copy --threads 1 --min 256M --max 256M --repeat 100 -o "$2" >/dev/null 2>&1 &
		child=$!
		wait "$child" || exit 0
	done' sh "$mesilab" "$out/streamer" &
streamer=$!
sleep 2
one_run "$out/streaming"
kill "$streamer" 2>/dev/null
wait "$streamer" 2>/dev/null
slowdown streaming

# A CPU quota of half a PU, where this shell may make a cgroup.
quota=""
if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	quota=/sys/fs/cgroup/mesilab-quota.$$
	mkdir "$quota" && echo "50000 100000" >"$quota/cpu.max"
elif [ -w /sys/fs/cgroup/cpu ] && [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
	quota=/sys/fs/cgroup/cpu/mesilab-quota.$$
	mkdir "$quota" && echo 100000 >"$quota/cpu.cfs_period_us" && echo 50000 >"$quota/cpu.cfs_quota_us"
fi
if [ -n "$quota" ] && [ -d "$quota" ]; then
	say "slowdown: a CPU quota of half a PU"
	one_run "$out/quota" sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$quota"
	rmdir "$quota"
	slowdown quota
else
	say "slowdown: no CPU quota (needs root and a writable cpu cgroup)"
fi

thp=/sys/kernel/mm/transparent_hugepage/enabled
if [ -w "$thp" ]; then
	was=$(sed 's/.*\[\(.*\)\].*/\1/' "$thp")
	say "slowdown: transparent huge pages off (were $was)"
	echo never >"$thp"
	one_run "$out/thp-off"
	echo "$was" >"$thp"
	slowdown thp-off
else
	say "slowdown: THP left as it is (needs root)"
fi

echo
column -s, -t <"$summary" 2>/dev/null || cat "$summary"
awk -F, 'NR > 1 && $1 ~ /^pairwise run/ { n += $2; s += $3 } NR > 1 && $1 ~ /^pairwise-without/ { bn += $2; bs += $3 }
	NR > 1 && $1 ~ /^history/ { hn += $2; hs += $3 }
	END { printf "\nfalse alarms: pairwise %d of %d points slower (%.2f%%), without controls %d of %d (%.2f%%); against the history %d of %d (%.2f%%)\n",
		s, n, n ? 100 * s / n : 0, bs, bn, bn ? 100 * bs / bn : 0, hs, hn, hn ? 100 * hs / hn : 0 }' "$summary"
