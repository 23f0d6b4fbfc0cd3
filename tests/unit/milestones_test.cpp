// Milestones found by symbol and instruction decoding in real Go 1.19 builds.
// The expected offsets inside rt0_go are go1.19-bootstrap-facts.md's (a); the
// library computes them from the code, never from this table.
#include <gtest/gtest.h>

#include <map>

#include "emulator/elf_image.h"
#include "runtime_model/milestones.h"

namespace gostep::model {
namespace {

std::map<std::string, Milestone> by_name(const std::vector<Milestone>& ms) {
  std::map<std::string, Milestone> out;
  for (const auto& m : ms) out[m.name] = m;
  return out;
}

GuestAddr sym(const ElfImage& img, const std::string& name) {
  for (const auto& s : img.symbols)
    if (s.name == name) return s.addr;
  return 0;
}

class MilestonesIn : public ::testing::TestWithParam<const char*> {};

TEST_P(MilestonesIn, RelativeToRt0GoAsInTheFacts) {
  const ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/" + GetParam());
  const auto ms = by_name(find_milestones(img, BootstrapOffsets{}));
  ASSERT_EQ(ms.size(), milestone_names().size());
  for (const auto& [name, m] : ms) EXPECT_TRUE(m.pc.has_value()) << name << ": " << m.why_missing;
  const GuestAddr rt0 = sym(img, "runtime.rt0_go.abi0");
  ASSERT_NE(rt0, 0u);
  EXPECT_EQ(*ms.at("entry").pc, img.entry);
  EXPECT_EQ(*ms.at("rt0_go").pc, rt0);
  EXPECT_EQ(*ms.at("g0_stack").pc - rt0, 0x36u);        // after MOVQ SP, stack.hi(DI) at +0x32
  EXPECT_EQ(*ms.at("settls_return").pc - rt0, 0xb7u);   // CALL settls at +0xb2
  EXPECT_EQ(*ms.at("g0_in_tls").pc - rt0, 0xe8u);       // mov %rcx,%fs:-8 at +0xdf
  EXPECT_EQ(*ms.at("m0_g0").pc - rt0, 0xf2u);           // MOVQ CX, m_g0(AX) at +0xef
  EXPECT_EQ(*ms.at("g0_m").pc - rt0, 0xf6u);            // MOVQ AX, g_m(CX) at +0xf2; CLD at +0xf6
  EXPECT_GT(*ms.at("tls_checked").pc, *ms.at("settls_return").pc);
  EXPECT_LT(*ms.at("tls_checked").pc, *ms.at("g0_in_tls").pc);
  EXPECT_LT(*ms.at("schedinit_return").pc, *ms.at("newproc_return").pc);
  EXPECT_EQ(*ms.at("mstart").pc, sym(img, "runtime.mstart.abi0"));
  EXPECT_EQ(*ms.at("gogo").pc, sym(img, "runtime.gogo.abi0"));
  EXPECT_EQ(*ms.at("main_main").pc, sym(img, "main.main"));
}

INSTANTIATE_TEST_SUITE_P(GoPrograms, MilestonesIn, ::testing::Values("empty", "hello"));

TEST(Milestones, StrippedBinarySaysWhyTheyAreMissing) {
  const ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/hello-stripped");
  const auto ms = by_name(find_milestones(img, BootstrapOffsets{}));
  EXPECT_TRUE(ms.at("entry").pc.has_value());
  EXPECT_FALSE(ms.at("g0_m").pc.has_value());
  EXPECT_NE(ms.at("g0_m").why_missing.find("stripped"), std::string::npos);
}

}  // namespace
}  // namespace gostep::model
