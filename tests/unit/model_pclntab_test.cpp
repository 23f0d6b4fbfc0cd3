// pclntab: function names for binaries built with -ldflags=-s -w.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "emulator/elf_image.h"
#include "model_test_util.h"
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/pclntab.h"

namespace gostep::model {
namespace {

using testing::go_program;

TEST(ModelPclntab, StrippedHelloStillNamesItsFunctions) {
  const ElfImage img = load_elf(go_program("hello-stripped"));
  EXPECT_TRUE(img.symbols.empty());
  auto tab = Pclntab::parse(img.bytes);
  ASSERT_TRUE(tab) << tab.error();
  EXPECT_TRUE(tab->from_section());
  EXPECT_GT(tab->functions().size(), 1000u);
  EXPECT_TRUE(std::is_sorted(tab->functions().begin(), tab->functions().end(),
                             [](const PclnFunction& a, const PclnFunction& b) { return a.entry < b.entry; }));
  for (const char* name : {"runtime.rt0_go", "runtime.settls", "runtime.newproc1", "runtime.schedule",
                           "runtime.main", "main.main", "_rt0_amd64_linux"}) {
    auto f = tab->function(name);
    ASSERT_TRUE(f) << name;
    auto back = tab->function_at(f->entry + (f->end - f->entry) / 2);
    ASSERT_TRUE(back) << name;
    EXPECT_EQ(back->name, name);
  }
  EXPECT_EQ(tab->function("_rt0_amd64_linux")->entry, img.entry);
  EXPECT_TRUE(tab->function("runtime.rt0_go.abi0"));  // the .abi0 spelling users copy from .symtab
  EXPECT_FALSE(tab->function("runtime.nosuchfunc"));
  EXPECT_FALSE(tab->function_at(0));
}

TEST(ModelPclntab, AgreesWithDwarfOnTheUnstrippedBuild) {
  const ElfImage img = load_elf(go_program("hello"));
  auto tab = Pclntab::parse(img.bytes);
  ASSERT_TRUE(tab) << tab.error();
  auto dwarf = DwarfInfo::open(go_program("hello"));
  ASSERT_NE(dwarf, nullptr);
  for (const char* name : {"runtime.rt0_go", "runtime.newproc1", "main.main"}) {
    ASSERT_TRUE(tab->function(name)) << name;
    EXPECT_EQ(tab->function(name)->entry, dwarf->function(name)->low) << name;
  }
  // The stripped build has the same code at the same addresses.
  auto stripped = Pclntab::load(go_program("hello-stripped"));
  ASSERT_TRUE(stripped) << stripped.error();
  EXPECT_EQ(stripped->text_start(), tab->text_start());
  EXPECT_EQ(stripped->functions().size(), tab->functions().size());
}

TEST(ModelPclntab, FoundByScanningWhenNoSectionNamesIt) {
  ElfImage img = load_elf(go_program("hello-stripped"));
  // Rename the section in .shstrtab so only the header magic can find the table.
  const char needle[] = ".gopclntab";
  auto it = std::search(img.bytes.begin(), img.bytes.end(), needle, needle + sizeof(needle) - 1);
  ASSERT_NE(it, img.bytes.end());
  *(it + 1) = 'X';
  auto tab = Pclntab::parse(img.bytes);
  ASSERT_TRUE(tab) << tab.error();
  EXPECT_FALSE(tab->from_section());
  ASSERT_TRUE(tab->function("runtime.rt0_go"));
}

TEST(ModelPclntab, NonGoInputFailsCleanly) {
  std::vector<std::uint8_t> junk(4096, 0xab);
  auto r = Pclntab::parse(junk);
  EXPECT_FALSE(r);
  EXPECT_NE(r.error().find("pclntab"), std::string::npos) << r.error();
  EXPECT_FALSE(Pclntab::parse({}));
  // A header with the magic but nonsense offsets is refused, not followed.
  std::vector<std::uint8_t> fake(256, 0xff);
  const std::uint8_t magic[] = {0xf0, 0xff, 0xff, 0xff, 0, 0, 1, 8};
  std::memcpy(fake.data() + 64, magic, sizeof(magic));
  EXPECT_FALSE(Pclntab::parse(fake));
  auto missing = Pclntab::load(go_program("no-such-program"));
  EXPECT_FALSE(missing);
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace gostep::model
