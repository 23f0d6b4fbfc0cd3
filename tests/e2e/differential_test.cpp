// Differential test: every bundled Go program, stopped at every milestone from
// `entry` to `runtime_main`, under `gostep dump --json` and natively under gdb
// (batch, ASLR off, the same argv[0], an empty environment, the same CPU
// count). tests/differential/native_dump.py prints the native side in the
// gostep.dump/1 shape, read through gdb's own DWARF reader. Both sides are
// flattened to (path, value) pairs ("m0.tls[0]", "allp[1].runnext") and must be
// equal, addresses included, except for the differences DESIGN.md allows
// ("The emulated process"), each listed in kAllowed with its reason and in
// docs/differential.md. The test skips loudly when the host cannot give a
// comparable run: no gdb, ASLR cannot be disabled, fewer than two CPUs, or an
// auxv with other entry types than gostep's (another kernel).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/cpu_identity.h"
#include "emulator/initial_stack.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

using json = nlohmann::json;

const char* const kMilestones[] = {"entry",  "rt0_go",        "g0_stack", "settls_return", "tls_checked",
                                   "g0_in_tls", "m0_g0",      "g0_m",     "schedinit_return",
                                   "newproc_return", "mstart", "schedule", "execute", "gogo",
                                   "runtime_main"};
constexpr std::size_t kMilestoneCount = std::size(kMilestones);
// Linux with randomisation off places unhinted mmaps top-down below this address (DESIGN.md).
constexpr std::uint64_t kMmapTop = 0x7ffff7fff000;

// A difference DESIGN.md allows ("The emulated process": thread ids, the
// AT_RANDOM bytes and what they seed, values derived from CPUID), or one that
// follows from what it describes (no vDSO), or what a native run cannot show.
// Each entry: a regex over the flattened path, the milestones it applies to
// ("" = all), how the test checks that the difference is the one named, and
// the reason (also in docs/differential.md). A difference passes if one entry
// that names it proves it; anything else that differs fails.

// How an allowance proves that a difference is the one it names.
enum class Proof {
  none,          // the value cannot be equal by nature (thread ids, what gdb does not count)
  seeded,        // gostep's own value changes with --seed 1 or --seed 2: it follows from the
                 // AT_RANDOM bytes (fastrand)
  native_tracked,  // the native run's main goroutine is tracked (g.tracking, chosen by fastrand)
  vdso_shifted,  // an address in the unhinted mmap area, lower natively by exactly the size of
                 // the kernel's vvar/vdso mappings, which sit at the top of that area
  cpuid1_ebx,    // gostep's value is its fixed CPUID.1:EBX, and only the APIC-id and
                 // logical-CPU-count bytes (31..16) differ from the native one
  cpuid1_edx,    // gostep's value is its fixed CPUID.1:EDX, the native one has every bit of
                 // the host's AT_HWCAP (Linux reports CPUID.1:EDX there, minus what it disables)
};

struct Allowance {
  const char* path;        // std::regex, matched against the whole path
  const char* milestones;  // space-separated milestone names; "" for every stop
  Proof proof;
  const char* reason;
};

constexpr const char* kAfterNewproc1 = "newproc_return mstart schedule execute gogo runtime_main";
// The registers a called function may leave anything in (all but rip, rsp, rbp, r14, fs_base).
constexpr const char* kScratch = R"(regs\.(rax|rbx|rcx|rdx|rsi|rdi|r8|r9|r10|r11|r12|r13|r15|rflags))";

const Allowance kAllowed[] = {
    {R"(stop\.insn)", "", Proof::none,
     "gdb counts no instructions; natively Go also takes its AVX paths (gostep advertises no AVX, "
     "TRAPS.md), so counts would differ anyway"},
    {R"(stop\.thread)", "", Proof::none, "a thread id: the host's pid under gdb, 1000 (deterministic) in gostep"},
    {R"((m0|allm\[\d+\])\.procid)", "schedule execute gogo runtime_main", Proof::none,
     "m.procid = gettid() (minit, os_linux.go:398): a thread id"},
    // rt0_go runs CPUID leaf 1 (asm_amd64.s:192-195) and keeps only EAX (processorVersionInfo);
    // EBX and EDX keep the leaf's answer until settls/check overwrite them.
    {R"(regs\.rbx)", "settls_return tls_checked g0_in_tls m0_g0 g0_m", Proof::cpuid1_ebx,
     "rbx holds CPUID.1:EBX (rt0_go, asm_amd64.s:194): gostep's fixed CPU vs the host's "
     "(initial APIC id and logical CPU count)"},
    {R"(regs\.rdx)", "settls_return tls_checked g0_in_tls m0_g0 g0_m", Proof::cpuid1_edx,
     "rdx holds CPUID.1:EDX (rt0_go, asm_amd64.s:194): gostep's fixed CPU's feature bits vs the host's"},
    // newproc1 calls fastrand (proc.go:4172, trackingSeq); wyrand leaves m0.fastrand ^
    // 0xe7037ed1a0b428db in r8 (casgstatus then sets its low byte). m.fastrand is seeded
    // from AT_RANDOM (fastrandseed) and cputicks in mcommoninit.
    {R"(regs\.r8)", kAfterNewproc1, Proof::seeded,
     "r8 holds a fastrand value (newproc1's trackingSeq): seeded by the AT_RANDOM bytes"},
    // mallocgc leaves a pointer into m0's mcache in r10; the mcache comes from persistentalloc,
    // an unhinted mmap. Linux puts its [vvar]/[vdso] mappings at the top of the mmap area and
    // the first unhinted mmap below them; gostep offers no vDSO, so its mmaps start at the top.
    {R"(regs\.r10)", "newproc_return mstart", Proof::vdso_shifted,
     "r10 points into the mcache (persistentalloc, an unhinted mmap): natively below the kernel's "
     "vvar/vdso mappings, which gostep does not have"},
    // newproc1 tracks 1 goroutine in 8 (trackingSeq = fastrand, proc.go:4172-4175); casgstatus
    // then calls nanotime on _Gdead->_Grunnable and _Grunnable->_Grunning (proc.go:1005-1026).
    // Natively nanotime goes through the vDSO (clobbers r9-r11, keeps SP in r12), in gostep
    // through the clock_gettime syscall (r11 = rflags, rcx = rip), and runnableTime is a clock
    // difference. Whether that code runs at all depends on the AT_RANDOM bytes.
    {kScratch, kAfterNewproc1, Proof::seeded,
     "scratch register after newproc1: whether casgstatus tracks the main goroutine (and calls "
     "nanotime) is chosen by fastrand, seeded by the AT_RANDOM bytes"},
    {kScratch, kAfterNewproc1, Proof::native_tracked,
     "scratch register after newproc1: the native run tracks the main goroutine (fastrand chose "
     "it, 1 in 8), so casgstatus called nanotime through the vDSO"},
};

bool milestone_in(const std::string& list, const std::string& name) {
  if (list.empty()) return true;
  std::istringstream in(list);
  std::string w;
  while (in >> w)
    if (w == name) return true;
  return false;
}

std::vector<const Allowance*> allowances(const std::string& milestone, const std::string& path) {
  std::vector<const Allowance*> out;
  for (const Allowance& a : kAllowed)
    if (milestone_in(a.milestones, milestone) && std::regex_match(path, std::regex(a.path))) out.push_back(&a);
  return out;
}

// {"a": {"b": [1, 2]}} -> a.b.len = 2, a.b[0] = 1, a.b[1] = 2.
void flatten(const json& j, const std::string& path, std::map<std::string, json>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, path.empty() ? k : path + "." + k, out);
  } else if (j.is_array()) {
    out[path + ".len"] = j.size();
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], path + "[" + std::to_string(i) + "]", out);
  } else {
    out[path] = j;
  }
}

std::string find_in_path(const std::string& name) {
  const char* p = std::getenv("PATH");
  std::istringstream in(p ? p : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(in, dir, ':')) {
    const std::string f = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(f.c_str(), X_OK) == 0) return f;
  }
  return "";
}

// The JSON objects of the lines that start with prefix (which is not part of the object).
std::vector<json> json_lines(const std::string& text, const std::string& prefix) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, prefix.size(), prefix) == 0 && line.size() > prefix.size() && line[prefix.size()] == '{')
      out.push_back(json::parse(line.substr(prefix.size())));
  return out;
}

// The CPUs this process may run on, as Go's getproccount sees them.
std::vector<int> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}

// Runs argv (argv[0] a path) with env, every signal at its default disposition
// and none blocked, and returns what it wrote to stdout and stderr. A native
// program inherits ignored signals from its parent, and Go's initsig takes
// another path for an ignored one (signal_unix.go: sigInitIgnored). gostep's
// guest starts with every signal at its default, so the native run must too.
// posix_spawn (run_program) cannot give that: glibc's child sets its internal
// signals 32 and 33 to SIG_IGN, and sigaction() refuses to touch them. So:
// fork, reset every signal with the raw rt_sigaction system call, exec.
RunResult run_with_default_signals(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                   int timeout_seconds) {
  RunResult r;
  char out_name[] = "/tmp/gostep-differential-out-XXXXXX";
  char err_name[] = "/tmp/gostep-differential-err-XXXXXX";
  const int out_fd = ::mkstemp(out_name), err_fd = ::mkstemp(err_name);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("mkstemp failed");
  ::unlink(out_name);
  ::unlink(err_name);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    struct {  // the kernel's struct sigaction (x86-64): handler, flags, restorer, mask
      unsigned long handler = 0, flags = 0, restorer = 0, mask = 0;  // handler 0 = SIG_DFL
    } dfl;
    for (int sig = 1; sig <= 64; ++sig)
      if (sig != SIGKILL && sig != SIGSTOP) ::syscall(SYS_rt_sigaction, sig, &dfl, nullptr, 8);
    const unsigned long none = 0;
    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, 8);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  if (pid < 0) throw std::runtime_error("fork failed");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int ws = 0;
  while (::waitpid(pid, &ws, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &ws, 0);
      break;
    }
    ::usleep(20'000);
  }
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
  auto slurp = [](int fd) {
    std::string s;
    ::lseek(fd, 0, SEEK_SET);
    char buf[65536];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return s;
  };
  r.out = slurp(out_fd);
  r.err = slurp(err_fd);
  return r;
}

class Differential : public ::testing::TestWithParam<const char*> {};

TEST_P(Differential, GostepEqualsNativeGdbAtEveryMilestone) {
  const std::string prog = std::string(GOSTEP_GO_DIR) + "/" + GetParam();

  const std::string gdb = find_in_path("gdb");
  if (gdb.empty()) GTEST_SKIP() << "SKIPPED LOUDLY: gdb is not installed; no native reference to compare with";
  // gostep's guest sees --ncpu 2 (the default); the native run must see 2 CPUs too.
  std::vector<std::string> pin;
  const std::vector<int> cpus = affinity_cpus();
  if (cpus.size() < 2)
    GTEST_SKIP() << "SKIPPED LOUDLY: this host offers " << cpus.size()
                 << " CPU(s); the native run needs 2 to match gostep's --ncpu 2 (allp, sched.pidle)";
  if (cpus.size() > 2) {
    const std::string taskset = find_in_path("taskset");
    if (taskset.empty())
      GTEST_SKIP() << "SKIPPED LOUDLY: the host has " << cpus.size()
                   << " CPUs and no taskset to pin the native run to 2 of them";
    pin = {taskset, "-c", std::to_string(cpus[0]) + "," + std::to_string(cpus[1])};
  }

  // gostep: one run, every milestone.
  std::vector<std::string> args = {"dump", prog, "--json"};
  for (const char* m : kMilestones) {
    args.push_back("--at");
    args.push_back(std::string("milestone:") + m);
  }
  const RunResult g = run_gostep(args);
  ASSERT_EQ(g.status, 0) << g.err;
  const std::vector<json> ours = json_lines(g.out, "");
  ASSERT_EQ(ours.size(), kMilestoneCount) << g.out;
  std::string stops;
  for (const json& s : ours) stops += (stops.empty() ? "" : ",") + s["stop"]["pc"].get<std::string>();

  // Native: one gdb run that stops the first time at each of those pcs.
  std::vector<std::string> gdb_argv = pin;
  gdb_argv.insert(gdb_argv.end(), {gdb, "-batch", "-nx", "-iex", "set auto-load python-scripts off", "-x",
                                   GOSTEP_NATIVE_DUMP_PY, "--args", prog});
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back("GOSTEP_DIFF_STOPS=" + stops);
  const RunResult nr = run_with_default_signals(gdb_argv, env, 60);
  const std::string transcript = nr.out + nr.err;
  if (transcript.find("Error disabling address space randomization") != std::string::npos)
    GTEST_SKIP() << "SKIPPED LOUDLY: this sandbox cannot disable ASLR, so native addresses are random";
  ASSERT_FALSE(nr.timed_out) << transcript;
  std::vector<json> native = json_lines(nr.out, "GOSTEP_NATIVE ");
  ASSERT_FALSE(native.empty()) << "gdb printed nothing usable:\n" << transcript;
  for (const json& j : native)
    ASSERT_FALSE(j.contains("error")) << j.dump() << "\n" << transcript;

  // Stack addresses are comparable only if the kernel built the same auxv.
  ASSERT_TRUE(native.front().contains("native_auxv")) << transcript;
  std::vector<std::uint64_t> native_types, our_types;
  for (const json& e : native.front()["native_auxv"]) native_types.push_back(e[0].get<std::uint64_t>());
  for (const AuxEntry& a : linux_auxv(InitialStackInput{}))
    our_types.push_back(a.type == AT_IGNORE_ ? AT_SYSINFO_EHDR_ : a.type);
  if (native_types != our_types)
    GTEST_SKIP() << "SKIPPED LOUDLY: the host kernel's auxv has other entry types than gostep's "
                    "(another kernel version); stack addresses cannot be compared";
  // The signal state the program inherited must be gostep's: nothing ignored, nothing blocked.
  const json sig = native.front().value("signals", json::object());
  ASSERT_EQ(sig.value("SigIgn", "?"), "0x0") << "the native program inherited ignored signals; " << sig.dump();
  ASSERT_EQ(sig.value("SigBlk", "?"), "0x0") << "the native program inherited blocked signals; " << sig.dump();
  std::optional<std::uint64_t> native_hwcap;
  for (const json& e : native.front()["native_auxv"])
    if (e[0].get<std::uint64_t>() == AT_HWCAP_) native_hwcap = e[1].get<std::uint64_t>();
  std::uint64_t vdso_size = 0;
  if (const json& v = native.front()["vdso_block"]; v.is_array() && v.size() == 2)
    vdso_size = v[1].get<std::uint64_t>() - v[0].get<std::uint64_t>();
  native.erase(native.begin());
  ASSERT_FALSE(native.empty());
  ASSERT_TRUE(native.back().value("done", false)) << transcript;
  native.pop_back();
  ASSERT_EQ(native.size(), kMilestoneCount) << transcript;
  // What only the native side reports (not gostep.dump/1): is the main goroutine tracked?
  std::vector<bool> native_tracked;
  for (json& j : native) {
    native_tracked.push_back(false);
    for (const json& goid : j["native_only"]["tracked"])
      if (goid == 1) native_tracked.back() = true;
    j.erase("native_only");
  }

  // gostep's values under seeds 1 and 2, read only if a Proof::seeded allowance needs them.
  std::vector<std::vector<std::map<std::string, json>>> reseeded;
  auto seed_changes = [&](std::size_t i, const std::string& path, const json& v) {
    if (reseeded.empty()) {
      for (const char* seed : {"1", "2"}) {
        std::vector<std::string> a2 = args;
        a2.insert(a2.end(), {"--seed", seed});
        const RunResult g2 = run_gostep(a2);
        auto& run = reseeded.emplace_back();
        for (const json& j : json_lines(g2.out, "")) flatten(j, "", run.emplace_back());
      }
    }
    for (const auto& run : reseeded) {
      if (i >= run.size()) continue;
      const auto it = run[i].find(path);
      if (it != run[i].end() && it->second != v) return true;
    }
    return false;
  };
  auto num = [](const json& v) -> std::optional<std::uint64_t> {
    if (!v.is_string()) return std::nullopt;
    return std::stoull(v.get<std::string>(), nullptr, 16);
  };
  auto vdso_shifted = [&](const json& ours_v, const json& native_v) {
    const auto o = num(ours_v), w = num(native_v);
    return vdso_size && o && w && *o >= 0x7f0000000000 && *o < kMmapTop && *w + vdso_size == *o;
  };
  const auto cpuid1 = fixed_cpuid(1, 0);
  auto cpuid1_ebx = [&](const json& ours_v, const json& native_v) {
    const auto o = num(ours_v), w = num(native_v);
    return o && w && *o == cpuid1[1] && ((*o ^ *w) & 0xffff) == 0;
  };
  auto cpuid1_edx = [&](const json& ours_v, const json& native_v) {
    const auto o = num(ours_v), w = num(native_v);
    return o && w && *o == cpuid1[3] && native_hwcap && (*w & *native_hwcap) == *native_hwcap;
  };

  std::map<std::string, int> allowed_seen;  // reason -> how many values it excused
  std::size_t compared = 0;
  for (std::size_t i = 0; i < kMilestoneCount; ++i) {
    const std::string milestone = kMilestones[i];
    std::map<std::string, json> a, b;
    flatten(ours[i], "", a);
    flatten(native[i], "", b);
    std::set<std::string> paths;
    for (const auto& [p, v] : a) paths.insert(p);
    for (const auto& [p, v] : b) paths.insert(p);
    for (const std::string& p : paths) {
      const auto ia = a.find(p), ib = b.find(p);
      const json va = ia == a.end() ? json("(absent)") : ia->second;
      const json vb = ib == b.end() ? json("(absent)") : ib->second;
      ++compared;
      if (va == vb) continue;
      bool proven = false;
      const std::vector<const Allowance*> named = allowances(milestone, p);
      for (const Allowance* al : named) {
        switch (al->proof) {
          case Proof::none: proven = true; break;
          case Proof::seeded: proven = seed_changes(i, p, va); break;
          case Proof::native_tracked: proven = native_tracked[i]; break;
          case Proof::vdso_shifted: proven = vdso_shifted(va, vb); break;
          case Proof::cpuid1_ebx: proven = cpuid1_ebx(va, vb); break;
          case Proof::cpuid1_edx: proven = cpuid1_edx(va, vb); break;
        }
        if (proven) {
          ++allowed_seen[al->reason];
          break;
        }
      }
      if (proven) continue;
      std::string why;
      for (const Allowance* al : named) why += std::string("\n  named but not proven: ") + al->reason;
      ADD_FAILURE() << GetParam() << " at milestone:" << milestone << ": " << p << ": gostep " << va.dump()
                    << ", native " << vb.dump() << why;
    }
  }
  std::cout << "[ differential ] " << GetParam() << ": " << compared << " values at " << kMilestoneCount
            << " milestones compared\n";
  for (const auto& [reason, count] : allowed_seen)
    std::cout << "[ differential ]   allowed x" << count << ": " << reason << "\n";
}

INSTANTIATE_TEST_SUITE_P(Bundled, Differential,
                         ::testing::Values("empty", "hello", "goroutines", "timers", "panics", "args"));

}  // namespace
}  // namespace gostep::test
