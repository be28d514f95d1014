// The season dashboard's charts. Data comes from the page's json_script
// ("dashboard-data"), one entry per canvas[data-chart]; no inline JS (CSP).
// Each chart's numbers are also in the table under it ("Show table").
(function () {
  "use strict";

  var PALETTE = ["#5b2c83", "#ff9f1c", "#2a9d8f", "#e76f51", "#457b9d", "#8d99ae", "#9c6644", "#06d6a0"];
  var FUNNEL = ["#d9c6ec", "#c3a3e0", "#a97fd1", "#8d5bbf", "#6f3aa0", "#5b2c83"];

  function dataset(spec, i, key) {
    var colour = key === "funnel" ? FUNNEL : PALETTE[i % PALETTE.length];
    if (key === "evaluation" || key === "tranches") {
      colour = [["#2a9d8f", "#e9c46a", "#dee2e6"], ["#2a9d8f", "#dee2e6"]][key === "tranches" ? 1 : 0][i];
    }
    return {
      label: spec.label,
      data: spec.data,
      backgroundColor: colour,
      borderRadius: 3,
      maxBarThickness: 36,
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var all = JSON.parse(source.textContent);
    var narrow = window.matchMedia("(max-width: 575.98px)").matches;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var key = canvas.getAttribute("data-chart");
      var spec = all[key];
      if (!spec) { return; }
      var horizontal = !!spec.horizontal;
      if (spec.grow) {
        // One row per label: the chart grows with them (a bar per dataset).
        var row = 12 + 9 * spec.datasets.length;
        var box = canvas.parentNode;
        var least = box.getBoundingClientRect().height;
        box.style.height = Math.max(least, spec.labels.length * row + 60) + "px";
      }
      var value = horizontal ? "x" : "y";
      var category = horizontal ? "y" : "x";
      var scales = {};
      scales[value] = {
        beginAtZero: true,
        stacked: !!spec.stacked,
        ticks: { precision: 0 },
      };
      if (spec.money) {
        var compact = new Intl.NumberFormat(document.documentElement.lang || undefined, { notation: "compact" });
        scales[value].ticks.callback = function (v) { return compact.format(v); };
      }
      if (spec.percent) {
        scales[value].suggestedMax = 100;
        scales[value].ticks.callback = function (v) { return v + "%"; };
      }
      scales[category] = {
        stacked: !!spec.stacked,
        ticks: { autoSkip: !horizontal, maxRotation: narrow ? 60 : 30 },
      };
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d, i) { return dataset(d, i, key); }),
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: scales,
          plugins: {
            legend: {
              display: spec.datasets.length > 1,
              position: "bottom",
              labels: { boxWidth: 12 },
            },
          },
        },
      });
    });
    // On a phone the charts are small: open the tables under them.
    if (narrow) {
      document.querySelectorAll("details.dash-table").forEach(function (d) { d.open = true; });
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
