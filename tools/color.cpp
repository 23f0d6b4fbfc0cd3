#include "color.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gostep {

std::string Palette::operator()(Paint p, std::string_view text) const {
  if (!on_ || text.empty()) return std::string(text);
  const char* sgr = "";
  switch (p) {
    case Paint::changed: sgr = "1;32"; break;
    case Paint::current: sgr = "1;7"; break;
    case Paint::warning: sgr = "1;35"; break;
    case Paint::error: sgr = "1;31"; break;
    case Paint::heading: sgr = "1"; break;
  }
  return std::string("\x1b[") + sgr + "m" + std::string(text) + "\x1b[0m";
}

bool want_color(std::string_view option, int fd) {
  if (option == "always") return true;
  if (option == "never") return false;
  // auto
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fd) != 0;
}

}  // namespace gostep
