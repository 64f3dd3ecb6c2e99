"""views/report_html.py: one self-contained page, a Content-Security-Policy that forbids
scripts and requests, every user text escaped, the same bytes for the same report."""

from __future__ import annotations

import re
from pathlib import Path

from smartgoals.views.report_html import CSP, report_html
from tests.views.reportledger import monthly


def test_a_self_contained_page(tmp_path: Path) -> None:
    view = monthly(tmp_path)
    page = report_html(view.report, view.version)
    assert page.startswith("<!DOCTYPE html>\n")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "script-src 'none'" in CSP and "connect-src 'none'" in CSP
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # no external request
    assert "<title>Monthly report 2026-02 (to 2026-02-28)</title>" in page
    assert page.rstrip().endswith("</body></html>")


def test_user_text_is_escaped(tmp_path: Path) -> None:
    view = monthly(tmp_path)
    page = report_html(view.report, view.version)
    assert "<b>now</b>" not in page
    assert "Revenue &lt;b&gt;now&lt;/b&gt;" in page


def test_the_same_report_gives_the_same_bytes(tmp_path: Path) -> None:
    first = monthly(tmp_path / "a")
    second = monthly(tmp_path / "b")
    assert report_html(first.report, first.version) == report_html(second.report, second.version)


def test_declared_states_and_the_alignment_tree_without_a_script(tmp_path: Path) -> None:
    from tests.views.reportledger import aligned

    view = aligned(tmp_path)
    board = report_html(view.report, view.version)  # the board report keeps its length
    assert '<span class="declared disagrees">≠ declared not started (2026-01-02)</span>' in board
    assert (
        '<details class="alignment"><summary><strong>Alignment</strong>: 2 top goals, 1 outside a tree'
        in board
    )
    page = report_html(view.report, view.version, charts="all")
    assert "<h2>Declared and computed</h2>" in page
    assert "declared not started, computed on track" in page
    for html in (board, page):
        tree = html[html.index('<ul class="tree">') :]
        assert tree.startswith('<ul class="tree"><li>Vision &quot;big&quot; (vision)') or (
            tree.startswith('<ul class="tree"><li>Vision &#34;big&#34; (vision)')
        )
        assert "<ul><li>Revenue &lt;b&gt;now&lt;/b&gt; (revenue): " in tree
        assert '<span class="s-on_track">on track</span>' in tree
        assert "Lonely (lonely)" in tree
        assert "<script" not in html and "mermaid" not in html
