/**
 * PyTorch checkpoints (`torch.save`, the zip format of torch >= 1.6) read without Python: a zip holding
 * `<archive>/data.pkl` (the pickled object) and `<archive>/data/<key>` (one raw little-endian storage per key).
 * The pickle names storages by persistent id ('storage', torch.<Dtype>Storage, key, location, numel) and builds
 * tensors with torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...). Nothing is executed: every
 * global the pickle names becomes a plain value (dicts are Maps, tensors are TorchTensor views).
 */
import { Parser } from 'pickleparser';
import { IoError } from '../io-error.js';
import { checkTensorView, itemSize, storageDtype, TorchTensor, type TorchStorage } from './torch-tensor.js';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip-directory.js';

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

/** What an untrusted torch file may cost; every check happens before the memory is allocated. */
export interface TorchReadLimits {
  /** Most elements one tensor may have (default 2^28: 1 GiB as float32). */
  maxTensorElements?: number;
  /** Most bytes all the storages the pickle references may hold together (default 2 GiB). */
  maxStorageBytes?: number;
  /** Most bytes data.pkl may hold (default 64 MiB). */
  maxPickleBytes?: number;
}

export const DEFAULT_TORCH_LIMITS: Required<TorchReadLimits> = { maxTensorElements: 2 ** 28, maxStorageBytes: 2 ** 31, maxPickleBytes: 64 * 2 ** 20 };

/**
 * Unpickle a torch.save zip held in memory. Only the entries the pickle references are read (data.pkl first,
 * then each storage it names, capped at the size the pickle declares for it), and every tensor's element count
 * and extent are checked against its storage and `limits` while unpickling, before anything is allocated.
 * Errors are one-line IoErrors about `file`.
 */
export function readTorchFile(bytes: Uint8Array, file: string, limits: TorchReadLimits = {}): unknown {
  const limit = { ...DEFAULT_TORCH_LIMITS, ...limits };
  if (!isZip(bytes)) {
    if (bytes[0] === PICKLE_PROTO) throw new IoError(file, 'legacy (pre-1.6) torch serialization is not supported; re-save it with torch.save in torch >= 1.6');
    throw new IoError(file, 'not a PyTorch checkpoint (expected the zip format written by torch.save)');
  }
  const entries = readZipDirectory(bytes, file);
  const pkl = [...entries.keys()].find((name) => name === 'data.pkl' || name.endsWith('/data.pkl'));
  if (!pkl) throw new IoError(file, 'not a PyTorch checkpoint (the zip holds no data.pkl)');
  const prefix = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const byteorderEntry = entries.get(`${prefix}byteorder`);
  if (byteorderEntry && byteorderEntry.size <= 16) {
    const byteorder = readZipEntry(bytes, byteorderEntry, byteorderEntry.size, file);
    if (new TextDecoder().decode(byteorder).trim() !== 'little') throw new IoError(file, 'big-endian torch storages are not supported');
  }
  const pklEntry = entries.get(pkl) as ZipEntry;
  if (pklEntry.size > limit.maxPickleBytes) throw new IoError(file, `${pkl} declares ${pklEntry.size} bytes, more than the ${limit.maxPickleBytes} msae reads`);
  const pickle = readZipEntry(bytes, pklEntry, pklEntry.size, file);

  const storages = new Map<string, TorchStorage>();
  let storageBytes = 0;
  const parser = new Parser({
    unpicklingTypeOfDictionary: 'Map',
    nameResolver: { resolve: (module: string, name: string) => resolveGlobal(module, name, file, limit) },
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
        const numel = pid[4];
        if (!Number.isSafeInteger(numel) || (numel as number) < 0) throw new IoError(file, `storage ${key} declares an invalid size (${describe(numel)})`);
        const entry = entries.get(`${prefix}data/${key}`);
        if (!entry) throw new IoError(file, `storage ${key} is missing from the zip (${prefix}data/${key})`);
        const size = (numel as number) * itemSize(dtype);
        storageBytes += size;
        if (storageBytes > limit.maxStorageBytes) throw new IoError(file, `its storages declare more than ${limit.maxStorageBytes} bytes, the most msae reads`);
        if (entry.size !== size) throw new IoError(file, `zip entry ${entry.name} declares ${entry.size} bytes but the pickle says ${size} (${numel} ${dtype})`);
        const storage: TorchStorage = { key, dtype, numel: numel as number, bytes: new Uint8Array(0) };
        storages.set(key, storage);
        return storage;
      },
    },
  });
  let value: unknown;
  try {
    value = parser.parse(pickle);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(file, `cannot unpickle data.pkl (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  // only now, with every tensor checked, are the referenced storages read (each capped at its declared size)
  for (const storage of storages.values()) {
    const entry = entries.get(`${prefix}data/${storage.key}`) as ZipEntry;
    storage.bytes = readZipEntry(bytes, entry, (storage.numel as number) * itemSize(storage.dtype), file);
  }
  return value;
}

/** What a pickled global becomes: constructors for the few torch/collections names tensors need, PyObject otherwise. */
function resolveGlobal(module: string, name: string, file: string, limit: Required<TorchReadLimits>): (...args: unknown[]) => unknown {
  const fqn = `${module}.${name}`;
  if (module === 'torch' && name.endsWith('Storage')) {
    return Object.assign((...args: unknown[]) => new PyObject(module, name, args), { storageClass: new StorageClass(name) });
  }
  switch (fqn) {
    case 'collections.OrderedDict':
      return () => new Map();
    case 'torch._utils._rebuild_tensor_v2':
    case 'torch._utils._rebuild_tensor':
      return (storage, offset, size, stride) => rebuildTensor(file, storage, offset, size, stride, limit);
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
      return (data) => data;
    default:
      return (...args) => new PyObject(module, name, args);
  }
}

function rebuildTensor(file: string, storage: unknown, offset: unknown, size: unknown, stride: unknown, limit: Required<TorchReadLimits>): TorchTensor {
  const ints = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0);
  if (!storage || typeof storage !== 'object' || !('bytes' in storage) || !Number.isInteger(offset) || !ints(size) || !ints(stride)) {
    throw new IoError(file, 'malformed tensor in data.pkl (_rebuild_tensor_v2 arguments)');
  }
  if ((size as number[]).length !== (stride as number[]).length) throw new IoError(file, 'malformed tensor in data.pkl (size and stride differ in length)');
  checkTensorView(file, storage as TorchStorage, offset as number, size as number[], stride as number[], limit.maxTensorElements);
  return new TorchTensor(storage as TorchStorage, offset as number, (size as number[]).slice(), (stride as number[]).slice());
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  } catch {
    return String(v);
  }
}
