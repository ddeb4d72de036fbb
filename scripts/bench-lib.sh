# Helpers the benchmark scripts share (sourced, not run).

# seconds CMD...: wall-clock seconds CMD takes; a failing CMD ends the
# script.
seconds() {
	start=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || { echo "${0##*/}: $* failed" >&2; exit 2; }
	end=$(date +%s.%N)
	echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }'
}
