// Case page: the case's place on a small map over the district base map (basemap.js).
(function () {
  "use strict";
  var element = document.getElementById("case-map");
  if (!element || typeof L === "undefined") { return; }
  var point = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  if (point.lat === null || point.lon === null) { element.hidden = true; return; }
  var map = L.map(element, {zoomSnap: 0.25, scrollWheelZoom: false}).setView([point.lat, point.lon], 16);
  if (window.CivicBasemap) { window.CivicBasemap.add(map); }
  L.circleMarker([point.lat, point.lon], {radius: 9, color: "#b71c1c", fillOpacity: 0.8}).addTo(map);
}());
