// The site's pages, a row each. A new view is a folder under web/src/views, an entry script, a
// web/<page>.html naming that script, and a row here; vite.config.ts wraps every page in the
// site's frame from this table (head, title, header, the nav listing every row), so no page
// repeats another's.

export interface SitePage {
  file: string; // web/<file>, and its address beside the others
  label: string; // in the nav and the title
  subtitle: string; // what the page is for, beside the site's name
}

export const pages: readonly SitePage[] = [
  { file: 'index.html', label: 'Playground', subtitle: 'watch a small network learn, live' },
  { file: 'digits.html', label: 'Digits', subtitle: 'draw a digit and watch it flow through the network' },
  { file: 'inside.html', label: 'Inside', subtitle: 'watch a small network learn a 2D data set, from inside' },
  { file: 'lurk.html', label: 'Lurk', subtitle: 'read a trained network unit by unit, and see why it answers what it answers' },
  { file: 'runs.html', label: 'Runs', subtitle: 'every live and saved run, to open in a view, rename, star or delete' },
];

/** The whole document of page `file`, whose own markup (its entry script) is `body`. */
export function pageDocument(file: string, body: string): string {
  const page = pages.find((p) => p.file === file);
  if (!page) throw new Error(`web/${file}: not in web/pages.ts's table of pages`);
  const nav = pages
    .map((p) => `<a href="./${p.file}"${p === page ? ' aria-current="page"' : ''}>${p.label}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>netlens · ${page.label}</title>
  </head>
  <body>
    <header class="site-header">
      <h1>netlens</h1>
      <nav class="site-nav">${nav}</nav>
      <span class="site-subtitle">${page.label}: ${page.subtitle}</span>
    </header>
    <div id="app"></div>
    ${body.trim()}
  </body>
</html>
`;
}
