# common.gp: shared by every Descent plot. descent copies it into each rendered script after the variables and
# before the plot's own template (convergence.gp, landscape-2d.gp, ...), so a rendered script needs nothing else.
#
# Variables it reads:
#   plot_title   the title: its first line names the plot, its second the experiment
#   has_data     0 when there is nothing finite to draw; the plot is then an empty frame and the title says why

is_dumb = (GPVAL_TERM eq "dumb")

# Twelve categorical colours, chosen to stand out on the grey landscapes, taken in the order of each plot's key
# (the learning-rate plot's lines are optimizer entries, the other plots' curves settings); past the twelfth they
# repeat with a dash pattern.
series_color(i) = word("#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #bcbd22 #393b79 #637939 #843c39", (i - 1) % 12 + 1)
series_dash(i) = (i - 1) / 12 + 1

# The title is a label from the picture's left edge rather than gnuplot's title, which is centred over the graph:
# the key outside pushes the graph left, and a long title would run off the picture's left side.
set tmargin 4
set label 99 plot_title at screen 0, screen 1 offset character 1, character -1 left front noenhanced
set key noenhanced
set grid back lc rgb "#e0e0e0"
set border lc rgb "#404040"
set tics nomirror
# The dumb terminal cannot turn text on its side and drops a vertical y label: there, y_label goes above the axis.
# A template calls this after it sets its labels.
dumb_ylabel = 'if (is_dumb) { unset ylabel; set tmargin 5; set label 98 y_label at graph 0, graph 1 offset -4, 1 left noenhanced }'

# With nothing to draw: an empty frame that says so (the title gives the reason).
empty_plot = 'unset key; unset tics; unset border; unset grid; unset colorbox; unset logscale; set xrange [0:1]; set yrange [0:1]; set label 1 "nothing to draw" at graph 0.5, 0.5 center; plot 2 notitle'
