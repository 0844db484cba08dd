// Report form map: the district base map (basemap.js) with the grids on top; a tap or "my location" sets the pin,
// fills the hidden lon/lat fields and names the grid and community of the point. A pin kept from a refused
// submission is drawn again. Data comes from a json_script element (CSP: no inline scripts).
(function () {
  "use strict";
  var element = document.getElementById("pin-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var lonField = document.getElementById("pin-lon"), latField = document.getElementById("pin-lat");
  var message = document.getElementById("pin-message"), place = document.getElementById("pin-place");
  var map = L.map(element, {zoomSnap: 0.25});
  if (window.CivicBasemap) { window.CivicBasemap.add(map); }
  var shapes = L.geoJSON(data, {interactive: false, style: {color: "#b71c1c", weight: 1, fillOpacity: 0.04}});
  if (shapes.getLayers().length) { map.fitBounds(shapes.getBounds()); } else { map.setView([39.9, 116.2], 12); }
  shapes.addTo(map);
  shapes.eachLayer(function (shape) {
    var path = shape.getElement && shape.getElement();
    if (path) { path.setAttribute("data-testid", "grid-shape"); }
  });

  function say(text) { message.textContent = text || ""; }

  function named(info) {
    place.textContent = info.inside ? info.community + " · " + info.grid : "";
    if (!info.inside) { say(info.message); }
  }

  var marker = null;
  function pin(latlng, info) {
    lonField.value = latlng.lng.toFixed(6);
    latField.value = latlng.lat.toFixed(6);
    document.getElementById("pin-coords").textContent = latField.value + ", " + lonField.value;
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, {radius: 8, color: "#0d47a1", fillOpacity: 0.8}).addTo(map);
    }
    say("");
    // other scripts of the page (address search, asset picker) follow the pin through this event
    element.dispatchEvent(new CustomEvent("pin:set", {detail: {lon: latlng.lng, lat: latlng.lat}}));
    if (info) { named(info); } else if (window.CivicBasemap) {
      place.textContent = "";
      window.CivicBasemap.where(latlng.lng, latlng.lat).then(named);
    }
  }

  map.on("click", function (event) { pin(event.latlng); });
  element.civicgridPin = {map: map, set: function (latlng) { pin(latlng); }};
  if (window.CivicBasemap) {
    window.CivicBasemap.locate(map, {onPoint: pin, onMessage: say});
  }
  if (lonField.value && latField.value) {
    var kept = L.latLng(parseFloat(latField.value), parseFloat(lonField.value));
    map.setView(kept, Math.max(map.getZoom(), 15));
    pin(kept);
  }
}());
