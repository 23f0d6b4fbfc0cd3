// Programs past the bootstrap at scale (issue 13): guest memory costs what the
// guest touches, --max-memory stops a guest that touches too much, and Go's
// own limits (a 1 GB goroutine stack) end as natively; 100,000 goroutines
// parked on a channel finish as natively.
#include <gtest/gtest.h>

#include <cstddef>
#include <regex>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

const std::string kGoDir = GOSTEP_GO_DIR;

RunResult native(const std::string& prog, const std::vector<std::string>& args = {}) {
  RunSpec s;
  s.argv = {prog};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.env = std::vector<std::string>{};
  return run_program(s);
}

// `gostep ARGS...` for the long runs here (15-20 s, several times that in the
// sanitizer build on a busy machine): within ctest's 300 s, not the usual 120 s.
RunResult run_gostep_long(const std::vector<std::string>& args) {
  RunSpec s;
  s.argv = {GOSTEP_BINARY};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.timeout_seconds = 280;
  return run_program(s);
}

// "  memory touched   263,932 KiB" -> 263932
std::uint64_t touched_kib(const std::string& stats) {
  std::smatch m;
  const std::regex re("memory touched +([0-9,]+) KiB");
  if (!std::regex_search(stats, m, re)) return 0;
  std::string digits;
  for (char c : m[1].str())
    if (c != ',') digits += c;
  return std::stoull(digits);
}

TEST(MemoryScale, TouchingOneByteInEach64KiBChunkOf4GiBCostsThePagesTouched) {
  // 65,536 chunks: 4 GiB of address space, 256 MiB of pages touched. Before
  // issue 13 each chunk became a Unicorn region and Unicorn aborted at ~4,200.
  const std::string prog = kGoDir + "/touch";
  const RunResult n = native(prog);
  const RunResult g = run_gostep({"run", "--stats", prog});
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.out, "touched 65536 chunks of 64 KiB, sum 8355840\n");
  const std::uint64_t kib = touched_kib(g.err);
  EXPECT_GE(kib, 256u * 1024) << g.err;  // every touched page counted...
  EXPECT_LT(kib, 300u * 1024) << g.err;  // ...and not the 4 GiB mapped
}

TEST(MemoryScale, TenGiBAllocationWithItsLastByteSetPrintsAsNatively) {
  // Natively this needs the host to accept a 10 GiB mapping (overcommit); the
  // expected output is fixed, so gostep's run is checked against it instead.
  const RunResult g = run_gostep({"run", "--stats", kGoDir + "/bigalloc"});
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, "len 10737418240 last 42 first 0\n");
  EXPECT_LT(touched_kib(g.err), 1024u * 1024) << g.err;  // far from 10 GiB
}

TEST(MemoryScale, MaxMemoryStopsTheGuestWith124AndSaysHowMuchItTouched) {
  const std::string prog = kGoDir + "/touch";
  const RunResult g = run_gostep({"run", "--max-memory", "64M", prog});
  EXPECT_EQ(g.status, 124) << g.err;
  EXPECT_EQ(g.out, "");
  EXPECT_NE(g.err.find("gostep: stopped the guest after it touched "), std::string::npos) << g.err;
  EXPECT_NE(g.err.find("more than --max-memory 64M allows; if it needs more, raise it (e.g. --max-memory 128M)"),
            std::string::npos)
      << g.err;
  EXPECT_NE(g.err.find("main.main"), std::string::npos) << g.err;  // where it was
  // The same place and amount on every run.
  const RunResult again = run_gostep({"run", "--max-memory", "64M", prog});
  EXPECT_EQ(again.err, g.err);
  // Enough memory: the same program finishes.
  const RunResult fits = run_gostep({"run", "--max-memory", "1G", prog, "--", "4000"});
  EXPECT_EQ(fits.status, 0) << fits.err;
  EXPECT_EQ(fits.out, "touched 4000 chunks of 64 KiB, sum 502320\n");
}

// Line `i` (from 0) of `text`, without its newline; "" past the end.
std::string line_at(const std::string& text, int i) {
  std::size_t begin = 0;
  for (int k = 0; k < i; ++k) {
    begin = text.find('\n', begin);
    if (begin == std::string::npos) return "";
    ++begin;
  }
  return text.substr(begin, text.find('\n', begin) - begin);
}

TEST(MemoryScale, GoroutineStackOverflowEndsWithGosOwnMessageAndExit2AsNatively) {
  // Go doubles the stack, copying it, up to 512 MB; the next doubling passes
  // its 1 GB limit. Before issue 13 the copies ran for many minutes.
  const std::string prog = kGoDir + "/stackoverflow";
  const RunResult n = native(prog);
  const RunResult g = run_gostep_long({"run", prog});
  ASSERT_FALSE(g.timed_out);
  EXPECT_EQ(n.status, 2) << n.err;
  EXPECT_EQ(g.status, 2) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.out, "recursing\n");
  EXPECT_EQ(line_at(g.err, 0), "runtime: goroutine stack exceeds 1000000000-byte limit") << g.err;
  EXPECT_EQ(line_at(g.err, 0), line_at(n.err, 0));
  EXPECT_EQ(line_at(g.err, 2), "fatal error: stack overflow") << g.err;
  EXPECT_EQ(line_at(g.err, 2), line_at(n.err, 2));
  // "runtime: sp=0x... stack=[LO, HI]": the last stack Go had, 512 MiB, with
  // sp inside it. Not compared with native byte for byte: the native heap's
  // layout, and so the stack's address, can move with its GC's timing on a
  // busy host (it is the same on a quiet one); gostep's is the same every run.
  std::smatch m;
  const std::string stack_line = line_at(g.err, 1);
  ASSERT_TRUE(std::regex_match(stack_line, m,
                               std::regex("runtime: sp=0x([0-9a-f]+) stack=\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\]")))
      << g.err;
  const std::uint64_t sp = std::stoull(m[1].str(), nullptr, 16);
  const std::uint64_t lo = std::stoull(m[2].str(), nullptr, 16);
  const std::uint64_t hi = std::stoull(m[3].str(), nullptr, 16);
  EXPECT_EQ(hi - lo, 512u << 20) << stack_line;
  EXPECT_TRUE(lo <= sp && sp < hi) << stack_line;
  EXPECT_NE(g.err.find("\ngoroutine 1 [running]:\nmain.down("), std::string::npos) << g.err;
}

TEST(MemoryScale, HundredThousandGoroutinesParkedOnAChannelThenReleasedFinishAsNatively) {
  const std::string prog = kGoDir + "/parked";
  const RunResult n = native(prog);
  const RunResult g = run_gostep_long({"run", prog});
  ASSERT_FALSE(g.timed_out);
  ASSERT_EQ(n.status, 0) << n.err;
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.out, "goroutines: 100000 sum: 4999950000\n");
  EXPECT_EQ(g.err, "");
}

TEST(MemoryScale, MaxMemoryRefusesNonsense) {
  for (const char* bad : {"0", "12x", "-5"}) {
    const RunResult g = run_gostep({"run", "--max-memory", bad, kGoDir + "/hello"});
    SCOPED_TRACE(bad);
    EXPECT_EQ(g.status, 125) << g.err;
    EXPECT_NE(g.err.find("--max-memory"), std::string::npos) << g.err;
    EXPECT_EQ(g.err.find('\n'), g.err.size() - 1) << "one line: " << g.err;
  }
}

}  // namespace
}  // namespace gostep::test
