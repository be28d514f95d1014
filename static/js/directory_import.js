// The directory import's progress page: poll the run's JSON and move the bar;
// when the run is over, reload to show its report.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-processed");
  var template = text.textContent.trim();

  function show(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.processed;
    text.textContent = template
      .replace(/\d+/, String(data.processed))
      .replace(/(\d+)(?!.*\d)/, String(data.total));
    box.querySelectorAll("[data-count]").forEach(function (node) {
      node.textContent = data[node.getAttribute("data-count")];
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { setTimeout(poll, 5000); return; }
        show(data);
        if (data.finished) { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 500);
})();
