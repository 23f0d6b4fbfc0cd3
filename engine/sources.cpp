#include "engine/sources.h"

#include <filesystem>
#include <fstream>

namespace gostep::engine {
namespace {

namespace fs = std::filesystem;

bool readable(const std::string& p) {
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

std::string join(const std::string& dir, const std::string& rest) {
  return (fs::path(dir) / fs::path(rest).relative_path()).lexically_normal().string();
}

}  // namespace

std::string module_path_of(const std::string& go_mod) {
  std::ifstream in(go_mod);
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line.compare(b, 7, "module ") != 0) continue;
    std::string m = line.substr(b + 7);
    const auto s = m.find_first_not_of(" \t\"");
    const auto e = m.find_last_not_of(" \t\"\r");
    return s == std::string::npos ? "" : m.substr(s, e - s + 1);
  }
  return "";
}

SourceLocator::SourceLocator(std::string binary) {
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(binary), ec).parent_path();
  binary_dir_ = dir.string();
  // The program's own module: the first go.mod at or above its directory.
  for (int up = 0; up < 8 && !dir.empty(); ++up, dir = dir.parent_path()) {
    if (readable((dir / "go.mod").string())) {
      add_module_root(dir.string());
      break;
    }
    if (dir == dir.parent_path()) break;
  }
#ifdef GOSTEP_BUNDLED_SOURCE
  // The bundled programs (asm_fixtures/go) are built with -trimpath from this checkout.
  add_module_root(GOSTEP_BUNDLED_SOURCE);
#endif
#ifdef GOSTEP_BUNDLED_MINI_SOURCE
  // And so are the miniatures (asm_fixtures/mini, module gostep.example/mini).
  add_module_root(GOSTEP_BUNDLED_MINI_SOURCE);
#endif
}

void SourceLocator::add_module_root(const std::string& dir) {
  const std::string m = module_path_of(join(dir, "go.mod"));
  if (m.empty()) return;
  for (const auto& mod : modules_)
    if (mod.root == dir) return;
  modules_.push_back({m, dir});
}

void SourceLocator::add_directory(const std::string& dir) {
  std::error_code ec;
  const std::string abs = fs::absolute(fs::path(dir), ec).lexically_normal().string();
  dirs_.insert(dirs_.begin(), abs);
  add_module_root(abs);
}

void SourceLocator::add_substitution(std::string from, std::string to) {
  for (auto& [f, t] : subst_)
    if (f == from) {
      t = std::move(to);
      return;
    }
  subst_.emplace_back(std::move(from), std::move(to));
}

std::optional<std::string> SourceLocator::find(const std::string& path) const {
  if (path.empty()) return std::nullopt;
  // gdb's order: substitutions rewrite the name, then the directories are tried.
  std::vector<std::string> names{path};
  for (const auto& [from, to] : subst_)
    if (path.rfind(from, 0) == 0 && (path.size() == from.size() || path[from.size()] == '/' || from.back() == '/'))
      names.insert(names.begin(), to + path.substr(from.size()));
  for (const auto& n : names) {
    if (fs::path(n).is_absolute() && readable(n)) return n;
    for (const auto& mod : modules_)  // a trimmed module path
      if (n.rfind(mod.path + "/", 0) == 0) {
        const std::string p = join(mod.root, n.substr(mod.path.size() + 1));
        if (readable(p)) return p;
      }
    const std::string base = fs::path(n).filename().string();
    for (const auto& d : dirs_) {
      for (const std::string& p : {join(d, n), join(d, base)})
        if (readable(p)) return p;
    }
    if (!fs::path(n).is_absolute() && readable(join(binary_dir_, n))) return join(binary_dir_, n);
    if (readable(join(binary_dir_, base))) return join(binary_dir_, base);
  }
  return std::nullopt;
}

}  // namespace gostep::engine
