// Go's pclntab read by runtime_model/pclntab.h (pcsp, pcfile, pcln, the inline
// tree) and the unwinder over it (runtime_model/unwind.h), on hello's own tables.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <vector>

#include "runtime_model/dwarf_reader.h"
#include "runtime_model/pclntab.h"
#include "runtime_model/unwind.h"

namespace gostep::test {
namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}


TEST(GoUnwinder, PcValueDecodesGoTables) {
  // value -1+1 = 0 for 5 bytes, then 0+8 = 8 for 10 bytes, then the end.
  const std::vector<std::uint8_t> t = {0x02, 0x05, 0x10, 0x0a, 0x00};
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0x1000), 0);
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0x1004), 0);
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0x1005), 8);
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0x100e), 8);
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0x100f), std::nullopt);
  EXPECT_EQ(model::pcvalue(t, 0x1000, 0xfff), std::nullopt);
  // Multi-byte varints: +100 (zigzag 200 = 0xc8 0x01) over 300 bytes (0xac 0x02).
  const std::vector<std::uint8_t> big = {0xc8, 0x01, 0xac, 0x02, 0x00};
  EXPECT_EQ(model::pcvalue(big, 0, 299), 99);
  EXPECT_EQ(model::pcvalue(big, 0, 300), std::nullopt);
  const std::vector<std::uint8_t> truncated = {0xc8};
  EXPECT_EQ(model::pcvalue(truncated, 0, 0), std::nullopt);
}

TEST(GoUnwinder, UnwindsASyntheticStackOfHello) {
  const auto file = read_file(std::string(GOSTEP_GO_DIR) + "/hello");
  auto table = model::Pclntab::parse(file);
  ASSERT_TRUE(table) << table.error();
  const auto newproc1 = table->function("runtime.newproc1");
  const auto main_main = table->function("main.main");
  const auto rt_main = table->function("runtime.main");
  const auto goexit = table->function("runtime.goexit");
  ASSERT_TRUE(newproc1 && main_main && rt_main && goexit);
  EXPECT_EQ(table->function_at(newproc1->entry + 3)->entry, newproc1->entry);
  EXPECT_EQ(table->sp_delta(*newproc1, newproc1->entry), 0);
  EXPECT_TRUE(goexit->flag & model::kFuncFlagTopFrame);
  // A goroutine stack: main.main at its entry, called from runtime.main (return
  // address 0x434012, SP delta there 0x58), called from goexit+1.
  const std::uint64_t sp = 0xc000086f98;
  const auto d = table->sp_delta(*rt_main, 0x434012 - 1);
  ASSERT_TRUE(d);
  std::map<std::uint64_t, std::uint64_t> mem = {{sp, 0x434012}, {sp + 8 + *d, goexit->entry + 1}};
  auto read = [&](std::uint64_t a) -> std::optional<std::uint64_t> {
    auto it = mem.find(a);
    if (it == mem.end()) return std::nullopt;
    return it->second;
  };
  const auto r = model::unwind_stack(*table, main_main->entry, sp, {}, read);
  ASSERT_EQ(r.frames.size(), 3u) << r.stopped;
  EXPECT_EQ(r.frames[0].func->entry, main_main->entry);
  EXPECT_EQ(r.frames[1].func->entry, rt_main->entry);
  EXPECT_EQ(r.frames[1].sp, sp + 8);
  EXPECT_EQ(r.frames[2].func->entry, goexit->entry);
  EXPECT_TRUE(r.frames[2].outermost);
  EXPECT_TRUE(r.stopped.empty());
  // A return address outside Go code stops the unwind and says so.
  mem[sp] = 0x10;
  const auto bad = model::unwind_stack(*table, main_main->entry, sp, {}, read);
  EXPECT_EQ(bad.frames.size(), 1u);
  EXPECT_NE(bad.stopped.find("not in any Go function"), std::string::npos);
}


// pcfile/pcln give the same file and line as DWARF's line table, at every
// instruction start of a few functions (Go assembly and Go, inlined code included).
TEST(Pclntab, PositionsAgreeWithDwarf) {
  const std::string path = std::string(GOSTEP_GO_DIR) + "/hello";
  auto table = model::Pclntab::parse(read_file(path));
  ASSERT_TRUE(table) << table.error();
  auto dwarf = model::DwarfInfo::open(path);
  ASSERT_TRUE(dwarf);
  int compared = 0;
  for (const char* name : {"runtime.rt0_go", "runtime.newproc1", "runtime.schedinit", "main.main"}) {
    const auto f = table->function(name);
    ASSERT_TRUE(f) << name;
    for (std::uint64_t pc = f->entry; pc < f->end; ++pc) {
      const auto mine = table->position(*f, pc);
      const auto theirs = dwarf->line_at(pc);
      if (!theirs || !mine) continue;
      // DWARF names files as the line table does; the pclntab too (-trimpath: "runtime/proc.go").
      EXPECT_EQ(mine->line, theirs->line) << name << " at " << std::hex << pc;
      EXPECT_EQ(mine->file, theirs->file) << name << " at " << std::hex << pc;
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000);
}

// The inline tree: somewhere in the runtime a pc is inside an inlined call, and
// its innermost function is the one DWARF says the line belongs to.
TEST(Pclntab, InlineTreeNamesInlinedFunctions) {
  const std::string path = std::string(GOSTEP_GO_DIR) + "/hello";
  auto table = model::Pclntab::parse(read_file(path));
  ASSERT_TRUE(table) << table.error();
  ASSERT_TRUE(table->has_inline_data()) << "moduledata.gofunc not found";
  // schedinit calls lock(&sched.lock), which the compiler inlines (lock -> lockWithRank -> lock2).
  const auto f = table->function("runtime.schedinit");
  ASSERT_TRUE(f);
  bool found = false;
  for (std::uint64_t pc = f->entry; pc < f->end && !found; ++pc) {
    const auto in = table->inlined_at(*f, pc);
    for (const auto& i : in)
      if (i.function == "runtime.lockWithRank" || i.function == "runtime.lock") {
        found = true;
        EXPECT_GE(i.parent_pc, f->entry);
        EXPECT_LT(i.parent_pc, f->end);
        // The outermost inlined call's parent pc is in schedinit itself, at proc.go.
        const auto outer = table->position(*f, in.back().parent_pc);
        ASSERT_TRUE(outer);
        EXPECT_EQ(outer->file, "runtime/proc.go");
      }
  }
  EXPECT_TRUE(found) << "no inlined runtime.lock in runtime.schedinit";
}

}  // namespace
}  // namespace gostep::test
