"""The CMS's HTTP API of `broadsheet serve` (docs/api.md): POST /build with the page as multipart
form data returns the PDF, the report or a picture; refused pages, paths that would leave the
upload folder, oversized requests, a full queue and a build over its time limit each get their
own answer; a bearer token guards requests from other machines."""

from __future__ import annotations

import concurrent.futures
import json
import uuid

import warnings

import httpx
import pytest

with warnings.catch_warnings():  # (Starlette 1.x would have its test client on httpx2; httpx serves here)
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from layout.serve.app import AppOptions, create_app, safe_path
from serve_support import ROOT, page_form, served


@pytest.fixture(scope="module")
def api():
    with served("--api-only", "--jobs", "2", "--queue", "4", "--max-upload", "8") as url:
        yield url


def post(url, files, **params):
    return httpx.post(url + "/build", files=files, params=params, timeout=120)


def test_build_returns_the_pdf_the_report_and_a_picture(api):
    r = post(api, page_form(ROOT), proof="1")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert int(r.headers["x-broadsheet-overset-lines"]) == 0
    r = post(api, page_form(ROOT), format="json")
    assert r.status_code == 200
    report = r.json()
    assert report["type"] == "page" and report["input"] == "content.yaml" and report["output"] == ""
    under = [f for f in report["findings"] if f["kind"] == "underset"]
    assert under and all(f["characters"] > 0 for f in under)  # in characters, per story
    assert {img["source"] for img in report["images"]} == {"images/wanfeng-lake.jpg", "images/factory-ba.jpg",
                                                          "images/power-valley.jpg"}
    r = post(api, page_form(ROOT), format="png", dpi="20", proof="1")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"


def test_overset_is_told_in_lines_and_characters(api):
    more = "\n".join("      - 城市品牌也叫城市IP是城市竞争力创造力吸引力和影响力的综合体现" * 1 for _ in range(40))
    text = (ROOT / "content.yaml").read_text(encoding="utf-8").replace("    body:\n", "    body:\n" + more + "\n", 1)
    r = post(api, page_form(ROOT, text), format="json")
    assert r.status_code == 200, r.text
    over = [f for f in r.json()["findings"] if f["kind"] == "overset"]
    assert over and over[0]["lines"] > 0 and over[0]["characters"] > over[0]["lines"]


def test_a_refused_page_gets_its_diagnostics(api):
    text = (ROOT / "content.yaml").read_text(encoding="utf-8").replace("    byline:", "    bylin:", 1)
    r = post(api, page_form(ROOT, text))
    assert r.status_code == 422
    failure = r.json()
    assert failure["type"] == "failure"
    d = failure["diagnostics"][0]
    assert d["file"] == "content.yaml" and d["line"] > 0 and "bylin" in d["message"] and d["hint"]
    assert "/tmp" not in json.dumps(failure)  # no server path leaks into the answer


@pytest.mark.parametrize("name", ["../evil.jpg", "/etc/evil.jpg", "images/../../evil.jpg", "images\\x.jpg", ".hidden",
                                  "C:/x.jpg", "content.yaml"])
def test_no_uploaded_path_leaves_the_folder(api, name):
    files = page_form(ROOT) + [(name, ("x.jpg", b"\xff\xd8\xff", "image/jpeg"))]
    r = post(api, files)
    assert r.status_code == 400 and "relative to content.yaml" in r.json()["error"]


def test_a_page_may_not_reach_outside_its_upload(api):
    text = (ROOT / "content.yaml").read_text(encoding="utf-8").replace("file: images/wanfeng-lake.jpg",
                                                                      f"file: {ROOT}/images/wanfeng-lake.jpg", 1)
    r = post(api, page_form(ROOT, text), format="json")
    assert r.status_code == 422
    assert any("outside" in d["message"] or "outside" in d["hint"] for d in r.json()["diagnostics"])


def test_requests_are_checked(api):
    assert httpx.post(api + "/build", content=b"x", headers={"content-type": "text/plain"}).status_code == 415
    assert post(api, [("images/a.jpg", ("a.jpg", b"x", "image/jpeg"))]).status_code == 400  # no content
    assert post(api, page_form(ROOT), format="docx").status_code == 400
    big = page_form(ROOT) + [("images/big.jpg", ("big.jpg", b"\0" * (9 * 1024 * 1024), "image/jpeg"))]
    assert post(api, big).status_code == 413


def test_a_full_queue_answers_429_with_retry_after():
    with served("--api-only", "--jobs", "1", "--queue", "0") as url:
        text = (ROOT / "content.yaml").read_text(encoding="utf-8")
        form = page_form(ROOT, text)
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: post(url, form, format="json"), range(6)))
        codes = sorted(a.status_code for a in answers)
        assert 200 in codes and 429 in codes, codes
        busy = next(a for a in answers if a.status_code == 429)
        assert int(busy.headers["retry-after"]) >= 1
        assert set(codes) <= {200, 429}


def test_a_build_over_its_time_limit_is_stopped_and_the_next_one_runs():
    with served("--api-only", "--jobs", "1", "--timeout", "1") as url:
        text = (ROOT / "content.yaml").read_text(encoding="utf-8")
        # a long page, new to every cache: composing it takes far longer than a second
        marker = uuid.uuid4().hex[:8]
        body = "\n".join(f"      - 第{i}段{marker}：" + "城市品牌也叫城市IP是城市竞争力创造力吸引力和影响力的综合体现" * 12
                         for i in range(400))
        slow = text.replace("    body:\n", "    body:\n" + body + "\n", 1)
        r = post(url, page_form(ROOT, slow), format="json")
        assert r.status_code == 504 and "longer than 1 s" in r.json()["error"]
        health = httpx.get(url + "/health").json()
        assert health["timeouts"] == 1 and health["restarts"] >= 1


def test_other_machines_need_the_token():
    app = create_app(AppOptions(token="s3cret", jobs=1))
    client = TestClient(app)  # its requests come from "testclient", not loopback (no lifespan: no workers)
    assert client.get("/health").status_code == 401
    assert client.get("/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.post("/build").status_code == 401


def test_serve_refuses_to_listen_beyond_loopback_without_a_token():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "layout", "serve", "--api-only", "--host", "0.0.0.0"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--token" in r.stderr


@pytest.mark.parametrize("name, ok", [("images/a.jpg", True), ("fonts/x/My Font.ttf", True), ("../a", False),
                                      ("/a", False), ("a/../../b", False), ("", False), ("a\0b", False),
                                      (".git/config", False), ("a/" * 9 + "b", False)])
def test_safe_path(name, ok):
    assert (safe_path(name) is not None) == ok


def test_a_post_from_another_sites_page_is_refused(api):
    r = httpx.post(api + "/build", files=page_form(ROOT), headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_the_editor_opens_only_a_content_file_of_the_preview(seed_copy):
    import os

    env = {**os.environ, "EDITOR": "true"}
    with served(str(seed_copy / "content.yaml"), env=env) as url:
        content = str((seed_copy / "content.yaml").resolve())
        r = httpx.post(url + "/api/open", json={"file": content, "line": 23, "column": 5})
        assert r.status_code == 200 and r.json()["command"].startswith("true +23 ")
        assert httpx.post(url + "/api/open", json={"file": "/etc/passwd", "line": 1}).status_code == 403
        assert httpx.post(url + "/api/open", content=b'{"file": "x"}', headers={"content-type": "text/plain"}).status_code == 415


def test_a_page_that_does_not_read_yet_is_served_and_its_errors_shown(tmp_path):
    (tmp_path / "content.yaml").write_text("page: {size: berliner\n", encoding="utf-8")
    with served("content.yaml", cwd=tmp_path) as url:
        from serve_support import wait_until

        state = wait_until(lambda: (s := httpx.get(url + "/api/state").json())["pages"][0].get("ok") is False and s)
        page = httpx.get(url + "/api/page/1").json()
        assert "malformed YAML" in page["diagnostics"][0]["message"]
        assert state["mode"] == "page"
