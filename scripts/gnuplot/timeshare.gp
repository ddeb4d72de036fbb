# Timesharing: the time a task needs to get its working set back after
# another task had its turn on the PU, per line of its set, against the
# other's working set (log scales: the steps at each cache are small
# beside memory's); one line per own working set, hwloc's cache sizes
# dashed. Variables: data (one block per line), titles, nlines, zero_x,
# xmin, xmax, ymin, ymax, xtics_spec, hwloc, nhwloc, tasks.
set title "Refill after another ".tasks." had its turn on the PU"
set xlabel "the other task's working set (bytes, log scale)"
set ylabel "refill per line of the own set (ns, log scale)"
set logscale x 2
set logscale y 10
set xrange [xmin:xmax]
set yrange [ymin:ymax]
eval "set xtics ".xtics_spec
set xtics add ("none" zero_x)
set key bottom right
plot hwloc using 1:(ymin):(0):(ymax-ymin) with vectors nohead dt 2 lw 1.5 lc rgb "#aa3377" \
        title (nhwloc > 0 ? "cache size (hwloc)" : ""), \
     hwloc using 1:(ymax/1.2):2 with labels right offset -0.5,0 font ",9" tc rgb "#aa3377" notitle, \
     for [i=1:nlines] data index (i-1) using 1:2 with linespoints lt i title titles[i]
