// list: source lines around a place, the way gdb pages through a file.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <climits>

#include "debugger.h"
#include "examine.h"
#include "tools/text_util.h"

namespace gostep {
namespace {
using json = nlohmann::ordered_json;

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// The file of a source line, or why it cannot be shown.
std::string unreadable_note(const model::SourceLine& src) {
  const std::string& file = src.file;
  const auto slash = file.find('/');
  const std::string first = slash == std::string::npos ? file : file.substr(0, slash);
  const bool in_goroot = file.rfind("/usr/lib/go", 0) == 0 || src.full_path.rfind("/usr/lib/go", 0) == 0;
  const bool std_package = !file.empty() && file[0] != '/' && first.find('.') == std::string::npos &&
                           first != "command-line-arguments" && slash != std::string::npos;
  if (in_goroot || std_package)
    return fmt::format("{}: not readable here; install golang-1.19-src to see the runtime's source", file);
  if (!file.empty() && file[0] != '/')
    return fmt::format("{}: not found (the program was built with -trimpath); say where its module is with "
                       "\"directory DIR\"", file);
  return fmt::format("{}: cannot read it (built on another machine, or the file moved); try \"directory DIR\" or "
                     "\"set substitute-path FROM TO\"", file);
}

// One display after a stop: "N: EXPR = VALUE", "N: x/FMT EXPR" and x's lines, or
// "N: EXPR = <not available: why>"; `j` gets the same for --json.
}  // namespace

// ---------------------------------------------------------------- list

void Debugger::cmd_list(const Args& a) {
  const std::string arg = a.rest;
  model::SourceLine place;  // the file to show (file, full_path) and the line to center on
  int first = 0, last = 0;
  const GuestAddr pc = t_.pc(t_.selected_thread());
  const std::uint64_t now = t_.insns_run();
  auto at_address = [&](GuestAddr addr) -> bool {
    const auto src = t_.symbols().source(addr);
    if (!src) {
      error(fmt::format("No line number information for {:#x} ({}).", addr, t_.symbols().describe_code(addr)));
      return false;
    }
    place = *src;
    return true;
  };
  // The selected frame's line (its own, also for an inlined call or an outer frame).
  auto at_frame = [&]() -> bool {
    const auto bt = t_.selected_backtrace();
    const auto level = static_cast<std::size_t>(std::max(t_.selected_frame(), 0));
    if (level < bt.frames.size() && bt.frames[level].source) {
      place = *bt.frames[level].source;
      return true;
    }
    return at_address(pc);
  };
  auto center = [&](int line) {
    first = std::max(1, line - 5);
    last = first + 9;
  };
  // The file as DWARF names it, for the continuing forms (list, list -, list N).
  auto from_last = [&]() -> bool {
    if (list_path_.empty()) return false;
    place.full_path = list_path_;
    place.file = list_path_;
    return true;
  };
  if (arg.empty() || arg == "+") {
    if (!list_path_.empty() && list_insn_ == now && from_last()) {
      first = list_last_ + 1;
      last = first + 9;
    } else {
      if (!at_frame()) return;
      center(place.line);
    }
  } else if (arg == "-") {
    if (list_path_.empty() || list_insn_ != now) {
      if (!at_address(pc)) return;
      center(place.line);
    } else {
      from_last();
      if (list_first_ <= 1) return error(fmt::format("Already at the start of {}.", list_path_));
      last = list_first_ - 1;
      first = std::max(1, last - 9);
    }
  } else if (all_digits(arg)) {
    if (arg.size() > 7) return error(fmt::format("Line number {} out of range.", arg));
    if (!from_last()) {
      if (!at_address(pc)) return;
    }
    center(std::stoi(arg));
  } else if (const auto colon = arg.rfind(':');
             colon != std::string::npos && all_digits(arg.substr(colon + 1)) && arg.rfind("milestone:", 0) != 0 &&
             arg.rfind("insn:", 0) != 0) {
    const std::string file = arg.substr(0, colon);
    const std::string num = arg.substr(colon + 1);
    if (file.empty()) return error("list FILE:LINE needs a file name: list proc.go:144");
    if (num.size() > 7) return error(fmt::format("Line number {} out of range.", num));
    const int line = std::stoi(num);
    const model::DwarfInfo* dw = t_.session().dwarf();
    if (!dw) return error("This program has no DWARF line tables, so FILE:LINE cannot be found.");
    auto where = dw->pc_for_line(file, line);
    if (!where && where.error().find("ambiguous") != std::string::npos) return error(where.error());
    if (!where) where = dw->pc_for_line(file, 1);  // a line without code: any line of the file names it
    if (!where && where.error().find("no source file") == std::string::npos) return error(where.error());
    if (!where) {
      std::vector<std::string> bases;
      for (const auto& f : dw->source_files()) bases.push_back(f.substr(f.rfind('/') + 1));
      const std::string sugg = close_matches(bases, file.substr(file.rfind('/') + 1));
      return error(fmt::format("No source file named {}.{}", file, sugg.empty() ? "" : " Did you mean " + sugg + "?"));
    }
    place = where->source;
    center(line);
  } else {
    std::string loc = arg;
    GuestAddr addr = 0;
    if (loc[0] == '*') {  // list *ADDR: the line of an address
      const auto v = t_.evaluate(loc.substr(1));
      if (!v) return error(explain(loc.substr(1), v.error()));
      addr = v->bits;
    } else {
      auto l = t_.session().resolve(loc);
      if (!l) {
        std::string err = l.error();
        if (err.rfind("no symbol", 0) == 0) {
          const std::string sugg = close_matches(code_names(t_), loc);
          err = fmt::format("Function \"{}\" not defined.{}", loc, sugg.empty() ? "" : " Did you mean " + sugg + "?");
        }
        return error(err);
      }
      if (l->kind == Location::Kind::insn) return error("list needs a place; insn:N is a moment, not a place");
      addr = l->addr;
    }
    if (!at_address(addr)) return;
    center(place.line);
  }
  if (!sources_.readable(place.full_path)) return error(unreadable_note(place));
  const auto lines = sources_.lines(place.full_path, first, last);
  if (lines.empty()) {
    const auto all = sources_.lines(place.full_path, 1, INT_MAX);
    return error(fmt::format("Line number {} out of range; \"{}\" has {} lines.", first, place.full_path, all.size()));
  }
  std::string s;
  json out = json::array();
  for (const auto& [n, text] : lines) {
    s += clip(fmt::format("{:<8}{}", n, expand_tabs(text)), width() ? width() : SIZE_MAX) + "\n";
    out.push_back({{"line", n}, {"text", text}});
  }
  say(s);
  list_path_ = place.full_path;
  list_first_ = lines.front().first;
  list_last_ = lines.back().first;
  list_insn_ = now;
  result_["file"] = place.full_path;
  result_["lines"] = out;
}

}  // namespace gostep
