// Where a program's source files are on this machine. DWARF names them as the
// compiler saw them: a full path, or with -trimpath (which the bundled programs
// keep: it makes addresses independent of the checkout's location) a module path
// ("gostep.example/fixtures/ownprog/main.go") or a standard-library path
// ("runtime/proc.go", mapped to GOROOT by the DWARF reader). gdb's `directory DIR`
// and `set substitute-path FROM TO` say where else to look.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gostep::engine {

class SourceLocator {
 public:
  // `binary`: the program (its directory and the folders above it are searched
  // for a go.mod whose module path starts the file's trimmed path).
  explicit SourceLocator(std::string binary);

  // A readable file for `path` as DWARF names it, or nullopt.
  std::optional<std::string> find(const std::string& path) const;

  void add_directory(const std::string& dir);  // searched first, most recent first (gdb)
  void add_substitution(std::string from, std::string to);
  const std::vector<std::string>& directories() const { return dirs_; }
  const std::vector<std::pair<std::string, std::string>>& substitutions() const { return subst_; }

 private:
  struct Module {
    std::string path;  // "gostep.example/fixtures"
    std::string root;  // the folder holding its go.mod
  };
  void add_module_root(const std::string& dir);

  std::string binary_dir_;
  std::vector<std::string> dirs_;
  std::vector<std::pair<std::string, std::string>> subst_;
  std::vector<Module> modules_;
};

// The module path a go.mod declares ("module gostep.example/fixtures"), or "".
std::string module_path_of(const std::string& go_mod);

}  // namespace gostep::engine
