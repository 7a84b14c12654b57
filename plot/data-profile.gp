# data-profile.gp: a data profile in the COCO sense, the empirical cumulative distribution of the steps each
# optimizer setting needs to reach the targets: at each step, the fraction of all (run, target) pairs whose run
# has got within the target of f* by then, over every function with a known f* and every seed.
#
# Data (data_file): one data set per optimizer setting, in the order of series_title, as a staircase:
#   step   fraction solved by that step
# A target met at step 0 (by the start point) is drawn at step 1, where the log axis begins.
# Variables: series_count, series_title[i], x_max (the experiment's steps)

set logscale x
set xrange [1:(x_max > 1 ? x_max : 10)]
set yrange [0:1.02]
set xlabel "step (log scale)" noenhanced
y_label = "fraction of (run, target) pairs solved"
set ylabel y_label noenhanced
set key outside right top vertical Left reverse width 2
eval dumb_ylabel

if (!has_data) { eval empty_plot } else {
  plot for [i=1:series_count] data_file index (i - 1) using 1:2 \
         with steps lw 2 dt series_dash(i) lc rgb series_color(i) title series_title[i]
}
