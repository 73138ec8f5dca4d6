/// The version fairscan reports.
public enum FairScanVersion {
  public static let current = "0.1.0"
}
