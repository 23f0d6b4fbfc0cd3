// `gostep tour`: the bootstrap milestone by milestone, for a lecture. Each page
// names the milestone as the prompt does (milestone:NAME), explains it in English
// or Chinese, and shows the source and disassembly around the PC, the runtime
// fields that changed since the previous milestone and the picture of the state.
// The tour only renders: it moves the guest with the engine's goto insn:N (the
// milestones' instruction indexes come from engine::milestone_timeline) and
// steps and drops to the prompt through the same Debugger the prompt uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/color.h"
#include "tools/tour/texts.h"

namespace gostep {
class Debugger;
namespace engine {
class Target;
}

namespace tour {

struct TourOptions {
  Lang lang = Lang::en;
  bool interactive = false;  // wait for keys (stdout and stdin are terminals, no --auto)
  std::string from, to;      // milestone names; empty: the first / the last
  Palette paint;
  std::string prog;          // as the user named it (the bundled program: "hello")
};

enum class TourExit {
  quit,      // q
  prompt,    // d: the debug prompt, at this point
  finished,  // past the last milestone (or --to)
};

class Tour {
 public:
  Tour(Debugger& dbg, TourOptions options);
  // Checks --from and --to, prints the introduction (the milestones this program
  // lacks, a version warning). An error: a one-line message for a bad name.
  std::optional<std::string> start();
  // Pages from the current milestone on (the first: --from).
  TourExit run();
  // After the prompt: on to the first milestone at or after the current
  // instruction. False when there is none (and says so).
  bool resume_here();

 private:
  void show(std::size_t k);          // goes to order_[k] and prints its page
  std::string page(std::size_t k);   // the page of order_[k] (the guest stands there)
  std::string heading(std::size_t k);
  std::string source_part(std::uint64_t pc);
  std::string disassembly_part(std::uint64_t pc);
  std::string changes_part(std::size_t i);
  std::string picture_part(std::size_t i);
  std::optional<std::size_t> previous_reached(std::size_t i) const;  // in the timeline, before i
  std::optional<std::size_t> next_after(std::uint64_t insn) const;   // in order_
  std::optional<std::size_t> last_before(std::uint64_t insn) const;  // in order_
  void print(const std::string& text);
  std::string say(Label l) const;

  Debugger& dbg_;
  engine::Target& t_;
  TourOptions o_;
  std::vector<std::size_t> order_;  // timeline indexes of the milestones the tour shows
  std::size_t pos_ = 0;             // order_[pos_] is the page shown last
  bool mini_ = false;               // a miniature (asm_fixtures/mini): its own milestones and texts
};

// `tour` typed at the prompt: the tour from the current instruction on; leaving
// it (q, d, or the end) returns to the prompt. False only when the input ended.
bool run_tour_from_prompt(Debugger& dbg, TourOptions options);

// Reads one key of the tour (raw mode on a terminal; one character at a time
// otherwise). '\n' for Enter; 'q' at the end of input or on Ctrl-C.
char read_key();

}  // namespace tour
}  // namespace gostep
