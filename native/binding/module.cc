// The addon's module file: registers the JS-visible parts and nothing else.
#include "binding/registry.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  v1lm::binding::RegisterInfo(env, exports);
  v1lm::binding::RegisterEngine(env, exports);
  v1lm::binding::RegisterRng(env, exports);
  v1lm::binding::RegisterLgn(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(v1lm, Init)
