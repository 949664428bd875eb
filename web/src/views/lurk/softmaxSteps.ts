// How the output layer turns its logits into probabilities (CNN Explainer's softmax view): each
// class's logit, its exponential (of the logit less the largest, so nothing overflows: the
// quotient is the same), their sum, and each exponential over the sum. Computed here from the
// logits the server sent, beside the probabilities it sent.

export interface SoftmaxSteps {
  exps: number[];
  sum: number;
  probabilities: number[];
}

export function softmaxSteps(logits: number[]): SoftmaxSteps {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { exps, sum, probabilities: exps.map((e) => e / sum) };
}

export function drawSoftmaxSteps(host: HTMLElement, logits: number[], classes: string[], predicted: number): void {
  const s = softmaxSteps(logits);
  const top = Math.max(...logits);
  const table = document.createElement('table');
  table.className = 'softmax-steps';
  table.innerHTML = `<thead><tr><th>class</th><th>logit z</th><th>e<sup>z − ${top.toFixed(2)}</sup></th><th>÷ Σ = probability</th></tr></thead>`;
  const body = document.createElement('tbody');
  logits.forEach((z, c) => {
    const tr = document.createElement('tr');
    tr.dataset.class = String(c);
    if (c === predicted) tr.className = 'top';
    const cells = [classes[c] ?? String(c), z.toFixed(3), s.exps[c].toPrecision(4), `${(100 * s.probabilities[c]).toFixed(2)} %`];
    const keys = ['', 'logit', 'exp', 'probability'];
    const values = [NaN, z, s.exps[c], s.probabilities[c]];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (keys[i]) {
        td.className = keys[i];
        td.dataset.value = String(values[i]);
      }
      tr.append(td);
    });
    body.append(tr);
  });
  const foot = document.createElement('tfoot');
  foot.innerHTML = '<tr><td></td><td></td><td class="exp-sum"></td><td>1</td></tr>';
  const sumCell = foot.querySelector<HTMLElement>('.exp-sum')!;
  sumCell.textContent = `Σ = ${s.sum.toPrecision(4)}`;
  sumCell.dataset.value = String(s.sum);
  table.append(body, foot);
  const caption = document.createElement('p');
  caption.className = 'muted';
  caption.textContent = 'the output layer: logits → exponentials → normalised probabilities';
  host.replaceChildren(caption, table);
}
