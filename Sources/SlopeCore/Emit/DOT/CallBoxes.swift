/// The collapsed calls of a `slope dot` picture: each outermost inlined call (a user's `fn`, or a
/// prelude function such as `bce` or `accuracy`) drawn as one box instead of the nodes inside
/// it, and its backward pass, with `--grad`, as a second box beside it. Calls nested inside a
/// call are inside its box. `--expand` draws every node instead (clusters, `DOTWriter`).
///
/// A box stands for its members: edges into any member enter the box, edges out of any member
/// leave it, edges between members vanish, and parallel edges are drawn once. The seed of the
/// backward pass is never inside a box.
struct CallBoxes {
    struct Box {
        /// The outermost call frame.
        let frame: Int
        /// The backward pass of the call rather than the call.
        let isGradient: Bool
        var members: [NodeID] = []
        /// The member the box is labelled after: the last one read from outside it (or printed
        /// or trained), which for a forward box is the call's result.
        var representative: NodeID
        /// Members read from outside the box, in graph order.
        var exported: [NodeID] = []
        /// For a backward box, its gradients of values outside the call (`d_W1`, `d_hidden`).
        var handedOn: [NodeID] = []
    }

    /// For each node, the index of its box, or nil when it is drawn on its own.
    let boxOf: [Int?]
    let boxes: [Box]

    /// No boxes at all: every node on its own.
    init(none picture: GraphPicture) {
        boxOf = [Int?](repeating: nil, count: picture.graph.count)
        boxes = []
    }

    init(_ picture: GraphPicture) {
        let graph = picture.graph
        let frames = graph.frames
        var boxOf = [Int?](repeating: nil, count: graph.count)
        var boxes: [Box] = []
        var index: [Int: Int] = [:]  // 2·frame + gradient → box
        for id in graph.ids where picture.visible[id.int] {
            guard var frame = graph[id].frame.map(Int.init), frame < frames.count, picture.seed?.node != id else { continue }
            while let parent = frames[frame].parent.map(Int.init), parent < frames.count { frame = parent }
            let gradient = picture.isGradient[id.int]
            let key = 2 * frame + (gradient ? 1 : 0)
            if index[key] == nil {
                index[key] = boxes.count
                boxes.append(Box(frame: frame, isGradient: gradient, representative: id))
            }
            boxOf[id.int] = index[key]
            boxes[index[key]!].members.append(id)
        }
        // A call whose drawn nodes are all constants (what a hoisted integrand leaves behind)
        // is no call to draw: its constants stand on their own.
        var kept: [Box] = []
        var renumbered = [Int?](repeating: nil, count: boxes.count)
        for (position, box) in boxes.enumerated() where !box.members.allSatisfy({ graph[$0].op.constantValue != nil }) {
            renumbered[position] = kept.count
            kept.append(box)
        }
        boxes = kept
        boxOf = boxOf.map { $0.flatMap { renumbered[$0] } }
        // What leaves each box: members read by a drawn node outside it, or printed, trained or
        // requested as an output.
        var isExported = [Bool](repeating: false, count: graph.count)
        for id in graph.ids where picture.visible[id.int] {
            for operand in graph[id].operands where boxOf[operand.int] != nil && boxOf[operand.int] != boxOf[id.int] {
                isExported[operand.int] = true
            }
        }
        for output in graph.outputs { isExported[output.node.int] = true }
        for id in picture.captions.keys where id.int < graph.count { isExported[id.int] = true }
        // A gradient the call's backward pass hands on: of a value outside the call.
        func frameOf(_ id: NodeID) -> Int? { boxOf[id.int].map { boxes[$0].frame } }
        for (forward, adjoint) in picture.adjoints where adjoint.int < graph.count && forward.int < graph.count
            && boxOf[adjoint.int] != nil && frameOf(adjoint) != frameOf(forward) {
            isExported[adjoint.int] = true
        }
        var handsOn = [Bool](repeating: false, count: graph.count)
        for id in graph.ids where boxOf[id.int] != nil && picture.isGradient[id.int] {
            let forwards = (graph[id].adjointOf.map { [$0] } ?? []) + picture.adjoints.filter { $0.value == id }.map(\.key)
            handsOn[id.int] = forwards.contains { frameOf($0) != frameOf(id) }
        }
        for position in boxes.indices {
            boxes[position].exported = boxes[position].members.filter { isExported[$0.int] }
            boxes[position].handedOn = boxes[position].members.filter { handsOn[$0.int] }
            boxes[position].representative = boxes[position].exported.last ?? boxes[position].members.last!
        }
        self.boxOf = boxOf
        self.boxes = boxes
    }

    /// The DOT node an IR node is drawn as: its box, or itself.
    func endpoint(_ id: NodeID) -> String {
        guard let box = boxOf[id.int] else { return DOTWriter.nodeID(id) }
        return Self.boxID(boxes[box])
    }

    static func boxID(_ box: Box) -> String { "\"call\(box.frame)\(box.isGradient ? "_backward" : "")\"" }
}
