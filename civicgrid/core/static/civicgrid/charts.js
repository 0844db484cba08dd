// Charts for every module (statistics now, the cockpit later): Apache ECharts, vendored under
// static/vendor/echarts (no CDN), drawn with its SVG renderer so that a chart stays sharp when printed and
// scales on a phone. ECharts because it is what Chinese government dashboards use (Chinese labels, the
// cockpit's maps and gauges later) and one library serves line, bar and pie alike.
//
// A page puts <div class="chart" data-chart="ID"></div> and {{ spec|json_script:"ID" }}; the spec is
//   {kind: "trend" | "bars" | "pie", title, categories: [...], series: [{name, data, percent, type}]}
// where `percent: true` series are percentages (79.7) drawn on a 0–100 % axis and the others counts.
(function () {
  "use strict";

  var COLOURS = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828", "#00838f", "#9e9d24", "#5d4037"];

  function percentLabel(value) {
    return value == null ? "—" : Number(value).toFixed(1) + "%";
  }

  function countLabel(value) {
    return value == null ? "—" : Number(value).toLocaleString("en-US");
  }

  function formatter(series) {
    return function (value) { return series.percent ? percentLabel(value) : countLabel(value); };
  }

  function axes(spec) {
    var hasPercent = spec.series.some(function (s) { return s.percent; });
    var hasCount = spec.series.some(function (s) { return !s.percent; });
    var list = [];
    if (hasCount) { list.push({type: "value", minInterval: 1, axisLabel: {formatter: countLabel}}); }
    if (hasPercent) {
      list.push({type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"},
                 splitLine: {show: !hasCount}});
    }
    return {list: list, indexOf: function (s) { return s.percent && hasCount ? 1 : 0; }};
  }

  function cartesian(spec, horizontal) {
    var value = axes(spec);
    var category = {type: "category", data: spec.categories, axisLabel: {hideOverlap: true}};
    if (horizontal) { category.inverse = true; }
    var series = spec.series.map(function (s) {
      var index = value.indexOf(s);
      var item = {name: s.name, type: s.type || (spec.kind === "trend" ? "line" : "bar"), data: s.data,
                  connectNulls: true, tooltip: {valueFormatter: formatter(s)}};
      item[horizontal ? "xAxisIndex" : "yAxisIndex"] = index;
      if (item.type === "bar" && spec.kind === "bars") {
        item.label = {show: spec.categories.length <= 12, position: horizontal ? "right" : "top",
                      formatter: function (p) { return formatter(s)(p.value); }, fontSize: 10};
      }
      return item;
    });
    var option = {
      color: COLOURS,
      tooltip: {trigger: "axis", confine: true},
      legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: horizontal ? 48 : 16, top: 36, bottom: 8, containLabel: true},
      series: series
    };
    option[horizontal ? "yAxis" : "xAxis"] = category;
    option[horizontal ? "xAxis" : "yAxis"] = value.list;
    return option;
  }

  function pie(spec) {
    var data = spec.categories.map(function (name, i) { return {name: name, value: spec.series[0].data[i]}; });
    return {
      color: COLOURS,
      tooltip: {trigger: "item", confine: true, formatter: "{b}: {c} ({d}%)"},
      legend: {bottom: 0, type: "scroll"},
      series: [{name: spec.series[0].name, type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
                data: data, label: {formatter: "{b}\n{d}%"}, avoidLabelOverlap: true}]
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || !window.echarts) { return null; }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, {renderer: "svg"});
    var horizontal = spec.kind === "bars" && (element.clientWidth < 600 || spec.categories.length > 8);
    if (spec.kind === "bars" && horizontal) {
      element.style.height = Math.max(240, 60 + spec.categories.length * spec.series.length * 14) + "px";
      chart.resize();
    }
    chart.setOption(spec.kind === "pie" ? pie(spec) : cartesian(spec, horizontal));
    element.setAttribute("data-ready", "1");
    return chart;
  }

  function init() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = draw(element);
      if (chart) { charts.push(chart); }
    });
    function resize() { charts.forEach(function (chart) { chart.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
