// DwarfInfo against go1.19-bootstrap-facts.md part (b): layouts, globals and
// constants of `empty` and `hello` as their own DWARF describes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "emulator/elf_image.h"
#include "emulator/unicorn_engine.h"  // kProtWrite
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/go_status.h"
#include "model_test_util.h"

namespace gostep::model {
namespace {

using testing::go_program;

class ModelDwarf : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    for (const char* name : {"empty", "hello"}) {
      std::string why;
      dwarfs()[name] = DwarfInfo::open(go_program(name), &why);
      ASSERT_NE(dwarfs()[name], nullptr) << why;
    }
  }
  static void TearDownTestSuite() { dwarfs().clear(); }
  static std::map<std::string, std::unique_ptr<DwarfInfo>>& dwarfs() {
    static std::map<std::string, std::unique_ptr<DwarfInfo>> d;
    return d;
  }
  const DwarfInfo& dwarf() { return *dwarfs().at(GetParam()); }
};

TEST_P(ModelDwarf, ProducerNamesGo119) {
  EXPECT_NE(dwarf().producer().find("Go cmd/compile go1.19"), std::string::npos) << dwarf().producer();
  EXPECT_TRUE(dwarf().go_version().starts_with("go1.19")) << dwarf().go_version();
}

struct Layout {
  const char* type;
  const char* path;
  std::uint64_t offset;
  std::uint64_t size;
  const char* type_name;
};

// go1.19-bootstrap-facts.md, part (b).
constexpr Layout kLayouts[] = {
    {"runtime.g", "stack", 0, 16, "runtime.stack"},
    {"runtime.g", "stack.lo", 0, 8, "uintptr"},
    {"runtime.g", "stack.hi", 8, 8, "uintptr"},
    {"runtime.g", "stackguard0", 16, 8, "uintptr"},
    {"runtime.g", "stackguard1", 24, 8, "uintptr"},
    {"runtime.g", "_panic", 32, 8, "*runtime._panic"},
    {"runtime.g", "_defer", 40, 8, "*runtime._defer"},
    {"runtime.g", "m", 48, 8, "*runtime.m"},
    {"runtime.g", "sched", 56, 56, "runtime.gobuf"},
    {"runtime.g", "sched.sp", 56, 8, "uintptr"},
    {"runtime.g", "sched.pc", 64, 8, "uintptr"},
    {"runtime.g", "sched.g", 72, 8, "runtime.guintptr"},
    {"runtime.g", "sched.bp", 104, 8, "uintptr"},
    {"runtime.g", "atomicstatus", 144, 4, "uint32"},
    {"runtime.g", "goid", 152, 8, "int64"},
    {"runtime.g", "gopc", 296, 8, "uintptr"},
    {"runtime.g", "startpc", 312, 8, "uintptr"},
    {"runtime.gobuf", "ctxt", 24, 8, "unsafe.Pointer"},
    {"runtime.gobuf", "ret", 32, 8, "uintptr"},
    {"runtime.gobuf", "lr", 40, 8, "uintptr"},
    {"runtime.m", "g0", 0, 8, "*runtime.g"},
    {"runtime.m", "morebuf", 8, 56, "runtime.gobuf"},
    {"runtime.m", "procid", 72, 8, "uint64"},
    {"runtime.m", "gsignal", 80, 8, "*runtime.g"},
    {"runtime.m", "tls", 136, 48, "[6]uintptr"},
    {"runtime.m", "tls[0]", 136, 8, "uintptr"},
    {"runtime.m", "tls[2]", 152, 8, "uintptr"},
    {"runtime.m", "tls[5]", 176, 8, "uintptr"},
    {"runtime.m", "mstartfn", 184, 8, "func()"},
    {"runtime.m", "curg", 192, 8, "*runtime.g"},
    {"runtime.m", "p", 208, 8, "runtime.puintptr"},
    {"runtime.m", "nextp", 216, 8, "runtime.puintptr"},
    {"runtime.m", "id", 232, 8, "int64"},
    {"runtime.m", "spinning", 276, 1, "bool"},
    {"runtime.m", "park", 328, 8, "runtime.note"},
    {"runtime.m", "alllink", 336, 8, "*runtime.m"},
    {"runtime.m", "schedlink", 344, 8, "runtime.muintptr"},
    {"runtime.p", "id", 0, 4, "int32"},
    {"runtime.p", "status", 4, 4, "uint32"},
    {"runtime.p", "m", 56, 8, "runtime.muintptr"},
    {"runtime.p", "runqhead", 400, 4, "uint32"},
    {"runtime.p", "runqtail", 404, 4, "uint32"},
    {"runtime.p", "runq", 408, 2048, "[256]runtime.guintptr"},
    {"runtime.p", "runq[255]", 408 + 255 * 8, 8, "runtime.guintptr"},
    {"runtime.p", "runnext", 2456, 8, "runtime.guintptr"},
    {"runtime.schedt", "midle", 32, 8, "runtime.muintptr"},
    {"runtime.schedt", "nmidle", 40, 4, "int32"},
    {"runtime.schedt", "pidle", 80, 8, "runtime.puintptr"},
    {"runtime.schedt", "npidle", 88, 4, "uint32"},
    {"runtime.schedt", "nmspinning", 92, 4, "uint32"},
    {"runtime.schedt", "runq", 96, 16, "runtime.gQueue"},
    {"runtime.schedt", "runq.head", 96, 8, "runtime.guintptr"},
    {"runtime.schedt", "runq.tail", 104, 8, "runtime.guintptr"},
    {"runtime.schedt", "runqsize", 112, 4, "int32"},
};

TEST_P(ModelDwarf, LayoutsMatchTheFactsFile) {
  for (const Layout& l : kLayouts) {
    SCOPED_TRACE(std::string(l.type) + "." + l.path);
    auto f = dwarf().field(l.type, l.path);
    ASSERT_TRUE(f) << f.error();
    EXPECT_EQ(f->offset, l.offset);
    EXPECT_EQ(f->size, l.size);
    EXPECT_EQ(f->type_name, l.type_name);
  }
}

TEST_P(ModelDwarf, StructSizesAndKinds) {
  const std::pair<const char*, std::uint64_t> sizes[] = {
      {"runtime.g", 392}, {"runtime.m", 1008}, {"runtime.p", 8912},
      {"runtime.schedt", 6080}, {"runtime.gobuf", 56}, {"runtime.stack", 16}};
  for (auto [name, size] : sizes) {
    auto t = dwarf().type(name);
    ASSERT_TRUE(t) << name;
    EXPECT_EQ(t->kind, TypeKind::kStruct) << name;
    EXPECT_EQ(t->size, size) << name;
  }
  auto m = dwarf().type("runtime.m");
  ASSERT_TRUE(m);
  ASSERT_FALSE(m->fields.empty());
  EXPECT_EQ(m->fields.front().name, "g0");
  EXPECT_EQ(m->fields.front().kind, TypeKind::kPointer);
  for (std::size_t i = 1; i < m->fields.size(); ++i)
    EXPECT_LE(m->fields[i - 1].offset, m->fields[i].offset) << m->fields[i].name;

  auto tls = dwarf().type("[6]uintptr");
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->kind, TypeKind::kArray);
  EXPECT_EQ(tls->count, 6u);
  EXPECT_EQ(tls->elem_type, "uintptr");
  auto gp = dwarf().type("*runtime.g");
  ASSERT_TRUE(gp);
  EXPECT_EQ(gp->kind, TypeKind::kPointer);
  EXPECT_EQ(gp->size, 8u);
  EXPECT_EQ(gp->elem_type, "runtime.g");
  auto gu = dwarf().type("runtime.guintptr");
  ASSERT_TRUE(gu);
  EXPECT_EQ(gu->kind, TypeKind::kBase);
  EXPECT_EQ(gu->size, 8u);
}

TEST_P(ModelDwarf, BadFieldPathsAreErrorsNotExceptions) {
  EXPECT_FALSE(dwarf().type("runtime.nosuchtype"));
  auto no_type = dwarf().field("runtime.nosuchtype", "x");
  EXPECT_FALSE(no_type);
  EXPECT_NE(no_type.error().find("runtime.nosuchtype"), std::string::npos);
  auto no_field = dwarf().field("runtime.g", "sched.nosuch");
  EXPECT_FALSE(no_field);
  EXPECT_NE(no_field.error().find("nosuch"), std::string::npos) << no_field.error();
  auto out_of_range = dwarf().field("runtime.m", "tls[6]");
  EXPECT_FALSE(out_of_range);
  EXPECT_NE(out_of_range.error().find("6 elements"), std::string::npos) << out_of_range.error();
  EXPECT_FALSE(dwarf().field("runtime.m", "tls[x]"));
  EXPECT_FALSE(dwarf().field("runtime.m", "tls[1"));
  EXPECT_FALSE(dwarf().field("runtime.m", "id.lo"));  // id is an int64
  EXPECT_FALSE(dwarf().field("runtime.g", "goid[0]"));
  EXPECT_FALSE(dwarf().field("runtime.g", ""));
}

TEST_P(ModelDwarf, FieldPathAtFindsTheDeepestField) {
  std::uint64_t rest = 99;
  EXPECT_EQ(dwarf().field_path_at("runtime.m", 136, &rest), "tls[0]");
  EXPECT_EQ(rest, 0u);
  EXPECT_EQ(dwarf().field_path_at("runtime.m", 0x94, &rest), "tls[1]");
  EXPECT_EQ(rest, 4u);
  EXPECT_EQ(dwarf().field_path_at("runtime.g", 56 + 8, &rest), "sched.pc");
  EXPECT_EQ(dwarf().field_path_at("runtime.g", 8, &rest), "stack.hi");
  EXPECT_EQ(dwarf().field_path_at("runtime.p", 408 + 3 * 8, &rest), "runq[3]");
  EXPECT_EQ(dwarf().field_path_at("runtime.nosuchtype", 8, &rest), "");
  EXPECT_EQ(rest, 8u);
}

TEST_P(ModelDwarf, GlobalsAgreeWithSymtabAndLieInWritableData) {
  const ElfImage img = load_elf(go_program(GetParam()));
  const std::pair<const char*, std::uint64_t> globals[] = {
      {"runtime.g0", 392}, {"runtime.m0", 1008}, {"runtime.sched", 6080}};
  for (auto [name, size] : globals) {
    SCOPED_TRACE(name);
    auto v = dwarf().variable(name);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->size, size);
    auto sym = std::find_if(img.symbols.begin(), img.symbols.end(),
                            [&](const ElfSymbol& s) { return s.name == name; });
    ASSERT_NE(sym, img.symbols.end());
    EXPECT_EQ(sym->addr, v->addr);
    EXPECT_EQ(sym->size, size);
    // .bss: inside a writable segment, past its file-backed bytes.
    auto seg = std::find_if(img.segments.begin(), img.segments.end(), [&](const ElfSegment& s) {
      return v->addr >= s.vaddr && v->addr + size <= s.vaddr + s.memsz;
    });
    ASSERT_NE(seg, img.segments.end());
    EXPECT_TRUE(seg->prot & kProtWrite);
    EXPECT_GE(v->addr, seg->vaddr + seg->filesz);
    // variable_at finds it from any byte inside.
    auto inner = dwarf().variable_at(v->addr + size - 1);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->name, name);
  }
  EXPECT_EQ(dwarf().variable("runtime.g0")->type_name, "runtime.g");
  EXPECT_EQ(dwarf().variable("runtime.m0")->type_name, "runtime.m");
  EXPECT_EQ(dwarf().variable("runtime.sched")->type_name, "runtime.schedt");
  EXPECT_EQ(dwarf().variable("runtime.allp")->type_name, "[]*runtime.p");
  EXPECT_EQ(dwarf().variable("runtime.ncpu")->size, 4u);
  EXPECT_FALSE(dwarf().variable("runtime.nosuchglobal"));
  EXPECT_TRUE(std::is_sorted(dwarf().variables().begin(), dwarf().variables().end(),
                             [](const VariableInfo& a, const VariableInfo& b) { return a.addr < b.addr; }));
}

TEST_P(ModelDwarf, ConstantsFromDwTagConstant) {
  const std::pair<const char*, std::int64_t> constants[] = {
      {"runtime._Gidle", 0},        {"runtime._Grunnable", 1},  {"runtime._Grunning", 2},
      {"runtime._Gsyscall", 3},     {"runtime._Gwaiting", 4},   {"runtime._Gdead", 6},
      {"runtime._Gpreempted", 9},   {"runtime._Gscan", 0x1000}, {"runtime._Gscanrunning", 0x1002},
      {"runtime._Pidle", 0},        {"runtime._Prunning", 1},   {"runtime._Pdead", 4},
      {"runtime._StackGuard", 928}, {"runtime._StackMin", 2048}, {"runtime.tlsSlots", 6},
      {"runtime._GoidCacheBatch", 16}};
  for (auto [name, value] : constants) {
    auto c = dwarf().constant(name);
    ASSERT_TRUE(c) << name;
    EXPECT_EQ(*c, value) << name;
  }
  EXPECT_FALSE(dwarf().constant("runtime._Gnosuch"));
  auto ps = dwarf().constants_with_prefix("runtime._P");
  EXPECT_TRUE(std::any_of(ps.begin(), ps.end(), [](auto& c) { return c.name == "runtime._Psyscall"; }));
  for (auto& c : ps) EXPECT_TRUE(c.name.starts_with("runtime._P")) << c.name;
}

TEST_P(ModelDwarf, StatusNumbersMapBackToNames) {
  const StatusNames names(dwarf());
  EXPECT_EQ(names.g(0), "_Gidle");
  EXPECT_EQ(names.g(1), "_Grunnable");
  EXPECT_EQ(names.g(2), "_Grunning");
  EXPECT_EQ(names.g(6), "_Gdead");
  EXPECT_EQ(names.g(0x1002), "_Gscanrunning");
  EXPECT_EQ(names.g(0x1004), "_Gscanwaiting");
  EXPECT_EQ(names.g(0x1006), "_Gscan|_Gdead");  // no constant of its own
  EXPECT_EQ(names.g(16), "0x10");                // _GoidCacheBatch is not a status
  EXPECT_EQ(names.p(0), "_Pidle");
  EXPECT_EQ(names.p(1), "_Prunning");
  EXPECT_EQ(names.p(4), "_Pdead");
  EXPECT_EQ(names.p(13), "0xd");  // _PageShift is not a status
}

TEST_P(ModelDwarf, FunctionsByNameAndPc) {
  auto rt0 = dwarf().function("runtime.rt0_go");  // assembly: DWARF drops .abi0
  ASSERT_TRUE(rt0);
  EXPECT_EQ(rt0->high - rt0->low, 370u);  // facts file (a) step 3
  EXPECT_EQ(rt0->unit, "runtime");
  auto via_abi0 = dwarf().function("runtime.rt0_go.abi0");
  ASSERT_TRUE(via_abi0);
  EXPECT_EQ(via_abi0->low, rt0->low);
  auto inside = dwarf().function_at(rt0->low + 0xdf);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->name, "runtime.rt0_go");
  EXPECT_FALSE(dwarf().function_at(rt0->high + 0x1000000));
  ASSERT_TRUE(dwarf().function("main.main"));
  EXPECT_EQ(dwarf().function("main.main")->unit, "main");
  ASSERT_TRUE(dwarf().function("runtime.newproc1"));
  EXPECT_FALSE(dwarf().function("runtime.nosuchfunc"));
}

INSTANTIATE_TEST_SUITE_P(GoPrograms, ModelDwarf, ::testing::Values("empty", "hello"));

TEST(ModelDwarfOpen, MissingFileFailsCleanly) {
  std::string why;
  EXPECT_EQ(DwarfInfo::open(go_program("no-such-program"), &why), nullptr);
  EXPECT_NE(why.find("No such file"), std::string::npos) << why;
  EXPECT_EQ(DwarfInfo::open(go_program("no-such-program")), nullptr);  // `why` is optional
}

TEST(ModelDwarfOpen, StrippedGoBinaryHasNoDwarf) {
  std::string why;
  EXPECT_EQ(DwarfInfo::open(go_program("hello-stripped"), &why), nullptr);
  EXPECT_NE(why.find("no DWARF"), std::string::npos) << why;
}

TEST(ModelDwarfOpen, NonElfFileFailsCleanly) {
  const std::string path = ::testing::TempDir() + "/model_dwarf_not_elf.txt";
  std::ofstream(path) << "package main\n";
  std::string why;
  EXPECT_EQ(DwarfInfo::open(path, &why), nullptr);
  EXPECT_FALSE(why.empty());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace gostep::model
