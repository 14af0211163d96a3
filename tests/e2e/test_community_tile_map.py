"""The interactive community map (Leaflet) when the operator sets a tile URL: tiles load from that URL,
each listed resource is a numbered marker reachable by keyboard, and the list stays beside it."""

from __future__ import annotations

import pytest

from tests.community.factories import make_resource
from tests.e2e.helpers import check_axe, check_reflow, tab_to

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tiles(settings, live_server):
    # A tile server on this machine: the live server's own static image stands in for every tile, so the
    # test needs no network. Leaflet fills in {z}/{x}/{y}; the CSP allows it as the site's own origin.
    settings.COMMUNITY_MAP_TILE_URL = (
        f"{live_server.url}/static/community/vendor/leaflet-1.9.4/images/layers.png?z={{z}}&x={{x}}&y={{y}}"
    )
    settings.COMMUNITY_MAP_ATTRIBUTION = "Test tiles"
    return settings.COMMUNITY_MAP_TILE_URL


def test_the_tile_map_shows_numbered_markers_reachable_by_keyboard(page, tiles, transactional_db):
    make_resource(name="Calder Valley Ramblers", postcode="HX1")
    make_resource(name="Halifax chess club", postcode="HX2")
    tile_requests = []
    page.on("request", lambda r: tile_requests.append(r.url) if "layers.png?z=" in r.url else None)
    page.goto("/community/?postcode=HX1&within_km=16")
    page.wait_for_selector("#resource-map .leaflet-tile-loaded")
    assert tile_requests, "no tile was asked for from the configured tile URL"
    assert page.locator(".district-map-wrap").is_hidden()  # the plain map gives way to the tile map
    markers = page.locator("#resource-map .map-number")
    assert markers.count() == 2
    assert sorted(markers.all_inner_texts()) == ["1", "2"]
    assert "Test tiles" in page.locator("#resource-map .leaflet-control-attribution").inner_text()
    first = page.locator("#list-heading + ul h3 a").first.inner_text().strip()  # number 1 in the list
    tab_to(page, f"1: {first}")  # its marker, by keyboard
    page.keyboard.press("Enter")
    assert page.locator("#resource-map .leaflet-popup-content").inner_text().strip() == f"1: {first}"
    check_axe(page)
    page.set_viewport_size(PHONE)
    check_axe(page)
    check_reflow(page)
