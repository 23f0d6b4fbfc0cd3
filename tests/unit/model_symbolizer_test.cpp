// Symbolizer: code and data addresses as people read them, and LOCs (DESIGN.md).
#include <gtest/gtest.h>

#include "emulator/elf_image.h"
#include <fmt/format.h>

#include "model_test_util.h"
#include "runtime_model/symbolizer.h"

namespace gostep::model {
namespace {

using testing::go_program;

// One program with all three sources, as the session would hold them.
struct Program {
  explicit Program(const char* name)
      : elf(load_elf(go_program(name))), dwarf(DwarfInfo::open(go_program(name))) {
    if (auto t = Pclntab::parse(elf.bytes)) pclntab = std::move(*t);
  }
  Symbolizer symbolizer() const { return Symbolizer(&elf, dwarf.get(), pclntab ? &*pclntab : nullptr); }
  std::uint64_t symbol(const char* name) const {
    for (const ElfSymbol& s : elf.symbols)
      if (s.name == name) return s.addr;
    ADD_FAILURE() << "no symbol " << name;
    return 0;
  }
  ElfImage elf;
  std::unique_ptr<DwarfInfo> dwarf;
  std::optional<Pclntab> pclntab;
};

class ModelSymbolizer : public ::testing::TestWithParam<const char*> {};

TEST_P(ModelSymbolizer, CodeAddressesNameSymtabFunctions) {
  const Program p(GetParam());
  const Symbolizer s = p.symbolizer();
  const std::uint64_t rt0 = p.symbol("runtime.rt0_go.abi0");
  EXPECT_EQ(s.describe_code(rt0 + 0xdf), "runtime.rt0_go.abi0+0xdf");
  EXPECT_EQ(s.describe_code(rt0), "runtime.rt0_go.abi0");
  EXPECT_EQ(s.describe_code(p.elf.entry), "_rt0_amd64_linux");
  EXPECT_EQ(s.describe_code(p.symbol("runtime.newproc.abi0") + 0x25), "runtime.newproc.abi0+0x25");
  EXPECT_EQ(s.describe_code(0x10), "0x10");
  // runtime.text is a zero-sized marker on the first function's entry: the function wins.
  auto first = s.function_at(p.symbol("runtime.text"));
  ASSERT_TRUE(first);
  EXPECT_NE(first->name, "runtime.text");
  EXPECT_GT(first->size, 0u);
  auto f = s.function_at(rt0 + 0xdf);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->entry, rt0);
  EXPECT_EQ(f->offset, 0xdfu);
  EXPECT_EQ(f->size, 370u);
  auto src = s.source(rt0 + 0xdf);
  ASSERT_TRUE(src);
  EXPECT_EQ(src->short_form(), "asm_amd64.s:268");
}

TEST_P(ModelSymbolizer, LocsResolveToAddresses) {
  const Program p(GetParam());
  const Symbolizer s = p.symbolizer();
  const std::uint64_t settls = p.symbol("runtime.settls.abi0");
  const std::uint64_t rt0 = p.symbol("runtime.rt0_go.abi0");
  EXPECT_EQ(*s.resolve("runtime.settls"), settls);  // NAME.abi0 tried after NAME
  EXPECT_EQ(*s.resolve("runtime.settls.abi0"), settls);
  EXPECT_EQ(*s.resolve("runtime.rt0_go+0xdf"), rt0 + 0xdf);
  EXPECT_EQ(*s.resolve("runtime.rt0_go.abi0+223"), rt0 + 223);
  EXPECT_EQ(*s.resolve("asm_amd64.s:268"), rt0 + 0xdf);
  EXPECT_EQ(*s.resolve(fmt::format("{:#x}", rt0)), rt0);
  // An exact symbol wins over NAME.abi0: newproc has both an ABIInternal body and a wrapper.
  EXPECT_EQ(*s.resolve("runtime.newproc"), p.symbol("runtime.newproc"));
  EXPECT_NE(*s.resolve("runtime.newproc"), p.symbol("runtime.newproc.abi0"));
  EXPECT_EQ(*s.resolve("main.main"), p.symbol("main.main"));
  EXPECT_EQ(*s.address_of("runtime.g0"), p.symbol("runtime.g0"));

  for (const char* bad : {"runtime.nosuchfunc", "runtime.rt0_go+zz", "0xzz", "nosuch.s:12", "insn:5",
                          "milestone:rt0_go", ""}) {
    auto r = s.resolve(bad);
    EXPECT_FALSE(r) << bad;
    EXPECT_FALSE(r.error().empty()) << bad;
  }
  EXPECT_NE(s.resolve("runtime.nosuchfunc").error().find("runtime.nosuchfunc"), std::string::npos);
}

TEST_P(ModelSymbolizer, DataAddressesNameTheDeepestField) {
  const Program p(GetParam());
  const Symbolizer s = p.symbolizer();
  const std::uint64_t m0 = p.symbol("runtime.m0");
  const std::uint64_t g0 = p.symbol("runtime.g0");
  EXPECT_EQ(s.describe_data(m0), "runtime.m0.g0");
  EXPECT_EQ(s.describe_data(m0 + 136), "runtime.m0.tls[0]");
  EXPECT_EQ(s.describe_data(m0 + 144), "runtime.m0.tls[1]");
  EXPECT_EQ(s.describe_data(m0 + 148), "runtime.m0.tls[1]+0x4");
  EXPECT_EQ(s.describe_data(g0 + 16), "runtime.g0.stackguard0");
  EXPECT_EQ(s.describe_data(g0 + 8), "runtime.g0.stack.hi");
  EXPECT_EQ(s.describe_data(g0 + 56), "runtime.g0.sched.sp");
  EXPECT_EQ(s.describe_data(p.symbol("runtime.sched") + 112), "runtime.sched.runqsize");
  EXPECT_EQ(s.describe_data(p.symbol("runtime.allp") + 8), "runtime.allp.len");
  EXPECT_FALSE(s.describe_data(0x10));
}

INSTANTIATE_TEST_SUITE_P(GoPrograms, ModelSymbolizer, ::testing::Values("empty", "hello"));

TEST(ModelSymbolizerStripped, PclntabNamesWhatSymtabAndDwarfCannot) {
  const Program stripped("hello-stripped");
  const Program full("hello");
  EXPECT_EQ(stripped.dwarf, nullptr);
  ASSERT_TRUE(stripped.pclntab);
  const Symbolizer s = stripped.symbolizer();
  const std::uint64_t rt0 = full.symbol("runtime.rt0_go.abi0");
  EXPECT_EQ(s.describe_code(rt0 + 0xdf), "runtime.rt0_go+0xdf");
  EXPECT_EQ(*s.resolve("runtime.settls"), full.symbol("runtime.settls.abi0"));
  EXPECT_EQ(*s.resolve("runtime.rt0_go.abi0+0xdf"), rt0 + 0xdf);
  EXPECT_FALSE(s.source(rt0));
  auto no_lines = s.resolve("asm_amd64.s:268");
  ASSERT_FALSE(no_lines);
  EXPECT_NE(no_lines.error().find("DWARF"), std::string::npos) << no_lines.error();
  EXPECT_FALSE(s.describe_data(full.symbol("runtime.m0")));  // no symbols, no DWARF
}

TEST(ModelSymbolizerStripped, SymtabOnlyStillNamesDataCoarsely) {
  const Program p("empty");
  const Symbolizer s(&p.elf, nullptr, nullptr);
  EXPECT_EQ(s.describe_data(p.symbol("runtime.m0") + 0x88), "runtime.m0+0x88");
  EXPECT_EQ(s.describe_code(p.symbol("runtime.rt0_go.abi0") + 1), "runtime.rt0_go.abi0+0x1");
}

TEST(ModelSymbolizerStripped, NothingAtAll) {
  const Symbolizer s(nullptr, nullptr, nullptr);
  EXPECT_EQ(s.describe_code(0x401000), "0x401000");
  EXPECT_FALSE(s.resolve("main.main"));
  EXPECT_EQ(*s.resolve("0x401000"), 0x401000u);
  EXPECT_FALSE(s.describe_data(0x401000));
}

}  // namespace
}  // namespace gostep::model
