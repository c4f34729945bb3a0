/// Mini-batches for `sgd`: rows are drawn along the first axis of every input that shares the
/// row count (the largest first dimension among the inputs the target reads).
///
/// Each epoch visits the rows in a fresh permutation drawn from the program's seed, or with
/// `shuffle: false` in order (0, 1, 2, …). Every batch has exactly `batch` rows, so the compiled
/// step keeps one shape: when an epoch runs out, the batch continues with the next epoch's rows.
/// With `batch` ≥ the row count, the data are used whole and unshuffled, so `sgd` then takes
/// exactly the steps of `gd`.
struct MiniBatches {
    let rows: Int
    let batch: Int
    let shuffle: Bool
    var random: Random
    var order: [Int] = []
    var position = 0

    init(rows: Int, batch: Int, seed: UInt64, shuffle: Bool = true) {
        self.rows = rows
        self.batch = min(batch, rows)
        self.shuffle = shuffle
        // A stream of its own, so the draws of normal()/uniform() do not shift the batches.
        self.random = Random(seed: seed ^ 0x5347_445F_4241_5443)
    }

    var isFullBatch: Bool { batch >= rows }

    /// The row indices of the next batch.
    mutating func next() -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(batch)
        while indices.count < batch {
            if position >= order.count {
                order = shuffle ? random.permutation(rows) : Array(0..<rows)
                position = 0
            }
            let take = min(batch - indices.count, order.count - position)
            indices.append(contentsOf: order[position..<(position + take)])
            position += take
        }
        return indices
    }

    /// Copies the selected rows of `source` (shape [rows, …]) into `destination`.
    static func gather(_ indices: [Int], from source: [Double], rowSize: Int, into destination: UnsafeMutablePointer<Double>) {
        source.withUnsafeBufferPointer { data in
            for (slot, row) in indices.enumerated() {
                (destination + slot * rowSize).update(from: data.baseAddress! + row * rowSize, count: rowSize)
            }
        }
    }
}
