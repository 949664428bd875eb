// How a view builds its DOM: its markup written into the page's root, a lookup that names the
// view when an element is missing, and the few helpers every view's controls need.

/** Writes `html` into root; returns a lookup of its elements by selector that throws when one is missing. */
export function mount(root: HTMLElement, html: string, view: string): <T extends Element = HTMLElement>(selector: string) => T {
  root.innerHTML = html;
  return <T extends Element>(selector: string): T => {
    const el = root.querySelector<T>(selector);
    if (!el) throw new Error(`${view} markup: no element matches ${selector}`);
    return el;
  };
}

/** Replaces a select's options (labels default to the values); keeps its value when still offered. */
export function fillSelect(select: HTMLSelectElement, values: string[], labels: string[] = values): void {
  const current = select.value;
  select.replaceChildren(...values.map((v, i) => new Option(labels[i], v)));
  if (values.includes(current)) select.value = current;
}

/** Selects `value`, adding it as an option when the list does not hold it (a value from a link). */
export function setSelect(select: HTMLSelectElement, value: string): void {
  if (!Array.from(select.options).some((o) => o.value === value)) select.append(new Option(value, value));
  select.value = value;
}

/** Shows `tooltip` with `text` just below and right of the pointer, placed in the coordinates of `box` (its positioned parent's rect). */
export function showTooltip(tooltip: HTMLElement, text: string, event: MouseEvent, box: DOMRect): void {
  tooltip.textContent = text;
  tooltip.style.left = `${event.clientX - box.left + 12}px`;
  tooltip.style.top = `${event.clientY - box.top + 12}px`;
  tooltip.hidden = false;
}
