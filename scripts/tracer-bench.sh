#!/bin/sh
# tracer-bench: what tracing costs a program. Builds a program of
# THREADS threads, each incrementing its own counter, plain and with
# mesilab-cc, runs both, and prints for each order (clock, ticket) the
# records written per second per thread, the slowdown against the plain
# build, and the trace's size. A benchmark of the tracer, not a test: its
# figures are this machine's.
set -u

usage() {
	cat <<'USAGE'
usage: tracer-bench [--threads LIST] [--iterations N] [-o DIR]

THREADS: thread counts, comma-separated (default 1,2,4). N: increments per
thread (default 2000000). DIR keeps the programs and traces (default: a
temporary directory, removed). MESILAB_CC_BIN names mesilab-cc (default:
the one on PATH), MESILAB names mesilab.
USAGE
}

cc_bin=${MESILAB_CC_BIN:-mesilab-cc}
mesilab=${MESILAB:-mesilab}
threads_list=1,2,4
iterations=2000000
out=""
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--threads) [ $# -ge 2 ] || { echo "tracer-bench: --threads needs a list" >&2; exit 2; }; threads_list=$2; shift ;;
	--iterations) [ $# -ge 2 ] || { echo "tracer-bench: --iterations needs N" >&2; exit 2; }; iterations=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "tracer-bench: -o needs DIR" >&2; exit 2; }; out=$2; shift ;;
	*) echo "tracer-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $iterations in '' | *[!0-9]*) echo "tracer-bench: --iterations takes a number" >&2; exit 2 ;; esac
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/tracer-bench.XXXXXX") || exit 2
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out" || exit 2

cat >"$out/counters.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long iterations;
static struct { _Alignas(64) volatile long n; } counters[256];

static void *count(void *arg)
{
	volatile long *n = &counters[(size_t)arg].n;

	for (long i = 0; i < iterations; i++)
		*n += 1;
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = strtol(argv[1], NULL, 10);
	pthread_t tid[256];

	iterations = strtol(argv[2], NULL, 10);
	for (long t = 0; t < threads && t < 256; t++)
		pthread_create(&tid[t], NULL, count, (void *)t);
	for (long t = 0; t < threads && t < 256; t++)
		pthread_join(tid[t], NULL);
	return 0;
}
EOF
${MESILAB_CC:-cc} -O2 -pthread -o "$out/plain" "$out/counters.c" || exit 2
"$cc_bin" -O2 -pthread -o "$out/traced" "$out/counters.c" || exit 2

. "$(dirname "$0")/bench-lib.sh"

printf '%-8s %-7s %12s %12s %14s %10s %10s\n' threads order plain_s traced_s records/s/thr slowdown trace_MB
for threads in $(echo "$threads_list" | tr ',' ' '); do
	plain=$(seconds "$out/plain" "$threads" "$iterations")
	for order in clock ticket; do
		trace="$out/t$threads-$order.trace"
		traced=$(seconds env MESILAB_TRACE="$trace" MESILAB_TRACE_ORDER=$order "$out/traced" "$threads" "$iterations")
		records=$("$mesilab" trace info "$trace" --csv | awk -F, '$1 == "all" { print $2 }')
		bytes=$(wc -c <"$trace")
		echo "$threads $order $plain $traced $records $bytes" | awk '{
			printf "%-8s %-7s %12.3f %12.3f %14.3g %10.1f %10.1f\n", $1, $2, $3, $4, $5 / $4 / $1, $4 / $3, $6 / 1e6 }'
		rm -f "$trace"
	done
done
