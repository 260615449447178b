"""``broadsheet init``: a new page folder that builds at once, with no warning.

The template (``layout/templates/content.yaml``) is one text with its frames filled in per paper
size, so that every size gets a page whose stories fill their modules (``fit: auto`` takes up the
rest), a photo clear of the headline block, and an ad. Its first line points a YAML language
server at ``content.schema.json``, written beside it from the installed model: validation,
completion and hover work offline, and match the engine that builds the page.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from string import Template

from layout.errors import UsageError

#: instructions to the editor, set as the template's body text (a paragraph each)
PARAGRAPHS = [
    "这是一段示例正文。把它换成真实的稿件，版面会自动排版：标点挤压、避头尾、两端对齐，首行缩进两个字。",
    "每篇稿件占一个版块，用网格上的位置和大小来写：第几栏起、占几栏，第几行起、占几行。运行 broadsheet build --guides 可以在校样上看到栏和行的网格。",
    "图片放进 images 文件夹，在稿件的 photos 里写上文件名、位置和图片说明。正文会自动绕开图片排下去，图片说明占图片框最下面的几行。",
    "稿件的 fit 设为 auto，引擎就会在允许的范围内调整图片的高度和标题的字号，让正文正好排满版块；改了什么，构建报告里都有一行说明。",
    "稿件太长排不下，报告会说“超出”多少行、大约要删多少字；太短留下空行，报告会说还能再加大约多少字。夜班编辑据此删改稿件。",
    "中文与English或数字2026之间自动加入四分之一字的间距；半角的逗号、引号等标点会按国家标准改成全角，报告里逐一列出。",
    "运行 broadsheet serve，浏览器里就能看到这一版，每次保存都会自动刷新；点击一篇稿件，可以看到它的问题，并在编辑器里打开它所在的行。",
    "报社的内容管理系统可以通过同一个服务的 HTTP 接口提交稿件，取回 PDF、构建报告或预览图，不必调用命令行。",
    "版面的尺寸在 page 里设置：对开、柏林版或四开，也可以自定义宽度、高度和栏数。报头信息写在 folio 里：报名、日期、版次和栏目。",
    "字体按角色选择：正文、标题、署名、图片说明各有默认的字体，也可以在 fonts 里换成报社自己的字体文件。运行 broadsheet fonts 查看每个角色用了哪个文件。",
    "广告写在 ads 里。公益广告由引擎按标题、圆圈里的字、标语和出品单位排好；商业广告给出图片文件，引擎把它裁切到广告的版块里。",
    "印厂要的 PDF 有出血、裁切线、套准标记和色标，颜色是 CMYK，照片按新闻纸的特性分色。运行 broadsheet preflight 可以检查任何 PDF 是否符合印刷要求。",
]

#: per paper size: frames of the template's lead story, photo, second story and ad (grid units),
#: chosen so that its text fills every module (checked by tests/test_cli_newuser.py)
SIZES = {
    "broadsheet": dict(size_name="broadsheet (对开, 390 x 545 mm)", size_note="对开 390 x 545 mm, 8 columns of 13 字",
                       columns=8, head_size="60pt", lead_lines=60, photo_column=4, photo_columns=5, photo_line=13,
                       photo_lines=32, lead_paragraphs=36,
                       second_columns=5, second_line=61, second_lines=56, second_photo_column=3,
                       second_photo_columns=3, second_photo_line=7, second_photo_lines=24, second_paragraphs=31,
                       ad_column=6, ad_columns=3),
    "berliner": dict(size_name="Berliner (315 x 470 mm)", size_note="Berliner 315 x 470 mm, 6 columns of 13 字",
                     columns=6, head_size="48pt", lead_lines=52, photo_column=3, photo_columns=4, photo_line=12,
                     photo_lines=28, lead_paragraphs=21,
                     second_columns=4, second_line=53, second_lines=48, second_photo_column=3,
                     second_photo_columns=2, second_photo_line=6, second_photo_lines=20, second_paragraphs=23,
                     ad_column=5, ad_columns=2),
    "tabloid": dict(size_name="tabloid (四开, 275 x 390 mm)", size_note="四开 275 x 390 mm, 5 columns of 12 字",
                    columns=5, head_size="40pt", lead_lines=42, photo_column=3, photo_columns=3, photo_line=11,
                    photo_lines=22, lead_paragraphs=14,
                    second_columns=3, second_line=43, second_lines=40, second_photo_column=2,
                    second_photo_columns=2, second_photo_line=6, second_photo_lines=16, second_paragraphs=12,
                    ad_column=4, ad_columns=2),
}


def _body(n: int, start: int = 0) -> str:
    paras = [PARAGRAPHS[(start + i) % len(PARAGRAPHS)] for i in range(n)]
    return "\n".join(f"      - {p}" for p in paras)


def page_text(size: str = "berliner", paper: str = "示例日报", page: int = 2, date: str | None = None) -> str:
    """The template's content.yaml for a paper size."""
    if size not in SIZES:
        raise UsageError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    if not paper.strip():
        raise UsageError("--paper needs the newspaper's name")
    if not 1 <= page <= 999:
        raise UsageError("--page must be a page number from 1 to 999")
    p = dict(SIZES[size])
    p["second_photo_line"] += p["second_line"] - 1  # (given from the story's first line)
    text = (Path(__file__).parent / "templates" / "content.yaml").read_text(encoding="utf-8")
    quoted = paper if paper.replace(" ", "").isalnum() else '"' + paper.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Template(text).substitute(
        size=size, paper=quoted, page=page, date=date or dt.date.today().isoformat(),
        lead_body=_body(p.pop("lead_paragraphs")), second_body=_body(p.pop("second_paragraphs"), 6), **p)


def create(target: Path, *, size: str = "berliner", paper: str = "示例日报", page: int = 2,
           photos: list[Path] = ()) -> Path:
    """Make the page folder: content.yaml, content.schema.json, images/ with two photos (the
    given files, else grey stand-ins), output/. The content file's path."""
    from layout.model.schema import schema_json

    text = page_text(size, paper, page)
    if (target / "content.yaml").exists():
        raise UsageError(f"{target / 'content.yaml'} exists already; choose a new folder")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a folder to create")
    try:
        (target / "images").mkdir(parents=True, exist_ok=True)
        (target / "output").mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {target}: {exc.strerror or exc}") from None
    for name, src, shade in (("photo.jpg", photos[0] if photos else None, 128),
                             ("photo-2.jpg", photos[1] if len(photos) > 1 else None, 150)):
        if src is not None and Path(src).exists():
            shutil.copyfile(src, target / "images" / name)
        else:
            from PIL import Image

            Image.new("RGB", (1600, 1200), (shade, shade, shade)).save(target / "images" / name, quality=90)
    (target / "content.schema.json").write_text(schema_json(), encoding="utf-8")
    (target / "content.yaml").write_text(text, encoding="utf-8")
    return target / "content.yaml"
