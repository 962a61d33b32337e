import ReturnRulesLanguage

/// The member names of the enums the planner reads, looked up once per planner: an event field
/// holds a member's index, and turning it back into its name used to cost a dictionary lookup
/// by enum name (a `String` hash) on every read.
final class EnumNames: Sendable {
    /// The enums the planner reads by name.
    enum Known: Int, CaseIterable, Sendable {
        case returnStatus, returnType, returnMode, refundMethod, actor, refundStatus, grade, validationStatus, moneyPath, noteVisibility

        var name: String {
            switch self {
            case .returnStatus: ReturnSchema.returnStatus
            case .returnType: ReturnSchema.returnType
            case .returnMode: ReturnSchema.returnMode
            case .refundMethod: ReturnSchema.refundMethod
            case .actor: ReturnSchema.actor
            case .refundStatus: ReturnSchema.refundStatus
            case .grade: ReturnSchema.grade
            case .validationStatus: ReturnSchema.validationStatus
            case .moneyPath: ReturnSchema.moneyPath
            case .noteVisibility: ReturnSchema.noteVisibility
            }
        }
    }

    let all: [String: [String]]
    private let lists: [[String]?]
    /// Per member of `return_status`: its rank in Reveni's lifecycle (`ReturnSchema.statuses`).
    let statusRanks: [Int]

    init(_ enums: [String: [String]]) {
        all = enums
        lists = Known.allCases.map { enums[$0.name] }
        statusRanks = (enums[ReturnSchema.returnStatus] ?? []).map { ReturnSchema.statuses.firstIndex(of: $0) ?? 0 }
    }

    subscript(known: Known) -> [String]? { lists[known.rawValue] }

    /// The name of member `index` of a known enum, or nil when out of range.
    @inline(__always)
    func name(_ known: Known, _ index: Int32) -> String? {
        guard let members = lists[known.rawValue], index >= 0, Int(index) < members.count else { return nil }
        return members[Int(index)]
    }
}
