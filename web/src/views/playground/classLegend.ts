// The output panel's legend for a run of k > 2 classes: a swatch and the label of each class in
// the one class palette, in place of the −1..1 colour bar (styles: .scale-legend.classes).

import { cssClassColor } from '../../lib/colorScale';

export function showClassLegend(legend: HTMLElement, classes: number): void {
  legend.classList.toggle('classes', classes > 2);
  let list = legend.querySelector<HTMLElement>('.class-legend');
  if (!list) {
    list = document.createElement('span');
    list.className = 'class-legend';
    legend.prepend(list);
  }
  if (list.childElementCount === classes) return;
  list.replaceChildren(
    ...Array.from({ length: classes > 2 ? classes : 0 }, (_, c) => {
      const item = document.createElement('span');
      item.className = 'class-swatch';
      item.dataset.class = String(c);
      const swatch = document.createElement('i');
      swatch.style.background = cssClassColor(c);
      item.append(swatch, document.createTextNode(`class ${c}`));
      return item;
    }),
  );
}
