import { ArgumentError } from '@msae/core';
/**
 * A CLIP model folder the visitor picks from disk (`<input type="file" webkitdirectory>`), handed to transformers.js
 * without any network: its files answer transformers.js' cache lookups (`env.customCache`) under a virtual path.
 */

/** A picked file: `webkitRelativePath` is "<picked folder>/<path inside it>" for a directory pick. */
export type PickedFile = Pick<File, 'name' | 'size' | 'type'> & { webkitRelativePath?: string } & Blob;

export interface LocalModelFolder {
  /** The model id transformers.js is asked for (the folder's name, made a valid Hub-style id). */
  model: string;
  /** The folder's files by their path inside the model folder (the folder holding config.json), e.g. "onnx/model.onnx". */
  files: Map<string, PickedFile>;
}

/** The virtual URL folder the picked models live under (never requested from a server when the files are there). */
export const LOCAL_MODEL_ROOT = '/msae-local-model/';

const pathOf = (f: PickedFile) => f.webkitRelativePath || f.name;

/**
 * The file map of a picked folder: the shallowest config.json marks the model folder (a pick may be the model
 * folder itself or a folder above it); every file below it is kept by its path inside it.
 */
export function modelFolderFromFiles(picked: ArrayLike<PickedFile>): LocalModelFolder {
  const all = Array.from(picked);
  const configs = all.map(pathOf).filter((p) => p === 'config.json' || p.endsWith('/config.json'));
  if (configs.length === 0) {
    throw new ArgumentError('the picked folder has no config.json', 'pick the CLIP model folder itself (config.json, tokenizer files, onnx/*.onnx)');
  }
  const config = configs.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
  const root = config.slice(0, config.length - 'config.json'.length); // "" or "a/b/"
  const files = new Map<string, PickedFile>();
  for (const f of all) {
    const p = pathOf(f);
    if (p.startsWith(root)) files.set(p.slice(root.length), f);
  }
  if (![...files.keys()].some((p) => p.endsWith('.onnx'))) {
    throw new ArgumentError(`the model folder ${root || '(picked)'} has no .onnx file`, `transformers.js needs the ONNX weights (onnx/*.onnx)`);
  }
  const folderName = root.split('/').filter(Boolean).pop() ?? 'model';
  return { model: `local/${folderName.replace(/[^A-Za-z0-9._-]/g, '-') || 'model'}`, files };
}

/** The picked file that answers a transformers.js lookup (`<root><model>/<path>`, as a path or a URL), if any. */
export function lookUp(folder: LocalModelFolder, request: string): PickedFile | undefined {
  const prefix = `${LOCAL_MODEL_ROOT}${folder.model}/`;
  const path = request.startsWith('http') ? new URL(request).pathname : request;
  if (!path.startsWith(prefix)) return undefined;
  return folder.files.get(decodeURIComponent(path.slice(prefix.length)));
}

/** A Web-Cache-like object over the picked files: `match` answers with the file, `put` keeps nothing. */
export function localModelCache(folder: LocalModelFolder) {
  return {
    async match(request: string | { url: string }): Promise<Response | undefined> {
      const file = lookUp(folder, typeof request === 'string' ? request : request.url);
      if (!file) return undefined;
      return new Response(file, { headers: { 'content-length': String(file.size), 'content-type': file.type || 'application/octet-stream' } });
    },
    async put(): Promise<void> {},
  };
}

/** The part of transformers.js' `env` this module sets (and restores). */
export interface TransformersCacheEnv {
  useCustomCache: boolean;
  customCache: unknown;
}

/** Run `embed` with transformers.js reading the picked folder; the previous cache settings come back afterwards. */
export async function withLocalModel<T>(env: TransformersCacheEnv, folder: LocalModelFolder, embed: (at: { model: string; localModelPath: string }) => Promise<T>): Promise<T> {
  const saved = { useCustomCache: env.useCustomCache, customCache: env.customCache };
  env.useCustomCache = true;
  env.customCache = localModelCache(folder);
  try {
    return await embed({ model: folder.model, localModelPath: LOCAL_MODEL_ROOT });
  } finally {
    env.useCustomCache = saved.useCustomCache;
    env.customCache = saved.customCache;
  }
}

/** Folders picked in this page, by model id (text queries in Search reuse the folder Your photos used). */
const picked = new Map<string, LocalModelFolder>();

export function rememberFolder(folder: LocalModelFolder): void {
  picked.set(folder.model, folder);
}

/** The picked folder behind a model choice, or null when the choice is not a picked folder. Throws when it was picked before a reload. */
export function pickedFolderFor(choice: { model: string; localModelPath?: string }): LocalModelFolder | null {
  if (choice.localModelPath !== LOCAL_MODEL_ROOT) return null;
  const folder = picked.get(choice.model);
  if (!folder) throw new ArgumentError(`the model folder ${choice.model.replace(/^local\//, '')} was picked before this page was reloaded`, `pick it again in Your photos`);
  return folder;
}
