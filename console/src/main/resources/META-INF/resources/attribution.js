// Draws the credit comparison from the JSON the page embeds (#credit-data): one bar series per model.
(function () {
  var el = document.getElementById('credit-chart');
  var data = document.getElementById('credit-data');
  if (!el || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: d.keys },
    yAxis: { type: 'value', name: 'conversions' },
    series: Object.keys(d.series).map(function (m) { return { name: m, type: 'bar', data: d.series[m] }; })
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();

// Draws the path flow (#path-data, built by PathFlow): a Sankey of position-qualified channel nodes to "conversion".
(function () {
  var el = document.getElementById('path-chart');
  var data = document.getElementById('path-data');
  if (!el || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'item' },
    series: [{
      type: 'sankey',
      left: 20, right: 120, top: 10, bottom: 10,
      nodeAlign: 'left',
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', curveness: 0.5 },
      data: d.nodes.map(function (n) { return { name: n }; }),
      links: d.links.map(function (l) { return { source: l.source, target: l.target, value: l.value }; })
    }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
