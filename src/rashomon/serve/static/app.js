// Rashomon server pages: the network, timeline and map figures, and the upload form.
// Data comes from the JSON API of the same server; every string from it reaches the
// page through textContent or setAttribute, never innerHTML, so no article text can
// become markup, and the Content-Security-Policy forbids any script but this file.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function link(href, text) { return el("a", { href: href }, text); }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || r.statusText); }
        return body;
      });
    });
  }
  function fail(container, err) {
    container.textContent = "";
    container.appendChild(el("p", { "class": "error" }, err.message || String(err)));
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // Evidence rows: the sentence, linked to its highlighted span in the document.
  function evidenceList(items) {
    var list = el("ul", { "class": "evidence-list" });
    items.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("b", {}, ev.label || ev.id));
      li.appendChild(document.createTextNode(" · " + (ev.outlet || "") + " "));
      li.appendChild(el("br"));
      li.appendChild(link(ev.url || ("/documents/" + encodeURIComponent(ev.document)),
                          ev.sentence || ev.id));
      list.appendChild(li);
    });
    return list;
  }

  // -- network ------------------------------------------------------------------------
  var CAMP_COLOURS = ["#3b5b92", "#d9822b", "#6a4c93", "#2a9d8f", "#8d6e63", "#e76f51"];

  function network(figure, detail) {
    var controls = el("div", { "class": "controls" });
    var slider = el("input", { type: "range", min: "0", max: "0", step: "1", id: "period",
                                "aria-label": "period" });
    var label = el("output", { "for": "period", id: "period-label" });
    var view = el("select", { id: "view", "aria-label": "view" });
    [["direct", "direct ties"], ["rolled_up", "rolled up via affiliations"]].forEach(function (o) {
      view.appendChild(el("option", { value: o[0] }, o[1]));
    });
    controls.appendChild(el("label", { "for": "period" }, "Period "));
    controls.appendChild(slider);
    controls.appendChild(label);
    controls.appendChild(view);
    var stage = el("div", { "class": "stage" });
    var periods = [];

    function load(period) {
      var url = "/api/network?view=" + encodeURIComponent(view.value) +
        (period ? "&period=" + encodeURIComponent(period) : "");
      getJSON(url).then(function (data) {
        periods = data.periods.map(function (p) { return p.period; });
        slider.max = String(Math.max(0, periods.length - 1));
        slider.value = String(Math.max(0, periods.indexOf(data.period)));
        label.textContent = data.period ? data.period + " (" + data.ties.length + " ties)"
                                        : "no relations";
        draw(data);
      }).catch(function (err) { fail(stage, err); });
    }

    function draw(data) {
      clear(stage);
      clear(detail);
      var n = data.nodes.length;
      if (!n) { stage.appendChild(el("p", { "class": "empty" }, "No relations.")); return; }
      var width = 980, height = Math.max(520, Math.min(900, 300 + n * 14));
      var cx = width / 2, cy = height / 2;
      var radius = Math.min(cy - 40, cx - 230);
      // Camps in turn around the circle, a gap between camps so they read as groups.
      var order = data.nodes.slice().sort(function (a, b) {
        var ca = a.camp === null ? 99 : a.camp, cb = b.camp === null ? 99 : b.camp;
        return ca - cb || b.mentions - a.mentions;
      });
      var camps = {};
      order.forEach(function (d) { camps[d.camp] = true; });
      var slots = n + Object.keys(camps).length, slot = 0, pos = {}, prev = null;
      order.forEach(function (d) {
        if (prev !== null && prev !== d.camp) { slot += 1; }
        prev = d.camp;
        var angle = 2 * Math.PI * slot / slots - Math.PI / 2;
        pos[d.id] = { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle),
                      angle: angle };
        slot += 1;
      });
      var root = svg("svg", { viewBox: "0 0 " + width + " " + height, "class": "network",
                              role: "img", "aria-label": "actor network " + data.period });
      data.ties.forEach(function (t, i) {
        var a = pos[t.a], b = pos[t.b];
        var cls = t.sign > 0 ? "pos" : t.sign < 0 ? "neg" : "zero";
        var g = svg("g", { "class": "tie " + cls + (t.frustrated ? " frustrated" : ""),
                           "data-index": String(i), tabindex: "0" });
        var d = "M" + a.x + " " + a.y + " Q" + cx + " " + cy + " " + b.x + " " + b.y;
        g.appendChild(svg("path", { d: d, "class": "line",
                                    "stroke-width": String(1 + 5 * Math.abs(t.score)) }));
        g.appendChild(svg("path", { d: d, "class": "hit" }));
        g.appendChild(svg("title", {}, t.a_name + " – " + t.b_name + ": " +
                          (t.score > 0 ? "+" : "") + t.score.toFixed(2)));
        g.addEventListener("click", function () { showTie(t, g); });
        g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { showTie(t, g); } });
        root.appendChild(g);
      });
      order.forEach(function (d) {
        var p = pos[d.id];
        var right = Math.cos(p.angle) >= 0;
        var g = svg("a", { href: d.link || "#", "class": "node" });
        g.appendChild(svg("circle", { cx: p.x, cy: p.y, r: 5 + Math.min(9, Math.sqrt(d.mentions)),
                                      fill: d.camp === null ? "#9e9e9e" : CAMP_COLOURS[d.camp % 6] }));
        // Labels radiate outward along the spoke, so neighbours do not overlap.
        var lx = p.x + Math.cos(p.angle) * 16, ly = p.y + Math.sin(p.angle) * 16 + 4;
        var name = d.name.length > 30 ? d.name.slice(0, 29) + "…" : d.name;
        g.appendChild(svg("text", { x: lx, y: ly, "text-anchor": right ? "start" : "end" }, name));
        g.appendChild(svg("title", {}, d.name));
        root.appendChild(g);
      });
      stage.appendChild(root);
      var legend = el("ol", { "class": "camps" });
      data.camps.forEach(function (camp, i) {
        var li = el("li", {}, camp.join(", "));
        li.setAttribute("data-camp", String(i % 6));
        legend.appendChild(li);
      });
      if (data.camps.length) {
        stage.appendChild(el("h3", {}, "Camps"));
        stage.appendChild(legend);
      }
    }

    function showTie(t, g) {
      stage.querySelectorAll(".tie.selected").forEach(function (x) { x.classList.remove("selected"); });
      g.classList.add("selected");
      clear(detail);
      detail.appendChild(el("h3", {}, t.a_name + " – " + t.b_name + " (" + t.period + "): " +
                            (t.score > 0 ? "+" : "") + t.score.toFixed(2)));
      if (t.frustrated) { detail.appendChild(el("p", { "class": "warn" }, t.frustrated)); }
      detail.appendChild(el("p", { "class": "meta" }, "outlets: " + t.outlets.join(", ")));
      detail.appendChild(evidenceList(t.evidence));
    }

    slider.addEventListener("input", function () {
      var p = periods[Number(slider.value)];
      if (p) { load(p); }
    });
    view.addEventListener("change", function () { load(null); });
    clear(figure);
    figure.appendChild(controls);
    figure.appendChild(stage);
    load(new URLSearchParams(location.search).get("period"));
  }

  // -- timeline -----------------------------------------------------------------------
  var QUADS = ["material_conflict", "verbal_conflict", "verbal_cooperation", "material_cooperation"];

  function toYear(date) {
    var p = date.split("-");
    var y = Number(p[0]);
    if (!y) { return null; }
    if (p.length === 1) { return y + 0.5; }
    var m = Number(p[1]) || 6, d = p.length > 2 ? Number(p[2]) || 15 : 15;
    return y + ((m - 1) * 30.4 + d) / 366;
  }

  function timeline(figure, detail) {
    getJSON("/api/timeline" + location.search).then(function (data) {
      var rows = data.rows.map(function (r) {
        return { id: r[0], date: r[1], quad: r[2], type: r[3], source: r[4], target: r[5],
                 outlet: r[6], url: r[7], t: toYear(r[1]) };
      }).filter(function (r) { return r.t !== null && QUADS.indexOf(r.quad) >= 0; });
      clear(figure);
      if (!rows.length) { figure.appendChild(el("p", { "class": "empty" }, "No dated events.")); return; }
      var full = [Math.floor(Math.min.apply(null, rows.map(function (r) { return r.t; }))),
                  Math.floor(Math.max.apply(null, rows.map(function (r) { return r.t; }))) + 1];
      var domain = full.slice();
      var width = 1100, left = 150, right = 20, laneH = 90, top = 10;
      var height = top + laneH * QUADS.length + 34;
      var bar = el("div", { "class": "controls" });
      [["−", 1.6], ["+", 1 / 1.6]].forEach(function (b) {
        var btn = el("button", { type: "button", "aria-label": b[0] === "+" ? "zoom in" : "zoom out" }, b[0]);
        btn.addEventListener("click", function () { zoom(b[1], (domain[0] + domain[1]) / 2); });
        bar.appendChild(btn);
      });
      var reset = el("button", { type: "button" }, "whole span");
      reset.addEventListener("click", function () { domain = full.slice(); render(); });
      bar.appendChild(reset);
      var range = el("span", { "class": "meta" });
      bar.appendChild(range);
      figure.appendChild(bar);
      var root = svg("svg", { viewBox: "0 0 " + width + " " + height, "class": "timeline" });
      figure.appendChild(root);

      function x(t) { return left + (t - domain[0]) / (domain[1] - domain[0]) * (width - left - right); }
      function tAt(px) { return domain[0] + (px - left) / (width - left - right) * (domain[1] - domain[0]); }
      function zoom(factor, centre) {
        var span = Math.max(1 / 24, Math.min(full[1] - full[0] + 2, (domain[1] - domain[0]) * factor));
        domain = [centre - (centre - domain[0]) * span / (domain[1] - domain[0]), 0];
        domain[1] = domain[0] + span;
        render();
      }
      function svgX(ev) {
        var box = root.getBoundingClientRect();
        return (ev.clientX - box.left) * width / box.width;
      }

      function render() {
        clear(root);
        range.textContent = " showing " + domain[0].toFixed(1) + "–" + domain[1].toFixed(1);
        var span = domain[1] - domain[0];
        var step = span > 20 ? 5 : span > 6 ? 1 : span > 1.5 ? 0.25 : 1 / 12;
        for (var t = Math.ceil(domain[0] / step) * step; t <= domain[1]; t += step) {
          var gx = x(t);
          root.appendChild(svg("line", { x1: gx, x2: gx, y1: top, y2: height - 26, "class": "grid" }));
          var year = Math.floor(t + 1e-9), month = Math.round((t - year) * 12);
          var text = step >= 1 ? String(year) : year + "-" + ("0" + (month + 1)).slice(-2);
          root.appendChild(svg("text", { x: gx, y: height - 10, "text-anchor": "middle", "class": "tick" }, text));
        }
        QUADS.forEach(function (q, i) {
          var y = top + i * laneH;
          root.appendChild(svg("rect", { x: left, y: y, width: width - left - right, height: laneH - 4, "class": "lane-bg" }));
          root.appendChild(svg("text", { x: left - 8, y: y + laneH / 2, "text-anchor": "end", "class": "lane" },
                               q.replace("_", " ")));
        });
        // Events sharing a column are stacked upward in their lane (a beeswarm), so a
        // busy year spreads into a pile instead of hiding behind one dot.
        var stacks = {};
        rows.forEach(function (r) {
          if (r.t < domain[0] || r.t > domain[1]) { return; }
          var cx = x(r.t), lane = QUADS.indexOf(r.quad);
          var key = lane + ":" + Math.round(cx / 9);
          var k = stacks[key] = (stacks[key] || 0) + 1;
          var perCol = Math.floor((laneH - 10) / 9);
          var cy = top + lane * laneH + laneH - 10 - ((k - 1) % perCol) * 9;
          var a = svg("a", { href: r.url });
          a.appendChild(svg("circle", { cx: cx + Math.floor((k - 1) / perCol) * 3, cy: cy, r: 4,
                                        "class": "dot " + r.quad, "data-id": r.id }));
          a.appendChild(svg("title", {}, r.date + " " + r.type + ": " + r.source + " → " + r.target +
                                         " (" + r.outlet + ")"));
          root.appendChild(a);
        });
        root.appendChild(brushRect);
      }

      var brushRect = svg("rect", { "class": "brush", x: 0, y: top, width: 0, height: laneH * 4 });
      var start = null, panning = null;
      root.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        zoom(ev.deltaY > 0 ? 1.25 : 0.8, tAt(svgX(ev)));
      }, { passive: false });
      root.addEventListener("mousedown", function (ev) {
        var px = svgX(ev);
        if (px < left) { return; }
        if (ev.shiftKey || ev.button === 1) { panning = { px: px, domain: domain.slice() }; return; }
        start = px;
        brushRect.setAttribute("x", px);
        brushRect.setAttribute("width", 0);
      });
      window.addEventListener("mousemove", function (ev) {
        if (panning) {
          var dt = (svgX(ev) - panning.px) / (width - left - right) * (panning.domain[1] - panning.domain[0]);
          domain = [panning.domain[0] - dt, panning.domain[1] - dt];
          render();
        } else if (start !== null) {
          var px = svgX(ev);
          brushRect.setAttribute("x", Math.min(start, px));
          brushRect.setAttribute("width", Math.abs(px - start));
        }
      });
      window.addEventListener("mouseup", function (ev) {
        if (panning) { panning = null; return; }
        if (start === null) { return; }
        var a = tAt(Math.min(start, svgX(ev))), b = tAt(Math.max(start, svgX(ev)));
        start = null;
        if (Math.abs(b - a) < (domain[1] - domain[0]) / 200) { return; }
        listSpan(a, b);
      });

      function listSpan(a, b) {
        clear(detail);
        var picked = rows.filter(function (r) { return r.t >= a && r.t <= b; });
        var zoomBtn = el("button", { type: "button" }, "zoom to this span");
        zoomBtn.addEventListener("click", function () { domain = [a, b]; render(); });
        detail.appendChild(el("h3", {}, picked.length + " event(s) between " + a.toFixed(2) + " and " + b.toFixed(2)));
        detail.appendChild(zoomBtn);
        var list = el("ul", { "class": "evidence-list" });
        picked.slice(0, 300).forEach(function (r) {
          var li = el("li");
          li.appendChild(document.createTextNode(r.date + " "));
          li.appendChild(link(r.url, r.type + ": " + r.source + " → " + r.target));
          li.appendChild(document.createTextNode(" · " + r.outlet));
          list.appendChild(li);
        });
        detail.appendChild(list);
      }
      render();
    }).catch(function (err) { fail(figure, err); });
  }

  // -- map ----------------------------------------------------------------------------
  function mapFigure(figure, detail) {
    Promise.all([getJSON("/api/places?limit=1000" + location.search.replace(/^\?/, "&")),
                 fetch("/api/countries.geojson").then(function (r) { return r.json(); })])
      .then(function (res) { drawMap(figure, detail, res[0].items, res[1]); })
      .catch(function (err) { fail(figure, err); });
  }

  function drawMap(figure, detail, places, world) {
    clear(figure);
    var width = 1000, height = 620;
    // The map opens on the main theatre: the places within 20 degrees of the place with
    // the most events; "all places" fits every one (a far capital quoted once, say).
    var centre = places.slice().sort(function (a, b) { return b.events.length - a.events.length; })[0];
    var main = centre ? places.filter(function (p) {
      return Math.abs(p.lat - centre.lat) < 20 && Math.abs(p.lon - centre.lon) < 20;
    }) : [];
    var kx = Math.cos((centre ? centre.lat : 30) * Math.PI / 180);
    function project(lon, lat) { return [lon * kx, -lat]; }   // plate carrée, x shrunk at the centre's latitude
    function fit(members) {
      var lats = members.map(function (p) { return p.lat; }), lons = members.map(function (p) { return p.lon; });
      var box = members.length ? [Math.min.apply(null, lons), Math.min.apply(null, lats),
                                  Math.max.apply(null, lons), Math.max.apply(null, lats)] : [-20, -10, 80, 60];
      var padLon = Math.max(3, (box[2] - box[0]) * 0.2), padLat = Math.max(2, (box[3] - box[1]) * 0.2);
      var p0 = project(box[0] - padLon, box[3] + padLat), p1 = project(box[2] + padLon, box[1] - padLat);
      var v = { x: p0[0], y: p0[1], w: p1[0] - p0[0], h: p1[1] - p0[1] };
      if (v.w / v.h > width / height) { var h = v.w * height / width; v.y -= (h - v.h) / 2; v.h = h; }
      else { var w = v.h * width / height; v.x -= (w - v.w) / 2; v.w = w; }
      return v;
    }
    var view = fit(main);
    var root = svg("svg", { "class": "map", role: "img", "aria-label": "map of event places",
                            viewBox: [view.x, view.y, view.w, view.h].join(" "),
                            preserveAspectRatio: "xMidYMid meet" });
    root.appendChild(svg("rect", { x: -200, y: -100, width: 400, height: 200, "class": "sea" }));
    var land = svg("g", { "class": "land" });
    (world.features || []).forEach(function (f) {
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] :
                  f.geometry.type === "MultiPolygon" ? f.geometry.coordinates : [];
      var d = "";
      polys.forEach(function (poly) {
        poly.forEach(function (ring) {
          ring.forEach(function (pt, i) {
            var q = project(pt[0], pt[1]);
            d += (i ? "L" : "M") + q[0].toFixed(2) + " " + q[1].toFixed(2);
          });
          d += "Z";
        });
      });
      var path = svg("path", { d: d, "class": "country-shape" });
      path.appendChild(svg("title", {}, f.properties.name || ""));
      land.appendChild(path);
    });
    root.appendChild(land);
    if (!(world.features || []).length && world.note) {
      figure.appendChild(el("p", { "class": "warn" }, world.note));
    }
    var markers = svg("g", { "class": "markers" });
    root.appendChild(markers);
    var bar = el("div", { "class": "controls" });
    [["+", 0.6, "zoom in"], ["−", 1 / 0.6, "zoom out"]].forEach(function (b) {
      var btn = el("button", { type: "button", "aria-label": b[2] }, b[0]);
      btn.addEventListener("click", function () { zoomAt(b[1], view.x + view.w / 2, view.y + view.h / 2); });
      bar.appendChild(btn);
    });
    [["main area", main], ["all places", places]].forEach(function (b) {
      var btn = el("button", { type: "button" }, b[0]);
      btn.addEventListener("click", function () { view = fit(b[1]); update(); });
      bar.appendChild(btn);
    });
    bar.appendChild(el("span", { "class": "meta" }, places.length + " place(s) named in the text; " +
                       "outlines: Natural Earth"));
    figure.appendChild(bar);
    figure.appendChild(root);

    function zoomAt(f, ux, uy) {
      var w = Math.max(0.5, Math.min(400, view.w * f)), h = w * height / width;
      view = { x: ux - (ux - view.x) * w / view.w, y: uy - (uy - view.y) * h / view.h, w: w, h: h };
      update();
    }
    function userPoint(ev) {
      var r = root.getBoundingClientRect();
      return [view.x + (ev.clientX - r.left) / r.width * view.w, view.y + (ev.clientY - r.top) / r.height * view.h];
    }
    root.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var u = userPoint(ev);
      zoomAt(ev.deltaY > 0 ? 1.25 : 0.8, u[0], u[1]);
    }, { passive: false });
    var drag = null;
    root.addEventListener("mousedown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, view: Object.assign({}, view) };
    });
    window.addEventListener("mousemove", function (ev) {
      if (!drag) { return; }
      var r = root.getBoundingClientRect();
      view.x = drag.view.x - (ev.clientX - drag.x) / r.width * view.w;
      view.y = drag.view.y - (ev.clientY - drag.y) / r.height * view.h;
      update();
    });
    window.addEventListener("mouseup", function () { drag = null; });

    // Markers closer than 44 screen pixels merge into one cluster with a count.
    function update() {
      root.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      clear(markers);
      var unit = view.w / width;   // user units per screen pixel (at the nominal width)
      var clusters = [];
      places.forEach(function (p) {
        var q = project(p.lon, p.lat);
        var hit = clusters.find(function (c) { return Math.hypot(c.x - q[0], c.y - q[1]) < 44 * unit; });
        if (hit) { hit.members.push(p); } else { clusters.push({ x: q[0], y: q[1], members: [p] }); }
      });
      clusters.forEach(function (c) {
        var count = c.members.reduce(function (n, p) { return n + p.events.length; }, 0);
        var g = svg("g", { "class": "marker" + (c.members.length > 1 ? " cluster" : ""), tabindex: "0" });
        g.appendChild(svg("circle", { cx: c.x, cy: c.y, r: (7 + 3 * Math.sqrt(count)) * unit }));
        g.appendChild(svg("text", { x: c.x, y: c.y + 4 * unit, "font-size": 11 * unit, "text-anchor": "middle" }, count));
        var top = c.members.slice().sort(function (a, b) { return b.events.length - a.events.length; })[0];
        var name = top.name + (c.members.length > 1 ? " +" + (c.members.length - 1) + " more" : "");
        g.appendChild(svg("text", { x: c.x + (10 + 3 * Math.sqrt(count)) * unit, y: c.y + 4 * unit,
                                    "font-size": 12 * unit, "stroke-width": 3 * unit, "class": "label" }, name));
        g.appendChild(svg("title", {}, c.members.map(function (p) { return p.name; }).join(", ")));
        g.addEventListener("click", function (ev) { ev.stopPropagation(); showPlaces(c.members); });
        g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { showPlaces(c.members); } });
        markers.appendChild(g);
      });
    }
    function showPlaces(members) {
      clear(detail);
      members.forEach(function (p) {
        detail.appendChild(el("h3", {}, p.name + (p.country ? " (" + p.country + ")" : "") + ": " +
                              p.events.length + " event(s)"));
        var list = el("ul", { "class": "evidence-list" });
        p.events.forEach(function (e) {
          var li = el("li");
          li.appendChild(document.createTextNode((e.date || "undated") + " "));
          li.appendChild(link(e.url, e.type + ": " + e.label));
          list.appendChild(li);
        });
        detail.appendChild(list);
      });
    }
    update();
  }

  // -- adding articles ----------------------------------------------------------------
  function addForm(form) {
    var out = document.getElementById("jobs");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = new FormData(form);
      var headers = {};
      var token = form.querySelector("#token");
      if (token && token.value) { headers.Authorization = "Bearer " + token.value; }
      var status = el("p", { "class": "job" }, "sending…");
      out.insertBefore(status, out.firstChild);
      fetch("/api/documents", { method: "POST", body: data, headers: headers })
        .then(function (r) { return r.json().then(function (b) { return [r, b]; }); })
        .then(function (rb) {
          if (!rb[0].ok) { status.className = "job error"; status.textContent = rb[1].error; return; }
          form.reset();
          poll(rb[1].id, status);
        })
        .catch(function (err) { status.className = "job error"; status.textContent = err.message; });
    });
  }

  function poll(id, status) {
    getJSON("/api/jobs/" + encodeURIComponent(id)).then(function (job) {
      clear(status);
      status.setAttribute("data-state", job.state);
      var text = job.inputs.join(", ") + ": " + job.state;
      if (job.phase) { text += " · " + job.phase + " " + job.done + (job.total ? "/" + job.total : ""); }
      status.appendChild(document.createTextNode(text));
      if (job.error) { status.appendChild(el("span", { "class": "error" }, " " + job.error)); }
      job.problems.forEach(function (p) { status.appendChild(el("span", { "class": "problem" }, " skipped: " + p)); });
      job.duplicates.forEach(function (p) { status.appendChild(el("span", { "class": "problem" }, " duplicate: " + p)); });
      job.documents.forEach(function (d) {
        status.appendChild(document.createTextNode(" "));
        status.appendChild(link("/documents/" + encodeURIComponent(d), d));
      });
      if (job.state !== "done" && job.state !== "failed") {
        setTimeout(function () { poll(id, status); }, 500);
      }
    }).catch(function (err) { status.textContent = err.message; });
  }

  var figure = document.getElementById("figure");
  var detail = document.getElementById("detail");
  var page = document.body.getAttribute("data-page");
  if (figure && page === "network") { network(figure, detail); }
  if (figure && page === "timeline") { timeline(figure, detail); }
  if (figure && page === "map") { mapFigure(figure, detail); }
  var add = document.getElementById("add");
  if (add) { addForm(add); }
  document.body.setAttribute("data-ready", "1");
})();
