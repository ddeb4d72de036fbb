#!/bin/sh
# import-bench: how fast mesilab reads every text trace format it imports
# (din, lackey, interleaved, percore, its own text), in records per
# second, with Dinero IV's end-to-end time on the same din file beside it
# when DINERO names a dineroIV binary (build it from its public source:
# mesilab does not ship it). A benchmark, not a test: its figures are this
# machine's.
set -u

usage() {
	cat <<'USAGE'
usage: import-bench [--records N] [-o DIR]

Makes a trace of N records (default 30000000) with 'mesilab trace mix',
writes it in each text format, times 'mesilab trace import' (and 'trace
pack' for the text format) on each, the binary trace written to
/dev/null, and prints records per second (each time the median of three
runs). With DINERO=/path/to/dineroIV, also times Dinero IV reading,
parsing and simulating the din file (a 32 KiB 8-way L1 of 64-byte lines,
also the median of three runs), and mesilab end to end on the same file
('trace import | sim -' with that L1, with and without miss causes), and
prints each ratio with what it compares: an import alone against Dinero
IV's whole work is not a like-for-like race, the pipeline is. DIR keeps
the files (default: a temporary directory, removed).
MESILAB names mesilab.
USAGE
}

mesilab=${MESILAB:-mesilab}
records=30000000
out=""
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--records) [ $# -ge 2 ] || { echo "import-bench: --records needs N" >&2; exit 2; }; records=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "import-bench: -o needs DIR" >&2; exit 2; }; out=$2; shift ;;
	*) echo "import-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
case $records in '' | *[!0-9]*) echo "import-bench: --records takes a number" >&2; exit 2 ;; esac
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/import-bench.XXXXXX") || exit 2
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out" || exit 2

echo "import-bench: making $records records in every format in $out" >&2
"$mesilab" trace mix --quiet --threads 1 --accesses "$records" --seed 1 -o "$out/mix.trace" || exit 2
"$mesilab" trace cat "$out/mix.trace" -o "$out/mix.txt" || exit 2
awk -v dir="$out" '
	/^#/ { next }
	{
		sub(/^0x/, "", $3)
		label = $2 == "R" ? 0 : $2 == "W" ? 1 : 2
		print label, $3 >(dir "/mix.din")
		print ($2 == "I" ? "I  " : $2 == "W" ? " S " : " L ") $3 "," $4 >(dir "/mix.lackey")
		if (label < 2) {
			print $1, ($2 == "R" ? "r" : "w"), $3 >(dir "/mix.interleaved")
			print label, $3 >(dir "/mix.percore")
		}
	}' "$out/mix.txt" || exit 2

. "$(dirname "$0")/bench-lib.sh"

dinero_s=""
if [ -n "${DINERO:-}" ]; then
	dinero_s=$(median_seconds sh -c '"$1" -l1-dsize 32k -l1-dbsize 64 -l1-dassoc 8 -l1-isize 32k -l1-ibsize 64 -l1-iassoc 8 -informat d <"$2"' \
		sh "$DINERO" "$out/mix.din")
	echo "$records $dinero_s" | awk '{ printf "%-12s %10.3f s %14.3g records/s (reads, parses and simulates)\n", "Dinero IV", $2, $1 / $2 }'
fi
# Timed into /dev/null: the parsing, not the file system's write-back of
# the binary trace.
for format in din lackey interleaved percore text; do
	if [ "$format" = text ]; then
		set -- trace pack "$out/mix.txt"
	else
		set -- trace import --quiet --from "$format" "$out/mix.$format"
	fi
	s=$(median_seconds "$mesilab" "$@" -o -)
	"$mesilab" "$@" -o "$out/out.trace" 2>/dev/null || exit 2
	n=$("$mesilab" trace info --csv "$out/out.trace" | awk -F, '$1 == "all" { print $2 }')
	echo "$format $s $n ${dinero_s:-0}" | awk '{
		printf "%-12s %10.3f s %14.3g records/s", $1, $2, $3 / $2
		if ($4 > 0) printf "   import alone: %.2fx the speed of Dinero IV reading, parsing and simulating", $4 / $2
		printf "\n" }'
done
# End to end: mesilab reading, parsing and simulating the same din file
# with Dinero IV's cache, against Dinero IV doing the same.
if [ -n "$dinero_s" ]; then
	for causes in --causes --no-causes; do
		s=$(median_seconds sh -c '"$1" trace import --quiet --from din "$2" -o - | "$1" sim --quiet --csv "$3" --l1 32K:8:64 -p msi - >/dev/null' \
			sh "$mesilab" "$out/mix.din" "$causes")
		echo "$causes $s $records $dinero_s" | awk '{
			printf "%-12s %10.3f s %14.3g records/s   end to end (import | sim, %s): %.2fx the speed of Dinero IV doing the same\n",
				"din | sim", $2, $3 / $2, $1 == "--causes" ? "miss causes classified" : "no miss causes", $4 / $2 }'
	done
fi
