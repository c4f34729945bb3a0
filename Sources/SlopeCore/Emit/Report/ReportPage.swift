/// What `slope report` shows of one program, before it is HTML: a title, the program's own
/// opening comment, and sections of blocks in order. `Driver/ReportCommand.swift` fills it from
/// the commands' results; `ReportHTML` writes it. Text here is plain text, escaped when written;
/// in a paragraph, a span between backticks is shown as code (`slope dot FILE | dot -Tsvg`).
public struct ReportPage: Sendable {
    /// The program's path, as the user gave it.
    public var title: String
    /// The paragraphs of the comment the program opens with (what it shows).
    public var lead: [String] = []
    public var sections: [Section] = []

    public init(title: String) { self.title = title }

    /// One part of the page, with an anchor the contents link to.
    public struct Section: Sendable {
        public var id: String
        public var title: String
        public var blocks: [Block]

        public init(id: String, title: String, blocks: [Block] = []) {
            self.id = id
            self.title = title
            self.blocks = blocks
        }
    }

    public enum Block: Sendable {
        /// A heading inside the section.
        case heading(String)
        /// A paragraph of prose.
        case paragraph(String)
        /// A command line the reader can type, shown after `$ `.
        case command(String)
        /// What a command printed on standard output.
        case output(String)
        /// Diagnostics as they are printed on standard error.
        case diagnostics(String)
        /// The program's source with its diagnostics at their lines.
        case listing(SourceListing)
        /// An SVG picture (a complete SVG document, as Slope or Graphviz writes one) and its caption.
        case picture(svg: String, caption: String)
        /// A remark set apart from the text: why a part is missing, and how to get it.
        case note(String)
    }
}
