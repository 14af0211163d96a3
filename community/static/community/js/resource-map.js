// The interactive community map (Leaflet), shown only when the operator set COMMUNITY_MAP_TILE_URL and
// JavaScript runs; otherwise the server-drawn district map stays. The list beside the map says the same.
(function () {
  "use strict";
  var data = document.getElementById("resource-map-data");
  var box = document.getElementById("resource-map");
  if (!data || !box || !window.L) return;
  var map_ = JSON.parse(data.textContent);
  box.hidden = false;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", map_.label);
  var map = L.map(box, { scrollWheelZoom: false, keyboard: true });
  L.tileLayer(map_.tiles, { attribution: map_.attribution, maxZoom: 18 }).addTo(map);
  var bounds = L.latLng(map_.centre[0], map_.centre[1]).toBounds(map_.km * 2000);
  map.fitBounds(bounds);
  map_.points.forEach(function (point) {
    var label = point.number + ": " + point.name;
    var icon = L.divIcon({ className: "map-number", html: "", iconSize: [28, 28] });
    var marker = L.marker([point.lat, point.lon], { icon: icon, title: label, alt: label, keyboard: true });
    var popup = document.createElement("p");
    popup.textContent = label; // text, never HTML: names come from people
    marker.bindPopup(popup).addTo(map);
    var el = marker.getElement();
    if (el) {
      el.textContent = String(point.number);
      el.setAttribute("aria-label", label);
      el.setAttribute("role", "button");
    }
  });
  var plain = document.querySelector(".district-map-wrap");
  if (plain) plain.hidden = true;
})();
