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

/**
 * Shows `tooltip` with `text` just below and right of the pointer, placed in the coordinates of
 * `box` (its positioned parent's rect); near the box's right or bottom edge it flips to the
 * pointer's other side, so that it never reaches past the box (nor makes the page scroll).
 */
export function showTooltip(tooltip: HTMLElement, text: string, event: MouseEvent, box: DOMRect): void {
  tooltip.textContent = text;
  tooltip.hidden = false;
  const x = event.clientX - box.left;
  const y = event.clientY - box.top;
  const w = tooltip.offsetWidth;
  const h = tooltip.offsetHeight;
  tooltip.style.left = `${x + 12 + w <= box.width ? x + 12 : Math.max(0, x - 12 - w)}px`;
  tooltip.style.top = `${y + 12 + h <= box.height ? y + 12 : Math.max(0, y - 12 - h)}px`;
}

/** A select showing none of its choices, with `label` saying why (a choice there still applies to all). */
export function showUnchosen(select: HTMLSelectElement, label: string): void {
  let none = select.querySelector<HTMLOptionElement>('option[value=""]');
  if (!none) {
    none = new Option(label, '');
    none.disabled = true;
    select.prepend(none);
  }
  none.textContent = label;
  select.value = '';
}
