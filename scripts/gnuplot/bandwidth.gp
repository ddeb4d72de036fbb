# Bandwidth against working-set size, one line per operation and thread
# count. Variables: data, titles, nblocks, xmin, xmax, xtics_spec.
set title "Bandwidth by working-set size"
set xlabel "working set (bytes, log scale)"
set ylabel "bandwidth (GB/s)"
set logscale x 2
set xrange [xmin/1.2:xmax*1.2]
set yrange [0:*]
eval "set xtics ".xtics_spec
set key outside right top
plot for [i=1:nblocks] data index (i-1) using 1:2 with linespoints lt i title titles[i]
