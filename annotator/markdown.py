"""Guidelines are Markdown written by managers; they are shown as sanitised HTML."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML with only harmless tags and attributes left (nh3, a binding of Rust's ammonia):
    no scripts, no event handlers, no style, links limited to http(s)/mailto and marked noopener."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised just above)
