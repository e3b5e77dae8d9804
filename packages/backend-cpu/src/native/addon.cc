// N-API entry points of the native CPU engine. JavaScript owns every parameter/gradient/moment buffer
// (Float32Arrays passed in zero-copy); the context owns the thread pool and the per-batch workspace. The
// computations go through the kernel table dispatch.cc picked for this CPU (see kernel_table.h).
#include <node_api.h>

#include <chrono>
#include <functional>
#include <utility>
#include <cstring>
#include <string>
#include <thread>

#include "aux_k.h"
#include "dispatch.h"
#include "phase_clock.h"
#include "kernel_table.h"
#include "thread_pool.h"

namespace {

struct Context {
  ThreadPool* pool;
  const KernelTable* k;
  Workspace ws;
  I8GemmFn i8gemm;  // int8 x int8 kernel (AVX-512 VNNI where cpuid has it)
  bool busy = false;  // an async pass/update is running on a libuv worker (set and cleared on the JS thread)
};

struct JsError {
  std::string message;
};

#define NAPI_OK(call)                                  \
  do {                                                 \
    if ((call) != napi_ok) throw JsError{"N-API call failed: " #call}; \
  } while (0)

napi_value get_prop(napi_env env, napi_value obj, const char* name) {
  napi_value v;
  NAPI_OK(napi_get_named_property(env, obj, name, &v));
  return v;
}

double get_number(napi_env env, napi_value v, const char* what) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw JsError{std::string(what) + " must be a number"};
  return d;
}
double prop_number(napi_env env, napi_value obj, const char* name) { return get_number(env, get_prop(env, obj, name), name); }

bool is_present(napi_env env, napi_value obj, const char* name) {
  bool has = false;
  NAPI_OK(napi_has_named_property(env, obj, name, &has));
  if (!has) return false;
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, get_prop(env, obj, name), &t));
  return t != napi_undefined && t != napi_null;
}

template <class T>
T* typed_array(napi_env env, napi_value v, napi_typedarray_type want, int64_t expected, const char* what) {
  bool is = false;
  NAPI_OK(napi_is_typedarray(env, v, &is));
  if (!is) throw JsError{std::string(what) + " must be a typed array"};
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  NAPI_OK(napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset));
  if (type != want) throw JsError{std::string(what) + " has the wrong element type"};
  if (expected >= 0 && (int64_t)length != expected)
    throw JsError{std::string(what) + " has " + std::to_string(length) + " values, expected " + std::to_string(expected)};
  return (T*)data;
}
float* prop_f32(napi_env env, napi_value obj, const char* name, int64_t expected) {
  return typed_array<float>(env, get_prop(env, obj, name), napi_float32_array, expected, name);
}

Context* get_context(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok || !p) throw JsError{"invalid engine context"};
  Context* c = (Context*)p;
  if (!c->pool) throw JsError{"engine context already disposed"};
  if (c->busy) throw JsError{"native CPU engine busy: await the previous call first"};
  return c;
}

napi_value make_number(napi_env env, double d) {
  napi_value v;
  NAPI_OK(napi_create_double(env, d, &v));
  return v;
}

template <class F>
napi_value guarded(napi_env env, F&& f) {
  try {
    return f();
  } catch (const JsError& e) {
    napi_throw_error(env, nullptr, e.message.c_str());
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "native CPU engine: out of memory");
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

void args(napi_env env, napi_callback_info info, size_t n, napi_value* out) {
  size_t argc = n;
  NAPI_OK(napi_get_cb_info(env, info, &argc, out, nullptr, nullptr));
  if (argc < n) throw JsError{"missing arguments"};
}

void finalize_context(napi_env, void* data, void*) {
  Context* c = (Context*)data;
  delete c->pool;
  delete c;
}

// Optional string argument i of a call ("" when absent or undefined).
std::string optional_string(napi_env env, napi_callback_info info, size_t i) {
  napi_value a[4];
  size_t argc = 4;
  NAPI_OK(napi_get_cb_info(env, info, &argc, a, nullptr, nullptr));
  if (argc <= i) return "";
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, a[i], &t));
  if (t == napi_undefined || t == napi_null) return "";
  size_t n = 0;
  if (napi_get_value_string_utf8(env, a[i], nullptr, 0, &n) != napi_ok) throw JsError{"kernel variant must be a string"};
  std::string s(n, '\0');
  NAPI_OK(napi_get_value_string_utf8(env, a[i], &s[0], n + 1, &n));
  return s;
}

// create(threads, variant?) -> context running that kernel variant (default: the best this CPU supports)
napi_value Create(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[1];
    args(env, info, 1, a);
    int threads = (int)get_number(env, a[0], "threads");
    if (threads <= 0) threads = (int)std::max(1u, std::thread::hardware_concurrency());
    const KernelChoice kc = kernel_choice(optional_string(env, info, 1));
    if (!kc.table) throw JsError{kc.error};
    Context* c = new Context{new ThreadPool(threads), kc.table, {}, kc.i8gemm};
    napi_value ext;
    NAPI_OK(napi_create_external(env, c, finalize_context, nullptr, &ext));
    return ext;
  });
}

// dispose(context): joins the threads and frees the workspace now.
napi_value Dispose(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[1];
    args(env, info, 1, a);
    void* p = nullptr;
    NAPI_OK(napi_get_value_external(env, a[0], &p));
    Context* c = (Context*)p;
    if (c->busy) throw JsError{"native CPU engine busy: await the pending call before dispose"};
    delete c->pool;
    c->pool = nullptr;
    c->ws = Workspace();
    return nullptr;
  });
}

napi_value Threads(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[1];
    args(env, info, 1, a);
    return make_number(env, get_context(env, a[0])->pool->size());
  });
}

// variant(ctx): the kernel variant the context runs ("base", "avx2", "avx512")
napi_value VariantOf(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[1];
    args(env, info, 1, a);
    napi_value v;
    NAPI_OK(napi_create_string_utf8(env, get_context(env, a[0])->k->name, NAPI_AUTO_LENGTH, &v));
    return v;
  });
}

// gemm(ctx, A, B, M, N, K, transB, C): C = A op(B)
napi_value Gemm(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[8];
    args(env, info, 8, a);
    Context* c = get_context(env, a[0]);
    const int64_t M = (int64_t)get_number(env, a[3], "M"), N = (int64_t)get_number(env, a[4], "N"),
                  K = (int64_t)get_number(env, a[5], "K");
    bool transB = false;
    NAPI_OK(napi_get_value_bool(env, a[6], &transB));
    const float* A = typed_array<float>(env, a[1], napi_float32_array, M * K, "a");
    const float* B = typed_array<float>(env, a[2], napi_float32_array, N * K, "b");
    float* C = typed_array<float>(env, a[7], napi_float32_array, M * N, "out");
    c->k->sgemm(*c->pool, M, N, K, A, K, B, transB ? K : N, transB, C, N);
    return nullptr;
  });
}

// gemmInt8(ctx, A, codes, scale, M, N, K, C): C[i, j] = scale[j] sum_t A[i, t] codes[j, t]
napi_value GemmInt8(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[8];
    args(env, info, 8, a);
    Context* c = get_context(env, a[0]);
    const int64_t M = (int64_t)get_number(env, a[4], "M"), N = (int64_t)get_number(env, a[5], "N"),
                  K = (int64_t)get_number(env, a[6], "K");
    const float* A = typed_array<float>(env, a[1], napi_float32_array, M * K, "a");
    const int8_t* codes = typed_array<int8_t>(env, a[2], napi_int8_array, N * K, "codes");
    const float* scale = typed_array<float>(env, a[3], napi_float32_array, N, "scale");
    float* C = typed_array<float>(env, a[7], napi_float32_array, M * N, "out");
    c->k->si8gemv(*c->pool, M, N, K, A, codes, scale, C);
    return nullptr;
  });
}

// gemmInt8Int8(ctx, A, B, M, N, K, C): C[i, j] = sum_t A[i, t] B[j, t], int8 in (|code| <= 127), int32 out;
// gemmInt8Int8Scaled(ctx, A, ascale, B, bscale, M, N, K, C): C[i, j] = ascale[i] bscale[j] sum_t A[i, t] B[j, t]
napi_value GemmInt8Int8Impl(napi_env env, napi_callback_info info, bool scaled) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[9];
    const int o = scaled ? 2 : 0;  // argument offset past the scales
    args(env, info, 7 + o, a);
    Context* c = get_context(env, a[0]);
    const int64_t M = (int64_t)get_number(env, a[3 + o], "M"), N = (int64_t)get_number(env, a[4 + o], "N"),
                  K = (int64_t)get_number(env, a[5 + o], "K");
    if (K >= 65536) throw JsError{"gemmInt8Int8: K must be below 65536 (int32 accumulation)"};
    const int8_t* A = typed_array<int8_t>(env, a[1], napi_int8_array, M * K, "a");
    const int8_t* B = typed_array<int8_t>(env, a[2 + o / 2], napi_int8_array, N * K, "b");
    if (scaled) {
      const float* as = typed_array<float>(env, a[2], napi_float32_array, M, "ascale");
      const float* bs = typed_array<float>(env, a[4], napi_float32_array, N, "bscale");
      float* C = typed_array<float>(env, a[8], napi_float32_array, M * N, "out");
      c->i8gemm(*c->pool, M, N, K, A, B, as, bs, nullptr, C);
    } else {
      int32_t* C = typed_array<int32_t>(env, a[6], napi_int32_array, M * N, "out");
      c->i8gemm(*c->pool, M, N, K, A, B, nullptr, nullptr, C, nullptr);
    }
    return nullptr;
  });
}
napi_value GemmInt8Int8(napi_env env, napi_callback_info info) { return GemmInt8Int8Impl(env, info, false); }
napi_value GemmInt8Int8Scaled(napi_env env, napi_callback_info info) { return GemmInt8Int8Impl(env, info, true); }

// decode(ctx, z, rows, W_dec, b_dec, dSae, dIn, out): out = z W_dec + b_dec, skipping zero codes
napi_value Decode(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[8];
    args(env, info, 8, a);
    Context* c = get_context(env, a[0]);
    const int64_t rows = (int64_t)get_number(env, a[2], "rows"), dSae = (int64_t)get_number(env, a[5], "dSae"),
                  dIn = (int64_t)get_number(env, a[6], "dIn");
    const float* z = typed_array<float>(env, a[1], napi_float32_array, rows * dSae, "z");
    const float* W = typed_array<float>(env, a[3], napi_float32_array, dSae * dIn, "W_dec");
    const float* bd = typed_array<float>(env, a[4], napi_float32_array, dIn, "b_dec");
    float* out = typed_array<float>(env, a[7], napi_float32_array, rows * dIn, "out");
    c->k->decode_dense(*c->pool, z, rows, W, bd, dSae, dIn, out);
    return nullptr;
  });
}

void read_model(napi_env env, napi_value o, SaeModel& m) {
  m.dIn = (int64_t)prop_number(env, o, "dIn");
  m.dSae = (int64_t)prop_number(env, o, "dSae");
  m.W_encT = prop_f32(env, o, "W_encT", m.dIn * m.dSae);
  m.b_enc = prop_f32(env, o, "b_enc", m.dSae);
  m.W_dec = prop_f32(env, o, "W_dec", m.dIn * m.dSae);
  m.b_dec = prop_f32(env, o, "b_dec", m.dIn);
}

// AuxK options of a pass (absent unless opts.auxK > 0): dead [dSae] Uint8Array in, fired [dSae] Uint8Array and
// auxOut [2] Float64Array (L_aux, #dead) out. See aux_k.h.
struct AuxKArgs {
  AuxKSpec spec;
  uint8_t* fired = nullptr;
  double* out = nullptr;
};
AuxKArgs read_aux(napi_env env, napi_value o, int64_t dSae) {
  AuxKArgs a;
  if (!is_present(env, o, "auxK")) return a;
  a.spec.aux_k = (int32_t)prop_number(env, o, "auxK");
  if (a.spec.aux_k <= 0) return a;
  a.spec.weight = prop_number(env, o, "auxWeight");
  a.spec.mse = prop_number(env, o, "mse") != 0;
  a.spec.dead = typed_array<uint8_t>(env, get_prop(env, o, "dead"), napi_uint8_array, dSae, "dead");
  a.fired = typed_array<uint8_t>(env, get_prop(env, o, "fired"), napi_uint8_array, dSae, "fired");
  a.out = typed_array<double>(env, get_prop(env, o, "auxOut"), napi_float64_array, 2, "auxOut");
  return a;
}
void run_aux(Context* c, const SaeModel& m, const AuxKArgs& a, const float* x, int64_t rows, float* gW_encT, float* gb_enc,
             float* gW_dec, float* gb_dec) {
  if (a.spec.aux_k <= 0) return;
  const AuxKResult r = aux_k_pass(*c->pool, m, a.spec, x, rows, c->ws, a.fired, gW_encT, gb_enc, gW_dec, gb_dec);
  a.out[0] = r.loss;
  a.out[1] = (double)r.dead;
}

// Work of one pass/update call: arguments are read on the JS thread (make_*), the returned closure runs the
// computation (no N-API calls inside), synchronously or on a libuv worker.
using Work = std::function<double()>;

// pass(ctx, opts) -> loss. opts.mode: 0 encode, 1 forward, 2 gradients. See sae_pass.h.
Work make_pass(napi_env env, Context* c, napi_value o) {
  SaeModel m;
  read_model(env, o, m);
  const int mode = (int)prop_number(env, o, "mode");
  const int64_t rows = (int64_t)prop_number(env, o, "rows");
  const float* x = prop_f32(env, o, "x", rows * m.dIn);
  double* timings = is_present(env, o, "timings")
                        ? typed_array<double>(env, get_prop(env, o, "timings"), napi_float64_array, 5, "timings")
                        : nullptr;
  SaeLossSpec spec;
  spec.arch = (int)prop_number(env, o, "arch");
  if (mode == 0) {
    const int64_t k = (int64_t)prop_number(env, o, "k");
    float* codes = prop_f32(env, o, "codes", rows * m.dSae);
    return [=]() {
      c->k->encode_and_select(*c->pool, m, spec, x, rows, k < 0 ? m.dSae : k, c->ws, timings);
      c->k->scatter_codes(*c->pool, c->ws.codes, m.dSae, codes);
      return 0.0;
    };
  }
  napi_value nest = get_prop(env, o, "nesting");
  uint32_t L = 0;
  NAPI_OK(napi_get_array_length(env, nest, &L));
  napi_value coef = get_prop(env, o, "coef");
  for (uint32_t i = 0; i < L; i++) {
    napi_value v;
    NAPI_OK(napi_get_element(env, nest, i, &v));
    spec.nesting.push_back((int32_t)get_number(env, v, "nesting"));
    NAPI_OK(napi_get_element(env, coef, i, &v));
    spec.coef.push_back(get_number(env, v, "coef"));
  }
  if (L == 0 || L > 60) throw JsError{"nesting must have 1 to 60 levels"};
  spec.mse = prop_number(env, o, "mse") != 0;
  spec.l1 = prop_number(env, o, "l1");
  if (is_present(env, o, "batchK")) spec.batch_k = (int32_t)prop_number(env, o, "batchK");
  double* level_losses = typed_array<double>(env, get_prop(env, o, "levelLosses"), napi_float64_array, L, "levelLosses");
  const AuxKArgs aux = read_aux(env, o, m.dSae);
  if (mode == 1) {
    float* recons = prop_f32(env, o, "recons", (int64_t)L * rows * m.dIn);
    float* codes = prop_f32(env, o, "codes", rows * m.dSae);
    return [=]() {
      c->k->encode_and_select(*c->pool, m, spec, x, rows, -1, c->ws, timings);
      c->k->decode_levels(*c->pool, m, spec, x, rows, c->ws, recons, false, timings);
      c->k->scatter_codes(*c->pool, c->ws.codes, m.dSae, codes);
      run_aux(c, m, aux, x, rows, nullptr, nullptr, nullptr, nullptr);
      return c->k->reduce_losses(spec, c->ws, rows, level_losses);
    };
  }
  float* gW_encT = prop_f32(env, o, "gW_encT", m.dIn * m.dSae);
  float* gb_enc = prop_f32(env, o, "gb_enc", m.dSae);
  float* gW_dec = prop_f32(env, o, "gW_dec", m.dIn * m.dSae);
  float* gb_dec = prop_f32(env, o, "gb_dec", m.dIn);
  return [=]() {
    c->k->encode_and_select(*c->pool, m, spec, x, rows, -1, c->ws, timings);
    c->k->decode_levels(*c->pool, m, spec, x, rows, c->ws, nullptr, true, timings);
    c->k->weight_gradients(*c->pool, m, rows, c->ws, gW_encT, gb_enc, gW_dec, gb_dec, timings);
    run_aux(c, m, aux, x, rows, gW_encT, gb_enc, gW_dec, gb_dec);
    return c->k->reduce_losses(spec, c->ws, rows, level_losses);
  };
}

Tensor read_tensor(napi_env env, napi_value o, const char* p, const char* g, const char* m, const char* v, int64_t n) {
  return Tensor{prop_f32(env, o, p, n), prop_f32(env, o, g, n), prop_f32(env, o, m, n), prop_f32(env, o, v, n), n};
}

// update(ctx, opts) -> grad norm before clipping. See optimizer.h.
Work make_update(napi_env env, Context* c, napi_value o) {
  const int64_t dIn = (int64_t)prop_number(env, o, "dIn"), dSae = (int64_t)prop_number(env, o, "dSae");
  AdamConfig cfg{prop_number(env, o, "lr"),    prop_number(env, o, "beta1"),       prop_number(env, o, "beta2"),
                 prop_number(env, o, "eps"),   prop_number(env, o, "weightDecay"), prop_number(env, o, "clipNorm"),
                 (int64_t)prop_number(env, o, "step")};
  double* timings = is_present(env, o, "timings")
                        ? typed_array<double>(env, get_prop(env, o, "timings"), napi_float64_array, 5, "timings")
                        : nullptr;
  const Tensor we = read_tensor(env, o, "W_encT", "gW_encT", "mW_encT", "vW_encT", dIn * dSae);
  const Tensor be = read_tensor(env, o, "b_enc", "gb_enc", "mb_enc", "vb_enc", dSae);
  const Tensor wd = read_tensor(env, o, "W_dec", "gW_dec", "mW_dec", "vW_dec", dIn * dSae);
  const Tensor bd = read_tensor(env, o, "b_dec", "gb_dec", "mb_dec", "vb_dec", dIn);
  return [=]() {
    return c->k->training_update(*c->pool, dIn, dSae, we, be, wd, bd, cfg, timings ? timings + PHASE_OPTIMIZER : nullptr);
  };
}

// The work of f(ctx, opts) for the context in a[0] = ctx (busy or disposed contexts throw); a[1] = opts.
template <Work (*Make)(napi_env, Context*, napi_value)>
std::pair<Context*, Work> prepare(napi_env env, napi_callback_info info, napi_value* a) {
  args(env, info, 2, a);
  Context* c = get_context(env, a[0]);
  return {c, Make(env, c, a[1])};
}

// Synchronous form: f(ctx, opts) -> number.
template <Work (*Make)(napi_env, Context*, napi_value)>
napi_value RunSync(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[2];
    return make_number(env, prepare<Make>(env, info, a).second());
  });
}

// Asynchronous form: f(ctx, opts) -> Promise<number>; the computation runs on a libuv worker (which joins the
// context's thread pool as worker 0), so the event loop stays free. opts (and every typed array in it) is
// referenced until the promise settles; the context is marked busy meanwhile (other calls and dispose throw).
struct AsyncJob {
  Context* ctx;
  Work work;
  double result = 0;
  std::string error;
  napi_deferred deferred;
  napi_ref opts_ref, ctx_ref;
  napi_async_work handle;
};

void execute_job(napi_env, void* data) {
  AsyncJob* j = (AsyncJob*)data;
  try {
    j->result = j->work();
  } catch (const std::bad_alloc&) {
    j->error = "native CPU engine: out of memory";
  } catch (const std::exception& e) {
    j->error = e.what();
  } catch (const JsError& e) {
    j->error = e.message;
  }
}

void complete_job(napi_env env, napi_status status, void* data) {
  AsyncJob* j = (AsyncJob*)data;
  j->ctx->busy = false;
  napi_value v;
  if (status != napi_ok && j->error.empty()) j->error = "native CPU engine: async work was cancelled";
  if (j->error.empty()) {
    napi_create_double(env, j->result, &v);
    napi_resolve_deferred(env, j->deferred, v);
  } else {
    napi_value msg;
    napi_create_string_utf8(env, j->error.c_str(), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, nullptr, msg, &v);
    napi_reject_deferred(env, j->deferred, v);
  }
  napi_delete_reference(env, j->opts_ref);
  napi_delete_reference(env, j->ctx_ref);
  napi_delete_async_work(env, j->handle);
  delete j;
}

template <Work (*Make)(napi_env, Context*, napi_value)>
napi_value RunAsync(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    napi_value a[2];  // ctx and opts, referenced below until the promise settles
    auto [c, work] = prepare<Make>(env, info, a);
    AsyncJob* j = new AsyncJob{c, std::move(work)};
    napi_value promise, name;
    NAPI_OK(napi_create_promise(env, &j->deferred, &promise));
    NAPI_OK(napi_create_reference(env, a[1], 1, &j->opts_ref));
    NAPI_OK(napi_create_reference(env, a[0], 1, &j->ctx_ref));
    NAPI_OK(napi_create_string_utf8(env, "msae_cpu", NAPI_AUTO_LENGTH, &name));
    NAPI_OK(napi_create_async_work(env, nullptr, name, execute_job, complete_job, j, &j->handle));
    NAPI_OK(napi_queue_async_work(env, j->handle));
    c->busy = true;
    return promise;
  });
}

napi_value make_string(napi_env env, const std::string& s) {
  napi_value v;
  NAPI_OK(napi_create_string_utf8(env, s.c_str(), s.size(), &v));
  return v;
}

// kernelInfo(variant?) -> {variant, supported: [...], cpuModel, vectorFloats, error?}: the kernel variant
// create(threads, variant?) would run (null with `error` when the requested one is unknown or this CPU cannot
// run it), the variants this CPU supports (best first)
napi_value KernelInfo(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    const KernelChoice kc = kernel_choice(optional_string(env, info, 0));
    napi_value o, list, v;
    NAPI_OK(napi_create_object(env, &o));
    if (kc.table) {
      v = make_string(env, kc.table->name);
    } else {
      NAPI_OK(napi_get_null(env, &v));
      NAPI_OK(napi_set_named_property(env, o, "error", make_string(env, kc.error)));
    }
    NAPI_OK(napi_set_named_property(env, o, "variant", v));
    NAPI_OK(napi_create_array_with_length(env, kc.supported.size(), &list));
    for (size_t i = 0; i < kc.supported.size(); i++) NAPI_OK(napi_set_element(env, list, (uint32_t)i, make_string(env, kc.supported[i])));
    NAPI_OK(napi_set_named_property(env, o, "supported", list));
    NAPI_OK(napi_set_named_property(env, o, "cpuModel", make_string(env, kc.cpu_model)));
    NAPI_OK(napi_set_named_property(env, o, "int8Kernel", make_string(env, kc.i8name)));
    NAPI_OK(napi_set_named_property(env, o, "vectorFloats", make_number(env, kc.table ? kc.table->vector_floats : 0)));
    return o;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"kernelInfo", nullptr, KernelInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"create", nullptr, Create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dispose", nullptr, Dispose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"variant", nullptr, VariantOf, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmInt8", nullptr, GemmInt8, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmInt8Int8", nullptr, GemmInt8Int8, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemmInt8Int8Scaled", nullptr, GemmInt8Int8Scaled, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"decode", nullptr, Decode, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pass", nullptr, RunSync<make_pass>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"update", nullptr, RunSync<make_update>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"passAsync", nullptr, RunAsync<make_pass>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"updateAsync", nullptr, RunAsync<make_update>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
