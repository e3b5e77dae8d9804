// scripts/watch-wrappers.mjs (used by the root scripts' run-cli.mjs): when a wrapper above the CLI is killed
// (npx stopped by `docker stop` or an IDE), the CLI gets SIGHUP, as a closed terminal would send.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const WATCH = fileURLToPath(new URL('../../../scripts/watch-wrappers.mjs', import.meta.url));

it.skipIf(process.platform !== 'linux')('a CLI under `sh -c` gets SIGHUP when the shell is killed', async () => {
  const child = `import { watchWrappers } from ${JSON.stringify(WATCH)};
process.on('SIGHUP', () => { process.stdout.write('SIGHUP\\n'); process.exit(129); });
watchWrappers({ intervalMs: 50 });
process.stdout.write('ready\\n');
setTimeout(() => { process.stdout.write('not signalled\\n'); process.exit(0); }, 20000);`;
  // `; exit $?` keeps sh alive as a wrapper (no exec of the last command)
  const sh = spawn('sh', ['-c', `"${process.execPath}" --input-type=module -e '${child.replace(/'/g, "'\\''")}'; exit $?`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const done = new Promise<void>((resolve) => {
    sh.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready') && sh.exitCode === null && !sh.killed) sh.kill('SIGKILL');
      if (/SIGHUP|not signalled/.test(out)) resolve();
    });
  });
  await done;
  expect(out).toBe('ready\nSIGHUP\n');
}, 30000);
