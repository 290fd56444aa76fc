// The summary's charts (/ringkasan): every canvas with a data-chart attribute is drawn with the
// vendored Chart.js from the JSON the server put there. No inline script: the CSP allows only
// scripts from this site. Amounts are rupiah, shown the Indonesian way (dots between thousands).
(function () {
  "use strict";
  var rupiah = function (value) {
    return "Rp " + Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  };
  var colours = ["#1f5f99", "#e07b39", "#6a9f3a", "#9b59b6", "#c0392b"];
  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    var doughnut = spec.kind === "doughnut";
    var datasets = spec.datasets.map(function (series, index) {
      var colour = colours[index % colours.length];
      return {
        label: series.label,
        data: series.data,
        backgroundColor: doughnut ? colours.slice(0, series.data.length) : colour,
        borderColor: doughnut ? "#fff" : colour,
        fill: false,
        borderDash: spec.kind === "line" && index > 0 ? [6, 4] : undefined,
        spanGaps: true
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = context.parsed;
              if (typeof value === "object") {
                value = spec.horizontal ? value.x : value.y;
              }
              return context.dataset.label + ": " + rupiah(value);
            }
          }
        }
      }
    };
    if (!doughnut) {
      var valueAxis = { beginAtZero: true, ticks: { callback: function (value) { return rupiah(value); } } };
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = spec.horizontal ? { x: valueAxis } : { y: valueAxis };
    }
    // a horizontal bar chart grows with its rows, so long OPD and desa lists stay readable
    if (spec.horizontal) {
      canvas.parentNode.style.height = Math.max(240, spec.labels.length * 28 + 80) + "px";
    }
    new window.Chart(canvas, { type: spec.kind, data: { labels: spec.labels, datasets: datasets }, options: options });
  }
  function start() {
    if (!window.Chart) {
      return;
    }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      draw(canvases[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
