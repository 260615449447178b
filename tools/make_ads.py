#!/usr/bin/env python3
"""Make the ad files of the sample edition (examples/night/ads/): made-up advertisers, drawn here.

- vector PDF ads as an agency's layout tool exports them: ReportLab, CMYK colours only, the text
  in LXGW WenKai (TrueType, embedded as a subset), shapes as vectors, the page exactly the ad's
  size (trim = media box): what ``broadsheet preflight`` passes and the edition places as vector;
- picture ads (JPEG, RGB as a photographer's or a small advertiser's file arrives; the build
  separates them for newsprint), drawn with Pillow in Noto Sans CJK at 220 ppi.

Each ad is made at the size its booking takes on the sample's broadsheet grid (8 columns of
117 pt, 9 pt gutters, 12 pt lines), so nothing is cropped or letter-boxed. Every advertiser,
address and telephone number is invented. Deterministic: the same bytes on every run (ReportLab's
invariant mode; fixed JPEG settings).

    .venv/bin/python tools/make_ads.py [--out examples/night/ads]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAI_BOLD = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"
KAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SANS_BLACK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Black.ttc"
SC = 2  # the Simplified Chinese face of the Noto CJK collections
PPI = 220


def box(columns: int, lines: int, top: bool = False) -> tuple[float, float]:
    """An ad's box in points on the sample grid (as layout.compose.ad.ad_box measures it)."""
    w = columns * 117 + (columns - 1) * 9
    h = (lines - 1) * 12 + 9 - (0 if top else 6)
    return float(w), float(h)


# -- vector ads -----------------------------------------------------------------------------------

def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "AdKaiBold" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("AdKaiBold", KAI_BOLD))
        pdfmetrics.registerFont(TTFont("AdKai", KAI))


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    w = stringWidth(text, font, size)
    return size if w <= width else size * width / w


def pdf_ad(path: Path, w: float, h: float, *, bg, ink, accent, title: str, lines: list[str], footer: str,
           art: str = "circles", label: str = "广告") -> None:
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfgen.canvas import Canvas

    _fonts()
    c = Canvas(str(path), pagesize=(w, h), invariant=1, initialFontName="AdKai", initialFontSize=9)
    c.setTitle(title)
    c.setAuthor("broadsheet sample")
    col = lambda v: CMYKColor(*[x / 100 for x in v])  # noqa: E731
    c.setFillColor(col(bg))
    c.rect(0, 0, w, h, fill=1, stroke=0)
    pad = min(w, h) * 0.07
    # art
    c.setFillColor(col(accent))
    if art == "circles":
        # two discs at the right edge, in the room the texts leave (a designer keeps type clear)
        ts = _fit(c, title, "AdKaiBold", min(h * 0.2, w * 0.14), w - 2 * pad)
        size = max(7.0, min(ts * 0.42, h * 0.075))
        right = max([c.stringWidth(title, "AdKaiBold", ts)]
                    + [c.stringWidth(t, "AdKai", _fit(c, t, "AdKai", size, w - 2 * pad)) for t in lines])
        room = w - (pad + right + pad * 0.5)
        r1 = min(h * 0.32, room / 1.55)
        if r1 > h * 0.08:
            c.circle(w - r1 * 0.55, h * 0.72, r1, fill=1, stroke=0)
            c.setFillColor(col(ink))
            c.circle(w - r1 * 0.35, h * 0.72 - r1 * 1.15, r1 * 0.55, fill=1, stroke=0)
    elif art == "waves":
        for k in range(5):
            p = c.beginPath()
            y0 = h * (0.18 + 0.07 * k)
            p.moveTo(0, y0)
            for i in range(1, 41):
                x = w * i / 40
                p.lineTo(x, y0 + h * 0.025 * (1 if i % 2 else -1))
            p.lineTo(w, 0)
            p.lineTo(0, 0)
            p.close()
            c.setFillColor(col([v * (0.35 + 0.13 * k) for v in accent]))
            c.drawPath(p, fill=1, stroke=0)
    elif art == "skyline":
        import random

        rnd = random.Random(7)
        x = 0.0
        while x < w:
            bw = w * rnd.uniform(0.05, 0.11)
            bh = h * rnd.uniform(0.12, 0.42)
            c.setFillColor(col([v * rnd.uniform(0.55, 1.0) for v in accent]))
            c.rect(x, 0, bw, bh, fill=1, stroke=0)
            c.setFillColor(col([0, 0, 30, 0]))
            for wy in range(int(bh // 14)):
                for wx in range(int(bw // 12)):
                    if rnd.random() < 0.45:
                        c.rect(x + 4 + wx * 12, 8 + wy * 14, 5, 6, fill=1, stroke=0)
            x += bw + 2
    elif art == "road":
        p = c.beginPath()
        p.moveTo(w * 0.35, 0)
        p.lineTo(w * 0.48, h * 0.45)
        p.lineTo(w * 0.52, h * 0.45)
        p.lineTo(w * 0.9, 0)
        p.close()
        c.setFillColor(col([0, 0, 0, 75]))
        c.drawPath(p, fill=1, stroke=0)
        c.setFillColor(col([0, 0, 100, 0]))
        for k in range(6):
            t = k / 6
            c.rect(w * (0.615 - 0.1 * t * 0), h * 0.45 * (1 - t) - h * 0.02, w * 0.012 * (1 + 2 * t), h * 0.04, fill=1, stroke=0)
    # the ad's label (广告标识), then the texts
    c.setFillColor(col(ink))
    c.setFont("AdKai", 8)
    c.drawString(pad * 0.5, h - pad * 0.5 - 6, label)
    ts = _fit(c, title, "AdKaiBold", min(h * 0.2, w * 0.14), w - 2 * pad)
    c.setFont("AdKaiBold", ts)
    y = h - pad - ts
    c.drawString(pad, y, title)
    size = max(7.0, min(ts * 0.42, h * 0.075))
    y -= size * 1.9
    for text in lines:
        s = _fit(c, text, "AdKai", size, w - 2 * pad)
        c.setFont("AdKai", s)
        c.drawString(pad, y, text)
        y -= s * 1.45
    fs = max(6.5, min(size * 0.75, 11))
    fs = _fit(c, footer, "AdKaiBold", fs, w - 2 * pad)
    c.setFillColor(col([0, 0, 0, 0]) if sum(bg) > 120 else col(ink))
    c.setFont("AdKaiBold", fs)
    c.drawString(pad, pad * 0.6, footer)
    c.showPage()
    c.save()


# -- picture ads ----------------------------------------------------------------------------------

def jpeg_ad(path: Path, w: float, h: float, *, bg, ink, accent, title: str, lines: list[str], footer: str,
            label: str = "广告") -> None:
    from PIL import Image, ImageDraw, ImageFont

    W, H = round(w / 72 * PPI), round(h / 72 * PPI)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    # a soft diagonal light and two bands of the accent colour
    for k in range(0, W + H, 6):
        t = k / (W + H)
        d.line((k, 0, k - H, H), fill=tuple(int(bg[i] * (0.86 + 0.14 * t)) for i in range(3)), width=6)
    d.rectangle((0, int(H * 0.78), W, int(H * 0.86)), fill=accent)
    d.ellipse((int(W * 0.62), int(-H * 0.2), int(W * 1.15), int(H * 0.55)), fill=accent)
    pad = int(min(W, H) * 0.07)

    def font(path, size):
        return ImageFont.truetype(path, max(8, int(size)), index=SC)

    def fit(text, path, size, width):
        f = font(path, size)
        tw = d.textlength(text, font=f)
        return font(path, size * width / tw) if tw > width else f

    d.text((pad // 2, pad // 2), label, font=font(SANS, H * 0.045 if H < W else W * 0.05), fill=ink)
    tf = fit(title, SANS_BLACK, min(H * 0.22, W * 0.15), W - 2 * pad)
    y = pad + int(H * 0.05)
    d.text((pad, y), title, font=tf, fill=ink)
    y += int(tf.size * 1.35)
    size = max(10, min(tf.size * 0.42, H * 0.075))
    for text in lines:
        f = fit(text, SANS, size, W - 2 * pad)
        d.text((pad, y), text, font=f, fill=ink)
        y += int(f.size * 1.4)
    f = fit(footer, SANS, max(10, size * 0.8), W - 2 * pad)
    d.text((pad, int(H * 0.78) + (int(H * 0.08) - f.size) // 2), footer, font=f, fill=(255, 255, 255))
    img.save(path, "JPEG", quality=88, optimize=False, progressive=False, dpi=(PPI, PPI))


# -- the sample edition's ads ---------------------------------------------------------------------

def make(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []

    def pdf(name, size, **kw):
        pdf_ad(out / name, *size, **kw)
        made.append(out / name)

    def jpg(name, size, **kw):
        jpeg_ad(out / name, *size, **kw)
        made.append(out / name)

    pdf("ear-bank.pdf", box(2, 14, top=True), bg=[100, 40, 0, 10], ink=[0, 0, 0, 0], accent=[0, 25, 100, 0],
        title="湘江银行", lines=["安心存款", "年利率 2.1%"], footer="客服 0731-0000 0001", art="circles")
    jpg("ear-telecom.jpg", box(2, 14, top=True), bg=(24, 120, 60), ink=(255, 255, 255), accent=(250, 200, 40),
        title="天元通信", lines=["千兆宽带", "免费上门安装"], footer="营业厅 神农大道 1 号")
    pdf("epaper.pdf", box(8, 12), bg=[0, 0, 0, 6], ink=[0, 100, 100, 10], accent=[0, 100, 100, 10],
        title="株洲日报数字报 全新上线", lines=["每天清晨六点，把今天的报纸送到您的手机上：版面、标题、全文，一点就读"],
        footer="扫描报头旁的二维码订阅 · 全年 120 元", art="waves", label="本报启事")
    jpg("mall.jpg", box(8, 23), bg=(250, 236, 210), ink=(150, 20, 40), accent=(200, 30, 50),
        title="星河购物中心 周年庆", lines=["11月8日至11月11日 全场满300减50", "会员积分翻倍 · 停车三小时免费"],
        footer="河西星河大道 88 号 · 营业时间 10:00—22:00")
    pdf("cars.pdf", box(4, 58), bg=[10, 0, 0, 85], ink=[0, 0, 0, 0], accent=[0, 90, 100, 0],
        title="云龙汽车城", lines=["新能源车型 冬季展销", "试驾即送保养一次", "置换补贴最高一万元", "十余个品牌 一站看齐"],
        footer="云龙示范区汽车城路 8 号 · 0731-0000 0008", art="road")
    pdf("telecom-half.pdf", box(8, 58), bg=[85, 10, 100, 10], ink=[0, 0, 0, 0], accent=[0, 20, 100, 0],
        title="天元通信 5G 进万家", lines=["千兆光纤 + 5G 套餐 每月 99 元起", "老用户升级免工本费 · 社区营业厅延长服务到晚九点",
                                     "企业专线 · 智慧家庭 · 云存储"],
        footer="客服热线 10000-0000（虚构号码）", art="circles")
    pdf("homes.pdf", box(8, 116, top=True), bg=[40, 5, 10, 0], ink=[100, 60, 0, 30], accent=[100, 55, 0, 20],
        title="云庐·江景", lines=["湘江东岸 低密度洋房", "建面约 98—143 平方米 · 三房两厅", "地铁站旁 · 学校商业配套齐全",
                                "样板间开放 周末看房有礼"],
        footer="售楼处：天元区湘江路 1 号（虚构） · 0731-0000 0100", art="skyline")
    jpg("insurance.jpg", box(4, 29), bg=(230, 240, 250), ink=(20, 60, 140), accent=(40, 110, 200),
        title="湘江人寿", lines=["一份保障 一家安心", "少儿教育金 · 养老年金"], footer="全市网点 24 小时服务")
    jpg("bank-eighth.jpg", box(4, 29), bg=(250, 245, 225), ink=(150, 40, 20), accent=(190, 60, 30),
        title="炎帝农商银行", lines=["助农小额贷款", "当天申请 次日放款"], footer="全市 60 个网点就近办理")
    pdf("civic.pdf", box(8, 35), bg=[0, 0, 0, 0], ink=[0, 100, 100, 20], accent=[0, 100, 100, 0],
        title="文明城市 共建共享", lines=["讲文明 树新风", "礼让斑马线", "垃圾分一分 环境美十分", "文明餐桌 光盘行动"],
        footer="株洲市文明城市建设宣传（公益广告，样张）", art="circles", label="公益广告")
    jpg("dairy.jpg", box(8, 58), bg=(235, 245, 255), ink=(10, 60, 130), accent=(70, 150, 220),
        title="南山牧场 鲜牛奶", lines=["当天挤奶 当天送达", "订一年送三个月 · 小区奶站就近取", "低温巴氏杀菌 · 不加一滴水"],
        footer="订奶热线 0731-0000 0200（虚构）")
    jpg("travel.jpg", box(8, 58), bg=(255, 248, 230), ink=(120, 60, 10), accent=(230, 130, 30),
        title="炎陵神农谷 冬游季", lines=["两日游 每人 399 元起", "森林温泉 · 红色研学 · 高山云海", "周末专列 株洲站发车"],
        footer="株洲某某国际旅行社（虚构） · 报名电话 0000-0300")
    jpg("concert.jpg", box(8, 23), bg=(40, 20, 60), ink=(255, 230, 120), accent=(160, 60, 200),
        title="湘江之声 新年音乐会", lines=["12月31日 19:30 神农大剧院 · 票价 80—380 元"], footer="售票处 神农大剧院一楼（虚构）")
    pdf("fraud.pdf", box(8, 23), bg=[0, 0, 0, 0], ink=[100, 70, 0, 20], accent=[100, 40, 0, 0],
        title="守好钱袋子 反诈在行动", lines=["不听 不信 不转账 · 陌生链接不点击 · 可疑来电先核实"],
        footer="株洲市反诈宣传（公益广告，样张） · 全国反诈热线 96110", art="waves", label="公益广告")
    for name, title, lines, footer, label in (
            ("jobs.jpg", "招聘", ["某机械公司招焊工", "月薪六千起 包食宿"], "电话 0000-0000", "分类广告"),
            ("rent.jpg", "出租", ["河西两室一厅", "近地铁 拎包入住"], "电话 0000-0001", "分类广告"),
            ("notice.jpg", "遗失声明", ["某某公司营业执照", "副本遗失 声明作废"], "特此声明", "声明"),
            ("tutor.jpg", "家教", ["中学数学物理", "一对一辅导"], "电话 0000-0002", "分类广告")):
        jpg(name, box(2, 20), bg=(255, 255, 255), ink=(0, 0, 0), accent=(90, 90, 90), title=title, lines=lines,
            footer=footer, label=label)
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "examples" / "night" / "ads"))
    args = ap.parse_args(argv)
    for p in make(Path(args.out)):
        print(f"wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p} ({p.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
