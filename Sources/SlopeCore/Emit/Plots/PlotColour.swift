/// Colours for plots, as `#rrggbb` text.
enum PlotColour {
    /// Stops of matplotlib's viridis map (van der Walt and Smith), which stays legible in grey
    /// and to colour-blind readers: dark blue for low values through green to yellow.
    private static let viridisStops: [(Double, Double, Double)] = [
        (0x44, 0x01, 0x54), (0x48, 0x28, 0x78), (0x3e, 0x49, 0x89), (0x31, 0x68, 0x8e), (0x26, 0x82, 0x8e),
        (0x1f, 0x9e, 0x89), (0x35, 0xb7, 0x79), (0x6e, 0xce, 0x58), (0xb5, 0xde, 0x2b), (0xfd, 0xe7, 0x25),
    ]

    /// Viridis at `t` in 0...1, linearly interpolated between the stops.
    static func viridis(_ t: Double) -> String {
        let (red, green, blue) = viridisComponents(t)
        return hex(red, green, blue)
    }

    /// Viridis at `t` mixed with white: `whiteness` 0 is the colour, 1 is white.
    static func lightViridis(_ t: Double, whiteness: Double) -> String {
        let (red, green, blue) = viridisComponents(t)
        let w = min(max(whiteness, 0), 1)
        return hex(red + (255 - red) * w, green + (255 - green) * w, blue + (255 - blue) * w)
    }

    private static func viridisComponents(_ t: Double) -> (Double, Double, Double) {
        let position = (t.isFinite ? min(max(t, 0), 1) : 0) * Double(viridisStops.count - 1)
        let index = min(Int(position), viridisStops.count - 2)
        let fraction = position - Double(index)
        let (a, b) = (viridisStops[index], viridisStops[index + 1])
        return (a.0 + (b.0 - a.0) * fraction, a.1 + (b.1 - a.1) * fraction, a.2 + (b.2 - a.2) * fraction)
    }

    private static func hex(_ components: Double...) -> String {
        "#" + components.map { component in
            let byte = Int(min(max(component.rounded(), 0), 255))
            let digits = String(byte, radix: 16)
            return digits.count < 2 ? "0" + digits : digits
        }.joined()
    }
}
