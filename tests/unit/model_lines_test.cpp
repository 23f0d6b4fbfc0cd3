// The merged line table: pc -> file:line (assembly included) and FILE:LINE -> pc.
// Lines are Go 1.19's (go1.19-bootstrap-facts.md part (a)); addresses come from symbols.
#include <gtest/gtest.h>

#include <algorithm>

#include "model_test_util.h"
#include "runtime_model/dwarf_reader.h"

namespace gostep::model {
namespace {

using testing::go_program;

class ModelLines : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string why;
    dwarf_ = DwarfInfo::open(go_program(GetParam()), &why);
    ASSERT_NE(dwarf_, nullptr) << why;
  }
  std::uint64_t entry(const char* fn) {
    auto f = dwarf_->function(fn);
    EXPECT_TRUE(f) << fn;
    return f ? f->low : 0;
  }
  std::unique_ptr<DwarfInfo> dwarf_;
};

TEST_P(ModelLines, Rt0GoStoreOfG0IsAsmAmd64Line268) {
  // rt0_go+0xdf is `MOVQ CX, g(BX)` (facts (a) step 11).
  auto line = dwarf_->line_at(entry("runtime.rt0_go") + 0xdf);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->short_form(), "asm_amd64.s:268");
  EXPECT_EQ(line->file, "runtime/asm_amd64.s");
  EXPECT_EQ(line->line, 268);
  EXPECT_EQ(line->full_path, "/usr/lib/go-1.19/src/runtime/asm_amd64.s");
  auto first = dwarf_->line_at(entry("runtime.rt0_go"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->short_form(), "asm_amd64.s:161");  // MOVQ DI, AX, the first instruction
}

TEST_P(ModelLines, OtherAssemblyAndGoUnits) {
  auto settls = dwarf_->line_at(entry("runtime.settls"));
  ASSERT_TRUE(settls);
  EXPECT_EQ(settls->file, "runtime/sys_linux_amd64.s");
  EXPECT_GE(settls->line, 639);
  EXPECT_LE(settls->line, 653);
  auto entry_line = dwarf_->line_at(entry("_rt0_amd64_linux"));
  ASSERT_TRUE(entry_line);
  EXPECT_EQ(entry_line->short_form(), "rt0_linux_amd64.s:8");  // JMP _rt0_amd64
  auto newproc1 = dwarf_->line_at(entry("runtime.newproc1"));
  ASSERT_TRUE(newproc1);
  EXPECT_EQ(newproc1->file, "runtime/proc.go");
  EXPECT_EQ(newproc1->line, 4112);
  auto main_line = dwarf_->line_at(entry("main.main"));
  ASSERT_TRUE(main_line);
  EXPECT_TRUE(main_line->file.ends_with("/main.go")) << main_line->file;
  EXPECT_EQ(main_line->full_path, main_line->file);  // not under GOROOT
  EXPECT_FALSE(dwarf_->line_at(0));
}

TEST_P(ModelLines, FileLineToPcRoundTrips) {
  auto at = dwarf_->pc_for_line("asm_amd64.s:268");
  ASSERT_TRUE(at) << at.error();
  EXPECT_EQ(at->pc, entry("runtime.rt0_go") + 0xdf);
  EXPECT_EQ(at->source.line, 268);
  EXPECT_EQ(dwarf_->line_at(at->pc)->short_form(), "asm_amd64.s:268");

  auto longer = dwarf_->pc_for_line("runtime/asm_amd64.s:268");
  ASSERT_TRUE(longer) << longer.error();
  EXPECT_EQ(longer->pc, at->pc);
  auto full = dwarf_->pc_for_line("/usr/lib/go-1.19/src/runtime/asm_amd64.s", 268);
  ASSERT_TRUE(full) << full.error();
  EXPECT_EQ(full->pc, at->pc);

  auto proc = dwarf_->pc_for_line("proc.go:4112");  // func newproc1(...
  ASSERT_TRUE(proc) << proc.error();
  EXPECT_EQ(proc->pc, entry("runtime.newproc1"));

  // Every line that has code maps to a pc whose line is that line again.
  for (const char* loc : {"asm_amd64.s:174", "asm_amd64.s:255", "sys_linux_amd64.s:649", "proc.go:4176"}) {
    auto r = dwarf_->pc_for_line(loc);
    ASSERT_TRUE(r) << loc << ": " << r.error();
    EXPECT_EQ(dwarf_->line_at(r->pc)->short_form(), loc);
  }
}

TEST_P(ModelLines, LineWithoutCodeMovesToTheNextOne) {
  // asm_amd64.s:264 is the `ok:` label; 265 is a comment; the code is at 266.
  auto r = dwarf_->pc_for_line("asm_amd64.s:264");
  ASSERT_TRUE(r) << r.error();
  EXPECT_GT(r->source.line, 264);
  EXPECT_EQ(dwarf_->line_at(r->pc)->line, r->source.line);
}

TEST_P(ModelLines, BadFileLineIsAnError) {
  EXPECT_FALSE(dwarf_->pc_for_line("nosuchfile.go:1"));
  EXPECT_FALSE(dwarf_->pc_for_line("asm_amd64.s"));
  EXPECT_FALSE(dwarf_->pc_for_line("asm_amd64.s:abc"));
  EXPECT_FALSE(dwarf_->pc_for_line("asm_amd64.s:0"));
  EXPECT_FALSE(dwarf_->pc_for_line("asm_amd64.s:999999"));
  auto none = dwarf_->pc_for_line("nosuchfile.go:1");
  EXPECT_NE(none.error().find("nosuchfile.go"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(GoPrograms, ModelLines, ::testing::Values("empty", "hello"));

TEST(ModelLinesHello, AmbiguousBasenameListsTheCandidates) {
  auto dwarf = DwarfInfo::open(go_program("hello"));
  ASSERT_NE(dwarf, nullptr);
  // hello links both runtime/proc.go and os/proc.go. Neither has code on line 1, so
  // "the next line with code" would differ between them: the basename is ambiguous.
  const auto files = dwarf->source_files();
  ASSERT_NE(std::find(files.begin(), files.end(), "os/proc.go"), files.end());
  ASSERT_NE(std::find(files.begin(), files.end(), "runtime/proc.go"), files.end());
  auto r = dwarf->pc_for_line("proc.go:1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("ambiguous"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("os/proc.go"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("runtime/proc.go"), std::string::npos) << r.error();
  auto os_line = dwarf->pc_for_line("os/proc.go:1");
  ASSERT_TRUE(os_line) << os_line.error();
  EXPECT_EQ(os_line->source.file, "os/proc.go");
  // Where only one of the files has that line, the basename is enough.
  auto unique = dwarf->pc_for_line("proc.go:4112");
  ASSERT_TRUE(unique) << unique.error();
  EXPECT_EQ(unique->source.file, "runtime/proc.go");
}

}  // namespace
}  // namespace gostep::model
