"""audit_lines: the script-free quality check, and the seed page composed with it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from layout.text import audit_lines, compose_paragraph, normalize
from layout.text.api import ParagraphStyle, SetLine

from test_text_support import METRICS, SIZE

SEED = Path("/work/shared/seed/zhuzhou-daily-page.txt")
CLEAN = dict(
    prohibited_start=0, prohibited_end=0, split_pairs=0, ragged=0, overfull=0, orphans=0,
    overlaps=0, ascii_punct=0,
)


def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        pytest.skip("seed text not available")
    raw = SEED.read_text(encoding="utf-8")
    paras = [p.strip() for p in raw.split("\n\n") if p.strip() and not p.startswith("#")]
    return [normalize(p).text for p in paras]


def line(text, xs=None, width=None, last=False, em=1.0):
    xs = xs if xs is not None else tuple(i * SIZE * em for i in range(len(text)))
    widths = tuple(SIZE * em for _ in text)
    return SetLine(text, tuple(xs), widths, width if width is not None else len(text) * SIZE,
                   last)


def test_counts_each_fault():
    style = ParagraphStyle(size=SIZE)
    measure = 4 * SIZE
    lines = [
        line("一二三“"),  # ends with an opening mark
        line("，四五六"),  # starts with a closing mark
        line("七八九—", width=3.5 * SIZE),  # ragged, and ends inside a ——
        line("—十一二"),  # a lone "—" may start a line at basic: only the split counts
        line("好。", last=True),  # a 孤字 last line
    ]
    c = audit_lines(lines, measure, style)
    assert c["paragraphs"] == 1 and c["lines"] == 5
    assert c["prohibited_end"] == 1
    assert c["prohibited_start"] == 1
    assert c["split_pairs"] == 1
    assert c["ragged"] == 1
    assert c["orphans"] == 1
    assert audit_lines(lines, measure, ParagraphStyle(size=SIZE, prohibition="strict"))[
        "prohibited_start"
    ] == 2


def test_counts_ascii_punctuation_and_overlaps():
    style = ParagraphStyle(size=SIZE)
    overlapping = SetLine("一二", (0.0, 4.0), (SIZE, SIZE), 13.0, True)
    c = audit_lines([overlapping], 13.0, style)
    assert c["overlaps"] == 1
    c = audit_lines([line("株洲,高新", last=True)], 5 * SIZE, style)
    assert c["ascii_punct"] == 1


@pytest.mark.parametrize("measure_em", [13, 20])
@pytest.mark.parametrize("indent", [1.0, 2.0])
def test_seed_page_is_clean(measure_em, indent):
    style = ParagraphStyle(size=SIZE, indent=indent)
    lines = []
    for p in seed_paragraphs():
        lines += compose_paragraph(p, measure_em * SIZE, style, METRICS)
    c = audit_lines(lines, measure_em * SIZE, style, METRICS)
    assert {k: c[k] for k in CLEAN} == CLEAN, c


def test_seed_page_composes_fast():
    """About 4,000 characters in ~45 paragraphs at 13 em: well under 100 ms on a desk machine
    (the bound here is loose for slow CI runners)."""
    paras = seed_paragraphs()
    while sum(map(len, paras)) < 4000:
        paras = paras + paras[:5]
    style = ParagraphStyle(size=SIZE)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for p in paras:
            compose_paragraph(p, 13 * SIZE, style, METRICS)
        best = min(best, time.perf_counter() - t0)
    assert best < 0.3, best


def test_no_quadratic_behaviour():
    unit = "株洲高新区全力打造以新能源汽车、新能源装备为主导，以新材料、电子信息为特色的产业集群。"
    style = ParagraphStyle(size=SIZE)

    def timed(n):
        text = unit * n
        t0 = time.perf_counter()
        compose_paragraph(text, 13 * SIZE, style, METRICS)
        return time.perf_counter() - t0

    small = min(timed(20) for _ in range(3))
    large = min(timed(200) for _ in range(2))
    assert large < 25 * small, (small, large)


def test_an_overlap_nobody_can_see_is_not_counted():
    """Digits of an address set 0.07 pt closer at 9 pt than shaped alone were 20 "overlaps" on a
    page, none visible and none located; a hundredth of an em is the audit's tolerance."""
    style = ParagraphStyle(size=SIZE)
    for closer, counted in ((0.005, 0), (0.05, 1)):
        ln = SetLine("一二", (0.0, SIZE * (1 - closer)), (SIZE, SIZE), 2 * SIZE, True)
        assert audit_lines([ln], 2 * SIZE, style)["overlaps"] == counted, closer
