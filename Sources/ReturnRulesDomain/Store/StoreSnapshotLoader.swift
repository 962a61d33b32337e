import Foundation
import JSONBytes
import ReturnRulesLanguage

/// Reads a folder of WooCommerce REST v3 exports into a `StoreSnapshot`.
///
/// Layout (a consultant fills it with curl; see examples/store/README.md):
///
/// ```
/// store/
///   orders/<id>.json                 GET /wp-json/wc/v3/orders/<id>
///   orders/<id>.refunds.json         GET /wp-json/wc/v3/orders/<id>/refunds   (optional: line-level refund detail)
///   products/<id>.json               GET /wp-json/wc/v3/products/<id>
///   products/<id>.variations.json    GET /wp-json/wc/v3/products/<id>/variations
/// ```
///
/// Also accepted:
/// - any other `orders/*.json` holding one order or an array of orders (`GET /orders?per_page=100`);
/// - any other `products/*.json` holding one product or an array of them; an element with
///   `"type": "variation"` (as `GET /products?sku=…` returns) is read as a variation and must
///   carry `parent_id`;
/// - a refunds file holding a single refund (`GET /orders/<id>/refunds/<rid>`), and several
///   refunds files per order: `orders/<id>.refunds.<anything>.json` (pages, single refunds);
///   they are merged;
/// - `products/<id>.variations.<anything>.json` likewise.
///
/// Files are read in sorted path order; when an id appears twice the first file wins and a
/// `SnapshotWarning` names both. Missing `orders/` or `products/` folders are empty. Unknown
/// fields are ignored; missing required ones, wrong kinds, amounts with more decimals than
/// the currency, and WooCommerce error bodies saved in place of data are `StoreLoadError`s
/// naming the file and JSON path. An order with no refunds file has only its `refunds[]`
/// summaries: amounts are known, lines are not (`StoreSnapshot.hasRefundDetail(orderID:)`).
public enum StoreSnapshotLoader {
    // MARK: - Folders and file sets

    /// Loads the store folder at `directory`.
    public static func load(directory: String) throws(StoreLoadError) -> StoreSnapshot {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreLoadError(.unreadable, file: directory, jsonPath: nil, message: "no such directory")
        }
        var files: [String: [UInt8]] = [:]
        for folder in ["orders", "products"] {
            let folderPath = directory + "/" + folder
            guard manager.fileExists(atPath: folderPath, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                throw StoreLoadError(.unreadable, file: folder, jsonPath: nil, message: "is a file, expected a directory")
            }
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: folderPath)
            } catch {
                throw StoreLoadError(.unreadable, file: folder, jsonPath: nil, message: "cannot list directory: \(error)")
            }
            for name in names.sorted() {
                let relative = folder + "/" + name
                guard try StoreFileRole.classify(relative) != .ignored else { continue }
                let fullPath = folderPath + "/" + name
                guard manager.fileExists(atPath: fullPath, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                guard let data = manager.contents(atPath: fullPath) else {
                    throw StoreLoadError(.unreadable, file: relative, jsonPath: nil, message: "cannot read file")
                }
                files[relative] = [UInt8](data)
            }
        }
        return try load(files: files)
    }

    /// Loads a store from file contents keyed by their path in the layout (`orders/5123.json`),
    /// without touching the file system; paths outside the layout are ignored.
    public static func load(files: [String: [UInt8]]) throws(StoreLoadError) -> StoreSnapshot {
        var warnings: [SnapshotWarning] = []
        var orders: [WooOrder] = []
        var orderFiles: [Int: String] = [:]
        var products: [WooProduct] = []
        var productFiles: [Int: String] = [:]
        var variations: [WooVariation] = []
        var variationFiles: [Int: String] = [:]
        var refundFiles: [(path: String, orderID: Int)] = []

        func addVariations(_ found: [WooVariation], from path: String) {
            for variation in found {
                if let kept = variationFiles[variation.id] {
                    warnings.append(.duplicateVariation(id: variation.id, keptFile: kept, ignoredFile: path))
                } else {
                    variationFiles[variation.id] = path
                    variations.append(variation)
                }
            }
        }

        for path in files.keys.sorted() {
            let bytes = files[path]!
            switch try StoreFileRole.classify(path) {
            case .ignored:
                continue
            case .refunds(let orderID):
                refundFiles.append((path, orderID))  // needs the order's currency: read after all orders
            case .orders(let nameID):
                let (found, single) = try readOrders(bytes: bytes, file: path)
                if let nameID, single, let order = found.first, order.id != nameID {
                    warnings.append(.fileNameMismatch(file: path, nameID: nameID, jsonID: order.id))
                }
                for order in found {
                    if let kept = orderFiles[order.id] {
                        warnings.append(.duplicateOrder(id: order.id, keptFile: kept, ignoredFile: path))
                    } else {
                        orderFiles[order.id] = path
                        orders.append(order)
                    }
                }
            case .products(let nameID):
                let (found, foundVariations, single) = try readProducts(bytes: bytes, file: path)
                if let nameID, single, let product = found.first, product.id != nameID {
                    warnings.append(.fileNameMismatch(file: path, nameID: nameID, jsonID: product.id))
                }
                for product in found {
                    if let kept = productFiles[product.id] {
                        warnings.append(.duplicateProduct(id: product.id, keptFile: kept, ignoredFile: path))
                    } else {
                        productFiles[product.id] = path
                        products.append(product)
                    }
                }
                addVariations(foundVariations, from: path)
            case .variations(let productID):
                addVariations(try parseVariations(bytes: bytes, file: path, parentID: productID), from: path)
            }
        }

        let currencies = Dictionary(orders.map { ($0.id, $0.currency) }, uniquingKeysWith: { first, _ in first })
        var refunds: [WooRefund] = []
        var refundFilesByID: [Int: String] = [:]
        var detailOrders: Set<Int> = []
        for (path, orderID) in refundFiles {
            guard let currency = currencies[orderID] else {
                throw StoreLoadError(.inconsistent, file: path, jsonPath: nil,
                                     message: "refunds of order \(orderID), but no order \(orderID) was found in orders/")
            }
            detailOrders.insert(orderID)
            for refund in try parseRefunds(bytes: files[path]!, file: path, orderID: orderID, currency: currency) {
                if let kept = refundFilesByID[refund.id] {
                    warnings.append(.duplicateRefund(orderID: orderID, refundID: refund.id, keptFile: kept, ignoredFile: path))
                } else {
                    refundFilesByID[refund.id] = path
                    refunds.append(refund)
                }
            }
        }

        return StoreSnapshot(orders: orders, refunds: refunds, refundDetailOrderIDs: detailOrders,
                             products: products, variations: variations, loadWarnings: warnings)
    }

    // MARK: - Single responses

    /// Parses one order (`GET /orders/<id>`); `file` names it in errors.
    public static func parseOrder(bytes: [UInt8], file: String) throws(StoreLoadError) -> WooOrder {
        let root = try document(bytes, file: file)
        return try WooOrder(json: WooJSONObject(root, file: file, what: "an order (an object)"))
    }

    /// Parses one order or an array of orders (`GET /orders?per_page=100`).
    public static func parseOrders(bytes: [UInt8], file: String) throws(StoreLoadError) -> [WooOrder] {
        try readOrders(bytes: bytes, file: file).orders
    }

    /// Parses refunds of order `orderID` (`GET /orders/<id>/refunds`, an array, or
    /// `GET /orders/<id>/refunds/<rid>`, one object); amounts are in the order's `currency`.
    public static func parseRefunds(bytes: [UInt8], file: String, orderID: Int,
                                    currency: Currency) throws(StoreLoadError) -> [WooRefund] {
        var result: [WooRefund] = []
        for node in try objectOrArray(bytes, file: file) {
            result.append(try WooRefund(json: WooJSONObject(node, file: file, what: "a refund (an object)"),
                                        orderID: orderID, currency: currency))
        }
        return result
    }

    /// Parses one product (`GET /products/<id>`).
    public static func parseProduct(bytes: [UInt8], file: String) throws(StoreLoadError) -> WooProduct {
        let root = try document(bytes, file: file)
        return try WooProduct(json: WooJSONObject(root, file: file, what: "a product (an object)"))
    }

    /// Parses one product or an array of them; elements of type `variation` come back as
    /// variations (they must carry `parent_id`).
    public static func parseProducts(bytes: [UInt8], file: String)
        throws(StoreLoadError) -> (products: [WooProduct], variations: [WooVariation]) {
        let (products, variations, _) = try readProducts(bytes: bytes, file: file)
        return (products, variations)
    }

    /// Parses the variations of product `parentID` (`GET /products/<id>/variations`, an array,
    /// or one variation object); a `parent_id` in the JSON must agree.
    public static func parseVariations(bytes: [UInt8], file: String,
                                       parentID: Int) throws(StoreLoadError) -> [WooVariation] {
        var result: [WooVariation] = []
        for node in try objectOrArray(bytes, file: file) {
            result.append(try WooVariation(json: WooJSONObject(node, file: file, what: "a variation (an object)"),
                                           parentID: parentID))
        }
        return result
    }

    // MARK: - Helpers

    /// Orders, and whether the file held a single object rather than an array.
    private static func readOrders(bytes: [UInt8], file: String) throws(StoreLoadError) -> (orders: [WooOrder], single: Bool) {
        let root = try document(bytes, file: file)
        var orders: [WooOrder] = []
        for node in try objectOrArray(root, file: file) {
            orders.append(try WooOrder(json: WooJSONObject(node, file: file, what: "an order (an object)")))
        }
        return (orders, root.kind == .object)
    }

    private static func readProducts(bytes: [UInt8], file: String)
        throws(StoreLoadError) -> (products: [WooProduct], variations: [WooVariation], single: Bool) {
        let root = try document(bytes, file: file)
        var products: [WooProduct] = []
        var variations: [WooVariation] = []
        for node in try objectOrArray(root, file: file) {
            let json = try WooJSONObject(node, file: file, what: "a product (an object)")
            if node.member("type")?.equals("variation") == true {
                variations.append(try WooVariation(json: json, parentID: nil))
            } else {
                products.append(try WooProduct(json: json))
            }
        }
        return (products, variations, root.kind == .object)
    }

    /// The root of a JSON file, refusing a WooCommerce error body (`{code, message, data}`)
    /// saved by a curl that failed: it would otherwise read as a confusing missing `id`.
    private static func document(_ bytes: [UInt8], file: String) throws(StoreLoadError) -> JSONNode {
        let root: JSONNode
        do {
            root = try JSONDocument(parsing: bytes).root
        } catch {
            throw StoreLoadError.syntax(error, file: file)
        }
        if root.kind == .object, root.member("id") == nil,
           let code = root.member("code")?.stringValue, let message = root.member("message")?.stringValue {
            throw StoreLoadError(.inconsistent, file: file, jsonPath: "$",
                                 message: "the file holds a WooCommerce error response, not data: \(code): \(message)")
        }
        return root
    }

    private static func objectOrArray(_ bytes: [UInt8], file: String) throws(StoreLoadError) -> [JSONNode] {
        try objectOrArray(try document(bytes, file: file), file: file)
    }

    /// A top-level object as one element, or the elements of a top-level array.
    private static func objectOrArray(_ root: JSONNode, file: String) throws(StoreLoadError) -> [JSONNode] {
        switch root.kind {
        case .object: return [root]
        case .array: return Array(root.elements)
        default: throw StoreLoadError.wrongType(root, file: file, expected: "an object or an array of objects")
        }
    }
}
