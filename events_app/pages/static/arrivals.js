// The live arrivals page: fetch the figures every few seconds and redraw them in place.
// On a failed fetch the last figures stay and the status says "reconnecting"; when the
// organiser's sign-in has ended (401) the browser goes to the sign-in form.
"use strict";

(() => {
  const root = document.getElementById("arrivals");
  if (!root) return;
  const source = root.dataset.source;
  const signIn = root.dataset.signIn;
  const every = Math.max(1, Number(root.dataset.refreshSeconds) || 5) * 1000;
  const labels = JSON.parse(document.getElementById("category-labels").textContent || "{}");
  // The page's words in its language (the console catalogue), for what this script redraws.
  const words = JSON.parse(document.getElementById("arrivals-words").textContent || "{}");
  let timer = 0;
  let stopped = false;
  let busy = false;

  const byId = (id) => document.getElementById(id);
  const setText = (id, value) => {
    byId(id).textContent = String(value);
  };
  // Times come in the gathering's timezone (2026-03-02T09:35:00+08:00): show them as sent.
  const clock = (iso, end) => (iso ? iso.slice(11, end) : "—");
  const percent = (part, whole) => (whole > 0 ? Math.floor((100 * part) / whole) : 0);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function row(key, value, heading, figures) {
    const tr = element("tr");
    tr.dataset[key] = value;
    const th = element("th");
    th.scope = "row";
    th.append(...heading);
    const shown = element("td", "num");
    shown.append(element("b", "", figures.checked_in), ` / ${figures.expected}`);
    const barCell = element("td", "bar-cell");
    const mini = element("span", "mini");
    const fill = element("span");
    fill.style.width = `${percent(figures.checked_in, figures.expected)}%`;
    mini.append(fill);
    barCell.append(mini);
    tr.append(th, shown, barCell, element("td", "num", figures.inside));
    return tr;
  }

  function tickStep(count) {
    if (count <= 12) return 1;
    if (count <= 36) return 3;
    return count <= 72 ? 6 : 12;
  }

  function renderSlots(slots) {
    const chart = byId("slots");
    if (!slots.length) {
      chart.replaceChildren(element("p", "empty", words.no_arrivals || "No arrivals yet."));
      return;
    }
    // Follow the latest slots, unless the organiser scrolled back to look at earlier ones.
    const following = chart.scrollLeft + chart.clientWidth >= chart.scrollWidth - 8;
    const most = Math.max(...slots.map((slot) => slot.count));
    const step = tickStep(slots.length);
    chart.replaceChildren(
      ...slots.map((slot, index) => {
        const item = element("div", "slot");
        item.setAttribute("role", "listitem");
        item.dataset.start = slot.start;
        item.title = `${slot.label}: ${slot.count}`;
        const well = element("span", "well");
        const bar = element("span", "bar");
        bar.style.height = `${percent(slot.count, most)}%`;
        well.append(bar);
        item.append(
          element("span", "count", slot.count || ""),
          well,
          element("span", "tick", index % step === 0 ? slot.label : ""),
        );
        return item;
      }),
    );
    if (following) showLatest();
  }

  // On a narrow screen the chart scrolls sideways: show the latest slots.
  function showLatest() {
    const chart = byId("slots");
    chart.scrollLeft = chart.scrollWidth;
  }

  function render(f) {
    setText("checked-in", f.checked_in);
    setText("expected", f.expected);
    const share = percent(f.checked_in, f.expected);
    setText("percent", share);
    byId("progress-bar").style.width = `${share}%`;
    const progress = byId("progress");
    progress.setAttribute("aria-valuemax", String(f.expected));
    progress.setAttribute("aria-valuenow", String(f.checked_in));
    setText("inside", f.inside);
    setText("not-arrived", f.not_arrived);
    setText("latest", clock(f.latest_arrival_at, 16));
    setText("cancelled", f.cancelled_after_check_in);
    byId("cancelled-note").hidden = !f.cancelled_after_check_in;
    byId("by-category").replaceChildren(
      ...f.by_category.map((c) =>
        row("category", c.category, [labels[c.category] || c.category], c),
      ),
    );
    const checkpoints = f.by_checkpoint.map((c) =>
      row("checkpoint", c.code, [c.name || c.name_en], c),
    );
    if (checkpoints.length) byId("by-checkpoint").replaceChildren(...checkpoints);
    renderSlots(f.slots);
    setText("earlier", f.earlier);
    byId("earlier-note").hidden = !f.earlier;
  }

  function showStatus(live, asOf) {
    const status = byId("status");
    status.classList.toggle("live", live);
    status.classList.toggle("reconnecting", !live);
    setText("status-text", live ? words.live || "Live" : words.reconnecting || "Reconnecting…");
    if (asOf) setText("as-of", clock(asOf, 19));
  }

  async function refresh() {
    if (busy) return;
    busy = true;
    const abort = new AbortController();
    const limit = setTimeout(() => abort.abort(), Math.max(every, 8000));
    try {
      const response = await fetch(source, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        signal: abort.signal,
      });
      if (response.status === 401) {
        stopped = true;
        window.location.assign(signIn);
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const figures = await response.json();
      render(figures);
      showStatus(true, figures.as_of);
    } catch {
      showStatus(false);
    } finally {
      clearTimeout(limit);
      busy = false;
      schedule();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(refresh, every);
  }

  // A hidden tab stops asking; it catches up as soon as it is shown again.
  document.addEventListener("visibilitychange", () => {
    clearTimeout(timer);
    if (!document.hidden && !stopped) refresh();
  });
  showLatest();
  schedule();
})();
