// addon.version and addon.backends(): which backends exist in this build and why one is missing.
#include <thread>

#include "binding/registry.h"
#include "engine/cuda_probe.h"

namespace v1lm::binding {
namespace {
Napi::Value Backends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Object cpu = Napi::Object::New(env);
  cpu.Set("available", true);
  cpu.Set("threads", static_cast<double>(std::max(1u, std::thread::hardware_concurrency())));
  out.Set("cpu", cpu);

  CudaProbe p = probeCuda();
  Napi::Object cuda = Napi::Object::New(env);
  cuda.Set("built", p.built);
  cuda.Set("available", p.available);
  if (!p.reason.empty()) cuda.Set("reason", p.reason);
  cuda.Set("runtimeVersion", p.runtimeVersion);
  cuda.Set("driverVersion", p.driverVersion);
  Napi::Array devs = Napi::Array::New(env, p.devices.size());
  for (size_t i = 0; i < p.devices.size(); ++i) {
    const auto& d = p.devices[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("index", d.index);
    o.Set("name", d.name);
    o.Set("totalBytes", static_cast<double>(d.totalBytes));
    o.Set("computeCapability", std::to_string(d.major) + "." + std::to_string(d.minor));
    o.Set("smCount", d.smCount);
    devs.Set(i, o);
  }
  cuda.Set("devices", devs);
  out.Set("cuda", cuda);
  return out;
}
}  // namespace

void RegisterInfo(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::String::New(env, "0.1.0"));
  exports.Set("backends", Napi::Function::New(env, Backends, "backends"));
}
}  // namespace v1lm::binding
