// Preloaded (node --require) into save-child: SIGKILLs the process when the save reaches the step named by
// MSAE_KILL_AT, as a power cut or `kill -9` would, so nothing after it runs (no catch, no finally):
//   complete  the rename .DIR.tmp-* -> .DIR.new-*          (the new checkpoint is written but not marked complete)
//   swap      right after the rename DIR -> .DIR.old-*      (between the two renames of the swap)
//   cleanup   the removal of .DIR.old-*                     (the swap is done, the old copy remains)
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');
const at = process.env.MSAE_KILL_AT;
const kill = () => process.kill(process.pid, 'SIGKILL');
const { rename, rm } = fs.promises;
fs.promises.rename = async (from, to) => {
  if (at === 'complete' && /\.new-\d+-[0-9a-f]+$/.test(String(to))) kill();
  const done = await rename(from, to);
  if (at === 'swap' && /\.old-\d+-[0-9a-f]+$/.test(String(to))) kill(); // after the first rename of the swap
  return done;
};
fs.promises.rm = async (path, options) => {
  if (at === 'cleanup' && /\.old-\d+-[0-9a-f]+$/.test(String(path))) kill();
  return rm(path, options);
};
syncBuiltinESMExports();
