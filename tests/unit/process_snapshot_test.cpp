// Time travel's checkpoints at the emulator's level (emulator/process_snapshot.h,
// emulator/guest_pages.h): a process restored to a snapshot and run on does
// exactly what it did the first time from there, for Go programs and for the
// asm fixtures that exercise the Linux layer (futexes, pipes, eventfds,
// epoll, signals, a granted directory), and chained snapshots that share
// pages restore as well as the first.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/host_io_replay.h"
#include "emulator/process.h"
#include "emulator/process_snapshot.h"
#include "fake_host.h"

namespace gostep {
namespace {

std::string go(const std::string& name) { return std::string(GOSTEP_GO_DIR) + "/" + name; }
std::string asm_fixture(const std::string& name) { return std::string(GOSTEP_ASM_DIR) + "/" + name; }

// A process over a fake host (stdin text, a granted directory), every
// question to it through a ReplayHostIo as in a debug session.
struct Rig {
  std::shared_ptr<test::FakeHost> host = std::make_shared<test::FakeHost>();
  std::shared_ptr<ReplayHostIo> replay;
  ElfImage image;
  std::unique_ptr<Process> p;

  Rig(const std::string& path, const std::string& stdin_text) : image(load_elf(path)) {
    host->in = stdin_text;
    host->add_dir("/w");
    host->add_dir("/w/data");
    host->add_file("/w/data/a.txt", "hello world\nsecond line\n");
    host->add_file("/w/data/b.txt", "one two three", 0640);
    host->add_file("/w/data/remove-me.txt", "bye\n");
    host->add_dir("/w/data/keep");
    host->add_file("/w/data/keep/k.txt", "k\n");
    replay = std::make_shared<ReplayHostIo>(host);
    ProcessOptions o;
    o.argv = {path};
    o.dirs = {DirGrant{"/w", "/w", true}};
    o.host_io = replay;
    p = std::make_unique<Process>(image, o);
  }
};

// Everything the run left: how it ended, every thread, memory, the Linux layer.
std::string fingerprint(Process& p, const StopReason& r) {
  std::string s = fmt::format("stop {} status {} signal {} pc {:x}\n", static_cast<int>(r.kind), r.exit_status, r.signal, r.pc);
  const ProcessStats st = p.stats();
  s += fmt::format("insns {} ns {} threads {} touched {}\n", st.insns, st.virtual_ns, st.threads_created, st.touched);
  for (const auto& [tid, n] : st.insns_by_tid) s += fmt::format("tid {} insns {}\n", tid, n);
  for (const auto& [name, n] : st.syscalls) s += fmt::format("{} {}\n", name, n);
  for (const auto& t : p.threads()) {
    s += fmt::format("thread {} state {} wait {} pending {:x} mask {:x}:", t->tid, static_cast<int>(t->state),
                     static_cast<int>(t->wait), t->pending, t->sigmask);
    const RegFile rf = p.regs_of(*t);
    for (int i = 0; i < kRegCount; ++i) s += fmt::format(" {:x}", rf.v[i]);
    s += "\n";
  }
  // FNV-1a over the address and words of every page that is not all zeros.
  std::uint64_t hash = 1469598103934665603ULL;
  std::vector<std::uint64_t> page(kPageSize / 8);
  const std::vector<std::uint64_t> zeros(kPageSize / 8);
  for (const auto& m : p.memory().mappings()) {
    s += fmt::format("map {:x}-{:x} {}\n", m.start, m.end, m.prot);
    if (m.end - m.start > (256ULL << 20)) continue;
    for (GuestAddr a = m.start; a < m.end; a += kPageSize) {
      if (!p.memory().peek(a, page.data(), kPageSize) || page == zeros) continue;
      hash = (hash ^ a) * 1099511628211ULL;
      for (auto w : page) hash = (hash ^ w) * 1099511628211ULL;
    }
  }
  s += fmt::format("memory {:x} fds {}\n", hash, p.fds().fds().size());
  return s;
}

struct Case {
  const char* name;
  std::string path;
  std::string stdin_text;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ProcessSnapshot : public ::testing::TestWithParam<Case> {};

// Snapshots at five moments of the run (the first right at the entry); from
// each, after the whole run, the restored process runs to the same end with
// the same output, and its file descriptors and file system equal the first
// run's.
TEST_P(ProcessSnapshot, RestoredRunDoesWhatTheFirstDid) {
  const Case& c = GetParam();
  std::uint64_t total = 0;
  {
    Rig first(c.path, c.stdin_text);
    first.p->run();
    total = first.p->insn_count();
  }
  ASSERT_GT(total, 10u);
  Rig rig(c.path, c.stdin_text);
  Process& p = *rig.p;
  struct Moment {
    std::shared_ptr<const Process::Snapshot> snap;
    std::size_t host_pos = 0;
    std::size_t out_len = 0;
  };
  std::vector<Moment> moments;
  for (int k = 0; k < 5; ++k) {
    const std::uint64_t n = 1 + total * static_cast<std::uint64_t>(k) / 5;
    p.stop_before_insn(n);
    ASSERT_EQ(p.run().kind, StopKind::insn_reached) << n;
    ASSERT_EQ(p.insn_count(), n - 1);
    moments.push_back({p.snapshot(moments.empty() ? nullptr : moments.back().snap.get()), rig.replay->used(),
                       rig.host->out.size()});
  }
  p.stop_before_insn(std::nullopt);
  const StopReason end = p.run();
  const std::string want = fingerprint(p, end);
  const std::string want_out = rig.host->out;
  const FdTable want_fds = p.fds();
  const vfs::Vfs want_vfs = p.vfs();
  // Newest first, so that each restore goes back across what the later ones changed.
  for (std::size_t k = moments.size(); k-- > 0;) {
    SCOPED_TRACE(fmt::format("snapshot at insn {}", moments[k].snap->insns()));
    rig.replay->begin_run(/*replay_output=*/false, moments[k].host_pos);
    rig.host->out.resize(moments[k].out_len);
    p.restore(*moments[k].snap);
    EXPECT_EQ(p.insn_count(), moments[k].snap->insns());
    const StopReason again = p.run();
    EXPECT_EQ(fingerprint(p, again), want);
    EXPECT_EQ(rig.host->out, want_out);  // the same output from there, written again (replay_output off)
    EXPECT_TRUE(p.fds() == want_fds);
    EXPECT_TRUE(p.vfs() == want_vfs);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Programs, ProcessSnapshot,
    ::testing::Values(Case{"hello", go("hello")}, Case{"goroutines", go("goroutines")}, Case{"timers", go("timers")},
                      Case{"echo", go("echo"), "some input\nfor echo\n"}, Case{"files", go("files")},
                      Case{"asm_clone_futex", asm_fixture("clone_futex")}, Case{"asm_epoll", asm_fixture("epoll")},
                      Case{"asm_pipe_eventfd", asm_fixture("pipe_eventfd")}, Case{"asm_mman", asm_fixture("mman")},
                      Case{"asm_sigsegv", asm_fixture("sigsegv")}, Case{"asm_tgkill", asm_fixture("tgkill")},
                      Case{"asm_rdtsc", asm_fixture("rdtsc")}),
    [](const auto& p) { return std::string(p.param.name); });

// Consecutive snapshots share the pages that did not change; restoring one
// gives back pages touched since (touched memory is what it was), and the
// checkpoint hook fires at time-slice ends only, every so many instructions.
TEST(ProcessSnapshotPages, SharedPagesTouchedMemoryAndTheHook) {
  Rig rig(go("hello"), "");
  Process& p = *rig.p;
  std::vector<std::uint64_t> at;
  p.set_checkpoint_hook(50'000, [&] { at.push_back(p.insn_count()); });
  p.stop_before_insn(100'000);
  ASSERT_EQ(p.run().kind, StopKind::insn_reached);
  ASSERT_EQ(at.size(), 1u);
  EXPECT_GE(at[0], 50'000u);
  EXPECT_LT(at[0], 100'000u);
  const auto a = p.snapshot(nullptr);
  const std::uint64_t touched_a = p.stats().touched;
  p.stop_before_insn(101'000);
  ASSERT_EQ(p.run().kind, StopKind::insn_reached);
  const auto b = p.snapshot(a.get());
  EXPECT_GT(b->memory.pages(), 100u);
  const std::size_t own = b->memory.pages_not_in(a->memory);
  EXPECT_GT(own, 0u);                       // 1,000 instructions wrote something...
  EXPECT_LT(own * 10, b->memory.pages());   // ...to a few pages only
  p.stop_before_insn(std::nullopt);
  p.run();
  EXPECT_GT(p.stats().touched, touched_a);  // the rest of the run touched more
  p.restore(*a);
  EXPECT_EQ(p.stats().touched, touched_a);
}

// The schedule only grows: each snapshot keeps what was added since the one
// before, also when nothing was (a stretch with no thread switch), and a
// restore puts the whole back.
TEST(ProcessSnapshotPages, TheScheduleIsSharedAlongTheRun) {
  Rig rig(go("goroutines"), "");
  Process& p = *rig.p;
  std::vector<std::shared_ptr<const Process::Snapshot>> snaps;
  for (std::uint64_t n : {1'000ULL, 2'000ULL, 3'000ULL, 390'000ULL}) {
    p.stop_before_insn(n);
    ASSERT_EQ(p.run().kind, StopKind::insn_reached);
    snaps.push_back(p.snapshot(snaps.empty() ? nullptr : snaps.back().get()));
  }
  EXPECT_TRUE(snaps[1]->schedule->entries.empty());  // one thread so far: nothing new
  EXPECT_TRUE(snaps[2]->schedule->entries.empty());
  EXPECT_EQ(snaps[2]->schedule->before, snaps[1]->schedule);
  EXPECT_EQ(snaps[3]->schedule->before, snaps[2]->schedule);
  EXPECT_GT(snaps[3]->schedule->total, 10u);  // the goroutines' threads took turns
  const auto full = p.schedule();
  p.restore(*snaps[0]);
  EXPECT_EQ(p.schedule().size(), 1u);
  p.restore(*snaps[3]);
  EXPECT_EQ(p.schedule(), full);
}

}  // namespace
}  // namespace gostep
