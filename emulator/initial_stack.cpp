#include "initial_stack.h"

#include <cstring>

#include "address_space.h"

namespace gostep {

std::vector<AuxEntry> linux_auxv(const InitialStackInput& in) {
  return {
      {AT_IGNORE_, 0},  // AT_SYSINFO_EHDR natively: gostep offers no vDSO
      {AT_MINSIGSTKSZ_, 0xd30},
      {AT_HWCAP_, in.hwcap},
      {AT_PAGESZ_, kPageSize},
      {AT_CLKTCK_, 100},
      {AT_PHDR_, in.phdr},
      {AT_PHENT_, 56},
      {AT_PHNUM_, in.phnum},
      {AT_BASE_, 0},
      {AT_FLAGS_, 0},
      {AT_ENTRY_, in.entry},
      {AT_UID_, 0},
      {AT_EUID_, 0},
      {AT_GID_, 0},
      {AT_EGID_, 0},
      {AT_SECURE_, 0},
      {AT_RANDOM_, 0},
      {AT_HWCAP2_, 0x2},
      {AT_EXECFN_, 0},
      {AT_PLATFORM_, 0},
      {AT_RSEQ_FEATURE_SIZE_, 0x1c},
      {AT_RSEQ_ALIGN_, 0x20},
      {AT_NULL_, 0},
  };
}

InitialStack build_initial_stack(const InitialStackInput& in, GuestAddr stack_top) {
  InitialStack out;
  // A scratch image of the top of the stack, big enough for everything below;
  // byte i of it is at address stack_top - img.size() + i.
  std::size_t total = 8 + in.execfn.size() + 1 + 16 + 7 + 16 + 32;
  for (const auto& s : in.argv) total += s.size() + 1;
  for (const auto& s : in.envp) total += s.size() + 1;
  total += (linux_auxv(in).size() * 2 + in.argv.size() + in.envp.size() + 3) * 8;
  std::vector<std::uint8_t> img(total, 0);
  GuestAddr p = stack_top - 8;  // bprm->p starts one pointer below the top
  auto put = [&](GuestAddr addr, const void* src, std::size_t n) {
    const std::uint64_t off = stack_top - addr;
    if (off > img.size()) throw EmulatorError("initial stack: scratch image too small");
    std::memcpy(img.data() + (img.size() - off), src, n);
  };
  auto push_string = [&](const std::string& s) {
    p -= s.size() + 1;
    put(p, s.c_str(), s.size() + 1);
    return p;
  };
  // copy_string_kernel(filename), then envp and argv copied last-to-first.
  out.execfn = push_string(in.execfn);
  std::vector<GuestAddr> envp_addr(in.envp.size()), argv_addr(in.argv.size());
  for (std::size_t i = in.envp.size(); i-- > 0;) envp_addr[i] = push_string(in.envp[i]);
  for (std::size_t i = in.argv.size(); i-- > 0;) argv_addr[i] = push_string(in.argv[i]);
  out.argv0 = argv_addr.empty() ? 0 : argv_addr[0];
  // create_elf_tables: align, platform string, random bytes.
  p &= ~GuestAddr{0xf};
  out.platform = push_string("x86_64");
  p -= 16;
  put(p, in.random.data(), 16);
  out.random = p;

  out.auxv = linux_auxv(in);
  for (auto& a : out.auxv) {
    if (a.type == AT_RANDOM_) a.value = out.random;
    if (a.type == AT_EXECFN_) a.value = out.execfn;
    if (a.type == AT_PLATFORM_) a.value = out.platform;
  }
  const std::uint64_t auxv_words = out.auxv.size() * 2;
  const std::uint64_t items = (in.argv.size() + 1) + (in.envp.size() + 1) + 1;
  GuestAddr sp = p - auxv_words * 8;
  sp = (sp - items * 8) & ~GuestAddr{0xf};
  out.rsp = sp;

  std::vector<std::uint64_t> words;
  words.push_back(in.argv.size());
  for (auto a : argv_addr) words.push_back(a);
  words.push_back(0);
  for (auto a : envp_addr) words.push_back(a);
  words.push_back(0);
  for (const auto& a : out.auxv) {
    words.push_back(a.type);
    words.push_back(a.value);
  }
  put(sp, words.data(), words.size() * 8);

  out.low = sp;
  const std::uint64_t used = stack_top - sp;
  out.bytes.assign(img.end() - static_cast<std::ptrdiff_t>(used), img.end());
  return out;
}

}  // namespace gostep
