import { decodeTensorBytes } from '@msae/core';
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

/** One storage of a torch zip checkpoint: `<archive>/data/<key>`, raw little-endian elements. */
export interface TorchStorage {
  key: string;
  dtype: TorchDtype;
  bytes: Uint8Array;
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
    const out = new Float32Array(this.numel);
    this.gather(file, name, values.length, (dst, src) => (out[dst] = values[src]));
    return out;
  }

  /** The values as row-major numbers (integers exactly up to 2^53). */
  toNumbers(file: string, name: string): number[] {
    const values = this.storageValues(file, name);
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

  /** Visit every element in row-major order: set(dst, storage index). */
  private gather(file: string, name: string, storageLength: number, set: (dst: number, src: number) => void): void {
    const { shape, stride, offset } = this;
    const n = this.numel;
    if (n === 0) return;
    let last = offset; // the largest storage index the view reaches: offset + sum_j (size_j - 1) * stride_j
    for (let j = 0; j < shape.length; j++) last += (shape[j] - 1) * stride[j];
    if (offset < 0 || last >= storageLength || stride.some((s) => s < 0)) {
      throw new IoError(file, `tensor '${name}' of shape [${shape.join(', ')}] reaches past its storage (${storageLength} elements)`);
    }
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
