/// The shape of a `slope dot` output, read back for tests: its nodes, edges and call clusters
/// (from the line-per-statement layout `DOTWriter` writes), and a check that the text is
/// lexically whole (every string closed, every HTML label and brace balanced), which holds
/// whatever names and paths the program had, and needs no Graphviz.
public struct DOTStructure {
    public struct Node: Sendable {
        public let id: String
        /// Everything between the brackets, label included.
        public let attributes: String
        /// The innermost cluster holding the node, or nil at the top level.
        public let cluster: String?
    }

    public struct Edge: Sendable {
        public let from: String
        public let to: String
        public let attributes: String
        public var isDashed: Bool { attributes.contains("style=dashed") }
    }

    public struct Cluster: Sendable {
        public let name: String
        public let parent: String?
        public var label = ""
    }

    public private(set) var nodes: [String: Node] = [:]
    public private(set) var nodeOrder: [String] = []
    public private(set) var edges: [Edge] = []
    public private(set) var clusters: [String: Cluster] = [:]
    public let text: String

    public init(_ text: String) {
        self.text = text
        var open: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingPrefix(while: { $0 == " " })
            if line.hasPrefix("subgraph \""), let name = DOTStructure.quotedPrefix(line.dropFirst("subgraph ".count)) {
                clusters[name] = Cluster(name: name, parent: open.last)
                open.append(name)
            } else if line == "}" {
                _ = open.popLast()
            } else if line.hasPrefix("label="), let current = open.last {
                clusters[current]?.label = String(line)
            } else if line.hasPrefix("\""), let from = DOTStructure.quotedPrefix(line) {
                let rest = line.dropFirst(from.count + 2)
                if rest.hasPrefix(" -> "), let to = DOTStructure.quotedPrefix(rest.dropFirst(4)) {
                    let attributes = rest.dropFirst(4 + to.count + 2)
                    edges.append(Edge(from: from, to: to, attributes: String(attributes)))
                } else {
                    nodes[from] = Node(id: from, attributes: String(rest), cluster: open.last)
                    nodeOrder.append(from)
                }
            }
        }
    }

    /// The ID at the start of `text` when it starts with a simple quoted ID (no escapes).
    static func quotedPrefix(_ text: Substring) -> String? {
        guard text.hasPrefix("\""), let close = text.dropFirst().firstIndex(of: "\"") else { return nil }
        return String(text[text.index(after: text.startIndex)..<close])
    }

    /// The node whose label starts with `<b>name</b>` (a user-named node), if any.
    public func node(named name: String) -> Node? {
        nodeOrder.lazy.compactMap { self.nodes[$0] }.first { $0.attributes.contains("label=<<b>\(name)</b>") }
    }

    public func edges(from: String, to: String) -> [Edge] { edges.filter { $0.from == from && $0.to == to } }

    /// Clusters whose title is the function `name`.
    public func clusters(calling name: String) -> [Cluster] {
        clusters.values.filter { $0.label.hasPrefix("label=<<b>\(name)</b>") }.sorted { $0.name < $1.name }
    }

    /// Whether the text lexes as one whole digraph: quoted strings closed (honouring `\"` and
    /// `\\`), HTML labels' angle brackets balanced, braces balanced, nothing after the last `}`.
    public static func isWellFormed(_ text: String) -> Bool {
        var braces = 0
        var closedGraph = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        while let scalar = iterator.next() {
            if closedGraph && !scalar.properties.isWhitespace { return false }
            switch scalar {
            case "\"":
                var closed = false
                while let next = iterator.next() {
                    if next == "\\" { _ = iterator.next(); continue }
                    if next == "\"" { closed = true; break }
                    if next == "\n" { return false }  // the writer never writes a raw line break in a string
                }
                if !closed { return false }
            case "<":
                var depth = 1
                while depth > 0, let next = iterator.next() {
                    if next == "<" { depth += 1 } else if next == ">" { depth -= 1 } else if next == "\n" { return false }
                }
                if depth != 0 { return false }
            case "{":
                braces += 1
            case "}":
                braces -= 1
                if braces < 0 { return false }
                if braces == 0 { closedGraph = true }
            default:
                break
            }
        }
        return closedGraph && braces == 0
    }
}
