import { decodeTensorBytes } from '@msae/core/internal';
import { IoError } from '../io-error.js';

/** Element types of torch storages, by the legacy storage class name torch pickles (`torch.FloatStorage`). */
const STORAGE_DTYPES: Record<string, TorchDtype> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

const ITEM_SIZE: Record<TorchDtype, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };
const SAFETENSORS_NAME: Partial<Record<TorchDtype, string>> = { float32: 'F32', float64: 'F64', float16: 'F16', bfloat16: 'BF16' };

/** The dtype of a storage class name, or undefined when torch.<name> is not a storage class msae reads. */
export function storageDtype(className: string): TorchDtype | undefined {
  return STORAGE_DTYPES[className];
}

/** Bytes per element of a dtype. */
export function itemSize(dtype: TorchDtype): number {
  return ITEM_SIZE[dtype];
}

/** One storage of a torch zip checkpoint: `<archive>/data/<key>`, raw little-endian elements. */
export interface TorchStorage {
  key: string;
  dtype: TorchDtype;
  /** Elements the pickle declares (its persistent id), checked against the zip entry before reading it. */
  numel?: number;
  bytes: Uint8Array;
}

/**
 * Check a tensor view before anything is allocated for it: at most `maxElements` elements, no more elements
 * than its storage holds (a stride-0 / expanded view would repeat them), and its extent
 * offset + sum_j (size_j - 1) * stride_j inside the storage. One-line IoErrors about `file`.
 */
export function checkTensorView(file: string, storage: TorchStorage, offset: number, shape: number[], stride: number[], maxElements: number): void {
  const what = `tensor of shape [${shape.join(', ')}] (stride [${stride.join(', ')}]) on storage ${storage.key}`;
  let numel = 1;
  for (const d of shape) numel *= d;
  if (numel > maxElements) throw new IoError(file, `${what} has ${numel} elements, more than the ${maxElements} msae reads per tensor`);
  if (numel === 0) return;
  const stored = storage.numel ?? storage.bytes.length / ITEM_SIZE[storage.dtype];
  if (numel > stored) throw new IoError(file, `${what} has ${numel} elements but its storage holds ${stored}: a view that repeats elements (stride 0, expand) is not read`);
  let last = offset; // the largest storage index the view reaches
  for (let j = 0; j < shape.length; j++) last += (shape[j] - 1) * stride[j];
  if (last >= stored) throw new IoError(file, `${what} at offset ${offset} reaches element ${last} of a storage of ${stored}`);
}

/**
 * A tensor as torch pickles it (`torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`): a view
 * into a storage. Element [i0, i1, ...] lives at storage index offset + sum_j i_j * stride_j.
 */
export class TorchTensor {
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}

  get dtype(): TorchDtype {
    return this.storage.dtype;
  }

  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** The values as a row-major (C-order) Float32Array, whatever the dtype and the strides. */
  toFloat32(file: string, name: string): Float32Array {
    const values = this.storageValues(file, name);
    if (values instanceof Float32Array && this.isContiguous() && this.offset + this.numel <= values.length) {
      return values.slice(this.offset, this.offset + this.numel); // row-major already: one copy
    }
    this.checkExtent(file, name, values.length);
    const out = new Float32Array(this.numel);
    this.gather(file, name, values.length, (dst, src) => (out[dst] = values[src]));
    return out;
  }

  /** The values as row-major numbers (integers exactly up to 2^53). */
  toNumbers(file: string, name: string): number[] {
    const values = this.storageValues(file, name);
    this.checkExtent(file, name, values.length);
    const out = new Array<number>(this.numel);
    this.gather(file, name, values.length, (dst, src) => (out[dst] = Number(values[src])));
    return out;
  }

  /** C-contiguous: stride_j = prod_{i > j} size_i (dimensions of size 1 may have any stride). */
  isContiguous(): boolean {
    let expected = 1;
    for (let j = this.shape.length - 1; j >= 0; j--) {
      if (this.shape[j] !== 1 && this.stride[j] !== expected) return false;
      expected *= this.shape[j];
    }
    return true;
  }

  private storageValues(file: string, name: string): ArrayLike<number> {
    const { dtype, bytes } = this.storage;
    if (bytes.length % ITEM_SIZE[dtype] !== 0) throw new IoError(file, `tensor '${name}': storage ${this.storage.key} has ${bytes.length} bytes, not a multiple of ${ITEM_SIZE[dtype]} (${dtype})`);
    const st = SAFETENSORS_NAME[dtype];
    if (st) return decodeTensorBytes(st, bytes, file, name);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = bytes.length / ITEM_SIZE[dtype];
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      if (dtype === 'int64') out[i] = Number(dv.getBigInt64(8 * i, true));
      else if (dtype === 'int32') out[i] = dv.getInt32(4 * i, true);
      else if (dtype === 'int16') out[i] = dv.getInt16(2 * i, true);
      else if (dtype === 'int8') out[i] = dv.getInt8(i);
      else out[i] = bytes[i]; // uint8, bool
    }
    return out;
  }

  /** Refuse, before anything is allocated, a view with more elements than its storage or reaching past it. */
  private checkExtent(file: string, name: string, storageLength: number): void {
    const { shape, stride, offset } = this;
    const n = this.numel;
    if (n === 0) return;
    if (n > storageLength) throw new IoError(file, `tensor '${name}' of shape [${shape.join(', ')}] has more elements than its storage (${storageLength})`);
    let last = offset; // the largest storage index the view reaches: offset + sum_j (size_j - 1) * stride_j
    for (let j = 0; j < shape.length; j++) last += (shape[j] - 1) * stride[j];
    if (offset < 0 || last >= storageLength || stride.some((s) => s < 0)) {
      throw new IoError(file, `tensor '${name}' of shape [${shape.join(', ')}] reaches past its storage (${storageLength} elements)`);
    }
  }

  /** Visit every element in row-major order: set(dst, storage index). */
  private gather(file: string, name: string, storageLength: number, set: (dst: number, src: number) => void): void {
    const { shape, stride, offset } = this;
    const n = this.numel;
    if (n === 0) return;
    this.checkExtent(file, name, storageLength);
    const index = new Array<number>(shape.length).fill(0);
    let src = offset;
    for (let dst = 0; dst < n; dst++) {
      set(dst, src);
      for (let j = shape.length - 1; j >= 0; j--) {
        index[j]++;
        src += stride[j];
        if (index[j] < shape[j]) break;
        src -= shape[j] * stride[j];
        index[j] = 0;
      }
    }
  }
}

export function isTorchTensor(v: unknown): v is TorchTensor {
  return v instanceof TorchTensor;
}
