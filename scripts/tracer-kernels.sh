#!/bin/sh
# tracer-kernels: what tracing with mesilab-cc costs six small parallel
# kernels (bench/kernels/: FFT, blocked LU, radix sort, ocean, water,
# n-body). Each is built plain (cc -O2 -pthread) and with mesilab-cc (-O2
# -g) and run a few times; per kernel it prints the median native and
# traced seconds, the slowdown, the time the traced program spends after
# its last output (its exit) and that time's share of the traced run, the
# records, the bytes per record on disk, the peak disk space of the
# trace's directory during the run over the final trace's size, and the
# replay speed of the trace under MESI (and of the same program traced in
# version 3, the format before version 4, which the runtime still writes
# to a FIFO: one more traced run). Then one line per target: each figure beside its target, met
# or not. It reads the trace only through 'mesilab trace info' and its
# size, so it measures any version of the format.
#
# A benchmark of the tracer, not a test: its figures are this machine's.
# A separate script from tracer-bench.sh, which measures one loop per
# thread count and order with a table of its own; this one has its own
# programs, repetitions, columns and targets.
set -u

me=tracer-kernels

usage() {
	cat <<'USAGE'
usage: tracer-kernels [--kernels LIST] [--sizes LIST] [--threads N] [-n RUNS]
                      [--timeout SECONDS] [--csv] [-q] [-o DIR]

  --kernels LIST   kernels, comma-separated (default fft,lu,radix,ocean,water,nbody)
  --sizes LIST     KERNEL=SIZE pairs, comma-separated, for the kernels' size
                   argument (default: each kernel's own, 20 to 100 ms natively
                   with 2 threads on a two-core machine; see bench/kernels/)
  --threads N      threads of each kernel (default 2)
  -n, --runs N     runs of each build, the median reported (default 3); each
                   trace is replayed once
  --timeout S      time limit of every process it starts (default 600)
  --csv            CSV on standard output: one row per kernel, one per target
  -q, --quiet      no progress on stderr (none either when stderr is no terminal)
  -o DIR           keep the programs, each kernel's last trace (gigabytes) and
                   its version 3 trace in DIR (default: a temporary directory,
                   removed)

MESILAB_CC_BIN names mesilab-cc (default: the one on PATH), MESILAB names
mesilab, MESILAB_CC the compiler of the plain builds (default cc),
MESILAB_LOADAVG the file the load average is read from (default
/proc/loadavg). The targets on time are not judged when the machine was
busy: a 1-minute load over half the PUs at the start, or over one and a
half times them at the end.
USAGE
}

die() {
	echo "$me: $*" >&2
	exit 2
}

cc_bin=${MESILAB_CC_BIN:-mesilab-cc}
mesilab=${MESILAB:-mesilab}
plain_cc=${MESILAB_CC:-cc}
# Where the load average is read (a file like /proc/loadavg; its tests
# name another).
loadavg=${MESILAB_LOADAVG:-/proc/loadavg}
all_kernels=fft,lu,radix,ocean,water,nbody
kernels=$all_kernels
sizes=""
threads=2
runs=3
limit=600
csv=0
quiet=0
[ -t 2 ] || quiet=1
out=""
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--kernels | --sizes | --threads | -n | --runs | --timeout | -o)
		[ $# -ge 2 ] || die "$1 needs a value (see --help)"
		case $1 in
		--kernels) kernels=$2 ;;
		--sizes) sizes=$2 ;;
		--threads) threads=$2 ;;
		-n | --runs) runs=$2 ;;
		--timeout) limit=$2 ;;
		-o) out=$2 ;;
		esac
		shift ;;
	--csv) csv=1 ;;
	-q | --quiet) quiet=1 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

# number WHAT VALUE MAX: VALUE is a whole number from 1 to MAX.
number() {
	case $2 in '' | *[!0-9]*) die "$1 takes a number from 1 to $3, not '$2'" ;; esac
	[ "${#2}" -le 6 ] && [ "$2" -ge 1 ] && [ "$2" -le "$3" ] || die "$1 takes a number from 1 to $3, not '$2'"
}
number --threads "$threads" 64
number --runs "$runs" 99
number --timeout "$limit" 86400
kernels=$(echo "$kernels" | tr ',' ' ')
[ -n "$kernels" ] || die "--kernels names no kernel"
for k in $kernels; do
	case ",$all_kernels," in *",$k,"*) ;; *) die "--kernels: no kernel '$k' (the kernels: $all_kernels)" ;; esac
done
for pair in $(echo "$sizes" | tr ',' ' '); do
	case $pair in
	*=*) k=${pair%%=*} ;;
	*) die "--sizes takes KERNEL=SIZE pairs, not '$pair'" ;;
	esac
	case ",$all_kernels," in *",$k,"*) ;; *) die "--sizes: no kernel '$k' (the kernels: $all_kernels)" ;; esac
	number "--sizes $k" "${pair#*=}" 999999999
done

# size_of KERNEL: the size given for KERNEL, or nothing (its own default).
size_of() {
	for pair in $(echo "$sizes" | tr ',' ' '); do
		[ "${pair%%=*}" != "$1" ] || echo "${pair#*=}"
	done | tail -n 1
}

progress() {
	[ "$quiet" = 1 ] || echo "$me: $*" >&2
}

src=$(cd "$(dirname "$0")/../bench/kernels" 2>/dev/null && pwd) || die "no bench/kernels/ beside $(dirname "$0")"
for tool in timeout od awk df; do
	command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done

# Every build, program and mesilab command runs under 'timeout -k' and
# 'ulimit -f' (FSIZE blocks of 512 bytes; a shell counting in KiB allows
# twice as much, still bounded; never above the limit this script was
# given, which it cannot raise), in the background so that an interrupt
# ends it at once (timeout puts it in a process group of its own, which
# the terminal's ^C does not reach).
child=""
fsize=2097152
given_fsize=$(ulimit -f)
limited() {
	blocks=$fsize
	[ "$given_fsize" = unlimited ] || [ "$blocks" -le "$given_fsize" ] || blocks=$given_fsize
	(ulimit -f "$blocks" && exec timeout -k 5 "$limit" "$@") </dev/null &
	child=$!
	wait "$child"
	st=$?
	child=""
	return "$st"
}
# An interrupt ends the running process and waits for it (timeout's -k
# bounds the wait), so that the temporary directory goes after it.
interrupted() {
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
		wait "$child"
	fi
	exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM
trap 'interrupted 129' HUP

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/tracer-kernels.XXXXXX") || exit 2
	keep=0
	trap 'rm -rf "$out"' EXIT
else
	mkdir -p "$out" || exit 2
	out=$(cd "$out" && pwd) || exit 2
	keep=1
fi

# why STATUS WHAT: dies saying why WHAT (its stderr in $out/err) failed.
why() {
	case $1 in
	124 | 137) die "$2 ran past the time limit of $limit s (--timeout)" ;;
	153) die "$2 wrote a file over the limit of $((blocks / 2048)) MiB (ulimit -f, sized to the job)" ;;
	*) die "$2 failed (status $1): $(head -n 5 "$out/err")" ;;
	esac
}

# The stopwatch (bench/kernels/watch.c): the run's seconds, the seconds
# from its last output to its end, the peak disk space of the trace's
# directory. Timing the last line from here (a pipe read by the shell, or
# 'date' after the program) would add a process start to every figure.
limited "$plain_cc" -O2 -o "$out/watch" "$src/watch.c" 2>"$out/err" || why $? "building the stopwatch"

# stopwatch WHAT CMD...: CMD under the stopwatch; sets seconds, exit_s,
# peak and line (CMD's last line of output).
stopwatch() {
	what=$1
	shift
	limited "$out/watch" "$@" >"$out/watch.out" 2>"$out/err" || why $? "$what"
	read -r seconds exit_s peak <"$out/watch.out" || die "$what: the stopwatch said nothing"
	line=$(sed -n 2p "$out/watch.out")
	[ "$exit_s" != - ] && [ -n "$line" ] || die "$what printed no checksum line: $(head -n 5 "$out/err")"
}

# median FILE: the median of the numbers in FILE, one a line.
median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# version FILE: the version field of a binary trace (u16, little-endian,
# after the 8-byte magic).
version() {
	od -A n -t u1 -j 8 -N 2 "$1" | awk 'NF == 2 { print $1 + 256 * $2 }'
}

# replay TRACE: sets rate, the M accesses per second that 'mesilab sim -p
# mesi TRACE' says it replayed at.
replay() {
	limited env MESILAB_RESULTS_DIR="$out/results" "$mesilab" sim --quiet -p mesi "$1" >"$out/sim.out" 2>"$out/err" ||
		why $? "replaying $1"
	rm -rf "$out/results"
	rate=$(sed -n 's/.*(\([0-9.]*\) M accesses\/s)[^(]*$/\1/p' "$out/sim.out" | head -n 1)
	[ -n "$rate" ] || die "replaying $1: sim said no speed (M accesses/s): $(head -n 2 "$out/sim.out")"
}

load() {
	if [ -r "$loadavg" ]; then
		cut -d ' ' -f 1-3 "$loadavg"
	else
		uptime | sed 's/.*load average[s]*: *//; s/,//g'
	fi
}
load_start=$(load)
pus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
free_kib=$(df -Pk "$out" | awk 'NR == 2 { print $4 }')

: >"$out/rows"
for k in $kernels; do
	size=$(size_of "$k")
	progress "$k: building"
	fsize=2097152
	limited "$plain_cc" -O2 -pthread -o "$out/$k.plain" "$src/$k.c" -lm 2>"$out/err" || why $? "$k: the plain build"
	limited "$cc_bin" -O2 -g -pthread -o "$out/$k.traced" "$src/$k.c" -lm 2>"$out/err" || why $? "$k: the build with $cc_bin"

	# $size unquoted: no argument at all where no size was given (the
	# kernel's own default).
	: >"$out/native"
	i=1
	while [ "$i" -le "$runs" ]; do
		progress "$k: plain run $i of $runs"
		stopwatch "$k: plain run $i" "$out/$k.plain" "$threads" $size
		[ "$i" = 1 ] && plain_line=$line
		[ "$line" = "$plain_line" ] || die "$k: plain run $i printed '$line', run 1 '$plain_line'"
		echo "$seconds" >>"$out/native"
		i=$((i + 1))
	done
	native=$(median "$out/native")

	# A traced run's files under 'ulimit -f' sized to the job: at most 4
	# billion accesses a second per thread (more than a core makes) of
	# the native run, 32 bytes each, at least 256 MiB, and no more than
	# half the free space.
	fsize=$(awk -v s="$native" -v t="$threads" -v free="$free_kib" 'BEGIN {
		b = s * t * 4e9 * 32 / 512; if (b < 524288) b = 524288; if (b > free) b = free
		printf "%.0f", b }')
	dir="$out/$k.trace.d"
	trace="$dir/$k.trace"
	: >"$out/traced"
	i=1
	while [ "$i" -le "$runs" ]; do
		progress "$k: traced run $i of $runs"
		rm -rf "$dir" && mkdir "$dir" || exit 2
		stopwatch "$k: traced run $i" -d "$dir" env MESILAB_TRACE="$trace" "$out/$k.traced" "$threads" $size
		[ "$line" = "$plain_line" ] || die "$k: the traced build printed '$line', the plain build '$plain_line'"
		[ -f "$trace" ] || die "$k: traced run $i wrote no trace $trace: $(head -n 5 "$out/err")"
		bytes=$(wc -c <"$trace")
		echo "$seconds $exit_s $peak $bytes" >>"$out/traced"
		i=$((i + 1))
	done
	awk '{ print $1 }' "$out/traced" >"$out/column"
	traced=$(median "$out/column")
	awk '{ print $2 }' "$out/traced" >"$out/column"
	exit_median=$(median "$out/column")
	awk '{ print $2 / $1 }' "$out/traced" >"$out/column"
	share=$(median "$out/column")
	awk '{ print ($4 > 0 ? $3 / $4 : 0) }' "$out/traced" >"$out/column"
	spool=$(median "$out/column")

	# The last run's trace: its records, format, replay.
	progress "$k: reading the trace"
	limited "$mesilab" trace info --csv -q "$trace" >"$out/info.csv" 2>"$out/err" || why $? "$k: mesilab trace info"
	records=$(awk -F, '$1 == "all" { print $2 }' "$out/info.csv")
	[ -n "$records" ] || die "$k: mesilab trace info --csv gave no 'all' row: $(head -n 3 "$out/info.csv")"
	format=$(version "$trace")
	progress "$k: replaying the trace"
	replay "$trace"
	rate_v1=$rate
	# The same program's trace in the format it replaces (version 3,
	# merged at exit), which the runtime still writes to a FIFO: the
	# replay speed of today's traces, measured beside. Opening the FIFO
	# read-write at the end frees a reader the program never wrote to.
	rate_old=-
	if [ "$format" -gt 3 ] && mkfifo "$dir/v3.fifo" 2>/dev/null; then
		progress "$k: a traced run writing version 3 through a FIFO"
		limited sh -c 'cat "$1" >"$2" & reader=$!
			MESILAB_TRACE="$1" "$3" "$4" $5 >/dev/null; st=$?
			(exec 3<>"$1"); wait "$reader" && exit "$st"' \
			sh "$dir/v3.fifo" "$dir/v3.trace" "$out/$k.traced" "$threads" "$size" 2>"$out/err" ||
			why $? "$k: the traced run writing version 3 through a FIFO"
		if [ "$(version "$dir/v3.trace")" = 3 ]; then
			progress "$k: replaying the version 3 trace"
			replay "$dir/v3.trace"
			rate_old=$rate
		fi
		[ "$keep" = 1 ] || rm -f "$dir/v3.trace" "$dir/v3.fifo"
	fi
	what=$(echo "$plain_line" | sed -n 's/^[^ ]* \(.*\) checksum.*/\1/p' | tr -c 'a-zA-Z0-9 \n' '_')
	echo "$k|${what:-?}|$native|$traced|$exit_median|$share|$records|$bytes|$spool|$rate_v1|$rate_old|$format" >>"$out/rows"
	[ "$keep" = 1 ] || rm -rf "$dir" "$out/$k.plain" "$out/$k.traced"
done
load_end=$(load)

# The table and the targets, from the rows (kernel|size|native|traced|
# exit|share|records|last trace's bytes|spool|replay|replay v3|format).
awk -F'|' -v csv="$csv" -v threads="$threads" -v runs="$runs" -v load_start="$load_start" \
	-v load_end="$load_end" -v pus="$pus" '
function fmt(f, v) { return v == "-" ? "-" : sprintf(f, v) }
# A target on time (TIMED) is not judged on a busy machine: other work
# before the benchmark started (a 1-minute load over half the PUs), or
# beside it (over one and a half times the PUs at the end; the benchmark
# itself keeps its threads busy).
function target(id, words, value, shown, op, limit, limit_shown, timed) {
	met = op == "<=" ? value + 0 <= limit : value + 0 >= limit
	verdict = timed && busy ? "not judged: the machine was busy" : met ? "met" : "not met"
	if (csv)
		printf "target,%s,,,,,,,,,,,,,%s,%s%s,%s\n", id, value, op, limit, timed && busy ? "not-judged" : met ? "yes" : "no"
	else
		printf "%-44s %9s   target %s %-7s %s\n", words, shown, op, limit_shown, verdict
}
BEGIN {
	split(load_start, before, " ")
	split(load_end, after, " ")
	busy = pus + 0 > 0 && (before[1] > pus / 2 || after[1] > 1.5 * pus)
	if (csv)
		print "kind,name,size,native_s,traced_s,slowdown,exit_s,exit_share,records,bytes_per_record,spool_ratio,replay_maccesses_s,replay_v3_maccesses_s,format_version,value,target,met"
	else {
		printf "%d threads, median of %d run%s; load average %s at the start, %s at the end, %s PUs\n", threads, runs, runs == 1 ? "" : "s", load_start, load_end, pus
		printf "%-7s %-16s %9s %9s %9s %8s %6s %11s %6s %7s %9s %9s %6s\n", "kernel", "size", "native_s", "traced_s",
			"slowdown", "exit_s", "exit%", "records", "B/rec", "spool", "replay", "v3_replay", "format"
	}
}
{
	slow = $4 / $3; bpr = $7 > 0 ? $8 / $7 : 0; n++
	logsum += log(slow)
	if (slow > worst_slow) { worst_slow = slow; worst_slow_k = $1 }
	if ($6 > worst_share || n == 1) { worst_share = $6; worst_share_k = $1 }
	if (bpr > worst_bpr || n == 1) { worst_bpr = bpr; worst_bpr_k = $1 }
	if ($9 > worst_spool || n == 1) { worst_spool = $9; worst_spool_k = $1 }
	if ($11 != "-") {
		ratio = $10 / $11; old++
		if (old == 1 || ratio < worst_replay) { worst_replay = ratio; worst_replay_k = $1 }
	}
	if (n == 1 || $10 < slowest) { slowest = $10; slowest_k = $1 }
	if (csv)
		printf "kernel,%s,%s,%.4f,%.3f,%.1f,%.3f,%.3f,%d,%.2f,%.2f,%s,%s,%s,,,\n", $1, $2, $3, $4, slow, $5, $6, $7, bpr,
			$9, $10, $11, $12
	else
		printf "%-7s %-16s %9.4f %9.3f %8.1fx %8.3f %5.1f%% %11d %6.2f %6.2fx %9s %9s %6s\n", $1, $2, $3, $4, slow, $5,
			100 * $6, $7, bpr, $9, $10, $11, $12
}
END {
	if (!csv) {
		print "exit_s: from the last output to the end; spool: the peak disk space of the trace'"'"'s directory over the"
		print "trace; replay: M accesses/s of '"'"'mesilab sim -p mesi'"'"'; v3_replay: of the same program traced in version 3"
		print "(merged at exit, the format before version 4), written through a FIFO"
		print "targets:"
	}
	geo = exp(logsum / n)
	target("slowdown_geomean", "slowdown, geometric mean", sprintf("%.2f", geo), sprintf("%.1fx", geo), "<=", 15, "15x", 1)
	target("slowdown_worst", "slowdown, worst (" worst_slow_k ")", sprintf("%.2f", worst_slow), sprintf("%.1fx", worst_slow),
		"<=", 30, "30x", 1)
	target("exit_share_worst", "exit share, worst (" worst_share_k ")", sprintf("%.3f", worst_share),
		sprintf("%.1f%%", 100 * worst_share), "<=", 0.1, "10%", 1)
	target("bytes_per_record_worst", "bytes per record, worst (" worst_bpr_k ")", sprintf("%.2f", worst_bpr),
		sprintf("%.2f", worst_bpr), "<=", 4, "4", 0)
	target("spool_ratio_worst", "spool peak / trace, worst (" worst_spool_k ")", sprintf("%.2f", worst_spool),
		sprintf("%.2fx", worst_spool), "<=", 1.2, "1.2x", 0)
	if (old)
		target("replay_vs_v3_lowest", "replay / version 3 replay, lowest (" worst_replay_k ")",
			sprintf("%.2f", worst_replay), sprintf("%.2fx", worst_replay), ">=", 1, "1x", 1)
	else
		print (csv ? "target,replay_vs_v3_lowest,,,,,,,,,,,,,,>=1,not-judged" \
			   : "replay / version 3 replay                     -   target >= 1x      not judged: no version 3 trace beside (the traces are version 3 or older, or no FIFO here)")
}' "$out/rows" >"$out/table" || exit 2
cat "$out/table" || die "cannot write the table"
