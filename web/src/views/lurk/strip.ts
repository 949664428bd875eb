// The network strip: every layer with its output shape and parameter count; the layers whose
// units Lurk scores are buttons, the one on show marked.

import type { NetworkLayer, ScoredLayer } from './messages';

export function shapeText(shape: number[]): string {
  return shape.join('×');
}

export function paramsText(n: number): string {
  return n === 0 ? 'no parameters' : `${n.toLocaleString('en-US')} parameters`;
}

export function drawStrip(host: HTMLElement, layers: NetworkLayer[], scored: ScoredLayer[], current: number, pick: (layer: number) => void): void {
  host.replaceChildren(
    ...layers.map((l) => {
      const item = document.createElement('li');
      const browsable = scored.some((s) => s.layer === l.index);
      const el = document.createElement(browsable ? 'button' : 'div');
      el.className = 'strip-layer';
      el.dataset.layer = String(l.index);
      if (l.index === current) el.setAttribute('aria-current', 'true');
      el.innerHTML = `<span class="strip-kind"></span><span class="strip-shape"></span><span class="strip-params"></span>`;
      el.querySelector('.strip-kind')!.textContent = l.kind;
      el.querySelector('.strip-shape')!.textContent = shapeText(l.shape);
      el.querySelector('.strip-params')!.textContent = paramsText(l.params);
      el.title = l.name;
      if (browsable) el.addEventListener('click', () => pick(l.index));
      item.append(el);
      return item;
    }),
  );
}
