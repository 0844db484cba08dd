// Public case map: subdistrict outlines over the district base map (basemap.js) and one circle per
// published case, drawn about 100 m wide because its point is rounded. Data comes from a json_script element.
(function () {
  "use strict";
  var element = document.getElementById("public-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var map = L.map(element, {zoomSnap: 0.25});
  if (window.CivicBasemap) { window.CivicBasemap.add(map); }
  var outline = L.geoJSON(data.outline, {interactive: false, style: {color: "#607d8b", weight: 1, fillOpacity: 0.04}});
  outline.addTo(map);
  var cases = L.featureGroup(data.points.map(function (point) {
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.number + " · " + point.stage;
    return L.circle([point.lat, point.lon], {radius: 60, color: "#0d47a1", fillOpacity: 0.35}).bindPopup(link);
  }));
  cases.addTo(map);
  if (data.points.length === 1) { map.setView([data.points[0].lat, data.points[0].lon], 16); }
  else if (data.points.length) { map.fitBounds(cases.getBounds().pad(0.2)); }
  else if (outline.getLayers().length) { map.fitBounds(outline.getBounds()); }
  else { map.setView([39.9, 116.2], 12); }
}());
