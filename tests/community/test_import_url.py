"""import_openreferral FILE_OR_URL: an Open Referral API's /services pages, read over HTTP page by page."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from community.models import Service

pytestmark = pytest.mark.django_db
RECORDS = [json.loads(line) for line in Path(__file__).with_name("openreferral_sample.jsonl").read_text().splitlines()]


class Directory(BaseHTTPRequestHandler):
    """A council directory's API: two services a page."""

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        page = int(query.get("page", ["1"])[0])
        size, pages = 2, (len(RECORDS) + 1) // 2
        body = {
            "total_items": len(RECORDS),
            "total_pages": pages,
            "page_number": page,
            "size": size,
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": False,
            "contents": RECORDS[(page - 1) * size : page * size],
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def directory_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Directory)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/services"
    server.shutdown()
    server.server_close()


def test_import_from_an_api_reads_every_page_and_names_records_by_page(directory_url):
    out = io.StringIO()
    call_command("import_openreferral", directory_url, stdout=out, stderr=io.StringIO())
    assert "4 created" in out.getvalue()
    assert Service.objects.filter(source="import").count() == 4
    out = io.StringIO()
    call_command("import_openreferral", directory_url, stdout=out, stderr=io.StringIO())
    assert "0 created, 0 updated, 4 unchanged" in out.getvalue()


def test_an_address_that_does_not_answer_is_a_plain_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_openreferral", "http://127.0.0.1:9/services", stdout=io.StringIO())
