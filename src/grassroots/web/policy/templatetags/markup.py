"""``{{ text|markdown }}``: Markdown as sanitised HTML (``grassroots.web.markup``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from grassroots.web.markup import markdown_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return markdown_html(text)
