// The bootstrap in miniature (asm_fixtures/mini/): each demo runs to the end
// state its own source states (the `gostep-expect` lines at the top of
// demo_amd64.s, read here, never retyped), a copy with the one instruction that
// does the demo's key write turned into NOPs fails it, the offsets the demos use
// are the binary's DWARF's, and each demo's milestones are its functions.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/disassembler.h"
#include "engine_test_util.h"
#include "runtime_model/dwarf_reader.h"
#include "tests/e2e/elf_patch.h"

namespace gostep::engine {
namespace {

using testing::command;
using testing::run;
using testing::target;

struct Demo {
  std::string name;
  std::string end;                   // gostep-end: the milestone where the state is checked
  std::vector<std::string> expects;  // gostep-expect: expressions that must hold there
  std::string key_write;             // gostep-break: the value whose first writer the broken copy loses
  int exit_status = 0;
};

std::string binary(const std::string& name) { return std::string(GOSTEP_FIXTURES_DIR) + "/mini/" + name; }

Demo read_demo(const std::string& name) {
  Demo d;
  d.name = name;
  std::ifstream in(std::string(GOSTEP_SOURCE_DIR) + "/asm_fixtures/mini/" + name + "/demo_amd64.s");
  std::string line;
  auto value = [&](const char* key) -> std::optional<std::string> {
    const std::string k = std::string("// ") + key + ": ";
    if (line.rfind(k, 0) != 0) return std::nullopt;
    return line.substr(k.size());
  };
  while (std::getline(in, line)) {
    if (auto v = value("gostep-end")) d.end = *v;
    if (auto v = value("gostep-expect")) d.expects.push_back(*v);
    if (auto v = value("gostep-break")) d.key_write = *v;
  }
  d.exit_status = name == "settls_off8" ? 1 : 0;  // its check fails, as it shows
  return d;
}

// Every expectation at the end milestone; the first that fails, with why.
std::string failing(Target& t, const Demo& d) {
  auto ev = t.resume(command(RunKind::until, 1, d.end));
  if (!ev) return "cannot go to " + d.end + ": " + ev.error();
  if (!ev->has(StopCause::location_reached)) return d.end + " is never reached";
  for (const auto& e : d.expects) {
    auto v = t.evaluate(e);
    if (!v) return e + ": " + v.error().message;
    if (!v->truthy()) return e + ": false";
  }
  return "";
}

class MiniDemo : public ::testing::TestWithParam<std::string> {};

TEST_P(MiniDemo, RunsToItsStatedEndState) {
  const Demo d = read_demo(GetParam());
  ASSERT_FALSE(d.end.empty()) << "no gostep-end line";
  ASSERT_GE(d.expects.size(), 2u) << "a demo states its end state";
  auto t = target(binary(d.name));
  EXPECT_EQ(failing(*t, d), "");
  const auto end = run(*t, command(RunKind::cont));
  EXPECT_TRUE(end.has(StopCause::exited));
  EXPECT_EQ(end.exit_status, d.exit_status);
}

TEST_P(MiniDemo, ABrokenCopyFailsIt) {
  const Demo d = read_demo(GetParam());
  ASSERT_FALSE(d.key_write.empty()) << "no gostep-break line";
  // The instruction that first writes the key value...
  auto t = target(binary(d.name));
  ASSERT_TRUE(t->add_watchpoint(d.key_write));
  const auto ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.watchpoints.size(), 1u) << d.key_write << " is never written";
  const GuestAddr pc = ev.watchpoints[0].writer_pc;
  std::uint8_t code[16] = {};
  ASSERT_TRUE(t->read_memory(pc, code, sizeof code));
  const auto insn = Disassembler().decode(code, pc);
  ASSERT_TRUE(insn);
  // ...becomes NOPs in a copy of the binary.
  auto bytes = test::read_bytes(binary(d.name));
  bool patched = false;
  for (const auto& seg : t->session().image().segments)
    if (pc >= seg.vaddr && pc + insn->size <= seg.vaddr + seg.filesz) {
      for (std::uint32_t i = 0; i < insn->size; ++i) bytes[seg.offset + (pc - seg.vaddr) + i] = 0x90;
      patched = true;
    }
  ASSERT_TRUE(patched);
  test::TempDir dir;
  const std::string broken = dir.file(d.name + "-broken");
  test::write_bytes(broken, bytes);
  ::chmod(broken.c_str(), 0755);
  auto b = target(broken);
  EXPECT_NE(failing(*b, d), "") << "the copy without " << insn->text() << " still passes";
}

INSTANTIATE_TEST_SUITE_P(Demos, MiniDemo,
                         ::testing::Values("rt0", "settls", "settls_off8", "bind", "newproc", "gogo"));

// runtime_offsets.h against the DWARF of a demo (the real runtime's types).
TEST(MiniDemos, OffsetsAreTheRuntimes) {
  auto dw = model::DwarfInfo::open(binary("newproc"));
  ASSERT_TRUE(dw);
  const std::map<std::string, std::pair<std::string, std::string>> fields = {
      {"g_stack_lo", {"runtime.g", "stack.lo"}},   {"g_stack_hi", {"runtime.g", "stack.hi"}},
      {"g_stackguard0", {"runtime.g", "stackguard0"}}, {"g_stackguard1", {"runtime.g", "stackguard1"}},
      {"g_m", {"runtime.g", "m"}},                 {"g_sched", {"runtime.g", "sched"}},
      {"gobuf_sp", {"runtime.gobuf", "sp"}},       {"gobuf_pc", {"runtime.gobuf", "pc"}},
      {"gobuf_g", {"runtime.gobuf", "g"}},         {"g_atomicstatus", {"runtime.g", "atomicstatus"}},
      {"g_goid", {"runtime.g", "goid"}},           {"g_schedlink", {"runtime.g", "schedlink"}},
      {"m_g0", {"runtime.m", "g0"}},               {"m_tls", {"runtime.m", "tls"}},
      {"m_curg", {"runtime.m", "curg"}},           {"m_p", {"runtime.m", "p"}},
      {"p_status", {"runtime.p", "status"}},       {"p_m", {"runtime.p", "m"}},
      {"p_runqhead", {"runtime.p", "runqhead"}},   {"p_runqtail", {"runtime.p", "runqtail"}},
      {"p_runq", {"runtime.p", "runq"}},           {"p_runnext", {"runtime.p", "runnext"}},
      {"sched_runq_head", {"runtime.schedt", "runq.head"}}, {"sched_runq_tail", {"runtime.schedt", "runq.tail"}},
      {"sched_runqsize", {"runtime.schedt", "runqsize"}}};
  const std::map<std::string, std::string> sizes = {{"g_size", "runtime.g"}, {"p_size", "runtime.p"}};
  const std::map<std::string, std::string> constants = {
      {"_Grunnable", "runtime._Grunnable"}, {"_Grunning", "runtime._Grunning"}, {"_Prunning", "runtime._Prunning"}};
  std::ifstream in(std::string(GOSTEP_SOURCE_DIR) + "/asm_fixtures/mini/runtime_offsets.h");
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string define, name;
    long value = -1;
    if (!(w >> define >> name >> value) || define != "#define") continue;
    if (auto f = fields.find(name); f != fields.end()) {
      auto loc = dw->field(f->second.first, f->second.second);
      ASSERT_TRUE(loc) << name;
      EXPECT_EQ(loc->offset, static_cast<std::uint64_t>(value)) << name;
    } else if (auto s = sizes.find(name); s != sizes.end()) {
      EXPECT_EQ(dw->type(s->second)->size, static_cast<std::uint64_t>(value)) << name;
    } else if (auto c = constants.find(name); c != constants.end()) {
      EXPECT_EQ(dw->constant(c->second), value) << name;
    } else {
      ADD_FAILURE() << "runtime_offsets.h defines " << name << ", which this test does not check";
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(fields.size() + sizes.size() + constants.size()));
}

// docs/lecture.md, "First the miniature, then the real thing": the same watch
// (and `continue`s) stops at the same instruction of the step in the miniature
// and in hello's rt0_go or runqput, with the same new value where the lecture
// says so.
struct SameStep {
  const char* demo;
  const char* watch;
  int continues;
  const char* demo_writer;  // function of the writing instruction
  const char* real_writer;
  bool same_value;
};

TEST(MiniDemos, TheSameWatchShowsTheSameStepInTheRealProgram) {
  const SameStep steps[] = {
      {"rt0", "g0.stack.lo", 1, "main.milestone_g0_stack", "runtime.rt0_go.abi0", true},
      {"settls", "m0.tls[0]", 1, "main.milestone_tls_probe", "runtime.rt0_go.abi0", true},
      {"bind", "g0.m", 1, "main.milestone_g0_m", "runtime.rt0_go.abi0", false},
      {"newproc", "allp[0].runnext", 2, "main.milestone_newproc", "runtime.runqput", false},
  };
  for (const auto& s : steps) {
    std::vector<WatchHit> hits;
    for (const std::string& prog : {binary(s.demo), testing::go_program("hello")}) {
      auto t = target(prog);
      ASSERT_TRUE(t->add_watchpoint(s.watch)) << s.demo;
      StopEvent ev;
      for (int k = 0; k < s.continues; ++k) ev = run(*t, command(RunKind::cont));
      ASSERT_EQ(ev.watchpoints.size(), 1u) << prog << ": " << s.watch;
      hits.push_back(ev.watchpoints[0]);
      const auto fn = t->symbols().function_at(hits.back().writer_pc);
      ASSERT_TRUE(fn.has_value());
      EXPECT_EQ(fn->name, hits.size() == 1 ? s.demo_writer : s.real_writer) << s.watch;
    }
    ASSERT_TRUE(hits[0].new_value && hits[1].new_value) << s.watch;
    EXPECT_NE(hits[0].new_value->bits, 0u) << s.watch;
    if (s.same_value) {
      EXPECT_EQ(hits[0].new_value->bits, hits[1].new_value->bits) << s.watch;
    }
  }
}

TEST(MiniDemos, MilestonesAreTheDemosFunctions) {
  auto t = target(binary("rt0"));
  std::vector<std::string> names;
  for (const auto& m : t->session().milestones()) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"entry", "kernel_stack", "align", "g0_stack", "done"}));
  auto ev = run(*t, command(RunKind::until, 1, "milestone:g0_stack"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_FALSE(t->resume(command(RunKind::until, 1, "milestone:rt0_go")));  // the chapter's are not the demo's
}

}  // namespace
}  // namespace gostep::engine
