"""Placing booked ads (layout.plan): the ad desk's rules on the planner alone, and the booking
list read from YAML and CSV with every problem at its line and column."""

import pytest

from layout.errors import InputError
from layout.model.bookings import load_bookings
from layout.model.content import Booking, GridPoint
from layout.plan.place import Slot, facing, pack, plan_ads
from layout.plan.sizes import measure


def B(**kw):
    return Booking(**{"file": "ad.pdf", **kw})


def slots(n=6, **kw):
    return [Slot(number=i, columns=8, lines=120, odd=i % 2 == 1, section="要闻" if i <= 3 else "经济", stories=3,
                 masthead=(3, 4, 1, 14) if i == 1 else None, **kw) for i in range(1, n + 1)]


def placed(plan):
    return {p.id: (p.page, p.frame) for p in plan.placed}


def reasons(plan):
    return {f.ad: f.reason for f in plan.unplaced}


def test_named_sizes_on_a_broadsheet_grid():
    assert measure("通栏", 8, 120) == (8, 24)
    assert measure("strip", 8, 120) == (8, 24)
    assert measure("半通栏", 8, 120) == (8, 12)
    assert measure("半版", 8, 120) == (8, 60)
    assert measure("1/4版", 8, 120) == (4, 60)
    assert measure("1/8版", 8, 120) == (4, 30)
    assert measure("整版", 8, 120) == (8, 120)
    assert measure("4栏x30行", 8, 120) == (4, 30) == measure("4 x 30", 6, 90)
    assert measure("报眼", 8, 120, ear=(2, 14)) == (2, 14) and measure("ear", 8, 120) is None


def test_ads_stack_from_the_foot_and_pyramid_to_the_outer_edge():
    plan = plan_ads([B(id="q", size="1/4版", page=3), B(id="e", size="1/8版", page=3),
                     B(id="q2", size="1/4版", page=2), B(id="e2", size="1/8版", page=2)], slots())
    got = placed(plan)
    # page 3 is a right-hand page: the taller ad at the right edge, the shorter beside it, both on the foot
    assert got["q"] == (3, (5, 4, 61, 60)) and got["e"] == (3, (1, 4, 91, 30))
    # page 2 is a left-hand page: the same, mirrored
    assert got["q2"] == (2, (1, 4, 61, 60)) and got["e2"] == (2, (5, 4, 91, 30))


def test_a_narrower_ad_stands_on_a_wider_one_and_never_falls_toward_the_outer_edge():
    plan = plan_ads([B(id="strip", size="通栏", page=5), B(id="box", size="3x40", page=5), B(id="box2", size="3x50", page=5)],
                    slots())
    got = placed(plan)
    assert got["strip"] == (5, (1, 8, 97, 24))
    assert got["box2"] == (5, (6, 3, 47, 50))  # taller first, at the outer (right) edge, on the strip
    assert got["box"] == (5, (3, 3, 57, 40))  # beside it on the inner side, also on the strip
    frames = pack([("a", 4, 40), ("b", 4, 50)], slots()[2], [], 120)
    assert frames["b"][0] == 5 and frames["a"][0] == 1  # heights rise toward the outer edge


def test_ear_ads_go_beside_the_masthead():
    plan = plan_ads([B(id="l", size="报眼", page=1, side="left"), B(id="r", size="ear", page=1),
                     B(id="third", size="报眼", page=1), B(id="inner", size="报眼", page=2)], slots())
    got = placed(plan)
    assert got["l"] == (1, (1, 2, 1, 14)) and got["r"] == (1, (7, 2, 1, 14))
    assert reasons(plan) == {"third": "room", "inner": "size"}
    msg = {f.ad: f.message for f in plan.unplaced}
    assert "taken by ad" in msg["third"] and "no masthead" in msg["inner"]


def test_a_full_page_ad_needs_a_page_of_its_own():
    pages = slots(4)
    pages[3] = Slot(number=4, columns=8, lines=120, odd=False, section="广告", stories=0)
    plan = plan_ads([B(id="full", size="整版"), B(id="full2", size="整版", page=2)], pages)
    assert placed(plan)["full"] == (4, (1, 8, 1, 120))
    assert reasons(plan) == {"full2": "room"}


def test_no_two_ads_of_one_category_face_each_other():
    plan = plan_ads([B(id="bank1", size="1/8版", page=2, category="bank"),
                     B(id="bank2", size="1/8版", page=3, category="bank"),
                     B(id="bank3", size="1/8版", section="经济", category="bank"),
                     B(id="car", size="1/8版", page=3, category="car")], slots())
    got = placed(plan)
    assert got["bank1"][0] == 2 and got["car"][0] == 3
    assert reasons(plan) == {"bank2": "facing"}
    assert got["bank3"][0] in (4, 5, 6)
    assert facing(1) == 0 and facing(2) == 3 and facing(3) == 2 and facing(4) == 5


def test_free_and_mono_pages_and_unknown_places_are_reported():
    pages = slots(4)
    pages[1] = Slot(number=2, columns=8, lines=120, odd=False, section="要闻", free=True)
    pages[2] = Slot(number=3, columns=8, lines=120, odd=True, section="要闻", mono=True)
    plan = plan_ads([B(id="free", size="通栏", page=2), B(id="colour", size="通栏", page=3),
                     B(id="mono", size="通栏", page=3, color="mono"), B(id="sec", size="通栏", section="体育"),
                     B(id="page", size="通栏", page=40), B(id="huge", size="9栏x20行"),
                     B(id="tall", size="2x130", page=4)], pages)
    assert reasons(plan) == {"free": "free", "colour": "colour", "sec": "section", "page": "page",
                             "huge": "size", "tall": "size"}
    assert placed(plan)["mono"][0] == 3
    msg = {f.ad: f.message for f in plan.unplaced}
    assert "体育" in msg["sec"] and "要闻" in msg["sec"] and "pages 1-4" in msg["page"]


def test_two_ads_forced_into_one_place():
    plan = plan_ads([B(id="a", size="4x20", page=4, at=GridPoint(column=1, line=90)),
                     B(id="b", size="4x20", page=4, at=GridPoint(column=3, line=95))], slots())
    assert placed(plan)["a"] == (4, (1, 4, 90, 20))
    assert reasons(plan) == {"b": "collision"}
    assert "taken by ad 'a'" in plan.unplaced[0].message


def test_ads_leave_room_for_the_stories_and_the_pages_own_ads():
    plan = plan_ads([B(id="half", size="半版", page=4), B(id="strip", size="通栏", page=4),
                     B(id="strip2", size="通栏", page=4)], slots())
    assert placed(plan)["half"] == (4, (1, 8, 61, 60)) and placed(plan)["strip"] == (4, (1, 8, 37, 24))  # largest lowest
    assert reasons(plan) == {"strip2": "room"}  # 60 + 24 + 24 lines > 3/4 of 120
    own = [Slot(number=3, columns=8, lines=120, odd=True, stories=2, taken=(("the page's ad 'psa'", (6, 3, 61, 60)),))]
    plan = plan_ads([B(id="q", size="3x30", page=3), B(id="strip", size="通栏", page=3)], own)
    assert placed(plan)["q"] == (3, (3, 3, 91, 30))  # beside the page's own ad, lower toward the inner side
    assert reasons(plan) == {"strip": "room"}


def test_refused_files_are_reported_as_the_driver_says():
    plan = plan_ads([B(id="x", size="通栏")], slots(), refused={"x": ("file", "its file is missing")})
    assert reasons(plan) == {"x": "file"} and plan.placed == []


def test_booking_list_from_yaml_with_located_problems(tmp_path):
    f = tmp_path / "ads.yaml"
    f.write_text("ads:\n  - {id: a, size: 通栏, file: a.pdf}\n  - {id: b, size: 通拦, file: b.pdf}\n"
                 "  - {id: a, size: 1/4版, file: c.pdf, at: {column: 1, line: 2}}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_bookings(f)
    text = "\n".join(d.format() for d in e.value.diagnostics)
    assert "ads.yaml:3:" in text and "unknown ad size '通拦'" in text and "did you mean '通栏'" in text
    f.write_text("ads:\n  - {id: a, size: 通栏, file: a.pdf}\n  - {id: a, size: 1/4版, file: c.pdf, at: {column: 1, line: 2}}\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_bookings(f)
    text = "\n".join(d.format() for d in e.value.diagnostics)
    assert "ads.yaml:3:" in text and "used twice" in text and "which page" in text


def test_booking_list_from_csv(tmp_path):
    f = tmp_path / "ads.csv"
    f.write_text("id,advertiser,size,page,section,file,category,at\n"
                 "bank,湘江银行,报眼,1,,ads/bank.pdf,bank,\n"
                 "\n"
                 "car,\"车行, 株洲\",4栏x30行,3,,ads/car.jpg,car,\"1,90\"\n", encoding="utf-8")
    bookings, _ = load_bookings(f)
    assert [b.id for b in bookings.ads] == ["bank", "car"]
    assert bookings.ads[1].advertiser == "车行, 株洲" and bookings.ads[1].at == GridPoint(column=1, line=90)
    assert bookings.ads[0].page == 1 and bookings.ads[0].section is None
    f.write_text("id,size,file,page\nbank,1/9版,a.pdf,1\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_bookings(f)
    texts = [f"{d.line}:{d.column} {d.message}" for d in e.value.diagnostics]
    assert any(t.startswith("2:6 ") and "unknown ad size '1/9版'" in t for t in texts), texts
    f.write_text("id,size,file,pagee\nbank,1/8版,a.pdf,1\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_bookings(f)
    texts = [f"{d.line}:{d.column} {d.message}" for d in e.value.diagnostics]
    assert any(t.startswith("1:14 ") and "unknown key `pagee`" in t for t in texts), texts  # the column's name
