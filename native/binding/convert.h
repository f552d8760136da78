// Conversions between JS values and the engine's plain structs, with typed errors naming the field.
#pragma once
#include <napi.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/errors.h"
#include "engine/spec.h"

namespace v1lm::binding {

// Throws a JS Error carrying `code` and `field` (lib/errors.ts re-types it as V1lmError).
Napi::Error toJsError(Napi::Env env, const std::string& code, const std::string& field, const std::string& message);
inline Napi::Error toJsError(Napi::Env env, const v1lm::Error& e) { return toJsError(env, e.code(), e.field(), e.what()); }

template <typename T>
struct TypedArrayTraits;
template <> struct TypedArrayTraits<float> { static constexpr napi_typedarray_type type = napi_float32_array; static constexpr const char* name = "Float32Array"; };
template <> struct TypedArrayTraits<int32_t> { static constexpr napi_typedarray_type type = napi_int32_array; static constexpr const char* name = "Int32Array"; };
template <> struct TypedArrayTraits<uint8_t> { static constexpr napi_typedarray_type type = napi_uint8_array; static constexpr const char* name = "Uint8Array"; };
template <> struct TypedArrayTraits<uint32_t> { static constexpr napi_typedarray_type type = napi_uint32_array; static constexpr const char* name = "Uint32Array"; };

// Copies a typed array of exactly the expected element type into a Vector; throws v1lm::Error(code) otherwise.
template <typename T, typename Vector = std::vector<T>>
Vector readArray(Napi::Value value, const std::string& field, const char* code = "E_BAD_ARGUMENT") {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::type)
    throw v1lm::Error(code, field, field + ": expected a " + TypedArrayTraits<T>::name);
  auto arr = value.As<Napi::TypedArrayOf<T>>();
  return Vector(arr.Data(), arr.Data() + arr.ElementLength());
}

// A view of a typed array of exactly the expected element type, without copying; `keep` receives a reference
// that keeps the array alive (the caller holds it until the native call that reads the view has finished).
template <typename T>
ArrayRef<T> viewArray(Napi::Value value, const std::string& field, Napi::ObjectReference& keep) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::type)
    throw v1lm::Error("E_BAD_ARGUMENT", field, field + ": expected a " + TypedArrayTraits<T>::name);
  auto arr = value.As<Napi::TypedArrayOf<T>>();
  keep = Napi::Persistent(value.As<Napi::Object>());
  return ArrayRef<T>(arr.Data(), arr.ElementLength());
}

// Hands a vector's memory to JS as the backing store of a typed array (no copy); freed by the GC.
template <typename T, typename Allocator>
Napi::TypedArrayOf<T> adoptArray(Napi::Env env, std::vector<T, Allocator>&& data) {
  if (data.empty()) return Napi::TypedArrayOf<T>::New(env, 0);
  using Owner = std::vector<T, Allocator>;
  auto* owner = new Owner(std::move(data));
  const size_t bytes = owner->size() * sizeof(T);
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(bytes));
  auto buffer = Napi::ArrayBuffer::New(env, owner->data(), bytes, [](Napi::Env env, void*, Owner* o) {
    Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(o->size() * sizeof(T)));
    delete o;
  }, owner);
  return Napi::TypedArrayOf<T>::New(env, owner->size(), buffer, 0);
}

template <typename T>
Napi::TypedArrayOf<T> makeArray(Napi::Env env, const std::vector<T>& data) {
  auto arr = Napi::TypedArrayOf<T>::New(env, data.size());
  if (!data.empty()) std::copy(data.begin(), data.end(), arr.Data());
  return arr;
}

double readNumber(Napi::Object obj, const char* key, const std::string& field, double fallback, bool required = false,
                  const char* code = "E_BAD_ARGUMENT");
bool readBool(Napi::Object obj, const char* key, const std::string& field, bool fallback);
std::string readString(Napi::Object obj, const char* key, const std::string& field, const char* code = "E_BAD_ARGUMENT");
Napi::Object readObject(Napi::Value value, const std::string& field, const char* code = "E_BAD_ARGUMENT");
Napi::Array readArrayOfValues(Napi::Value value, const std::string& field, const char* code = "E_BAD_ARGUMENT");

}  // namespace v1lm::binding
