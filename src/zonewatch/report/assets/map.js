/* zonewatch report map: draws the embedded JSON on a canvas. No network, no libraries.
 * Projection: equirectangular, x scaled by cos(lat0); the view is a centre (lon, lat)
 * and a scale in CSS pixels per degree of latitude. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("zw-data").textContent);
  var canvas = document.getElementById("zw-canvas");
  var ctx = canvas.getContext("2d");
  var tooltip = document.getElementById("zw-tooltip");
  var cursorBox = document.getElementById("zw-cursor");

  var KX = Math.cos((DATA.lat0 * Math.PI) / 180);
  var NM_PER_DEG = DATA.nm_per_deg || 60;
  var MIN_SCALE = 0.5;
  var MAX_SCALE = 2e6;
  var SEA = "#e8f1f8";
  var LAND = "#8c7a5b";

  var view = { lon: DATA.lon0, lat: DATA.lat0, scale: 100 };
  var size = { w: 1, h: 1, dpr: 1 };
  var layers = { zones: true, features: true, tracks: true, incidents: true, graticule: true };
  var hiddenVessels = {};
  var highlight = null; // mmsi of the vessel to draw on top
  var pinned = null; // incident index whose popup stays open
  var pending = false;

  // ---- helpers ------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else if (key === "style") node.setAttribute("style", attrs[key]);
        else node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmtInt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  var timeFormat = null;
  try {
    timeFormat = new Intl.DateTimeFormat("sv-SE", {
      timeZone: DATA.timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
  } catch (err) {
    timeFormat = null;
  }

  function fmtMinutes(tMin) {
    var date = new Date((DATA.t0 + tMin * 60) * 1000);
    if (timeFormat) return timeFormat.format(date) + " " + DATA.timezone;
    return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function fmtIso(iso) {
    // "2024-03-05T04:12+09:00" -> "2024-03-05 04:12 (+09:00)"
    var m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(.*)$/.exec(iso);
    return m ? m[1] + " " + m[2] + (m[3] ? " (" + m[3] + ")" : "") : iso;
  }

  function vesselLabel(v) {
    return (v.name ? v.name + " " : "") + "(" + v.mmsi + ")";
  }

  var vesselByMmsi = {};
  DATA.vessels.forEach(function (v) {
    vesselByMmsi[v.mmsi] = v;
  });

  // ---- projection ---------------------------------------------------------------------------

  function toX(lon) {
    return size.w / 2 + (lon - view.lon) * KX * view.scale;
  }
  function toY(lat) {
    return size.h / 2 - (lat - view.lat) * view.scale;
  }
  function toLon(x) {
    return view.lon + (x - size.w / 2) / (KX * view.scale);
  }
  function toLat(y) {
    return view.lat - (y - size.h / 2) / view.scale;
  }

  function clampScale(s) {
    return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
  }

  function fit(b, pad) {
    var p = pad === undefined ? 30 : pad;
    var spanX = Math.max((b[2] - b[0]) * KX, 1e-4);
    var spanY = Math.max(b[3] - b[1], 1e-4);
    var w = Math.max(size.w - 2 * p, 50);
    var h = Math.max(size.h - 2 * p, 50);
    view.scale = clampScale(Math.min(w / spanX, h / spanY));
    view.lon = (b[0] + b[2]) / 2;
    view.lat = (b[1] + b[3]) / 2;
  }

  function trackBounds() {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    DATA.vessels.forEach(function (v) {
      if (hiddenVessels[v.mmsi]) return;
      v.segments.forEach(function (s) {
        for (var i = 0; i < s.xy.length; i += 2) {
          b[0] = Math.min(b[0], s.xy[i]);
          b[2] = Math.max(b[2], s.xy[i]);
          b[1] = Math.min(b[1], s.xy[i + 1]);
          b[3] = Math.max(b[3], s.xy[i + 1]);
        }
      });
    });
    return isFinite(b[0]) ? b : DATA.bounds;
  }

  function zoomAt(factor, x, y) {
    var lon = toLon(x);
    var lat = toLat(y);
    view.scale = clampScale(view.scale * factor);
    view.lon = lon - (x - size.w / 2) / (KX * view.scale);
    view.lat = lat + (y - size.h / 2) / view.scale;
    requestDraw();
  }

  // ---- drawing ------------------------------------------------------------------------------

  function ringPath(ring) {
    if (ring.length < 4) return;
    ctx.moveTo(toX(ring[0]), toY(ring[1]));
    for (var i = 2; i < ring.length; i += 2) ctx.lineTo(toX(ring[i]), toY(ring[i + 1]));
    ctx.closePath();
  }

  function drawPolygons(polygons, fill, stroke, lineWidth) {
    ctx.beginPath();
    polygons.forEach(function (rings) {
      rings.forEach(ringPath);
    });
    if (fill) {
      ctx.fillStyle = fill;
      ctx.fill("evenodd");
    }
    if (stroke) {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = lineWidth || 1;
      ctx.stroke();
    }
  }

  function drawZones() {
    DATA.zones.forEach(function (z) {
      ctx.globalAlpha = 0.16;
      drawPolygons(z.polygons, z.color, null);
      ctx.globalAlpha = 0.9;
      drawPolygons(z.polygons, null, z.color, 1.5);
    });
    ctx.globalAlpha = 1;
  }

  function drawFeatures() {
    ctx.fillStyle = LAND;
    DATA.features.forEach(function (f) {
      drawPolygons(f.polygons, LAND, "#5b4c33", 0.8);
      for (var i = 0; i < f.points.length; i += 2) {
        ctx.beginPath();
        ctx.arc(toX(f.points[i]), toY(f.points[i + 1]), 2, 0, 2 * Math.PI);
        ctx.fillStyle = LAND;
        ctx.fill();
      }
      if (view.scale < 3000 && f.label.length === 2) {
        // zoomed out, a rock is smaller than a pixel: mark where it is
        ctx.beginPath();
        ctx.arc(toX(f.label[0]), toY(f.label[1]), 2, 0, 2 * Math.PI);
        ctx.fillStyle = LAND;
        ctx.fill();
      }
    });
  }

  function drawFeatureLabels() {
    // drawn above tracks, skipping any label that would overlap one already drawn
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.fillStyle = "#3b2f1c";
    var placed = [];
    DATA.features.forEach(function (f) {
      if (f.label.length < 2 || !f.name) return;
      var x = toX(f.label[0]) + 6;
      var y = toY(f.label[1]);
      if (x < -200 || x > size.w || y < 0 || y > size.h) return;
      var box = [x - 2, y - 8, x + ctx.measureText(f.name).width + 2, y + 8];
      var clash = placed.some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      });
      if (clash) return;
      placed.push(box);
      ctx.strokeText(f.name, x, y);
      ctx.fillText(f.name, x, y);
    });
  }

  function niceStep(spanDeg, target) {
    var steps = [30, 20, 10, 5, 2, 1, 1 / 2, 1 / 4, 1 / 6, 1 / 12, 1 / 20, 1 / 30, 1 / 60, 1 / 120, 1 / 240, 1 / 600];
    for (var i = 0; i < steps.length; i++) {
      if (spanDeg / steps[i] >= target) return steps[i];
    }
    return steps[steps.length - 1];
  }

  function fmtDeg(value, pos, neg) {
    var hemi = value < 0 ? neg : pos;
    var a = Math.abs(value);
    var totalSeconds = Math.round(a * 3600);
    var d = Math.floor(totalSeconds / 3600);
    var m = Math.floor((totalSeconds % 3600) / 60);
    var s = totalSeconds % 60;
    var text = d + "\u00b0";
    if (m || s) text += (m < 10 ? "0" : "") + m + "\u2032";
    if (s) text += (s < 10 ? "0" : "") + s + "\u2033";
    return text + hemi;
  }

  var scaleBoxRight = 0; // right edge of the scale bar's box: lon labels keep clear of it

  function graticuleLines() {
    // {lons: [...], lats: [...]} of the visible graticule lines
    var lonMin = toLon(0);
    var lonMax = toLon(size.w);
    var latMin = Math.max(toLat(size.h), -90);
    var latMax = Math.min(toLat(0), 90);
    var step = niceStep(Math.min((lonMax - lonMin) * KX, latMax - latMin), 3);
    var out = { lons: [], lats: [] };
    var k;
    var i0 = Math.ceil(lonMin / step - 1e-9);
    for (k = i0; k * step <= lonMax + 1e-9 && k - i0 < 200; k++) out.lons.push(k * step);
    var j0 = Math.ceil(latMin / step - 1e-9);
    for (k = j0; k * step <= latMax + 1e-9 && k - j0 < 200; k++) out.lats.push(k * step);
    return out;
  }

  function drawGraticule() {
    var lines = graticuleLines();
    ctx.save();
    ctx.strokeStyle = "rgba(60,80,100,0.22)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    lines.lons.forEach(function (lon) {
      var x = Math.round(toX(lon)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, size.h);
    });
    lines.lats.forEach(function (lat) {
      var y = Math.round(toY(lat)) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(size.w, y);
    });
    ctx.stroke();
    ctx.restore();
  }

  function drawGraticuleLabels() {
    // drawn last, with a halo, so that tracks never hide them
    var lines = graticuleLines();
    ctx.save();
    ctx.font = "10px system-ui, sans-serif";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = "#3e4c59";
    ctx.textBaseline = "bottom";
    ctx.textAlign = "center";
    lines.lons.forEach(function (lon) {
      var x = Math.round(toX(lon)) + 0.5;
      var label = fmtDeg(((lon + 540) % 360) - 180, "E", "W");
      if (x - ctx.measureText(label).width / 2 > scaleBoxRight + 4) {
        ctx.strokeText(label, x, size.h - 22);
        ctx.fillText(label, x, size.h - 22);
      }
    });
    ctx.textAlign = "left";
    lines.lats.forEach(function (lat) {
      var y = Math.round(toY(lat)) + 0.5;
      var label = fmtDeg(lat, "N", "S");
      if (y < 14 || y > size.h - 36) return; // clear of the edge and of the scale bar
      ctx.strokeText(label, 4, y - 2);
      ctx.fillText(label, 4, y - 2);
    });
    ctx.restore();
  }

  function drawVessel(v, emphasis) {
    ctx.strokeStyle = v.color;
    ctx.fillStyle = v.color;
    ctx.lineWidth = emphasis ? 3 : 1.4;
    ctx.globalAlpha = emphasis ? 1 : highlight === null ? 0.85 : 0.35;
    v.segments.forEach(function (s) {
      var xy = s.xy;
      if (xy.length === 2) {
        ctx.beginPath();
        ctx.arc(toX(xy[0]), toY(xy[1]), emphasis ? 3 : 2, 0, 2 * Math.PI);
        ctx.fill();
        return;
      }
      ctx.beginPath();
      ctx.moveTo(toX(xy[0]), toY(xy[1]));
      for (var i = 2; i < xy.length; i += 2) ctx.lineTo(toX(xy[i]), toY(xy[i + 1]));
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
  }

  function drawTracks() {
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    DATA.vessels.forEach(function (v) {
      if (!hiddenVessels[v.mmsi] && v.mmsi !== highlight) drawVessel(v, false);
    });
    if (highlight !== null && !hiddenVessels[highlight] && vesselByMmsi[highlight]) {
      drawVessel(vesselByMmsi[highlight], true);
    }
  }

  function incidentVisible(inc) {
    if (!layers.incidents) return false;
    if (!inc.vessels.length) return true;
    return inc.vessels.some(function (m) {
      return !hiddenVessels[m];
    });
  }

  function drawIncidents() {
    DATA.incidents.forEach(function (inc, i) {
      if (!incidentVisible(inc)) return;
      var x = toX(inc.lon);
      var y = toY(inc.lat);
      var r = pinned === i ? 8 : 6;
      ctx.beginPath();
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      ctx.fillStyle = inc.fishing_vessel_nearby ? "#ffd60a" : "#ffffff";
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#b00020";
      ctx.stroke();
    });
  }

  function niceNm(maxNm) {
    var values = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
    var best = values[0];
    values.forEach(function (v) {
      if (v <= maxNm) best = v;
    });
    return best;
  }

  function drawScaleBar() {
    var pxPerNm = view.scale / NM_PER_DEG;
    var nm = niceNm(140 / pxPerNm);
    var len = nm * pxPerNm;
    var x = 12;
    var y = size.h - 12;
    scaleBoxRight = x + len + 52;
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(x - 6, y - 22, len + 58, 28);
    ctx.strokeStyle = "#1d2733";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y - 6);
    ctx.lineTo(x, y);
    ctx.lineTo(x + len, y);
    ctx.lineTo(x + len, y - 6);
    ctx.stroke();
    ctx.fillStyle = "#1d2733";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "bottom";
    ctx.fillText(nm + " nm", x + len + 6, y + 1);
    ctx.restore();
  }

  function draw() {
    pending = false;
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    ctx.fillStyle = SEA;
    ctx.fillRect(0, 0, size.w, size.h);
    scaleBoxRight = 12 + niceNm(140 / (view.scale / NM_PER_DEG)) * (view.scale / NM_PER_DEG) + 52;
    if (layers.zones) drawZones();
    if (layers.graticule) drawGraticule();
    if (layers.features) drawFeatures();
    if (layers.tracks) drawTracks();
    drawIncidents();
    if (layers.features) drawFeatureLabels();
    if (layers.graticule) drawGraticuleLabels();
    drawScaleBar();
    if (pinned !== null) placeTooltip(pinnedPosition());
    saveView();
  }

  function saveView() {
    var hash = "#" + view.lon.toFixed(4) + "/" + view.lat.toFixed(4) + "/" + view.scale.toPrecision(4);
    try {
      if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
    } catch (err) {
      // some browsers refuse replaceState on file: pages; the view is simply not kept
    }
  }

  function loadView() {
    var m = /^#(-?[\d.]+)\/(-?[\d.]+)\/([\d.e+]+)$/.exec(window.location.hash || "");
    if (!m) return false;
    var lon = Number(m[1]);
    var lat = Number(m[2]);
    var scale = Number(m[3]);
    if (!isFinite(lon) || !isFinite(lat) || !(scale > 0)) return false;
    view.lon = lon;
    view.lat = lat;
    view.scale = clampScale(scale);
    return true;
  }

  function requestDraw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(draw);
  }

  function resize() {
    var rect = canvas.getBoundingClientRect();
    size.w = Math.max(rect.width, 1);
    size.h = Math.max(rect.height, 1);
    size.dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.w * size.dpr);
    canvas.height = Math.round(size.h * size.dpr);
    requestDraw();
  }

  // ---- hit testing and tooltip --------------------------------------------------------------

  function incidentAt(x, y) {
    var best = null;
    var bestD = 10;
    DATA.incidents.forEach(function (inc, i) {
      if (!incidentVisible(inc)) return;
      var d = Math.hypot(toX(inc.lon) - x, toY(inc.lat) - y);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  function trackAt(x, y) {
    // nearest drawn leg within 6 px: {vessel, tMin}
    if (!layers.tracks) return null;
    var best = null;
    var bestD = 6;
    DATA.vessels.forEach(function (v) {
      if (hiddenVessels[v.mmsi]) return;
      v.segments.forEach(function (s) {
        var xy = s.xy;
        var n = xy.length / 2;
        var px = toX(xy[0]);
        var py = toY(xy[1]);
        if (n === 1) {
          var d0 = Math.hypot(px - x, py - y);
          if (d0 < bestD) {
            bestD = d0;
            best = { vessel: v, tMin: s.t[0] };
          }
          return;
        }
        for (var i = 1; i < n; i++) {
          var qx = toX(xy[2 * i]);
          var qy = toY(xy[2 * i + 1]);
          var dx = qx - px;
          var dy = qy - py;
          var len2 = dx * dx + dy * dy;
          var u = len2 > 0 ? Math.max(0, Math.min(1, ((x - px) * dx + (y - py) * dy) / len2)) : 0;
          var d = Math.hypot(px + u * dx - x, py + u * dy - y);
          if (d < bestD) {
            bestD = d;
            best = { vessel: v, tMin: s.t[i - 1] + u * (s.t[i] - s.t[i - 1]) };
          }
          px = qx;
          py = qy;
        }
      });
    });
    return best;
  }

  function row(key, value) {
    return el("div", { className: "zw-row" }, [
      el("span", { className: "zw-key", text: key }),
      el("span", { text: value }),
    ]);
  }

  function incidentContent(inc) {
    var names = inc.vessels.map(function (m) {
      return vesselByMmsi[m] ? vesselLabel(vesselByMmsi[m]) : String(m);
    });
    var nodes = [
      el("b", { text: "Intrusion " + inc.id }),
      row("start", fmtIso(inc.start)),
      row("end", fmtIso(inc.end)),
      row("duration", inc.duration_h.toFixed(1) + " h"),
      row("vessels", names.join(", ")),
      row("closest", inc.min_distance_nm.toFixed(2) + " nm from baseline (" + inc.closest_mmsi + ")"),
      row("fishing boat", inc.fishing_vessel_nearby ? "within the set distance" : "none near"),
    ];
    return nodes;
  }

  function trackContent(hit) {
    var v = hit.vessel;
    var nodes = [el("b", { text: vesselLabel(v) })];
    if (v.callsign) nodes.push(row("callsign", v.callsign));
    if (v.flag) nodes.push(row("flag", v.flag));
    if (v.matched_by) nodes.push(row("fleet rule", v.matched_by));
    nodes.push(row("time", "\u2248 " + fmtMinutes(Math.round(hit.tMin))));
    return nodes;
  }

  function showTooltip(nodes, x, y, isPinned) {
    while (tooltip.firstChild) tooltip.removeChild(tooltip.firstChild);
    nodes.forEach(function (n) {
      tooltip.appendChild(n);
    });
    tooltip.className = isPinned ? "zw-pinned" : "";
    tooltip.hidden = false;
    placeTooltip([x, y]);
  }

  function placeTooltip(at) {
    if (!at || tooltip.hidden) return;
    var w = tooltip.offsetWidth;
    var h = tooltip.offsetHeight;
    var x = at[0] + 14;
    var y = at[1] + 14;
    if (x + w > size.w - 4) x = Math.max(4, at[0] - w - 14);
    if (y + h > size.h - 4) y = Math.max(4, at[1] - h - 14);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }

  function pinnedPosition() {
    var inc = DATA.incidents[pinned];
    return inc ? [toX(inc.lon), toY(inc.lat)] : null;
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  function setHighlight(mmsi) {
    if (highlight !== mmsi) {
      highlight = mmsi;
      requestDraw();
    }
  }

  function pin(index) {
    pinned = index;
    var items = document.querySelectorAll("#zw-incidents li");
    for (var i = 0; i < items.length; i++) {
      items[i].className = i === index ? "zw-active" : "";
    }
    if (index === null) {
      hideTooltip();
    } else {
      var at = pinnedPosition();
      showTooltip(incidentContent(DATA.incidents[index]), at[0], at[1], true);
    }
    requestDraw();
  }

  // ---- mouse --------------------------------------------------------------------------------

  var drag = null;

  function local(ev) {
    var rect = canvas.getBoundingClientRect();
    return [ev.clientX - rect.left, ev.clientY - rect.top];
  }

  canvas.addEventListener(
    "wheel",
    function (ev) {
      ev.preventDefault();
      var p = local(ev);
      var delta = ev.deltaY * (ev.deltaMode === 1 ? 33 : ev.deltaMode === 2 ? 400 : 1);
      zoomAt(Math.exp(-delta * 0.0015), p[0], p[1]);
    },
    { passive: false }
  );

  canvas.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    var p = local(ev);
    drag = { x: p[0], y: p[1], lon: view.lon, lat: view.lat, moved: false };
    canvas.setPointerCapture(ev.pointerId);
  });

  canvas.addEventListener("pointermove", function (ev) {
    var p = local(ev);
    cursorBox.textContent = fmtDeg(toLat(p[1]), "N", "S") + "  " + fmtDeg(toLon(p[0]), "E", "W");
    if (drag) {
      var dx = p[0] - drag.x;
      var dy = p[1] - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        canvas.className = "zw-dragging";
        view.lon = drag.lon - dx / (KX * view.scale);
        view.lat = drag.lat + dy / view.scale;
        if (pinned === null) hideTooltip();
        requestDraw();
      }
      return;
    }
    if (pinned !== null) return;
    var i = incidentAt(p[0], p[1]);
    if (i !== null) {
      setHighlight(null);
      showTooltip(incidentContent(DATA.incidents[i]), p[0], p[1], false);
      return;
    }
    var hit = trackAt(p[0], p[1]);
    if (hit) {
      setHighlight(hit.vessel.mmsi);
      showTooltip(trackContent(hit), p[0], p[1], false);
    } else {
      setHighlight(null);
      hideTooltip();
    }
  });

  canvas.addEventListener("pointerup", function (ev) {
    if (!drag) return;
    var wasClick = !drag.moved;
    var p = local(ev);
    drag = null;
    canvas.className = "";
    if (wasClick) {
      var i = incidentAt(p[0], p[1]);
      pin(i === null || i === pinned ? null : i);
    }
  });

  canvas.addEventListener("pointerleave", function () {
    if (!drag && pinned === null) {
      hideTooltip();
      setHighlight(null);
    }
  });

  canvas.addEventListener("dblclick", function (ev) {
    var p = local(ev);
    zoomAt(ev.shiftKey ? 0.5 : 2, p[0], p[1]);
  });

  canvas.addEventListener("keydown", function (ev) {
    var step = 60;
    if (ev.key === "+" || ev.key === "=") zoomAt(1.5, size.w / 2, size.h / 2);
    else if (ev.key === "-") zoomAt(1 / 1.5, size.w / 2, size.h / 2);
    else if (ev.key === "Escape") pin(null);
    else if (ev.key === "ArrowLeft") view.lon -= step / (KX * view.scale);
    else if (ev.key === "ArrowRight") view.lon += step / (KX * view.scale);
    else if (ev.key === "ArrowUp") view.lat += step / view.scale;
    else if (ev.key === "ArrowDown") view.lat -= step / view.scale;
    else return;
    ev.preventDefault();
    requestDraw();
  });

  document.getElementById("zw-zoom-in").addEventListener("click", function () {
    zoomAt(2, size.w / 2, size.h / 2);
  });
  document.getElementById("zw-zoom-out").addEventListener("click", function () {
    zoomAt(0.5, size.w / 2, size.h / 2);
  });
  document.getElementById("zw-fit-zones").addEventListener("click", function () {
    fit(DATA.bounds);
    requestDraw();
  });
  document.getElementById("zw-fit-tracks").addEventListener("click", function () {
    fit(trackBounds());
    requestDraw();
  });

  // ---- side panel ---------------------------------------------------------------------------

  function buildPanel() {
    var t = DATA.totals;
    document.getElementById("zw-title").textContent = DATA.zone_set + " \u2014 " + DATA.fleet;
    document.getElementById("zw-period").textContent =
      DATA.period.start + " to " + DATA.period.end + " (" + DATA.timezone + ")";
    document.getElementById("zw-totals").textContent =
      "Contiguous zone: " + fmtInt(t.contiguous_zone_days) + " days, " +
      fmtInt(t.contiguous_zone_vessel_days) + " vessel-days. Territorial sea: " +
      fmtInt(t.territorial_sea_intrusions) + " intrusions on " + fmtInt(t.territorial_sea_days) + " days.";

    var legend = document.getElementById("zw-legend");
    DATA.zones.forEach(function (z) {
      legend.appendChild(
        el("li", null, [
          el("span", { className: "zw-swatch", style: "background:" + z.color + ";opacity:0.55" }),
          z.label,
        ])
      );
    });
    legend.appendChild(
      el("li", null, [el("span", { className: "zw-swatch", style: "background:" + LAND }), "Islands (zone baselines)"])
    );
    legend.appendChild(
      el("li", null, [el("span", { className: "zw-swatch zw-line", style: "background:#1f77b4" }), "Vessel track (colour per vessel)"])
    );
    legend.appendChild(el("li", null, [el("span", { className: "zw-marker", text: "\u25c7" }), "Intrusion, at closest approach"]));
    legend.appendChild(
      el("li", null, [el("span", { className: "zw-marker", style: "color:#d4a800", text: "\u25c6" }), "\u2026 with a fishing boat near"])
    );

    var layerBox = document.getElementById("zw-layers");
    [
      ["zones", "Zones"],
      ["features", "Islands"],
      ["tracks", "Tracks"],
      ["incidents", "Incidents"],
      ["graticule", "Graticule"],
    ].forEach(function (pair) {
      var box = el("input", { type: "checkbox" });
      box.checked = layers[pair[0]];
      box.addEventListener("change", function () {
        layers[pair[0]] = box.checked;
        requestDraw();
      });
      layerBox.appendChild(el("label", null, [box, pair[1]]));
    });

    var list = document.getElementById("zw-vessels");
    var boxes = [];
    if (!DATA.vessels.length) list.appendChild(el("li", { text: "No fleet vessel tracks in the period." }));
    DATA.vessels.forEach(function (v) {
      var box = el("input", { type: "checkbox", "data-mmsi": String(v.mmsi) });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) delete hiddenVessels[v.mmsi];
        else hiddenVessels[v.mmsi] = true;
        requestDraw();
      });
      boxes.push(box);
      var meta = [String(v.mmsi)];
      if (v.flag) meta.push(v.flag);
      meta.push(fmtInt(v.fixes) + " fixes");
      var label = el("label", { title: v.matched_by ? "Fleet rule: " + v.matched_by : "" }, [
        box,
        el("span", { className: "zw-swatch zw-line", style: "background:" + v.color }),
        el("span", { className: "zw-name" }, [
          v.name || String(v.mmsi),
          el("span", { className: "zw-meta", text: meta.join(" \u00b7 ") }),
        ]),
      ]);
      label.addEventListener("mouseenter", function () {
        setHighlight(v.mmsi);
      });
      label.addEventListener("mouseleave", function () {
        setHighlight(null);
      });
      list.appendChild(el("li", null, [label]));
    });
    function setAll(on) {
      boxes.forEach(function (box) {
        box.checked = on;
        var m = Number(box.getAttribute("data-mmsi"));
        if (on) delete hiddenVessels[m];
        else hiddenVessels[m] = true;
      });
      requestDraw();
    }
    document.getElementById("zw-all").addEventListener("click", function () {
      setAll(true);
    });
    document.getElementById("zw-none").addEventListener("click", function () {
      setAll(false);
    });

    var incList = document.getElementById("zw-incidents");
    if (!DATA.incidents.length) incList.appendChild(el("li", { text: "None in the period." }));
    DATA.incidents.forEach(function (inc, i) {
      var item = el("li", null, [
        el("span", { className: "zw-id", text: inc.id }),
        el("span", {
          className: "zw-meta",
          text: fmtIso(inc.start) + ", " + inc.duration_h.toFixed(1) + " h, " +
            inc.vessels.length + " vessel" + (inc.vessels.length === 1 ? "" : "s") + ", " +
            inc.min_distance_nm.toFixed(2) + " nm",
        }),
      ]);
      item.addEventListener("click", function () {
        view.lon = inc.lon;
        view.lat = inc.lat;
        view.scale = Math.max(view.scale, (NM_PER_DEG * Math.min(size.w, size.h)) / 40);
        pin(i);
        requestDraw();
      });
      incList.appendChild(item);
    });

    var notes = document.getElementById("zw-notes");
    DATA.notes.forEach(function (n) {
      notes.appendChild(el("li", { text: n }));
    });
    notes.appendChild(el("li", { text: "Map made by zonewatch; it loads nothing from the network." }));

    document.getElementById("zw-attribution").textContent =
      (DATA.attribution ? "Zone outlines: " + DATA.attribution + " \u00b7 " : "") + "zonewatch";
  }

  buildPanel();
  resize();
  if (!loadView()) fit(DATA.bounds);
  window.addEventListener("resize", function () {
    resize();
  });
})();
