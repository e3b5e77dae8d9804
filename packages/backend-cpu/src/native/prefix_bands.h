// Prefix Matryoshka (matryoshka-batchtopk): after select_batch (one band, each row's entries in ascending latent
// order) the entries are re-banded by latent group: band g of row b = its kept latents j with
// ends[g-1] <= j < ends[g] (ends = the group prefix ends, ascending, last = d_sae), so level g (bands 0..g)
// reconstructs from groups 1..g.
#pragma once
#include <cstdint>
#include <vector>

#include "kernel_types.h"

static inline void prefix_bands(Codes& c, const std::vector<int32_t>& ends) {
  const int L = (int)ends.size();
  c.levels = L;
  c.band_end.assign(c.rows * L, 0);
  for (int64_t b = 0; b < c.rows; b++) {
    const int64_t rs = c.row_start[b], n = c.row_start[b + 1] - rs;
    int64_t e = 0;
    for (int g = 0; g < L; g++) {
      while (e < n && c.index[rs + e] < ends[g]) e++;  // entries ascend by latent index
      c.band_end[b * L + g] = (int32_t)e;
    }
  }
}
