# Core-to-core heatmap: one-way latency for each ordered pair of PUs.
# Variables: data, npus, pu_tics, labels_on, cbmin, cbmax.
set title "Core-to-core latency, one way (store variant)"
set xlabel "to PU"
set ylabel "from PU"
set cblabel "one-way latency (ns)"
set cbrange [cbmin:cbmax]
eval "set xtics ".pu_tics
eval "set ytics ".pu_tics
set xrange [-0.5:npus-0.5]
set yrange [npus-0.5:-0.5]
set size ratio -1
unset grid
unset key
set palette defined (0 "#ffffe5", 1 "#fec44f", 2 "#d95f0e", 3 "#662506")
plot data using 1:2:3 with image, \
     data using 1:2:(labels_on && strcol(3) ne "nan" ? sprintf("%.0f", $3) : "") with labels font ",9"
