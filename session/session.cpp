#include "session.h"

#include "runtime_model/name_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace gostep {

std::string go_version_warning(const std::string& path, const std::string& v) {
  // "go1.19" and "go1.19.8" are ours; "go1.190" would not be.
  if (v == "go1.19" || v.rfind("go1.19.", 0) == 0) return "";
  return fmt::format("{} was built by {}; gostep's runtime model is made and tested for go1.19, so some views "
                     "may be wrong",
                     path, v.empty() ? "an unknown compiler" : v);
}

Session::Session(const std::string& path, ProcessOptions options) : image_(load_elf(path)) {
  std::string why;
  dwarf_ = model::DwarfInfo::open(path, &why);
  if (auto p = model::Pclntab::parse(image_.bytes)) pclntab_ = std::move(p.value());
  else pclntab_error_ = p.error();
  symbols_ = std::make_unique<model::Symbolizer>(&image_, dwarf_.get(), pclntab_ ? &*pclntab_ : nullptr);
  model::BootstrapOffsets off;
  if (dwarf_) {
    version_warning_ = go_version_warning(path, dwarf_->go_version());
    auto m = model::RuntimeModel::create(*dwarf_, *symbols_);
    if (m) model_ = std::move(m.value());
    else model_error_ = m.error();
    if (auto f = dwarf_->field("runtime.g", "stack.hi")) off.g_stack_hi = static_cast<std::int64_t>(f->offset);
    if (auto f = dwarf_->field("runtime.m", "g0")) off.m_g0 = static_cast<std::int64_t>(f->offset);
    if (auto f = dwarf_->field("runtime.g", "m")) off.g_m = static_cast<std::int64_t>(f->offset);
  } else if (image_.has_debug_sections) {
    // The sections are there but unreadable: the file is damaged, no build flag explains it.
    model_error_ = fmt::format("{}: its DWARF is damaged ({}); rebuild it", path, why);
  } else {
    model_error_ = fmt::format("{} has no DWARF; rebuild it without -ldflags=-w to see g, m and p", path);
  }
  milestones_ = model::find_milestones(image_, off);
  if (options.argv.empty()) options.argv = {path};
  options_ = options;
  process_ = std::make_unique<Process>(image_, std::move(options));
}

void Session::restart() {
  process_.reset();
  process_ = std::make_unique<Process>(image_, options_);
}

Session::~Session() = default;

model::Result<Location> Session::resolve(const std::string& loc) const {
  Location out;
  out.text = loc;
  if (loc.rfind("insn:", 0) == 0) {
    const std::string n = loc.substr(5);
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
    if (ec != std::errc() || p != n.data() + n.size() || v == 0)
      return model::Error{fmt::format("'{}': insn:N needs a positive instruction number", model::clip_typed(loc))};
    out.kind = Location::Kind::insn;
    out.insn = v;
    return out;
  }
  if (loc.rfind("milestone:", 0) == 0) {
    const std::string name = loc.substr(10);
    for (const auto& m : milestones_) {
      if (m.name != name) continue;
      if (!m.pc) return model::Error{fmt::format("milestone {} is not found in this binary: {}", name, m.why_missing)};
      out.addr = *m.pc;
      out.addrs = {out.addr};
      return out;
    }
    std::string names;
    for (const auto& m : milestones_) names += (names.empty() ? "" : ", ") + m.name;
    return model::Error{fmt::format("unknown milestone '{}'; the milestones are: {}", model::clip_typed(name), names)};
  }
  auto r = symbols_->resolve(loc);
  // A function name also stands for every site where it was inlined (gdb sets a
  // location at each); a function inlined everywhere has no symbol at all.
  std::vector<GuestAddr> sites;
  if (dwarf_ && loc.find_first_of(":+") == std::string::npos && loc.rfind("0x", 0) != 0)
    sites = dwarf_->inlined_sites(loc);
  if (!r && !sites.empty()) {
    out.addrs = sites;
    out.addr = sites.front();
    return out;
  }
  if (!r) {
    // An unknown symbol: suggest the ones the user probably meant.
    if (r.error().rfind("no symbol", 0) == 0) {
      std::vector<std::string> names;
      for (const auto& s : image_.symbols)
        if (s.is_function) names.push_back(s.name);
      const auto close = model::similar_names(names, loc);
      if (!close.empty()) {
        std::string list;
        for (std::size_t i = 0; i < close.size(); ++i)
          list += (i == 0 ? "" : i + 1 == close.size() ? " or " : ", ") + close[i];
        return model::Error{fmt::format("{}; did you mean {}?", r.error(), list)};
      }
    }
    return model::Error{r.error()};
  }
  out.addr = *r;
  out.addrs = {*r};
  for (GuestAddr a : sites)
    if (a != *r) out.addrs.push_back(a);
  return out;
}

model::MemoryReader Session::reader() {
  return [this](std::uint64_t addr, void* out, std::uint64_t len) { return process_->memory().peek(addr, out, len); };
}

model::RuntimeState Session::capture() { return capture_thread(process_->current()); }

StopReason Session::run_to(const std::vector<Location>& targets, std::vector<std::size_t>& hit) {
  hit.clear();
  Process& p = *process_;
  // Already there? (A stop is before the instruction; a target at the current
  // place counts only if nothing ran yet, so that run_to twice moves on.)
  std::optional<std::uint64_t> next_insn_stop;
  for (const auto& t : targets) {
    if (t.kind == Location::Kind::address)
      for (GuestAddr a : t.addrs.empty() ? std::vector<GuestAddr>{t.addr} : t.addrs) p.add_breakpoint(a);
    else if (t.insn > p.insn_count()) next_insn_stop = next_insn_stop ? std::min(*next_insn_stop, t.insn) : t.insn;
  }
  p.stop_before_insn(next_insn_stop);
  const StopReason r = p.run();
  for (const auto& t : targets)
    if (t.kind == Location::Kind::address)
      for (GuestAddr a : t.addrs.empty() ? std::vector<GuestAddr>{t.addr} : t.addrs) p.remove_breakpoint(a);
  p.stop_before_insn(std::nullopt);
  if (r.kind == StopKind::breakpoint || r.kind == StopKind::insn_reached) {
    const GuestAddr pc = p.engine().reg(Reg::rip);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const auto& t = targets[i];
      const bool at = t.addr == pc || std::find(t.addrs.begin(), t.addrs.end(), pc) != t.addrs.end();
      if ((t.kind == Location::Kind::address && at) ||
          (t.kind == Location::Kind::insn && t.insn == p.insn_count() + 1))
        hit.push_back(i);
    }
  }
  return r;
}

model::RuntimeState Session::capture_thread(Thread& t) {
  return model_->capture(reader(), process_->regs_of(t));
}

}  // namespace gostep
