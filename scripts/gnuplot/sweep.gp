# A sweep: rates per access against the swept setting, one line per
# protocol. Variables: data (a block per protocol, lines "X misses
# coherence-misses capacity+conflict-misses invalidations-received", each
# per 1,000 accesses, NaN where misses were not classified, then
# "bus-bytes" per access), protocols (an array of their names),
# nprotocols, causes (whether misses were classified), nx, xvalues and
# xlabels (the swept values: where each lies and its label), logx (cache
# sizes on a log2 axis, else one value a step), xrotate (labels long
# enough to slant), xmin, xmax, xname, title.
set xrange [xmin:xmax]
if (logx) { set logscale x 2 }
if (xrotate) { set xtics rotate by -30 }
set xtics (xlabels[1] xvalues[1]) font ",8"
do for [i=2:nx] { set xtics add (xlabels[i] xvalues[i]) }
set mxtics 1
set ytics font ",8"
set format y "%g"
set xlabel xname font ",9"
if (causes) {
	array names[4] = ["misses per 1,000 accesses", "coherence misses (true and false sharing) per 1,000 accesses", "capacity and conflict misses per 1,000 accesses", "bus traffic (bytes per access)"]
	array columns[4] = [2, 3, 4, 6]
} else {
	array names[3] = ["misses per 1,000 accesses", "copies invalidated by other cores per 1,000 accesses", "bus traffic (bytes per access)"]
	array columns[3] = [2, 5, 6]
}
set multiplot layout 2,2 title title
do for [k=1:|names|] {
	col = columns[k]
	set title names[k] font ",10"
	# the range from the data (stats keeps to the range set before): a
	# rate that stays 0 is a flat line, not a warning
	set autoscale y
	stats data using col nooutput
	set yrange [0:(STATS_max > 0 ? STATS_max * 1.08 : 1)]
	# one key for all panels, at the figure's top left
	if (k == 1) { set key at screen 0.01, 0.995 top left horizontal font ",9" } else { unset key }
	# where the fourth panel would be, what --causes would add
	if (!causes && k == 3) {
		set label 1 "Misses not classified by cause (mesilab sweep --causes):\nthe coherence misses are at most the copies\nother cores invalidated." at screen 0.56, screen 0.3 left font ",10"
	}
	plot for [i=0:nprotocols-1] data index i using 1:col with linespoints lt (i+1) title protocols[i+1]
}
unset multiplot
