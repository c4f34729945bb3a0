/// Best-fit allocation of arena ranges, with freed ranges merged with their neighbours.
struct ArenaAllocator {
    private(set) var size = 0
    /// Free ranges sorted by offset.
    private var free: [(offset: Int, size: Int)] = []

    mutating func allocate(_ count: Int) -> Int {
        var best = -1
        for (index, block) in free.enumerated() where block.size >= count {
            if best < 0 || block.size < free[best].size { best = index }
        }
        if best >= 0 {
            let block = free[best]
            if block.size == count { free.remove(at: best) }
            else { free[best] = (block.offset + count, block.size - count) }
            return block.offset
        }
        // Grow, absorbing a free block at the end of the arena.
        if let last = free.last, last.offset + last.size == size {
            free.removeLast()
            size = last.offset + count
            return last.offset
        }
        let offset = size
        size += count
        return offset
    }

    mutating func release(_ offset: Int, _ count: Int) {
        var index = free.firstIndex { $0.offset > offset } ?? free.count
        free.insert((offset, count), at: index)
        if index + 1 < free.count, free[index].offset + free[index].size == free[index + 1].offset {
            free[index].size += free[index + 1].size
            free.remove(at: index + 1)
        }
        if index > 0, free[index - 1].offset + free[index - 1].size == free[index].offset {
            free[index - 1].size += free[index].size
            free.remove(at: index)
            index -= 1
        }
    }
}
