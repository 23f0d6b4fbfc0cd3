// UnicornEngine: no failure inside a Unicorn callback may unwind through
// Unicorn's C frames or abort; it comes out of start() as gostep's own error.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "emulator/address_space.h"
#include "emulator/unicorn_engine.h"

namespace gostep {
namespace {

constexpr GuestAddr kCode = 0x400000;

TEST(UnicornEngine, AnExceptionInAHookStopsTheEngineAndComesOutOfStart) {
  UnicornEngine uc;
  AddressSpace mem(uc);
  const std::vector<std::uint8_t> code = {0x48, 0xc7, 0xc0, 0x27, 0x00, 0x00, 0x00,  // mov $39, %rax
                                          0x0f, 0x05,                                // syscall
                                          0xf4};                                     // hlt
  ASSERT_TRUE(mem.map_fixed(kCode, kPageSize, kProtRead | kProtExec, "text", &code));
  int calls = 0;
  uc.hooks.on_syscall = [&] {
    ++calls;
    throw EmulatorError("the Linux layer failed");
  };
  uc.install_hooks({});
  try {
    uc.start(kCode);
    FAIL() << "start() returned normally";
  } catch (const EmulatorError& e) {
    EXPECT_STREQ(e.what(), "the Linux layer failed");
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(uc.reg(Reg::rax), 39u);  // it ran up to the syscall, and no further
  // The engine is usable afterwards.
  uc.hooks.on_syscall = [&] { ++calls; };
  EXPECT_EQ(uc.start(kCode), 0);
  EXPECT_EQ(calls, 2);
}

TEST(UnicornEngine, GuestMemoryIsGostepsOwnBytesInPlace) {
  UnicornEngine uc;
  AddressSpace mem(uc);
  const std::vector<std::uint8_t> code = {0x8b, 0x04, 0x25, 0x23, 0x01, 0x00, 0x10,  // mov 0x10000123, %eax
                                          0xc7, 0x04, 0x25, 0x00, 0x02, 0x00, 0x10,  // movl $0x11223344, 0x10000200
                                          0x44, 0x33, 0x22, 0x11,
                                          0xf4};                                     // hlt
  ASSERT_TRUE(mem.map_fixed(kCode, kPageSize, kProtRead | kProtExec, "text", &code));
  ASSERT_TRUE(mem.map_fixed(0x10000000, 1ULL << 20, kProtRead | kProtWrite, "data"));
  const Mapping* m = mem.find(0x10000000);
  ASSERT_NE(m, nullptr);
  std::memcpy(m->host + 0x123, "abcd", 4);  // written by gostep in its own bytes...
  uc.hooks.on_interrupt = [](std::uint32_t) {};
  uc.install_hooks({});
  EXPECT_EQ(uc.start(kCode), 0);
  EXPECT_EQ(uc.reg(Reg::rax), 0x64636261u);  // ...is what the guest loads
  std::uint32_t stored = 0;
  std::memcpy(&stored, m->host + 0x200, 4);  // and what it stores lands there
  EXPECT_EQ(stored, 0x11223344u);
}

}  // namespace
}  // namespace gostep

namespace gostep {
namespace {

// Block counting needs the faulting instruction's RIP: Unicorn 2.0.1 reports
// the block's start unless precise_faults asks for better (docs/TRAPS.md).
TEST(UnicornEngine, PreciseFaultsPutRipOnTheFaultingInstruction) {
  for (bool precise : {false, true}) {
    SCOPED_TRACE(precise);
    UnicornEngine uc;
    AddressSpace mem(uc);
    const std::vector<std::uint8_t> code = {0xb8, 0x01, 0x00, 0x00, 0x00,                     // mov $1, %eax
                                            0x83, 0xc0, 0x02,                                 // add $2, %eax
                                            0x48, 0x89, 0x04, 0x25, 0x00, 0x01, 0x00, 0x00,   // mov %rax, 0x100
                                            0xf4};                                            // hlt
    ASSERT_TRUE(mem.map_fixed(kCode, kPageSize, kProtRead | kProtExec, "text", &code));
    int blocks = 0;
    uc.set_block_hook([](void* n, GuestAddr, std::uint32_t) { ++*static_cast<int*>(n); }, &blocks);
    uc.hooks.on_unmapped = [](MemAccess, GuestAddr, int) { return false; };
    UnicornEngine::HookPlan plan;
    plan.blocks = true;
    plan.precise_faults = precise;
    uc.install_hooks(plan);
    EXPECT_NE(uc.start(kCode), 0);
    EXPECT_EQ(blocks, 1);
    EXPECT_EQ(uc.reg(Reg::rax), 3u);  // the two instructions before it ran
    EXPECT_EQ(uc.reg(Reg::rip), precise ? kCode + 8 : kCode);
  }
}

}  // namespace
}  // namespace gostep
