// Differential test: the stack gostep builds at the entry point against the
// one Linux builds for the same binary, as gdb shows it (ASLR off, empty
// environment, the same argv[0]). Skips loudly when the host cannot give a
// comparable run (no gdb, ASLR cannot be disabled, another auxv layout).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/process.h"

namespace gostep {
namespace {

std::string run_capture(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 4096> buf;
  while (auto n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  return out;
}

struct NativeEntry {
  std::uint64_t rsp = 0;
  std::vector<std::uint64_t> words;  // from rsp: argc, argv[0], NULL, NULL
  std::vector<std::pair<std::uint64_t, std::uint64_t>> auxv;
  std::string raw;
};

NativeEntry native_entry(const std::string& path) {
  const std::string cmd =
      "gdb -batch -nx -ex 'set startup-with-shell off' -ex 'set disable-randomization on' "
      "-ex 'unset environment' -ex 'set auto-load python-scripts off' -ex 'starti' "
      "-ex 'p/x $rsp' -ex 'info auxv' -ex 'x/4gx $rsp' -ex 'kill' --args '" + path + "' 2>&1";
  NativeEntry e;
  e.raw = run_capture(cmd);
  std::istringstream in(e.raw);
  std::string line;
  const std::regex rsp_re(R"(^\$1 = (0x[0-9a-f]+))");
  const std::regex aux_re(R"(^(\d+)\s+\S+.*\s(0x[0-9a-f]+|\d+)(\s+".*")?$)");
  const std::regex mem_re(R"(^0x[0-9a-f]+:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+))");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, rsp_re)) e.rsp = std::stoull(m[1], nullptr, 16);
    else if (std::regex_match(line, m, aux_re))
      e.auxv.emplace_back(std::stoull(m[1]), std::stoull(m[2], nullptr, 0));
    else if (std::regex_search(line, m, mem_re)) {
      e.words.push_back(std::stoull(m[1], nullptr, 16));
      e.words.push_back(std::stoull(m[2], nullptr, 16));
    }
  }
  return e;
}

TEST(NativeInitialStack, EqualsGdbForHello) {
  const std::string path = std::string(GOSTEP_FIXTURES_DIR) + "/go/hello";
  if (run_capture("command -v gdb").empty()) GTEST_SKIP() << "SKIPPED LOUDLY: gdb is not installed";
  const NativeEntry native = native_entry(path);
  if (native.raw.find("Error disabling address space randomization") != std::string::npos)
    GTEST_SKIP() << "SKIPPED LOUDLY: this sandbox cannot disable ASLR, so native addresses are random";
  ASSERT_NE(native.rsp, 0u) << "gdb output:\n" << native.raw;

  const ElfImage img = load_elf(path);
  ProcessOptions o;
  o.argv = {path};
  Process p(img, o);
  const auto& ours = p.initial_stack();

  std::vector<std::uint64_t> native_types, our_types;
  for (const auto& [type, value] : native.auxv) native_types.push_back(type);
  for (const auto& a : ours.auxv) our_types.push_back(a.type == AT_IGNORE_ ? AT_SYSINFO_EHDR_ : a.type);
  if (native_types != our_types)
    GTEST_SKIP() << "SKIPPED LOUDLY: the host kernel's auxv has other entry types than gostep's "
                    "(another kernel version); stack addresses cannot be compared";

  EXPECT_EQ(p.engine().reg(Reg::rsp), native.rsp);
  EXPECT_EQ(ours.rsp, native.rsp);
  ASSERT_GE(native.words.size(), 2u);
  EXPECT_EQ(native.words[0], 1u);              // argc
  EXPECT_EQ(native.words[1], ours.argv0);      // argv[0] points at the same address
  // Addresses inside the auxv (values that are pointers into the stack).
  std::map<std::uint64_t, std::uint64_t> nat(native.auxv.begin(), native.auxv.end());
  EXPECT_EQ(nat[AT_RANDOM_], ours.random);
  EXPECT_EQ(nat[AT_EXECFN_], ours.execfn);
  EXPECT_EQ(nat[AT_PLATFORM_], ours.platform);
  EXPECT_EQ(nat[AT_PHDR_], img.phdr_addr);
  EXPECT_EQ(nat[AT_ENTRY_], img.entry);
  EXPECT_EQ(nat[AT_PHNUM_], img.phnum);
}

}  // namespace
}  // namespace gostep
