# The hierarchy staircase: latency against working-set size, the levels
# mesilab detected shaded, hwloc's cache sizes as dashed markers.
# Variables: data, levels, nlevels, hwloc, nhwloc, sweep, xmin, xmax,
# ymin, ymax, xtics_spec.
set title "Load-to-use latency by working-set size (".sweep.")"
set xlabel "working set (bytes, log scale)"
set ylabel "latency (ns, log scale)"
set logscale x 2
set logscale y 10
set xrange [xmin:xmax]
set yrange [ymin:ymax]
eval "set xtics ".xtics_spec
set key bottom right
# An empty file would draw nothing but a warning: mesilab writes one row
# outside the x range instead, and the key leaves it out.
plot levels using (sqrt($1*$2)):(sqrt(ymin*ymax)):1:2:(ymin):(ymax):4 with boxxyerror \
        fs transparent solid 0.15 noborder lc rgb variable title (nlevels > 0 ? "detected level" : ""), \
     levels using (sqrt($1*$2)):5:3 with labels font ",9" notitle, \
     hwloc using 1:(ymin):(0):(ymax-ymin) with vectors nohead dt 2 lw 1.5 lc rgb "#aa3377" \
        title (nhwloc > 0 ? "cache size (hwloc)" : ""), \
     hwloc using 1:(ymax/3):2 with labels rotate by 90 right offset -0.8,0 font ",9" \
        tc rgb "#aa3377" notitle, \
     data using 1:2:3:4 with yerrorlines lt 7 pt 7 ps 0.5 title "median (bars: p5 to p95)"
