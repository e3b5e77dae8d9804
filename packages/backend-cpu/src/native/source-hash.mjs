// What a native binary was built from: sha256 over the names and contents of src/native/*.{cc,h,mjs}.
// build.mjs compares it with the prebuilt's manifest (prebuilds/<platform>-<arch>/msae_cpu.json).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function sourceHash(dir = here) {
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => /\.(cc|h|mjs)$/.test(n)).sort()) {
    h.update(`${f}\0`);
    h.update(readFileSync(path.join(dir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}
