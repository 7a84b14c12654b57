/// Descent's version, recorded in manifests and baselines.
public enum DescentVersion {
  public static let string = "0.1.0"
}
