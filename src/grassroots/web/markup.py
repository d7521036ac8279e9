"""Markdown written by organisers and candidates, turned into HTML that is safe to show.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 (the Rust ``ammonia``
sanitiser) then keeps only an allow-list of tags and attributes, so neither a typed
``<script>`` nor a ``javascript:`` link reaches a page. Links get ``rel="nofollow noopener
noreferrer"``.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
        "ul", "ol", "li", "h2", "h3", "h4",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Headings start at h2: the page's own title is the h1.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML, fit to put in a page as it is."""
    rendered = _renderer.render(text or "")
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308  # sanitised by nh3 just above
