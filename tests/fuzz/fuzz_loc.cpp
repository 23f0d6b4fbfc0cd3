// The LOC parser (Session::resolve, Symbolizer::resolve) over hello: any text is
// a location or a one-line error, and suggestions for unknown names stay cheap.
#include <cstdint>
#include <cstdlib>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto t = gostep::fuzz::make_target(1);
  const std::string loc = gostep::fuzz::text(data, size);
  const auto& s = t->session();
  const auto l = s.resolve(loc);
  if (!l && (l.error().empty() || l.error().find('\n') != std::string::npos)) std::abort();
  (void)s.symbols().resolve(loc);
  (void)s.symbols().address_of(loc);
  return 0;
}
