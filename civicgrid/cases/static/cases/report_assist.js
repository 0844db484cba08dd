// Report form helpers: address suggestions as you type (choosing one moves the pin) and the street assets
// (部件) near the pin, listed in a picker and drawn on the map (tapping one picks it). Needs pin.js first.
(function () {
  "use strict";
  var mapElement = document.getElementById("pin-map");
  var box = document.getElementById("address-input");
  var list = document.getElementById("address-suggestions");
  var note = document.getElementById("address-note");
  var picker = document.getElementById("asset-picker");
  var select = document.getElementById("asset-select");
  if (!mapElement || !mapElement.civicgridPin || !box || !picker) { return; }
  var pin = mapElement.civicgridPin;
  var assetLayer = L.layerGroup().addTo(pin.map);
  var timer = null, latest = 0;

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function choose(hit) {
    box.value = hit.label;
    clear(list);
    note.textContent = hit.approximate ? box.dataset.approximate.replace("{street}", hit.name) : "";
    pin.map.setView([hit.lat, hit.lon], Math.max(pin.map.getZoom() || 0, 17), {animate: false});
    pin.set(L.latLng(hit.lat, hit.lon));
  }

  function showHits(hits) {
    clear(list);
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.setAttribute("data-testid", "address-suggestion");
      button.textContent = hit.label + (hit.approximate ? " · " + box.dataset.approximateShort : "") +
        " · " + (hit.kind === "street" ? box.dataset.street : box.dataset.place);
      button.addEventListener("click", function () { choose(hit); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  box.addEventListener("input", function () {
    window.clearTimeout(timer);
    var text = box.value.trim();
    note.textContent = "";
    if (!text) { clear(list); return; }
    timer = window.setTimeout(function () {
      var asked = ++latest;
      fetch(box.dataset.url + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) { if (asked === latest) { showHits(hits); } });
    }, 250);
  });

  function pickAsset(code) {
    select.value = code;
    assetLayer.eachLayer(function (layer) {
      layer.setStyle({color: layer.options.code === code ? "#e65100" : "#455a64",
                      weight: layer.options.code === code ? 4 : 2});
    });
  }

  function showAssets(assets) {
    assetLayer.clearLayers();
    var keep = select.value;
    while (select.options.length > 1) { select.remove(1); }
    assets.forEach(function (asset) {
      var label = asset.kind_name + " " + asset.code.slice(-6) + (asset.owner_name ? " · " + asset.owner_name : "") +
        " · " + Math.round(asset.distance_m) + " m";
      select.add(new Option(label, asset.code));
      var marker = L.circleMarker([asset.lat, asset.lon], {radius: 6, color: "#455a64", weight: 2, fillColor: "#ffffff",
                                                           fillOpacity: 1, code: asset.code, bubblingMouseEvents: false});
      marker.bindTooltip(label);
      marker.on("click", function () { pickAsset(asset.code); });
      marker.addTo(assetLayer);
      var path = marker.getElement && marker.getElement();
      if (path) { path.setAttribute("data-testid", "asset-marker"); }
    });
    picker.hidden = false;
    document.getElementById("asset-count").textContent = assets.length ?
      picker.dataset.found.replace("{count}", String(assets.length)) : picker.dataset.none;
    pickAsset(assets.some(function (a) { return a.code === keep; }) ? keep : "");
  }

  mapElement.addEventListener("pin:set", function (event) {
    var where = "?lon=" + event.detail.lon.toFixed(6) + "&lat=" + event.detail.lat.toFixed(6);
    fetch(picker.dataset.url + where, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(showAssets);
  });
  select.addEventListener("change", function () { pickAsset(select.value); });
}());
