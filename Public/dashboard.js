// FinOps Router dashboard: the only script. Progressive: every page works without it.
// - Auto-refresh: reloads the page every data-refresh seconds while it is visible, unless the
//   viewer turned it off (remembered in localStorage).
// - Filters: a select marked data-autosubmit submits its form on change.
(function () {
  "use strict";

  function stored(key, fallback) {
    try {
      var v = window.localStorage.getItem(key);
      return v === null ? fallback : v;
    } catch (e) {
      return fallback;
    }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  function setUpRefresh() {
    var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
    var box = document.getElementById("auto-refresh");
    if (!box || !(seconds > 0)) { return; }
    box.parentElement.hidden = false;
    box.checked = stored("finops.autoRefresh", "on") === "on";
    var timer = null;
    function schedule() {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (box.checked && document.visibilityState === "visible") {
        timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
      }
    }
    box.addEventListener("change", function () {
      store("finops.autoRefresh", box.checked ? "on" : "off");
      schedule();
    });
    document.addEventListener("visibilitychange", schedule);
    schedule();
  }

  function setUpFilters() {
    var selects = document.querySelectorAll("select[data-autosubmit]");
    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.submit(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpRefresh();
    setUpFilters();
  });
})();
