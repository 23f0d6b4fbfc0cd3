// Reading commands at the prompt: line editing, history and tab completion
// from libedit (Debian's libedit-dev) when stdin is a terminal; plain lines
// otherwise (pipes and tests).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gostep {

class LineReader {
 public:
  using Completer = std::function<std::vector<std::string>(const std::string& line)>;
  LineReader(std::string prompt, Completer complete);
  ~LineReader();
  // nullopt at end of input (Ctrl-D).
  std::optional<std::string> read();
  bool interactive() const { return interactive_; }
  // After an interrupted read (Ctrl-C): clear the input state so the next read starts afresh.
  void reset();

 private:
  std::string prompt_;
  bool interactive_ = false;
};

}  // namespace gostep
