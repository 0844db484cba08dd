// Service-circle map: residential compounds coloured by coverage (share of categories within walking
// distance), recommended sites, and on click the compound's 5/10/15-minute isochrones and its gaps.
// Data comes from the json_script element named by data-map-source (CSP: no inline scripts).
(function () {
  "use strict";

  var ISO_COLOURS = {5: "#1b5e20", 10: "#43a047", 15: "#a5d6a7"};

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function scoreColour(score) {
    if (score == null) { return "#9e9e9e"; }
    if (score < 0.5) { return "#c62828"; }
    if (score < 0.75) { return "#ef6c00"; }
    if (score < 0.9) { return "#f9a825"; }
    return "#2e7d32";
  }

  function urlFor(template, id) {
    return template.replace(/\/0\/(isochrone\.json)?(\?.*)?$/, "/" + id + "/$1$2");
  }

  function init() {
    var element = document.getElementById("sc-map");
    if (!element || !window.L) { return; }
    var source = document.getElementById(element.getAttribute("data-map-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var panel = document.getElementById("place-panel");
    var map = L.map(element, {zoomSnap: 0.25, attributionControl: Boolean(data.tileUrl)});
    if (data.tileUrl) { L.tileLayer(data.tileUrl, {maxZoom: 19}).addTo(map); }
    var isoLayer = L.layerGroup().addTo(map);
    var bounds = L.latLngBounds([]);
    if (data.outline && data.outline.geometry) {
      var outline = L.geoJSON(data.outline, {interactive: false,
        style: {color: "#b71c1c", weight: 2, fill: false}}).addTo(map);
      bounds.extend(outline.getBounds());
    }
    var selected = null;

    function showPlace(feature, marker) {
      var p = feature.properties;
      if (selected) { selected.setStyle({weight: 1, color: "#fff"}); }
      selected = marker;
      marker.setStyle({weight: 3, color: "#000"});
      element.setAttribute("data-isochrone", "loading");
      panel.innerHTML = '<p class="muted">' + escapeHtml(labels.loading) + "</p>";
      fetch(urlFor(data.panelUrl, p.id), {credentials: "same-origin", headers: {"HX-Request": "true"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) { panel.innerHTML = html; })
        .catch(function () { panel.innerHTML = '<p class="flash error">' + escapeHtml(labels.failed) + "</p>"; });
      fetch(urlFor(data.isochroneUrl, p.id), {credentials: "same-origin"})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (collection) {
          isoLayer.clearLayers();
          var layer = L.geoJSON(collection, {
            interactive: false,
            filter: function (f) { return Boolean(f.geometry); },
            style: function (f) {
              var colour = ISO_COLOURS[f.properties.minutes] || "#66bb6a";
              return {color: colour, weight: 1, fillColor: colour, fillOpacity: 0.25, className: "isochrone"};
            }
          });
          isoLayer.addLayer(layer);
          layer.eachLayer(function (shape) {
            var el = shape.getElement && shape.getElement();
            if (el) {
              el.setAttribute("data-testid", "isochrone");
              el.setAttribute("data-minutes", shape.feature.properties.minutes);
            }
          });
          marker.bringToFront();
          element.setAttribute("data-isochrone", String(p.id));
        })
        .catch(function () { element.setAttribute("data-isochrone", "failed"); });
    }

    var radius = data.places.features.length > 1000 ? 4 : 6;
    var places = L.geoJSON(data.places, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, {radius: radius, color: "#fff", weight: 1, fillColor: scoreColour(p.score),
                                       fillOpacity: p.snapped ? 0.9 : 0.35, className: "sc-place"});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        var shown = p.missing.slice(0, 5).join("、") + (p.missing.length > 5 ? "…" : "");
        var missing = p.missing.length ? escapeHtml(labels.missing) + " (" + p.missing.length + "): " +
          escapeHtml(shown) : "";
        marker.bindTooltip('<div class="map-label"><strong>' + escapeHtml(p.name) + "</strong><br>" +
          escapeHtml(labels.score) + ": " + (Math.round(p.score * 1000) / 10).toFixed(1) + "%<br>" + missing + "</div>");
        marker.on("click", function () { showPlace(feature, marker); });
      }
    });
    var sites = L.geoJSON(data.sites, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, {icon: L.divIcon({className: "sc-site", html: String(feature.properties.rank),
                                                   iconSize: [22, 22]})});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindTooltip('<div class="map-label"><strong>' + escapeHtml(labels.site) + " " + p.rank +
          "</strong><br>" + escapeHtml(p.label) + "<br>+" + escapeHtml(p.gain) + " " + escapeHtml(labels.gain) +
          "</div>");
      }
    });
    var reaches = L.geoJSON({type: "FeatureCollection", features: data.sites.features
      .filter(function (f) { return f.properties.reach; })
      .map(function (f) { return {type: "Feature", geometry: f.properties.reach, properties: f.properties}; })}, {
      interactive: false,
      style: {color: "#1565c0", weight: 1.5, dashArray: "4 3", fillColor: "#1565c0", fillOpacity: 0.12,
              className: "site-reach"}
    });
    if (places.getLayers().length) { bounds.extend(places.getBounds()); }
    if (bounds.isValid()) { map.fitBounds(bounds, {padding: [12, 12]}); } else { map.setView([39.91, 116.2], 12); }
    reaches.addTo(map);  // the area each recommended site newly serves, under the compounds
    places.addTo(map);
    sites.addTo(map);
    places.eachLayer(function (marker) {
      var el = marker.getElement && marker.getElement();
      if (el) {
        el.setAttribute("data-testid", "sc-place");
        el.setAttribute("data-place", marker.feature.properties.id);
      }
    });
    element.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
