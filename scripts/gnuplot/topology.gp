# The machine: PUs along the bottom (operating-system numbers), each cache
# level a row of boxes over the PUs that share an instance.
# Variables: data (xlo xhi ylo yhi label colour), npus, levels.
set title sprintf("Caches and the %d PUs that share them (hwloc)", npus)
set lmargin 14
set xrange [-0.6:npus-0.4]
set yrange [-0.6:levels+0.6]
set ytics nomirror scale 0 ("PUs" 0)
do for [l=1:levels] { set ytics add (level_names[l] l) }
unset xtics
unset grid
unset key
set border 0
plot data using (($1+$2)/2):(($3+$4)/2):1:2:3:4:6 with boxxyerror fs solid 0.8 border lc rgb "#555555" fc rgb variable, \
     data using (($1+$2)/2):(($3+$4)/2):5 with labels font ",9"
