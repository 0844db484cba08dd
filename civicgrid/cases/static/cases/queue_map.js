// The desks' small queue map: the area's grid shapes and one marker per listed case, red when overdue,
// orange when its deadline is close. Plain Leaflet; data from a json_script element (CSP: no inline scripts).
(function () {
  "use strict";
  var element = document.getElementById("queue-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var colours = {overdue: "#c62828", soon: "#ef6c00", ok: "#2e7d32", "": "#1565c0"};
  var map = L.map(element, {zoomSnap: 0.25, scrollWheelZoom: false});
  if (window.CivicBasemap) { window.CivicBasemap.add(map); } else if (data.tile_url) {
    L.tileLayer(data.tile_url, {maxZoom: 19}).addTo(map);
  }
  var shapes = L.geoJSON(data.shapes, {
    style: {color: "#546e7a", weight: 1, fillOpacity: 0.04},
    onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name, {sticky: true}); }
  });
  var cases = L.geoJSON(data.cases, {
    pointToLayer: function (feature, latlng) {
      var colour = colours[feature.properties.level] || colours[""];
      return L.circleMarker(latlng, {radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9});
    },
    onEachFeature: function (feature, layer) {
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.number + " · " + feature.properties.state;
      layer.bindPopup(link);
    }
  });
  var bounds = shapes.getBounds();  // the whole area, widened to any case outside it
  if (cases.getLayers().length) { bounds = bounds.isValid() ? bounds.extend(cases.getBounds()) : cases.getBounds(); }
  if (bounds.isValid()) { map.fitBounds(bounds, {padding: [16, 16], maxZoom: 16}); } else { map.setView([39.91, 116.2], 12); }
  shapes.addTo(map);
  cases.addTo(map);
  cases.eachLayer(function (marker) {
    var path = marker.getElement && marker.getElement();
    if (path) { path.setAttribute("data-testid", "queue-marker"); }
  });
}());
