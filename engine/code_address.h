// Code addresses as people read them: function+offset from the ELF symbol
// table. (runtime_model/ adds DWARF lines and pclntab names for stripped
// binaries; this is what the emulator's reports can always say.)
#pragma once

#include <string>

#include "emulator/disassembler.h"
#include "emulator/elf_image.h"

namespace gostep {

// "runtime.rt0_go.abi0+0xdf", or "0x4545e0" when no symbol covers the address.
std::string describe_code_address(const ElfImage& img, GuestAddr pc);

}  // namespace gostep
