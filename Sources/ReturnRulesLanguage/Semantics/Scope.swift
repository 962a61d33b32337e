/// What names mean at one point of a rule: the elements bound by the trigger and by enclosing
/// `where`/aggregates (innermost last), and whether event fields may be used at all.
struct Scope: Sendable {
    struct Binding: Sendable {
        var name: String
        var record: String
        var span: Span?
        /// The aggregate or `where` that bound the element; nil for the trigger's own element.
        var binder: String? = nil
    }

    var bindings: [Binding] = []
    /// In a `let` or a setting: only literals and earlier constants.
    var constantOnly = false
    /// Describes the place for messages ("in a `let`", "in an item trigger").
    var place: String {
        get { ruleName.map { "in rule `\($0)`" } ?? placeText }
        set { placeText = newValue; ruleName = nil }
    }
    private var placeText = "here"
    /// Set per rule: the message text is built only if a message needs it.
    private var ruleName: String?

    init(place: String = "here") {
        placeText = place
    }

    /// The place "in rule `name`", without building its text up front.
    mutating func setRule(_ name: String) { ruleName = name }

    func depth(of name: String) -> Int? { bindings.lastIndex { $0.name == name } }

    func pushing(_ binding: Binding) -> Scope {
        var copy = self
        copy.bindings.append(binding)
        return copy
    }
}
