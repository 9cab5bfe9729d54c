// spasmkg's configuration of YASGUI: this server's endpoint, no outside request, the named
// queries as examples, and a bar chart for results with a label and a number column.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const BAR_LIMIT = 40;

  function svg(name, attributes) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
    return node;
  }

  // The columns a chart can use: the first whose values are all numbers, and the first other.
  function chartColumns(results) {
    const variables = results.getVariables();
    const rows = results.getBindings();
    const numeric = (name) => rows.length > 0 && rows.every((row) => row[name] && row[name].value !== "" && !isNaN(Number(row[name].value)));
    const value = variables.find(numeric);
    const label = variables.find((name) => name !== value);
    return value && label ? { label: label, value: value, rows: rows.slice(0, BAR_LIMIT) } : null;
  }

  // A YASR plugin: horizontal bars, one per row, drawn as SVG with text nodes only.
  class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
    }
    canHandleResults() {
      return !!(this.yasr.results && this.yasr.results.getVariables && this.yasr.results.getBindings && chartColumns(this.yasr.results));
    }
    getIcon() {
      const icon = svg("svg", { viewBox: "0 0 16 16", width: "15", height: "15", "aria-hidden": "true" });
      [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(([x, y, w, h]) => icon.appendChild(svg("rect", { x: x, y: y, width: w, height: h, fill: "currentColor" })));
      return icon;
    }
    draw() {
      const columns = chartColumns(this.yasr.results);
      const values = columns.rows.map((row) => Number(row[columns.value].value));
      const top = Math.max(...values, 0) || 1;
      const rowHeight = 22, labelWidth = 320, barWidth = 420;
      const chart = svg("svg", { class: "spasmkg-chart", role: "img", width: String(labelWidth + barWidth + 60), height: String(rowHeight * values.length + 10) });
      const title = svg("title");
      title.textContent = columns.value + " by " + columns.label;
      chart.appendChild(title);
      columns.rows.forEach((row, index) => {
        const y = index * rowHeight + 4;
        const name = svg("text", { x: String(labelWidth - 6), y: String(y + 14), "text-anchor": "end" });
        const shown = row[columns.label] ? row[columns.label].value : "";
        name.textContent = shown.length > 48 ? shown.slice(0, 47) + "…" : shown;
        const width = Math.max(1, Math.round((values[index] / top) * barWidth));
        const bar = svg("rect", { x: String(labelWidth), y: String(y), width: String(width), height: String(rowHeight - 6), class: "bar" });
        const number = svg("text", { x: String(labelWidth + width + 4), y: String(y + 14) });
        number.textContent = String(values[index]);
        chart.append(name, bar, number);
      });
      const box = document.createElement("div");
      box.className = "spasmkg-chart-box";
      box.appendChild(chart);
      if (this.yasr.results.getBindings().length > BAR_LIMIT) {
        const note = document.createElement("p");
        note.textContent = "The first " + BAR_LIMIT + " rows are drawn.";
        box.appendChild(note);
      }
      this.yasr.resultsEl.appendChild(box);
    }
  }

  // YASGUI leaves a few controls without names for screen readers, and the query editor's
  // scroller out of keyboard reach: name them whenever YASGUI (re)draws them.
  const NAMES = [
    [".yasgui .autocomplete", "SPARQL endpoint"],
    [".yasqe textarea", "SPARQL query"],
    [".yasr input[type=search], .yasr .tableFilter", "Filter the results"],
    [".yasr .tableSizer", "Rows per page"],
  ];
  function mend(root) {
    NAMES.forEach(([selector, name]) => root.querySelectorAll(selector).forEach((node) => {
      if (!node.getAttribute("aria-label")) node.setAttribute("aria-label", name);
    }));
    root.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach((node) => node.setAttribute("tabindex", "0"));
  }

  function start() {
    const examples = JSON.parse(document.getElementById("examples-data").textContent);
    const endpoint = window.location.origin + "/sparql";
    // class and property completion ask the Linked Open Vocabularies service: leave them out
    Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter((name) => name === "prefixes" || name === "variables");
    Yasgui.Yasr.registerPlugin("chart", Chart);
    // plain values first: no datatypes, no angle brackets, no row numbers ("Simple view")
    Yasgui.Yasr.defaults.plugins.table.dynamicConfig = { compact: true };
    const wanted = examples.find((example) => "#" + example.name === window.location.hash) || examples[0];
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
      yasqe: { value: wanted ? wanted.text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" },
    });
    window.spasmkgEditor = yasgui;
    const title = document.getElementById("example-title");
    const description = document.getElementById("example-description");
    function show(example) {
      title.textContent = example.title;
      description.textContent = example.description;
    }
    if (wanted) show(wanted);
    const root = document.getElementById("yasgui");
    mend(root);
    new MutationObserver(() => mend(root)).observe(root, { childList: true, subtree: true });
    document.querySelectorAll("button.example").forEach((button) => {
      button.addEventListener("click", () => {
        const chosen = examples.find((example) => example.name === button.dataset.example);
        yasgui.getTab().setQuery(chosen.text);
        show(chosen);
        window.history.replaceState(null, "", "#" + chosen.name);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
