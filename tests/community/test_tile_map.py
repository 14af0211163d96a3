"""The interactive map: only when the operator sets a tile URL; the district map and the list stay."""

import json

import pytest
from django.urls import reverse

from marketplace.settings import map_tile_origin

from .factories import make_resource

pytestmark = pytest.mark.django_db

TILES = "https://{s}.tile.example.org/{z}/{x}/{y}.png"


def test_without_a_tile_url_the_page_has_the_district_map_and_no_map_library(client, settings):
    settings.COMMUNITY_MAP_TILE_URL = ""
    make_resource(name="Calder Valley Ramblers", postcode="HX1")
    body = client.get(reverse("community:index"), {"postcode": "HX1"}).content.decode()
    assert "<svg" in body and "leaflet" not in body and "resource-map-data" not in body


def test_with_a_tile_url_the_page_carries_the_map_library_and_the_numbered_resources(client, settings):
    settings.COMMUNITY_MAP_TILE_URL = TILES
    settings.COMMUNITY_MAP_ATTRIBUTION = "© Example tiles"
    make_resource(name="Calder Valley Ramblers", postcode="HX1")
    make_resource(name="Online chat group", postcode="", online=True)
    response = client.get(reverse("community:index"), {"postcode": "HX1"})
    body = response.content.decode()
    assert "vendor/leaflet-1.9.4/leaflet.js" in body and "community/js/resource-map.js" in body
    assert "<svg" in body  # kept for browsers without JavaScript
    data = json.loads(body.split('id="resource-map-data" type="application/json">')[1].split("</script>")[0])
    assert data["tiles"] == TILES and data["attribution"] == "© Example tiles"
    assert [p["name"] for p in data["points"]] == ["Calder Valley Ramblers"]  # an online-only one has no place
    assert data["points"][0]["number"] == 1
    assert "Calder Valley Ramblers" in body.split('id="list-heading"')[1]  # the list says the same


def test_a_name_cannot_break_out_of_the_map_data(client, settings):
    settings.COMMUNITY_MAP_TILE_URL = TILES
    make_resource(name="</script><script>alert(1)</script>", postcode="HX1")
    body = client.get(reverse("community:index"), {"postcode": "HX1"}).content.decode()
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (TILES, "https://*.tile.example.org"),
        ("https://tiles.example.org:8443/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
        ("http://tiles.example.org/{z}/{x}/{y}.png", ""),  # not over https: refused
        ("http://127.0.0.1:8081/{z}/{x}/{y}.png", "http://127.0.0.1:8081"),  # a tile server on this machine
        ("", ""),
    ],
)
def test_the_content_security_policy_allows_images_from_the_tile_origin_only(url, origin):
    assert map_tile_origin(url) == origin
