import Foundation

/// An SVG document made ready to stand inside the report's HTML: the XML declaration, the
/// doctype and the comments before the root element dropped (HTML has no place for them), and
/// every `id` prefixed, with the `url(#…)` and `href="#…"` references to it, so two pictures
/// on one page (Graphviz numbers its nodes `node1`, `node2`, … in each) never share an id.
///
/// The document is one Slope wrote (`SVGPlot`) or Graphviz wrote from Slope's DOT text; both
/// escape every text. As a second line of defence a document that is not one `svg` element,
/// or that holds a script, an embedded HTML fragment or a link to elsewhere, is refused (nil).
enum InlineSVG {
    static func prepared(_ document: String, idPrefix prefix: String) -> String? {
        guard let start = document.range(of: "<svg"), let end = document.range(of: "</svg>", options: .backwards),
              start.lowerBound < end.lowerBound else { return nil }
        var svg = String(document[start.lowerBound..<end.upperBound])
        let lowered = svg.lowercased()
        for forbidden in ["<script", "<foreignobject", "<iframe", "href=\"http", "href=\"//", "href='http", "javascript:",
                          "<image", "@import"] where lowered.contains(forbidden) {
            return nil
        }
        svg = svg.replacingOccurrences(of: " id=\"", with: " id=\"\(prefix)-")
            .replacingOccurrences(of: "url(#", with: "url(#\(prefix)-")
            .replacingOccurrences(of: "href=\"#", with: "href=\"#\(prefix)-")
        return svg
    }
}
