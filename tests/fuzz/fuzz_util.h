// Shared by the fuzz targets: the bundled Go program the in-process targets load
// (GOSTEP_FUZZ_PROG, else the release build's hello), and a Target over it made
// once per process, as `gostep debug` makes it.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "engine/target.h"

namespace gostep::fuzz {

inline std::string program() {
  const char* env = std::getenv("GOSTEP_FUZZ_PROG");
  return env && *env ? env : GOSTEP_FUZZ_DEFAULT_PROG;
}

// `max_insns` bounds every run (0: no bound), so that a fuzzed `continue` ends soon.
inline std::unique_ptr<engine::Target> make_target(std::uint64_t max_insns) {
  static const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ProcessOptions o;
  o.argv = {program()};
  o.track_writes = true;
  o.stdin_fd = -1;
  o.stdout_fd = devnull;
  o.stderr_fd = devnull;
  o.max_insns = max_insns;
  return std::make_unique<engine::Target>(program(), o);
}

// An input as text; NULs end it, as they would end a line typed at the prompt.
inline std::string text(const std::uint8_t* data, std::size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  return s.substr(0, s.find('\0'));
}

}  // namespace gostep::fuzz
