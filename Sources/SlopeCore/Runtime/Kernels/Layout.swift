/// Kernels that move values without arithmetic: broadcast, transpose, stack, index.
enum LayoutKernels {
    /// y (of `layout.shape`) = x repeated along the axes where x's strides are 0.
    static func broadcast(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, layout: BroadcastLayout) {
        let inner = layout.innerCount
        let xInner = layout.lhsStrides.last ?? 0
        layout.forEachRow { row, xOffset, _ in
            let target = y + row * inner
            if xInner == 1 {
                target.update(from: x + xOffset, count: inner)
            } else {
                let value = x[xOffset]
                for i in 0..<inner { target[i] = value }
            }
        }
    }

    /// Reverses the axes of x (shape `dimensions`), in tiles for a matrix.
    static func transpose(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, dimensions: [Int]) {
        let count = dimensions.reduce(1, *)
        if dimensions.count <= 1 {
            y.update(from: x, count: count)
            return
        }
        if dimensions.count == 2 {
            let rows = dimensions[0], columns = dimensions[1]
            let tile = 32
            var r0 = 0
            while r0 < rows {
                var c0 = 0
                while c0 < columns {
                    for r in r0..<min(r0 + tile, rows) {
                        for c in c0..<min(c0 + tile, columns) { y[c * rows + r] = x[r * columns + c] }
                    }
                    c0 += tile
                }
                r0 += tile
            }
            return
        }
        // General rank: walk the output in order, reading x through reversed strides. The
        // odometer, the output's dimensions and the strides live on the stack.
        let rank = dimensions.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * rank) { space in
            guard let base = space.baseAddress else { return }
            let outputDimensions = base, strides = base + rank, index = base + 2 * rank
            var inputStride = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                // Output axis rank-1-axis is input axis `axis`.
                outputDimensions[rank - 1 - axis] = dimensions[axis]
                strides[rank - 1 - axis] = inputStride
                inputStride *= dimensions[axis]
                index[axis] = 0
            }
            var offset = 0
            for position in 0..<count {
                y[position] = x[offset]
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    offset += strides[axis]
                    if index[axis] < outputDimensions[axis] { break }
                    offset -= strides[axis] * outputDimensions[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
