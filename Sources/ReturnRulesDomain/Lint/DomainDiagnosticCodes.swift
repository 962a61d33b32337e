import ReturnRulesLanguage

/// The returns domain's diagnostic codes: RR03xx domain lints, RR04xx store catalog checks.
/// Keep each section sorted by code.
extension DiagnosticCode {
    /// Every code the returns domain reports.
    public static let domainCodes: [DiagnosticCode] = []
}
