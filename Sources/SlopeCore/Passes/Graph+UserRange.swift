/// Where a node comes from in the user's own file, for reports and warnings: its range, or
/// when that lies in the prelude (a node of `bce`'s body), the call in the user's file that
/// inlined it.
extension Graph {
    public func userRange(of id: NodeID) -> SourceRange? {
        let node = self[id]
        return userRange(node.range, frame: node.frame)
    }

    func userRange(_ range: SourceRange?, frame: Int32?) -> SourceRange? {
        guard let range, range.isPrelude else { return range }
        var frame = frame
        var steps = 0
        while let index = frame, Int(index) < frames.count, steps < frames.count {
            let call = frames[Int(index)]
            if !call.range.isPrelude { return call.range }
            frame = call.parent
            steps += 1
        }
        return range
    }
}
