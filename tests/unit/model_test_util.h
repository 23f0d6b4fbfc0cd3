// Shared by the model_*_test.cpp files: the Go programs the build compiles.
#pragma once

#include <string>

namespace gostep::model::testing {

inline std::string go_program(const char* name) {
  return std::string(GOSTEP_FIXTURES_DIR) + "/go/" + name;
}

}  // namespace gostep::model::testing
