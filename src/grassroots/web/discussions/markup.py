"""Posts' Markdown made into safe HTML, and the ``@handles`` in them.

markdown-it-py renders CommonMark with raw HTML turned off (typed tags come out as text), then
nh3 keeps only an allow-list of tags and attributes and only http, https and mailto links, so
neither a ``<script>``, an ``onerror`` nor a ``javascript:`` link survives even if the
renderer let one through. A mention is ``@`` and a handle, the slug of the person's name
(``@nia-evans``); the ones that resolve (``discussions.services``) become a highlighted name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import nh3
from django.utils.html import escape
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

HANDLE = re.compile(r"(?<![\w@/.])@([a-z0-9][a-z0-9-]{0,78}[a-z0-9]|[a-z0-9])", re.IGNORECASE)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")


def handle_of(name: str) -> str:
    """The handle that mentions someone: the slug of their name."""
    return slugify(name)


def handles_in(text: str) -> set[str]:
    """Every ``@handle`` written in ``text``, in lower case."""
    return {match.group(1).lower() for match in HANDLE.finditer(text)}


def _mentions_marked(tokens: list[Token], names: Mapping[str, str]) -> None:
    """Turn each resolved ``@handle`` in plain text (not in code or a link) into a marked name."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        in_link = 0
        for child in token.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            if child.type != "text" or in_link or not HANDLE.search(child.content):
                children.append(child)
                continue
            last = 0
            for match in HANDLE.finditer(child.content):
                name = names.get(match.group(1).lower())
                if name is None:
                    continue
                before = Token("text", "", 0, content=child.content[last : match.start()])
                mark = Token(
                    "html_inline", "", 0, content=f'<span class="mention">@{escape(name)}</span>'
                )
                children += [before, mark]
                last = match.end()
            children.append(Token("text", "", 0, content=child.content[last:]))
        token.children = children


def render(body: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """``body`` (Markdown) as sanitised HTML; ``mentions`` maps each resolved handle to the
    name to show."""
    tokens = _markdown.parse(body)
    if mentions:
        _mentions_marked(tokens, mentions)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitise(html)


def sanitise(html: str) -> str:
    """Only the allowed tags, attributes and link schemes; links get ``rel`` so they pass no
    referrer and no ranking."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )
