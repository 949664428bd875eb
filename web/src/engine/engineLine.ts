// The header's one line saying which engine the page runs on (#engine, data-engine "server" or
// "in-page"), and, in the page, how fast it trains.

export function engineLine(engine: 'server' | 'in-page', text: string): HTMLElement {
  const line = document.createElement('span');
  line.id = 'engine';
  line.className = 'site-engine';
  line.dataset.engine = engine;
  line.textContent = text;
  document.querySelector('.site-header')?.append(line);
  return line;
}
