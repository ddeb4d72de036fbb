# Coherence-state costs: operation by A (groups) on a line B left in a
# state (bars). Variables: data (header: op and the states measured; "-"
# where an operation was not), ncolumns, pair.
set title "Coherence-state costs: ".pair
set xlabel "operation by A"
set ylabel "latency per operation (ns)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set datafile missing "-"
set yrange [0:*]
set key top left title "state B left"
plot for [i=2:ncolumns] data using i:xtic(1) lt (i-1) title columnheader(i)
