// addon.lgnCreate(spec) → model handle; addon.lgnRates(model, movie, steps, rates, probabilities|null,
// {backend, threads}) → Promise<timing>. The heavy work runs off the JS thread (AsyncWorker).
#include <memory>
#include <string>
#include <thread>

#include "binding/registry.h"
#include "engine/cuda_probe.h"
#include "lgn/lgn_model.h"
#include "v1lm/lgn.h"

namespace v1lm::binding {
namespace {
using lgn::LgnModel;

Napi::Error typedError(Napi::Env env, const std::string& code, const std::string& field, const std::string& msg) {
  Napi::Error e = Napi::Error::New(env, field.empty() ? msg : field + ": " + msg);
  e.Value().Set("code", Napi::String::New(env, code));
  if (!field.empty()) e.Value().Set("field", Napi::String::New(env, field));
  return e;
}

template <class TA, class T>
std::vector<T> readArray(const Napi::Object& spec, const char* name, size_t expected) {
  Napi::Env env = spec.Env();
  Napi::Value v = spec.Get(name);
  if (!v.IsTypedArray()) throw typedError(env, "E_BAD_ARGUMENT", name, "must be a typed array");
  TA a = v.As<TA>();
  if (expected != static_cast<size_t>(-1) && a.ElementLength() != expected)
    throw typedError(env, "E_BAD_ARGUMENT", name,
                     "length " + std::to_string(a.ElementLength()) + ", expected " + std::to_string(expected));
  return std::vector<T>(a.Data(), a.Data() + a.ElementLength());
}

int readInt(const Napi::Object& spec, const char* name, int min) {
  Napi::Value v = spec.Get(name);
  if (!v.IsNumber() || v.As<Napi::Number>().Int32Value() < min)
    throw typedError(spec.Env(), "E_BAD_ARGUMENT", name, "must be an integer >= " + std::to_string(min));
  return v.As<Napi::Number>().Int32Value();
}

void finalizeModel(Napi::Env, LgnModel* m) {
#ifdef V1LM_WITH_CUDA
  lgn::releaseDevice(*m);
#endif
  delete m;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) throw typedError(env, "E_BAD_ARGUMENT", "spec", "expected an object");
  Napi::Object s = info[0].As<Napi::Object>();
  auto m = std::make_unique<LgnModel>();
  const size_t any = static_cast<size_t>(-1);
  m->n = readInt(s, "n", 1);
  m->nc = readInt(s, "nc", 0);
  m->kDom = readInt(s, "kDom", 1);
  m->kNd = readInt(s, "kNd", 0);
  const size_t n = m->n, nc = m->nc;
  m->radius = readArray<Napi::Int32Array, int>(s, "radius", any);
  const size_t nBins = m->radius.size();
  m->tapOffset = readArray<Napi::Int32Array, int>(s, "tapOffset", nBins);
  m->taps = readArray<Napi::Float32Array, float>(s, "taps", any);
  for (size_t b = 0; b < nBins; ++b) {
    if (m->radius[b] < 0 || m->tapOffset[b] < 0 || m->tapOffset[b] + 2 * m->radius[b] + 1 > static_cast<int>(m->taps.size()))
      throw typedError(env, "E_BAD_ARGUMENT", "taps", "bin " + std::to_string(b) + " runs past the tap array");
  }
  m->unitBin = readArray<Napi::Int32Array, int>(s, "unitBin", n);
  m->y = readArray<Napi::Float64Array, double>(s, "y", n);
  m->x = readArray<Napi::Float64Array, double>(s, "x", n);
  m->ndIndex = readArray<Napi::Int32Array, int>(s, "ndIndex", n);
  m->yNd = readArray<Napi::Float64Array, double>(s, "yNd", nc);
  m->xNd = readArray<Napi::Float64Array, double>(s, "xNd", nc);
  m->amp = readArray<Napi::Float64Array, double>(s, "amp", n);
  m->spontDom = readArray<Napi::Float64Array, double>(s, "spontDom", n);
  m->ampNd = readArray<Napi::Float64Array, double>(s, "ampNd", nc);
  m->spontNd = readArray<Napi::Float64Array, double>(s, "spontNd", nc);
  m->kernDom = readArray<Napi::Float32Array, float>(s, "kernDom", static_cast<size_t>(m->kDom) * n);
  m->kernNd = readArray<Napi::Float32Array, float>(s, "kernNd", static_cast<size_t>(m->kNd) * nc);
  m->firstDom = readArray<Napi::Int32Array, int>(s, "firstDom", n);
  m->firstNd = readArray<Napi::Int32Array, int>(s, "firstNd", nc);
  auto inside = [](double y, double x) { return y >= 0 && y <= lgn::kRows - 1 && x >= 0 && x <= lgn::kCols - 1; };
  for (size_t u = 0; u < n; ++u) {
    if (m->unitBin[u] < 0 || m->unitBin[u] >= static_cast<int>(nBins))
      throw typedError(env, "E_BAD_ARGUMENT", "unitBin", "unit " + std::to_string(u) + " has no size bin");
    if (!inside(m->y[u], m->x[u]))
      throw typedError(env, "E_BAD_ARGUMENT", "x", "unit " + std::to_string(u) + " centre outside the 240x120 screen");
    if (m->ndIndex[u] >= static_cast<int>(nc))
      throw typedError(env, "E_BAD_ARGUMENT", "ndIndex", "unit " + std::to_string(u) + " non-dominant index out of range");
    if (m->firstDom[u] < 0 || m->firstDom[u] > m->kDom)
      throw typedError(env, "E_BAD_ARGUMENT", "firstDom", "out of range");
  }
  for (size_t c = 0; c < nc; ++c) {
    if (!inside(m->yNd[c], m->xNd[c]))
      throw typedError(env, "E_BAD_ARGUMENT", "xNd", "composite " + std::to_string(c) + " centre outside the screen");
    if (m->firstNd[c] < 0 || m->firstNd[c] > m->kNd) throw typedError(env, "E_BAD_ARGUMENT", "firstNd", "out of range");
  }
  // CPU layout: one contiguous kernel row per unit.
  m->kernDomT.resize(m->kernDom.size());
  for (size_t j = 0; j < static_cast<size_t>(m->kDom); ++j)
    for (size_t u = 0; u < n; ++u) m->kernDomT[u * m->kDom + j] = m->kernDom[j * n + u];
  m->kernNdT.resize(m->kernNd.size());
  for (size_t j = 0; j < static_cast<size_t>(m->kNd); ++j)
    for (size_t c = 0; c < nc; ++c) m->kernNdT[c * m->kNd + j] = m->kernNd[j * nc + c];
  return Napi::External<LgnModel>::New(env, m.release(), finalizeModel);
}

class RatesWorker : public Napi::AsyncWorker {
 public:
  RatesWorker(Napi::Env env, LgnModel* model, bool cuda, int threads, int steps, Napi::Float32Array movie,
              Napi::Float32Array rates, Napi::Value probabilities, Napi::Value modelValue)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), model_(model), cuda_(cuda),
        threads_(threads), steps_(steps), movie_(movie.Data()), rates_(rates.Data()) {
    keep_ = Napi::Persistent(Napi::Object::New(env));
    keep_.Value().Set("movie", movie);
    keep_.Value().Set("rates", rates);
    keep_.Value().Set("model", modelValue);
    if (probabilities.IsTypedArray()) {
      keep_.Value().Set("p", probabilities);
      probs_ = probabilities.As<Napi::Float32Array>().Data();
    }
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
#ifdef V1LM_WITH_CUDA
      if (cuda_) {
        lgn::ratesCuda(*model_, movie_, steps_, rates_, probs_, &timing_);
        return;
      }
#endif
      lgn::ratesCpu(*model_, movie_, steps_, rates_, probs_, threads_, &timing_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object t = Napi::Object::New(env);
    t.Set("backend", cuda_ ? "cuda" : "cpu");
    t.Set("uploadMs", timing_.uploadMs);
    t.Set("spatialMs", timing_.spatialMs);
    t.Set("temporalMs", timing_.temporalMs);
    t.Set("downloadMs", timing_.downloadMs);
    t.Set("totalMs", timing_.totalMs);
    deferred_.Resolve(t);
  }
  void OnError(const Napi::Error& e) override {
    std::string msg = e.Message();
    bool oom = msg.find("out of memory") != std::string::npos;
    deferred_.Reject(typedError(Env(), oom ? "E_OUT_OF_MEMORY" : "E_INTERNAL", "", msg).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference keep_;
  LgnModel* model_;
  bool cuda_;
  int threads_, steps_;
  const float* movie_;
  float* rates_;
  float* probs_ = nullptr;
  lgn::LgnTiming timing_;
};

Napi::Value Rates(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsExternal())
    throw typedError(env, "E_BAD_ARGUMENT", "model", "expected (model, movie, steps, rates, probabilities, options)");
  LgnModel* m = info[0].As<Napi::External<LgnModel>>().Data();
  if (!info[2].IsNumber()) throw typedError(env, "E_BAD_ARGUMENT", "steps", "must be a number");
  int T = info[2].As<Napi::Number>().Int32Value();
  if (T < 1) throw typedError(env, "E_BAD_ARGUMENT", "steps", "must be >= 1");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw typedError(env, "E_BAD_ARGUMENT", "movie", "must be a Float32Array");
  Napi::Float32Array movie = info[1].As<Napi::Float32Array>();
  if (movie.ElementLength() != static_cast<size_t>(T) * lgn::kRows * lgn::kCols)
    throw typedError(env, "E_BAD_ARGUMENT", "movie", "length must be steps x 120 x 240");
  auto outOk = [&](const Napi::Value& v) {
    return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array &&
           v.As<Napi::Float32Array>().ElementLength() == static_cast<size_t>(T) * m->n;
  };
  if (!outOk(info[3])) throw typedError(env, "E_BAD_ARGUMENT", "rates", "must be a Float32Array of steps x units");
  if (!info[4].IsNull() && !outOk(info[4]))
    throw typedError(env, "E_BAD_ARGUMENT", "probabilities", "must be null or a Float32Array of steps x units");
  Napi::Object opts = info[5].IsObject() ? info[5].As<Napi::Object>() : Napi::Object::New(env);
  std::string backend = opts.Has("backend") ? opts.Get("backend").ToString().Utf8Value() : "cpu";
  int threads = opts.Has("threads") ? opts.Get("threads").ToNumber().Int32Value()
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool cuda = false;
  if (backend == "cuda") {
    CudaProbe p = probeCuda();
    if (!p.available) throw typedError(env, "E_NO_CUDA", "backend", "CUDA backend unavailable: " + p.reason);
    cuda = true;
  } else if (backend != "cpu") {
    throw typedError(env, "E_BAD_ARGUMENT", "backend", "must be 'cpu' or 'cuda'");
  }
  auto* w = new RatesWorker(env, m, cuda, threads, T, movie, info[3].As<Napi::Float32Array>(), info[4], info[0]);
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}
}  // namespace

void RegisterLgn(Napi::Env env, Napi::Object exports) {
  exports.Set("lgnCreate", Napi::Function::New(env, Create, "lgnCreate"));
  exports.Set("lgnRates", Napi::Function::New(env, Rates, "lgnRates"));
}
}  // namespace v1lm::binding
