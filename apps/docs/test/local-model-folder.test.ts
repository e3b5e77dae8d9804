/** The file map of a model folder picked from disk, and the cache lookups transformers.js makes against it. */
import { describe, expect, it } from 'vitest';
import { LOCAL_MODEL_ROOT, localModelCache, lookUp, modelFolderFromFiles, pickedFolderFor, rememberFolder, withLocalModel, type PickedFile } from '../lib/local-model-folder.js';

const file = (path: string, text = path): PickedFile => Object.assign(new Blob([text]), { name: path.split('/').pop()!, webkitRelativePath: path });

describe('a local model folder', () => {
  it('keys the files by their path inside the folder that holds config.json (a pick one level above it too)', () => {
    const folder = modelFolderFromFiles([
      file('models/clip vit/config.json'),
      file('models/clip vit/tokenizer.json'),
      file('models/clip vit/onnx/model.onnx'),
      file('models/clip vit/onnx/vision_model.onnx'),
      file('models/README.md'),
      file('models/clip vit/nested/config.json'),
    ]);
    expect(folder.model).toBe('local/clip-vit');
    expect([...folder.files.keys()].sort()).toEqual(['config.json', 'nested/config.json', 'onnx/model.onnx', 'onnx/vision_model.onnx', 'tokenizer.json']);
  });

  it('refuses a folder without config.json or without ONNX weights, saying what is missing', () => {
    expect(() => modelFolderFromFiles([file('x/model.onnx')])).toThrow(/no config\.json/);
    expect(() => modelFolderFromFiles([file('x/config.json'), file('x/tokenizer.json')])).toThrow(/no \.onnx file/);
  });

  it('answers transformers.js lookups (paths and URLs) with the picked bytes and nothing else', async () => {
    const folder = modelFolderFromFiles([file('tiny/config.json', '{"a":1}'), file('tiny/onnx/model.onnx', 'ONNX')]);
    const at = `${LOCAL_MODEL_ROOT}${folder.model}/`;
    expect(lookUp(folder, `${at}onnx/model.onnx`)).toBe(folder.files.get('onnx/model.onnx'));
    expect(lookUp(folder, `http://127.0.0.1:5173${at}config.json`)).toBe(folder.files.get('config.json'));
    expect(lookUp(folder, `${at}tokenizer.json`)).toBeUndefined();
    expect(lookUp(folder, 'https://huggingface.co/local/tiny/resolve/main/config.json')).toBeUndefined();
    const cache = localModelCache(folder);
    const res = await cache.match(`${at}config.json`);
    expect(await res!.text()).toBe('{"a":1}');
    expect(res!.headers.get('content-length')).toBe('7');
    expect(await cache.match(`${at}missing.json`)).toBeUndefined();
  });

  it('sets transformers.js to the picked files while embedding and restores its cache settings afterwards, also on failure', async () => {
    const folder = modelFolderFromFiles([file('tiny/config.json'), file('tiny/onnx/model.onnx')]);
    const env = { useCustomCache: false, customCache: null as unknown };
    const seen = await withLocalModel(env, folder, async (at) => {
      expect(env.useCustomCache).toBe(true);
      return at;
    });
    expect(seen).toEqual({ model: 'local/tiny', localModelPath: LOCAL_MODEL_ROOT });
    expect(env).toEqual({ useCustomCache: false, customCache: null });
    await expect(withLocalModel(env, folder, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(env).toEqual({ useCustomCache: false, customCache: null });
  });

  it('finds the folder behind a model choice; after a reload it asks for the folder again', () => {
    const folder = modelFolderFromFiles([file('kept/config.json'), file('kept/onnx/model.onnx')]);
    rememberFolder(folder);
    expect(pickedFolderFor({ model: 'local/kept', localModelPath: LOCAL_MODEL_ROOT })).toBe(folder);
    expect(pickedFolderFor({ model: 'Xenova/clip-vit-base-patch32' })).toBeNull();
    expect(() => pickedFolderFor({ model: 'local/gone', localModelPath: LOCAL_MODEL_ROOT })).toThrow(/pick it again in Your photos/);
  });
});
