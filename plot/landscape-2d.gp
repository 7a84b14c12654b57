# landscape-2d.gp: a two-dimensional function as a shaded map with contour lines, and the path each optimizer
# setting took on it (one seed), from an open circle at the start to a filled one at the end.
#
# Data (data_file):
#   index 0   the grid: x  y  z, one scan per x separated by blank lines (z is z_label's quantity)
#   index 1   global minimisers: x  y
#   index 2   known local minimisers: x  y
#   index 3   one row per optimizer setting, in the order of series_title: start_x  start_y  end_x  end_y
#   index 3+i the path of setting i: x  y
# Variables: series_count, series_title[i], x_min, x_max, y_min, y_max, z_min, z_max, z_label,
#   contour_first, contour_step, contour_last, equal_aspect, global_count, local_count, canvas_width

set view map
set pm3d at b noborder
set contour base
set cntrparam levels incremental contour_first, contour_step, contour_last
unset clabel
set palette defined (0 "#ffffff", 1 "#d4d4d4", 2 "#8a8a8a")
set xrange [x_min:x_max]
set yrange [y_min:y_max]
set zrange [z_min:z_max]
set cbrange [z_min:z_max]
set cblabel z_label noenhanced
set xlabel "x1" noenhanced
set ylabel "x2" noenhanced
if (equal_aspect) { set size ratio -1 }
# Fixed places for the map, its colour box and the key (gnuplot's own layout lets a long key run over the colour
# box's label). canvas_width is the picture's width in pixels, made wide enough for the longest key entry.
px(x) = x / canvas_width
if (!is_dumb) {
  set lmargin at screen px(70)
  set rmargin at screen px(650)
  set bmargin at screen 0.09
  set tmargin at screen 0.87
  set colorbox user origin screen px(670), screen 0.09 size screen px(18), screen 0.78
  set key at screen px(770), screen 0.87 left top vertical Left reverse
} else {
  set key outside right top vertical Left reverse
}
if (is_dumb) { unset colorbox }
unset grid

if (!has_data) { eval empty_plot } else {
  splot data_file index 0 using 1:2:3 with pm3d notitle, \
        data_file index 0 using 1:2:3 nosurface with lines lc rgb "#707070" notitle, \
        for [i=1:series_count] data_file index (3 + i) using 1:2:(z_max) nocontours \
          with lines lw 2 dt series_dash(i) lc rgb series_color(i) title series_title[i], \
        for [i=1:series_count] data_file index 3 every ::(i - 1)::(i - 1) using 1:2:(z_max) nocontours \
          with points pt 6 ps 1.6 lw 2 lc rgb series_color(i) notitle, \
        for [i=1:series_count] data_file index 3 every ::(i - 1)::(i - 1) using 3:4:(z_max) nocontours \
          with points pt 7 ps 1.3 lc rgb series_color(i) notitle, \
        data_file index 1 using 1:2:(z_max) nocontours \
          with points pt 3 ps 2.5 lw 2 lc rgb "black" title (global_count > 0 ? "global minimum" : ""), \
        data_file index 2 using 1:2:(z_max) nocontours \
          with points pt 12 ps 2 lw 2 lc rgb "black" title (local_count > 0 ? "local minimum" : ""), \
        keyentry with points pt 6 ps 1.6 lw 2 lc rgb "#404040" title "start", \
        keyentry with points pt 7 ps 1.3 lc rgb "#404040" title "end"
}
