// The results chart: each idea's support rate (dot) and 95% interval (bar),
// in rank order. Data comes from the page's json_script, so no inline JS.
(function () {
  "use strict";

  function draw() {
    var canvas = document.getElementById("results-chart");
    var source = document.getElementById("results-data");
    if (!canvas || !source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var text = data.labels_text;
    var brand = "#5b2c83";
    var datasets = [
      {
        type: "bar",
        label: text.interval,
        data: data.interval,
        backgroundColor: "rgba(111, 58, 160, 0.25)",
        pointStyle: "rect",
        borderColor: "rgba(111, 58, 160, 0.6)",
        borderWidth: 1,
        borderSkipped: false,
        barPercentage: 0.5,
        categoryPercentage: 0.9,
        order: 2,
      },
      {
        type: "line",
        label: text.rate,
        data: data.rate,
        showLine: false,
        pointRadius: 4,
        pointHoverRadius: 6,
        pointBackgroundColor: brand,
        pointBorderColor: "#fff",
        pointStyle: "circle",
        clip: false,
        order: 1,
      },
    ];
    if (data.reference !== null) {
      datasets.push({
        type: "line",
        label: data.reference_label,
        data: data.labels.map(function () { return data.reference; }),
        borderColor: "#ff9f1c",
        borderDash: [6, 4],
        borderWidth: 2,
        pointStyle: "line",
        pointRadius: 0,
        pointHoverRadius: 0,
        order: 0,
      });
    }
    new window.Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 8 } },
        interaction: { mode: "index", intersect: false },
        scales: {
          y: {
            min: 0, max: 100,
            title: { display: true, text: text.axis },
            ticks: { callback: function (v) { return v + "%"; } },
          },
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 10 } },
          tooltip: {
            filter: function (item) { return item.datasetIndex < 2; },
            callbacks: {
              title: function (items) {
                var i = items[0].dataIndex;
                return data.labels[i] + " " + data.titles[i];
              },
              label: function (item) {
                var i = item.dataIndex;
                if (item.datasetIndex === 0) {
                  return text.interval + ": " + data.interval[i][0] + "% – " + data.interval[i][1] + "%";
                }
                return text.rate + ": " + data.rate[i] + "% (" + data.voters[i] + " " + text.voters + ")";
              },
            },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
