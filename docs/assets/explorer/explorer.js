// The activation explorer: draws curves that a snippet computed with torch (values.json).
// It only looks values up and maps them to the screen; it never evaluates an activation.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const root = document.getElementById("explorer");
  if (!root) return;
  const W = 640, H = 400, PAD = { left: 48, right: 12, top: 12, bottom: 36 };
  const $ = (sel) => root.querySelector(sel);

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  // The index of the parameter value a slider points at, and the curve stored for it.
  function curve(data, key) {
    const family = data.functions[key];
    if (!family.parameter) return { label: family.label, values: family.curves[""] };
    const slider = $(`input[type=range][data-family="${key}"]`);
    const value = family.values[Number(slider.value)];
    return { label: `${family.label}, ${family.parameter} ${value}`, values: family.curves[value] };
  }

  function niceStep(span) {
    return span > 6 ? 2 : span > 3 ? 1 : span > 1.5 ? 0.5 : 0.25;
  }

  function draw(data) {
    const svg = $("svg.explorer__plot");
    svg.replaceChildren();
    const half = Number($("#explorer-range").value);
    const kind = $("#explorer-derivative").checked ? "df" : "f";
    const shown = [...root.querySelectorAll("input[data-show]:checked")].map((box) => box.dataset.show);
    const keep = data.x.map((x, i) => (Math.abs(x) <= half + 1e-9 ? i : -1)).filter((i) => i >= 0);
    const curves = shown.map((key) => ({ key, ...curve(data, key) }));
    const ys = curves.flatMap((c) => keep.map((i) => c.values[kind][i]));
    let yMin = Math.min(0, ...ys), yMax = Math.max(1, ...ys);
    const pad = (yMax - yMin) * 0.05;
    yMin -= pad; yMax += pad;
    const sx = (W - PAD.left - PAD.right) / (2 * half);
    const sy = (H - PAD.top - PAD.bottom) / (yMax - yMin);
    const px = (x) => PAD.left + (x + half) * sx;
    const py = (y) => PAD.top + (yMax - y) * sy;
    drawAxes(svg, half, yMin, yMax, px, py);
    // Points stay in data units; one transform maps them to the screen.
    const plot = el("g", { transform: `matrix(${sx} 0 0 ${-sy} ${px(0)} ${py(0)})`, class: "explorer__curves" }, svg);
    for (const c of curves) {
      const points = keep.map((i) => `${data.x[i]},${c.values[kind][i]}`).join(" ");
      el("polyline", { points, "data-curve": c.key, "data-kind": kind, class: `explorer__line explorer__line--${c.key}`,
        "vector-effect": "non-scaling-stroke", fill: "none" }, plot);
    }
    const what = kind === "df" ? "derivatives" : "values";
    const names = curves.map((c) => c.label).join("; ") || "no activation";
    const summary = `Showing the ${what} of ${names}, for x from ${-half} to ${half}.`;
    $(".explorer__summary").textContent = summary;
    svg.setAttribute("aria-label", summary);
  }

  function drawAxes(svg, half, yMin, yMax, px, py) {
    const axes = el("g", { class: "explorer__axes" }, svg);
    const xStep = niceStep(2 * half), yStep = niceStep(yMax - yMin);
    for (let x = -half; x <= half + 1e-9; x += xStep) {
      el("line", { x1: px(x), x2: px(x), y1: py(yMin), y2: py(yMax), class: "explorer__grid" }, axes);
      el("text", { x: px(x), y: H - PAD.bottom + 16, "text-anchor": "middle" }, axes).textContent = fmt(x);
    }
    for (let y = Math.ceil(yMin / yStep) * yStep; y <= yMax; y += yStep) {
      el("line", { x1: px(-half), x2: px(half), y1: py(y), y2: py(y), class: "explorer__grid" }, axes);
      el("text", { x: PAD.left - 6, y: py(y) + 4, "text-anchor": "end" }, axes).textContent = fmt(y);
    }
    el("line", { x1: px(-half), x2: px(half), y1: py(0), y2: py(0), class: "explorer__zero" }, axes);
    el("line", { x1: px(0), x2: px(0), y1: py(yMin), y2: py(yMax), class: "explorer__zero" }, axes);
    el("text", { x: (PAD.left + W - PAD.right) / 2, y: H - 4, "text-anchor": "middle" }, axes).textContent = "x";
  }

  function fmt(v) {
    return String(Math.round(v * 100) / 100).replace("-", "\u2212");
  }

  function showSliderValue(data, slider) {
    const family = data.functions[slider.dataset.family];
    const value = family.values[Number(slider.value)];
    slider.setAttribute("aria-valuetext", `${family.parameter} ${value}`);
    root.querySelector(`output[for="${slider.id}"]`).textContent = value;
  }

  function start(data) {
    for (const slider of root.querySelectorAll("input[type=range][data-family]")) {
      const family = data.functions[slider.dataset.family];
      slider.max = family.values.length - 1;
      slider.value = family.values.indexOf(slider.dataset.start);
      showSliderValue(data, slider);
      slider.addEventListener("input", () => { showSliderValue(data, slider); draw(data); });
    }
    const range = $("#explorer-range");
    const showRange = () => { root.querySelector('output[for="explorer-range"]').textContent = range.value; };
    range.max = Math.max(...data.x);  // the grid's own extent, not a number typed here
    showRange();
    range.addEventListener("input", () => { showRange(); draw(data); });
    for (const input of root.querySelectorAll("input[type=checkbox]")) input.addEventListener("change", () => draw(data));
    root.hidden = false;
    draw(data);
    root.dataset.ready = "true";
  }

  fetch(root.dataset.values)
    .then((response) => { if (!response.ok) throw new Error(`HTTP ${response.status}`); return response.json(); })
    .then((values) => start(values[root.dataset.name] || values))
    .catch((error) => {
      root.hidden = false;
      root.replaceChildren(`The explorer could not load its data (${error.message}).`);
    });
})();
