"""Turn an invite description (plain text or HTML) into plain text, quickly."""

from __future__ import annotations

import html
import re

from striprtf.striprtf import rtf_to_text

from gatekeeper.screening.links import unwrap

# Only the start of a description is examined: agendas and links sit near the top, and
# this bounds the work on pathological input.
MAX_CHARS = 20_000

# A description is HTML when it holds a tag that calendars and mail clients actually use;
# "<https://...>" (Outlook plain text) and "a < b" are not tags.
_HTML_HINT = re.compile(
    r"<(?:!--|/?(?:a|b|i|u|p|br|div|span|li|ul|ol|strong|em|font|table|tr|td|th|tbody|thead"
    r"|h[1-6]|hr|html|body|head|meta|style|blockquote|pre|code|img|section|center|sup|sub"
    r"|o:p|label|small|big|s|strike|del|ins|mark|title)\b)",
    re.IGNORECASE,
)
# A tag never contains "<", so "[^<>]" ends a scan at the next tag: broken HTML with
# thousands of unclosed tags stays linear. An anchor's text ends at the next anchor.
_INVISIBLE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(style|script|head|title|xml)\b[^<>]*+>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_INVISIBLE_OPENERS = ("<style", "<script", "<head", "<title", "<xml")
_PLAIN_BREAKS = ("<br>", "<br/>", "<br />", "<BR>", "<BR/>", "<BR />")
_ANCHOR = re.compile(
    r"<a\b([^<>]*+)>((?:[^<]++|<(?!/?a[\s>]))*+)(?:</a\s*>)?",
    re.IGNORECASE,
)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^<>]*+>", re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:br|p|div|tr|h[1-6]|ul|ol|li|table|tbody|thead|blockquote|pre|section|center|hr"
    r"|dl|dt|dd)\b[^<>]*+>",
    re.IGNORECASE,
)
# Tags that make blocks of their own: HTML written with them wraps its text freely.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|pre|section|center|dl|dt|dd)\b",
    re.IGNORECASE,
)
_BR_NEWLINE = re.compile(r"<br\s*/?>[ \t]*\n", re.IGNORECASE)
_CELL = re.compile(r"</?t[dh]\b[^<>]*+>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*+>")
# Characters that render as (or as no) space; str.replace beats str.translate here.
_ODD_SPACES = (("\xa0", " "), ("\u202f", " "), ("\u2007", " "), ("\u200b", ""), ("\ufeff", ""))
# Entities common enough to replace directly; html.unescape handles the rest.
_COMMON_ENTITIES = (("&nbsp;", " "), ("&quot;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"))
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def is_html(text: str) -> bool:
    """Return True when ``text`` looks like an HTML fragment."""
    return "<" in text and _HTML_HINT.search(text) is not None


def _anchor_text(match: re.Match[str]) -> str:
    href_match = _HREF.search(match.group(1))
    label = _TAG.sub("", match.group(2))
    if href_match is None:
        return label
    href = href_match.group(1) or href_match.group(2) or href_match.group(3) or ""
    href = unescape(href).strip()
    if not href.lower().startswith(("http://", "https://")):
        return label  # mailto:, tel:, anchors: the visible text says it all
    if "url" in href:
        href = unwrap(href)  # Google's redirect around a link whose text is its target
    bare = href.split("://", 1)[-1].rstrip("/")
    if bare[:40] in unescape(label) and "://" in label:
        return label  # the text is the address itself
    # Keep the address on the line of its label: "Pre-read: Q3 plan (https://...)".
    return f"{label} ({href})"


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment, one block per line, links kept."""
    if "\n" in fragment and _BLOCK_TAG.search(fragment) is None:
        # Text with only inline tags (<b>, <a>, <br>) pasted around it: the writer's own line
        # breaks are its lines, and a <br> at the end of one adds none.
        text = _BR_NEWLINE.sub("\n", fragment.replace("\r", ""))
    else:
        # Raw newlines in HTML are spaces; only tags make lines.
        text = fragment.replace("\r", " ").replace("\n", " ")
    low = text.lower()  # only to skip passes that would find nothing
    if "<!--" in low or any(opener in low for opener in _INVISIBLE_OPENERS):
        text = _INVISIBLE.sub("", text)
    if "<a" in low:
        text = _ANCHOR.sub(_anchor_text, text)
    if "<li" in low:
        text = _LIST_ITEM.sub("\n• ", text)
    for br in _PLAIN_BREAKS:  # Google's descriptions are mostly text and <br>
        if br in text:
            text = text.replace(br, "\n")
    if "<" in text:
        text = _BLOCK.sub("\n", text)
        if "<t" in low:
            text = _CELL.sub(" ", text)
        text = _TAG.sub("", text)
    return unescape(text)


def unescape(text: str) -> str:
    """Return ``text`` with HTML character references decoded."""
    if "&" not in text:
        return text
    for entity, char in _COMMON_ENTITIES:
        if entity in text:
            text = text.replace(entity, char)
    if "&" in text and _ENTITY.search(text):
        return html.unescape(text)
    return text


def _rtf_text(text: str) -> str:
    """Return the text of an RTF body, or the body itself when it does not parse."""
    try:
        return str(rtf_to_text(text, errors="ignore"))  # type: ignore[no-untyped-call]
    except Exception:  # a broken RTF body is still read as it is, never lost
        return text


def to_plain_text(description: str) -> str:
    """Return ``description`` as plain text: HTML rendered, entities decoded, capped."""
    text = description[:MAX_CHARS]
    if "{\\rtf" in text[:20]:
        text = _rtf_text(text)
    text = html_to_text(text) if is_html(text) else unescape(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.replace("\t", " ")
    if not text.isascii():
        for char, replacement in _ODD_SPACES:
            if char in text:
                text = text.replace(char, replacement)
    return text
