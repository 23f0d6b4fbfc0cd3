#include "source_text.h"

#include <fstream>

namespace gostep {

const std::vector<std::string>* SourceText::load(const std::string& path) {
  auto it = cache_.find(path);
  if (it == cache_.end()) {
    std::optional<std::vector<std::string>> text;
    std::ifstream in(path);
    if (!in && resolver_)
      if (auto found = resolver_(path)) in.open(*found);
    if (in) {
      text.emplace();
      std::string l;
      while (std::getline(in, l)) text->push_back(l);
    }
    it = cache_.emplace(path, std::move(text)).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool SourceText::readable(const std::string& path) { return load(path) != nullptr; }

std::optional<std::string> SourceText::line(const std::string& path, int n) {
  const auto* text = load(path);
  if (!text || n < 1 || static_cast<std::size_t>(n) > text->size()) return std::nullopt;
  std::string l = (*text)[static_cast<std::size_t>(n - 1)];
  const auto first = l.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : l.substr(first);
}

std::vector<std::pair<int, std::string>> SourceText::lines(const std::string& path, int first, int last) {
  std::vector<std::pair<int, std::string>> out;
  const auto* text = load(path);
  if (!text) return out;
  for (int n = std::max(1, first); n <= last && static_cast<std::size_t>(n) <= text->size(); ++n)
    out.emplace_back(n, (*text)[static_cast<std::size_t>(n - 1)]);
  return out;
}

}  // namespace gostep
