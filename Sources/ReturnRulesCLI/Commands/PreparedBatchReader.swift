import ReturnRulesDomain

/// Reads the events of files as batches of prepared events (`Planner.prepare`): each event is
/// parsed and mapped as it is read, and the digests of a batch are computed together in SIMD
/// lanes (`PreparedEvent.digestBatch`): about 40% of the SHA-256 instructions of one at a time.
///
/// Memory is one batch being filled plus what the caller holds; records of planned batches are
/// handed back through `reusable` so their arrays are refilled rather than reallocated.
struct PreparedBatchReader {
    static let batchSize = 64

    let planner: Planner
    /// Canonical bytes of a batch, kept from batch to batch.
    private var digestScratch: [UInt8] = []

    init(planner: Planner) {
        self.planner = planner
    }

    /// Reads every event of `paths` (absolute, shown relative to `currentDirectory`) and calls
    /// `hand` with each full batch, in order. `reusable` gives a planned batch back, or an empty
    /// one. On a read error the events read before it are handed first, then the error is thrown.
    /// `hand` may change the events of the batch in place (see `PlanPipeline.planEach`).
    mutating func read(paths: [String], currentDirectory: String, reusable: () -> [PreparedEvent],
                       hand: (inout [PreparedEvent]) -> Void) throws {
        var batch: [PreparedEvent] = []
        batch.reserveCapacity(Self.batchSize)
        var spent: [PreparedEvent] = []
        do {
            for path in paths {
                for file in try EventReader.files(at: path) {
                    let shown = file.hasPrefix(currentDirectory + "/") ? String(file.dropFirst(currentDirectory.count + 1)) : file
                    try EventReader.read(file, displayPath: shown) { incoming in
                        if spent.isEmpty { spent = reusable() }
                        // `plan` never dead-letters, so the raw line is not kept (see `keepingRaw`).
                        batch.append(planner.prepare(incoming, reusing: spent.popLast(), digestLater: true, keepingRaw: false))
                        if batch.count == Self.batchSize {
                            PreparedEvent.digestBatch(&batch, scratch: &digestScratch)
                            hand(&batch)
                            batch = []
                            batch.reserveCapacity(Self.batchSize)
                        }
                    }
                }
            }
        } catch {
            flush(&batch, hand)
            throw error
        }
        flush(&batch, hand)
    }

    private mutating func flush(_ batch: inout [PreparedEvent], _ hand: (inout [PreparedEvent]) -> Void) {
        guard !batch.isEmpty else { return }
        PreparedEvent.digestBatch(&batch, scratch: &digestScratch)
        hand(&batch)
        batch = []
    }
}
