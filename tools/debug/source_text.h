// Lines of source files, for the effect display and `list`: Go's runtime
// sources from golang-1.19-src (DWARF's trimmed paths mapped to GOROOT).
#pragma once

#include <functional>
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
  // Where to look when a path cannot be opened as it is (engine::SourceLocator).
  void set_resolver(std::function<std::optional<std::string>(const std::string&)> r) {
    resolver_ = std::move(r);
    cache_.clear();
  }
  void forget() { cache_.clear(); }  // after `directory` or `set substitute-path`

 private:
  const std::vector<std::string>* load(const std::string& path);
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
  std::function<std::optional<std::string>(const std::string&)> resolver_;
};

}  // namespace gostep
