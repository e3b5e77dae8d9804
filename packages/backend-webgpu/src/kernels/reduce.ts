/** WGSL helpers shared by the kernels: a workgroup sum and an in-place inclusive prefix sum. */

/** `reduceSum(t, v)`: sum of v over a workgroup of `size` threads (every thread gets the total). */
export function reduceSumWgsl(size: number): string {
  return /* wgsl */ `
var<workgroup> red: array<f32, ${size}>;
fn reduceSum(t: u32, v: f32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
`;
}

/** `inclusiveScan(t)`: Hillis-Steele inclusive prefix sum of scanBuf[0..size) by `size` threads. */
export function inclusiveScanWgsl(size: number): string {
  return /* wgsl */ `
var<workgroup> scanBuf: array<u32, ${size}>;
fn inclusiveScan(t: u32) {
  for (var off = 1u; off < ${size}u; off <<= 1u) {
    var v = scanBuf[t];
    if (t >= off) { v += scanBuf[t - off]; }
    workgroupBarrier();
    scanBuf[t] = v;
    workgroupBarrier();
  }
}
`;
}
