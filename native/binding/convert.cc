#include "binding/convert.h"

#include <cmath>

namespace v1lm::binding {

Napi::Error toJsError(Napi::Env env, const std::string& code, const std::string& field, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Value().Set("code", code);
  if (!field.empty()) err.Value().Set("field", field);
  return err;
}

double readNumber(Napi::Object obj, const char* key, const std::string& field, double fallback, bool required, const char* code) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined() || v.IsNull()) {
    if (required) throw v1lm::Error(code, field, field + ": required number missing");
    return fallback;
  }
  if (!v.IsNumber()) throw v1lm::Error(code, field, field + ": expected a number");
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x)) throw v1lm::Error(code, field, field + ": must be finite");
  return x;
}

bool readBool(Napi::Object obj, const char* key, const std::string& field, bool fallback) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined() || v.IsNull()) return fallback;
  if (!v.IsBoolean()) throw v1lm::Error("E_BAD_ARGUMENT", field, field + ": expected true or false");
  return v.As<Napi::Boolean>().Value();
}

std::string readString(Napi::Object obj, const char* key, const std::string& field, const char* code) {
  Napi::Value v = obj.Get(key);
  if (!v.IsString()) throw v1lm::Error(code, field, field + ": expected a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Object readObject(Napi::Value value, const std::string& field, const char* code) {
  if (!value.IsObject() || value.IsArray()) throw v1lm::Error(code, field, field + ": expected an object");
  return value.As<Napi::Object>();
}

Napi::Array readArrayOfValues(Napi::Value value, const std::string& field, const char* code) {
  if (!value.IsArray()) throw v1lm::Error(code, field, field + ": expected an array");
  return value.As<Napi::Array>();
}

}  // namespace v1lm::binding
