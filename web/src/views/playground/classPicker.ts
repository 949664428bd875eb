// The class a click on the output adds: blue (+1) or orange (−1) for two classes (right click
// adds the other), one choice per class for k > 2 classes (labels 0..k−1, in the class palette).

import { cssClassColor, cssColorOf } from '../../lib/colorScale';

/** Rebuilds the choices for a run of `classes` (0 regression, 2 binary, k); keeps the choice when still offered. */
export function showClassPicker(container: HTMLElement, classes: number): void {
  const k = classes > 2 ? classes : 2;
  if (container.dataset.classes === String(k)) return;
  const checked = container.querySelector<HTMLInputElement>('input:checked')?.value;
  const choices: { value: string; text: string; color: string }[] =
    k > 2
      ? Array.from({ length: k }, (_, c) => ({ value: String(c), text: `class ${c}`, color: cssClassColor(c) }))
      : [
          { value: '1', text: 'blue (+1)', color: cssColorOf(1) },
          { value: '-1', text: 'orange (−1)', color: cssColorOf(-1) },
        ];
  const labels = choices.map(({ value, text, color }) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'click-class';
    input.value = value;
    const swatch = document.createElement('i');
    swatch.className = 'class-dot';
    swatch.style.background = color;
    label.append(input, swatch, document.createTextNode(` ${text}`));
    return label;
  });
  const note = document.createElement('p');
  note.className = 'muted small';
  note.textContent = k > 2 ? 'Pick the class, then click on the output.' : 'Right click adds the other class.';
  container.replaceChildren(...labels, note);
  const inputs = Array.from(container.querySelectorAll<HTMLInputElement>('input'));
  (inputs.find((i) => i.value === checked) ?? inputs[0]).checked = true;
  container.dataset.classes = String(k);
}

/** The label a click adds: the picked class, or for two classes with `otherClass` (right click) the other one. */
export function pickedLabel(container: HTMLElement, otherClass: boolean): number {
  const picked = Number(container.querySelector<HTMLInputElement>('input:checked')?.value ?? 1);
  return otherClass && Number(container.dataset.classes ?? 2) <= 2 ? -picked : picked;
}
