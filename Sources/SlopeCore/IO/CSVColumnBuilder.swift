/// The columns of a CSV table as its rows are parsed. A row's numbers are written into a small
/// column-major block, one store each, and every full block is appended to the columns with
/// one copy per column: the columns grow without a uniqueness check or capacity test per cell.
/// A row is kept only when `commitRow` is called, so a row found to have the wrong number of
/// fields halfway through is simply written over by the next.
///
/// The block is borrowed from the caller, which keeps it alive while the builder is used.
struct CSVColumnBuilder {
    private(set) var columns: [[Double]]
    private let block: UnsafeMutableBufferPointer<Double>
    private let blockRows: Int
    private var rowsInBlock = 0

    /// How many numbers a block holds: 32 kB, small enough to stay in the L1 cache.
    static let blockSize = 4096

    /// A builder of `width` columns that reserves `rowBound` rows in each (so none is ever
    /// regrown), writing through `block` (at least `blockSize(width:)` numbers).
    init(width: Int, rowBound: Int, block: UnsafeMutableBufferPointer<Double>) {
        columns = [[Double]](repeating: [], count: width)
        // Not for a header alone (a bound of one row), whose columns stay empty and unallocated
        // however wide it is.
        if rowBound > 1 {
            for column in columns.indices { columns[column].reserveCapacity(rowBound) }
        }
        self.block = block
        blockRows = block.count / width
        precondition(blockRows > 0, "a block must hold a row")
    }

    /// The size of block a table of `width` columns needs: a whole number of rows, at least one.
    static func blockSize(width: Int) -> Int { max(blockSize / width, 1) * width }

    /// Sets the number in `column` of the row being written.
    func set(_ value: Double, column: Int) {
        block[column &* blockRows &+ rowsInBlock] = value
    }

    /// Keeps the row being written and starts the next.
    mutating func commitRow() {
        rowsInBlock &+= 1
        if rowsInBlock == blockRows { flush() }
    }

    /// Appends the rows of the block to the columns.
    mutating func flush() {
        for column in columns.indices {
            let start = column * blockRows
            columns[column].append(contentsOf: UnsafeBufferPointer(rebasing: block[start..<start + rowsInBlock]))
        }
        rowsInBlock = 0
    }

    /// The columns, with the rows still in the block.
    mutating func finish() -> [[Double]] {
        flush()
        return columns
    }
}
