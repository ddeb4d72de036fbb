# Helpers the benchmark scripts share (sourced, not run).

# seconds CMD...: wall-clock seconds CMD takes; a failing CMD ends the
# script.
seconds() {
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || { echo "${0##*/}: $* failed" >&2; exit 2; }
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }'
}

# median_seconds CMD...: the median of three runs of CMD, so that one run
# slowed by the machine's own work (a write-back, a neighbour) does not
# decide a figure.
median_seconds() {
	runs=$(seconds "$@") && runs="$runs $(seconds "$@")" && runs="$runs $(seconds "$@")" || exit 2
	printf '%s\n' $runs | sort -n | sed -n 2p
}
