// The region map, shared by the region browser (territory) and the leadership cockpit: the region's outline, its
// children labelled, clickable (opens the child's page) and coloured by a figure other modules registered (chosen
// in a control, explained by a legend), and for a grid its places. Data comes from a json_script element named by
// data-map-source (CSP: no inline scripts). The base map is CivicBasemap's when the page loads it ({% basemap_script %}),
// else the server's tile URL if configured, else boundaries on a plain background.
// With data-carry-layer="<param>" on the map element (the cockpit), the chosen figure travels with the drill-down:
// a click on a child, and every link marked data-keeps-layer, opens with ?<param>=<figure key>.
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

  // Five classes, light to dark; dark is the worse end (red) or, where high is better, read in reverse.
  var SCALE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603"];
  var NO_DATA = "#e0e0e0";

  function formatValue(kind, value) {
    if (value == null) { return "—"; }
    if (kind === "share") { return (Math.round(value * 1000) / 10).toFixed(1) + "%"; }
    var digits = kind === "per_thousand" ? 1 : 0;
    return Number(value).toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }

  function countBounds(min, max) {
    // Whole numbers: one class per value when there are few, otherwise five ranges that do not overlap.
    var lo = Math.floor(min);
    var hi = Math.ceil(max);
    var bounds = [];
    if (hi - lo < SCALE.length) {
      for (var v = lo; v <= hi; v++) { bounds.push({from: v, to: v}); }
      return bounds;
    }
    var step = (hi - lo + 1) / SCALE.length;
    for (var i = 0; i < SCALE.length; i++) {
      bounds.push({from: lo + Math.ceil(step * i), to: i === SCALE.length - 1 ? hi : lo + Math.ceil(step * (i + 1)) - 1});
    }
    return bounds;
  }

  function classes(figure, features) {
    var values = features.map(function (f) { return f.properties.figures[figure.key]; })
      .filter(function (v) { return v != null; });
    if (!values.length) { return null; }
    var min = Math.min.apply(null, values);
    var max = Math.max.apply(null, values);
    var bounds;
    if (figure.kind === "count") {
      bounds = countBounds(min, max);
    } else {
      var step = (max - min) / SCALE.length;
      bounds = step === 0 ? [{from: min, to: max}] : SCALE.map(function (colour, i) {
        return {from: min + step * i, to: i === SCALE.length - 1 ? max : min + step * (i + 1)};
      });
    }
    bounds.forEach(function (b, i) {  // light to dark; where high is better, dark is the low (worse) end
      var shade = bounds.length === 1 ? 2 : Math.round(i * (SCALE.length - 1) / (bounds.length - 1));
      b.colour = figure.better === "high" ? SCALE[SCALE.length - 1 - shade] : SCALE[shade];
    });
    return {bounds: bounds, colourOf: function (value) {
      if (value == null) { return NO_DATA; }
      for (var i = 0; i < bounds.length; i++) { if (value <= bounds[i].to) { return bounds[i].colour; } }
      return bounds[bounds.length - 1].colour;
    }};
  }

  function summary(props, labels, figures) {
    var lines = ["<strong>" + escapeHtml(props.name) + "</strong>"];
    lines.push(escapeHtml(labels.population) + ": " + escapeHtml(props.population));
    lines.push(escapeHtml(labels.households) + ": " + escapeHtml(props.households));
    if (props.area_km2 != null) {
      lines.push(escapeHtml(labels.area) + ": " + Number(props.area_km2).toFixed(2));
    }
    (figures || []).forEach(function (figure) {
      lines.push(escapeHtml(figure.title) + ": " + escapeHtml(props.shown[figure.key]));
    });
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
        feature.properties.palette = PALETTE[(index - 1 + PALETTE.length) % PALETTE.length];
        shape.bindTooltip(summary(feature.properties, data.labels, data.figures), {sticky: true});
        shape.on("click", function () { window.location.href = withLayer(feature.properties.url, shape._map); });
        shape.on("mouseover", function () { shape.setStyle({weight: 3}); });
        shape.on("mouseout", function () { shape.setStyle({weight: 1}); });
      }
    });
  }

  function withLayer(href, map) {
    var param = map && map.getContainer().getAttribute("data-carry-layer");
    var layer = map && map.getContainer().getAttribute("data-coloured-by");
    if (!param || !layer) { return href; }
    var url = new URL(href, window.location.href);
    url.searchParams.set(param, layer);
    return url.toString();
  }

  function carryLayer(map) {
    document.querySelectorAll("a[data-keeps-layer]").forEach(function (a) { a.href = withLayer(a.href, map); });
  }

  function labelLayer(children) {
    // The name of each area at its centre, and the figure the map is coloured by under it.
    var group = L.layerGroup();
    children.eachLayer(function (shape) {
      var marker = L.marker(shape.getBounds().getCenter(), {interactive: false, keyboard: false,
        icon: L.divIcon({className: "region-label", iconSize: null, html: ""})});
      marker.shape = shape;
      group.addLayer(marker);
    });
    group.show = function (figure) {
      group.eachLayer(function (marker) {
        var p = marker.shape.feature.properties;
        var html = '<span class="label-box"><b>' + escapeHtml(p.name) + "</b>";
        if (figure) { html += "<br>" + escapeHtml(p.shown[figure.key]); }
        html += "</span>";
        marker.setIcon(L.divIcon({className: "region-label", iconSize: null, html: html}));
        var el = marker.getElement && marker.getElement();
        if (el) { el.setAttribute("data-testid", "region-label"); }
      });
    };
    return group;
  }

  function legendBox(figure, scale, labels) {
    var box = L.DomUtil.create("div", "map-legend");
    box.setAttribute("data-testid", "region-legend");
    var title = document.createElement("strong");
    title.textContent = figure.title + (figure.note ? "（" + figure.note + "）" : "");
    box.appendChild(title);
    function row(colour, text) {
      var line = document.createElement("div");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(text));
      box.appendChild(line);
    }
    (scale ? scale.bounds : []).forEach(function (b) {
      var from = formatValue(figure.kind, b.from);
      var to = formatValue(figure.kind, b.to);
      row(b.colour, from === to ? from : from + " – " + to);
    });
    row(NO_DATA, labels.noData);
    return box;
  }

  function figureControl(map, data, children, labelsLayer) {
    var figures = data.figures || [];
    var legend = null;
    function apply(key) {
      var figure = figures.filter(function (f) { return f.key === key; })[0] || null;
      var scale = figure ? classes(figure, data.children.features) : null;
      children.eachLayer(function (shape) {
        var p = shape.feature.properties;
        shape.setStyle({fillColor: figure ? scale ? scale.colourOf(p.figures[figure.key]) : NO_DATA : p.palette,
                        fillOpacity: figure ? 0.8 : 0.55});
      });
      labelsLayer.show(figure);
      if (legend) { map.removeControl(legend); legend = null; }
      if (figure) {
        legend = L.control({position: "bottomright"});
        legend.onAdd = function () { return legendBox(figure, scale, data.labels); };
        legend.addTo(map);
      }
      map.getContainer().setAttribute("data-coloured-by", key || "");
    }
    if (!figures.length || !data.children.features.length) { labelsLayer.show(null); return; }
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("label", "map-legend figure-picker");
      box.appendChild(document.createTextNode(data.labels.colourBy + " "));
      var select = document.createElement("select");
      select.setAttribute("data-testid", "colour-by");
      [{key: "", title: data.labels.none}].concat(figures).forEach(function (f) {
        var option = document.createElement("option");
        option.value = f.key;
        option.textContent = f.title;
        select.appendChild(option);
      });
      select.value = figures[0].key;
      select.addEventListener("change", function () { apply(select.value); carryLayer(map); });
      box.appendChild(select);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
    apply(figures[0].key);
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
    if (window.CivicBasemap) { window.CivicBasemap.add(map); } else if (data.tileUrl) {
      L.tileLayer(data.tileUrl, {maxZoom: 19}).addTo(map);
    }
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
    var labelsLayer = labelLayer(children).addTo(map);
    figureControl(map, data, children, labelsLayer);
    element.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
