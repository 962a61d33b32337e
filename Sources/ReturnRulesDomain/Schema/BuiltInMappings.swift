/// The payload mappings that ship with the tool, written in the rule language itself.
///
/// `reveni_2026_01` follows the payload shape of ../shared/domain.md §5. Everything in it beyond
/// the event name `return.updated` is an assumption (Reveni publishes no webhook schema), which
/// is why a client's `mapping` block can replace any line of it.
public enum BuiltInMappings {
    public static let reveni2026 = "reveni_2026_01"

    public static let reveni2026Text = """
    returnrules 1
    mapping {
      event.id = "$.id"
      event.type = "$.type"
      event.created_at = "$.created_at"
      event.attempt = "$.attempt"
      store.id = "$.store_id"
      return.id = "$.data.return.id"
      return.type = "$.data.return.transaction_type"
      return.mode = "$.data.return.mode"
      return.status = "$.data.return.status"
      return.previous_status = "$.data.return.previous_status"
      return.currency = "$.data.return.currency"
      order.reveni_id = "$.data.return.order.id"
      order.woo_id = "$.data.return.order.external_id"
      order.number = "$.data.return.order.number"
      customer.email = "$.data.return.customer.email"
      items = "$.data.return.items[*]"
      item.id = "id"
      item.order_line = "order_line_external_id"
      item.product_id = "product_external_id"
      item.variation_id = "variant_external_id"
      item.sku = "sku"
      item.ean = "ean"
      item.name = "name"
      item.quantity = "quantity"
      item.unit_price = "unit_price"
      item.tax_total = "tax_total"
      item.total = "total"
      item.reason = "reason.code"
      item.reason_comment = "reason.comment"
      item.validation = "validation.status"
      item.grade = "validation.grade"
      item.reject_reason = "validation.reject_reason"
      item.outcome = "outcome"
      fees = "$.data.return.fees[*]"
      fee.type = "type"
      fee.amount = "amount"
      refund.method = "$.data.return.refund.method"
      refund.amount = "$.data.return.refund.amount"
      refund.bonus = "$.data.return.refund.bonus"
      refund.executed_by = "$.data.return.refund.executed_by"
      refund.status = "$.data.return.refund.status"
      refund.reference = "$.data.return.refund.reference"
      exchange.new_items = "$.data.return.exchange.new_items[*]"
      new_item.product_id = "product_external_id"
      new_item.variation_id = "variant_external_id"
      new_item.sku = "sku"
      new_item.name = "name"
      new_item.quantity = "quantity"
      new_item.unit_price = "unit_price"
      exchange.price_difference = "$.data.return.exchange.price_difference"
      exchange.new_order_id = "$.data.return.exchange.new_order_external_id"
      exchange.created_by = "$.data.return.exchange.created_by" {
        "merchant_system" -> merchant
        "reveni_system" -> reveni
      }
      restock.requested = "$.data.return.restock.requested"
    }
    """
}
