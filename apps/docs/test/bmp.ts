/** A 24-bit uncompressed BMP (lossless, decoded identically everywhere) of raw RGB pixels. */
export function encodeBmp(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4; // rows padded to 4 bytes
  const size = 54 + rowBytes * height;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42; // 'B'
  out[1] = 0x4d; // 'M'
  v.setUint32(2, size, true);
  v.setUint32(10, 54, true); // pixel data offset
  v.setUint32(14, 40, true); // BITMAPINFOHEADER
  v.setInt32(18, width, true);
  v.setInt32(22, -height, true); // top-down rows
  v.setUint16(26, 1, true); // planes
  v.setUint16(28, 24, true); // bits per pixel
  v.setUint32(34, rowBytes * height, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 3;
      const dst = 54 + y * rowBytes + x * 3;
      out[dst] = rgb[src + 2]; // BMP stores B, G, R
      out[dst + 1] = rgb[src + 1];
      out[dst + 2] = rgb[src];
    }
  }
  return out;
}
