"""Checks the pages `slope report` writes: valid HTML and self-contained.

    python check_html.py PAGE.html...

Each page is parsed by html5lib (the WHATWG HTML parsing algorithm) in strict mode, so any
parse error fails it: a stray `<`, an unclosed element the parser has to repair, a control
character, a misplaced doctype. The tree is then checked for what a self-contained page must
have and must not have: a doctype, `<html lang>`, a UTF-8 charset, a viewport, a title; no
script, no external style sheet, no frame or embedded object, no `src` attribute, every link a
fragment of the page itself (`href="#…"`) that names an element there, no `url(…)` or `@import`
in a style but `url(#…)`, and no id used twice. Prints one line per page (`PAGE: ok` or the
problems) and exits 1 when any page fails. Run by Tests/DriverTests/ReportValidationTests.swift.
"""

import re
import sys

import html5lib

HTML = "{http://www.w3.org/1999/xhtml}"
FORBIDDEN = {"script", "link", "iframe", "frame", "object", "embed", "img", "base", "audio", "video", "source", "track",
             "form", "input", "button", "foreignObject", "image"}
URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


def local(name):
    """`{namespace}tag` or `{namespace}attribute` without its namespace."""
    return name.rsplit("}", 1)[-1]


def problems(text):
    found = []
    if not text.lstrip().lower().startswith("<!doctype html>"):
        found.append("the page does not start with <!DOCTYPE html>")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(text)
    except html5lib.html5parser.ParseError as error:
        line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
        return found + [f"HTML parse error at line {line}, column {column}: {error}"]

    if root.get("lang", "") == "":
        found.append("<html> has no lang attribute")
    metas = root.findall(f".//{HTML}meta")
    if not any(meta.get("charset", "").lower() == "utf-8" for meta in metas):
        found.append('no <meta charset="utf-8">')
    if not any(meta.get("name") == "viewport" and "width=device-width" in meta.get("content", "") for meta in metas):
        found.append("no viewport <meta> with width=device-width")
    title = root.find(f".//{HTML}title")
    if title is None or not (title.text or "").strip():
        found.append("no <title>")

    ids = {}
    links = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        name = local(element.tag)
        if name in FORBIDDEN:
            found.append(f"a <{name}> element")
        for attribute, value in element.attrib.items():
            attribute = local(attribute)
            if attribute == "id":
                ids[value] = ids.get(value, 0) + 1
            elif attribute == "src":
                found.append(f"<{name} src={value!r}>")
            elif attribute == "href":
                if value.startswith("#"):
                    links.append(value[1:])
                else:
                    found.append(f"<{name} href={value!r}> leaves the page")
            elif attribute.startswith("on"):
                found.append(f"<{name} {attribute}=…>: an event handler is a script")
            elif attribute == "style":
                found += style_problems(value, f"<{name} style>")
        if name == "style":
            found += style_problems(element.text or "", "<style>")
    found += [f"id {name!r} is used {count} times" for name, count in sorted(ids.items()) if count > 1]
    found += [f"link to #{target}, which no element has as its id" for target in links if target not in ids]
    return found


def style_problems(css, where):
    found = []
    if "@import" in css.lower():
        found.append(f"{where} imports a style sheet")
    for target in URL.findall(css):
        if not target.startswith("#"):
            found.append(f"{where} loads url({target})")
    return found


def main(paths):
    failed = False
    for path in paths:
        with open(path, encoding="utf-8") as page:
            found = problems(page.read())
        failed = failed or bool(found)
        print(f"{path}: " + ("ok" if not found else "; ".join(found)))
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
