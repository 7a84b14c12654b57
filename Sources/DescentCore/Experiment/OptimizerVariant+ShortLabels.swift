import Foundation

extension OptimizerVariant {
  /// Each setting's label as people read it (plot keys, `descent report`): its swept fractional numbers to 4
  /// significant digits (`adam-lr=0.0003728`, not `adam-lr=0.0003727593720314938`), or 6, or in full
  /// (`label`), whichever first tells every setting apart. Run ids and file names keep the exact label.
  public static func shortLabels(_ optimizers: [OptimizerVariant]) -> [String] {
    for digits in [4, 6] {
      let labels = optimizers.map { o in
        RunID.component(o.entryLabel, o.axes.map { axis in
          // Whole numbers (a step size, a dimension) are shown as they are.
          guard case .number(let x) = axis.value, x.isFinite, x != x.rounded(),
                let rounded = Double(String(format: "%.\(digits)g", x)) else { return axis }
          return (axis.key, .number(rounded))
        })
      }
      if Set(labels).count == labels.count { return labels }
    }
    return optimizers.map(\.label)
  }
}
