/**
 * PyTorch checkpoints (`torch.save`, the zip format of torch >= 1.6) read without Python: a zip holding
 * `<archive>/data.pkl` (the pickled object) and `<archive>/data/<key>` (one raw little-endian storage per key).
 * The pickle names storages by persistent id ('storage', torch.<Dtype>Storage, key, location, numel) and builds
 * tensors with torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...). Nothing is executed: every
 * global the pickle names becomes a plain value (dicts are Maps, tensors are TorchTensor views).
 */
import { unzipSync } from 'fflate';
import { Parser } from 'pickleparser';
import { IoError } from '../io-error.js';
import { storageDtype, TorchTensor, type TorchStorage } from './torch-tensor.js';

/** A Python object the pickle names but msae does not model (kept with its module, name and arguments). */
export class PyObject {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: unknown[],
  ) {}
}

/** Storage class marker: what `torch.FloatStorage` and friends unpickle to. */
class StorageClass {
  constructor(readonly name: string) {}
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const PICKLE_PROTO = 0x80;

/** True when the bytes start like a zip archive (PyTorch's format since 1.6). */
export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Unpickle a torch.save zip held in memory. Errors are one-line IoErrors about `file`. */
export function readTorchFile(bytes: Uint8Array, file: string): unknown {
  if (!isZip(bytes)) {
    if (bytes[0] === PICKLE_PROTO) throw new IoError(file, 'legacy (pre-1.6) torch serialization is not supported; re-save it with torch.save in torch >= 1.6');
    throw new IoError(file, 'not a PyTorch checkpoint (expected the zip format written by torch.save)');
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new IoError(file, `corrupt PyTorch zip (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const pkl = Object.keys(entries).find((name) => name === 'data.pkl' || name.endsWith('/data.pkl'));
  if (!pkl) throw new IoError(file, 'not a PyTorch checkpoint (the zip holds no data.pkl)');
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const byteorder = entries[`${prefix}byteorder`];
  if (byteorder && new TextDecoder().decode(byteorder).trim() !== 'little') throw new IoError(file, 'big-endian torch storages are not supported');

  const storages = new Map<string, TorchStorage>();
  const parser = new Parser({
    unpicklingTypeOfDictionary: 'Map',
    nameResolver: { resolve: (module: string, name: string) => resolveGlobal(module, name, file) },
    persistentResolver: {
      resolve: (pid: unknown) => {
        const cls = Array.isArray(pid) ? (pid[1] as { storageClass?: unknown } | undefined)?.storageClass : undefined;
        if (!Array.isArray(pid) || pid[0] !== 'storage' || !(cls instanceof StorageClass)) {
          throw new IoError(file, `unknown persistent id in data.pkl (${describe(pid)})`);
        }
        const key = String(pid[2]);
        const cached = storages.get(key);
        if (cached) return cached;
        const dtype = storageDtype(cls.name);
        if (!dtype) throw new IoError(file, `storage ${key} has type torch.${cls.name}, which msae cannot read`);
        const data = entries[`${prefix}data/${key}`];
        if (!data) throw new IoError(file, `storage ${key} is missing from the zip (${prefix}data/${key})`);
        const storage: TorchStorage = { key, dtype, bytes: data };
        storages.set(key, storage);
        return storage;
      },
    },
  });
  try {
    return parser.parse(entries[pkl]);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(file, `cannot unpickle data.pkl (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** What a pickled global becomes: constructors for the few torch/collections names tensors need, PyObject otherwise. */
function resolveGlobal(module: string, name: string, file: string): (...args: unknown[]) => unknown {
  const fqn = `${module}.${name}`;
  if (module === 'torch' && name.endsWith('Storage')) {
    return Object.assign((...args: unknown[]) => new PyObject(module, name, args), { storageClass: new StorageClass(name) });
  }
  switch (fqn) {
    case 'collections.OrderedDict':
      return () => new Map();
    case 'torch._utils._rebuild_tensor_v2':
    case 'torch._utils._rebuild_tensor':
      return (storage, offset, size, stride) => rebuildTensor(file, storage, offset, size, stride);
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
      return (data) => data;
    default:
      return (...args) => new PyObject(module, name, args);
  }
}

function rebuildTensor(file: string, storage: unknown, offset: unknown, size: unknown, stride: unknown): TorchTensor {
  const ints = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0);
  if (!storage || typeof storage !== 'object' || !('bytes' in storage) || !Number.isInteger(offset) || !ints(size) || !ints(stride)) {
    throw new IoError(file, 'malformed tensor in data.pkl (_rebuild_tensor_v2 arguments)');
  }
  if ((size as number[]).length !== (stride as number[]).length) throw new IoError(file, 'malformed tensor in data.pkl (size and stride differ in length)');
  return new TorchTensor(storage as TorchStorage, offset as number, (size as number[]).slice(), (stride as number[]).slice());
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  } catch {
    return String(v);
  }
}
