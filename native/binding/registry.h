// Registration entry points of the JS-visible parts of the addon. module.cc only calls these;
// each lives in its own file of native/binding/ (one JS-visible concern per file).
#pragma once
#include <napi.h>

namespace v1lm::binding {
void RegisterInfo(Napi::Env env, Napi::Object exports);    // info.cc: version, backends
void RegisterEngine(Napi::Env env, Napi::Object exports);  // engine_object.cc: class Engine, createEngine
void RegisterRng(Napi::Env env, Napi::Object exports);     // rng.cc: Philox block, LGN / BKG draws
void RegisterLgn(Napi::Env env, Napi::Object exports);     // lgn_binding.cc: lgnCreate, lgnRates
}  // namespace v1lm::binding
