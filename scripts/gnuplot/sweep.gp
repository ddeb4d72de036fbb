# A sweep: misses and bus transactions against the swept setting, one line
# per protocol. Variables: data (a block per protocol, lines "INDEX LABEL
# misses cold capacity conflict true-sharing false-sharing BusRd BusRdX
# BusUpgr BusUpd", NaN where not classified), protocols (an array of
# their names), nprotocols, causes (whether misses were classified),
# xname, title.
set xtics rotate by -30 font ",8"
set ytics font ",8"
set xlabel xname font ",9"
set format y "%.0s%c"
if (causes) {
	set multiplot layout 3,3 title title
	array names[9] = ["misses", "cold misses", "capacity misses", "conflict misses", "true-sharing misses", "false-sharing misses", "BusRd", "BusRdX", "BusUpgr + BusUpd"]
	array columns[9] = [3, 4, 5, 6, 7, 8, 9, 10, 11]
} else {
	set multiplot layout 2,2 title title
	array names[4] = ["misses", "BusRd", "BusRdX", "BusUpgr + BusUpd"]
	array columns[4] = [3, 9, 10, 11]
}
do for [k=1:|names|] {
	set title names[k] font ",10"
	col = columns[k]
	# the range from the data: a count that stays 0 (BusUpd under MSI) is a flat line, not a warning
	set autoscale y
	stats data using (col == 11 ? $11 + $12 : column(col)) nooutput
	set yrange [0:(STATS_max > 0 ? STATS_max * 1.08 : 1)]
	if (STATS_max > 0) { set ytics autofreq } else { set ytics 1 }
	# one key for all panels, at the figure's top left
	if (k == 1) { set key at screen 0.01, 0.995 top left horizontal font ",9" } else { unset key }
	if (col == 11) {
		plot for [i=0:nprotocols-1] data index i using 1:($11 + $12):xtic(2) with linespoints lt (i+1) title protocols[i+1]
	} else {
		plot for [i=0:nprotocols-1] data index i using 1:col:xtic(2) with linespoints lt (i+1) title protocols[i+1]
	}
}
unset multiplot
