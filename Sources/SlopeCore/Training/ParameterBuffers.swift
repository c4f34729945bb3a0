/// A copy of the trained params' values, allocated once and overwritten in place (the trainer
/// keeps the params at the start of a step whose loss it did not compute).
struct ParameterBuffers {
    private var values: [[Double]]

    init(counts: [Int]) { values = counts.map { [Double](repeating: 0, count: $0) } }

    /// Copies the params from the step's buffers.
    mutating func copy(from params: [UnsafeMutablePointer<Double>]) {
        for (index, pointer) in params.enumerated() {
            values[index].withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: pointer, count: $0.count) }
        }
    }

    /// Writes the copy back into the step's buffers.
    func write(to params: [UnsafeMutablePointer<Double>]) {
        for (index, pointer) in params.enumerated() {
            values[index].withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: $0.count) } }
        }
    }
}
