// Runs the inline script of a zonewatch map page under a minimal DOM stand-in (no browser):
// builds the panel, draws, zooms, pans, hovers, clicks an incident and toggles filters.
// Usage: node map_smoke.js page.html [#lon/lat/scale]  -> prints a JSON summary of what was drawn.
"use strict";

const fs = require("fs");
const vm = require("vm");

const html = fs.readFileSync(process.argv[2], "utf8");
const dataMatch = /<script type="application\/json" id="zw-data">([\s\S]*?)<\/script>/.exec(html);
const codeMatch = /<script>\n([\s\S]*?)\n<\/script>/.exec(html);
if (!dataMatch || !codeMatch) throw new Error("page lacks its data or script element");

const calls = {};
function count(name) {
  calls[name] = (calls[name] || 0) + 1;
}

function makeNode(tag, id) {
  const node = {
    tagName: tag.toUpperCase(),
    id: id || "",
    children: [],
    attributes: {},
    listeners: {},
    style: {},
    className: "",
    hidden: false,
    checked: false,
    _text: "",
    offsetWidth: 120,
    offsetHeight: 60,
    get textContent() {
      return this._text + this.children.map((c) => c.textContent).join("");
    },
    set textContent(value) {
      this._text = String(value);
      this.children = [];
    },
    get firstChild() {
      return this.children[0] || null;
    },
    appendChild(child) {
      this.children.push(child);
      return child;
    },
    removeChild(child) {
      this.children.splice(this.children.indexOf(child), 1);
      return child;
    },
    setAttribute(key, value) {
      this.attributes[key] = String(value);
    },
    getAttribute(key) {
      return key in this.attributes ? this.attributes[key] : null;
    },
    addEventListener(type, fn) {
      (this.listeners[type] = this.listeners[type] || []).push(fn);
    },
    dispatch(type, event) {
      (this.listeners[type] || []).forEach((fn) => fn(Object.assign({ preventDefault() {} }, event)));
    },
    getBoundingClientRect() {
      return { left: 0, top: 0, width: 900, height: 600 };
    },
    setPointerCapture() {},
  };
  return node;
}

const context = new Proxy(
  {},
  {
    get(target, name) {
      if (name in target) return target[name];
      if (name === "measureText") {
        return function (text) {
          count(name);
          return { width: 6 * String(text).length };
        };
      }
      return function () {
        count(name);
      };
    },
    set(target, name, value) {
      target[name] = value;
      return true;
    },
  }
);

const byId = {};
const canvas = makeNode("canvas", "zw-canvas");
canvas.getContext = () => context;
byId["zw-canvas"] = canvas;
const dataNode = makeNode("script", "zw-data");
dataNode._text = dataMatch[1];
byId["zw-data"] = dataNode;
const allItems = [];

const document = {
  getElementById(id) {
    if (!byId[id]) byId[id] = makeNode("div", id);
    return byId[id];
  },
  createElement(tag) {
    const node = makeNode(tag);
    if (tag === "li") allItems.push(node);
    return node;
  },
  createTextNode(text) {
    return { textContent: String(text), children: [] };
  },
  querySelectorAll() {
    return allItems;
  },
};

let frames = [];
const location = { hash: process.argv[3] || "" };
const window = {
  devicePixelRatio: 2,
  location,
  history: {
    replaceState(state, title, url) {
      location.hash = url;
    },
  },
  requestAnimationFrame(fn) {
    frames.push(fn);
  },
  addEventListener() {},
};
function flush() {
  const pending = frames;
  frames = [];
  pending.forEach((fn) => fn());
}

const sandbox = { document, window, console };
vm.runInNewContext(codeMatch[1], sandbox, { filename: "map.js" });
flush();
const afterFirstDraw = Object.assign({}, calls);

const data = JSON.parse(dataMatch[1]);
// zoom in at the centre, pan, hover over the first incident, click it
canvas.dispatch("wheel", { clientX: 450, clientY: 300, deltaY: -200, deltaMode: 0 });
flush();
canvas.dispatch("pointerdown", { button: 0, clientX: 400, clientY: 300, pointerId: 1 });
canvas.dispatch("pointermove", { clientX: 460, clientY: 330, pointerId: 1 });
canvas.dispatch("pointerup", { clientX: 460, clientY: 330, pointerId: 1 });
flush();
byId["zw-fit-zones"].dispatch("click", {});
flush();
const tooltip = byId["zw-tooltip"];
let incidentTooltip = "";
if (data.incidents.length) {
  // the incident list items come after the vessel items; click the first one
  const item = allItems.find((li) => li.listeners.click);
  item.dispatch("click", {});
  flush();
  incidentTooltip = tooltip.hidden ? "" : tooltip.textContent;
}
// sweep the mouse across the canvas looking for a track tooltip
let trackTooltip = "";
byId["zw-none"].dispatch("click", {});
byId["zw-all"].dispatch("click", {});
canvas.dispatch("keydown", { key: "Escape" });
for (let y = 5; y < 600 && !trackTooltip; y += 7) {
  for (let x = 5; x < 900 && !trackTooltip; x += 7) {
    canvas.dispatch("pointermove", { clientX: x, clientY: y });
    if (!tooltip.hidden && /time/.test(tooltip.textContent)) trackTooltip = tooltip.textContent;
  }
}
flush();

process.stdout.write(
  JSON.stringify({
    firstDraw: afterFirstDraw,
    total: calls,
    title: byId["zw-title"].textContent,
    hash: location.hash,
    attribution: byId["zw-attribution"].textContent,
    vesselRows: byId["zw-vessels"].children.length,
    incidentRows: byId["zw-incidents"].children.length,
    incidentTooltip,
    trackTooltip,
  })
);
