// The line table of every unit, Go and assembly alike, merged into one array
// sorted by address: pc -> file:line, and FILE:LINE -> the first pc of that line.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "runtime_model/dwarf_impl.h"
#include "runtime_model/name_match.h"

namespace gostep::model {

namespace {

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// libdw joins the unit's comp_dir (Go writes ".") with the package directory.
std::string normalize(std::string path) {
  while (path.starts_with("./")) path.erase(0, 2);
  return path;
}

// -trimpath leaves package-relative paths ("runtime/asm_amd64.s"); the standard
// library's live under GOROOT/src (TRAPS.md "Building the Go programs").
std::string full_path_of(const std::string& path, const std::string& goroot) {
  if (path.empty() || path.front() == '/' || path.front() == '<' || goroot.empty()) return path;
  std::filesystem::path candidate = std::filesystem::path(goroot) / "src" / path;
  std::error_code ec;
  return std::filesystem::is_regular_file(candidate, ec) ? candidate.string() : path;
}

}  // namespace

std::string SourceLine::short_form() const {
  return fmt::format("{}:{}", basename_of(file), line);
}

void DwarfInfo::Impl::index_lines(Dwarf_Die* cu) {
  Dwarf_Lines* lines = nullptr;
  std::size_t n = 0;
  if (dwarf_getsrclines(cu, &lines, &n) != 0) return;  // a unit without code
  const char* last_src = nullptr;
  std::uint32_t last_file = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Dwarf_Line* line = dwarf_onesrcline(lines, i);
    if (line == nullptr) continue;
    LineRow row;
    Dwarf_Addr addr = 0;
    int lineno = 0;
    bool flag = false;
    if (dwarf_lineaddr(line, &addr) != 0) continue;
    row.addr = addr;
    if (dwarf_lineno(line, &lineno) == 0) row.line = lineno;
    if (dwarf_linebeginstatement(line, &flag) == 0) row.is_stmt = flag;
    if (dwarf_lineendsequence(line, &flag) == 0) row.end_sequence = flag;
    const char* src = dwarf_linesrc(line, nullptr, nullptr);
    if (src == nullptr) src = "?";
    if (src != last_src) {  // libdw hands out one string per file entry
      std::string path = normalize(src);
      auto [it, inserted] = file_index.emplace(path, static_cast<std::uint32_t>(files.size()));
      if (inserted) files.push_back({path, {}});
      last_src = src;
      last_file = it->second;
    }
    row.file = last_file;
    rows.push_back(row);
  }
}

void DwarfInfo::Impl::build_lines() {
  Dwarf* d = dwarf.get();
  Dwarf_Off off = 0;
  Dwarf_Off next = 0;
  std::size_t header_size = 0;
  while (dwarf_nextcu(d, off, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    if (dwarf_offdie(d, off + header_size, &cu) != nullptr) index_lines(&cu);
    off = next;
  }
  // Where one sequence ends and the next begins at the same address, the end comes first,
  // so that the last row at or below a pc is the one that covers it.
  std::stable_sort(rows.begin(), rows.end(), [](const LineRow& a, const LineRow& b) {
    if (a.addr != b.addr) return a.addr < b.addr;
    return a.end_sequence && !b.end_sequence;
  });
  for (SourceFile& f : files) f.full_path = full_path_of(f.path, options.goroot);
}

std::optional<SourceLine> DwarfInfo::line_at(std::uint64_t pc) const {
  const auto& rows = impl_->lines();
  auto it = std::upper_bound(rows.begin(), rows.end(), pc,
                             [](std::uint64_t a, const LineRow& r) { return a < r.addr; });
  if (it == rows.begin()) return std::nullopt;
  --it;
  if (it->end_sequence) return std::nullopt;
  const SourceFile& f = impl_->files[it->file];
  return SourceLine{f.path, f.full_path, it->line};
}

Result<LineAddress> DwarfInfo::pc_for_line(std::string_view file_colon_line) const {
  const std::size_t colon = file_colon_line.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return Error{fmt::format("'{}' is not FILE:LINE", clip_typed(file_colon_line))};
  const std::string_view num = file_colon_line.substr(colon + 1);
  int line = 0;
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), line);
  if (ec != std::errc() || ptr != num.data() + num.size() || line <= 0)
    return Error{fmt::format("'{}' is not FILE:LINE (bad line number '{}')", clip_typed(file_colon_line, 30), clip_typed(num, 20))};
  return pc_for_line(file_colon_line.substr(0, colon), line);
}

Result<LineAddress> DwarfInfo::pc_for_line(std::string_view file, int line) const {
  const auto& rows = impl_->lines();
  const auto& files = impl_->files;
  // A file matches by its whole path, by a trailing part of it ("runtime/proc.go"), or by basename.
  std::set<std::uint32_t> matches;
  for (std::uint32_t i = 0; i < files.size(); ++i) {
    const std::string& p = files[i].path;
    if (p == file || files[i].full_path == file ||
        (p.size() > file.size() && std::string_view(p).ends_with(file) &&
         p[p.size() - file.size() - 1] == '/'))
      matches.insert(i);
  }
  if (matches.empty()) return Error{fmt::format("no source file '{}' in the line table", clip_typed(file))};

  // Best row per file: the lowest address of `line` (is_stmt preferred), else of the
  // nearest following line with code, as gdb does for a line without any.
  struct Best {
    const LineRow* exact = nullptr;
    const LineRow* later = nullptr;
  };
  auto better = [](const LineRow* cur, const LineRow& r) {
    if (cur == nullptr) return true;
    if (r.line != cur->line) return r.line < cur->line;
    if (r.is_stmt != cur->is_stmt) return r.is_stmt;
    return r.addr < cur->addr;
  };
  std::map<std::uint32_t, Best> best;
  for (const LineRow& r : rows) {
    if (r.end_sequence || !matches.count(r.file) || r.line < line) continue;
    Best& b = best[r.file];
    if (r.line == line) {
      if (better(b.exact, r)) b.exact = &r;
    } else if (better(b.later, r)) {
      b.later = &r;
    }
  }
  // Of several files with that name, those with code on that very line decide; failing
  // that, a single file that has code after it. A file that ends before `line` never counts.
  std::vector<std::pair<std::uint32_t, const LineRow*>> found;
  for (auto& [f, b] : best)
    if (b.exact) found.emplace_back(f, b.exact);
  if (found.empty() && best.size() == 1) found.emplace_back(best.begin()->first, best.begin()->second.later);
  if (found.size() > 1 || (found.empty() && best.size() > 1)) {
    std::string names;
    for (auto f : matches) names += (names.empty() ? "" : ", ") + files[f].path;
    return Error{fmt::format("'{}:{}' is ambiguous: {} files match ({}); give more of the path",
                             file, line, matches.size(), names)};
  }
  if (found.empty()) return Error{fmt::format("no code at or after line {} of {}", line, clip_typed(file))};
  const auto& [f, row] = found.front();
  return LineAddress{row->addr, SourceLine{files[f].path, files[f].full_path, row->line}};
}

std::vector<std::string> DwarfInfo::source_files() const {
  impl_->lines();
  std::vector<std::string> out;
  for (const SourceFile& f : impl_->files) out.push_back(f.path);
  return out;
}

}  // namespace gostep::model
