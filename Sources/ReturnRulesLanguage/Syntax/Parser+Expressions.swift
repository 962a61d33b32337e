/// Expressions, lowest precedence first:
///
///     expression = disjunction [ "where" disjunction ]
///     disjunction = conjunction { "or" conjunction }
///     conjunction = negation { "and" negation }
///     negation = "not" negation | comparison
///     comparison = sum [ compare_op sum | [ "not" ] "in" sum ]
///     sum = product { ( "+" | "-" ) product }
///     product = unary { ( "*" | "/" ) unary }
///     unary = "-" unary | postfix
///     postfix = primary { "." NAME }
///
/// Every function returns the depth of the tree it built; past `maximumExpressionDepth` the
/// expression becomes `.invalid` with one diagnostic, so no later phase can overflow the stack.
extension Parser {
    mutating func parseExpression() -> Expr {
        let (expr, _) = parseFilter(depth: 1)
        return expr
    }

    private mutating func limited(_ expr: Expr, _ depth: Int) -> (Expr, Int) {
        guard depth > Parser.maximumExpressionDepth else { return (expr, depth) }
        if !panicking {
            diagnostics.report(.nestingTooDeep, "expression is nested more than \(Parser.maximumExpressionDepth) levels deep",
                               at: expr.span, help: "split it into named constants or several rules")
            // Once per expression: a long chain (`a + a + …`) would otherwise be reported every 64 terms.
            panicking = true
        }
        return (Expr(.invalid, span: expr.span), 1)
    }

    mutating func parseFilter(depth: Int) -> (Expr, Int) {
        guard depth <= Parser.maximumExpressionDepth else { return tooDeep() }
        var (lhs, lhsDepth) = parseBinary(minimumPrecedence: 1, depth: depth)
        if kind == .kwWhere {
            advance()
            let (predicate, predicateDepth) = parseBinary(minimumPrecedence: 1, depth: depth + 1)
            (lhs, lhsDepth) = limited(Expr(.filter(lhs, predicate), span: lhs.span.through(predicate.span)), max(lhsDepth, predicateDepth) + 1)
        }
        return (lhs, lhsDepth)
    }

    private mutating func tooDeep() -> (Expr, Int) {
        let start = current.span
        if !panicking {
            diagnostics.report(.nestingTooDeep, "expression is nested more than \(Parser.maximumExpressionDepth) levels deep",
                               at: start, help: "split it into named constants or several rules")
            panicking = true
        }
        // Skip the rest of the over-deep expression up to a token that cannot continue it.
        var balance = 0
        while !atEnd {
            switch kind {
            case .leftParen, .leftBracket: balance += 1
            case .rightParen, .rightBracket:
                if balance == 0 { return (Expr(.invalid, span: start), 1) }
                balance -= 1
            case .kwThen, .kwRule, .rightBrace, .kwOn, .kwLet:
                if balance == 0 { return (Expr(.invalid, span: start), 1) }
            default: break
            }
            advance()
        }
        return (Expr(.invalid, span: start), 1)
    }

    /// The operator at the current token, if it continues an expression (`not in` is two tokens).
    private func binaryOperator() -> BinaryOperator? {
        switch kind {
        case .kwOr: .or
        case .kwAnd: .and
        case .equalEqual: .equal
        case .bangEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .kwIn: .in
        case .kwNot: peek() == .kwIn ? .notIn : nil
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        default: nil
        }
    }

    /// Precedence climbing over the binary operators; `not` binds between `and` and comparisons.
    mutating func parseBinary(minimumPrecedence: Int, depth: Int) -> (Expr, Int) {
        guard depth <= Parser.maximumExpressionDepth else { return tooDeep() }
        var (lhs, lhsDepth): (Expr, Int)
        if kind == .kwNot, minimumPrecedence <= 3 {
            let start = position
            advance()
            let (operand, operandDepth) = parseBinary(minimumPrecedence: 3, depth: depth + 1)
            (lhs, lhsDepth) = limited(Expr(.unary(.not, operand), span: span(from: start)), operandDepth + 1)
        } else {
            (lhs, lhsDepth) = parseUnary(depth: depth)
        }
        while let op = binaryOperator(), op.precedence >= minimumPrecedence {
            let operatorToken = current
            advance()
            if op == .notIn { advance() }
            let (rhs, rhsDepth) = parseBinary(minimumPrecedence: op.precedence + 1, depth: depth + 1)
            (lhs, lhsDepth) = limited(Expr(.binary(op, lhs, rhs), span: lhs.span.through(rhs.span)), max(lhsDepth, rhsDepth) + 1)
            if op.isComparison, let next = binaryOperator(), next.isComparison {
                if !panicking {
                    diagnostics.report(.expectedToken, "comparisons cannot be chained", at: current.span,
                                       notes: [DiagnosticNote("the first comparison is here", at: operatorToken.span)],
                                       help: "join them with `and`: `a < b and b < c`")
                }
                // Read the rest of the chain but keep no tree for it: typing `(a < b) < c` would
                // only report the same mistake again as a type error.
                while let more = binaryOperator(), more.isComparison {
                    advance()
                    if more == .notIn { advance() }
                    _ = parseBinary(minimumPrecedence: more.precedence + 1, depth: depth + 1)
                }
                (lhs, lhsDepth) = (Expr(.invalid, span: lhs.span.through(previousSpan)), 1)
            }
        }
        return (lhs, lhsDepth)
    }

    mutating func parseUnary(depth: Int) -> (Expr, Int) {
        guard depth <= Parser.maximumExpressionDepth else { return tooDeep() }
        if kind == .minus {
            let start = position
            advance()
            let (operand, operandDepth) = parseUnary(depth: depth + 1)
            return limited(Expr(.unary(.negate, operand), span: span(from: start)), operandDepth + 1)
        }
        return parsePostfix(depth: depth)
    }

    mutating func parsePostfix(depth: Int) -> (Expr, Int) {
        var (expr, exprDepth) = parsePrimaryWithDepth(depth: depth)
        while kind == .dot {
            advance()
            guard let member = expect(.identifier, "after `.`", help: "a field name, e.g. `refund.amount`") else { break }
            (expr, exprDepth) = limited(Expr(.member(expr, identifier(member)), span: expr.span.through(member.span)), exprDepth + 1)
        }
        return (expr, exprDepth)
    }

    /// A primary without its depth, for settings and value tables.
    mutating func parsePrimary(depth: Int) -> Expr { parsePrimaryWithDepth(depth: depth).0 }

    /// `primary = NUMBER [ CURRENCY ] | STRING | "true" | "false" | "yes" | "no" | "none"
    ///          | NAME [ "(" [ expression { "," expression } ] ")" ] | "[" [ list ] "]" | "(" expression ")"`
    mutating func parsePrimaryWithDepth(depth: Int) -> (Expr, Int) {
        guard depth <= Parser.maximumExpressionDepth else { return tooDeep() }
        let token = current
        switch token.kind {
        case .number:
            advance()
            // A money literal is a number followed by a three-letter upper-case currency code.
            if kind == .identifier, current.newlinesBefore == 0, isCurrencyCode(current.span) {
                let currency = advance()
                return (Expr(.money(amount: text(token), currency: identifier(currency)), span: token.span.through(currency.span)), 1)
            }
            return (Expr(.number(text(token)), span: token.span), 1)
        case .string:
            advance()
            return (Expr(.string(parseStringLiteral(token)), span: token.span), 2)
        case .kwTrue, .kwYes:
            advance()
            return (Expr(.bool(true, spelling: text(token)), span: token.span), 1)
        case .kwFalse, .kwNo:
            advance()
            return (Expr(.bool(false, spelling: text(token)), span: token.span), 1)
        case .kwNone:
            advance()
            return (Expr(.none, span: token.span), 1)
        case .identifier:
            advance()
            if kind == .leftParen {
                advance()
                var arguments: [Expr] = []
                var argumentsDepth = 0
                if kind != .rightParen {
                    repeat {
                        let (argument, argumentDepth) = parseFilter(depth: depth + 1)
                        arguments.append(argument)
                        argumentsDepth = max(argumentsDepth, argumentDepth)
                    } while accept(.comma) != nil && kind != .rightParen
                }
                let file = self.file
                expect(.rightParen, "to close the call to `\(file.text(of: token.span))`")
                return limited(Expr(.call(identifier(token), arguments), span: span(from: position - 1).through(token.span)), argumentsDepth + 1)
            }
            return (Expr(names.name(at: token.span.start, length: token.span.length, in: file.bytes), span: token.span), 1)
        case .leftBracket:
            let start = position
            advance()
            var elements: [Expr] = []
            var elementsDepth = 0
            while kind != .rightBracket, !atEnd {
                let (element, elementDepth) = parseFilter(depth: depth + 1)
                elements.append(element)
                elementsDepth = max(elementsDepth, elementDepth)
                if accept(.comma) == nil { break }
            }
            expect(.rightBracket, "to close the list", help: "lists are written `[\"A\", \"B\"]`")
            return limited(Expr(.list(elements), span: span(from: start)), elementsDepth + 1)
        case .leftParen:
            let start = position
            advance()
            let (inner, innerDepth) = parseFilter(depth: depth + 1)
            expect(.rightParen, "to close `(`")
            return limited(Expr(.group(inner), span: span(from: start)), innerDepth + 1)
        default:
            error(expecting: "a value", "in the expression", help: token.kind == .equal ? "compare with `==`" : nil)
            return (Expr(.invalid, span: token.span), 1)
        }
    }

    /// Three upper-case ASCII letters, read from the source bytes (no string made).
    func isCurrencyCode(_ span: Span) -> Bool {
        guard span.length == 3, span.end <= file.bytes.count else { return false }
        let bytes = file.bytes
        return (span.start..<span.end).allSatisfy { bytes[$0] >= UInt8(ascii: "A") && bytes[$0] <= UInt8(ascii: "Z") }
    }

    /// Splits a string token into text and `{…}` parts; interpolations are lexed and parsed in place.
    mutating func parseStringLiteral(_ token: Token) -> StringLiteral {
        let bytes = file.bytes
        // Read through a buffer: every byte of every string passes here twice (a large file has
        // a string per rule), and the array's bounds checks were most of the work.
        return bytes.withUnsafeBufferPointer { buffer in parseStringLiteral(token, bytes, buffer) }
    }

    private mutating func parseStringLiteral(_ token: Token, _ bytes: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>) -> StringLiteral {
        // Curly quotes (already reported by the lexer) are three bytes each.
        let quotes = Lexer.curlyQuote(bytes, at: token.span.start) ?? .straight
        let start = token.span.start + (quotes == .straight ? 1 : 3)
        var end = token.span.end
        if end > start, end <= bytes.count {
            let closing = Lexer.closingQuoteLength(bytes, endingAt: end, quotes)
            if closing > 0, end - closing >= start { end -= closing }
        }
        var parts: [StringPart] = []
        // Text and interpolation parts alternate: at most two per `{` plus one.
        var braces = 0
        for index in start..<end where buffer[index] == UInt8(ascii: "{") { braces += 1 }
        parts.reserveCapacity(2 * braces + 1)
        // A text part is a slice of the source until an escape needs it rewritten into `text`.
        var text: [UInt8] = []
        var escaped = false
        var textStart = start
        var index = start
        func flush(_ upTo: Int, into parts: inout [StringPart]) {
            guard escaped || upTo > textStart else { return }
            let piece = escaped ? String(decoding: text, as: UTF8.self)
                : String(decoding: UnsafeBufferPointer(rebasing: buffer[textStart..<upTo]), as: UTF8.self)
            if !piece.isEmpty { parts.append(.text(piece, Span(file: file.id, start: textStart, length: upTo - textStart))) }
            text.removeAll(keepingCapacity: true)
            escaped = false
        }
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\\"), index + 1 < end {
                if !escaped {
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[textStart..<index]))
                    escaped = true
                }
                let escapedByte = buffer[index + 1]
                switch escapedByte {
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"): text.append(escapedByte)
                default: break // reported by the lexer
                }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") {
                flush(index, into: &parts)
                // Find the matching `}`; the lexer already checked the balance.
                var depth = 1
                var close = index + 1
                while close < end {
                    if buffer[close] == UInt8(ascii: "{") { depth += 1 }
                    if buffer[close] == UInt8(ascii: "}") { depth -= 1; if depth == 0 { break } }
                    close += 1
                }
                let inner = (index + 1)..<min(close, end)
                if close < end, let path = fieldPathInterpolation(inner, bytes, buffer) {
                    parts.append(.interpolation(path))
                    index = close + 1
                    textStart = index
                    continue
                }
                var innerDiagnostics = DiagnosticSink()
                var innerTokens = Lexer.tokenize(file, range: inner, diagnostics: &innerDiagnostics)
                // Diagnostics of the inner lexer repeat the outer lexer's; keep only new kinds.
                for diagnostic in innerDiagnostics.diagnostics where diagnostic.code != .invalidUTF8 && diagnostic.code != .unterminatedString {
                    diagnostics.report(diagnostic)
                }
                // `#` inside `{…}` would silently turn the rest of the interpolation into a comment.
                if let commented = innerTokens.first(where: { !$0.leadingComments.isEmpty || $0.trailingComment != nil }) {
                    let comment = commented.leadingComments.first ?? commented.trailingComment!
                    diagnostics.report(.invalidInterpolation, "a comment cannot appear inside `{…}`", at: comment.span,
                                       help: "move the comment after the string; a `#` inside a string outside `{…}` is plain text")
                }
                if innerTokens.count == 1 {
                    diagnostics.report(.invalidInterpolation, "empty `{}` in string", at: Span(file: file.id, start: index, length: inner.count + 2),
                                       help: "put a field inside, e.g. `{refund.amount}`, or write `\\{` for a literal brace")
                    parts.append(.interpolation(Expr(.invalid, span: Span(file: file.id, start: index, length: inner.count + 2))))
                } else {
                    innerTokens[innerTokens.count - 1].span = Span(file: file.id, start: inner.upperBound, length: 0)
                    parts.append(.interpolation(parseInterpolation(innerTokens)))
                }
                index = min(close + 1, end)
                textStart = index
                continue
            }
            if escaped { text.append(byte) }
            index += 1
        }
        flush(end, into: &parts)
        return StringLiteral(parts: parts, span: token.span)
    }

    /// The common interpolation, a field path written without spaces (`{return.id}`), built
    /// straight from the bytes as the lexer and parser would build it: lexing and parsing it
    /// through a sub-lexer costs several thousand instructions per string. Anything else (a
    /// keyword, a space, an operator, a long path) is nil and goes the general way.
    private mutating func fieldPathInterpolation(_ inner: Range<Int>, _ bytes: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>) -> Expr? {
        var path: Expr?
        var index = inner.lowerBound
        for _ in 0..<8 {
            let start = index
            guard index < inner.upperBound, isIdentifierStart(buffer[index]) else { return nil }
            index += 1
            while index < inner.upperBound, isIdentifierContinue(buffer[index]) { index += 1 }
            guard TokenKind.keyword(buffer.baseAddress! + start, count: index - start) == nil else { return nil }
            let span = Span(file: file.id, start: start, length: index - start)
            if let base = path {
                let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                path = Expr(.member(base, Identifier(name, span: span)), span: base.span.through(span))
            } else {
                path = Expr(names.name(at: start, length: index - start, in: bytes), span: span)
            }
            if index == inner.upperBound { return path }
            guard buffer[index] == UInt8(ascii: ".") else { return nil }
            index += 1
        }
        return nil
    }

    /// Parses the tokens of one `{…}` as an expression of its own: this parser reads them in
    /// place of its own tokens (as a sub-parser would, without copying the diagnostics), then
    /// carries on where it was.
    private mutating func parseInterpolation(_ innerTokens: [Token]) -> Expr {
        let outerTokens = tokens
        let outerPosition = position
        let outerPanicking = panicking
        tokens = innerTokens
        position = 0
        panicking = false
        let expr = parseExpression()
        if !atEnd, !panicking {
            diagnostics.report(.invalidInterpolation, "unexpected \(kind.displayName) in `{…}`", at: current.span,
                               help: "an interpolation holds one expression, e.g. `{item.sku}`")
        }
        tokens = outerTokens
        position = outerPosition
        panicking = outerPanicking
        return expr
    }
}
