import { ArgumentError, CFG_FILE, decodeCheckpoint, WEIGHTS_FILE } from '@msae/core';
import type { LoadedCheckpoint } from './session-store.js';

/** A checkpoint from its two files' contents (cfg.json text + sae_weights.safetensors bytes). */
export function checkpointFromFiles(cfgJson: string, weights: Uint8Array, source: string): LoadedCheckpoint {
  const ck = decodeCheckpoint(cfgJson, weights, source);
  const metrics = (ck.training as { metrics?: unknown } | undefined)?.metrics;
  return {
    source,
    config: ck.config,
    params: ck.params,
    normalization: ck.normalization,
    cfgJson,
    weights,
    records: Array.isArray(metrics) ? (metrics as LoadedCheckpoint['records']) : undefined,
  };
}

/** Read dropped/picked files: exactly one cfg.json and one *.safetensors. */
export async function checkpointFromDroppedFiles(files: File[]): Promise<LoadedCheckpoint> {
  const cfg = files.find((f) => f.name === CFG_FILE || f.name.endsWith('.json'));
  const weights = files.find((f) => f.name.endsWith('.safetensors'));
  if (!cfg || !weights) throw new ArgumentError('', `drop both ${CFG_FILE} and ${WEIGHTS_FILE} (got ${files.map((f) => f.name).join(', ') || 'nothing'})`);
  return checkpointFromFiles(await cfg.text(), new Uint8Array(await weights.arrayBuffer()), `${cfg.name} + ${weights.name}`);
}

/** Offer a file for download (an object URL on a temporary link). */
export function download(name: string, data: BlobPart, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
