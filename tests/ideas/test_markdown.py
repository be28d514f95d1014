"""Proposals are Markdown, rendered safely: formatting stays, scripts do not."""

import pytest
from django.utils.safestring import SafeString

from ideas.markdown import render_markdown


def test_markdown_is_rendered():
    """Headings, emphasis, lists, code and tables become HTML."""
    html = render_markdown(
        "# Plan\n\n**bold** and *soft*\n\n- one\n- two\n\n`code`\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h1>Plan</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<li>one</li>" in html
    assert "<code>code</code>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_result_is_marked_safe_for_templates():
    """Templates print the cleaned HTML without escaping it again."""
    assert isinstance(render_markdown("hi"), SafeString)


@pytest.mark.parametrize("text", ["", None])
def test_empty_text_renders_nothing(text):
    """A missing proposal renders as an empty string."""
    assert render_markdown(text) == ""


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("![pixel](http://tracker.example/p.png)", "<img"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="http://x" onclick="steal()">x</a>', "onclick"),
        ('<iframe src="http://evil"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="position:fixed">x</p>', "style="),
        ('<form action="/logout"><button>Go</button></form>', "<form"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ],
)
def test_dangerous_markup_is_removed(text, forbidden):
    """Scripts, event handlers, frames, styles, forms and odd URL schemes go."""
    assert forbidden not in render_markdown(text).lower()


def test_links_keep_their_target_and_are_marked_nofollow():
    """Ordinary links survive, with rel=noopener noreferrer nofollow."""
    html = render_markdown("[site](https://example.com/a?b=1 'Title')")
    assert 'href="https://example.com/a?b=1"' in html
    assert 'title="Title"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_mail_links_are_allowed():
    """mailto: links are a safe scheme."""
    assert 'href="mailto:team@example.com"' in render_markdown(
        "[mail](mailto:team@example.com)"
    )


def test_html_special_characters_in_text_are_escaped():
    """Text that looks like markup is shown, not interpreted."""
    html = render_markdown("1 < 2 & 3 > 2")
    assert "&lt;" in html and "&amp;" in html
