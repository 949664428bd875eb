// The test set's confusion matrix under the output: rows are true classes, columns predicted ones.

export function showConfusion(table: HTMLTableElement, confusion: number[][] | undefined): void {
  table.hidden = !confusion;
  if (!confusion) return;
  const k = confusion.length;
  const name = (c: number) => (k === 2 ? (c === 0 ? '−1' : '+1') : String(c));
  const head = table.tHead!.rows[0];
  if (head.cells.length !== k + 1 || table.tBodies[0].rows.length !== k) {
    head.innerHTML = '<th>true \\ predicted</th>' + confusion.map((_, c) => `<th>${name(c)}</th>`).join('');
    table.tBodies[0].innerHTML = confusion.map((_, r) => `<tr><th>${name(r)}</th>${'<td></td>'.repeat(k)}</tr>`).join('');
  }
  const cells = table.querySelectorAll('tbody td');
  confusion.flat().forEach((n, i) => (cells[i].textContent = String(n)));
}
