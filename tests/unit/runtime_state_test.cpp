// The runtime model over a real emulated run of hello: the values a native
// run shows (go1.19-bootstrap-facts.md, "Observed natively under gdb"),
// relations rather than addresses so that any build of hello passes.
#include <gtest/gtest.h>

#include "session/session.h"

namespace gostep {
namespace {

struct GuestRun {
  Session s;
  explicit GuestRun(const char* prog) : s(std::string(GOSTEP_FIXTURES_DIR) + "/go/" + prog, ProcessOptions{}) {}
  model::RuntimeState at(const std::string& loc) {
    auto l = s.resolve(loc);
    EXPECT_TRUE(l.ok()) << l.error();
    std::vector<std::size_t> hit;
    const StopReason r = s.run_to({*l}, hit);
    EXPECT_EQ(hit.size(), 1u) << loc << " not reached, stop kind " << static_cast<int>(r.kind);
    return s.capture();
  }
};

TEST(RuntimeState, AtEntryNothingIsSetUp) {
  GuestRun r("hello");
  ASSERT_NE(r.s.model(), nullptr) << r.s.model_error();
  const auto st = r.at("milestone:entry");
  EXPECT_EQ(st.tls.fs_base, 0u);
  EXPECT_FALSE(st.tls.g.has_value());  // "no TLS yet"
  EXPECT_TRUE(st.allp.empty());        // before schedinit
  EXPECT_TRUE(st.allgs.empty());
  EXPECT_EQ(st.g0.stack_lo, 0u);
  EXPECT_EQ(st.m0.g0, 0u);
  EXPECT_FALSE(st.curg.has_value());
}

TEST(RuntimeState, TheChaptersBootstrapInOrder) {
  GuestRun r("hello");
  const auto stack = r.at("milestone:g0_stack");
  // g0's stack: 64 KiB - 104 carved below the aligned SP (asm_amd64.s:170-175).
  EXPECT_EQ(stack.g0.stack_hi, stack.regs[Reg::rsp]);
  EXPECT_EQ(stack.g0.stack_hi - stack.g0.stack_lo, 65432u);
  EXPECT_EQ(stack.g0.stackguard0, stack.g0.stack_lo);
  EXPECT_EQ(stack.g0.stackguard1, stack.g0.stack_lo);

  const auto settls = r.at("milestone:settls_return");
  // FS points just past m0.tls[0]: %fs:-8 is m0.tls[0].
  EXPECT_EQ(settls.tls.fs_base, r.s.model()->m0_addr() + 0x88 + 8);

  const auto in_tls = r.at("milestone:g0_in_tls");
  ASSERT_TRUE(in_tls.tls.g.has_value());
  EXPECT_EQ(*in_tls.tls.g, r.s.model()->g0_addr());
  EXPECT_EQ(in_tls.m0.tls[0], r.s.model()->g0_addr());
  EXPECT_EQ(in_tls.tls.g_symbol, "runtime.g0");

  const auto bound = r.at("milestone:g0_m");
  EXPECT_EQ(bound.m0.g0, r.s.model()->g0_addr());
  EXPECT_EQ(bound.g0.m, r.s.model()->m0_addr());
  const auto changes = model::RuntimeModel::diff(in_tls, bound);
  bool saw_m0_g0 = false, saw_g0_m = false;
  for (const auto& c : changes) {
    saw_m0_g0 |= c.path == "m0.g0" && c.before == "null";
    saw_g0_m |= c.path == "g0.m" && c.before == "null";
  }
  EXPECT_TRUE(saw_m0_g0);
  EXPECT_TRUE(saw_g0_m);

  const auto sched = r.at("milestone:schedinit_return");
  ASSERT_EQ(sched.allp.size(), 2u);  // --ncpu 2
  EXPECT_EQ(sched.m0.p, sched.allp[0].addr);
  EXPECT_EQ(sched.allp[0].status_name, "_Prunning");
  EXPECT_EQ(sched.allp[1].status_name, "_Pidle");
  EXPECT_EQ(sched.sched.pidle, sched.allp[1].addr);
  EXPECT_EQ(sched.sched.npidle, 1u);

  const auto np = r.at("milestone:newproc_return");
  ASSERT_EQ(np.allgs.size(), 1u);
  const auto& g1 = np.allgs[0];
  EXPECT_EQ(g1.goid, 1);
  EXPECT_EQ(g1.status_name, "_Grunnable");
  EXPECT_EQ(g1.startpc_symbol, "runtime.main");
  EXPECT_EQ(g1.stack_hi - g1.stack_lo, 2048u);  // _StackMin
  EXPECT_EQ(g1.sched_sp, g1.stack_hi - 0x28);    // facts: sched.sp = hi - 0x28 (goexit+1 pushed)
  EXPECT_EQ(np.allp[0].runnext, g1.addr);
  EXPECT_TRUE(np.allp[0].runq.empty());
  EXPECT_EQ(np.sched.goidgen, 16u);

  const auto main = r.at("milestone:runtime_main");
  ASSERT_TRUE(main.curg.has_value());
  EXPECT_EQ(main.curg->goid, 1);
  EXPECT_EQ(main.curg->status_name, "_Grunning");
  ASSERT_TRUE(main.tls.g.has_value());
  EXPECT_EQ(*main.tls.g, main.curg->addr);
  EXPECT_TRUE(main.tls.agree);  // TLS = R14 = m0.curg
}

TEST(RuntimeState, StrippedBinaryHasNoModelAndSaysWhy) {
  Session s(std::string(GOSTEP_FIXTURES_DIR) + "/go/hello-stripped", ProcessOptions{});
  EXPECT_EQ(s.model(), nullptr);
  EXPECT_NE(s.model_error().find("no DWARF"), std::string::npos) << s.model_error();
}

}  // namespace
}  // namespace gostep

namespace gostep {
namespace {

TEST(GoVersion, Go119IsQuietOthersGetOneLine) {
  EXPECT_EQ(go_version_warning("./p", "go1.19.8"), "");
  EXPECT_EQ(go_version_warning("./p", "go1.19"), "");
  const std::string w = go_version_warning("./p", "go1.21.3");
  EXPECT_NE(w.find("go1.21.3"), std::string::npos);
  EXPECT_NE(w.find("go1.19"), std::string::npos);
  EXPECT_EQ(w.find('\n'), std::string::npos);
  EXPECT_NE(go_version_warning("./p", "go1.190"), "");
  EXPECT_NE(go_version_warning("./p", "").find("unknown compiler"), std::string::npos);
}

TEST(GoVersion, TheBundledProgramsAreGo119) {
  Session s(std::string(GOSTEP_FIXTURES_DIR) + "/go/hello", ProcessOptions{});
  EXPECT_EQ(s.version_warning(), "");
  ASSERT_NE(s.dwarf(), nullptr);
  EXPECT_EQ(s.dwarf()->go_version().rfind("go1.19", 0), 0u);
}

}  // namespace
}  // namespace gostep
