// Campaign table: sort by any column and filter by status, channel and owner.
// Dependency-free; without it the table is complete, only unsorted and unfiltered.
// The filters are kept in the page address (?status=running) so a filtered view can be shared.
(() => {
  const table = document.querySelector("table[data-sortable]");
  const form = document.querySelector(`form[data-filters-for="${table ? table.id : ""}"]`);
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });

  const sortValue = (row, index) => {
    const cell = row.cells[index];
    return cell.dataset.sort ?? cell.querySelector("time")?.getAttribute("datetime") ?? cell.textContent.trim();
  };

  const sortBy = (header, index) => {
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const numeric = header.dataset.sortType === "number";
    for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const sorted = rows.slice().sort((a, b) => {
      const x = sortValue(a, index);
      const y = sortValue(b, index);
      const order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
      return ascending ? order : -order;
    });
    body.append(...sorted);
  };

  Array.from(table.tHead.rows[0].cells).forEach((header, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...header.childNodes);
    header.append(button);
    button.addEventListener("click", () => sortBy(header, index));
  });

  if (!form) return;
  const selects = Array.from(form.querySelectorAll("select"));
  const count = form.querySelector("output");
  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && Array.from(select.options).some((option) => option.value === wanted)) select.value = wanted;
  }

  const matches = (row, name, value) => {
    if (!value) return true;
    if (name === "channel") return JSON.parse(row.dataset.channels || "[]").includes(value);
    return row.dataset[name] === value;
  };

  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      row.hidden = !selects.every((select) => matches(row, select.name, select.value));
      if (!row.hidden) shown += 1;
    }
    if (count) count.textContent = count.dataset.template.replace("{shown}", shown).replace("{total}", rows.length);
    const query = new URLSearchParams();
    for (const select of selects) if (select.value) query.set(select.name, select.value);
    const search = query.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  };

  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
})();
