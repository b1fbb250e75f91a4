/* 统计看板: draws the dashboard's charts with ECharts (served from /static/vendor, never a CDN)
   from the figures the page embeds with json_script. Each point carries the address of the
   enterprises behind it, so a click on a bar or a slice opens that list — as the tables do. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-figures");
  if (!source || !window.echarts) { return; }
  var figures = JSON.parse(source.textContent);
  var font = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";
  var charts = [];

  function draw(name, option) {
    var element = document.querySelector("[data-chart='" + name + "']");
    if (!element) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: font };
    option.tooltip = option.tooltip || { trigger: "item" };
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  }

  function names(points) { return points.map(function (p) { return p.name; }); }

  function bar(points, color, unit, max) {
    return {
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v + (unit || ""); } },
      xAxis: { type: "value", max: max, minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: names(points) },
      series: [{ type: "bar", data: points, itemStyle: { color: color }, label: { show: true, position: "right", formatter: "{c}" + (unit || "") } }]
    };
  }

  draw("stages", bar(figures.stages, "#206bc4"));
  draw("overdue", bar(figures.overdue, "#d63939"));
  draw("industries", bar(figures.industries, "#4299e1"));
  draw("regions", bar(figures.regions, "#2fb344", "%", 100));
  draw("handling", {
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["35%", "65%"], data: figures.handling, label: { formatter: "{b}：{c}" } }]
  });
  draw("options", {
    legend: { bottom: 0 },
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 8, top: 24, bottom: 32, containLabel: true },
    xAxis: { type: "category", data: names(figures.options) },
    yAxis: [{ type: "value", name: "方案数" }, { type: "value", name: "投资（万元）" }],
    series: [
      { name: "全部方案", type: "bar", data: figures.options.map(function (p) { return { value: p.all, url: p.url }; }) },
      { name: "已实施", type: "bar", data: figures.options.map(function (p) { return { value: p.implemented, url: p.url.replace("_all", "_implemented") }; }) },
      { name: "投资（万元）", type: "line", yAxisIndex: 1, data: figures.options.map(function (p) { return { value: p.investment, url: p.url }; }) }
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
