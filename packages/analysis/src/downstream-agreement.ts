/** Downstream preservation of reconstructions under a classifier, accumulated batch by batch. */
export interface DownstreamRecord {
  rows: number;
  /** fraction of rows with argmax classifier(x) == argmax classifier(x^) */
  agreement: number;
  /** mean KL(p(x) || p(x^)), p = softmax of the logits (nats) */
  kl: number;
  /** with labels: accuracy on x and on x^ */
  accuracy?: number;
  accuracyReconstructed?: number;
}

/** Sums agreement, KL and accuracies over batches of logits [rows, classes]. */
export class DownstreamAccumulator {
  private rows = 0;
  private agree = 0;
  private klSum = 0;
  private right = 0;
  private rightHat = 0;
  private labelled = 0;

  constructor(readonly classes: number) {}

  /** Add a batch: logits of x and of x^ [rows, classes], and optionally the batch's class labels. */
  add(logitsX: Float32Array, logitsHat: Float32Array, labels?: ArrayLike<number>): void {
    const C = this.classes;
    const rows = logitsX.length / C;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let mx = -Infinity;
      let mh = -Infinity;
      let ax = 0;
      let ah = 0;
      for (let j = 0; j < C; j++) {
        if (logitsX[o + j] > mx) (mx = logitsX[o + j]), (ax = j);
        if (logitsHat[o + j] > mh) (mh = logitsHat[o + j]), (ah = j);
      }
      let sx = 0;
      let sh = 0;
      for (let j = 0; j < C; j++) {
        sx += Math.exp(logitsX[o + j] - mx);
        sh += Math.exp(logitsHat[o + j] - mh);
      }
      const lx = Math.log(sx);
      const lh = Math.log(sh);
      // KL(p || q) = sum_j p_j (log p_j - log q_j), log p_j = l_j - m - log sum
      let kl = 0;
      for (let j = 0; j < C; j++) {
        const logP = logitsX[o + j] - mx - lx;
        const logQ = logitsHat[o + j] - mh - lh;
        kl += Math.exp(logP) * (logP - logQ);
      }
      this.klSum += Math.max(0, kl);
      if (ax === ah) this.agree++;
      if (labels) {
        const y = labels[r]; // the batch's labels (-1: none)
        if (y >= 0) {
          this.labelled++;
          if (ax === y) this.right++;
          if (ah === y) this.rightHat++;
        }
      }
    }
    this.rows += rows;
  }

  result(): DownstreamRecord {
    const n = Math.max(1, this.rows);
    return {
      rows: this.rows,
      agreement: this.agree / n,
      kl: this.klSum / n,
      ...(this.labelled ? { accuracy: this.right / this.labelled, accuracyReconstructed: this.rightHat / this.labelled } : {}),
    };
  }
}
