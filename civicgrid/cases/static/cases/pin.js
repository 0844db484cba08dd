// Report form map: district grids on a plain background (tiles only when configured); a tap sets the pin
// and fills the hidden lon/lat fields. Data comes from a json_script element (CSP: no inline scripts).
(function () {
  "use strict";
  var element = document.getElementById("pin-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var map = L.map(element, {zoomSnap: 0.25});
  if (data.tile_url) { L.tileLayer(data.tile_url, {maxZoom: 19}).addTo(map); }
  var shapes = L.geoJSON(data, {interactive: false, style: {color: "#b71c1c", weight: 1, fillOpacity: 0.08}});
  if (shapes.getLayers().length) { map.fitBounds(shapes.getBounds()); } else { map.setView([39.9, 116.2], 12); }
  shapes.addTo(map);
  shapes.eachLayer(function (shape) {
    var path = shape.getElement && shape.getElement();
    if (path) { path.setAttribute("data-testid", "grid-shape"); }
  });
  var marker = null;
  function setPin(latlng) {
    var lon = latlng.lng.toFixed(6), lat = latlng.lat.toFixed(6);
    document.getElementById("pin-lon").value = lon;
    document.getElementById("pin-lat").value = lat;
    document.getElementById("pin-coords").textContent = lat + ", " + lon;
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, {radius: 8, color: "#0d47a1", fillOpacity: 0.8}).addTo(map);
    }
    // other scripts of the page (address search, asset picker) follow the pin through this event
    element.dispatchEvent(new CustomEvent("pin:set", {detail: {lon: latlng.lng, lat: latlng.lat}}));
  }
  map.on("click", function (event) { setPin(event.latlng); });
  element.civicgridPin = {map: map, set: setPin};
}());
