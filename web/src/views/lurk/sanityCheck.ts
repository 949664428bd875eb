// The sanity check beside the map (Adebayo et al. 2018): the method's map once every weighted
// layer has been re-drawn at random, with the Spearman correlation of its |map| with the trained
// model's, and a small map per step of the cascade (one more layer randomised, from the top).
// A method that explains the model gives a map unlike the trained one (a low correlation).

import type { Tensor } from '../../lib/wire';
import type { SanityMessage } from './messages';
import { drawOverlay, makeCanvas, slice } from './tiles';

export function drawSanity(host: HTMLElement, m: SanityMessage, maps: Tensor, input: Tensor, opacity: number): void {
  const [steps, h, w] = maps.shape;
  const last = m.steps[steps - 1];
  const big = drawOverlay(makeCanvas(w, h, 'map-large'), input.values, slice(maps.values, steps - 1, h * w), w, h, opacity);
  big.id = 'sanity-map';
  const rho = document.createElement('div');
  rho.className = 'big-stat';
  rho.innerHTML = '<span class="big-value" id="sanity-rho"></span><span class="big-label"></span>';
  const value = rho.querySelector<HTMLElement>('#sanity-rho')!;
  value.textContent = `ρ = ${last.correlation.toFixed(2)}`;
  value.dataset.value = String(last.correlation);
  rho.querySelector('.big-label')!.textContent = `${m.method.replace(/_/g, ' ')} with every layer's weights random: rank correlation of |map| with the trained model's${last.correlation > 0.5 ? ' — high: this map shows the input more than the model' : ''}`;
  const cascade = document.createElement('div');
  cascade.className = 'sanity-steps';
  m.steps.forEach((s, i) => {
    const f = document.createElement('figure');
    f.dataset.step = String(i);
    const c = drawOverlay(makeCanvas(w, h, 'tile'), input.values, slice(maps.values, i, h * w), w, h, opacity);
    const cap = document.createElement('figcaption');
    cap.textContent = i === 0 ? 'trained' : `+ ${s.name}: ${s.correlation.toFixed(2)}`;
    f.append(c, cap);
    cascade.append(f);
  });
  host.replaceChildren(big, rho, cascade);
  host.dataset.seq = String(m.seq);
}
