import ReturnRulesDomain

/// The state of `plan` over a stream of events: the session planning them, and what is printed
/// as each is planned (JSON through the encoder, or the human rendering) with the summary.
///
/// A class whose properties opt out of dynamic exclusivity checks: the per-event closures would
/// otherwise check each captured variable on every access (several times per event), and only
/// the one thread planning touches it.
final class PlanStreamOutput {
    @exclusivity(unchecked) var session: PlanSession
    @exclusivity(unchecked) var encoder: PlanJSONEncoder
    @exclusivity(unchecked) var summary = PlanSummary()
    let json: Bool
    /// Standard input is shown as it is planned; files go out in large pieces.
    let fromStandardInput: Bool
    let renderer: PlanHumanRenderer
    let io: ToolIO

    init(session: PlanSession, encoder: PlanJSONEncoder, json: Bool, fromStandardInput: Bool, renderer: PlanHumanRenderer, io: ToolIO) {
        self.session = session
        self.encoder = encoder
        self.json = json
        self.fromStandardInput = fromStandardInput
        self.renderer = renderer
        self.io = io
    }

    /// Plans a prepared event (in place, see `PlanSession.plan(inPlace:)`) and prints its plan.
    func plan(_ prepared: inout PreparedEvent) {
        emit(session.plan(inPlace: &prepared, keepingChanges: false).0)
    }

    /// Plans an event as read and prints its plan.
    func plan(_ incoming: IncomingEvent) {
        emit(session.plan(incoming).0)
    }

    func emit(_ plan: EventPlan) {
        summary.add(plan)
        if json {
            encoder.add(plan)
            // Each piece is handed to the output once.
            if fromStandardInput || encoder.writer.count >= 1 << 16 { encoder.drain { io.write(contentsOf: $0) } }
        } else {
            io.write(renderer.render(plan))
        }
    }
}
