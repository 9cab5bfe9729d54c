// The page's behaviour: drawing, the panel, explain, filters, views in the URL fragment.
// Included inline by graph.html (the page makes no request); all text goes in with textContent.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const options = JSON.parse(data.options);

  function el(tag, text, attributes) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
    return element;
  }
  function safeLink(url, text) {
    if (!/^https?:\/\//.test(url)) return el("span", text);
    return el("a", text, { href: url, target: "_blank", rel: "noopener noreferrer" });
  }
  function unique(values) { return Array.from(new Set(values)); }
  // a claim's standing, with its hedge only where its evidence backs it
  function standingText(claim) { return claim.standing_label + (claim.modality ? ", " + claim.modality : ""); }
  function sourceNames(claim) { return unique(claim.evidence.map((item) => item.citation)).join("; "); }
  function tooltip(lines) {
    const box = el("div");
    lines.filter(Boolean).forEach((line, index) => box.appendChild(el(index ? "div" : "strong", line)));
    return box;
  }

  const nodes = new vis.DataSet(data.nodes.map((node) => Object.assign({}, node, {
    title: tooltip([node.label, node.info.kind_label, node.info.definition]),
  })));
  const edges = new vis.DataSet(data.edges.map((edge) => Object.assign({}, edge, {
    title: tooltip([edge.info.relation, edge.info.claims.map((c) => standingText(c) + " — " + sourceNames(c)).join("; ")]),
  })));

  // the page opens on one entity and its direct neighbours (data.opening; "start" nodes, laid
  // out by kind), the whole graph's view one click away; the whole graph's view draws the core.
  // Any other node is drawn once search finds it, a chain passes it or a neighbour is expanded
  // (double-click), and hidden again when that neighbour collapses
  const hiddenKinds = new Set();
  const revealedBy = new Map();  // node id not drawn by the view -> ids of what shows it
  const expanded = new Set();
  let scope = data.opening ? "start" : "all";
  function inView(node) { return scope === "start" ? Boolean(node.start) : node.drawn; }
  function opened(node) { return inView(node) || revealedBy.has(node.id); }
  // filters: what they hide (layers, kinds of source, directions of evidence, modalities),
  // the least certainty an item must have, and whether claims on the curators alone show;
  // a claim is drawn when an item of its evidence passes
  const filters = { layers: new Set(), sources: new Set(), dirs: new Set(), mods: new Set(), cert: 0, curated: false };
  function itemPasses(item) {
    return !filters.sources.has(item.source_kind) && !filters.dirs.has(item.direction) && item.certainty_rank >= filters.cert;
  }
  function claimPasses(claim) {
    if (filters.layers.has(claim.layer) || filters.mods.has(claim.standing)) return false;
    if (filters.curated && claim.rests_on_curators) return false;
    return claim.evidence.some(itemPasses);
  }
  function visible(node) { return opened(node) && !hiddenKinds.has(node.kind) && !filters.layers.has(node.info.layer); }
  const nodeView = new vis.DataView(nodes, { filter: visible });
  const edgeView = new vis.DataView(edges, {
    filter: (edge) => visible(nodes.get(edge.from)) && visible(nodes.get(edge.to)) && edge.info.claims.some(claimPasses),
  });
  const container = document.getElementById("network");
  // the opening view has its places (kinds apart, from page.py): no physics until the whole
  // graph is asked for
  if (scope === "start") options.physics = Object.assign({}, options.physics, { enabled: false });
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  document.body.dataset.view = scope;
  // performance marks, for benchmarks/bench_page_layers.py: the first draw and the settled layout
  network.once("afterDrawing", () => performance.mark("spasmkg-first-draw"));
  function settled() {
    performance.mark("spasmkg-settled");
    document.body.dataset.settled = "true";
    if (location.hash.length > 1) restore();  // a whole graph's view settles again
  }
  // fitted with a margin: vis-network fits the nodes, not the labels under them
  function fitted() { network.fit(); network.moveTo({ scale: network.getScale() * 0.97 }); }
  if (scope === "start") network.once("afterDrawing", () => setTimeout(() => { fitted(); settled(); }, 0));
  else network.once("stabilizationIterationsDone", () => { network.setOptions({ physics: false }); settled(); });

  const counts = document.getElementById("counts");
  const importedCount = data.nodes.filter((node) => !node.drawn).length;
  function showCounts() {
    const waiting = scope === "start"
      ? " · " + data.opening.label + " and its direct neighbours"
      : importedCount ? " · " + (importedCount - Array.from(revealedBy.keys()).filter((id) => !nodes.get(id).drawn).length) + " more in the imported layer: search, or double-click a node to expand it" : "";
    counts.textContent = nodeView.length + " nodes, " + edgeView.length + " edges drawn" + waiting;
  }
  function refresh() { nodeView.refresh(); edgeView.refresh(); showCounts(); }
  showCounts();

  // the whole graph, one click away (and back to the opening view)
  const whole = document.getElementById("whole");
  function startPlaces() {
    data.nodes.filter((node) => node.start && nodeView.get(node.id)).forEach((node) => network.moveNode(node.id, node.x, node.y));
  }
  function setScope(wanted) {
    if (!data.opening || wanted === scope) return;
    scope = wanted;
    document.body.dataset.view = scope;
    whole.textContent = scope === "start" ? "Show the whole graph (" + data.opening.whole + " nodes)" : "Back to " + data.opening.label;
    refresh();
    if (scope === "start") {
      network.setOptions({ physics: { enabled: false } });
      startPlaces();
      fitted();
    } else {
      document.body.dataset.settled = "false";
      network.setOptions({ physics: { enabled: true } });
      network.once("stabilizationIterationsDone", () => {
        network.setOptions({ physics: { enabled: false } });
        network.fit();
        document.body.dataset.settled = "true";
      });
      network.stabilize(options.physics.stabilization.iterations);
    }
    remember({ all: scope === "all" ? "1" : "" });
  }
  if (data.opening) {
    whole.hidden = false;
    whole.textContent = "Show the whole graph (" + data.opening.whole + " nodes)";
    whole.addEventListener("click", () => setScope(scope === "start" ? "all" : "start"));
  }

  // expanding: a node's neighbours of the imported layer join the drawing around it
  function neighbours(id) {
    return unique(edges.get({ filter: (edge) => edge.from === id || edge.to === id })
      .map((edge) => (edge.from === id ? edge.to : edge.from)));
  }
  function placeAround(id, candidates) {
    const ids = candidates.filter((other) => nodeView.get(other));  // a filter may hide some
    const centre = network.getPositions([id])[id] || { x: 0, y: 0 };
    ids.forEach((other, index) => {
      const angle = (2 * Math.PI * index) / ids.length;
      network.moveNode(other, centre.x + 160 * Math.cos(angle), centre.y + 160 * Math.sin(angle));
    });
  }
  function expand(id) {
    const fresh = neighbours(id).filter((other) => !opened(nodes.get(other)));
    neighbours(id).forEach((other) => {
      if (!inView(nodes.get(other))) revealedBy.set(other, (revealedBy.get(other) || new Set()).add(id));
    });
    expanded.add(id);
    refresh();
    placeAround(id, fresh);
    remember({ open: Array.from(expanded) });
    return fresh.length;
  }
  function collapse(id) {
    expanded.delete(id);
    let hidden = 0;
    revealedBy.forEach((openers, other) => {
      openers.delete(id);
      if (!openers.size && !expanded.has(other)) { revealedBy.delete(other); hidden += 1; }
    });
    refresh();
    remember({ open: Array.from(expanded) });
    return hidden;
  }
  function toggle(id) { return expanded.has(id) ? -collapse(id) : expand(id); }
  function reveal(id) {
    if (opened(nodes.get(id))) return;
    revealedBy.set(id, new Set(["search"]));  // stays drawn when its neighbours collapse
    refresh();
    // beside a drawn neighbour, else beside the drawing, not on top of what is drawn
    const near = neighbours(id).find((other) => other !== id && nodeView.get(other));
    if (nodeView.get(id)) {
      if (near) {
        const at = network.getPositions([near])[near];
        network.moveNode(id, at.x + 220, at.y - 140);
      } else {
        const xs = Object.values(network.getPositions(nodeView.getIds().filter((other) => other !== id))).map((at) => at.x);
        network.moveNode(id, (xs.length ? Math.max(...xs) : 0) + 300, 0);
      }
    }
    expand(id);
  }
  network.on("doubleClick", (event) => { if (event.nodes.length) toggle(event.nodes[0]); });

  // legend and filters
  const kinds = document.getElementById("kinds");
  data.legend.kinds.forEach((kind) => {
    const row = el("label", null, { class: "kind" });
    const box = el("input", null, { type: "checkbox", "data-kind": kind.name });
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) hiddenKinds.delete(kind.name); else hiddenKinds.add(kind.name);
      refresh();
      remember({ hide: Array.from(hiddenKinds) });
    });
    const swatch = el("span", null, { class: "swatch" });
    swatch.style.background = kind.color;
    row.append(box, swatch, el("span", kind.label + " (" + kind.count + ")"));
    kinds.appendChild(row);
  });
  const filterBox = document.getElementById("filters");
  const everyClaim = data.edges.flatMap((edge) => edge.info.claims);
  const everyItem = everyClaim.flatMap((claim) => claim.evidence);
  function checkboxes(title, key, values) {
    const group = el("fieldset");
    group.appendChild(el("legend", title));
    values.forEach(([value, text]) => {
      const row = el("label");
      const box = el("input", null, { type: "checkbox", "data-filter": key, value: value });
      box.checked = true;
      box.addEventListener("change", () => {
        if (box.checked) filters[key].delete(value); else filters[key].add(value);
        refresh();
        remember({ [key]: Array.from(filters[key]) });
      });
      row.append(box, document.createTextNode(" " + text));
      group.appendChild(row);
    });
    filterBox.appendChild(group);
  }
  const layersPresent = unique(data.nodes.map((node) => node.info.layer)).sort();
  if (layersPresent.length > 1) checkboxes("Layer", "layers", layersPresent.map((layer) => [layer, layer]));
  checkboxes("Direction of evidence", "dirs", ["supports", "refutes", "inconclusive"]
    .filter((d) => everyItem.some((item) => item.direction === d)).map((d) => [d, d]));
  checkboxes("Standing", "mods", unique(everyClaim.map((claim) => claim.standing)).sort()
    .map((name) => [name, everyClaim.find((claim) => claim.standing === name).standing_label]));
  checkboxes("Kind of source", "sources", unique(everyItem.map((item) => item.source_kind)).sort().map((k) => [k, k]));
  const certaintyRow = el("label", "Least certainty", { class: "certainty" });
  const certainty = el("select", null, { id: "min-certainty" });
  certainty.appendChild(el("option", "any, graded or not", { value: "0" }));
  unique(everyItem.filter((item) => item.certainty_rank > 0).map((item) => item.certainty_rank)).sort((a, b) => a - b).forEach((rank) => {
    const names = unique(everyItem.filter((item) => item.certainty_rank === rank).map((item) => item.certainty_label));
    certainty.appendChild(el("option", "rank " + rank + " or more (" + names.join(", ") + ")", { value: String(rank) }));
  });
  certainty.addEventListener("change", () => { filters.cert = Number(certainty.value); refresh(); remember({ cert: filters.cert ? certainty.value : "" }); });
  certaintyRow.appendChild(certainty);
  filterBox.appendChild(certaintyRow);
  const curatedRow = el("label");
  const curated = el("input", null, { type: "checkbox", id: "hide-curated" });
  curated.addEventListener("change", () => { filters.curated = curated.checked; refresh(); remember({ curated: curated.checked ? "1" : "" }); });
  curatedRow.append(curated, document.createTextNode(" Hide what rests on the curators alone"));
  filterBox.appendChild(el("div")).appendChild(curatedRow);

  const relations = document.getElementById("relations");
  data.legend.relations.forEach((relation) => {
    const row = el("div", null, { class: "kind" });
    const line = el("span", null, { class: "line" });
    line.style.borderTopStyle = relation.dashes ? "dashed" : "solid";
    line.style.borderTopColor = relation.color;
    row.append(line, el("span", relation.label));
    relations.appendChild(row);
  });

  // details panel
  const info = document.getElementById("info");
  function definitionList(pairs) {
    const list = el("dl");
    pairs.forEach(([term, value]) => {
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
      list.appendChild(el("dt", term));
      const description = el("dd");
      if (value instanceof Node) description.appendChild(value); else description.textContent = String(value);
      list.appendChild(description);
    });
    return list;
  }
  function evidenceRow(item) {
    const row = el("div", null, { class: "evidence " + item.direction, "data-direction": item.direction });
    row.appendChild(el("div", item.direction + " · " + (item.certainty_label || "not graded") + " · " + item.evidence_type_label, { class: "evidence-head" }));
    row.appendChild(el("div")).appendChild(item.link ? safeLink(item.link, item.citation) : el("span", item.citation));
    [["in", item.population], ["dose or route", item.dose_route], ["where", item.jurisdiction], ["measured", item.measured], ["frequency", item.frequency]]
      .filter(([, value]) => value).forEach(([name, value]) => row.appendChild(el("div", name + ": " + value, { class: "qualifier" })));
    if (item.finding) row.appendChild(el("div", item.finding, { class: "finding" }));
    return row;
  }

  // the entity panel: the node's claims grouped by meaning (sections from styles.json), each
  // direction of evidence where it belongs, so what does not work is never read as what does
  const SECTION_LIMIT = 50;
  function claimEntries(id) {
    const entries = [];
    edges.get({ filter: (edge) => edge.from === id || edge.to === id }).forEach((edge) => {
      const side = edge.from === id ? "subject" : "object";
      const other = side === "subject" ? edge.to : edge.from;
      edge.info.claims.forEach((claim) => entries.push({ claim: claim, side: side, other: other }));
    });
    return entries;
  }
  function sectionOf(claim, side, direction) {
    return data.sections.find((section) => section.direction === direction
      && (section.side === "either" || section.side === side)
      && (!section.relations.length || section.relations.includes(claim.predicate)));
  }
  function claimGroups(id) {
    const grouped = new Map();
    // a claim goes where its standing puts it: what holds (supported or mixed) under its
    // relation, with any evidence against beside the support; the rest under "does not
    // work" or "unsettled", so no claim the evidence does not back reads as holding
    claimEntries(id).forEach(({ claim, side, other }) => {
      const section = sectionOf(claim, side, data.section_of_standing[claim.standing]);
      if (!section) return;
      if (!grouped.has(section.title)) grouped.set(section.title, []);
      grouped.get(section.title).push({ claim: claim, other: other, items: claim.evidence });
    });
    return data.sections.filter((section) => grouped.has(section.title))
      .map((section) => [section.title, grouped.get(section.title)]);
  }
  function showClaimGroups(id) {
    claimGroups(id).forEach(([title, rows]) => {
      const box = el("section", null, { class: "claims-group", "aria-label": title });
      box.appendChild(el("h2", title + " (" + rows.length + ")"));
      const list = el("ul", null, { class: "claims" });
      rows.slice(0, SECTION_LIMIT).forEach(({ claim, other, items }) => {
        const entry = el("li", null, { class: "claim-entry" });
        const target = nodes.get(other);
        const go = el("button", target ? target.label : other, { type: "button", class: "goto", "data-node": other });
        go.addEventListener("click", () => focusNode(other));
        const context = claim.context_label ? " · in " + claim.context_label : "";
        entry.append(go, el("span", " " + claim.predicate_label + " · " + standingText(claim) + context, { class: "claim-line" }));
        items.forEach((item) => entry.appendChild(evidenceRow(item)));
        list.appendChild(entry);
      });
      box.appendChild(list);
      if (rows.length > SECTION_LIMIT) box.appendChild(el("p", "and " + (rows.length - SECTION_LIMIT) + " more", { class: "hint" }));
      info.appendChild(box);
    });
  }

  function showNode(id) {
    const node = nodes.get(id);
    if (!node) return;
    info.replaceChildren(el("div", node.label, { class: "title" }), el("div", node.info.kind_label, { class: "kind-label" }));
    const ids = el("div");
    node.info.identifiers.forEach((identifier) => {
      const row = el("div");
      row.append(safeLink(identifier.iri, identifier.curie), el("span", " " + identifier.vocabulary));
      ids.appendChild(row);
    });
    info.appendChild(definitionList([
      ["Definition", node.info.definition],
      ["Also called", node.info.synonyms.join(", ")],
      ["IRI", safeLink(node.info.iri, node.info.curie)],
      ["Identifiers", node.info.identifiers.length ? ids : ""],
      ["Layer", node.info.layer === "core" ? "" : "imported: " + node.info.layer + " (double-click to expand or collapse its neighbours)"],
    ]));
    const ends = el("div", null, { class: "explain-ends" });
    [["Explain from here", "explain-from"], ["Explain to here", "explain-to"]].forEach(([text, field]) => {
      const button = el("button", text, { type: "button" });
      button.addEventListener("click", () => {
        document.getElementById(field).value = node.label;
        const other = document.getElementById(field === "explain-from" ? "explain-to" : "explain-from");
        if (other.value) explainBetween(document.getElementById("explain-from").value, document.getElementById("explain-to").value);
      });
      ends.appendChild(button);
    });
    info.appendChild(ends);
    showClaimGroups(id);
  }
  function showEdge(id) {
    const edge = edges.get(id);
    if (!edge) return;
    info.replaceChildren(
      el("div", nodes.get(edge.from).label + " → " + nodes.get(edge.to).label, { class: "title" }),
      el("div", edge.info.relation, { class: "kind-label" }));
    edge.info.claims.forEach((claim) => {
      const box = el("div", null, { class: "claim" });
      const items = el("div");
      claim.evidence.forEach((item) => items.appendChild(evidenceRow(item)));
      box.appendChild(definitionList([
        ["Claim", claim.claim], ["Standing", claim.standing_label], ["Modality", claim.modality || ""], ["Context", claim.context_label],
        ["Mechanism", claim.mechanism_labels.join(", ")], ["Note", claim.note],
        ["Layer", claim.layer === "core" ? "" : "imported: " + claim.layer + " (see the licence of its named graph)"],
        ["Simple view", claim.simple_view || "none: the claim is bound to a context or its evidence disagrees"],
        ["Evidence", claim.evidence.length ? items : ""],
      ]));
      info.appendChild(box);
    });
  }
  network.on("click", (event) => {
    if (event.nodes.length) showNode(event.nodes[0]);
    else if (event.edges.length) showEdge(event.edges[0]);
  });
  network.on("hoverNode", (event) => showNode(event.node));

  // explain: the chains between two entities, formed, grouped and ranked as `spasmkg explain`
  // does, by the ontology's composition rules (data.rules): a relation follows only the roles
  // its role allows, efficacy never passes along a class link unless shown class-wide, a chain
  // holds at most one context; then three groups: what holds, what the evidence speaks
  // against or leaves open, and what holds only in a group not asked about
  const MAX_CHAIN = 4;
  const rules = data.rules;
  function compareLists(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length;
  }
  function edgeOrder(a, b) {  // as the library's walk: (relation, object, context), descending
    return compareLists([b.relation, b.object_iri, b.context], [a.relation, a.object_iri, a.context]);
  }
  function mayFollow(last, relation) {
    const role = rules.role[relation];
    if (!role) return false;
    if (role === rules.class_link || last === null) return true;
    return (rules.follows[last] || []).includes(role);
  }
  function walks(from, to, longest) {
    const found = [];
    const stack = [{ node: from, path: [], seen: new Set([from]), last: null, afterLink: false, context: "", inherited: false }];
    while (stack.length) {
      const walk = stack.pop();
      if (walk.node === to && walk.path.length) { found.push(walk); continue; }
      if (walk.path.length >= (longest || MAX_CHAIN)) continue;
      (data.steps[walk.node] || []).slice().sort(edgeOrder).forEach((step) => {
        if (walk.seen.has(step.to) || !mayFollow(walk.last, step.relation)) return;
        if (step.context && walk.context && step.context !== walk.context) return;
        const role = rules.role[step.relation];
        const link = role === rules.class_link;
        const inherits = walk.afterLink && !link;
        if (inherits && rules.passes[role] === rules.only_class_wide && !step.class_wide) return;
        stack.push({
          node: step.to, path: walk.path.concat([step]), seen: new Set([...walk.seen, step.to]),
          last: link ? walk.last : role, afterLink: link, context: step.context || walk.context,
          inherited: walk.inherited || inherits,
        });
      });
    }
    return found;
  }
  function chainOf(walk, from) {
    const steps = walk.path;
    const weakest = steps.reduce((low, step, i) => (compareLists(step.strength, steps[low].strength) < 0 ? i : low), 0);
    const holds = steps.every((step) => step.holds);
    const hedged = steps.reduce((low, step) => (step.modality_rank < low.modality_rank ? step : low));
    const bound = steps.find((step) => step.context);
    return { start: from, steps: steps, weakest: weakest, strength: steps[weakest].strength,
             standing: steps[weakest].standing, standingRank: steps[weakest].standing_rank, holds: holds,
             modality: holds ? hedged.modality : "", context: bound ? bound.context : "",
             contextCurie: bound ? bound.context_curie : "", contextLabel: bound ? bound.context_label : "",
             inherited: walk.inherited, likeIt: [] };
  }
  function labelsOf(chain) { return chain.steps.map((step) => step.to_label); }
  function chainOrder(a, b) {
    const key = (c) => [c.inherited ? 1 : 0, ...c.strength.map((x) => -x), c.steps.length];
    return compareLists(key(a), key(b)) || compareLists(labelsOf(a), labelsOf(b));
  }
  function againstOrder(a, b) {
    const key = (c) => { const w = c.steps[c.weakest].weight; return [c.standingRank, -w[0], -w[1], c.steps.length]; };
    return compareLists(key(a), key(b)) || compareLists(labelsOf(a), labelsOf(b));
  }
  function likeness(chain) {
    const own = chain.steps.filter((step) => rules.role[step.relation] !== rules.class_link).map((step) => [step.relation, step.object_iri]);
    return JSON.stringify([own, chain.steps[chain.steps.length - 1].object_iri, chain.context]);
  }
  function gathered(chains, order) {
    const firsts = new Map();
    chains.slice().sort(order).forEach((chain) => {
      const key = likeness(chain);
      if (firsts.has(key)) firsts.get(key).likeIt.push(chain); else firsts.set(key, chain);
    });
    return Array.from(firsts.values());
  }
  function explanation(from, to, asked, longest) {
    const groups = { chains: [], against: [], other_contexts: [] };
    walks(from, to, longest).map((walk) => chainOf(walk, from)).forEach((chain) => {
      if (!chain.holds) { if (!chain.inherited) groups.against.push(chain); }
      else if (!chain.context || asked.includes(chain.contextCurie)) groups.chains.push(chain);
      else groups.other_contexts.push(chain);
    });
    return { chains: gathered(groups.chains, chainOrder), against: gathered(groups.against, againstOrder),
             other_contexts: gathered(groups.other_contexts, chainOrder) };
  }
  function route(chain) {
    return chain.steps[0].from_label + chain.steps.map((step) => " -[" + step.label + "]-> " + step.to_label).join("");
  }
  let shownChains = [];
  function showChain(chain) {
    remember({ chain: String(shownChains.indexOf(chain) + 1) });
    const ids = unique([chain.start, ...chain.steps.map((step) => step.to)]);
    const fresh = ids.filter((id) => !opened(nodes.get(id)));
    fresh.forEach((id) => revealedBy.set(id, new Set(["chain"])));
    refresh();
    // a node the view did not draw goes beside the one before it on the chain
    ids.forEach((id, index) => {
      if (!fresh.includes(id) || !nodeView.get(id)) return;
      const before = index ? network.getPositions([ids[index - 1]])[ids[index - 1]] : null;
      const at = before || { x: 0, y: 0 };
      network.moveNode(id, at.x + 170, at.y + (index % 2 ? 70 : -70));
    });
    network.setSelection({ nodes: ids, edges: chain.steps.map((step) => step.claim) }, { highlightEdges: false });
    network.fit({ nodes: ids, animation: { duration: 300 } });
  }
  const GROUPS = [
    ["chains", "What the evidence supports"],
    ["against", "What the evidence speaks against or leaves open"],
    ["other_contexts", "Only in other groups"],
  ];
  const chainList = document.getElementById("chains");
  // a chosen chain in the side panel: its route and standing, then each step with its
  // evidence; a step's button opens that claim alone
  function showChainPanel(chain) {
    const where = chain.contextLabel ? " · only in " + chain.contextLabel : "";
    info.replaceChildren(el("div", route(chain), { class: "title chain-title" }),
      el("div", "chain of " + chain.steps.length + " step" + (chain.steps.length === 1 ? "" : "s") + " · " + chain.standing
        + (chain.modality ? ", " + chain.modality : "") + (chain.inherited ? ", inherited through a class link" : "") + where, { class: "kind-label" }));
    const list = el("ol", null, { class: "chain-panel" });
    chain.steps.forEach((step, index) => {
      const weakest = index === chain.weakest && chain.steps.length > 1;
      const row = el("li", null, { class: "chain-step" + (weakest ? " weakest" : ""), "data-claim": step.claim });
      const open = el("button", step.from_label + " → " + step.to_label, { type: "button", class: "goto" });
      open.addEventListener("click", () => showEdge(step.claim));
      row.append(open, el("div", step.label + " · " + step.standing + (step.modality ? ", " + step.modality : "")
        + (step.context_label ? " · in " + step.context_label : "") + (weakest ? " · weakest step" : ""), { class: "claim-line" }));
      const edge = edges.get(step.claim);
      if (edge) edge.info.claims.forEach((claim) => claim.evidence.forEach((item) => row.appendChild(evidenceRow(item))));
      list.appendChild(row);
    });
    info.appendChild(list);
    document.body.dataset.panel = "chain";
  }
  const explainStatus = document.getElementById("explain-status");
  function chainItem(chain) {
    const item = el("li", null, { class: "chain" });
    const standing = chain.standing + (chain.modality ? ", " + chain.modality : "")
      + (chain.inherited ? ", inherited through a class link" : "");
    const where = chain.contextLabel ? " (only in " + chain.contextLabel + ")" : "";
    const show = el("button", route(chain) + where + "   [" + standing + "]", { type: "button", class: "chain-route" });
    show.addEventListener("click", () => { showChain(chain); showChainPanel(chain); });
    const steps = el("ol", null, { class: "chain-steps" });
    chain.steps.forEach((step, index) => {
      const weakest = index === chain.weakest && chain.steps.length > 1;
      const row = el("li", null, weakest ? { class: "weakest" } : {});
      const text = step.label + " (" + step.standing + (step.modality ? ", " + step.modality : "") + ")" + (weakest ? " - weakest step" : "");
      const open = el("button", text, { type: "button", "data-claim": step.claim });
      open.addEventListener("click", () => { showChain(chain); showEdge(step.claim); });
      row.appendChild(open);
      steps.appendChild(row);
    });
    item.append(show, steps);
    if (chain.likeIt.length) item.appendChild(el("p", "and " + chain.likeIt.length + " more like it, through class links", { class: "hint" }));
    return item;
  }
  function explainBetween(fromText, toText, contextText) {
    const from = find(fromText), to = find(toText);
    const context = contextText && contextText.trim() ? find(contextText) : null;
    chainList.replaceChildren();
    const empty = { chains: [], against: [], other_contexts: [] };
    if (!from || !to) { explainStatus.textContent = "no node matches " + (from ? toText : fromText); return empty; }
    if (contextText && contextText.trim() && !context) { explainStatus.textContent = "no node matches " + contextText; return empty; }
    const answer = explanation(from.id, to.id, context ? [context.id] : []);
    shownChains = GROUPS.flatMap(([key]) => answer[key]);
    remember({ from: fromText, to: toText, ctx: contextText || "", chain: "" });
    explainStatus.textContent = answer.chains.length + " chain" + (answer.chains.length === 1 ? "" : "s") + " from " + from.label
      + " to " + to.label + (context ? " in " + context.label : "") + " that the evidence supports, surest first";
    GROUPS.forEach(([key, heading]) => {
      if (!answer[key].length) return;
      const group = el("li", null, { class: "chain-group", "data-group": key });
      group.appendChild(el("h3", heading + " (" + answer[key].length + ")"));
      const list = el("ol");
      answer[key].forEach((chain) => list.appendChild(chainItem(chain)));
      group.appendChild(list);
      chainList.appendChild(group);
    });
    document.body.dataset.chains = String(answer.chains.length);
    return Object.fromEntries(GROUPS.map(([key]) => [key, answer[key].map(route)]));
  }
  const contexts = document.getElementById("contexts");
  unique(Object.values(data.steps).flat().filter((step) => step.context).map((step) => step.context_label)).sort()
    .forEach((label) => contexts.appendChild(el("option", null, { value: label })));
  document.getElementById("explain").addEventListener("submit", (event) => {
    event.preventDefault();
    explainBetween(document.getElementById("explain-from").value, document.getElementById("explain-to").value,
                   document.getElementById("explain-context").value);
  });

  // why: the library's `spasmkg why` rules applied to the page's claims: warning signs of the
  // symptom's family and of the inputs, most urgent first; reasons from the person's own inputs
  // (explain's chains in their groups) before general causes (by kind, then evidence; a group or
  // a medicine is a reason only for who names it); rare diseases of imported layers apart unless named; what
  // may help and what does not in their groups; mimics
  const KIND_ORDER = data.why.kind_order, PERSONAL_KINDS = new Set(data.why.personal_kinds);
  const PER_INPUT = data.why.per_input, RARE_LIMIT = data.why.rare_limit;
  const CAUSAL = new Set(data.why.causal), EFFICACY = new Set(data.why.efficacy);
  function holdsClaim(claim) { return claim.standing === "supported" || claim.standing === "mixed"; }
  const claimsAt = new Map();
  everyClaim.forEach((claim) => [claim.subject, claim.object].forEach((id) => {
    if (!claimsAt.has(id)) claimsAt.set(id, []);
    if (!claimsAt.get(id).includes(claim)) claimsAt.get(id).push(claim);
  }));
  function claimsOf(id) { return claimsAt.get(id) || []; }
  function family(id, up, down) {
    const found = new Set([id]), stack = [id];
    while (stack.length) {
      const at = stack.pop();
      claimsOf(at).forEach((claim) => {
        if (claim.predicate !== "skos:broader" || !holdsClaim(claim)) return;
        const next = up && claim.subject === at ? claim.object : down && claim.object === at ? claim.subject : null;
        if (next && !found.has(next)) { found.add(next); stack.push(next); }
      });
    }
    return found;
  }
  function parentsOf(id) {
    return unique(claimsOf(id).filter((c) => c.subject === id && c.predicate === "skos:broader" && holdsClaim(c))
      .map((c) => c.object)).sort((a, b) => compareLists([nodes.get(a).info.iri], [nodes.get(b).info.iri]));
  }
  function tierOf(id) {
    const urgency = nodes.get(id).info.urgency || "";
    return [urgency.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()), (data.why.tiers[urgency] || 0)];
  }
  function chainsFor(source, targets, groups, longest) {
    const found = new Map(), reached = new Set(targets);
    targets.forEach((target) => {
      if (target === source) return;
      explanation(source, target, groups, longest).chains.forEach((chain) => {
        const passes = chain.steps.slice(0, -1).map((s) => s.to);
        if (!passes.some((id) => reached.has(id)) && !found.has(route(chain))) found.set(route(chain), chain);
      });
    });
    return Array.from(found.values()).sort((a, b) => (a.inherited - b.inherited) || compareLists(b.strength, a.strength));
  }
  function whyAnswer(symptom, takes, has, groups) {
    const targets = [symptom, ...parentsOf(symptom).filter((p) => parentsOf(p).length)];
    const upward = family(symptom, true, false);
    const symptoms = new Set([...upward, ...family(symptom, false, true)]);
    const about = new Map(Array.from(symptoms).sort((a, b) => compareLists([nodes.get(a).info.iri], [nodes.get(b).info.iri])).map((id) => [id, "symptom"]));
    [...takes, ...has].forEach((id) => family(id, true, false).forEach((f) => { if (!about.has(f)) about.set(f, id); }));
    const own = [];
    [...takes, ...has, ...groups].forEach((id) => chainsFor(id, targets, groups, 4).slice(0, PER_INPUT)
      .forEach((chain) => own.push({ cause: id, from: id, chain: chain })));
    const named = new Set(has);
    const into = new Set(targets.flatMap((t) => Array.from(family(t, false, true))));
    const causes = new Set();
    into.forEach((id) => claimsOf(id).forEach((claim) => {
      if (claim.object !== id || !CAUSAL.has(claim.predicate) || !holdsClaim(claim)) return;
      const node = nodes.get(claim.subject);
      if ((node.info.layer === "core" || named.has(claim.subject)) && !PERSONAL_KINDS.has(node.kind)) causes.add(claim.subject);
    }));
    const ownCauses = new Set(own.map((r) => r.cause));
    const general = Array.from(causes).sort((a, b) => compareLists([nodes.get(a).info.iri], [nodes.get(b).info.iri]))
      .map((id) => ({ cause: id, from: null, chain: chainsFor(id, targets, groups, 2)[0] }))
      .filter((r) => r.chain && !ownCauses.has(r.cause));
    const place = (r) => { const i = KIND_ORDER.indexOf(nodes.get(r.cause).kind); return i < 0 ? KIND_ORDER.length : i; };
    general.sort((a, b) => (place(a) - place(b)) || compareLists(b.chain.strength, a.chain.strength)
      || compareLists([nodes.get(a.cause).label], [nodes.get(b.cause).label]));
    const rare = new Map();
    symptoms.forEach((id) => claimsOf(id).forEach((claim) => {
      if (claim.object !== id || claim.predicate !== "skgo:hasPhenotype" || !holdsClaim(claim)) return;
      if (nodes.get(claim.subject).info.layer === "core" || named.has(claim.subject)) return;
      rare.set(claim.subject, true);
    }));
    const reported = [["symptom", symptoms], ...has.map((id) => [id, family(id, true, true)])];
    const rareCauses = Array.from(rare.keys()).map((id) => {
      const phenotypes = new Set(claimsOf(id).filter((c) => c.subject === id && c.predicate === "skgo:hasPhenotype" && holdsClaim(c)).map((c) => c.object));
      return { disease: id, accounts: reported.filter(([, ids]) => Array.from(ids).some((i) => phenotypes.has(i))).map(([w]) => w) };
    }).sort((a, b) => (b.accounts.length - a.accounts.length) || compareLists([nodes.get(a.disease).label], [nodes.get(b.disease).label]))
      .slice(0, RARE_LIMIT);
    const helps = [], fails = [];
    const groupSet = new Set(groups);
    Array.from(upward).sort().forEach((id) => claimsOf(id).forEach((claim) => {
      if (claim.object !== id || !EFFICACY.has(claim.predicate)) return;
      if (claim.context && !groupSet.has(claim.context)) return;
      (holdsClaim(claim) ? helps : fails).push(claim);
    }));
    helps.sort((a, b) => compareLists(b.strength, a.strength) || compareLists([a.claim], [b.claim]));
    fails.sort((a, b) => (a.strength[0] - b.strength[0]) || compareLists([a.claim], [b.claim]));
    const mimics = [];
    Array.from(symptoms).sort().forEach((id) => claimsOf(id).forEach((claim) => {
      if (claim.object !== id || claim.predicate !== "skgo:mistakenFor") return;
      if (claim.context && !groupSet.has(claim.context)) return;
      const tiers = claimsOf(claim.subject).filter((c) => c.subject === claim.subject && c.predicate === "skgo:seekCareWhen").map((c) => tierOf(c.object));
      const best = tiers.reduce((hi, t) => (t[1] > hi[1] ? t : hi), ["", 0]);
      mimics.push({ condition: claim.subject, claim: claim.claim, tier: best[0], rank: best[1] });
    }));
    mimics.sort((a, b) => (b.rank - a.rank) || compareLists([nodes.get(a.condition).label], [nodes.get(b.condition).label]));
    // the signs of what an own reason passes through, and of the mimics, go with it too
    own.forEach((r) => r.chain.steps.slice(0, -1).forEach((step) => { if (!about.has(step.to)) about.set(step.to, r.from); }));
    mimics.forEach((m) => { if (!about.has(m.condition)) about.set(m.condition, "symptom"); });
    const flags = new Map();
    about.forEach((input, id) => claimsOf(id).forEach((claim) => {
      if (claim.predicate !== "skgo:seekCareWhen" || claim.subject !== id || !holdsClaim(claim) || flags.has(claim.object)) return;
      const [tier, rank] = tierOf(claim.object);
      flags.set(claim.object, { sign: claim.object, tier: tier, rank: rank, claim: claim.claim });
    }));
    const redFlags = Array.from(flags.values()).sort((a, b) => (b.rank - a.rank) || compareLists([nodes.get(a.sign).label], [nodes.get(b.sign).label]));
    return { red_flags: redFlags, explanations: [...own, ...general], rare_causes: rareCauses, may_help: helps, does_not_help: fails, mimics: mimics };
  }
  const whyList = document.getElementById("why-answer");
  const whyStatus = document.getElementById("why-status");
  function whyLines(key, answer) {
    const label = (id) => nodes.get(id).label;
    if (key === "red_flags") return answer.red_flags.map((f) => ["[" + f.tier + "] " + label(f.sign) + ": " + (nodes.get(f.sign).info.definition || ""), f.claim, null]);
    if (key === "explanations") return answer.explanations.map((r) => [(r.from ? label(r.from) + ": " : "") + route(r.chain) + " [" + r.chain.standing + "]", r.chain.steps[r.chain.weakest].claim, r.chain]);
    if (key === "rare_causes") return answer.rare_causes.map((c) => [label(c.disease) + " (accounts for: " + (c.accounts.map((a) => (a === "symptom" ? "the symptom" : label(a))).join(", ")) + ")", null, null]);
    if (key === "mimics") return answer.mimics.map((m) => [label(m.condition) + (m.tier ? " [" + m.tier + "]" : ""), m.claim, null]);
    return answer[key].map((c) => [label(c.subject) + " for " + label(c.object) + (c.context_label ? " (in " + c.context_label + ")" : "") + " [" + c.standing_label + "]", c.claim, null]);
  }
  const WHY_SECTIONS = [["red_flags", "Get help if"], ["explanations", "Possible reasons"], ["rare_causes", "Rare conditions"],
                        ["may_help", "May help"], ["does_not_help", "Does not help, or is not shown to"], ["mimics", "It may not be what it seems"]];
  function whyBetween(symptomText, takesText, hasText, groupsText) {
    const read = (text) => text.split(/[,\n]/).map((w) => w.trim()).filter(Boolean);
    const symptom = find(symptomText);
    whyList.replaceChildren();
    if (!symptom) { whyStatus.textContent = "no node matches " + symptomText; return null; }
    const inputs = [read(takesText || ""), read(hasText || ""), read(groupsText || "")].map((words) => words.map(find).filter(Boolean).map((n) => n.id));
    const answer = whyAnswer(symptom.id, ...inputs);
    whyStatus.textContent = "Why " + symptom.label + ": information, not a diagnosis";
    WHY_SECTIONS.forEach(([key, heading]) => {
      const lines = whyLines(key, answer);
      if (!lines.length) return;
      const group = el("li", null, { class: "why-group", "data-group": key });
      group.appendChild(el("h3", heading + " (" + lines.length + ")"));
      const list = el("ol");
      lines.forEach(([text, claim, chain]) => {
        const item = el("li");
        const open = el("button", text, { type: "button", class: "why-line" });
        open.addEventListener("click", () => { if (chain) { showChain(chain); showChainPanel(chain); } else if (claim) showEdge(claim); });
        item.appendChild(open);
        list.appendChild(item);
      });
      group.appendChild(list);
      whyList.appendChild(group);
    });
    return {
      red_flags: answer.red_flags.map((f) => f.sign),
      explanations: answer.explanations.map((r) => [r.from, route(r.chain)]),
      rare_causes: answer.rare_causes.map((c) => c.disease),
      may_help: answer.may_help.map((c) => c.claim),
      does_not_help: answer.does_not_help.map((c) => c.claim),
      mimics: answer.mimics.map((m) => m.condition),
    };
  }
  document.getElementById("why").addEventListener("submit", (event) => {
    event.preventDefault();
    whyBetween(document.getElementById("why-symptom").value, document.getElementById("why-takes").value,
               document.getElementById("why-has").value, document.getElementById("why-groups").value);
  });

  // search
  const labels = document.getElementById("labels");
  data.nodes.forEach((node) => labels.appendChild(el("option", null, { value: node.label })));
  const search = document.getElementById("search");
  const status = document.getElementById("search-status");
  // names as spasmkg.model.names reads them (words, singular, normal, unordered mirror it):
  // case, apostrophes, possessives, punctuation and hyphens set aside, each word singular, a
  // leading article dropped; the names' own forms come from the resolver (data.names)
  const ARTICLES = new Set(["a", "an", "the", "my"]), JOINING = new Set(["at", "in", "of", "on"]);
  function singular(word) {
    if (word.length > 6 && word.endsWith("ing")) return word.slice(0, -3);
    if (word.length > 4 && (word.endsWith("chy") || word.endsWith("mpy"))) return word.slice(0, -1);
    if (word.length <= 3 || /(ss|us|is)$/.test(word)) return word;
    if (word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (/(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
    return word.endsWith("s") ? word.slice(0, -1) : word;
  }
  function words(text) {
    const plain = text.replace(/[\u2019\u2018`]/g, "'").toLowerCase()
      .replace(/'s\b|s'(?=\s|$)|'/g, (found) => (found === "s'" ? "s" : ""));
    return (plain.match(/[\p{L}\p{N}]+/gu) || []).filter((word) => !ARTICLES.has(word));
  }
  const normalForm = (text) => words(text).map(singular).join(" ");
  const unorderedForm = (text) => words(text).filter((w) => !JOINING.has(w)).map(singular).sort().join(" ");
  const byNormal = new Map(data.names.normal);
  const named = (indices) => (indices && indices.length ? data.nodes[indices[0]] : null);
  // the first tiers of `spasmkg search`: an identifier, the same words, the same words in
  // another order, a bare code, a name holding every word, then some of them; then a label
  // that starts with or holds what is typed
  function find(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return null;
    const exact = data.nodes.find((node) => node.id.toLowerCase() === wanted || node.label.toLowerCase() === wanted
      || node.info.identifiers.some((identifier) => identifier.curie.toLowerCase() === wanted));
    if (exact) return exact;
    const form = normalForm(text);
    if (!form) return null;
    const found = named(byNormal.get(form)) || named(data.names.unordered[unorderedForm(text)])
      || data.nodes.find((node) => node.info.identifiers.some((identifier) => identifier.curie.toLowerCase().split(":").slice(1).join(":") === wanted));
    if (found) return found;
    const asked = unique(form.split(" ").filter((w) => !JOINING.has(w)));
    let best = null, most = 0;
    for (const [name, indices] of data.names.normal) {
      const held = new Set(name.split(" "));
      const count = asked.filter((w) => held.has(w)).length;
      if (count && count === asked.length) return data.nodes[indices[0]];
      if (count > most) { most = count; best = data.nodes[indices[0]]; }
    }
    return data.nodes.find((node) => node.label.toLowerCase().startsWith(wanted))
      || data.nodes.find((node) => node.label.toLowerCase().includes(wanted)) || best;
  }
  function focusNode(id) {
    const node = nodes.get(id);
    if (hiddenKinds.has(node.kind)) {
      hiddenKinds.delete(node.kind);
      document.querySelector('input[data-kind="' + CSS.escape(node.kind) + '"]').checked = true;
      refresh();
    }
    reveal(id);
    if (nodeView.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: 1.4, animation: { duration: 300 } });
    } else {
      status.textContent = node.label + " is hidden by a filter";
    }
    showNode(id);
    document.body.dataset.focused = id;
    remember({ focus: id });
  }
  function focusOn(text) {
    const match = find(text);
    status.textContent = match || !text.trim() ? "" : "no node matches";
    if (match) focusNode(match.id);
  }
  // Enter searches; so does picking a suggestion, which fires "change" alone. Enter is also
  // followed by a "change" when the box loses focus: the same text is not searched twice (a
  // second search would restart the focus animation under the user's pointer).
  let searched = null;
  function searchOnce() {
    if (search.value === searched) return;
    searched = search.value;
    focusOn(search.value);
  }
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") { searched = null; searchOnce(); } });
  search.addEventListener("change", searchOnce);

  // the view lives in the URL fragment (focus, expanded nodes, hidden kinds, explain and its
  // chosen chain): a link reopens the same view, and back / forward step through views
  const view = { all: "", focus: "", open: [], hide: [], from: "", to: "", ctx: "", chain: "", layers: [], dirs: [], mods: [], sources: [], cert: "", curated: "" };
  let restoring = false;
  function remember(changes) {
    Object.assign(view, changes);
    if (restoring) return;
    const params = new URLSearchParams();
    Object.entries(view).forEach(([key, value]) => {
      const text = Array.isArray(value) ? value.join(",") : value;
      if (text) params.set(key, text);
    });
    const fragment = "#" + params.toString();
    if (fragment !== location.hash) history.pushState(null, "", fragment);
  }
  function restore() {
    const params = new URLSearchParams(location.hash.slice(1));
    const listed = (name) => (params.get(name) || "").split(",").filter((id) => nodes.get(id));
    restoring = true;
    try {
      setScope(params.get("all") === "1" ? "all" : "start");
      hiddenKinds.clear();
      const hide = (params.get("hide") || "").split(",");
      document.querySelectorAll("input[data-kind]").forEach((box) => {
        box.checked = !hide.includes(box.dataset.kind);
        if (!box.checked) hiddenKinds.add(box.dataset.kind);
      });
      ["layers", "dirs", "mods", "sources"].forEach((key) => {
        const hidden = (params.get(key) || "").split(",");
        filters[key] = new Set(hidden.filter(Boolean));
        document.querySelectorAll('input[data-filter="' + key + '"]').forEach((box) => { box.checked = !filters[key].has(box.value); });
      });
      filters.cert = Number(params.get("cert")) || 0;
      certainty.value = String(filters.cert);
      filters.curated = params.get("curated") === "1";
      curated.checked = filters.curated;
      revealedBy.clear();
      expanded.clear();
      listed("open").forEach((id) => {
        if (!opened(nodes.get(id))) revealedBy.set(id, new Set(["link"]));
        expand(id);
      });
      Object.assign(view, {
        all: scope === "all" && data.opening ? "1" : "", focus: "", from: "", to: "", ctx: "", chain: "", hide: Array.from(hiddenKinds), open: Array.from(expanded),
        layers: Array.from(filters.layers), dirs: Array.from(filters.dirs), mods: Array.from(filters.mods),
        sources: Array.from(filters.sources), cert: filters.cert ? String(filters.cert) : "", curated: filters.curated ? "1" : "",
      });
      const focus = params.get("focus");
      if (focus && nodes.get(focus)) focusNode(focus);
      const from = params.get("from"), to = params.get("to"), ctx = params.get("ctx") || "";
      chainList.replaceChildren();
      if (from && to) {
        document.getElementById("explain-from").value = from;
        document.getElementById("explain-to").value = to;
        document.getElementById("explain-context").value = ctx;
        explainBetween(from, to, ctx);
        const chosen = shownChains[Number(params.get("chain")) - 1];
        if (chosen) { showChain(chosen); showChainPanel(chosen); }
      }
      refresh();
    } finally {
      restoring = false;
    }
  }
  window.addEventListener("popstate", restore);  // back, forward, or a fragment typed in

  window.spasmkg = {
    network: network, nodes: nodes, edges: edges, focusOn: focusOn, focusNode: focusNode, toggle: toggle,
    explain: explainBetween,
    why: whyBetween,
    drawn: () => nodeView.getIds(),
    showWhole: () => setScope("all"),
    find: find,
    drawnEdges: () => edgeView.getIds(),
  };
})();
