#!/bin/sh
# mesilab-regress: the CI recipe in one command. Runs the suite on this
# machine (without figures or report) and compares it with a baseline run
# made the same way; prints the comparison as Markdown and exits as
# 'mesilab compare' does: 0 no regression, 1 a regression, 2 an error.
set -u

usage() {
	cat <<'USAGE'
usage: mesilab-regress [--quick | --full] [--only LIST] [-o DIR] BASELINE [COMPARE-OPTIONS...]

Runs 'mesilab run --skip plot,report' into DIR (default: a new run
directory under results/), then 'mesilab compare BASELINE DIR --format md'
with any further options (--threshold PCT, --alpha P, --force, --all).
Make the baseline with the same profile, e.g. on the main branch:
  mesilab run --quick --skip plot,report -o baseline
Exit status: 0 no regression, 1 a regression, 2 an error.
USAGE
}

mesilab=${MESILAB:-mesilab}
profile=""
only=""
out=""
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--quick | --full) profile=$1 ;;
	--only) [ $# -ge 2 ] || { echo "mesilab-regress: --only needs a LIST" >&2; exit 2; }; only=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "mesilab-regress: -o needs a DIR" >&2; exit 2; }; out=$2; shift ;;
	-*) echo "mesilab-regress: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || { echo "mesilab-regress: expected a BASELINE run directory (see --help)" >&2; exit 2; }
baseline=$1
shift
[ -f "$baseline/meta.json" ] || { echo "mesilab-regress: $baseline: not a run directory (no meta.json)" >&2; exit 2; }

# Figures and report are not compared: they are skipped unless --only asks.
run_args="--quiet $profile"
if [ -n "$only" ]; then
	run_args="$run_args --only $only"
else
	run_args="$run_args --skip plot,report"
fi
if [ -n "$out" ]; then
	new=$("$mesilab" run $run_args -o "$out")
else
	new=$("$mesilab" run $run_args)
fi || { echo "mesilab-regress: the run failed" >&2; exit 2; }
"$mesilab" compare "$baseline" "$new" --format md "$@"
