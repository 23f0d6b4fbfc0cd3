// A value or the one-line reason there is none. The model never throws for
// missing data: a lookup that can fail for a reason the user should read
// returns Result<T>; one that simply may not exist returns std::optional<T>.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace gostep::model {

struct Error {
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error e) : v_(std::move(e)) {}      // NOLINT: implicit on purpose

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  // Empty when ok().
  const std::string& error() const {
    static const std::string none;
    return ok() ? none : std::get<1>(v_).message;
  }

 private:
  std::variant<T, Error> v_;
};

}  // namespace gostep::model
