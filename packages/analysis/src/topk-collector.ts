/**
 * Per-query top-k of scores seen block by block: each query keeps its k best (score, row) pairs and the
 * current k-th score, so most candidates are rejected with one comparison. Ties keep the lower row.
 */
export class TopKCollector {
  private readonly scores: Float32Array;
  private readonly rowsOf: Int32Array;
  private readonly filled: Int32Array;
  private readonly worst: Float32Array;
  private readonly worstAt: Int32Array;

  constructor(
    readonly queries: number,
    readonly k: number,
  ) {
    this.scores = new Float32Array(queries * k).fill(-Infinity);
    this.rowsOf = new Int32Array(queries * k).fill(-1);
    this.filled = new Int32Array(queries);
    this.worst = new Float32Array(queries).fill(-Infinity);
    this.worstAt = new Int32Array(queries);
  }

  /** Offer row `row` with `score` to query q. */
  offer(q: number, row: number, score: number): void {
    const k = this.k;
    const base = q * k;
    if (this.filled[q] < k) {
      const at = base + this.filled[q]++;
      this.scores[at] = score;
      this.rowsOf[at] = row;
      if (this.filled[q] === k) this.recomputeWorst(q);
      return;
    }
    if (!(score > this.worst[q])) return;
    const at = base + this.worstAt[q];
    this.scores[at] = score;
    this.rowsOf[at] = row;
    this.recomputeWorst(q);
  }

  /**
   * Offer a block of scores [queries, blockRows] whose first row is `start`; with `rowScale`, row i's score is
   * fround(block[q, i] * rowScale[i]) (e.g. 1 / |row|: a cosine), without a separate pass over the block.
   */
  offerBlock(block: Float32Array, blockRows: number, start: number, allow?: (row: number) => boolean, rowScale?: Float32Array): void {
    const { filled, worst, k } = this;
    for (let q = 0; q < this.queries; q++) {
      const o = q * blockRows;
      let i = 0;
      for (; i < blockRows && (filled[q] < k || allow); i++) {
        const s = rowScale ? Math.fround(block[o + i] * rowScale[i]) : block[o + i];
        if (filled[q] === k && !(s > worst[q])) continue;
        if (allow && !allow(start + i)) continue;
        this.offer(q, start + i, s);
      }
      // full, no filter: the hot loop compares against the k-th best held in a local (most scores stop here)
      let w = worst[q];
      if (rowScale) {
        for (; i < blockRows; i++) {
          const s = Math.fround(block[o + i] * rowScale[i]); // as a Float32Array would store it
          if (s > w) {
            this.offer(q, start + i, s);
            w = worst[q];
          }
        }
      } else {
        for (; i < blockRows; i++) {
          const s = block[o + i];
          if (s > w) {
            this.offer(q, start + i, s);
            w = worst[q];
          }
        }
      }
    }
  }

  private recomputeWorst(q: number): void {
    const base = q * this.k;
    let w = 0;
    for (let t = 1; t < this.k; t++) {
      const a = this.scores[base + t];
      const b = this.scores[base + w];
      if (a < b || (a === b && this.rowsOf[base + t] > this.rowsOf[base + w])) w = t;
    }
    this.worst[q] = this.scores[base + w];
    this.worstAt[q] = w;
  }

  /** Rows and scores per query, best first (rows -1 / score -Infinity pad a collection smaller than k). */
  result(): SearchHits {
    const k = this.k;
    const rows = new Int32Array(this.queries * k);
    const scores = new Float32Array(this.queries * k);
    for (let q = 0; q < this.queries; q++) {
      const order = Array.from({ length: k }, (_, t) => q * k + t);
      order.sort((a, b) => this.scores[b] - this.scores[a] || this.rowsOf[a] - this.rowsOf[b]);
      for (let t = 0; t < k; t++) {
        rows[q * k + t] = this.rowsOf[order[t]];
        scores[q * k + t] = this.scores[order[t]];
      }
    }
    return { queries: this.queries, k, rows, scores };
  }
}

/** Top-k hits: query q's t-th best is rows[q*k + t] with scores[q*k + t]. */
export interface SearchHits {
  queries: number;
  k: number;
  rows: Int32Array;
  scores: Float32Array;
}
