# landscape-1d.gp: a one-dimensional function with the iterates of each optimizer setting (one seed), one panel
# per setting: the curve f(x), the iterates as points coloured by step (dark early, light late), the start as an
# open circle, and the known minima.
#
# Data (data_file):
#   index 0   the curve: x  f
#   index 1   global minimisers: x  f
#   index 2   known local minimisers: x  f
#   index 2+i the iterates of setting i, in order: x  f  step
# Variables: series_count, series_title[i], panel_rows, panel_columns, x_min, x_max, y_min, y_max, step_max,
#   global_count, local_count

set palette defined (0 "#1a1a6e", 1 "#7b3294", 2 "#e66101", 3 "#fdb863")
set logscale cb
set cbrange [1:(step_max > 1 ? step_max : 2)]
set format cb "%.0s%c"
set cblabel "step (log scale)" noenhanced
set xrange [x_min:x_max]
set yrange [y_min:y_max]
set xlabel "x" noenhanced
set ylabel "f(x)" noenhanced
set key top left noenhanced samplen 1 spacing 0.9
if (is_dumb) { unset colorbox }

if (!has_data) { eval empty_plot } else {
  # Here the title is the whole page's, centred over the panels; each panel's title names its setting.
  unset label 99
  set multiplot layout panel_rows, panel_columns title plot_title noenhanced
  do for [i=1:series_count] {
    set title series_title[i] noenhanced
    if (i == 2) { unset key }
    plot data_file index 0 using 1:2 with lines lw 1.5 lc rgb "#808080" notitle, \
         data_file index (2 + i) using 1:2:($3 < 1 ? 1 : $3) with points pt 7 ps 0.7 lc palette notitle, \
         data_file index (2 + i) every ::0::0 using 1:2 with points pt 6 ps 2 lw 2 lc rgb "black" title "start", \
         data_file index 1 using 1:2 with points pt 3 ps 2 lw 2 lc rgb "#2ca02c" title (global_count > 0 ? "global min" : ""), \
         data_file index 2 using 1:2 with points pt 12 ps 2 lw 2 lc rgb "#2ca02c" title (local_count > 0 ? "local min" : "")
  }
  unset multiplot
}
