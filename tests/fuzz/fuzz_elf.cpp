// The ELF loader (emulator/elf_image): any bytes are either a loadable image or
// a LoadError with exit status 126 and one line; nothing else may come out.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "emulator/elf_image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gostep;
  try {
    const ElfImage img = parse_elf("fuzz.elf", std::vector<std::uint8_t>(data, data + size));
    // What loading does next with the image: read its segments' bytes (a
    // segment claiming bytes beyond the file is the loader's to refuse).
    unsigned sum = 0;
    for (const ElfSegment* s : img.executable_segments())
      for (std::uint64_t i = 0; i < s->filesz; ++i) sum += img.bytes.at(s->offset + i);
    if (sum == 0xffffffffu) std::abort();  // keeps the reads
  } catch (const LoadError& e) {
    const std::string_view msg = e.what();
    if (e.status != 126 || msg.empty() || msg.find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
