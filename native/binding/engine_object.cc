// class Engine (JS): createEngine(network, options) → Promise<Engine>; forward / backward / update return
// Promises and run on the libuv thread pool; weights, gradients and optimizer state are copied on request.
#include <atomic>
#include <functional>
#include <memory>

#include "binding/convert.h"
#include "binding/registry.h"
#include "engine/cuda_probe.h"
#include "engine/engine.h"

namespace v1lm::binding {
namespace {

// ---- JS → structs ---------------------------------------------------------------------------------

NetworkSpec readNetwork(Napi::Value value) {
  const char* E = "E_BAD_NETWORK";
  Napi::Object net = readObject(value, "network", E);
  NetworkSpec spec;
  spec.nInputs = static_cast<int>(readNumber(net, "nInputs", "network.nInputs", 0, false, E));
  spec.nBkgSources = static_cast<int>(readNumber(net, "nBkgSources", "network.nBkgSources", 100, false, E));
  Napi::Array areas = readArrayOfValues(net.Get("areas"), "network.areas", E);
  for (uint32_t a = 0; a < areas.Length(); ++a) {
    const std::string f = "network.areas[" + std::to_string(a) + "]";
    Napi::Object ao = readObject(areas.Get(a), f, E);
    AreaSpec as;
    as.name = readString(ao, "name", f + ".name", E);
    as.n = static_cast<int>(readNumber(ao, "n", f + ".n", 0, true, E));
    Napi::Array types = readArrayOfValues(ao.Get("types"), f + ".types", E);
    for (uint32_t k = 0; k < types.Length(); ++k) {
      const std::string tf = f + ".types[" + std::to_string(k) + "]";
      Napi::Object to = readObject(types.Get(k), tf, E);
      NeuronTypeParams p{};
      p.V_th = readNumber(to, "V_th", tf + ".V_th", 0, true, E);
      p.E_L = readNumber(to, "E_L", tf + ".E_L", 0, true, E);
      p.g = readNumber(to, "g", tf + ".g", 0, true, E);
      p.C_m = readNumber(to, "C_m", tf + ".C_m", 0, true, E);
      p.V_reset = readNumber(to, "V_reset", tf + ".V_reset", p.E_L, false, E);
      p.t_ref = readNumber(to, "t_ref", tf + ".t_ref", 0, true, E);
      for (const char* key : {"k", "asc_amps"}) {
        Napi::Array pair = readArrayOfValues(to.Get(key), tf + "." + key, E);
        if (pair.Length() != 2) throw v1lm::Error(E, tf + "." + key, tf + "." + key + ": expected two values");
        double* dst = std::string(key) == "k" ? p.k : p.asc_amps;
        for (uint32_t j = 0; j < 2; ++j) {
          Napi::Value x = pair.Get(j);
          if (!x.IsNumber()) throw v1lm::Error(E, tf + "." + key, tf + "." + key + ": expected numbers");
          dst[j] = x.As<Napi::Number>().DoubleValue();
        }
      }
      as.types.push_back(p);
    }
    as.typeIndex = readArray<int32_t>(ao.Get("nodeTypeIndex"), f + ".nodeTypeIndex", E);
    spec.areas.push_back(std::move(as));
  }
  Napi::Array blocks = readArrayOfValues(net.Get("blocks"), "network.blocks", E);
  for (uint32_t b = 0; b < blocks.Length(); ++b) {
    const std::string f = "network.blocks[" + std::to_string(b) + "]";
    Napi::Object bo = readObject(blocks.Get(b), f, E);
    BlockSpec bs;
    bs.name = readString(bo, "name", f + ".name", E);
    const std::string kind = readString(bo, "kind", f + ".kind", E);
    if (kind == "recurrent") bs.kind = BlockKind::Recurrent;
    else if (kind == "interarea") bs.kind = BlockKind::Interarea;
    else if (kind == "lgn") bs.kind = BlockKind::Lgn;
    else if (kind == "bkg") bs.kind = BlockKind::Bkg;
    else throw v1lm::Error(E, f + ".kind", f + ".kind: '" + kind + "' is not one of recurrent, interarea, lgn, bkg");
    bs.target = static_cast<int>(readNumber(bo, "target", f + ".target", 0, true, E));
    bs.source = static_cast<int>(readNumber(bo, "source", f + ".source", -1, false, E));
    bs.pre = readArray<int32_t>(bo.Get("pre"), f + ".pre", E);
    bs.post = readArray<int32_t>(bo.Get("post"), f + ".post", E);
    bs.receptor = readArray<uint8_t>(bo.Get("receptor"), f + ".receptor", E);
    Napi::Value delay = bo.Get("delay");
    if (!delay.IsUndefined() && !delay.IsNull()) bs.delay = readArray<uint8_t>(delay, f + ".delay", E);
    bs.weight = readArray<float>(bo.Get("weight"), f + ".weight", E);
    spec.blocks.push_back(std::move(bs));
  }
  return spec;
}

EngineOptions readOptions(Napi::Value value, BackendKind& kind) {
  EngineOptions o;
  Napi::Object obj = value.IsUndefined() ? Napi::Object::New(value.Env()) : readObject(value, "options");
  o.batch = static_cast<int>(readNumber(obj, "batch", "options.batch", 1));
  o.maxDelay = static_cast<int>(readNumber(obj, "maxDelay", "options.maxDelay", 5));
  o.lrScale = static_cast<float>(readNumber(obj, "lrScale", "options.lrScale", 1));
  o.hardReset = readBool(obj, "hardReset", "options.hardReset", false);
  o.surrogate.dampening = static_cast<float>(readNumber(obj, "dampeningFactor", "options.dampeningFactor", 0.5));
  o.surrogate.gaussStd = static_cast<float>(readNumber(obj, "gaussStd", "options.gaussStd", 0.3));
  o.surrogate.gaussian = readBool(obj, "pseudoGauss", "options.pseudoGauss", false);
  o.recurrentDampening = static_cast<float>(readNumber(obj, "recurrentDampeningFactor", "options.recurrentDampeningFactor", 0.5));
  o.connectRecurrent = readBool(obj, "connectRecurrent", "options.connectRecurrent", true);
  o.connectAreas = readBool(obj, "connectAreas", "options.connectAreas", true);
  o.connectNoise = readBool(obj, "connectNoise", "options.connectNoise", true);
  const double seed = readNumber(obj, "seed", "options.seed", 0);
  if (seed < 0 || seed != std::floor(seed) || seed > 9007199254740991.0) throw badArgument("options.seed", "must be an integer in 0..2^53−1");
  o.seed = static_cast<uint64_t>(seed);
  o.threads = static_cast<int>(readNumber(obj, "threads", "options.threads", 0));
  if (o.threads < 0) throw badArgument("options.threads", "must be ≥ 0 (0 = all cores)");
  o.deterministic = readBool(obj, "deterministic", "options.deterministic", false);
  const double stepsPerPass = readNumber(obj, "backwardStepsPerPass", "options.backwardStepsPerPass", 3);
  if (stepsPerPass != std::floor(stepsPerPass) || !(std::fabs(stepsPerPass) < 1e6)) throw badArgument("options.backwardStepsPerPass", "must be an integer");
  o.backwardStepsPerPass = static_cast<int>(stepsPerPass);  // range: Engine
  const std::string p = obj.Get("adjointPrecision").IsUndefined() ? "float32" : readString(obj, "adjointPrecision", "options.adjointPrecision", "E_BAD_ARGUMENT");
  if (p == "float32") o.adjointPrecision = AdjointPrecision::Float32;
  else if (p == "bfloat16") o.adjointPrecision = AdjointPrecision::Bfloat16;
  else throw badArgument("options.adjointPrecision", "'" + p + "' is not float32 or bfloat16");
  Napi::Value backend = obj.Get("backend");
  std::string b = backend.IsString() ? backend.As<Napi::String>().Utf8Value() : "cpu";
  if (b == "cpu") kind = BackendKind::Cpu;
  else if (b == "cuda") kind = BackendKind::Cuda;
  else if (b == "auto") kind = probeCuda().available ? BackendKind::Cuda : BackendKind::Cpu;
  else throw badArgument("options.backend", "'" + b + "' is not cpu, cuda or auto");
  return o;
}

AreaState readState(Napi::Value value, const std::string& f) {
  Napi::Object o = readObject(value, f);
  AreaState s;
  s.zbuf = readArray<uint8_t, ResultVector<uint8_t>>(o.Get("zbuf"), f + ".zbuf");
  s.v = readArray<float, ResultVector<float>>(o.Get("v"), f + ".v");
  s.r = readArray<float, ResultVector<float>>(o.Get("r"), f + ".r");
  s.asc = readArray<float, ResultVector<float>>(o.Get("asc"), f + ".asc");
  s.rise = readArray<float, ResultVector<float>>(o.Get("rise"), f + ".rise");
  s.psc = readArray<float, ResultVector<float>>(o.Get("psc"), f + ".psc");
  return s;
}

// A forward request and the reference that keeps its LGN typed array alive until the call settles: the
// request views the caller's memory (no copy of the B·T·nInputs values). Destroyed on the JS thread.
struct ForwardCall {
  ForwardRequest req;
  Napi::ObjectReference lgn;
};

void readForward(Napi::Value value, size_t nAreas, ForwardCall& call) {
  Napi::Object o = readObject(value, "request");
  ForwardRequest& r = call.req;
  r.steps = static_cast<int>(readNumber(o, "steps", "steps", 0, true));
  const double trial = readNumber(o, "trial", "trial", 0);
  if (trial < 0 || trial > 4294967295.0 || trial != std::floor(trial)) throw badArgument("trial", "must be an integer in 0..2^32−1");
  r.trial = static_cast<uint32_t>(trial);
  r.keepTape = readBool(o, "keepTape", "keepTape", true);
  Napi::Value lgn = o.Get("lgn");
  if (!lgn.IsUndefined() && !lgn.IsNull()) {
    Napi::Object l = readObject(lgn, "lgn");
    if (l.Has("probability")) {
      r.lgnKind = LgnInputKind::Probability;
      r.lgnProbability = viewArray<float>(l.Get("probability"), "lgn.probability", call.lgn);
    } else if (l.Has("spikes")) {
      r.lgnKind = LgnInputKind::Spikes;
      r.lgnSpikes = viewArray<uint8_t>(l.Get("spikes"), "lgn.spikes", call.lgn);
    } else if (l.Has("current")) {
      r.lgnKind = LgnInputKind::Current;
      r.lgnProbability = viewArray<float>(l.Get("current"), "lgn.current", call.lgn);
    } else {
      throw badArgument("lgn", "give one of probability, spikes or current");
    }
  }
  Napi::Value bkg = o.Get("bkgCounts");
  if (!bkg.IsUndefined() && !bkg.IsNull()) {
    Napi::Array arr = readArrayOfValues(bkg, "bkgCounts");
    r.bkgCounts.resize(arr.Length());
    for (uint32_t a = 0; a < arr.Length(); ++a)
      if (!arr.Get(a).IsNull() && !arr.Get(a).IsUndefined())
        r.bkgCounts[a] = readArray<float>(arr.Get(a), "bkgCounts[" + std::to_string(a) + "]");
  }
  if (r.bkgCounts.empty()) r.bkgCounts.resize(nAreas);
  Napi::Value state = o.Get("state");
  if (!state.IsUndefined() && !state.IsNull()) {
    Napi::Array arr = readArrayOfValues(state, "state");
    for (uint32_t a = 0; a < arr.Length(); ++a) r.initialState.push_back(readState(arr.Get(a), "state[" + std::to_string(a) + "]"));
  }
  Napi::Value bins = o.Get("bins");
  if (!bins.IsUndefined() && !bins.IsNull()) {
    Napi::Object bo = readObject(bins, "bins");
    r.bins.start = static_cast<int>(readNumber(bo, "start", "bins.start", 0));
    r.bins.size = static_cast<int>(readNumber(bo, "size", "bins.size", 1, true));
    r.bins.count = static_cast<int>(readNumber(bo, "count", "bins.count", 1));
  }
  Napi::Value traces = o.Get("traces");
  if (!traces.IsUndefined() && !traces.IsNull()) {
    Napi::Array arr = readArrayOfValues(traces, "traces");
    r.traces.resize(arr.Length());
    for (uint32_t a = 0; a < arr.Length(); ++a) {
      if (arr.Get(a).IsNull() || arr.Get(a).IsUndefined()) continue;
      const std::string f = "traces[" + std::to_string(a) + "]";
      Napi::Object to = readObject(arr.Get(a), f);
      r.traces[a].offsets = readArray<int32_t>(to.Get("offsets"), f + ".offsets");
      r.traces[a].indices = readArray<int32_t>(to.Get("indices"), f + ".indices");
    }
  }
  Napi::Value rec = o.Get("recordVoltages");
  r.recordVoltages.assign(nAreas, 0);
  if (rec.IsBoolean()) {
    r.recordVoltages.assign(nAreas, rec.As<Napi::Boolean>().Value() ? 1 : 0);
  } else if (!rec.IsUndefined() && !rec.IsNull()) {
    Napi::Array arr = readArrayOfValues(rec, "recordVoltages");
    for (uint32_t a = 0; a < arr.Length() && a < nAreas; ++a) r.recordVoltages[a] = arr.Get(a).ToBoolean().Value() ? 1 : 0;
  }
}

BackwardRequest readBackward(Napi::Value value, const Engine& engine) {
  Napi::Object o = readObject(value, "adjoints");
  BackwardRequest r;
  const size_t nA = engine.network().areas.size();
  r.areas.resize(nA);
  Napi::Value areas = o.Get("areas");
  if (!areas.IsUndefined()) {
    Napi::Array arr = readArrayOfValues(areas, "adjoints.areas");
    if (arr.Length() != nA) throw badArgument("adjoints.areas", "one entry per area (" + std::to_string(nA) + ")");
    for (uint32_t a = 0; a < nA; ++a) {
      const std::string f = "adjoints.areas[" + std::to_string(a) + "]";
      if (arr.Get(a).IsUndefined() || arr.Get(a).IsNull()) continue;
      Napi::Object ao = readObject(arr.Get(a), f);
      if (ao.Has("counts") && !ao.Get("counts").IsUndefined()) r.areas[a].counts = readArray<float>(ao.Get("counts"), f + ".counts");
      if (ao.Has("traces") && !ao.Get("traces").IsUndefined()) r.areas[a].traces = readArray<float>(ao.Get("traces"), f + ".traces");
      r.areas[a].voltageRegularizer = readNumber(ao, "voltageRegularizer", f + ".voltageRegularizer", 0);
    }
  }
  r.trainable.assign(engine.network().blocks.size(), 0);
  Napi::Value tr = o.Get("trainable");
  if (!tr.IsUndefined() && !tr.IsNull()) {
    Napi::Array arr = readArrayOfValues(tr, "trainable");
    for (uint32_t k = 0; k < arr.Length(); ++k) {
      if (!arr.Get(k).IsString()) throw badArgument("trainable", "expected block names");
      r.trainable[engine.blockIndex(arr.Get(k).As<Napi::String>().Utf8Value(), "trainable")] = 1;
    }
  }
  return r;
}

OptimizerStep readUpdate(Napi::Value value, const Engine& engine) {
  Napi::Object o = readObject(value, "update");
  OptimizerStep s;
  const std::string alg = o.Get("algorithm").IsString() ? o.Get("algorithm").As<Napi::String>().Utf8Value() : "adam";
  if (alg == "adam") s.kind = OptimizerKind::Adam;
  else if (alg == "exp_adam") s.kind = OptimizerKind::ExpAdam;
  else if (alg == "sgd") s.kind = OptimizerKind::Sgd;
  else throw badArgument("update.algorithm", "'" + alg + "' is not adam, exp_adam or sgd");
  s.learningRate = readNumber(o, "learningRate", "update.learningRate", 1e-3);
  s.beta1 = readNumber(o, "beta1", "update.beta1", 0.9);
  s.beta2 = readNumber(o, "beta2", "update.beta2", 0.999);
  s.epsilon = readNumber(o, "epsilon", "update.epsilon", 1e-11);
  s.step = static_cast<int64_t>(readNumber(o, "step", "update.step", 1));
  s.gradientScale = readNumber(o, "gradientScale", "update.gradientScale", 1);
  Napi::Array blocks = readArrayOfValues(o.Get("blocks"), "update.blocks");
  for (uint32_t k = 0; k < blocks.Length(); ++k) {
    if (!blocks.Get(k).IsString()) throw badArgument("update.blocks", "expected block names");
    s.blocks.push_back(engine.blockIndex(blocks.Get(k).As<Napi::String>().Utf8Value(), "update.blocks"));
  }
  return s;
}

// ---- structs → JS ---------------------------------------------------------------------------------

// The result's vectors become the typed arrays' memory (no copy); `r` is left empty.
Napi::Object writeState(Napi::Env env, AreaState& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("zbuf", adoptArray(env, std::move(s.zbuf)));
  o.Set("v", adoptArray(env, std::move(s.v)));
  o.Set("r", adoptArray(env, std::move(s.r)));
  o.Set("asc", adoptArray(env, std::move(s.asc)));
  o.Set("rise", adoptArray(env, std::move(s.rise)));
  o.Set("psc", adoptArray(env, std::move(s.psc)));
  return o;
}

Napi::Object writeForward(Napi::Env env, ForwardResult& r) {
  Napi::Object out = Napi::Object::New(env);
  Napi::Array areas = Napi::Array::New(env, r.areas.size());
  for (size_t a = 0; a < r.areas.size(); ++a) {
    AreaObservables& ob = r.areas[a];
    Napi::Object o = Napi::Object::New(env);
    o.Set("raster", adoptArray(env, std::move(ob.raster)));
    o.Set("counts", adoptArray(env, std::move(ob.counts)));
    o.Set("traces", adoptArray(env, std::move(ob.traces)));
    if (!ob.voltages.empty()) o.Set("voltages", adoptArray(env, std::move(ob.voltages)));
    o.Set("voltageRegularizer", ob.voltageRegularizer);
    o.Set("spikes", ob.spikes);
    areas.Set(a, o);
  }
  out.Set("areas", areas);
  Napi::Array state = Napi::Array::New(env, r.finalState.size());
  for (size_t a = 0; a < r.finalState.size(); ++a) state.Set(a, writeState(env, r.finalState[a]));
  out.Set("state", state);
  return out;
}

// ---- async work -----------------------------------------------------------------------------------

// Runs `work` off the JS thread; resolves with `done()` or rejects with a typed error.
class Task : public Napi::AsyncWorker {
 public:
  Task(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> done, std::atomic<bool>* busy)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)), done_(std::move(done)), busy_(busy) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const v1lm::Error& e) {
      code_ = e.code(), field_ = e.field(), message_ = e.what();
    } catch (const std::bad_alloc&) {
      code_ = "E_OUT_OF_MEMORY", message_ = "out of host memory";
    } catch (const std::exception& e) {
      code_ = "E_INTERNAL", message_ = e.what();
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    if (busy_) busy_->store(false);
    if (!code_.empty()) {
      deferred_.Reject(toJsError(env, code_, field_, message_).Value());
      return;
    }
    try {
      deferred_.Resolve(done_(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::function<void()> work_;
  std::function<Napi::Value(Napi::Env)> done_;
  std::atomic<bool>* busy_;
  std::string code_, field_, message_;
};

Napi::Value rejected(Napi::Env env, const v1lm::Error& e) {
  auto d = Napi::Promise::Deferred::New(env);
  d.Reject(toJsError(env, e).Value());
  return d.Promise();
}

class EngineObject : public Napi::ObjectWrap<EngineObject> {
 public:
  static Napi::FunctionReference constructor;
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Engine",
                       {InstanceMethod("forward", &EngineObject::Forward), InstanceMethod("backward", &EngineObject::Backward),
                        InstanceMethod("update", &EngineObject::Update), InstanceMethod("getWeights", &EngineObject::GetWeights),
                        InstanceMethod("setWeights", &EngineObject::SetWeights), InstanceMethod("getGradients", &EngineObject::GetGradients),
                        InstanceMethod("addGradients", &EngineObject::AddGradients),
                        InstanceMethod("getOptimizerState", &EngineObject::GetOptimizerState),
                        InstanceMethod("setOptimizerState", &EngineObject::SetOptimizerState), InstanceMethod("info", &EngineObject::Info),
                        InstanceMethod("dispose", &EngineObject::Dispose)});
  }
  explicit EngineObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineObject>(info) {
    if (!info[0].IsExternal()) throw toJsError(info.Env(), "E_BAD_ARGUMENT", "", "use createEngine(network, options) to make an Engine");
    engine_.reset(info[0].As<Napi::External<Engine>>().Data());
  }

 private:
  Engine& engine(Napi::Env env, bool forAsync = false) {
    if (!engine_) throw toJsError(env, "E_DISPOSED", "", "this Engine was disposed");
    if (busy_.load()) throw toJsError(env, "E_BUSY", "", "this Engine is running another call; await it first");
    if (forAsync) busy_.store(true);
    return *engine_;
  }
  template <typename F>
  Napi::Value guarded(Napi::Env env, F&& f) {
    try {
      return f();
    } catch (const v1lm::Error& e) {
      busy_.store(false);
      throw toJsError(env, e);
    }
  }
  Napi::Value Forward(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Engine& e = engine(env);
    auto call = std::make_shared<ForwardCall>();
    try {
      readForward(info[0], e.network().areas.size(), *call);
    } catch (const v1lm::Error& err) {
      return rejected(env, err);
    }
    busy_.store(true);
    auto result = std::make_shared<ForwardResult>();
    auto* task = new Task(env, [&e, call, result] { e.forward(call->req, *result); },
                          [call, result](Napi::Env env) -> Napi::Value { return writeForward(env, *result); }, &busy_);
    task->Queue();
    return task->Promise();
  }
  Napi::Value Backward(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Engine& e = engine(env);
    std::shared_ptr<BackwardRequest> req;
    try {
      req = std::make_shared<BackwardRequest>(readBackward(info[0], e));
    } catch (const v1lm::Error& err) {
      return rejected(env, err);
    }
    busy_.store(true);
    auto* task = new Task(env, [&e, req] { e.backward(*req); }, [](Napi::Env env) -> Napi::Value { return env.Undefined(); }, &busy_);
    task->Queue();
    return task->Promise();
  }
  Napi::Value Update(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Engine& e = engine(env);
    std::shared_ptr<OptimizerStep> step;
    try {
      step = std::make_shared<OptimizerStep>(readUpdate(info[0], e));
    } catch (const v1lm::Error& err) {
      return rejected(env, err);
    }
    busy_.store(true);
    auto* task = new Task(env, [&e, step] { e.optimizerStep(*step); }, [](Napi::Env env) -> Napi::Value { return env.Undefined(); }, &busy_);
    task->Queue();
    return task->Promise();
  }
  int block(Napi::Env env, Engine& e, Napi::Value name) {
    if (!name.IsString()) throw toJsError(env, "E_BAD_ARGUMENT", "block", "block: expected a block name");
    return e.blockIndex(name.As<Napi::String>().Utf8Value(), "block");
  }
  Napi::Value GetWeights(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      auto out = Napi::Float32Array::New(info.Env(), e.blockSize(b));
      e.getWeights(b, out.Data());
      return out;
    });
  }
  Napi::Value SetWeights(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      std::vector<float> w = readArray<float>(info[1], "weights");
      if (static_cast<int64_t>(w.size()) != e.blockSize(b)) throw badArgument("weights", "length must equal the block's synapse count " + std::to_string(e.blockSize(b)));
      e.setWeights(b, w.data());
      return info.Env().Undefined();
    });
  }
  Napi::Value GetGradients(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      auto out = Napi::Float32Array::New(info.Env(), e.blockSize(b));
      e.getGradients(b, out.Data());
      return out;
    });
  }
  Napi::Value AddGradients(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      std::vector<float> g = readArray<float>(info[1], "gradients");
      if (static_cast<int64_t>(g.size()) != e.blockSize(b)) throw badArgument("gradients", "length must equal the block's synapse count " + std::to_string(e.blockSize(b)));
      e.addGradients(b, g.data());
      return info.Env().Undefined();
    });
  }
  Napi::Value GetOptimizerState(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      auto m = Napi::Float32Array::New(info.Env(), e.blockSize(b));
      auto v = Napi::Float32Array::New(info.Env(), e.blockSize(b));
      e.getOptimizerState(b, m.Data(), v.Data());
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("m", m);
      o.Set("v", v);
      return o;
    });
  }
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Engine& e = engine(info.Env());
      const int b = block(info.Env(), e, info[0]);
      Napi::Object o = readObject(info[1], "state");
      std::vector<float> m = readArray<float>(o.Get("m"), "state.m"), v = readArray<float>(o.Get("v"), "state.v");
      if (static_cast<int64_t>(m.size()) != e.blockSize(b) || m.size() != v.size()) throw badArgument("state", "m and v must have the block's synapse count");
      e.setOptimizerState(b, m.data(), v.data());
      return info.Env().Undefined();
    });
  }
  Napi::Value Info(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Napi::Env env = info.Env();
      Engine& e = engine(env);
      const CompiledNetwork& net = e.network();
      Napi::Object o = Napi::Object::New(env);
      o.Set("backend", e.backendName());
      o.Set("batch", e.options().batch);
      o.Set("maxDelay", net.maxDelay);
      o.Set("peakDeviceBytes", static_cast<double>(e.peakDeviceBytes()));
      o.Set("inputsAhead", e.inputsAhead());
      o.Set("fusedSteps", e.fusedSteps());
      o.Set("splitPush", e.splitPush());
      Napi::Array areas = Napi::Array::New(env, net.areas.size());
      for (size_t a = 0; a < net.areas.size(); ++a) {
        Napi::Object ao = Napi::Object::New(env);
        ao.Set("name", net.areas[a].name);
        ao.Set("n", net.areas[a].n);
        ao.Set("slots", net.areas[a].slots);
        areas.Set(a, ao);
      }
      o.Set("areas", areas);
      Napi::Array blocks = Napi::Array::New(env, net.blocks.size());
      static const char* kinds[] = {"recurrent", "interarea", "lgn", "bkg"};
      for (size_t b = 0; b < net.blocks.size(); ++b) {
        Napi::Object bo = Napi::Object::New(env);
        bo.Set("name", net.blocks[b].name);
        bo.Set("kind", kinds[static_cast<int>(net.blocks[b].kind)]);
        bo.Set("target", net.blocks[b].target);
        bo.Set("source", net.blocks[b].source);
        bo.Set("size", static_cast<double>(net.blocks[b].size()));
        blocks.Set(b, bo);
      }
      o.Set("blocks", blocks);
      return o;
    });
  }
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (busy_.load()) throw toJsError(info.Env(), "E_BUSY", "", "cannot dispose while a call is running; await it first");
    engine_.reset();
    return info.Env().Undefined();
  }

  std::unique_ptr<Engine> engine_;
  std::atomic<bool> busy_{false};
};
Napi::FunctionReference EngineObject::constructor;

Napi::Value CreateEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<NetworkSpec> spec;
  EngineOptions options;
  BackendKind kind = BackendKind::Cpu;
  try {
    spec = std::make_shared<NetworkSpec>(readNetwork(info[0]));
    options = readOptions(info[1], kind);
  } catch (const v1lm::Error& e) {
    return rejected(env, e);
  }
  auto holder = std::make_shared<std::unique_ptr<Engine>>();
  auto* task = new Task(
      env, [spec, options, kind, holder] { *holder = std::make_unique<Engine>(*spec, options, kind); },
      [holder](Napi::Env env) -> Napi::Value {
        return EngineObject::constructor.New({Napi::External<Engine>::New(env, holder->release())});
      },
      nullptr);
  task->Queue();
  return task->Promise();
}

}  // namespace

void RegisterEngine(Napi::Env env, Napi::Object exports) {
  Napi::Function cls = EngineObject::Define(env);
  EngineObject::constructor = Napi::Persistent(cls);
  EngineObject::constructor.SuppressDestruct();
  exports.Set("Engine", cls);
  exports.Set("createEngine", Napi::Function::New(env, CreateEngine, "createEngine"));
}

}  // namespace v1lm::binding
