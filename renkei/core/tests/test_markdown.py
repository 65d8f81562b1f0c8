"""User Markdown becomes safe HTML, and one text never leaks into the next."""

import threading

from renkei.core.markdown import markdown_html


def test_tables_lists_and_line_breaks_render():
    html = markdown_html("趣旨\n1行目\n\n- 項目\n\n| 区分 | 件数 |\n|---|---|\n| 市 | 3 |")

    assert "<br>" in html or "<br />" in html
    assert "<li>項目</li>" in html
    assert "<td>市</td>" in html


def test_scripts_and_event_handlers_are_removed():
    html = markdown_html('<script>alert(1)</script><a href="javascript:x" onclick="y">z</a>')

    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html


def test_links_open_without_referrer():
    html = markdown_html("[本会](https://example.lg.jp/)")

    assert 'href="https://example.lg.jp/"' in html
    assert "noopener" in html


def test_a_reference_defined_in_one_text_does_not_resolve_in_the_next():
    markdown_html("[資料][a]\n\n[a]: https://example.lg.jp/a")

    assert "href" not in markdown_html("[資料][a]")


def test_threads_convert_at_the_same_time_without_mixing_texts():
    results: dict[int, str] = {}

    def convert(number: int) -> None:
        for _ in range(50):
            results[number] = markdown_html(f"本文{number}\n\n- 項目{number}")

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for number, html in results.items():
        assert f"本文{number}" in html and f"項目{number}" in html
        assert all(f"本文{other}" not in html for other in results if other != number)
