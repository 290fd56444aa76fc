// The progress bar of a background job's page (templates/tugas.html): while the job is queued or
// running, asks /tugas/{id}/status every second and moves the bar; when the job ends, goes on to its
// result (an import's report) or reloads the page so it shows the error. No inline script: the CSP allows only this file.
(function () {
  "use strict";
  var section = document.getElementById("tugas");
  if (!section || section.getAttribute("data-active") !== "1") {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var bar = document.getElementById("tugas-bar");
  var status = document.getElementById("tugas-status");
  var count = document.getElementById("tugas-count");
  var failures = 0;

  function show(job) {
    status.textContent = job.label;
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
      count.textContent = job.done + "/" + job.total + " (" + job.percent + "%)";
    } else {
      bar.removeAttribute("value");
      count.textContent = String(job.done);
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.status === "done" && job.link && job.link.charAt(0) === "/" && job.link.charAt(1) !== "/") {
          // straight on to the result (an import's report), a local path only
          window.location.assign(job.link);
        } else if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        // the server restarting, a dropped connection: keep trying, slower; Refresh still works
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, failures)));
      });
  }

  window.setTimeout(poll, 1000);
})();
