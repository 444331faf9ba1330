import Foundation

/// Reads a CSV file `pva` wrote (RFC 4180: a header line, fields in double quotes when they
/// hold a comma, a quote or a line break, inner quotes doubled) as rows of named cells, for
/// `pva check`. Every problem is a `UsageError` naming the file, the line and the column.
struct CSVReader {
    /// The file as named in messages.
    let path: String
    let header: [String]
    /// Each row's cells with the line it starts on (1 = the header).
    let rows: [(line: Int, cells: [String])]

    /// Reads and splits `path`; every row must have as many cells as the header.
    init(_ path: String) throws {
        self.path = path
        let bytes = try FileSystem.readInput(path)
        var records = try Self.split(String(decoding: bytes, as: UTF8.self), path: path)
        guard !records.isEmpty else { throw UsageError(message: "\(path): the file is empty (no header line)") }
        header = records.removeFirst().cells
        for record in records where record.cells.count != header.count {
            throw UsageError(message: "\(path): line \(record.line): \(record.cells.count) cells, the header has \(header.count) (not a pva table?)")
        }
        rows = records
    }

    /// The index of `column`, or an error saying the file lacks it.
    func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw UsageError(message: "\(path): no column \(name) (not a pva table, or from another version of pva?)")
        }
        return i
    }

    func has(_ column: String) -> Bool { header.contains(column) }

    /// The number in `column` of a row; nil for an empty cell.
    func number(_ row: (line: Int, cells: [String]), _ column: Int) throws -> Double? {
        let text = row.cells[column]
        if text.isEmpty { return nil }
        guard let value = Double(text), value.isFinite else {
            throw UsageError(message: "\(path): line \(row.line), column \(header[column]): expected a number (got '\(text)')")
        }
        return value
    }

    /// A whole number in `column` of a row (required).
    func integer(_ row: (line: Int, cells: [String]), _ column: Int) throws -> Int {
        guard let value = Int(row.cells[column]) else {
            throw UsageError(message: "\(path): line \(row.line), column \(header[column]): expected a whole number (got '\(row.cells[column])')")
        }
        return value
    }

    /// The records of `text`: fields split at commas outside quotes, records at line breaks
    /// outside quotes (a final line break ends the last record).
    private static func split(_ text: String, path: String) throws -> [(line: Int, cells: [String])] {
        var records: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var field = ""
        var quoted = false, afterQuote = false
        var line = 1, recordLine = 1
        var pending = false  // a record has started
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let c = next {
            next = scalars.next()
            if quoted {
                if c == "\"" {
                    if next == "\"" { field.unicodeScalars.append(c); next = scalars.next() } else { quoted = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty && !afterQuote else {
                    throw UsageError(message: "\(path): line \(line): a quote inside an unquoted field (not a pva table?)")
                }
                quoted = true
                pending = true
            case ",":
                cells.append(field)
                field = ""
                afterQuote = false
                pending = true
            case "\r" where next == "\n":
                continue
            case "\n":
                cells.append(field)
                records.append((recordLine, cells))
                cells = []
                field = ""
                afterQuote = false
                pending = false
                line += 1
                recordLine = line
            default:
                guard !afterQuote else {
                    throw UsageError(message: "\(path): line \(line): text after a closing quote (not a pva table?)")
                }
                field.unicodeScalars.append(c)
                pending = true
            }
        }
        if quoted { throw UsageError(message: "\(path): line \(recordLine): a quoted field never closes (is the file cut short?)") }
        if pending || !field.isEmpty || !cells.isEmpty {
            cells.append(field)
            records.append((recordLine, cells))
        }
        return records
    }
}
