// Code addresses as people read them: function+offset from the ELF symbol
// table. (runtime_model/ adds DWARF lines and pclntab names for stripped
// binaries; this is what the emulator's reports can always say.)
#pragma once

#include <string>

#include "emulator/elf_image.h"

namespace gostep {

// "runtime.rt0_go.abi0+0xdf", or "0x4545e0" when no symbol covers the address.
std::string describe_code_address(const ElfImage& img, GuestAddr pc);

// "%fs:0xfffffffffffffff8" -> "%fs:-8" (and Intel's "fs:0x...").
std::string readable_segment_offsets(const std::string& text);

// "mov %rcx, %fs:-8" for the instruction at pc (AT&T, like gdb), or "?".
std::string disassemble_one(const std::uint8_t* bytes, std::size_t len, GuestAddr pc);

}  // namespace gostep
