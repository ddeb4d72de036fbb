#!/bin/sh
# bench-compare: how often the gate of 'mesilab compare' fails an unchanged
# build, and how often it catches one point made 25% slower. A benchmark of
# the gate itself, not a test: it takes an hour or more and its figures are
# this machine's.
#
#  1. N runs of one build, one after another, in the quick profile and in
#     the default one (the benchmarks compare judges only: no simulation,
#     figures or report);
#  2. P pairs of those runs, each compared as 'mesilab compare BASE NEW'
#     (the earlier run the base): run i against i+1, then i+2, ..., until P
#     pairs; and P comparisons of a run against a history of H others
#     ('mesilab baseline add'): the H runs before it, then the H after it,
#     counted round the end. Pairs share runs: they are not independent
#     (a run that is odd fails every pair it is in);
#  3. the same comparisons with a copy of the new run whose steady point
#     (by default latency at 16 KiB: inside any L1 data cache; --point
#     names another) has its samples and its value made 25% slower (a time
#     scaled by 1.25, a rate by 0.8: caught when compare calls that point
#     slower and exits 1) and 20% faster (a time by 0.8, a rate by 1.25:
#     seen when it calls it faster);
#  4. how steady that point was in the runs: no gate can catch 25% where
#     the point itself varies by more from run to run.
set -u

usage() {
	cat <<'USAGE'
usage: bench-compare [--runs N] [--pairs P] [--history H] [--profiles LIST]
                     [--point 'BENCHMARK:KEY=VALUE ...'] [-o DIR]

Makes N runs (default 10) of each profile of LIST (default quick,default)
into DIR/PROFILE/runI (default DIR: bench-compare/; a complete run already
there is used again, so that a stopped benchmark goes on, and the gate can
be measured again on the same runs), then compares them as described at
the top of this script: P pairs (default 20) and P runs against a history
of H (default 5). The point made slower and faster is --point, as compare
names it (default 'latency:size_bytes=16384 order=tlb pages=4k'). Prints a
table, also DIR/summary.csv, and how far the point varied over the runs
and within one; every comparison is in DIR/comparisons.csv.
MESILAB names the mesilab to use.
USAGE
}

mesilab=${MESILAB:-mesilab}
runs=10
pairs=20
history=5
profiles=quick,default
chosen="latency:size_bytes=16384 order=tlb pages=4k"
out=bench-compare
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--runs) [ $# -ge 2 ] || { echo "bench-compare: --runs needs N" >&2; exit 2; }; runs=$2; shift ;;
	--pairs) [ $# -ge 2 ] || { echo "bench-compare: --pairs needs P" >&2; exit 2; }; pairs=$2; shift ;;
	--history) [ $# -ge 2 ] || { echo "bench-compare: --history needs H" >&2; exit 2; }; history=$2; shift ;;
	--profiles) [ $# -ge 2 ] || { echo "bench-compare: --profiles needs a LIST" >&2; exit 2; }; profiles=$2; shift ;;
	--point) [ $# -ge 2 ] || { echo "bench-compare: --point needs a point" >&2; exit 2; }; chosen=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "bench-compare: -o needs DIR" >&2; exit 2; }; out=$2; shift ;;
	*) echo "bench-compare: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $runs$pairs$history in *[!0-9]*) echo "bench-compare: --runs, --pairs and --history take numbers" >&2; exit 2 ;; esac
[ "$history" -ge 3 ] && [ "$runs" -gt "$history" ] && [ "$pairs" -ge 1 ] ||
	{ echo "bench-compare: needs --history of at least 3, more --runs than that, and --pairs" >&2; exit 2; }
[ "$pairs" -le $((runs * (runs - 1) / 2)) ] ||
	{ echo "bench-compare: $runs runs make at most $((runs * (runs - 1) / 2)) pairs" >&2; exit 2; }
for profile in $(echo "$profiles" | tr ',' ' '); do
	case $profile in
	quick | default) ;;
	*) echo "bench-compare: unknown profile '$profile' (quick, default)" >&2; exit 2 ;;
	esac
done
. "$(dirname "$0")/bench-lib.sh"
mkdir -p "$out" || exit 2

say() { printf '%s\n' "$*" >&2; }

# What compare judges, without what it does not measure (the simulation,
# figures and report): the default profile's runs take minutes each.
stages=latency,bandwidth,falseshare,c2c,contention,states,storage,timeshare
# The steady point: its benchmark, which is also its table's name, its
# keys, its value's column and which way is slower.
benchmark=${chosen%%:*}
point=${chosen#*:}
case $benchmark in
latency | c2c | states | storage) value=latency_ns ;;
falseshare | contention) value=ns_per_op ;;
timeshare) value=switch_ns ;;
bandwidth) value=bandwidth_gbs ;;
*) echo "bench-compare: --point '$chosen': not BENCHMARK:KEY=VALUE ... of a measured benchmark" >&2; exit 2 ;;
esac
slower=1.25
faster=0.8
[ "$benchmark" != bandwidth ] || { slower=0.8; faster=1.25; }

# complete DIR: a run that ended well is there.
complete() {
	grep -q '"status": "complete"' "$1/meta.json" 2>/dev/null
}

# one_run PROFILE I: run I of PROFILE, unless it is there already.
one_run() {
	dir=$out/$1/run$2
	complete "$dir" && return 0
	rm -rf "$dir"
	flag=$([ "$1" = quick ] && echo --quick || echo)
	secs=$(seconds "$mesilab" run $flag --quiet --only "$stages" -o "$dir")
	complete "$dir" || { say "bench-compare: the run into $dir did not complete"; exit 2; }
	say "$1 run $2 of $runs: $secs s"
}

# scaled RUN COPY FACTOR: COPY is RUN with the steady point's value and
# samples multiplied by FACTOR.
scaled() {
	rm -rf "$2"
	cp -R "$1" "$2" || exit 2
	for f in "$benchmark.csv" "$benchmark-samples.csv"; do
		awk -F, -v OFS=, -v f="$3" -v point="$point" -v value="$value" '
			NR == 1 {
				for (i = 1; i <= NF; i++) col[$i] = i
				nkeys = split(point, pairs, " ")
				for (k = 1; k <= nkeys; k++) names[k] = substr(pairs[k], 1, index(pairs[k], "=") - 1)
				print
				next
			}
			{
				key = ""
				for (k = 1; k <= nkeys; k++) key = key (k > 1 ? " " : "") names[k] "=" $col[names[k]]
				if (key == point) $col[value] = sprintf("%.6g", $col[value] * f)
				print
			}' "$1/$f" >"$2/$f" || exit 2
	done
}

# judge PROFILE MODE BASE NEW CASE: compares BASE (a run or a history)
# with NEW; one line of comparisons.csv: compare's exit status, how many
# points it called slower, and what it said of the steady point.
judge() {
	"$mesilab" compare "$3" "$4" --csv >"$out/compare.csv" 2>"$out/compare.err"
	status=$?
	[ "$status" -le 1 ] || { say "bench-compare: compare $3 $4: $(cat "$out/compare.err")"; exit 2; }
	awk -F, -v OFS=, -v profile="$1" -v mode="$2" -v base="${3##*/}" -v new="${4##*/}" -v case="$5" \
		-v status="$status" -v benchmark="$benchmark" -v point="$point" '
		NR > 1 && $7 == "slower" { slower++ }
		NR > 1 && $7 ~ /^edge-sensitive/ { edge++ }
		NR > 1 && $7 ~ /^cannot see/ { blind++ }
		NR > 1 && $1 == benchmark && $2 == point { verdict = $7; detectable = $11 }
		END { print profile, mode, base, new, case, status, slower + 0, edge + 0, blind + 0, verdict, detectable }' \
		"$out/compare.csv" >>"$out/comparisons.csv"
}

# with_injections PROFILE MODE BASE NEW: NEW as it is, then slower and
# faster at the steady point.
with_injections() {
	judge "$1" "$2" "$3" "$4" same
	scaled "$4" "$out/injected" "$slower"
	judge "$1" "$2" "$3" "$out/injected" slower
	scaled "$4" "$out/injected" "$faster"
	judge "$1" "$2" "$3" "$out/injected" faster
	rm -rf "$out/injected"
}

echo "profile,mode,base,new,case,status,slower,edge_sensitive,cannot_see,point_verdict,point_detectable_pct" \
	>"$out/comparisons.csv"
for profile in $(echo "$profiles" | tr ',' ' '); do
	i=1
	while [ "$i" -le "$runs" ]; do
		one_run "$profile" "$i"
		i=$((i + 1))
	done
	# Pairs: each run against the next, then the one after, ...
	made=0
	gap=1
	while [ "$made" -lt "$pairs" ]; do
		i=1
		while [ "$made" -lt "$pairs" ] && [ $((i + gap)) -le "$runs" ]; do
			with_injections "$profile" pairwise "$out/$profile/run$i" "$out/$profile/run$((i + gap))"
			made=$((made + 1))
			i=$((i + 1))
		done
		gap=$((gap + 1))
	done
	say "$profile: $made pairs compared"
	# Histories: the H runs before the new one, then the H after it.
	made=0
	side=-1
	while [ "$made" -lt "$pairs" ]; do
		j=1
		while [ "$made" -lt "$pairs" ] && [ "$j" -le "$runs" ]; do
			rm -rf "$out/history"
			k=1
			while [ "$k" -le "$history" ]; do
				member=$(( (j - 1 + side * k + runs * history) % runs + 1 ))
				"$mesilab" baseline add --quiet "$out/history" "$out/$profile/run$member" || exit 2
				k=$((k + 1))
			done
			with_injections "$profile" history "$out/history" "$out/$profile/run$j"
			made=$((made + 1))
			j=$((j + 1))
		done
		side=1
	done
	rm -rf "$out/history"
	say "$profile: $made runs compared with a history of $history"
done
rm -f "$out/compare.csv" "$out/compare.err"

# One line per profile and mode: of the P comparisons, how many failed the
# unchanged build, caught the point 25% slower, saw it 20% faster; the
# median of the points edge-sensitive and blind per comparison, and of
# the steady point's detectable change.
awk -F, -v OFS=, '
	NR == 1 { next }
	{
		k = $1 "," $2
		if (!(k in n)) order[++keys] = k
		if ($5 == "same") { n[k]++; alarms[k] += $6 == 1; edge[k] = edge[k] " " $8; blind[k] = blind[k] " " $9 }
		if ($5 == "slower") caught[k] += $6 == 1 && $10 == "slower"
		if ($5 == "faster") faster[k] += $10 == "faster"
		if ($5 == "same" && $11 != "") seen[k] = seen[k] " " $11
	}
	function median(list,    v, m, i, j, t) {
		m = split(list, v, " ")
		if (m == 0) return ""
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
		return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	}
	# A detectable change of over 1000% says as much as any larger one.
	function change(pct) { return pct == "" ? "" : pct + 0 > 1000 ? ">1000" : sprintf("%.1f", pct) }
	END {
		print "profile", "mode", "comparisons", "false_alarms", "caught_slower_25pct", "seen_faster_20pct",
			"median_edge_sensitive", "median_cannot_see", "median_point_detectable_pct"
		for (i = 1; i <= keys; i++) {
			k = order[i]
			print k, n[k], alarms[k] + 0, caught[k] + 0, faster[k] + 0, median(edge[k]), median(blind[k]), change(median(seen[k]))
		}
	}' "$out/comparisons.csv" >"$out/summary.csv"

echo
column -s, -t <"$out/summary.csv" 2>/dev/null || cat "$out/summary.csv"
# The targets: at most one false alarm in 20 comparisons in every mode; 19
# slowdowns caught in 20 with the default profile and with a history.
awk -F, '
	NR == 1 { next }
	{
		allowed = int($3 / 20); needed = $3 - allowed
		printf "%s %s: %d false alarms in %d (target at most %d: %s)", $1, $2, $4, $3, allowed,
			($4 <= allowed ? "met" : "NOT met")
		if ($1 == "default" || $2 == "history")
			printf "; %d of %d slowdowns caught (target %d: %s)\n", $5, $3, needed, ($5 >= needed ? "met" : "NOT met")
		else
			printf "; %d of %d slowdowns caught (no target)\n", $5, $3
	}' "$out/summary.csv"

# How steady the point was: a 25% change can only be caught where its
# runs and its repetitions within a run vary less than that. Over the
# runs of each profile, its lowest and highest value, and the median of
# the ratio of its highest repetition to its lowest in one run.
for profile in $(echo "$profiles" | tr ',' ' '); do
	i=1
	while [ "$i" -le "$runs" ]; do
		for f in "$benchmark.csv" "$benchmark-samples.csv"; do
			awk -F, -v point="$point" -v value="$value" -v run="$i" -v kind="${f%.csv}" '
				NR == 1 {
					for (c = 1; c <= NF; c++) col[$c] = c
					nkeys = split(point, pairs, " ")
					for (k = 1; k <= nkeys; k++) names[k] = substr(pairs[k], 1, index(pairs[k], "=") - 1)
					next
				}
				{
					key = ""
					for (k = 1; k <= nkeys; k++) key = key (k > 1 ? " " : "") names[k] "=" $col[names[k]]
					if (key == point) print run, kind, $col[value]
				}' "$out/$profile/run$i/$f"
		done
		i=$((i + 1))
	done | awk -v profile="$profile" -v chosen="$chosen" -v benchmark="$benchmark" '
		$2 == benchmark {
			if (low == "" || $3 + 0 < low) low = $3 + 0
			if (high == "" || $3 + 0 > high) high = $3 + 0
		}
		$2 != benchmark {
			if (!($1 in lo) || $3 + 0 < lo[$1]) lo[$1] = $3 + 0
			if (!($1 in hi) || $3 + 0 > hi[$1]) hi[$1] = $3 + 0
		}
		END {
			for (r in lo) if (lo[r] > 0) ratio[++m] = hi[r] / lo[r]
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (ratio[j] < ratio[i]) { t = ratio[i]; ratio[i] = ratio[j]; ratio[j] = t }
			med = m == 0 ? 0 : m % 2 ? ratio[(m + 1) / 2] : (ratio[m / 2] + ratio[m / 2 + 1]) / 2
			if (low > 0)
				printf "%s: the point %s went from %.4g to %.4g over the runs (%.2f times); its highest repetition in a run, %.2f times its lowest (median)\n",
					profile, chosen, low, high, high / low, med
		}'
done
