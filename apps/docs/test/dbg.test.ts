import { it } from 'vitest';
import { launch } from './headless-browser.js';
import { serveSite } from './site-fixture.js';
it('dbg', async () => {
  const server = await serveSite();
  const b = await launch(server.origin, ['--disable-gpu']);
  const page = await b.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.goto(`${server.origin}/playground/search.html`);
  await new Promise((r) => setTimeout(r, 5000));
  console.log(await page.locator('.VPContent').innerText());
  console.log(b.errors, b.foreign);
  const t0 = Date.now();
  for (const p of ['/api/index.html', '/guide/engines.html', '/api/@msae/core/index.html']) { await page.goto(`${server.origin}${p}`, { waitUntil: 'load' }); }
  console.log('3 loads ms', Date.now() - t0);
  await b.close(); await server.close();
}, 120000);
