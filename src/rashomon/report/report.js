// Rashomon report script: hash routing between views, the period selector of the
// network view, and the actor panel. It only reads the JSON data island and builds
// DOM nodes with textContent, never innerHTML, so no data string becomes markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rashomon-data").textContent);
  var views = Array.prototype.slice.call(document.querySelectorAll("section.view"));
  var navLinks = Array.prototype.slice.call(document.querySelectorAll("nav a"));
  var select = document.getElementById("graph-select");

  function selectGraph(id) {
    document.querySelectorAll(".graph").forEach(function (g) {
      g.hidden = g.id !== id;
    });
    if (select && select.value !== id) {
      select.value = id;
    }
  }

  function flash(el) {
    document.querySelectorAll(".flash").forEach(function (x) { x.classList.remove("flash"); });
    el.classList.add("flash");
  }

  // Show the view named by the hash, or the view holding the element it names.
  function show(hash) {
    var id = decodeURIComponent((hash || "").replace(/^#/, ""));
    var target = id ? document.getElementById(id) : null;
    var view = target ? target.closest("section.view") : null;
    if (!view) {
      view = views[0];
    }
    views.forEach(function (v) { v.classList.toggle("active", v === view); });
    navLinks.forEach(function (a) {
      a.classList.toggle("current", a.getAttribute("href") === "#" + view.id);
    });
    if (target && target !== view) {
      var graph = target.closest(".graph");
      if (graph) {
        selectGraph(graph.id);
      }
      flash(target);
      target.scrollIntoView({ block: "start" });
    } else {
      window.scrollTo(0, 0);
    }
  }

  function actorPanel(node) {
    var graph = node.closest(".graph");
    var panel = graph.querySelector(".actor-panel");
    var actorId = node.getAttribute("data-actor");
    var actor = data.actors[actorId] || { name: actorId, kind: "", country: null };
    graph.querySelectorAll(".node.selected").forEach(function (n) {
      n.classList.remove("selected");
    });
    node.classList.add("selected");
    panel.textContent = "";
    var title = document.createElement("h4");
    title.textContent = actor.name + " (" + [actor.kind, actor.country].filter(Boolean).join(", ") + ")";
    panel.appendChild(title);
    var list = document.createElement("ul");
    (data.graphs[graph.id] || []).forEach(function (tie) {
      if (tie[0] !== actorId && tie[1] !== actorId) {
        return;
      }
      var other = tie[0] === actorId ? tie[1] : tie[0];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + tie[4];
      link.textContent = (data.actors[other] || { name: other }).name;
      item.appendChild(link);
      var score = document.createElement("span");
      score.className = tie[3] > 0 ? "pos" : tie[3] < 0 ? "neg" : "zero";
      score.textContent = " " + (tie[2] > 0 ? "+" : "") + tie[2].toFixed(2);
      item.appendChild(score);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  document.addEventListener("click", function (ev) {
    var node = ev.target.closest ? ev.target.closest(".node") : null;
    if (node) {
      actorPanel(node);
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("node")) {
      actorPanel(ev.target);
    }
  });
  if (select) {
    select.addEventListener("change", function () { selectGraph(select.value); });
    selectGraph(select.value);
  }
  window.addEventListener("hashchange", function () { show(location.hash); });
  show(location.hash);
  document.body.setAttribute("data-ready", "1");
})();
