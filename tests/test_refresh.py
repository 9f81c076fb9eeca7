"""Refreshing sources (tipfigures.refresh, plain functions) against a MediaWiki API look-alike
and a plain-text publisher, both real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
import yaml

from tests.conftest_flows import (
    NEW_SENTENCE,
    RUSSIA,
    TITLE,
    Reply,
    body_of,
    fake_wiki,
    free_port,
    snapshot_bytes,
    wiki_source,
)
from tipfigures import refresh, sources
from tipfigures.refresh import (
    APIError,
    ConnectionFailed,
    EmptyText,
    FetchTimeout,
    HTTPStatusError,
    MalformedResponse,
    MissingPage,
    OriginError,
    refresh_source,
    refresh_sources,
)
from tipfigures.sources import load_source, record_snapshot

ORIGINAL = RUSSIA.joinpath("text.txt").read_text(encoding="utf-8")


def test_mediawiki_text_of_the_stored_article_is_the_stored_snapshot():
    assert refresh.mediawiki_text(TITLE, body_of(ORIGINAL)) == ORIGINAL


def test_same_revision_writes_nothing(tmp_path):
    with fake_wiki(revision=1001) as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        before = snapshot_bytes(folder)
        outcome = refresh_source(folder, timeout=5)
    assert outcome.status == "unchanged", outcome
    assert "same revision" in outcome.message
    assert snapshot_bytes(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["source.yaml", "text.txt"]
    query = wiki.requests[0]["query"]
    assert query == {"action": "query", "prop": "revisions|extracts", "explaintext": "1",
                     "titles": TITLE, "rvprop": "ids", "redirects": "1", "format": "json",
                     "formatversion": "2"}
    assert wiki.requests[0]["headers"]["User-Agent"].startswith("tipfigures/")


def test_new_revision_with_the_same_text_writes_nothing(tmp_path):
    with fake_wiki(revision=1002) as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        before = snapshot_bytes(folder)
        outcome = refresh_source(folder, timeout=5)
    assert outcome.status == "unchanged"
    assert "revision 1001 -> 1002" in outcome.message
    assert snapshot_bytes(folder) == before


def test_new_revision_with_new_text_stores_a_new_snapshot(tmp_path):
    new_text = ORIGINAL.rstrip("\n") + "\n\n== Recent figures ==\n" + NEW_SENTENCE + "\n"
    with fake_wiki(revision=1002, text=new_text) as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        old_sha = yaml.safe_load((folder / "source.yaml").read_text())["sha256"]
        outcome = refresh_source(folder, timeout=5, retrieved="2026-12-07T06:00:01Z")
    assert outcome.status == "updated", outcome
    assert (outcome.revision, outcome.previous_sha256) == (1002, old_sha)
    source = load_source(folder)  # verifies sha256 and chars against source.yaml
    assert source.text == new_text
    assert source.sha256 == outcome.sha256 != old_sha
    assert source.metadata["revision"] == 1002
    assert source.metadata["retrieved"] == "2026-12-07T06:00:01Z"
    assert source.metadata["chars"] == len(new_text)
    assert source.metadata["origin"]["title"] == TITLE  # the rest of source.yaml is kept
    assert source.metadata["reporting_period"] == 2009
    assert not (folder / sources.PENDING_SNAPSHOT).exists()


@pytest.mark.parametrize(("reply", "error", "transient", "words"), [
    (Reply(500, "upstream exploded", content_type="text/plain"), HTTPStatusError, True,
     "HTTP 500"),
    (Reply(503, "", content_type="text/plain"), HTTPStatusError, True, "HTTP 503"),
    (Reply(404, "no such api", content_type="text/plain"), HTTPStatusError, False, "HTTP 404"),
    (Reply(200, '{"query": {"pages": [{"title": '), MalformedResponse, False, "not JSON"),
    (Reply(200, "<html>maintenance</html>"), MalformedResponse, False, "not JSON"),
    (Reply(200, {"batchcomplete": True}), MalformedResponse, False, "no query.pages"),
    (Reply(200, {"query": {"pages": [{"title": TITLE, "revisions": [{"revid": 7}],
                                      "extract": ""}]}}), EmptyText, False, "empty extract"),
    (Reply(200, {"query": {"pages": [{"title": TITLE, "revisions": [{"revid": 7}],
                                      "extract": " \n\n "}]}}), EmptyText, False, "empty"),
    (Reply(200, {"query": {"pages": [{"title": TITLE, "extract": "Text."}]}}),
     MalformedResponse, False, "no revision id"),
    (Reply(200, {"query": {"pages": [{"ns": 0, "title": TITLE, "missing": True}]}}),
     MissingPage, False, "page not found"),
    (Reply(200, {"error": {"code": "maxlag", "info": "Waiting for a database server"}}),
     APIError, True, "API error maxlag"),
    (Reply(200, {"error": {"code": "badvalue", "info": "Unrecognized value"}}),
     APIError, False, "API error badvalue"),
])
def test_failed_fetch_keeps_the_snapshot_and_says_why(tmp_path, reply, error, transient, words):
    with fake_wiki(revision=1002, text="= X =\n\nsomething else entirely\n") as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        before = snapshot_bytes(folder)
        wiki.script.append(reply)
        with pytest.raises(error) as raised:
            refresh_source(folder, timeout=5)
    assert raised.value.transient is transient
    assert words in str(raised.value)
    assert wiki.api in str(raised.value)
    assert snapshot_bytes(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["source.yaml", "text.txt"]


def test_timeout_is_transient_and_keeps_the_snapshot(tmp_path):
    with fake_wiki(revision=1002, text="= X =\n\nnew text\n") as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        before = snapshot_bytes(folder)
        wiki.script.append(Reply(delay=2.0))
        with pytest.raises(FetchTimeout, match=r"no answer within 0.3 s") as raised:
            refresh_source(folder, timeout=0.3)
    assert raised.value.transient
    assert snapshot_bytes(folder) == before


def test_refused_connection_is_transient(tmp_path):
    folder = wiki_source(tmp_path, f"http://127.0.0.1:{free_port()}/w/api.php")
    with pytest.raises(ConnectionFailed, match="could not connect") as raised:
        refresh_source(folder, timeout=2)
    assert raised.value.transient


def test_refresh_sources_reports_each_source(tmp_path):
    with fake_wiki(revision=1001) as wiki:
        wiki_source(tmp_path, wiki.api)
        plain = tmp_path / "mali-hrr-2004"  # no origin: not refreshed
        plain.mkdir()
        for name in ("text.txt", "source.yaml"):
            (plain / name).write_bytes((RUSSIA.parent / "mali-hrr-2004" / name).read_bytes())
        wiki.script.append(Reply(500, "down", content_type="text/plain"))
        report = refresh_sources(tmp_path, timeout=5)
    assert [(o.source_id, o.status) for o in report.outcomes] == [(RUSSIA.name, "failed")]
    message = report.failed[0].message
    assert "HTTP 500" in message
    assert "the last good snapshot is kept (sha256 aeb4a31bbd43, revision 1001)" in message
    assert report.failed[0].transient


def test_bad_origin_is_reported_with_the_file(tmp_path):
    folder = wiki_source(tmp_path, "ftp://example.org/api.php")
    with pytest.raises(OriginError, match=r"source.yaml: origin.api must be the http\(s\)"):
        refresh_source(folder)
    assert refresh.parse_origin({"kind": "url", "url": "https://e.org/a.txt"}, "x").kind == "url"
    with pytest.raises(OriginError, match="origin.kind must be one of mediawiki, url"):
        refresh.parse_origin({"kind": "ftp"}, "x")


# ---------------------------------------------------------------------------------------------
# url origins


class TextPublisher:
    """A plain-text publisher with an ETag: 304 when the client already has the text."""

    def __init__(self, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        self.text, self.content_type, self.hits = text, content_type, []
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                etag = f'"{hash(publisher.text) & 0xffffffff:x}"'
                publisher.hits.append(self.headers.get("If-None-Match"))
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                data = publisher.text.encode()
                self.send_response(200)
                self.send_header("Content-Type", publisher.content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/report.txt"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _url_source(tmp_path: Path, url: str) -> Path:
    folder = tmp_path / "mali-hrr-2004"
    folder.mkdir()
    for name in ("text.txt", "source.yaml"):
        (folder / name).write_bytes((RUSSIA.parent / "mali-hrr-2004" / name).read_bytes())
    metadata = yaml.safe_load((folder / "source.yaml").read_text())
    metadata["origin"] = {"kind": "url", "url": url}
    (folder / "source.yaml").write_text(yaml.safe_dump(metadata, sort_keys=False))
    return folder


def test_url_origin_updates_then_is_not_modified(tmp_path):
    mali = (RUSSIA.parent / "mali-hrr-2004" / "text.txt").read_text(encoding="utf-8")
    publisher = TextPublisher(mali + "In 2005, police arrested 9 traffickers.\r\n")
    try:
        folder = _url_source(tmp_path, publisher.url)
        first = refresh_source(folder, timeout=5)
        stored = snapshot_bytes(folder)
        second = refresh_source(folder, timeout=5)
    finally:
        publisher.close()
    assert first.status == "updated" and second.status == "unchanged"
    source = load_source(folder)
    assert source.text.endswith("police arrested 9 traffickers.\n")  # line ends normalized
    assert source.metadata["etag"] and "revision" not in source.metadata
    assert publisher.hits == [None, source.metadata["etag"]]  # the second GET was conditional
    assert "not modified" in second.message
    assert snapshot_bytes(folder) == stored


def test_url_origin_refuses_html(tmp_path):
    publisher = TextPublisher("<html><body>Report</body></html>", "text/html")
    try:
        folder = _url_source(tmp_path, publisher.url)
        before = snapshot_bytes(folder)
        with pytest.raises(MalformedResponse, match="text/html"):
            refresh_source(folder, timeout=5)
    finally:
        publisher.close()
    assert snapshot_bytes(folder) == before


def test_url_origin_text_is_normalised_bom_and_bidi_controls_removed(tmp_path):
    publisher = TextPublisher("\ufeffIn 2005, police arrested \u202e9\u202c traffickers.\r\n")
    try:
        folder = _url_source(tmp_path, publisher.url)
        assert refresh_source(folder, timeout=5).status == "updated"
    finally:
        publisher.close()
    assert load_source(folder).text == "In 2005, police arrested 9 traffickers.\n"


def test_url_origin_with_nul_bytes_is_refused(tmp_path):
    publisher = TextPublisher("In 2005, police arrested 9\x00 traffickers.\n")
    try:
        folder = _url_source(tmp_path, publisher.url)
        before = snapshot_bytes(folder)
        with pytest.raises(MalformedResponse, match="line 1: column 27: U\\+0000"):
            refresh_source(folder, timeout=5)
    finally:
        publisher.close()
    assert snapshot_bytes(folder) == before


# ---------------------------------------------------------------------------------------------
# loss-free snapshots


class Crash(Exception):
    pass


def _crash_on_replace(monkeypatch, call: int) -> None:
    """Simulate a crash at the `call`-th os.replace of record_snapshot."""
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == call:
            raise Crash(f"crash before replacing {target}")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)


def test_crash_before_the_text_is_replaced_keeps_the_old_snapshot(tmp_path, monkeypatch):
    folder = wiki_source(tmp_path, "https://example.org/w/api.php")
    before = snapshot_bytes(folder)
    _crash_on_replace(monkeypatch, 1)
    with pytest.raises(Crash):
        record_snapshot(folder, "In 2024, police opened 12 investigations.\n", revision=5)
    monkeypatch.undo()
    assert snapshot_bytes(folder) == before
    assert sources.finish_interrupted_snapshot(folder) == "discarded"
    assert snapshot_bytes(folder) == before
    assert load_source(folder).metadata["revision"] == 1001


def test_crash_between_text_and_yaml_is_completed(tmp_path, monkeypatch):
    folder = wiki_source(tmp_path, "https://example.org/w/api.php")
    new_text = "In 2024, police opened 12 investigations.\n"
    _crash_on_replace(monkeypatch, 2)
    with pytest.raises(Crash):
        record_snapshot(folder, new_text, revision=5)
    monkeypatch.undo()
    # the text is new, source.yaml still the old one; the new one waits in the pending folder
    assert (folder / "text.txt").read_text(encoding="utf-8") == new_text
    assert yaml.safe_load((folder / "source.yaml").read_text())["revision"] == 1001
    assert (folder / sources.PENDING_SNAPSHOT / "source.yaml").is_file()
    assert sources.finish_interrupted_snapshot(folder) == "completed"
    source = load_source(folder)
    assert (source.text, source.metadata["revision"]) == (new_text, 5)
    assert not (folder / sources.PENDING_SNAPSHOT).exists()
    assert sources.finish_interrupted_snapshot(folder) is None


def test_refresh_finishes_an_interrupted_snapshot_first(tmp_path, monkeypatch):
    with fake_wiki(revision=1002, text="= T =\n\nIn 2024, police opened 12 investigations.\n") \
            as wiki:
        folder = wiki_source(tmp_path, wiki.api, revision=1001)
        _crash_on_replace(monkeypatch, 2)
        with pytest.raises(Crash):
            refresh_source(folder, timeout=5)
        monkeypatch.undo()
        outcome = refresh_source(folder, timeout=5)
    assert outcome.status == "unchanged"  # the interrupted snapshot was completed, then matched
    assert load_source(folder).metadata["revision"] == 1002
