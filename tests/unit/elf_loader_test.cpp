// load_elf on the bundled programs and on every kind of file it must refuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "emulator/elf_image.h"
#include "emulator/unicorn_engine.h"
#include "tests/e2e/elf_patch.h"

namespace gostep {
namespace {

const std::string kGo = GOSTEP_GO_DIR;

const ElfSymbol* symbol(const ElfImage& img, const std::string& name) {
  for (const auto& s : img.symbols)
    if (s.name == name) return &s;
  return nullptr;
}

TEST(LoadElf, HelloHasItsEntryInTheTextSegmentAndSymbols) {
  const ElfImage img = load_elf(kGo + "/hello");
  ASSERT_FALSE(img.segments.empty());
  const auto exec = img.executable_segments();
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_GE(img.entry, exec[0]->vaddr);
  EXPECT_LT(img.entry, exec[0]->vaddr + exec[0]->memsz);
  EXPECT_EQ(exec[0]->prot, kProtRead | kProtExec);
  const ElfSymbol* rt0 = symbol(img, "_rt0_amd64_linux");
  ASSERT_NE(rt0, nullptr);
  EXPECT_EQ(rt0->addr, img.entry);
  EXPECT_TRUE(rt0->is_function);
  EXPECT_NE(symbol(img, "runtime.rt0_go.abi0"), nullptr);
  EXPECT_NE(symbol(img, "main.main"), nullptr);
  EXPECT_TRUE(std::is_sorted(img.symbols.begin(), img.symbols.end(),
                             [](const ElfSymbol& a, const ElfSymbol& b) { return a.addr < b.addr; }));
  // Data after text, and the break starts past every segment.
  for (const auto& s : img.segments) {
    EXPECT_LE(s.filesz, s.memsz);
    EXPECT_LE(s.vaddr + s.memsz, img.end_of_data);
  }
  EXPECT_NE(img.phdr_addr, 0u);
  EXPECT_GT(img.phnum, 2u);
}

TEST(LoadElf, StrippedHelloLoadsWithoutSymbols) {
  const ElfImage img = load_elf(kGo + "/hello-stripped");
  EXPECT_TRUE(img.symbols.empty());
  EXPECT_FALSE(img.executable_segments().empty());
}

TEST(LoadElf, AsmFixtureEntryIsStart) {
  const ElfImage img = load_elf(std::string(GOSTEP_ASM_DIR) + "/loop");
  const ElfSymbol* start = symbol(img, "_start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(img.entry, start->addr);
  EXPECT_NE(symbol(img, "spin_forever"), nullptr);
}

class LoadElfRefuses : public ::testing::TestWithParam<test::BadInput> {};

TEST_P(LoadElfRefuses, WithTheRightStatusAndMessage) {
  const test::BadInput& b = GetParam();
  test::TempDir dir;
  const std::string path =
      test::make_bad_input(dir, b.name, kGo + "/hello", GOSTEP_DYN_HELLO_PIE, GOSTEP_DYN_HELLO_NOPIE);
  try {
    (void)load_elf(path);
    FAIL() << b.name << " was loaded";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.status, b.status) << e.what();
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& m : b.mentions) EXPECT_NE(msg.find(m), std::string::npos) << "missing '" << m << "': " << msg;
  }
}

INSTANTIATE_TEST_SUITE_P(BadFiles, LoadElfRefuses, ::testing::ValuesIn(test::bad_inputs()), [](const auto& p) {
  std::string n = p.param.name;
  for (char& c : n) if (c == '-') c = '_';
  return n;
});

}  // namespace
}  // namespace gostep
