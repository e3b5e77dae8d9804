// Code selection on the ReLU'd pre-activations a = ReLU(pre), stored as a sparse per-row list (CSR) whose
// entries are grouped by nesting band: band i holds the entries ranked [k_{i-1}, k_i) in their row
// (order: value descending, ties by lower index), so level i's code is bands 0..i. Only positive entries
// are stored (a zero code contributes nothing and gets no gradient). topk/relu/encode have one band.
// batchtopk keeps the k*B largest entries of the whole batch (ties by lower flat index).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernel_types.h"
#include "thread_pool.h"

namespace MSAE_KERNEL_NS {

constexpr int RADIX_BINS = 2048;
// bin of a positive float: its top 11 non-sign bits (monotone in the value)
static inline uint32_t radix_bin(float x) {
  uint32_t b;
  std::memcpy(&b, &x, 4);
  return b >> 20;
}

struct ValueIndex {
  float v;
  int32_t j;
};
// a before b iff v_a > v_b, or equal values and a has the lower index
static inline bool ranks_before(const ValueIndex& a, const ValueIndex& b) {
  return a.v > b.v || (a.v == b.v && a.j < b.j);
}

// a = pre + b_enc in place (pre [rows, dSae]); count[b] = number of positive entries of row b.
static void add_bias_count_positive(ThreadPool& pool, float* pre, const float* b_enc, int64_t rows, int dSae,
                                    std::vector<int64_t>& count) {
  count.assign(rows, 0);
  pool.parallel_for(rows, 16, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++) {
      float* p = pre + b * dSae;
      int64_t c = 0;
      for (int j = 0; j < dSae; j++) {
        float v = p[j] + b_enc[j];  // pre = (x - b_dec) W_enc + b_enc
        p[j] = v;
        c += v > 0.0f;
      }
      count[b] = c;
    }
  });
}

static void allocate_codes(Codes& codes, const std::vector<int64_t>& kept, int64_t rows, int levels) {
  codes.rows = rows;
  codes.levels = levels;
  codes.row_start.assign(rows + 1, 0);
  for (int64_t b = 0; b < rows; b++) codes.row_start[b + 1] = codes.row_start[b] + kept[b];
  codes.band_end.assign(rows * levels, 0);
  codes.index.resize(codes.row_start[rows]);
  codes.value.resize(codes.row_start[rows]);
}

// Per-row ranking into bands. nesting[0..levels) ascending; each row keeps at most nesting[levels-1].
// For each level i with k_i < #positives, nth_element finds the threshold t_i = the k_i-th largest value and
// the number of ties at t_i that level keeps (lowest indices first); one sweep in latent order then assigns
// each entry the first level that keeps it, so entries come out grouped by band and sorted by latent.
static void select_per_row(ThreadPool& pool, const float* a, int64_t rows, int dSae, const int32_t* nesting,
                           int levels, const std::vector<int64_t>& positives, Codes& codes) {
  const int64_t kmax = nesting[levels - 1];
  std::vector<int64_t> kept(rows);
  for (int64_t b = 0; b < rows; b++) kept[b] = std::min(positives[b], kmax);
  allocate_codes(codes, kept, rows, levels);
  struct Scratch {
    std::vector<float> vals, members;
    std::vector<int32_t> idx;
    std::vector<int32_t> band;
    std::vector<uint32_t> hist;
  };
  std::vector<Scratch> scratch(pool.size());
  for (auto& sc : scratch) {
    sc.vals.resize(dSae);
    sc.idx.resize(dSae);
    sc.band.resize(dSae);
    sc.members.resize(dSae);
    sc.hist.resize(RADIX_BINS);
  }
  pool.parallel_for(rows, 8, [&](int64_t r0, int64_t r1, int w) {
    Scratch& sc = scratch[w];
    float t[64];
    int64_t quota[64];
    bool all[64];
    int32_t count[65];
    for (int64_t b = r0; b < r1; b++) {
      const float* p = a + b * dSae;
      int n = 0;
      for (int j = 0; j < dSae; j++) {  // branchless gather of the positive entries
        const float v = p[j];
        sc.idx[n] = j;
        sc.vals[n] = v;
        n += v > 0.0f;
      }
      // Thresholds by radix selection: positive floats order like their bit patterns, so a histogram of
      // the top 11 bits (sign 0, exponent, 3 mantissa bits) locates the bin holding each level's k-th
      // largest value; nth_element then runs only on that bin's few members.
      float* v = sc.vals.data();
      uint32_t* hist = sc.hist.data();
      std::fill(hist, hist + RADIX_BINS, 0u);
      for (int e = 0; e < n; e++) hist[radix_bin(v[e])]++;
      {
        int64_t above = 0;  // entries in bins above the current one
        for (int lv = 0; lv < levels; lv++) all[lv] = nesting[lv] >= n;  // level keeps every positive entry
        int lv = 0;  // next level to place (levels ascend, so they are met in order from the top bin down)
        for (int bin = RADIX_BINS - 1; bin >= 0 && lv < levels; bin--) {
          const int64_t here = hist[bin];
          while (lv < levels && !all[lv] && above + here >= nesting[lv]) {
            // level lv's k-th largest lies in this bin: select among its members
            const int k = nesting[lv];
            int m = 0;
            float* members = sc.members.data();
            for (int e = 0; e < n; e++) {
              members[m] = v[e];
              m += radix_bin(v[e]) == (uint32_t)bin;
            }
            const int r = (int)(k - above);  // rank within the bin (1-based)
            std::nth_element(members, members + (r - 1), members + m, [](float x, float y) { return x > y; });
            t[lv] = members[r - 1];
            int64_t greater = above;
            for (int q = 0; q < m; q++) greater += members[q] > t[lv];
            quota[lv] = k - greater;  // ties at t_i kept by level i (lowest latent index first)
            lv++;
          }
          above += here;
        }
      }
      for (int i = 0; i <= levels; i++) count[i] = 0;
      float tt[64];
      for (int i = 0; i < levels; i++) tt[i] = all[i] ? -__builtin_inff() : t[i];
      // thresholds are nested (t_0 >= t_1 >= ...): an entry's band is the number of levels that reject it,
      // counted level by level over all entries (the compares vectorize); bnd = band + 256 * (exact ties at a
      // threshold), and the few tied entries are redone below
      int32_t* bnd = sc.band.data();
      std::fill(bnd, bnd + n, 0);
      for (int i = 0; i < levels; i++) {
        const float ti = tt[i];
        for (int e = 0; e < n; e++) bnd[e] += (int32_t)(v[e] < ti) + ((int32_t)(v[e] == ti) << 8);
      }
      for (int e = 0; e < n; e++) {
        int band = bnd[e] & 255;
        if (bnd[e] >> 8) {  // exact ties at a threshold: lowest latent index first (entries are in latent order)
          const float x = v[e];
          band = levels;
          for (int i = 0; i < levels; i++) {
            bool member;
            if (all[i] || x > t[i]) member = true;
            else if (x == t[i] && quota[i] > 0) {
              quota[i]--;
              member = true;
            } else member = false;
            if (member && band == levels) band = i;
          }
        }
        bnd[e] = band;
        count[band]++;
      }
      int32_t* be = codes.band_end.data() + b * levels;
      int32_t pos[64];
      int acc = 0;
      for (int i = 0; i < levels; i++) {
        pos[i] = acc;
        acc += count[i];
        be[i] = acc;
      }
      int32_t* idx = codes.index.data() + codes.row_start[b];
      float* val = codes.value.data() + codes.row_start[b];
      for (int e = 0; e < n; e++) {
        const int band = bnd[e];
        if (band == levels) continue;
        const int q = pos[band]++;
        idx[q] = sc.idx[e];
        val[q] = p[sc.idx[e]];
      }
    }
  });
}

// BatchTopK: the `count` largest entries of the whole [rows, dSae] batch (ties by lower flat index); one band.
static void select_batch(ThreadPool& pool, const float* a, int64_t rows, int dSae, int64_t count,
                         const std::vector<int64_t>& positives, Codes& codes) {
  int64_t total = 0;
  for (int64_t b = 0; b < rows; b++) total += positives[b];
  float t = count > 0 ? 0.0f : __builtin_inff();  // threshold: keep a > t, then a == t by flat index
  int64_t tie_budget = 0;
  std::vector<int64_t> kept(rows, 0), greater(rows, 0), equal(rows, 0);
  if (total > count && count > 0) {
    std::vector<float> vals;
    vals.reserve(total);
    for (int64_t i = 0; i < rows * (int64_t)dSae; i++)
      if (a[i] > 0.0f) vals.push_back(a[i]);
    std::nth_element(vals.begin(), vals.begin() + (count - 1), vals.end(), [](float x, float y) { return x > y; });
    t = vals[count - 1];
    pool.parallel_for(rows, 16, [&](int64_t r0, int64_t r1, int) {
      for (int64_t b = r0; b < r1; b++) {
        const float* p = a + b * dSae;
        int64_t g = 0, e = 0;
        for (int j = 0; j < dSae; j++) {
          g += p[j] > t;
          e += p[j] == t;
        }
        greater[b] = g;
        equal[b] = e;
      }
    });
    int64_t g_total = 0;
    for (int64_t b = 0; b < rows; b++) g_total += greater[b];
    tie_budget = count - g_total;
    for (int64_t b = 0; b < rows; b++) {
      int64_t take = std::min(equal[b], tie_budget);
      tie_budget -= take;
      equal[b] = take;  // ties kept in row b
      kept[b] = greater[b] + take;
    }
  } else if (count > 0) {
    for (int64_t b = 0; b < rows; b++) kept[b] = positives[b];
  }
  allocate_codes(codes, kept, rows, 1);
  pool.parallel_for(rows, 16, [&](int64_t r0, int64_t r1, int) {
    for (int64_t b = r0; b < r1; b++) {
      const float* p = a + b * dSae;
      int32_t* idx = codes.index.data() + codes.row_start[b];
      float* val = codes.value.data() + codes.row_start[b];
      int64_t n = 0, ties = equal[b];
      for (int j = 0; j < dSae; j++) {
        const float v = p[j];
        if (v > t && v > 0.0f) {
          idx[n] = j;
          val[n++] = v;
        } else if (v == t && v > 0.0f && ties > 0) {
          idx[n] = j;
          val[n++] = v;
          ties--;
        }
      }
      codes.band_end[b] = (int32_t)n;
    }
  });
}

}  // namespace MSAE_KERNEL_NS
