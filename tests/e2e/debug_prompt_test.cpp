// The prompt read from stdin, as a student types at it: gdb's habits carry over.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "subprocess.h"

namespace gostep::test {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

TEST(DebugPrompt, EmptyLineRepeatsSteppingCommands) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult r = run_gostep({"debug", "./hello"}, "si\n\n\ninfo tls\n\nquit\n");
  ASSERT_EQ(r.status, 0) << r.err;
  // Three single steps: the entry's JMP, then two instructions of _rt0_amd64.
  EXPECT_NE(r.out.find(" in _rt0_amd64 at asm_amd64.s:16"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("in _rt0_amd64+0x9 at asm_amd64.s:18"), std::string::npos) << r.out;
  // `info tls` is not repeated by the empty line after it.
  EXPECT_EQ(count(r.out, "fs_base 0x0: no TLS yet"), 1u) << r.out;
}

TEST(DebugPrompt, EndOfInputEndsTheSessionAndTypos) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult r = run_gostep({"debug", "./hello"}, "stpi\nbreak nosuchfunction\ninfo bogus\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("Did you mean \"stepi\"?"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Undefined info command: \"bogus\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nosuchfunction"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gostep::test
