// Typed engine errors. The binding turns them into JS Errors with `code` and `field`.
#pragma once
#include <stdexcept>
#include <string>

namespace v1lm {
class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string field, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)), field_(std::move(field)) {}
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  std::string code_, field_;
};

inline Error badNetwork(const std::string& field, const std::string& message) {
  return Error("E_BAD_NETWORK", field, field + ": " + message);
}
inline Error badArgument(const std::string& field, const std::string& message) {
  return Error("E_BAD_ARGUMENT", field, field + ": " + message);
}
}  // namespace v1lm
