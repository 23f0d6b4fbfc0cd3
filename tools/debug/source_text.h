// Lines of source files, for the effect display and `list`: Go's runtime
// sources from golang-1.19-src (DWARF's trimmed paths mapped to GOROOT).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gostep {

class SourceText {
 public:
  // The text of `line` (1-based) of `path`, without leading tabs; nullopt if unreadable.
  std::optional<std::string> line(const std::string& path, int line);
  // Lines [first, last] with their numbers; empty if the file cannot be read.
  std::vector<std::pair<int, std::string>> lines(const std::string& path, int first, int last);
  bool readable(const std::string& path);

 private:
  const std::vector<std::string>* load(const std::string& path);
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
};

}  // namespace gostep
