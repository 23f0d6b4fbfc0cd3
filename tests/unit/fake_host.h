// A host made of a map, for the file system's unit tests: files, directories
// and symbolic links by absolute host path. It records every path it is asked
// about, so a test can check that nothing outside a granted directory was.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "emulator/host_io.h"

namespace gostep::test {

struct FakeEntry {
  vfs::NodeKind kind = vfs::NodeKind::file;
  std::string data;  // file bytes, or a link's target
  std::uint32_t perm = 0644;
};

class FakeHost : public HostIo {
 public:
  std::map<std::string, FakeEntry> files;  // "/home/u/proj/a.txt" -> entry
  std::vector<std::string> asked;          // every absolute path looked at
  std::vector<std::string> roots;
  std::string out;                         // what the guest wrote to stdout and stderr
  std::string in;                          // what stdin still has to give

  void add_file(const std::string& path, const std::string& data, std::uint32_t perm = 0644) {
    files[path] = {vfs::NodeKind::file, data, perm};
  }
  void add_dir(const std::string& path) { files[path] = {vfs::NodeKind::dir, "", 0755}; }
  void add_link(const std::string& path, const std::string& target) { files[path] = {vfs::NodeKind::symlink, target, 0777}; }

  int add_root(const std::string& dir) override {
    if (!files.count(dir) || files[dir].kind != vfs::NodeKind::dir) return -ENOENT;
    roots.push_back(dir);
    return static_cast<int>(roots.size() - 1);
  }
  int info(int root, const std::string& rel, HostFileInfo& o) override {
    auto it = files.find(path(root, rel));
    if (it == files.end()) return -ENOENT;
    o = info_of(it->second);
    return 0;
  }
  int list(int root, const std::string& rel, std::vector<HostDirEntry>& o) override {
    const std::string dir = path(root, rel) + "/";
    for (const auto& [p, e] : files) {
      if (p.rfind(dir, 0) != 0 || p.find('/', dir.size()) != std::string::npos) continue;
      HostDirEntry d;
      d.name = p.substr(dir.size());
      d.info = info_of(e);
      if (e.kind == vfs::NodeKind::symlink) d.link_target = e.data;
      o.push_back(d);
    }
    return 0;
  }
  std::int64_t pread(int root, const std::string& rel, std::uint64_t off, void* buf, std::uint64_t n) override {
    auto it = files.find(path(root, rel));
    if (it == files.end() || it->second.kind != vfs::NodeKind::file) return -ENOENT;
    const std::string& d = it->second.data;
    if (off >= d.size()) return 0;
    const std::size_t k = std::min<std::size_t>(n, d.size() - off);
    std::memcpy(buf, d.data() + off, k);
    return static_cast<std::int64_t>(k);
  }
  std::int64_t pwrite(int root, const std::string& rel, std::uint64_t off, const void* buf, std::uint64_t n) override {
    std::string& d = files.at(path(root, rel)).data;
    if (d.size() < off + n) d.resize(off + n);
    std::memcpy(d.data() + off, buf, n);
    return static_cast<std::int64_t>(n);
  }
  int create(int root, const std::string& rel, std::uint32_t perm) override {
    files[path(root, rel)] = {vfs::NodeKind::file, "", perm};
    return 0;
  }
  int mkdir(int root, const std::string& rel, std::uint32_t perm) override {
    files[path(root, rel)] = {vfs::NodeKind::dir, "", perm};
    return 0;
  }
  int symlink(int root, const std::string& target, const std::string& rel) override {
    add_link(path(root, rel), target);
    return 0;
  }
  int link(int root, const std::string& from, const std::string& to) override {
    files[path(root, to)] = files.at(path(root, from));
    return 0;
  }
  int remove(int root, const std::string& rel, bool) override { return files.erase(path(root, rel)) ? 0 : -ENOENT; }
  int rename(int root, const std::string& from, const std::string& to, bool) override {
    const std::string a = path(root, from), b = path(root, to);
    std::map<std::string, FakeEntry> moved;
    for (auto it = files.begin(); it != files.end();) {
      if (it->first == a || it->first.rfind(a + "/", 0) == 0) {
        moved[b + it->first.substr(a.size())] = it->second;
        it = files.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [p, e] : moved) files[p] = e;
    return 0;
  }
  int truncate(int root, const std::string& rel, std::uint64_t size) override {
    files.at(path(root, rel)).data.resize(size);
    return 0;
  }
  int chmod(int root, const std::string& rel, std::uint32_t perm) override {
    files.at(path(root, rel)).perm = perm;
    return 0;
  }
  StreamKind stream_kind(int) override { return StreamKind::pipe; }
  std::int64_t read_stream(int, void* buf, std::uint64_t n) override {
    const std::size_t k = std::min<std::size_t>(n, in.size());
    std::memcpy(buf, in.data(), k);
    in.erase(0, k);
    return static_cast<std::int64_t>(k);
  }
  std::int64_t write_stream(int, const void* buf, std::uint64_t n) override {
    out.append(static_cast<const char*>(buf), n);
    return static_cast<std::int64_t>(n);
  }
  bool stdin_ready() override { return true; }
  std::uint64_t wait(bool, std::optional<std::uint64_t>) override { return 0; }
  int terminal(int, std::uint64_t, std::uint8_t*) override { return -ENOTTY; }

 private:
  std::string path(int root, const std::string& rel) {
    const std::string p = rel.empty() ? roots.at(static_cast<std::size_t>(root)) : roots.at(static_cast<std::size_t>(root)) + "/" + rel;
    asked.push_back(p);
    return p;
  }
  static HostFileInfo info_of(const FakeEntry& e) {
    HostFileInfo i;
    i.kind = e.kind;
    i.perm = e.perm;
    i.size = e.kind == vfs::NodeKind::file ? e.data.size() : 0;
    return i;
  }
};

}  // namespace gostep::test
