// Statistics heat map: case counts per grid, drawn at the grid's centre, size and colour growing with the count.
(function () {
  "use strict";
  var element = document.getElementById("heat-map");
  if (!element || typeof L === "undefined") { return; }
  var data = JSON.parse(document.getElementById(element.dataset.mapSource).textContent);
  var map = L.map(element);
  var max = 1;
  data.points.forEach(function (p) { if (p[2] > max) { max = p[2]; } });
  var layer = L.featureGroup(data.points.map(function (p) {
    var share = p[2] / max;
    var colour = share > 0.66 ? "#b71c1c" : share > 0.33 ? "#ef6c00" : "#fbc02d";
    return L.circleMarker([p[1], p[0]], {radius: 4 + 12 * Math.sqrt(share), stroke: false, fillColor: colour,
                                         fillOpacity: 0.6}).bindTooltip(p[2] + " " + data.labels.cases);
  }));
  layer.addTo(map);
  if (data.points.length) { map.fitBounds(layer.getBounds()); } else { map.setView([39.9, 116.2], 12); }
}());
