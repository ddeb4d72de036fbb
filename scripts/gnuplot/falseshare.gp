# False sharing: slowdown against padded counters by the distance between
# counters. Variables: data, titles, nblocks, xmin, xmax.
set title "False sharing: per-thread counters DISTANCE bytes apart"
set xlabel "distance between counters (bytes, log scale)"
set ylabel "slowdown against padded counters (x)"
set logscale x 2
set xrange [xmin/1.3:xmax*1.3]
set xtics 2
set yrange [0:*]
set key outside right top
plot for [i=1:nblocks] data index (i-1) using 1:2 with linespoints lt i title titles[i], \
     1 with lines lt 7 dt 3 lw 1 title "no slowdown"
