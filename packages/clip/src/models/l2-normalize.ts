import type { Matrix } from '@msae/core';

/** In place: each row r <- r / ||r||_2 (rows of norm 0 stay 0). */
export function l2NormalizeRows(m: Matrix): Matrix {
  for (let r = 0; r < m.rows; r++) {
    const row = m.data.subarray(r * m.cols, (r + 1) * m.cols);
    let sq = 0;
    for (let c = 0; c < m.cols; c++) sq += row[c] * row[c];
    const norm = Math.sqrt(sq);
    if (norm > 0) for (let c = 0; c < m.cols; c++) row[c] /= norm;
  }
  return m;
}
