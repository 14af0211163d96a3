"""Pages and API answers go out compressed to browsers that accept it (a phone on a slow connection
downloads a fraction of the bytes); the answer is the same once decompressed."""

import gzip

import pytest

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/register/", "/api/v1/register/"])
def test_a_browser_accepting_gzip_gets_a_compressed_answer(client, path):
    for _ in range(3):
        make_profile(role="pa")
    plain = client.get(path)
    packed = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.content)
    assert len(packed.content) < len(body)
    if path != "/api/v1/register/":  # pages carry a fresh CSRF token each time; the structure is the same
        assert body.decode().count("<main") == plain.content.decode().count("<main") == 1
