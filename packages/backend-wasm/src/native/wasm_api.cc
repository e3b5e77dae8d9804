// WebAssembly entry points of the native engine's kernels (the C++ of @msae/backend-cpu/src/native compiled by
// emcc with SIMD128: kernels.cc in namespace k_wasm, 4-float vectors). A plain C ABI over linear-memory pointers
// (int32 sizes, no 64-bit integers across the boundary); src/wasm-addon.ts wraps it in the native addon's
// interface, so the cpu engine's TypeScript drives both. Threads: the ThreadPool's pthreads where the module is
// built with -pthread (cross-origin isolated pages, Node), one worker otherwise.
#include <emscripten/emscripten.h>

#include <thread>

#include "aux_k.h"
#include "kernels.cc"

namespace {
struct Context {
  ThreadPool* pool;
  const KernelTable* k;
  Workspace ws;
};
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void* msae_create(int threads) {
#if defined(__EMSCRIPTEN_PTHREADS__)
  if (threads <= 0) threads = (int)std::max(1u, std::thread::hardware_concurrency());
#else
  threads = 1;  // single-threaded build
#endif
  return new Context{new ThreadPool(threads), &k_wasm::kernel_table(), {}};
}

EMSCRIPTEN_KEEPALIVE void msae_dispose(Context* c) {
  delete c->pool;
  delete c;
}

EMSCRIPTEN_KEEPALIVE int msae_threads(Context* c) { return c->pool->size(); }

EMSCRIPTEN_KEEPALIVE int msae_vector_floats() { return k_wasm::VW; }

// C = A op(B) (see gemm.h)
EMSCRIPTEN_KEEPALIVE void msae_gemm(Context* c, const float* A, const float* B, int M, int N, int K, int transB, float* C) {
  c->k->sgemm(*c->pool, M, N, K, A, K, B, transB ? K : N, transB != 0, C, N);
}

// C[i, j] = scale[j] sum_t A[i, t] codes[j, t]
EMSCRIPTEN_KEEPALIVE void msae_gemm_int8(Context* c, const float* A, const int8_t* codes, const float* scale, int M, int N,
                                         int K, float* C) {
  c->k->si8gemv(*c->pool, M, N, K, A, codes, scale, C);
}

// out = z W_dec + b_dec over the nonzero codes
EMSCRIPTEN_KEEPALIVE void msae_decode(Context* c, const float* z, int rows, const float* W, const float* bd, int dSae, int dIn,
                                      float* out) {
  c->k->decode_dense(*c->pool, z, rows, W, bd, dSae, dIn, out);
}

// pass: mode 0 encode (top-k codes into `codes`), 1 forward (recons, codes, losses), 2 gradients (g*, losses).
// Returns the loss (0 for encode). See addon.cc's make_pass, which this mirrors.
EMSCRIPTEN_KEEPALIVE double msae_pass(Context* c, int mode, int rows, const float* x, int dIn, int dSae, const float* W_encT,
                                      const float* b_enc, const float* W_dec, const float* b_dec, int arch, int L,
                                      const int32_t* nesting, const double* coef, int batchK, int mse, double l1, int k,
                                      float* codes, float* recons, double* levelLosses, float* gW_encT, float* gb_enc,
                                      float* gW_dec, float* gb_dec, int auxK, double auxWeight, const uint8_t* dead,
                                      uint8_t* fired, double* auxOut, double* timings) {
  SaeModel m;
  m.dIn = dIn;
  m.dSae = dSae;
  m.W_encT = W_encT;
  m.b_enc = b_enc;
  m.W_dec = W_dec;
  m.b_dec = b_dec;
  SaeLossSpec spec;
  spec.arch = arch;
  const KernelTable* kt = c->k;
  if (mode == 0) {
    kt->encode_and_select(*c->pool, m, spec, x, rows, k < 0 ? m.dSae : k, c->ws, timings);
    kt->scatter_codes(*c->pool, c->ws.codes, m.dSae, codes);
    return 0.0;
  }
  spec.nesting.assign(nesting, nesting + L);
  spec.coef.assign(coef, coef + L);
  spec.mse = mse != 0;
  spec.l1 = l1;
  spec.batch_k = batchK;
  AuxKSpec aux;
  aux.aux_k = auxK;
  aux.weight = auxWeight;
  aux.mse = mse != 0;
  aux.dead = dead;
  kt->encode_and_select(*c->pool, m, spec, x, rows, -1, c->ws, timings);
  kt->decode_levels(*c->pool, m, spec, x, rows, c->ws, mode == 1 ? recons : nullptr, mode == 2, timings);
  if (mode == 1) kt->scatter_codes(*c->pool, c->ws.codes, m.dSae, codes);
  if (mode == 2) kt->weight_gradients(*c->pool, m, rows, c->ws, gW_encT, gb_enc, gW_dec, gb_dec, timings);
  if (auxK > 0) {
    const AuxKResult r = aux_k_pass(*c->pool, m, aux, x, rows, c->ws, fired, mode == 2 ? gW_encT : nullptr,
                                    mode == 2 ? gb_enc : nullptr, mode == 2 ? gW_dec : nullptr, mode == 2 ? gb_dec : nullptr);
    auxOut[0] = r.loss;
    auxOut[1] = (double)r.dead;
  }
  return kt->reduce_losses(spec, c->ws, rows, levelLosses);
}

// renormalize / project / clip / AdamW over the four tensors; returns the gradient norm before clipping
EMSCRIPTEN_KEEPALIVE double msae_update(Context* c, int dIn, int dSae, double lr, double beta1, double beta2, double eps,
                                        double weightDecay, double clipNorm, int step, float* W_encT, float* gW_encT,
                                        float* mW_encT, float* vW_encT, float* b_enc, float* gb_enc, float* mb_enc,
                                        float* vb_enc, float* W_dec, float* gW_dec, float* mW_dec, float* vW_dec,
                                        float* b_dec, float* gb_dec, float* mb_dec, float* vb_dec, double* timings) {
  const int64_t n = (int64_t)dIn * dSae;
  const Tensor we{W_encT, gW_encT, mW_encT, vW_encT, n}, be{b_enc, gb_enc, mb_enc, vb_enc, dSae},
      wd{W_dec, gW_dec, mW_dec, vW_dec, n}, bd{b_dec, gb_dec, mb_dec, vb_dec, dIn};
  const AdamConfig cfg{lr, beta1, beta2, eps, weightDecay, clipNorm, step};
  return c->k->training_update(*c->pool, dIn, dSae, we, be, wd, bd, cfg, timings ? timings + PHASE_OPTIMIZER : nullptr);
}

}  // extern "C"
