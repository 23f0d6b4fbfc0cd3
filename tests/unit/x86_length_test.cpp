// The block decoder's fast path (x86_length.h) against Capstone: the same
// length, "transfers control" and "reads the TSC" for every instruction of the
// bundled programs' functions, and for the cases that are easy to get wrong.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/disassembler.h"
#include "emulator/elf_image.h"
#include "emulator/x86_length.h"

namespace gostep {
namespace {

struct Tally {
  std::size_t same = 0, fallback = 0, tsc = 0;
};

void compare_program(const std::string& path, Tally& t) {
  const ElfImage img = load_elf(path);
  Disassembler dis;
  for (const ElfSegment* seg : img.executable_segments()) {
    const std::uint8_t* text = img.bytes.data() + seg->offset;
    // Function by function (between consecutive symbols), so no decoding
    // runs across padding into the middle of the next function.
    std::vector<GuestAddr> starts;
    for (const auto& s : img.symbols)
      if (s.addr >= seg->vaddr && s.addr < seg->vaddr + seg->filesz) starts.push_back(s.addr);
    starts.push_back(seg->vaddr + seg->filesz);
    for (std::size_t f = 0; f + 1 < starts.size(); ++f) {
      GuestAddr a = starts[f];
      while (a < starts[f + 1]) {
        const std::span<const std::uint8_t> code(text + (a - seg->vaddr), starts[f + 1] - a);
        const auto want = dis.shape(code);
        if (!want) break;  // data or padding
        const X86Insn got = x86_decode(code.data(), static_cast<std::uint32_t>(code.size()));
        if (got.length == 0) {
          ++t.fallback;  // Capstone decodes it in the block cache
        } else {
          EXPECT_EQ(got.length, want->size) << std::hex << "at 0x" << a;
          EXPECT_EQ(got.transfer, want->transfer) << std::hex << "at 0x" << a;
          EXPECT_EQ(got.tsc, want->tsc) << std::hex << "at 0x" << a;
          t.tsc += got.tsc != TscRead::none;
          ++t.same;
        }
        a += want->size;
      }
    }
  }
}

TEST(X86Length, AgreesWithCapstoneOnEveryInstructionOfTheBundledPrograms) {
  Tally t;
  for (const char* p : {"hello", "gcbench", "timers", "files"}) compare_program(std::string(GOSTEP_GO_DIR) + "/" + p, t);
  EXPECT_GT(t.same, 300'000u);
  EXPECT_LT(t.fallback, t.same / 1000) << "instructions left to Capstone";
  // runtime.cputicks has an RDTSCP and an RDTSC; each program has its own copy.
  EXPECT_EQ(t.tsc, 8u);
}

TEST(X86Length, TheCasesThatAreEasyToGetWrong) {
  struct Case {
    std::vector<std::uint8_t> bytes;
    std::uint8_t length;
    bool transfer;
    TscRead tsc = TscRead::none;
  };
  const Case cases[] = {
      {{0xf3, 0xa4}, 2, true},                                      // rep movsb: one iteration per block
      {{0xa4}, 1, false},                                           // movsb
      {{0xf2, 0x0f, 0x10, 0xc1}, 4, false},                         // movsd %xmm1, %xmm0 (SSE, not a string op)
      {{0xf3, 0x48, 0xab}, 3, true},                                // rep stosq
      {{0xff, 0xd0}, 2, true},                                      // call *%rax
      {{0xff, 0xc0}, 2, false},                                     // inc %eax
      {{0xcc}, 1, true},                                            // int3
      {{0x0f, 0x05}, 2, true},                                      // syscall
      {{0x0f, 0x31}, 2, false, TscRead::rdtsc},                     // rdtsc
      {{0x0f, 0x01, 0xf9}, 3, false, TscRead::rdtscp},              // rdtscp
      {{0x0f, 0x01, 0xf8}, 3, false},                               // swapgs: the same 0F 01, another ModRM
      {{0x0f, 0x01, 0x39}, 3, false},                               // invlpg (%rcx): ModRM F9's reg, not its mod
      {{0x66, 0x0f, 0x31}, 3, false, TscRead::rdtsc},               // rdtsc with a prefix
      {{0xb8, 0x0f, 0x31, 0x00, 0x00}, 5, false},                   // mov $0x310f, %eax: the bytes, not the instruction
      {{0x0f, 0x84, 0x10, 0x00, 0x00, 0x00}, 6, true},              // je rel32
      {{0x66, 0xf7, 0xc0, 0x34, 0x12}, 5, false},                   // test $0x1234, %ax
      {{0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8}, 10, false},            // movabs $imm64, %rax
      {{0x64, 0x48, 0x8b, 0x0c, 0x25, 0xf8, 0xff, 0xff, 0xff}, 9, false},  // mov %fs:-8, %rcx
      {{0xc3}, 1, true},                                            // ret
  };
  Disassembler dis;
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.bytes));
    const X86Insn got = x86_decode(c.bytes.data(), static_cast<std::uint32_t>(c.bytes.size()));
    EXPECT_EQ(got.length, c.length);
    EXPECT_EQ(got.transfer, c.transfer);
    EXPECT_EQ(got.tsc, c.tsc);
    const auto cap = dis.shape(c.bytes);
    ASSERT_TRUE(cap.has_value());
    EXPECT_EQ(cap->size, c.length);
    EXPECT_EQ(cap->transfer, c.transfer);
    EXPECT_EQ(cap->tsc, c.tsc);
  }
  // Truncated bytes and VEX are not its to decode.
  const std::uint8_t truncated[] = {0x48, 0xb8, 1, 2};
  EXPECT_EQ(x86_decode(truncated, 4).length, 0);
  const std::uint8_t vex[] = {0xc5, 0xf9, 0x6f, 0xc1};  // vmovdqa %xmm1, %xmm0
  EXPECT_EQ(x86_decode(vex, 4).length, 0);
}

}  // namespace
}  // namespace gostep
