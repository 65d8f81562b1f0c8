"""Server-rendered SVG bar charts: accessible, escaped, and to scale."""

import xml.etree.ElementTree as ET

from renkei.core.charts import Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_an_image_with_title_and_description():
    svg = bar_chart(
        chart_id="c1",
        title="Q1 準拠状況",
        description="19団体中7団体",
        bars=[Bar(label="準拠している", count=7, total=19, text="7団体（36.8%）")],
    )

    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Q1 準拠状況"
    assert root.find(f"{SVG}desc").text == "19団体中7団体"


def test_bar_length_is_the_share_of_the_organizations_asked():
    svg = bar_chart(
        chart_id="c",
        title="t",
        description="d",
        bars=[
            Bar(label="a", count=19, total=19, text=""),
            Bar(label="b", count=7, total=19, text=""),
        ],
    )

    rects = ET.fromstring(svg).findall(f".//{SVG}rect")
    full, _, part = (float(r.get("width")) for r in rects[1:4])
    assert full == 290
    assert part == round(290 * 7 / 19, 1)


def test_labels_are_escaped():
    svg = bar_chart(
        chart_id='x"><script>',
        title="<script>alert(1)</script>",
        description="&",
        bars=[Bar(label='<img src=x onerror="alert(1)">', count=1, total=1, text="1")],
    )

    assert "<script>" not in svg
    assert "<img" not in svg
    ET.fromstring(svg)  # still well-formed XML


def test_long_labels_are_cut_but_kept_whole_in_the_bar_title():
    label = "次年度の調達で地域情報プラットフォーム準拠を条件にする予定"
    svg = bar_chart(
        chart_id="c", title="t", description="d", bars=[Bar(label=label, count=1, total=2, text="")]
    )

    group = ET.fromstring(svg).find(f"{SVG}g")
    assert group.find(f"{SVG}title").text.startswith(label)
    assert group.find(f"{SVG}text").text.endswith("…")
