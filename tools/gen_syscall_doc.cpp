// Writes docs/syscalls.md from the Linux layer's own table, so the document
// cannot drift from the code (a test compares the committed file with this).
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "emulator/linux/syscall_table.h"

int main() {
  std::string out =
      "# System calls gostep's Linux layer answers\n\n"
      "Generated from `emulator/linux/syscall_table.cpp` by `build/tools/gen_syscall_doc`; do not edit.\n"
      "Any other call stops the guest with exit status 124 and a report naming the call, the\n"
      "instruction, the function and the thread.\n\n"
      "| nr | name | arguments | what gostep does | file |\n|---:|---|---|---|---|\n";
  for (const auto& s : gostep::syscall_table()) {
    std::string args;
    for (const char* a : s.args) {
      if (!a) break;
      if (!args.empty()) args += ", ";
      args += a;
    }
    out += fmt::format("| {} | `{}` | {} | {} | `emulator/linux/{}.cpp` |\n", s.nr, s.name, args, s.summary, s.family);
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}
