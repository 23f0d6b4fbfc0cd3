// Shared by the engine_*_test.cpp files: a Target over a bundled program, as
// `gostep debug` makes it (writes tracked, no stdin, the guest's output to /dev/null).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "engine/target.h"

namespace gostep::engine::testing {

inline std::string go_program(const char* name) { return std::string(GOSTEP_FIXTURES_DIR) + "/go/" + name; }
inline std::string asm_program(const char* name) { return std::string(GOSTEP_FIXTURES_DIR) + "/asm/" + name; }

inline std::unique_ptr<Target> target(const std::string& path, ProcessOptions o = {}) {
  static const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  o.argv = {path};
  o.track_writes = true;
  o.stdin_fd = -1;
  o.stdout_fd = devnull;
  o.stderr_fd = devnull;
  return std::make_unique<Target>(path, o);
}

inline RunCommand command(RunKind kind, std::uint64_t count = 1, std::string loc = "", bool effects = true) {
  RunCommand c;
  c.kind = kind;
  c.count = count;
  c.loc = std::move(loc);
  c.effects = effects;
  return c;
}

// Runs `cmd`, which must start (no usage error).
inline StopEvent run(Target& t, const RunCommand& cmd) {
  auto ev = t.resume(cmd);
  if (!ev) throw std::runtime_error("resume refused: " + ev.error());
  return *ev;
}

}  // namespace gostep::engine::testing
