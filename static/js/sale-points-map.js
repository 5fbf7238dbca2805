// The sale points on a map, when a tile server is configured and reachable. The list below the map is
// the page's real content: if Leaflet or the tiles fail to load, the map box is removed and the list stays.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var data = document.getElementById("sale-points");
  if (!box || !data) return;
  if (typeof L === "undefined") { box.remove(); return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(box);
  var failures = 0;
  var tiles = L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" });
  tiles.on("tileerror", function () { failures += 1; if (failures > 3) { box.remove(); } });
  tiles.addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var div = document.createElement("div");  // text nodes only: names never become markup
    var strong = document.createElement("strong");
    strong.textContent = p.name;
    var span = document.createElement("span");
    span.textContent = p.address;
    div.appendChild(strong);
    div.appendChild(document.createElement("br"));
    div.appendChild(span);
    L.marker([p.lat, p.lon]).addTo(map).bindPopup(div);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
})();
