/// Writes a `ReportPage` as one self-contained HTML page: the style sheet inline, the pictures
/// inline as SVG, no script, no font and no image from elsewhere. A Content-Security-Policy
/// says so to the browser as well (`default-src 'none'`: only the inline style and inline
/// images may load), so a reference that slipped in would be refused, and reported on the
/// console, rather than fetched. The page is polyglot (HTMLDocument): HTML5 and well-formed XML.
public enum ReportHTML {
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    public static func render(_ page: ReportPage) -> String {
        var html = HTMLDocument()
        html.raw("<!DOCTYPE html>\n")
        html.open("html", ["lang": "en"])
        html.raw("\n")
        html.open("head")
        html.raw("\n")
        html.void("meta", ["charset": "utf-8"])
        html.raw("\n")
        html.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
        html.raw("\n")
        html.void("meta", ["http-equiv": "Content-Security-Policy", "content": contentSecurityPolicy])
        html.raw("\n")
        html.void("meta", ["name": "generator", "content": Usage.version + " report"])
        html.raw("\n")
        html.element("title", text: "\(page.title) — slope report")
        html.raw("\n")
        html.open("style")
        html.raw("\n" + ReportStyle.css + "\n")
        html.close("style")
        html.raw("\n")
        html.close("head")
        html.raw("\n")
        html.open("body")
        html.raw("\n")
        header(page, into: &html)
        html.open("main")
        html.raw("\n")
        for section in page.sections { self.section(section, into: &html) }
        html.close("main")
        html.raw("\n")
        html.open("footer")
        html.open("p")
        html.write("Made by \(Usage.version) (")
        html.element("code", text: "slope report")
        html.write("). Every block above is what the command shown before it prints.")
        html.close("p")
        html.close("footer")
        html.raw("\n")
        html.close("body")
        html.raw("\n")
        html.close("html")
        html.raw("\n")
        return html.text
    }

    /// The title, the program's opening comment, and the contents.
    static func header(_ page: ReportPage, into html: inout HTMLDocument) {
        html.open("header")
        html.raw("\n")
        html.element("h1", text: page.title)
        html.raw("\n")
        for paragraph in page.lead {
            html.open("p", ["class": "lead"])
            html.write(paragraph)
            html.close("p")
            html.raw("\n")
        }
        guard !page.sections.isEmpty else {
            html.close("header")
            html.raw("\n")
            return
        }
        html.open("nav", ["aria-label": "contents"])
        html.open("ol")
        for section in page.sections {
            html.open("li")
            html.element("a", ["href": "#" + section.id], text: section.title)
            html.close("li")
        }
        html.close("ol")
        html.close("nav")
        html.raw("\n")
        html.close("header")
        html.raw("\n")
    }

    static func section(_ section: ReportPage.Section, into html: inout HTMLDocument) {
        html.open("section", ["id": section.id])
        html.raw("\n")
        html.element("h2", text: section.title)
        html.raw("\n")
        var pictures = 0
        for block in section.blocks {
            switch block {
            case .heading(let text):
                html.element("h3", text: text)
            case .paragraph(let text):
                html.open("p")
                inline(text, into: &html)
                html.close("p")
            case .command(let line):
                html.open("pre", ["class": "command"])
                html.element("span", ["class": "prompt"], text: "$ ")
                html.write(line)
                html.close("pre")
            case .output(let text):
                preformatted(text, className: "output", into: &html)
            case .diagnostics(let text):
                preformatted(text, className: "stderr", into: &html)
            case .listing(let listing):
                self.listing(listing, into: &html)
            case .picture(let svg, let caption):
                pictures += 1
                html.open("figure")
                html.raw("\n")
                if let inline = InlineSVG.prepared(svg, idPrefix: "\(section.id)-\(pictures)") {
                    html.raw(inline)
                } else {
                    html.element("p", ["class": "remark"], text: "This picture could not be shown inline.")
                }
                html.raw("\n")
                html.open("figcaption")
                inline(caption, into: &html)
                html.close("figcaption")
                html.raw("\n")
                html.close("figure")
            case .note(let text):
                html.open("p", ["class": "remark"])
                inline(text, into: &html)
                html.close("p")
            }
            html.raw("\n")
        }
        html.close("section")
        html.raw("\n")
    }

    /// A `pre` block holding `text` exactly, every line break kept (a leading one is doubled,
    /// since an HTML parser drops the first line break after `<pre>`).
    static func preformatted(_ text: String, className: String, into html: inout HTMLDocument) {
        html.open("pre", ["class": className])
        if text.hasPrefix("\n") { html.raw("\n") }
        html.write(text)
        html.close("pre")
    }

    /// Prose with code: the spans between backticks are written as `code` elements.
    static func inline(_ text: String, into html: inout HTMLDocument) {
        for (index, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() where !part.isEmpty {
            if index % 2 == 1 { html.element("code", text: String(part)) } else { html.write(String(part)) }
        }
    }

    /// The source, numbered, with each diagnostic under the line it starts on.
    static func listing(_ listing: SourceListing, into html: inout HTMLDocument) {
        let byLine = listing.byLine
        let width = String(listing.lineCount).count
        let gutter = String(repeating: " ", count: width + 1)
        html.open("pre", ["class": "listing"])
        if listing.file.bytes.isEmpty {
            html.element("span", ["class": "ln"], text: "(the file is empty)")
        }
        for line in 1...max(1, listing.lineCount) where !listing.file.bytes.isEmpty {
            let number = String(line)
            html.element("span", ["class": "ln"], text: String(repeating: " ", count: width - number.count) + number + " ")
            html.write(listing.text(ofLine: line))
            html.raw("\n")
            for diagnostic in byLine[line] ?? [] {
                let severity = diagnostic.severity.rawValue
                html.element("span", ["class": "ln"], text: gutter)
                html.element("span", ["class": severity], text: listing.caret(diagnostic.range!))
                html.raw("\n")
                html.element("span", ["class": "ln"], text: gutter)
                html.element("span", ["class": severity], text: "\(severity): " + TextEscaping.escaped(diagnostic.message))
                html.raw("\n")
                for note in diagnostic.notes {
                    html.element("span", ["class": "ln"], text: gutter)
                    let place = note.range.map { $0.isIn(listing.file) ? " (line \($0.line))" : " (\($0.location))" } ?? ""
                    html.element("span", ["class": "note"], text: "note: " + TextEscaping.escaped(note.message) + place)
                    html.raw("\n")
                }
            }
        }
        html.close("pre")
        let elsewhere = listing.elsewhere
        if !elsewhere.isEmpty {
            html.raw("\n")
            preformatted(DiagnosticRenderer.render(elsewhere), className: "stderr", into: &html)
        }
    }
}
