// The tour's walk: which milestones it shows, the keys, the way to the prompt
// and back. The pages themselves are in tour_page.cpp.
#include "tour.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "engine/target.h"
#include "runtime_model/milestones.h"
#include "tools/debug/debugger.h"
#include "tools/debug/prompt_loop.h"
#include "tools/text_util.h"

namespace gostep::tour {
namespace {

// "{name}" in a label replaced by its value.
std::string fill(std::string_view text, std::initializer_list<std::pair<const char*, std::string>> values) {
  std::string s(text);
  for (const auto& [key, value] : values) {
    const std::string k = std::string("{") + key + "}";
    for (std::size_t at = s.find(k); at != std::string::npos; at = s.find(k, at + value.size()))
      s = s.substr(0, at) + value + s.substr(at + k.size());
  }
  return s;
}

}  // namespace

Tour::Tour(Debugger& dbg, TourOptions options) : dbg_(dbg), t_(dbg.target()), o_(std::move(options)) {}

std::string Tour::say(Label l) const { return std::string(label(l, o_.lang)); }

void Tour::print(const std::string& text) {
  fmt::print("{}", fit_width(text, dbg_.width()));
  std::fflush(stdout);
}

std::optional<std::string> Tour::start() {
  const auto& tl = t_.milestone_timeline();
  auto index_of = [&](const std::string& name, const char* option) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < tl.size(); ++i)
      if (tl[i].name == name) return i;
    std::string names;
    for (const auto& m : tl) names += (names.empty() ? "" : ", ") + m.name;
    throw std::invalid_argument(fmt::format("{} {}: not a milestone; the milestones are {}", option, name, names));
  };
  std::size_t lo = 0, hi = tl.empty() ? 0 : tl.size() - 1;
  try {
    if (!o_.from.empty()) lo = *index_of(o_.from, "--from");
    if (!o_.to.empty()) hi = *index_of(o_.to, "--to");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  if (tl.empty()) return "this program has no milestones to show";
  if (lo > hi) return fmt::format("--from {} comes after --to {} in the bootstrap", o_.from, o_.to);
  for (const char* which : {"from", "to"}) {
    const std::string& name = which[0] == 'f' ? o_.from : o_.to;
    const std::size_t i = which[0] == 'f' ? lo : hi;
    if (!name.empty() && !tl[i].insn)
      return fmt::format("--{} {}: this program lacks that milestone ({})", which, name, tl[i].why_missing);
  }
  mini_ = !model::demo_milestones(t_.session().image()).empty();
  std::string lacks;
  order_.clear();
  for (std::size_t i = lo; i <= hi; ++i) {
    if (tl[i].insn) order_.push_back(i);
    else lacks += o_.paint(Paint::warning, fill(say(Label::lacks), {{"name", tl[i].name}, {"why", tl[i].why_missing}})) + "\n";
  }
  std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return *tl[a].insn < *tl[b].insn; });
  if (order_.empty()) return "this program reaches none of the tour's milestones";
  // The count is of the pages to come; the milestones the program lacks follow it.
  std::string intro = fill(say(mini_ ? Label::intro_mini : Label::intro), {{"prog", o_.prog}, {"n", std::to_string(order_.size())}}) + "\n";
  Session& s = t_.session();
  if (!s.version_warning().empty())
    intro += o_.paint(Paint::warning, say(Label::version) + s.version_warning()) + "\n";
  if (!s.model()) intro += o_.paint(Paint::warning, fill(say(Label::no_state), {{"why", s.model_error()}})) + "\n";
  intro += lacks;
  if (o_.interactive) intro += say(Label::keys) + "\n";
  print(intro + "\n");
  pos_ = 0;
  return std::nullopt;
}

std::optional<std::size_t> Tour::next_after(std::uint64_t insn) const {
  const auto& tl = t_.milestone_timeline();
  for (std::size_t k = 0; k < order_.size(); ++k)
    if (*tl[order_[k]].insn > insn) return k;
  return std::nullopt;
}

std::optional<std::size_t> Tour::last_before(std::uint64_t insn) const {
  const auto& tl = t_.milestone_timeline();
  std::optional<std::size_t> out;
  for (std::size_t k = 0; k < order_.size(); ++k)
    if (*tl[order_[k]].insn < insn) out = k;
  return out;
}

void Tour::show(std::size_t k) {
  const std::uint64_t target = *t_.milestone_timeline()[order_[k]].insn;
  if (t_.ended() || t_.next_insn() != target) {
    engine::RunCommand cmd;
    cmd.kind = engine::RunKind::go_to;
    cmd.loc = fmt::format("insn:{}", target);
    cmd.effects = false;
    auto ev = t_.resume(cmd);
    if (!ev || !ev->has(engine::StopCause::location_reached)) {
      print(o_.paint(Paint::error, fmt::format("gostep: cannot go to instruction {}: {}", target,
                                               ev ? ev->note : ev.error())) + "\n");
      return;
    }
  }
  pos_ = k;
  print(page(k));
}

TourExit Tour::run() {
  if (!o_.interactive) {
    for (std::size_t k = pos_; k < order_.size(); ++k) {
      if (k != pos_) print("\n");
      show(k);
    }
    print("\n" + say(Label::the_end) + "\n");
    return TourExit::finished;
  }
  show(pos_);
  for (;;) {
    print("\n" + o_.paint(Paint::current, say(Label::keys)) + " ");
    const char key = read_key();
    print("\n");
    switch (key) {
      case '\n':
      case ' ':
      case 'n': {
        // The first milestone from here on, unless it is the page just shown (then the one after);
        // after `s` this may be a milestone the steps reached.
        const std::uint64_t here = t_.next_insn();
        auto nk = next_after(here - 1);
        if (nk && *nk == pos_ && *t_.milestone_timeline()[order_[*nk]].insn == here) nk = next_after(here);
        if (!nk) {
          print(say(Label::the_end) + "\n");
          return TourExit::finished;
        }
        show(*nk);
        break;
      }
      case 'b': {
        const auto k = last_before(t_.next_insn());
        if (!k) print(say(Label::at_start) + "\n");
        else show(*k);
        break;
      }
      case 's':
        dbg_.execute("stepi");
        print(fill(say(Label::step_note), {{"m", t_.milestone_timeline()[order_[pos_]].name}}) + "\n");
        break;
      case 'd':
        print(say(Label::prompt_enter) + "\n");
        return TourExit::prompt;
      case 'q':
        return TourExit::quit;
      default:
        break;  // the key help is printed again
    }
  }
}

bool Tour::resume_here() {
  const std::uint64_t insn = t_.next_insn();
  const auto& tl = t_.milestone_timeline();
  for (std::size_t k = 0; k < order_.size(); ++k)
    if (*tl[order_[k]].insn >= insn) {
      pos_ = k;
      print(fill(say(Label::back_at), {{"m", tl[order_[k]].name}}) + "\n\n");
      return true;
    }
  print(fill(say(Label::none_after), {{"n", std::to_string(insn)}}) + "\n");
  return false;
}

bool run_tour_from_prompt(Debugger& dbg, TourOptions options) {
  Tour tour(dbg, std::move(options));
  if (auto err = tour.start()) {
    fmt::print(stderr, "gostep: {}\n", *err);
    return true;
  }
  if (!tour.resume_here()) return true;
  tour.run();  // q, d and the end all come back to the prompt
  return true;
}

char read_key() {
  const bool tty = isatty(0) != 0;
  termios saved{};
  if (tty && tcgetattr(0, &saved) == 0) {
    termios raw = saved;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));  // ISIG stays: Ctrl-C still interrupts
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
  }
  auto get = [&]() -> int {
    unsigned char c = 0;
    for (;;) {
      const ssize_t n = ::read(0, &c, 1);
      if (n == 1) return c;
      if (n < 0 && errno == EINTR && !take_sigint()) continue;
      return -1;  // end of input, or Ctrl-C
    }
  };
  int c = get();
  if (c == 0x1b) {  // arrow keys: right is next, left is back
    const int a = get(), b = a == '[' ? get() : -1;
    c = b == 'C' ? 'n' : b == 'D' ? 'b' : 0;
  }
  if (tty) tcsetattr(0, TCSANOW, &saved);
  if (c < 0) return 'q';
  if (c == '\r') return '\n';
  return static_cast<char>(c);
}

}  // namespace gostep::tour
