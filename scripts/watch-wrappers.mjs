// The root scripts run a CLI under wrappers (npx -> sh -c pnpm -> pnpm -> sh -c node): `docker stop`, a
// scheduler or an IDE that signals only the outermost wrapper kills it, and the CLI below runs on unnoticed
// (npm forwards the signal to `sh`, which does not pass it on). watchWrappers records the chain of wrapper
// processes above this one (Linux /proc) and, when a link of it breaks (a wrapper died or was re-parented),
// sends this process SIGHUP, as a closed terminal would, so the CLI's own handler saves and exits.
import { readFileSync } from 'node:fs';

const WRAPPER = /(^|[/\s])(npm|npx|pnpm|sh|bash|dash)(\s|$)|npm exec|npm-cli|pnpm\.c?js|run-cli\.mjs/;

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The wrapper processes above this one, nearest first: [{ pid, ppid }]. */
export function wrapperChain(start = process.ppid) {
  const chain = [];
  for (let pid = start; pid > 1 && chain.length < 16; ) {
    if (!WRAPPER.test(commandOf(pid))) break;
    const ppid = parentOf(pid);
    if (ppid < 0) break;
    chain.push({ pid, ppid });
    pid = ppid;
  }
  return chain;
}

/** Poll the wrapper chain every `intervalMs`; on a break, SIGHUP this process once. No-op off Linux. */
export function watchWrappers({ intervalMs = 500, signal = 'SIGHUP' } = {}) {
  if (process.platform !== 'linux') return;
  const chain = wrapperChain();
  if (chain.length === 0) return;
  const timer = setInterval(() => {
    if (chain.every((link) => parentOf(link.pid) === link.ppid)) return;
    clearInterval(timer);
    process.kill(process.pid, signal);
  }, intervalMs);
  timer.unref();
}
