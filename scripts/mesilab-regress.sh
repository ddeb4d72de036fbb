#!/bin/sh
# mesilab-regress: the CI recipe in one command. Runs the suite on this
# machine (without figures or report) and compares it with a history of
# runs made the same way (or one run); prints the comparison as Markdown
# and exits as 'mesilab compare' does: 0 no regression, 1 a regression, 2
# an error. With --record the run then joins the history, which is filled
# up to three runs (the fewest compare judges a point's history by).
set -u

usage() {
	cat <<'USAGE'
usage: mesilab-regress [--quick | --full] [--only LIST] [-o DIR] [--record [--keep N]]
                       BASELINE [COMPARE-OPTIONS...]

Runs 'mesilab run --skip plot,report' into DIR (default: a new run
directory under results/), then 'mesilab compare BASELINE DIR --format md'
with any further options (--threshold PCT, --alpha P, --history-alpha P,
--force, --all). BASELINE is a history (mesilab baseline) of runs made the
same way, or one such run: with --record the run is then added to the
history, keeping the newest N (--keep); a history that does not exist yet
is started with it, and one of fewer than three runs gets more runs of
this build until it has three (or N).
The CI recipe: on the main branch 'mesilab-regress --record --keep 10
ci-baseline', on a pull request 'mesilab-regress ci-baseline'.
Exit status: 0 no regression, 1 a regression, 2 an error.
USAGE
}

mesilab=${MESILAB:-mesilab}
profile=""
only=""
out=""
record=""
keep=""
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--quick | --full) profile=$1 ;;
	--only) [ $# -ge 2 ] || { echo "mesilab-regress: --only needs a LIST" >&2; exit 2; }; only=$2; shift ;;
	-o) [ $# -ge 2 ] || { echo "mesilab-regress: -o needs a DIR" >&2; exit 2; }; out=$2; shift ;;
	--record) record=1 ;;
	--keep) [ $# -ge 2 ] || { echo "mesilab-regress: --keep needs N" >&2; exit 2; }; keep=$2; shift ;;
	-*) echo "mesilab-regress: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || { echo "mesilab-regress: expected a BASELINE run directory (see --help)" >&2; exit 2; }
baseline=$1
shift
[ -z "$keep" ] || [ -n "$record" ] || { echo "mesilab-regress: --keep goes with --record" >&2; exit 2; }
case $keep in *[!0-9]*) echo "mesilab-regress: --keep takes a number" >&2; exit 2 ;; esac
if [ -n "$record" ]; then
	[ ! -f "$baseline/meta.json" ] ||
		{ echo "mesilab-regress: $baseline: a run directory; --record keeps a history (mesilab baseline)" >&2; exit 2; }
elif [ ! -f "$baseline/meta.json" ] && [ ! -d "$baseline" ]; then
	echo "mesilab-regress: $baseline: no such run directory or baseline" >&2
	exit 2
fi

# Figures and report are not compared: they are skipped unless --only asks.
run_args="--quiet $profile"
if [ -n "$only" ]; then
	run_args="$run_args --only $only"
else
	run_args="$run_args --skip plot,report"
fi

# runs DIR: how many runs the history DIR holds (0: none yet).
runs() {
	if [ -d "$1" ]; then
		"$mesilab" baseline list --csv "$1" | awk 'END { print (NR > 0 ? NR - 1 : 0) }'
	else
		echo 0
	fi
}

if [ -n "$out" ]; then
	new=$("$mesilab" run $run_args -o "$out")
else
	new=$("$mesilab" run $run_args)
fi || { echo "mesilab-regress: the run failed" >&2; exit 2; }
if [ -n "$record" ] && [ ! -d "$baseline" ]; then
	status=0
	echo "$baseline: a new history, started with this run"
else
	if [ -f "$baseline/meta.json" ]; then
		echo "mesilab-regress: note: $baseline is one run: its repetitions do not show how a point varies from run to run; the CI gate is a history (--record)" >&2
	elif [ "$(runs "$baseline")" -lt 3 ]; then
		echo "mesilab-regress: note: $baseline holds $(runs "$baseline") runs; its points are judged by their history from three on" >&2
	fi
	"$mesilab" compare "$baseline" "$new" --format md "$@"
	status=$?
	[ "$status" -le 1 ] || exit "$status"
fi
if [ -n "$record" ]; then
	"$mesilab" baseline add ${keep:+--keep "$keep"} "$baseline" "$new" >&2 || exit 2
	# A history gates from three runs on: the first job fills it with
	# runs of this build (one after another, so they know less of how the
	# machine varies than runs days apart: the newer replace them).
	want=3
	[ -z "$keep" ] || [ "$keep" -ge 3 ] || want=$keep
	while [ "$(runs "$baseline")" -lt "$want" ]; do
		more=$("$mesilab" run $run_args) || { echo "mesilab-regress: the run failed" >&2; exit 2; }
		"$mesilab" baseline add ${keep:+--keep "$keep"} "$baseline" "$more" >&2 || exit 2
	done
fi
exit "$status"
