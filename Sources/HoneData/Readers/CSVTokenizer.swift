/// Splits CSV bytes into records of fields (RFC 4180: quoted fields may contain the delimiter,
/// line breaks and doubled quotes). Blank lines are skipped; CRLF and LF both end a record; a
/// UTF-8 byte-order mark is ignored.
enum CSVTokenizer {
    struct Record {
        /// The 1-based line on which the record starts.
        var line: Int
        var fields: [Substring]
    }

    static func records(_ bytes: [UInt8], file: String, delimiter: UInt8) throws(DataError) -> [Record] {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard let text = String(validating: bytes[start...], as: UTF8.self) else {
            throw DataError(.badValue, file: file, "CSV file is not valid UTF-8 text")
        }
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let utf8 = text.utf8
        var records: [Record] = []
        var fields: [Substring] = []
        var line = 1, recordLine = 1
        var i = utf8.startIndex
        var recordHasContent = false

        func substring(_ a: String.Index, _ b: String.Index) -> Substring { text[a..<b] }

        while i < utf8.endIndex {
            let c = utf8[i]
            if c == quote {
                // Quoted field: runs to the closing quote; "" is a literal quote.
                let quoteLine = line
                var value = ""
                var j = utf8.index(after: i)
                var closed = false
                var segmentStart = j
                while j < utf8.endIndex {
                    let d = utf8[j]
                    if d == quote {
                        value += text[segmentStart..<j]
                        let next = utf8.index(after: j)
                        if next < utf8.endIndex && utf8[next] == quote {
                            value += "\""
                            j = utf8.index(after: next)
                            segmentStart = j
                            continue
                        }
                        j = next
                        closed = true
                        break
                    }
                    if d == lf { line += 1 }
                    j = utf8.index(after: j)
                }
                guard closed else {
                    throw DataError(.badValue, file: file, line: quoteLine, "quoted field is never closed")
                }
                // Only spaces may follow the closing quote before the delimiter or line end.
                while j < utf8.endIndex && (utf8[j] == UInt8(ascii: " ") || utf8[j] == UInt8(ascii: "\t")) {
                    j = utf8.index(after: j)
                }
                if j < utf8.endIndex && utf8[j] != delimiter && utf8[j] != lf && utf8[j] != cr {
                    throw DataError(.badValue, file: file, line: line, "unexpected text after a closing quote")
                }
                fields.append(Substring(value))
                recordHasContent = true
                i = j
                if i < utf8.endIndex && utf8[i] == delimiter {
                    i = utf8.index(after: i)
                    if i == utf8.endIndex || utf8[i] == lf || utf8[i] == cr { fields.append("") }
                }
                continue
            }
            if c == lf || c == cr {
                if recordHasContent || !fields.isEmpty {
                    records.append(Record(line: recordLine, fields: fields))
                }
                fields = []
                recordHasContent = false
                if c == cr, utf8.index(after: i) < utf8.endIndex, utf8[utf8.index(after: i)] == lf {
                    i = utf8.index(after: i)
                }
                i = utf8.index(after: i)
                line += 1
                recordLine = line
                continue
            }
            // Unquoted field: up to the delimiter or the line end.
            var j = i
            while j < utf8.endIndex && utf8[j] != delimiter && utf8[j] != lf && utf8[j] != cr { j = utf8.index(after: j) }
            let field = substring(i, j)
            if !field.isEmpty { recordHasContent = true }
            fields.append(field)
            if j < utf8.endIndex && utf8[j] == delimiter {
                recordHasContent = true
                i = utf8.index(after: j)
                if i == utf8.endIndex || utf8[i] == lf || utf8[i] == cr { fields.append("") }
            } else {
                i = j
            }
        }
        if recordHasContent || !fields.isEmpty {
            records.append(Record(line: recordLine, fields: fields))
        }
        return records.filter { !($0.fields.count == 1 && $0.fields[0].trimmedWhitespace().isEmpty) }
    }
}
