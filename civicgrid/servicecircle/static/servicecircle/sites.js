// Recommendation map: each recommended site, numbered by rank, with the walking reach it adds (the area within
// the category's walking distance along the streets) and the residents it newly covers.
(function () {
  "use strict";
  var COLOURS = ["#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#2e7d32", "#ad1457", "#5d4037", "#283593"];

  function tooltip(lines) {
    var tip = document.createElement("div");
    tip.className = "map-label";
    lines.forEach(function (line, k) {
      if (k) { tip.appendChild(document.createElement("br")); }
      tip.appendChild(document.createTextNode(line));
    });
    return tip;
  }

  function init() {
    var element = document.getElementById("rec-map");
    if (!element || !window.L) { return; }
    var data = JSON.parse(document.getElementById(element.getAttribute("data-map-source")).textContent);
    var labels = data.labels;
    var map = L.map(element, {zoomSnap: 0.25, attributionControl: Boolean(data.tileUrl)});
    if (data.tileUrl) { L.tileLayer(data.tileUrl, {maxZoom: 19}).addTo(map); }
    var bounds = L.latLngBounds([]);
    var outline = null;
    if (data.outline && data.outline.geometry) {  // for orientation; the view is fitted to the sites
      outline = L.geoJSON(data.outline, {interactive: false, style: {color: "#b71c1c", weight: 2, fill: false}});
      outline.addTo(map);
    }
    // Leaflet creates SVG paths and marker elements only on a map with a view: fit first, then add and tag.
    var drawn = data.sites.features.map(function (feature, i) {
      var p = feature.properties;
      var colour = COLOURS[i % COLOURS.length];
      var lines = [labels.site + " " + p.rank + "：" + p.label, "+" + p.gain.toLocaleString("en-US") + " " +
        labels.gain, labels.reach];
      var latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
      bounds.extend(latlng);
      var reach = null;
      if (p.reach) {
        reach = L.geoJSON({type: "Feature", geometry: p.reach, properties: {}}, {
          style: {color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.18, className: "site-reach"}
        }).bindTooltip(tooltip(lines), {sticky: true, className: "sc-tip"});
        bounds.extend(reach.getBounds());
      }
      return {p: p, latlng: latlng, reach: reach, lines: lines};
    });
    if (!bounds.isValid() && outline) { bounds.extend(outline.getBounds()); }
    if (bounds.isValid()) {
      map.fitBounds(bounds, {padding: [24, 24], maxZoom: 17});
    } else {
      map.setView([39.91, 116.2], 12);
    }
    drawn.forEach(function (site) {
      if (site.reach) {
        site.reach.addTo(map);
        site.reach.eachLayer(function (shape) {
          var path = shape.getElement && shape.getElement();
          if (path) { path.setAttribute("data-testid", "site-reach"); }
        });
      }
      var marker = L.marker(site.latlng, {icon: L.divIcon({className: "sc-site", html: String(site.p.rank),
                                                            iconSize: [22, 22]})}).addTo(map);
      marker.bindTooltip(tooltip(site.lines), {className: "sc-tip"});
      var el = marker.getElement();
      if (el) { el.setAttribute("data-testid", "site-marker"); }
      var badge = L.marker(site.latlng, {interactive: false, keyboard: false, icon: L.divIcon({
        className: "site-gain", iconSize: null, iconAnchor: [-14, 8], html: ""})}).addTo(map);
      var gain = badge.getElement();
      if (gain) {
        gain.textContent = "+" + site.p.gain.toLocaleString("en-US");
        gain.setAttribute("data-testid", "site-gain");
      }
    });
    element.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
