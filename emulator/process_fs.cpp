// The guest's file system at start (DESIGN.md, "Sandbox"): an in-memory root
// with what Go's runtime and standard library expect, the granted host
// directories, the working directory; and the /proc files made from the
// process's own state.
#include <fmt/format.h>

#include <cstring>

#include "host_io_posix.h"
#include "process.h"

namespace gostep {
namespace {

using vfs::Ino;
using vfs::Node;

constexpr const char* kPasswd = "gopher:x:1000:1000:Gopher:/home/gopher:/bin/sh\n";
constexpr const char* kGroup = "gopher:x:1000:\n";
constexpr const char* kHosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
constexpr const char* kHostname = "gostep\n";

Ino add_device(vfs::Vfs& v, Ino dir, const std::string& name, vfs::Device d, vfs::Timespec t) {
  Node n;
  n.kind = vfs::NodeKind::chardev;
  n.perm = 0666;
  n.device = d;
  n.atime = n.mtime = n.ctime = t;
  return v.add_node(dir, name, std::move(n));
}

Ino add_proc(vfs::Vfs& v, Ino dir, const std::string& name, vfs::ProcFile f, std::uint32_t perm, vfs::Timespec t) {
  Node n;
  n.kind = vfs::NodeKind::file;
  n.perm = perm;
  n.uid = vfs::kUserUid;
  n.gid = vfs::kUserGid;
  n.proc = f;
  n.atime = n.mtime = n.ctime = t;
  return v.add_node(dir, name, std::move(n));
}

void put_strings(std::string& out, const std::vector<std::string>& v) {
  for (const auto& s : v) {
    out += s;
    out.push_back('\0');
  }
}

}  // namespace

void Process::setup_fs() {
  host_io_ = opts_.host_io ? opts_.host_io
                           : std::make_shared<PosixHostIo>(opts_.stdin_fd, opts_.stdout_fd, opts_.stderr_fd,
                                                           opts_.terminals_visible, opts_.wake_fd);
  vfs_ = vfs::Vfs(host_io_.get());
  vfs::Vfs& v = vfs_;
  // Everything that exists at start is as old as the virtual wall clock's start.
  const vfs::Timespec t0{static_cast<std::int64_t>(kRealtimeEpochNs / 1'000'000'000ULL), 0};
  const Ino root = v.root();
  {
    Node& r = *v.get(root);
    r.atime = r.mtime = r.ctime = t0;
  }
  const Ino dev = v.add_dir(root, "dev", 0755, 0, t0);
  add_device(v, dev, "null", vfs::Device::null, t0);
  add_device(v, dev, "zero", vfs::Device::zero, t0);
  add_device(v, dev, "random", vfs::Device::urandom, t0);
  add_device(v, dev, "urandom", vfs::Device::urandom, t0);

  const Ino etc = v.add_dir(root, "etc", 0755, 0, t0);
  v.add_file(etc, "group", kGroup, 0644, t0);
  v.add_file(etc, "hostname", kHostname, 0644, t0);
  v.add_file(etc, "hosts", kHosts, 0644, t0);
  v.add_file(etc, "passwd", kPasswd, 0644, t0);

  const Ino home = v.add_dir(root, "home", 0755, 0, t0);
  v.add_dir(home, vfs::kUserName, 0755, vfs::kUserUid, t0);

  // /proc/self is a link to the process's own directory, as in Linux. Only the
  // files Go reads are there: no root, cwd or fd links lead out of it.
  const Ino proc = v.add_dir(root, "proc", 0555, 0, t0);
  const Ino self = v.add_dir(proc, std::to_string(kPid), 0555, vfs::kUserUid, t0);
  v.add_symlink(proc, "self", std::to_string(kPid), t0);
  add_proc(v, self, "auxv", vfs::ProcFile::auxv, 0400, t0);
  add_proc(v, self, "cmdline", vfs::ProcFile::cmdline, 0444, t0);
  add_proc(v, self, "environ", vfs::ProcFile::environ, 0400, t0);
  add_proc(v, self, "maps", vfs::ProcFile::maps, 0444, t0);
  {
    // exe: a "magic" link to the program itself, which is not in any directory.
    Node prog;
    prog.kind = vfs::NodeKind::file;
    prog.perm = 0755;
    prog.uid = vfs::kUserUid;
    prog.gid = vfs::kUserGid;
    prog.data.assign(image_.bytes.begin(), image_.bytes.end());
    prog.atime = prog.mtime = prog.ctime = t0;
    const Ino hidden = v.add_node(0, "", std::move(prog));
    const Ino exe = v.add_symlink(self, "exe", opts_.argv.empty() ? image_.path : opts_.argv[0], t0);
    v.get(exe)->magic = hidden;
  }
  const Ino sys_kernel = v.add_dir(proc, "sys", 0555, 0, t0);
  add_proc(v, v.add_dir(sys_kernel, "kernel", 0555, 0, t0), "hostname", vfs::ProcFile::hostname, 0644, t0);

  const Ino sys = v.add_dir(root, "sys", 0555, 0, t0);
  const Ino thp = v.add_dir(v.add_dir(v.add_dir(sys, "kernel", 0755, 0, t0), "mm", 0755, 0, t0),
                            "transparent_hugepage", 0755, 0, t0);
  v.add_file(thp, "hpage_pmd_size", "2097152\n", 0444, t0);

  v.add_dir(root, "tmp", 01777, 0, t0);

  for (const DirGrant& g : opts_.dirs) {
    const int r = v.grant(g.host_dir, g.guest_dir, g.rw, t0);
    if (r < 0)
      throw EmulatorError(fmt::format("--dir {}: {}", g.host_dir, std::strerror(-r)));
  }
  fs_.cwd = root;
  if (!opts_.dirs.empty()) {
    const vfs::Resolved r = v.resolve(root, opts_.dirs.front().guest_dir);
    if (r.error == 0) fs_.cwd = r.ino;
  }
}

std::string Process::proc_contents(vfs::ProcFile which) {
  std::string out;
  switch (which) {
    case vfs::ProcFile::cmdline: put_strings(out, opts_.argv); break;
    case vfs::ProcFile::environ: put_strings(out, opts_.env); break;
    case vfs::ProcFile::auxv:
      for (const AuxEntry& e : stack_.auxv) {
        out.append(reinterpret_cast<const char*>(&e.type), 8);
        out.append(reinterpret_cast<const char*>(&e.value), 8);
      }
      break;
    case vfs::ProcFile::maps: {
      const std::string exe = opts_.argv.empty() ? image_.path : opts_.argv[0];
      for (const Mapping& m : mem_.mappings()) {
        std::string name = m.name;
        if (name == "text" || name == "data" || name == "rodata") name = exe;
        else if (name.empty() || name[0] != '[') name.clear();
        std::string line = fmt::format("{:08x}-{:08x} {}{}{}p 00000000 00:00 0", m.start, m.end,
                                       m.prot & kProtRead ? 'r' : '-', m.prot & kProtWrite ? 'w' : '-',
                                       m.prot & kProtExec ? 'x' : '-');
        if (!name.empty()) line += std::string(line.size() < 73 ? 73 - line.size() : 1, ' ') + name;
        out += line + "\n";
      }
      break;
    }
    case vfs::ProcFile::hostname: out = kHostname; break;
    case vfs::ProcFile::none: break;
  }
  return out;
}

void Process::release(std::vector<OpenFile>& released) {
  for (const OpenFile& f : released)
    if (f.ino) vfs_.closed(f.ino);
  if (!released.empty()) fd_ready_changed();  // a pipe's reader may now see the end, a writer EPIPE
  released.clear();
}

std::optional<OutsideLookup> Process::outside_lookup() {
  if (fs_.outside_path.empty()) return std::nullopt;
  if (vfs_.resolve(vfs_.root(), fs_.outside_absolute).error != ENOENT) return std::nullopt;  // made meanwhile
  return OutsideLookup{fs_.outside_path, fs_.outside_absolute, fs_.outside_relative};
}

}  // namespace gostep
