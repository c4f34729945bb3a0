/// The look of `slope dot` pictures in one table: each kind of node has a shape and colours,
/// and a node that a statement reads (a printed value or a training target) gets a double
/// border on top of its kind's colours. SPEC.md section 10 shows the same table to users.
public enum DOTStyle {
    /// What a node is, as far as the picture cares. A node is one kind only.
    public enum Kind: String, CaseIterable, Sendable {
        case param, input, constant, operation, result, gradient

        /// The word the legend uses.
        public var legend: String {
            switch self {
            case .param: return "param"
            case .input: return "input"
            case .constant: return "constant"
            case .operation: return "operation"
            case .result: return "printed / trained"
            case .gradient: return "gradient"
            }
        }

        /// Fill colour.
        public var fill: String {
            switch self {
            case .param: return "#ffe0b2"      // orange 100
            case .input: return "#bbdefb"      // blue 100
            case .constant: return "#eeeeee"   // grey 200
            case .operation: return "#ffffff"
            case .result: return "#c8e6c9"     // green 100
            case .gradient: return "#f8bbd0"   // pink 100
            }
        }

        /// Border colour.
        public var border: String {
            switch self {
            case .param: return "#e65100"
            case .input: return "#1565c0"
            case .constant: return "#9e9e9e"
            case .operation: return "#616161"
            case .result: return "#2e7d32"
            case .gradient: return "#ad1457"
            }
        }

        /// Leaves are square boxes; computed values have rounded corners.
        public var style: String {
            switch self {
            case .param, .input: return "filled"
            case .constant, .operation, .result, .gradient: return "rounded,filled"
            }
        }
    }

    /// Colour of edges into gradient nodes and of the dashed adjoint edges.
    public static let gradientEdge = "#c2185b"
    /// Colour of ordinary edges and their shape labels.
    public static let edge = "#757575"
    /// Fill of call clusters by nesting depth (alternating, so nested calls stand out).
    public static let clusterFills = ["#f5f5f5", "#e8eaf6"]
    public static let clusterBorder = "#9e9e9e"
    /// Colour of the value and gradient lines written by `--values`, and of result captions.
    public static let valueText = "#37474f"
    public static let gradientText = "#ad1457"
    public static let captionText = "#2e7d32"
}
