// The BAAS pages' script. The growth chart reads the JSON block named by the canvas's data-growth
// attribute (length/height by age in days, the WHO SD curves, the axes' words in the reader's
// language) and draws it with the vendored Chart.js; a report's [data-print] button prints.
// No inline script: the CSP allows only files from this site.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("growth-chart");
    if (!canvas || typeof Chart === "undefined") { return; }
    var block = document.getElementById(canvas.getAttribute("data-growth"));
    if (!block) { return; }
    var data;
    try { data = JSON.parse(block.textContent); } catch (e) { return; }
    var month = 30.4375;
    var colours = { "-3": "#b91c1c", "-2": "#d97706", "0": "#15803d", "+2": "#2563eb" };
    var datasets = data.curves.map(function (curve) {
      return {
        label: curve[0] + " SD",
        data: curve[1].map(function (p) { return { x: p[0] / month, y: p[1] }; }),
        borderColor: colours[curve[0]] || "#666",
        borderWidth: 1,
        pointRadius: 0,
        showLine: true,
        fill: false
      };
    });
    datasets.push({
      label: data.series_label || "TB/U",
      data: data.points.map(function (p) { return { x: p[0] / month, y: p[1] }; }),
      borderColor: "#111",
      backgroundColor: "#111",
      borderWidth: 2,
      pointRadius: 3,
      showLine: true
    });
    canvas.lokusChart = new Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: data.x_label || "" } },
          y: { title: { display: true, text: data.y_label || "cm" } }
        },
        elements: { line: { tension: 0 } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
    // paper is narrower than the screen: redraw at the printed size, and back
    window.addEventListener("beforeprint", function () { canvas.lokusChart.resize(); });
    window.addEventListener("afterprint", function () { canvas.lokusChart.resize(); });
  }
  function buttons() {
    var print = document.querySelectorAll("[data-print]");
    for (var i = 0; i < print.length; i++) {
      print[i].addEventListener("click", function () { window.print(); });
    }
  }
  function start() { draw(); buttons(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
