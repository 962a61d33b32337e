import JSONBytes
import ReturnRulesRunner

/// `returnrules ledger`: every refund and credit in a period, for finance.
enum LedgerCommand {
    static let spec = OptionSpec(valued: ["state", "from", "to", "format", "by"], flags: [],
                                 choices: ["format": ["human", "json", "csv"], "by": ["event", "acknowledged"]])

    static let help = """
    Usage: returnrules ledger --state DIR --from DATE --to DATE [--format csv|json|human] [--by event|acknowledged]

    Every refund and store credit the runner planned in the period: date, order, return,
    Reveni's reference, amount, tax per WooCommerce tax rate, money path (gateway: the shop's
    payment gateway paid it; record_only: WooCommerce records what Reveni paid; coupon: a store
    credit we issued), the WooCommerce id from the acknowledgement and its date. For the
    month-end close: `--from 2026-03-01 --to 2026-03-31`.

    Options:
      --state DIR             the runner's state directory (required)
      --from DATE, --to DATE  the period, both days included (YYYY-MM-DD, UTC)
      --by event              date a row by the return event's time (default)
      --by acknowledged       date it by its acknowledgement (unacknowledged rows left out)
      --format csv|json|human (default csv)

    Exit: 0, 1 no state, 64 usage.
    """

    static func run(_ arguments: ParsedArguments, io: ToolIO) throws(UsageError) -> ExitCode {
        guard let fromText = arguments.value("from"), let from = Timestamp.parse(fromText) else { throw UsageError("ledger needs --from DATE (YYYY-MM-DD)") }
        guard let toText = arguments.value("to"), let toStart = Timestamp.parse(toText) else { throw UsageError("ledger needs --to DATE (YYYY-MM-DD)") }
        // A date-only --to includes the whole day.
        let to = toText.count == 10 ? toStart + 86_400_000 : toStart
        guard to > from else { throw UsageError("--to is before --from") }
        let by = StateQueries.LedgerDate(rawValue: arguments.value("by") ?? "event") ?? .event
        let store: StateStore
        switch try RunnerCommandSupport.open(arguments, mode: .readOnly, io: io) {
        case .failure(let code): return code
        case .success(let opened): store = opened
        }
        let rows = StateQueries.ledger(store.state, from: from, to: to, by: by)
        let rates = Array(Set(rows.flatMap { $0.ledger.taxes.map(\.rateID) })).sorted()
        switch arguments.value("format") ?? "csv" {
        case "json":
            RunnerCommandSupport.writeJSON(io) { w in
                w.beginObject()
                w.key("ledger_format_version")
                w.int(1)
                w.key("from")
                w.string(Timestamp.date(from))
                w.key("to")
                w.string(Timestamp.date(to - 1))
                w.key("dated_by")
                w.string(by.rawValue)
                w.key("rows")
                w.beginArray()
                for row in rows {
                    let l = row.ledger
                    w.beginObject()
                    w.key("date")
                    w.string(Timestamp.iso(row.date))
                    w.key("kind")
                    w.string(row.record.kind)
                    w.key("order_id")
                    if let order = row.record.orderID { w.int(order) } else { w.null() }
                    w.key("return_id")
                    w.string(row.record.returnID)
                    w.key("reveni_reference")
                    RunnerCommandSupport.optional(l.reference, &w)
                    w.key("amount")
                    w.string(RunnerCommandSupport.money(l.amount, l.currency))
                    w.key("currency")
                    w.string(l.currency)
                    w.key("tax")
                    w.beginArray()
                    for tax in l.taxes {
                        w.beginObject()
                        w.key("rate_id")
                        w.int(tax.rateID)
                        w.key("amount")
                        w.string(RunnerCommandSupport.money(tax.amount, l.currency))
                        w.endObject()
                    }
                    w.endArray()
                    w.key("money_path")
                    w.string(l.moneyPath)
                    w.key("woo_id")
                    if let id = row.record.ack?.wooID { w.int(id) } else { w.null() }
                    w.key("acknowledged_at")
                    if let ack = row.record.ack { w.string(Timestamp.iso(ack.time)) } else { w.null() }
                    w.key("key")
                    w.string(row.record.key)
                    w.endObject()
                }
                w.endArray()
                w.key("totals")
                w.beginObject()
                for (code, total) in totals(rows) {
                    w.key(code)
                    w.string(RunnerCommandSupport.money(total, code))
                }
                w.endObject()
                w.endObject()
            }
        case "human":
            if rows.isEmpty {
                io.write("no refunds or credits from \(Timestamp.date(from)) to \(Timestamp.date(to - 1))\n")
                return .success
            }
            for row in rows {
                let l = row.ledger
                var line = "\(Timestamp.date(row.date))  \(RunnerCommandSupport.pad(row.record.kind, 12)) \(RunnerCommandSupport.pad(RunnerCommandSupport.money(l.amount, l.currency) + " " + l.currency, 14))"
                line += " order \(row.record.orderID.map(String.init) ?? "?") · \(RunnerCommandSupport.pad(l.moneyPath, 11))"
                line += row.record.ack.map { " · woo \($0.wooID.map(String.init) ?? "-") on \(Timestamp.date($0.time))" } ?? " · not acknowledged"
                io.write(line + "\n")
            }
            io.write("total: " + totals(rows).map { "\($0.0) \(RunnerCommandSupport.money($0.1, $0.0))" }.joined(separator: " + ") + " in \(RunnerCommandSupport.plural(rows.count, "row"))\n")
        default:
            var out = "date,kind,order_id,return_id,reveni_reference,amount,currency," + rates.map { "tax_rate_\($0)" }.joined(separator: ",")
                + (rates.isEmpty ? "" : ",") + "money_path,woo_id,acknowledged_at,key\n"
            for row in rows {
                let l = row.ledger
                var fields = [Timestamp.iso(row.date), row.record.kind, row.record.orderID.map(String.init) ?? "", row.record.returnID,
                              l.reference ?? "", RunnerCommandSupport.money(l.amount, l.currency), l.currency]
                for rate in rates {
                    fields.append(l.taxes.first { $0.rateID == rate }.map { RunnerCommandSupport.money($0.amount, l.currency) } ?? "")
                }
                fields += [l.moneyPath, row.record.ack?.wooID.map(String.init) ?? "", row.record.ack.map { Timestamp.iso($0.time) } ?? "", row.record.key]
                out += fields.map(csv).joined(separator: ",") + "\n"
            }
            io.write(out)
        }
        return .success
    }

    static func totals(_ rows: [StateQueries.LedgerRow]) -> [(String, Int64)] {
        var totals: [String: Int64] = [:]
        for row in rows { totals[row.ledger.currency, default: 0] += row.ledger.amount }
        return totals.sorted { $0.key < $1.key }
    }

    /// RFC 4180 quoting, and a leading quote for text a spreadsheet would run as a formula.
    static func csv(_ field: String) -> String {
        var text = field
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
