/// Draws a `GraphPicture` as a Graphviz DOT digraph, laid out left to right from the leaves to
/// the loss. One DOT node per IR node, IDs `n<position>`, except that each outermost inlined
/// call is one box, `call<frame>` (and its backward pass `call<frame>_backward`; `CallBoxes`),
/// unless the picture expands calls: then each call is a cluster `cluster_call_<frame>` titled
/// with the function's name, nested as the calls nest. Edges run
/// from operand to user, labelled with the operand's shape when it is a tensor; a dashed edge
/// runs from each gradient node to the forward value it is the gradient of.
///
/// Every label that shows user text is an HTML-like label escaped by `DOTEscaping.html`, and
/// every quoted string goes through `DOTEscaping.quoted`, so no name, path or source text can
/// break the output. SPEC.md section 10 lists the conventions.
public enum DOTWriter {
    public static func render(_ picture: GraphPicture) -> String {
        let names = NameTable(picture.graph, avoiding: BuiltinFunctions.reservedNames, style: .descriptive)
        var out = "digraph \(DOTEscaping.quoted(picture.title)) {\n"
        out += "  graph [rankdir=LR, splines=polyline, nodesep=0.25, ranksep=0.4, fontname=\"Helvetica\", fontsize=11,\n"
        out += "         labelloc=t, labeljust=l, label=\(titleLabel(picture))];\n"
        out += "  node [shape=box, fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.05\"];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=8, color=\"\(DOTStyle.edge)\", fontcolor=\"\(DOTStyle.edge)\", arrowsize=0.6];\n"
        let boxes = picture.collapsesCalls ? CallBoxes(picture) : CallBoxes(none: picture)
        out += boxes.boxes.isEmpty ? nodeStatements(picture, names) : boxedNodeStatements(picture, names, boxes)
        out += dataEdges(picture, boxes)
        var drawn: Set<String> = []
        for (adjoint, forward) in adjointEdges(picture) {
            let from = boxes.endpoint(adjoint), to = boxes.endpoint(forward)
            guard from != to, drawn.insert(from + " " + to).inserted else { continue }
            out += "  \(from) -> \(to) [style=dashed, color=\"\(DOTStyle.gradientEdge)\", "
                + "arrowhead=empty, constraint=false];\n"
        }
        return out + "}\n"
    }

    /// Every drawn node outside a call, and one box per collapsed call (`CallBoxes`).
    static func boxedNodeStatements(_ picture: GraphPicture, _ names: NameTable, _ boxes: CallBoxes) -> String {
        var out = ""
        for box in boxes.boxes { out += "  " + boxStatement(box, picture, names) }
        for id in picture.graph.ids where picture.visible[id.int] && boxes.boxOf[id.int] == nil {
            out += "  " + nodeStatement(id, picture, names)
        }
        return out
    }

    /// A collapsed call: the result's name, the call as written and the result's shape, what
    /// reads it and with `--values` its value and gradient; for the call's backward pass, the
    /// gradients it hands on (`d_W1, d_b1`) over `backward of layer(X, W1, b1)`.
    static func boxStatement(_ box: CallBoxes.Box, _ picture: GraphPicture, _ names: NameTable) -> String {
        let graph = picture.graph
        let frame = graph.frames[box.frame]
        let call = DOTEscaping.abbreviated(frame.range)
        let result = box.representative
        var lines: [String] = []
        let kind: DOTStyle.Kind
        if box.isGradient {
            kind = .gradient
            let handed = box.handedOn
            let shown = handed.prefix(4).map { names[$0] } + (handed.count > 4 ? ["…"] : [])
            if !shown.isEmpty { lines.append("<b><i>" + DOTEscaping.html(shown.joined(separator: ", ")) + "</i></b>") }
            lines.append(DOTEscaping.html("backward of " + call))
        } else {
            kind = picture.captions[result] == nil ? .operation : .result
            if let name = graph[result].name { lines.append("<b>" + DOTEscaping.html(name) + "</b>") }
            lines.append(DOTEscaping.html("\(call) \(graph[result].shape)"))
            for caption in picture.captions[result] ?? [] {
                lines.append("<font color=\"\(DOTStyle.captionText)\"><i>" + DOTEscaping.html(caption) + "</i></font>")
            }
            if let values = picture.values, let value = values[result] {
                lines += valueLines("data", value, color: DOTStyle.valueText)
                if let adjoint = picture.adjoints[result], let gradient = values[adjoint] {
                    lines += valueLines("grad", gradient, color: DOTStyle.gradientText)
                }
            }
        }
        var attributes = [
            "label=<" + lines.joined(separator: "<br/>") + ">", "shape=box3d",
            "style=\"filled\"", "fillcolor=\"\(kind.fill)\"", "color=\"\(kind.border)\"",
            "tooltip=" + DOTEscaping.quoted("\(frame.range.location): \(frame.function), \(box.members.count) nodes (--expand draws them)"),
        ]
        if !box.isGradient && picture.captions[result] != nil { attributes.append("peripheries=2") }
        return CallBoxes.boxID(box) + bracketed(attributes) + ";\n"
    }

    /// Every drawn node, inside the clusters of the calls it belongs to: each call frame holding
    /// a drawn node (directly or through a nested call) is a cluster inside its caller's.
    static func nodeStatements(_ picture: GraphPicture, _ names: NameTable) -> String {
        let graph = picture.graph
        let frames = graph.frames
        var members = [[NodeID]](repeating: [], count: frames.count)
        var used = [Bool](repeating: false, count: frames.count)
        var topLevel: [NodeID] = []
        for id in graph.ids where picture.visible[id.int] {
            guard let frame = graph[id].frame.map(Int.init), frame < frames.count else {
                topLevel.append(id)
                continue
            }
            members[frame].append(id)
            var cursor: Int? = frame
            while let current = cursor, current < frames.count, !used[current] {
                used[current] = true
                cursor = frames[current].parent.map(Int.init)
            }
        }
        var children = [[Int]](repeating: [], count: frames.count)
        var outermost: [Int] = []
        for (index, frame) in frames.enumerated() where used[index] {
            if let parent = frame.parent.map(Int.init), parent < frames.count { children[parent].append(index) }
            else { outermost.append(index) }
        }
        // Clusters first (Graphviz's layout depends on statement order; this order is the one
        // the rendering tests check), depth first with an explicit stack: calls may nest deeply.
        var out = ""
        enum Step { case open(Int, depth: Int), close(depth: Int) }
        var stack: [Step] = outermost.reversed().map { .open($0, depth: 1) }
        while let step = stack.popLast() {
            switch step {
            case .open(let frame, let depth):
                let indent = String(repeating: "  ", count: depth)
                out += "\(indent)subgraph \(DOTEscaping.quoted("cluster_call_\(frame)")) {\n"
                out += "\(indent)  label=\(clusterLabel(frames[frame])); style=\"rounded,filled\"; "
                    + "fillcolor=\"\(DOTStyle.clusterFills[(depth - 1) % DOTStyle.clusterFills.count])\"; "
                    + "color=\"\(DOTStyle.clusterBorder)\"; fontsize=10;\n"
                for id in members[frame] { out += indent + "  " + nodeStatement(id, picture, names) }
                stack.append(.close(depth: depth))
                stack.append(contentsOf: children[frame].reversed().map { .open($0, depth: depth + 1) })
            case .close(let depth):
                out += String(repeating: "  ", count: depth) + "}\n"
            }
        }
        for id in topLevel { out += "  " + nodeStatement(id, picture, names) }
        return out
    }

    /// Data edges, operand to user. The backward pass runs from the loss back to the params, so
    /// edges into gradient nodes are written reversed with `dir=back` (the arrow still points
    /// from operand to user): the gradients then lie right to left, mirroring the values they
    /// belong to. Forward values read by the backward pass do not rank it (`constraint=false`).
    static func dataEdges(_ picture: GraphPicture, _ boxes: CallBoxes) -> String {
        let graph = picture.graph
        var out = ""
        var drawn: Set<String> = []
        func edge(_ from: String, _ to: String, _ attributes: [String]) {
            // A collapsed call reads an operand once, however many of its nodes read it.
            guard from != to, drawn.insert(from + " " + to).inserted else { return }
            out += "  \(from) -> \(to)" + bracketed(attributes) + ";\n"
        }
        for id in graph.ids where picture.visible[id.int] {
            let intoGradient = picture.isGradient[id.int]
            for operand in graph[id].operands where picture.visible[operand.int] {
                var attributes: [String] = []
                let shape = graph[operand].shape
                if !shape.isScalar { attributes.append("label=\(DOTEscaping.quoted(shape.description))") }
                let user = boxes.endpoint(id), source = boxes.endpoint(operand)
                // A constant inside one call read by another is shared by hash-consing, not data
                // flowing between the calls.
                if graph[operand].op.constantValue != nil && boxes.boxOf[operand.int] != nil && source != user { continue }
                guard intoGradient else {
                    edge(source, user, attributes)
                    continue
                }
                attributes.append("color=\"\(DOTStyle.gradientEdge)\"")
                attributes.append("fontcolor=\"\(DOTStyle.gradientEdge)\"")
                // Written from the gradient node, arrow reversed: every edge between the two
                // passes then runs the way the dashed ones do, and Graphviz 2.43 loses an edge
                // when two unranked edges join one pair of nodes in opposite directions.
                attributes.append("dir=back")
                if !picture.isGradient[operand.int] { attributes.append("constraint=false") }
                edge(user, source, attributes)
            }
        }
        return out
    }

    /// Pairs (gradient node, forward node) to join with dashed edges: every `Node.adjointOf`,
    /// then every entry of `picture.adjoints` whose adjoint is a drawn gradient node, once each.
    public static func adjointEdges(_ picture: GraphPicture) -> [(NodeID, NodeID)] {
        let graph = picture.graph
        var seen: Set<[Int32]> = []
        var edges: [(NodeID, NodeID)] = []
        func add(_ adjoint: NodeID, _ forward: NodeID) {
            guard adjoint != forward, picture.visible[adjoint.int], picture.visible[forward.int],
                  seen.insert([adjoint.index, forward.index]).inserted else { return }
            edges.append((adjoint, forward))
        }
        for id in graph.ids { if let forward = graph[id].adjointOf { add(id, forward) } }
        for (forward, adjoint) in picture.adjoints.sorted(by: { $0.key < $1.key }) where picture.isGradient[adjoint.int] {
            add(adjoint, forward)
        }
        return edges
    }

    static func nodeID(_ id: NodeID) -> String { "\"n\(id.index)\"" }

    static func bracketed(_ attributes: [String]) -> String {
        attributes.isEmpty ? "" : " [" + attributes.joined(separator: ", ") + "]"
    }

    /// One node with its label and its kind's style.
    static func nodeStatement(_ id: NodeID, _ picture: GraphPicture, _ names: NameTable) -> String {
        let kind = picture.kind(of: id)
        var attributes = [
            "label=\(nodeLabel(id, picture, names))",
            "style=\"\(kind.style)\"", "fillcolor=\"\(kind.fill)\"", "color=\"\(kind.border)\"",
        ]
        if picture.captions[id] != nil { attributes.append("peripheries=2") }
        if let range = picture.graph[id].range {
            attributes.append("tooltip=" + DOTEscaping.quoted("\(range.location): " + DOTEscaping.abbreviated(range, limit: 80)))
        }
        return nodeID(id) + bracketed(attributes) + ";\n"
    }

    /// The node's lines: its name (the user's, or `d_x` for an adjoint), its op and shape, what
    /// reads it, and with values its value and gradient.
    static func nodeLabel(_ id: NodeID, _ picture: GraphPicture, _ names: NameTable) -> String {
        let node = picture.graph[id]
        var lines: [String] = []
        if let seed = picture.seed, seed.node == id {
            // One run per line: `d_loss = 1`, then what it is.
            lines.append("<b><i>" + DOTEscaping.html("d_" + names[seed.target] + " = 1") + "</i></b>")
            lines.append("<i>seed of the backward pass</i>")
            return "<" + lines.joined(separator: "<br/>") + ">"
        }
        if let name = node.name {
            lines.append("<b>" + DOTEscaping.html(name) + "</b>")
        } else if node.adjointOf != nil {
            lines.append("<b><i>" + DOTEscaping.html(names[id]) + "</i></b>")
        }
        lines.append(DOTEscaping.html(operation(node)))
        for caption in picture.captions[id] ?? [] {
            lines.append("<font color=\"\(DOTStyle.captionText)\"><i>" + DOTEscaping.html(caption) + "</i></font>")
        }
        if let values = picture.values, node.op.constantValue == nil, let value = values[id] {
            let word = picture.isGradient[id.int] ? "value" : "data"
            lines += valueLines(word, value, color: DOTStyle.valueText)
            if let adjoint = picture.adjoints[id], let gradient = values[adjoint] {
                lines += valueLines("grad", gradient, color: DOTStyle.gradientText)
            }
        }
        return "<" + lines.joined(separator: "<br/>") + ">"
    }

    /// `data 13`, or `data 0.51, 0.49, 0.6, …` and `min …, max …` for a tensor (whose shape
    /// the line above shows). Each line is one run of one font: SVG viewers whose fonts differ
    /// from Graphviz's then cannot make the runs of a line overlap.
    static func valueLines(_ word: String, _ value: Tensor, color: String) -> [String] {
        TensorSummary.lines(value, withShape: false).enumerated().map { index, line in
            "<font point-size=\"9\" color=\"\(color)\">" + DOTEscaping.html(index == 0 ? "\(word) \(line)" : line) + "</font>"
        }
    }

    /// `sigmoid [80, 4]`, `sum(axis: 1) [80]`, `param [2, 4]`, or a constant's value.
    static func operation(_ node: Node) -> String {
        switch node.op {
        case .constant(let value):
            if value.shape.isScalar { return TensorSummary.number(value.values.first ?? .nan) }
            if let fill = value.uniformValue { return "constant \(value.shape) of \(TensorSummary.number(fill))" }
            return "constant " + TensorSummary.lines(value)[0]
        case .reduce(_, let axis?):
            return "\(node.op.name)(axis: \(axis)) \(node.shape)"
        case .index(let position):
            return "index(\(position)) \(node.shape)"
        case .cumsum(let axis):
            return "cumsum(axis: \(axis)) \(node.shape)"
        case .integral(let integrand):
            return "∫ \(integrand.name) d\(integrand.variable) \(node.shape)"
        case .leaf, .unary, .binary, .reduce, .matmul, .transpose, .reshape, .broadcast, .sumTo, .stack:
            return "\(node.op.name) \(node.shape)"
        }
    }

    /// A call cluster's title: the function's name over the call as written.
    static func clusterLabel(_ frame: CallFrame) -> String {
        "<<b>" + DOTEscaping.html(frame.function) + "</b><br/><font point-size=\"8\">"
            + DOTEscaping.html(DOTEscaping.abbreviated(frame.range)) + "</font>>"
    }

    /// The title (path, then what is drawn) and a legend of the kinds of node in the picture.
    static func titleLabel(_ picture: GraphPicture) -> String {
        var present = Set<DOTStyle.Kind>()
        for id in picture.graph.ids where picture.visible[id.int] { present.insert(picture.kind(of: id)) }
        let cells = DOTStyle.Kind.allCases.filter(present.contains).map { kind in
            "<td border=\"1\" bgcolor=\"\(kind.fill)\" color=\"\(kind.border)\">\(DOTEscaping.html(kind.legend))</td>"
        }
        // The notes on a row of their own, so the legend is no wider than the picture needs.
        var notes: [String] = []
        if picture.captions.keys.contains(where: { picture.visible[$0.int] }) {
            notes.append("double border: printed or trained")
        }
        if picture.collapsesCalls && picture.graph.ids.contains(where: { picture.visible[$0.int] && picture.graph[$0].frame != nil }) {
            notes.append("3-D box: a function call (--expand draws inside)")
        }
        if !adjointEdges(picture).isEmpty {
            notes.append("<font color=\"\(DOTStyle.gradientEdge)\">dashed edge: gradient → its value</font>")
        }
        let span = max(1, cells.count)
        var rows = ["<tr><td align=\"left\" colspan=\"\(span)\"><b>" + DOTEscaping.html(picture.title) + "</b></td></tr>"]
        if let subtitle = picture.subtitle {
            rows.append("<tr><td align=\"left\" colspan=\"\(span)\">" + DOTEscaping.html(subtitle) + "</td></tr>")
        }
        if let announcement = picture.announcement {
            rows.append("<tr><td align=\"left\" colspan=\"\(span)\"><font point-size=\"9\">" + DOTEscaping.html(announcement)
                        + "</font></td></tr>")
        }
        if !cells.isEmpty { rows.append("<tr>" + cells.joined() + "</tr>") }
        if !notes.isEmpty {
            rows.append("<tr><td align=\"left\" colspan=\"\(span)\"><font point-size=\"9\">" + notes.joined(separator: "; ")
                        + "</font></td></tr>")
        }
        return "<<table border=\"0\" cellspacing=\"3\" cellpadding=\"3\">" + rows.joined() + "</table>>"
    }
}
