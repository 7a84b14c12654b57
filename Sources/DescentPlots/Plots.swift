// Plots from a results directory.
