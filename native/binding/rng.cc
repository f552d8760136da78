// Host access to the engine's RNG (philox.h): the raw Philox4x32-10 block (for the published test
// vectors) and the LGN-spike and BKG-count draws a trial makes, for analysis and tests.
#include "binding/convert.h"
#include "binding/registry.h"
#include "v1lm/philox.h"

namespace v1lm::binding {
namespace {

uint64_t readSeed(Napi::Value v, const char* field) {
  if (!v.IsNumber()) throw badArgument(field, "expected an integer");
  const double x = v.As<Napi::Number>().DoubleValue();
  if (x < 0 || x != std::floor(x) || x > 9007199254740991.0) throw badArgument(field, "must be an integer in 0..2^53−1");
  return static_cast<uint64_t>(x);
}
uint32_t readU32(Napi::Value v, const char* field) {
  const uint64_t x = readSeed(v, field);
  if (x > 0xFFFFFFFFu) throw badArgument(field, "must fit in 32 bits");
  return static_cast<uint32_t>(x);
}

template <typename F>
Napi::Value guarded(Napi::Env env, F&& f) {
  try {
    return f();
  } catch (const v1lm::Error& e) {
    throw toJsError(env, e);
  }
}

// philox4x32(counter: Uint32Array(4), key: Uint32Array(2)) → Uint32Array(4)
Napi::Value Philox(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    std::vector<uint32_t> c = readArray<uint32_t>(info[0], "counter"), k = readArray<uint32_t>(info[1], "key");
    if (c.size() != 4 || k.size() != 2) throw badArgument("counter", "need 4 counter words and 2 key words");
    Philox4 out = philox4x32_10({{c[0], c[1], c[2], c[3]}}, k[0], k[1]);
    return makeArray(info.Env(), std::vector<uint32_t>(out.v, out.v + 4));
  });
}

// drawLgnSpikes(seed, trial, batch, steps, nInputs, probability: Float32Array(B·T·nInputs)) → Uint8Array
Napi::Value DrawLgnSpikes(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const uint64_t seed = readSeed(info[0], "seed");
    const uint32_t trial = readU32(info[1], "trial"), B = readU32(info[2], "batch"), T = readU32(info[3], "steps"), nIn = readU32(info[4], "nInputs");
    std::vector<float> p = readArray<float>(info[5], "probability");
    if (p.size() != static_cast<size_t>(B) * T * nIn) throw badArgument("probability", "length must be batch·steps·nInputs");
    std::vector<uint8_t> out(p.size());
    for (uint32_t b = 0; b < B; ++b)
      for (uint32_t t = 0; t < T; ++t)
        for (uint32_t u = 0; u < nIn; ++u) {
          const size_t i = (static_cast<size_t>(b) * T + t) * nIn + u;
          out[i] = static_cast<uint8_t>(lgnSpikeDraw(seed, trial, t, u, b, p[i]));
        }
    return makeArray(info.Env(), out);
  });
}

// drawBkgCounts(seed, trial, batch, steps, area, nSources) → Float32Array(B·T·nSources)
Napi::Value DrawBkgCounts(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const uint64_t seed = readSeed(info[0], "seed");
    const uint32_t trial = readU32(info[1], "trial"), B = readU32(info[2], "batch"), T = readU32(info[3], "steps");
    const uint32_t area = readU32(info[4], "area"), nS = readU32(info[5], "nSources");
    std::vector<float> out(static_cast<size_t>(B) * T * nS);
    for (uint32_t b = 0; b < B; ++b)
      for (uint32_t t = 0; t < T; ++t)
        for (uint32_t k = 0; k < nS; ++k) out[(static_cast<size_t>(b) * T + t) * nS + k] = bkgCountDraw(seed, trial, t, area, k, nS, b);
    return makeArray(info.Env(), out);
  });
}

}  // namespace

void RegisterRng(Napi::Env env, Napi::Object exports) {
  exports.Set("philox4x32", Napi::Function::New(env, Philox, "philox4x32"));
  exports.Set("drawLgnSpikes", Napi::Function::New(env, DrawLgnSpikes, "drawLgnSpikes"));
  exports.Set("drawBkgCounts", Napi::Function::New(env, DrawBkgCounts, "drawBkgCounts"));
}

}  // namespace v1lm::binding
