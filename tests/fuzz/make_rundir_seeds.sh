#!/bin/sh
# The seeds of the run-directory fuzz targets (tests/fuzz/corpus/fuzz_*/):
# real run directories packed by fuzz_pack (each CSV cut to its header and
# a few rows): the reference run of results/, variants of it (a slower run,
# a history of three, five machines of a fleet), and a sweep and a fleet
# made by the commands themselves. Run it in a build directory where
# 'make check TESTS=' has built mesilab and tests/fuzz/fuzz_pack:
#   sh SRCDIR/tests/fuzz/make_rundir_seeds.sh [RUN]
# RUN: a run of this machine ('mesilab run --quick') for what the reference
# lacks (controls, the pyramid, timesharing, storage).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
mesilab=$(pwd)/mesilab
pack=$(pwd)/tests/fuzz/fuzz_pack
corpus=$src/tests/fuzz/corpus
ref=$src/results/reference
rows=10
[ -x "$mesilab" ] && [ -x "$pack" ] || { echo "run me in a build directory (mesilab, tests/fuzz/fuzz_pack)" >&2; exit 2; }
given=${1:-}
run=$([ -n "$given" ] && cd "$given" && pwd || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Relative paths in what the commands write: the same seeds wherever made.
cd "$work"

# seed TARGET NAME DIR...: the DIRs as the target's directories, in order
# (ROWS rows of each CSV).
seed() {
	target=$1 name=$2
	shift 2
	mkdir -p "$corpus/$target"
	"$pack" -r "$rows" "$target" "$corpus/$target/$name" "$@"
}

# variant NAME FACTOR START: the reference run, its latencies times
# FACTOR, started at START (a baseline sorts its runs by it); of its
# latency sweep, every sixth size (a staircase in a few rows).
variant() {
	d=$1
	mkdir "$d"
	cp "$ref"/*.csv "$d/"
	for f in latency.csv levels.csv; do
		awk -F, -v OFS=, -v f="$2" -v every="$([ $f = latency.csv ] && echo 6 || echo 1)" '
			NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_ns") c = i; print; next }
			(NR - 2) % every == 0 { $c = sprintf("%.3f", $c * f); print }' "$ref/$f" >"$d/$f"
	done
	sed "s/\"start_time\": *\"[^\"]*\"/\"start_time\": \"$3\"/" "$ref/meta.json" >"$d/meta.json"
}

variant slower 1.3 2026-11-27T09:00:00Z
variant h1 1.00 2026-11-20T09:00:00Z
variant h2 1.02 2026-11-21T09:00:00Z
variant h3 0.98 2026-11-22T09:00:00Z
seed fuzz_report reference "$ref"
seed fuzz_plot reference "$ref"
seed fuzz_compare reference "$ref" slower h1 h2 h3
seed fuzz_baseline reference h1 h2 h3 slower
# The machine model and the model's error: the hand-made runs of their
# tests (tests/data/machine, tests/data/model) whole, and the reference.
rows=50
seed fuzz_machine_model machine "$src/tests/data/machine"
seed fuzz_machine_model model "$src/tests/data/model"
seed fuzz_machine_model reference "$ref"
seed fuzz_model_error model "$src/tests/data/model"
rows=10
seed fuzz_model_error reference "$ref"

# A fleet as tests/cli/fleet.sh makes one: four machines of one model,
# one slower, and one of another.
variant node1 1.00 2026-11-26T10:00:00Z
variant node2 1.01 2026-11-26T10:00:00Z
variant node3 1.50 2026-11-26T10:00:00Z
variant node4 1.02 2026-11-26T10:00:00Z
variant other 0.80 2026-11-26T10:00:00Z
sed 's/"cpu_model": *"[^"]*"/"cpu_model": "Another CPU 9000"/' other/meta.json >other/m && mv other/m other/meta.json
mkdir lab
mv node1 node2 node3 node4 other lab/
"$mesilab" fleet --quiet lab >/dev/null
seed fuzz_fleet lab lab/node1 lab/node2 lab/node3 lab/node4 lab/other
rows=50 # every machine's staircase
seed fuzz_plot fleet lab/fleet
rows=10

# A sweep as tests/cli/sweep.sh makes one: two L1 sizes by two core
# counts, two protocols; whole, and with a configuration missing.
"$mesilab" trace mix --quiet --threads 4 --accesses 2000 --seed 3 -o mix.trace
"$mesilab" sweep --quiet mix.trace --l1 8K:8:64,32K:8:64 --cores 4,8 -p msi,mesi -j 2 -o sweep >/dev/null 2>&1
for f in sweep/plan.csv sweep/sweep.csv sweep/rows/*.csv; do # the trace's path made relative again
	sed "s|$(pwd -P)/||g" "$f" >"$f.new" && mv "$f.new" "$f"
done
seed fuzz_sweep_collect sweep sweep
seed fuzz_plot sweep sweep
rm sweep/rows/c00002.csv
seed fuzz_sweep_collect sweep-missing sweep

if [ -n "$run" ]; then
	# Its metadata without the machine's names and paths.
	mkdir quick
	cp "$run"/*.csv quick/
	sed -e 's/"hostname": *"[^"]*"/"hostname": "lab1"/' -e 's/"kernel": *"[^"]*"/"kernel": "Linux 6.1.0"/' \
		-e "s|$given|quick|g" -e "s|$run|quick|g" "$run/meta.json" >quick/meta.json
	seed fuzz_report quick quick
	seed fuzz_plot quick quick
	seed fuzz_compare quick quick quick
fi
du -sh "$corpus"
