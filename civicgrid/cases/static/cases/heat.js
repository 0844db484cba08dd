// Statistics bubble map: case counts per grid, drawn at the grid's centre, size and colour growing with the
// count, with a legend that says what the three sizes mean.
(function () {
  "use strict";
  var element = document.getElementById("heat-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var map = L.map(element);
  if (window.CivicBasemap) { window.CivicBasemap.add(map); }
  var max = 1;
  data.points.forEach(function (p) { if (p[2] > max) { max = p[2]; } });
  var BANDS = [{upTo: 1 / 3, colour: "#fbc02d"}, {upTo: 2 / 3, colour: "#ef6c00"}, {upTo: 1, colour: "#b71c1c"}];

  function band(share) {
    for (var i = 0; i < BANDS.length; i++) { if (share <= BANDS[i].upTo) { return BANDS[i]; } }
    return BANDS[BANDS.length - 1];
  }

  function radius(share) { return 4 + 12 * Math.sqrt(share); }

  var layer = L.featureGroup(data.points.map(function (p) {
    var share = p[2] / max;
    return L.circleMarker([p[1], p[0]], {radius: radius(share), stroke: false, fillColor: band(share).colour,
                                         fillOpacity: 0.6}).bindTooltip(p[2] + " " + data.labels.cases);
  }));
  layer.addTo(map);
  if (data.points.length) { map.fitBounds(layer.getBounds()); } else { map.setView([39.9, 116.2], 12); }

  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend");
    box.setAttribute("data-testid", "heat-legend");
    var title = document.createElement("strong");
    title.textContent = data.labels.legend;
    box.appendChild(title);
    var low = 1;
    BANDS.forEach(function (b) {
      var high = Math.max(low, Math.round(max * b.upTo));
      if (high < low) { return; }
      var row = document.createElement("div");
      var dot = document.createElement("span");
      var size = 2 * radius(b.upTo);
      dot.className = "dot";
      dot.style.width = size + "px";
      dot.style.height = size + "px";
      dot.style.background = b.colour;
      row.appendChild(dot);
      row.appendChild(document.createTextNode((low === high ? String(low) : low + "–" + high) + " " +
                                              data.labels.cases));
      box.appendChild(row);
      low = high + 1;
    });
    return box;
  };
  legend.addTo(map);
}());
