/// The report's style sheet, inline in the page (nothing is loaded from elsewhere): one column
/// at most 60rem wide, system fonts, code in `pre` blocks that scroll sideways on a phone, and
/// pictures that shrink to the column (`max-width: 100%`). `@media print` drops the contents,
/// wraps long lines instead of scrolling, and keeps a picture or a block on one page.
enum ReportStyle {
    static let css = """
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body { margin: 0; color: #1b1b1b; background: #fff;
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
    h1 { font-size: 1.5rem; margin: 1.25rem 0 0.5rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 1px solid #d8dde3; }
    h3 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
    p { margin: 0.5rem 0; }
    .lead { color: #3d4650; }
    nav ol { margin: 0.5rem 0; padding-left: 1.5rem; }
    nav li { margin: 0.1rem 0; }
    a { color: #0b57d0; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
    code { font-size: 0.9em; background: #f1f3f5; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
    pre { margin: 0.5rem 0; padding: 0.6rem 0.8rem; overflow-x: auto; font-size: 0.85rem; line-height: 1.45;
      tab-size: 8; background: #f6f8fa; border: 1px solid #e1e5ea; border-radius: 4px; }
    pre.command { color: #f6f8fa; background: #22272e; border-color: #22272e; }
    pre.command .prompt { color: #9aa5b1; user-select: none; }
    pre.stderr { color: #3d4650; background: #fbfaf5; border-color: #e6e1cf; border-left: 4px solid #c9b98a; }
    .listing .ln { color: #8b949e; user-select: none; }
    .listing .error { color: #b3261e; }
    .listing .warning { color: #8a5300; }
    .listing .note { color: #4a5560; }
    .remark { margin: 0.75rem 0; padding: 0.5rem 0.8rem; background: #fff8e1; border-left: 4px solid #e0a800; }
    figure { margin: 0.75rem 0; }
    figure svg { display: block; max-width: 100%; height: auto; }
    figcaption { margin-top: 0.3rem; font-size: 0.9rem; color: #4a5560; }
    footer { margin-top: 2.5rem; padding-bottom: 1.5rem; font-size: 0.85rem; color: #5b6570; }
    @media (max-width: 30rem) {
      body { font-size: 15px; }
      pre { font-size: 0.8rem; padding: 0.5rem; }
    }
    @media print {
      body { font-size: 10.5pt; }
      header, main, footer { max-width: none; padding: 0; }
      nav { display: none; }
      a { color: inherit; text-decoration: none; }
      pre { overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; background: none; border-color: #bbb; }
      pre.command { color: #000; background: none; border-color: #bbb; }
      pre.command .prompt { color: #555; }
      pre, figure, .remark { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
    }
    """
}
