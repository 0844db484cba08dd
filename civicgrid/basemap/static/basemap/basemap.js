// civicgrid base map: the ONE base layer helper for every Leaflet map in the product.
//
// Use it on any page with a Leaflet map, in two lines:
//   template, after leaflet.js:   {% load basemap %}{% basemap_script %}
//   your map script:              CivicBasemap.add(map);
//
// With CIVICGRID_TILE_URL configured it adds that tile layer. Otherwise it draws the district's own streets (the
// service circle's walking network) with their names (OSM imports), compounds and division names (subdistrict,
// then community, then grid as you zoom in) from the GeoJSON tiles at /basemap/tiles/{z}/{x}/{y}.geojson (gzip, ETag, cached a day).
// Extras: CivicBasemap.locate(map, {onPoint: fn(latlng, place), onMessage: fn(text)}) adds a "my location"
// button; CivicBasemap.where(lon, lat) resolves to {inside, grid, community, subdistrict} or {inside: false,
// message}. No inline script anywhere (CSP): the settings come from this script tag's data attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof L === "undefined") { return; }
  var conf = script.dataset;
  var MIN_ZOOM = 12, MAX_ZOOM = 17;
  var STYLES = {
    street: function (z) { return {color: "#ffffff", weight: z >= 16 ? 6 : z >= 14 ? 4 : 2, opacity: 1}; },
    compound: function () { return {color: "#b9ab93", weight: 1, fillColor: "#d9cfbd", fillOpacity: 1}; }
  };

  (function addStylesheet() {
    if (document.querySelector("link[data-basemap-css]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = conf.css;
    link.setAttribute("data-basemap-css", "");
    document.head.appendChild(link);
  }());

  function tileUrl(z, x, y) {
    return conf.tiles.replace("{z}", z).replace("{x}", x).replace("{y}", y);
  }

  function label(feature, latlng) {
    var text = document.createElement("span");
    text.textContent = feature.properties.name;
    if (feature.properties.angle) {
      text.style.transform = "translate(-50%, -50%) rotate(" + feature.properties.angle + "deg)";
    }
    return L.marker(latlng, {
      pane: "basemapLabels", interactive: false, keyboard: false,
      icon: L.divIcon({className: "basemap-label basemap-label-" + feature.properties.level, html: text,
                       iconSize: null})
    });
  }

  function layerOf(data, z) {
    return L.geoJSON(data, {
      pane: "basemap", interactive: false,
      style: function (feature) { return (STYLES[feature.properties.k] || STYLES.street)(z); },
      pointToLayer: function (feature, latlng) {
        if (feature.properties.k === "label") { return label(feature, latlng); }
        return L.circleMarker(latlng, {pane: "basemap", interactive: false, radius: z >= 16 ? 7 : 4});
      }
    });
  }

  function add(map) {
    if (conf.tileUrl) {
      return L.tileLayer(conf.tileUrl, {maxZoom: 19}).addTo(map);
    }
    map.getContainer().classList.add("basemap");
    if (!map.getPane("basemap")) {
      map.createPane("basemap").style.zIndex = 250;
      map.createPane("basemapLabels").style.zIndex = 390;
    }
    var shown = {}, loaded = {};
    function refresh() {
      var z = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, Math.round(map.getZoom())));
      var wanted = {};
      if (map.getZoom() >= MIN_ZOOM - 1) {
        var bounds = map.getBounds();
        var nw = map.project(bounds.getNorthWest(), z).divideBy(256).floor();
        var se = map.project(bounds.getSouthEast(), z).divideBy(256).floor();
        for (var x = nw.x; x <= se.x; x++) {
          for (var y = nw.y; y <= se.y; y++) { wanted[z + "/" + x + "/" + y] = [z, x, y]; }
        }
      }
      Object.keys(shown).forEach(function (key) {
        if (!wanted[key]) { map.removeLayer(shown[key]); delete shown[key]; }
      });
      Object.keys(wanted).forEach(function (key) {
        if (shown[key]) { return; }
        if (loaded[key]) { shown[key] = loaded[key].addTo(map); return; }
        var zxy = wanted[key];
        loaded[key] = layerOf({type: "FeatureCollection", features: []}, zxy[0]);
        fetch(tileUrl(zxy[0], zxy[1], zxy[2]), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (data) { loaded[key].addData(data); }
          });
        shown[key] = loaded[key].addTo(map);
      });
    }
    map.on("moveend", refresh);
    map.whenReady(refresh);
    return {refresh: refresh};
  }

  function where(lon, lat) {
    var url = conf.where + "?lon=" + encodeURIComponent(lon) + "&lat=" + encodeURIComponent(lat);
    return fetch(url, {credentials: "same-origin"}).then(function (response) { return response.json(); });
  }

  function locate(map, options) {
    var say = options.onMessage || function () {};
    var Control = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var button = L.DomUtil.create("button", "basemap-locate");
        button.type = "button";
        button.textContent = conf.locateLabel;
        button.setAttribute("data-testid", "locate-me");
        L.DomEvent.disableClickPropagation(button);
        L.DomEvent.on(button, "click", function () {
          if (!navigator.geolocation) { say(conf.msgUnavailable); return; }
          say(conf.msgLocating);
          navigator.geolocation.getCurrentPosition(function (position) {
            var lon = position.coords.longitude, lat = position.coords.latitude;
            where(lon, lat).then(function (place) {
              if (!place.inside) { say(conf.msgOutside); return; }
              say("");
              var latlng = L.latLng(lat, lon);
              map.setView(latlng, Math.max(map.getZoom(), 16));
              if (options.onPoint) { options.onPoint(latlng, place); }
            }, function () { say(conf.msgUnavailable); });
          }, function (error) {
            say(error.code === 1 ? conf.msgDenied : conf.msgUnavailable);
          }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
        });
        return button;
      }
    });
    return new Control().addTo(map);
  }

  window.CivicBasemap = {add: add, locate: locate, where: where};
}());
