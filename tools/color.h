// Colour for people (DESIGN.md, "Output for people"): only on a terminal or with
// --color always, never with --color never or NO_COLOR, and always meaning
// something. Every painted text reads the same without its colour.
#pragma once

#include <string>
#include <string_view>

namespace gostep {

// What a colour says. The SGR choices read on dark and light projector themes
// alike (no yellow, cyan or blue text): gcc's bold magenta for warnings and bold
// red for errors, bold green for a value that has just changed (a diff's "new"),
// reverse video for "you are here".
enum class Paint {
  changed,  // a value different from the last time it was shown
  current,  // the current thread, milestone or instruction
  warning,  // something to be careful about (another Go version, a missing milestone)
  error,    // a failure
  heading,  // a milestone's name where the tour introduces it
};

class Palette {
 public:
  explicit Palette(bool on = false) : on_(on) {}
  bool on() const { return on_; }
  // The text with its colour, or the text unchanged when colour is off.
  std::string operator()(Paint p, std::string_view text) const;

 private:
  bool on_ = false;
};

// --color auto|always|never for output to `fd`: always wins, never and a non-empty
// NO_COLOR (https://no-color.org) turn it off; auto paints only on a terminal that
// is not TERM=dumb.
bool want_color(std::string_view option, int fd);

}  // namespace gostep
