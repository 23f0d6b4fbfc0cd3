// The ELF loader (emulator/elf_image): any bytes are either a loadable image or
// a LoadError with exit status 126 and one line; nothing else may come out.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "emulator/cpu_identity.h"
#include "emulator/elf_image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gostep;
  try {
    const ElfImage img = parse_elf("fuzz.elf", std::vector<std::uint8_t>(data, data + size));
    // What loading does next with the image: the RDTSC sites of its executable segments.
    (void)find_tsc_sites(img);
  } catch (const LoadError& e) {
    const std::string_view msg = e.what();
    if (e.status != 126 || msg.empty() || msg.find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
