/* tongbao: charts are static SVG; where the vendored Vega bundle loaded, add tooltips.
   Nothing here is required to read a bulletin: without JavaScript the SVG stays. */
(function () {
  "use strict";
  // The live view is one image named like the static SVG it replaces (its <title> and
  // <desc>: the chart's title and summary); Vega's per-mark roles would be nameless images.
  function named(svg, still) {
    if (!svg) { return; }
    var parts = still ? [still.querySelector("title"), still.querySelector("desc")] : [];
    var name = parts.filter(Boolean).map(function (e) { return e.textContent; }).join("：");
    Array.prototype.forEach.call(svg.querySelectorAll("[role], [aria-roledescription]"), function (e) {
      e.removeAttribute("role");
      e.removeAttribute("aria-roledescription");
      e.removeAttribute("aria-label");
    });
    svg.setAttribute("role", "img");
    if (name) { svg.setAttribute("aria-label", name); }
  }
  function enhance() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var figures = document.querySelectorAll("figure.tb-chart");
    Array.prototype.forEach.call(figures, function (figure) {
      if (figure.getAttribute("data-enhanced")) { return; }
      var script = figure.querySelector("script.tb-spec");
      var holder = figure.querySelector(".tb-chart-svg");
      if (!script || !holder) { return; }
      var spec;
      try { spec = JSON.parse(script.textContent); } catch (e) { return; }
      var live = document.createElement("div");
      live.className = "tb-chart-live";
      window.vegaEmbed(live, spec, { actions: false, renderer: "svg", loader: { http: { mode: "no-cors" } } })
        .then(function () {
          named(live.querySelector("svg"), holder.querySelector("svg"));
          holder.style.display = "none";
          holder.parentNode.insertBefore(live, holder);
          figure.setAttribute("data-enhanced", "1");
        })
        .catch(function () { /* keep the static SVG */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
