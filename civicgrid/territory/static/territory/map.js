// Region browser map: the region's outline, its children coloured and clickable (opens the child's page),
// and for a grid its places. Data comes from a json_script element named by data-map-source (CSP: no inline
// scripts). No tile layer unless the server configured one: boundaries on a plain background.
(function () {
  "use strict";

  var PALETTE = ["#ef9a9a", "#90caf9", "#a5d6a7", "#ffe082", "#ce93d8", "#80cbc4", "#ffab91", "#b0bec5",
                 "#f48fb1", "#9fa8da", "#c5e1a5", "#ffcc80"];
  var KIND_COLOURS = {office_building: "#1565c0", shop: "#6a1b9a", facility_site: "#2e7d32"};

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function summary(props, labels) {
    var lines = ["<strong>" + escapeHtml(props.name) + "</strong>"];
    lines.push(escapeHtml(labels.population) + ": " + escapeHtml(props.population));
    lines.push(escapeHtml(labels.households) + ": " + escapeHtml(props.households));
    if (props.area_km2 != null) {
      lines.push(escapeHtml(labels.area) + ": " + Number(props.area_km2).toFixed(2));
    }
    if (props.generated) {
      lines.push("<em>" + escapeHtml(labels.generated) + "</em>");
    }
    return '<div class="map-label">' + lines.join("<br>") + "</div>";
  }

  function outlineLayer(data, hasChildren) {
    if (!data.region || !data.region.geometry) { return null; }
    return L.geoJSON(data.region, {
      interactive: false,
      style: {color: "#b71c1c", weight: 2.5, fill: !hasChildren, fillOpacity: 0.08,
              dashArray: data.region.properties.generated ? "6 4" : null}
    });
  }

  function childLayer(data) {
    var index = 0;
    return L.geoJSON(data.children, {
      style: function () {
        var colour = PALETTE[index++ % PALETTE.length];
        return {color: "#555", weight: 1, fillColor: colour, fillOpacity: 0.55, className: "child-shape"};
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(summary(feature.properties, data.labels), {sticky: true});
        shape.on("click", function () { window.location.href = feature.properties.url; });
        shape.on("mouseover", function () { shape.setStyle({weight: 3, fillOpacity: 0.75}); });
        shape.on("mouseout", function () { shape.setStyle({weight: 1, fillOpacity: 0.55}); });
      }
    });
  }

  function tagChildren(layer) {
    // Leaflet creates the SVG paths only once the layer is on a map with a view.
    layer.eachLayer(function (shape) {
      var element = shape.getElement && shape.getElement();
      if (element) {
        element.setAttribute("data-testid", "child-shape");
        element.setAttribute("data-code", shape.feature.properties.code);
        element.setAttribute("data-url", shape.feature.properties.url);
      }
    });
  }

  function placeLayer(data) {
    return L.geoJSON(data.places, {
      pointToLayer: function (feature, latlng) {
        var colour = KIND_COLOURS[feature.properties.kind] || "#c62828";
        return L.circleMarker(latlng, {radius: 6, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.9});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindPopup('<div class="map-label"><strong>' + escapeHtml(p.name) + "</strong><br>" +
          escapeHtml(p.kind_label) + "<br>" + escapeHtml(data.labels.households) + ": " + escapeHtml(p.households) +
          "</div>");
      }
    });
  }

  function init() {
    var element = document.getElementById("region-map");
    if (!element || !window.L) { return; }
    var source = document.getElementById(element.getAttribute("data-map-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, {zoomSnap: 0.25, attributionControl: Boolean(data.tileUrl)});
    if (data.tileUrl) { L.tileLayer(data.tileUrl, {maxZoom: 19}).addTo(map); }
    var hasChildren = data.children.features.length > 0;
    var children = childLayer(data);
    var layers = [outlineLayer(data, hasChildren), children, placeLayer(data)].filter(Boolean);
    var bounds = L.latLngBounds([]);
    layers.forEach(function (layer) {
      if (layer.getLayers().length) { bounds.extend(layer.getBounds()); }
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds, {padding: [12, 12]});
    } else {
      map.setView([39.93, 116.19], 12);
    }
    layers.forEach(function (layer) { layer.addTo(map); });
    tagChildren(children);
    element.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
