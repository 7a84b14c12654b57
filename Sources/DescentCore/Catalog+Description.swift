/// Machine- and human-readable descriptions of the catalogue, for `descent list` and the docs.
extension Catalog {
  /// Builds a function with its defaults, if it has defaults for everything it needs.
  public func defaultInstance(of type: any Objective.Type) -> (any Objective)? {
    var diagnostics = Diagnostics()
    guard let p = type.parameters.decode(JSONObject(), at: "", diagnostics: &diagnostics) else { return nil }
    return try? type.init(p)
  }

  public func describeObjectives() -> JSONValue {
    .array(objectives.map { type in
      var o = JSONObject()
      o["name"] = .string(type.name)
      o["dimension"] = .string(type.dimensionRule.description)
      o["formula"] = .string(type.formula)
      o["reference"] = .string(type.reference)
      if let notes = type.notes { o["notes"] = .string(notes) }
      o["parameters"] = .array(type.parameters.map(\.descriptionJSON))
      if let f = defaultInstance(of: type) {
        var d = JSONObject()
        d["dimension"] = .number(Double(f.dimension))
        d["f_star"] = f.minima.value.map { .number($0) } ?? .null
        d["global_minimizers"] = .array(f.minima.global.map { .array($0.map { .number($0) }) })
        d["local_minima"] = .array(f.minima.local.map { m in
          var l = JSONObject()
          l["x"] = .array(m.point.map { .number($0) })
          l["f"] = .number(m.value)
          return .object(l)
        })
        d["domain"] = .array(f.domain.lower.indices.map { .array([.number(f.domain.lower[$0]), .number(f.domain.upper[$0])]) })
        d["unbounded_below"] = .bool(f.minima.unboundedBelow)
        o["with_defaults"] = .object(d)
      }
      return .object(o)
    })
  }

  public func describeOptimizers() -> JSONValue {
    .array(optimizers.map { entry in
      var o = JSONObject()
      o["name"] = .string(entry.name)
      if let alias = entry.aliasOf { o["alias_of"] = .string(alias) }
      o["rule"] = .string(entry.type.rule)
      o["reference"] = .string(entry.type.reference)
      o["parameters"] = .array(entry.parameters.map(\.descriptionJSON))
      return .object(o)
    })
  }

  public static func describeSchedules() -> JSONValue {
    .array(Schedule.catalog.map { s in
      var o = JSONObject()
      o["name"] = .string(s.name)
      o["formula"] = .string(s.formula)
      o["parameters"] = .array(s.parameters.map(\.descriptionJSON))
      return .object(o)
    })
  }
}

extension ParameterSpec {
  public var descriptionJSON: JSONValue {
    var o = JSONObject()
    o["name"] = .string(name)
    o["default"] = defaultValue?.json ?? .null
    o["required"] = .bool(required)
    o["accepts"] = .string(kind.description)
    o["range"] = .string(kind.rangeDescription)
    o["summary"] = .string(summary)
    return .object(o)
  }
}
