// The initial stack against the layout a native run shows (go1.19-bootstrap-facts.md).
#include <gtest/gtest.h>

#include <cstring>

#include "emulator/address_space.h"
#include "emulator/initial_stack.h"

namespace gostep {
namespace {

TEST(InitialStack, MatchesNativeRspForA19CharacterPath) {
  InitialStackInput in;
  in.execfn = "/tmp/gostep/x/hello";  // 19 characters, as in the facts file
  ASSERT_EQ(in.execfn.size(), 19u);
  in.argv = {in.execfn};
  const InitialStack s = build_initial_stack(in, kStackTop);
  EXPECT_EQ(s.rsp, 0x7fffffffee20u);
  EXPECT_EQ(s.execfn, kStackTop - 8 - 20);
  EXPECT_EQ(s.argv0, s.execfn - 20);
  EXPECT_EQ(s.auxv.size(), 23u);
}

TEST(InitialStack, ArgcArgvEnvpAuxvInOrder) {
  InitialStackInput in;
  in.execfn = "./p";
  in.argv = {"./p", "a", "bc"};
  in.envp = {"K=V"};
  const InitialStack s = build_initial_stack(in, kStackTop);
  auto word = [&](GuestAddr a) {
    std::uint64_t v;
    std::memcpy(&v, s.bytes.data() + (a - s.low), 8);
    return v;
  };
  auto str = [&](GuestAddr a) { return std::string(reinterpret_cast<const char*>(s.bytes.data() + (a - s.low))); };
  EXPECT_EQ(s.rsp % 16, 0u);
  EXPECT_EQ(word(s.rsp), 3u);
  EXPECT_EQ(str(word(s.rsp + 8)), "./p");
  EXPECT_EQ(str(word(s.rsp + 16)), "a");
  EXPECT_EQ(str(word(s.rsp + 24)), "bc");
  EXPECT_EQ(word(s.rsp + 32), 0u);
  EXPECT_EQ(str(word(s.rsp + 40)), "K=V");
  EXPECT_EQ(word(s.rsp + 48), 0u);
  // First auxv entry is the slot of AT_SYSINFO_EHDR, kept as AT_IGNORE.
  EXPECT_EQ(word(s.rsp + 56), static_cast<std::uint64_t>(AT_IGNORE_));
  // argv strings lie below envp strings, which lie below the exec path.
  EXPECT_LT(word(s.rsp + 8), word(s.rsp + 40));
  EXPECT_LT(word(s.rsp + 40), s.execfn);
  EXPECT_EQ(str(s.platform), "x86_64");
}

TEST(InitialStack, LongerEnvironmentMovesTheStackDown) {
  InitialStackInput a, b;
  a.execfn = b.execfn = "./p";
  a.argv = b.argv = {"./p"};
  b.envp = {std::string(1000, 'x')};
  EXPECT_LT(build_initial_stack(b, kStackTop).rsp, build_initial_stack(a, kStackTop).rsp);
}

}  // namespace
}  // namespace gostep
