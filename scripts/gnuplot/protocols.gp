# The protocols side by side on one workload: bus transactions by type
# and misses by cause, one bar per protocol. Variables: data (header:
# protocol BusRd BusRdX BusUpgr BusUpd cold capacity conflict true-sharing
# false-sharing), workload.
set multiplot layout 1,2 title "Protocols on the ".workload." workload (simulated)"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -30
set yrange [0:*]
set key top right font ",9"
set title "bus transactions"
set ylabel "transactions"
plot for [i=2:5] data using i:xtic(1) lt (i-1) title columnheader(i)
set title "misses by cause"
set ylabel "misses"
plot for [i=6:10] data using i:xtic(1) lt (i-5) title columnheader(i)
unset multiplot
