// Everything the Linux layer asks of the host, behind one interface: the bytes
// of granted directories, gostep's own stdin/stdout/stderr and their terminal.
// Nothing else in emulator/ reads or writes host files. This is the seam where
// time travel (issue 8) will record what the host answered and replay it, and
// where tests put a fake host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vfs/node.h"

namespace gostep {

// What one of gostep's standard streams is connected to.
enum class StreamKind { none, terminal, pipe, file, chardev, other };  // chardev: not a terminal (/dev/null)

struct HostFileInfo {
  vfs::NodeKind kind = vfs::NodeKind::other;
  std::uint32_t perm = 0;       // permission bits
  std::uint32_t type_bits = 0;  // S_IFMT bits of a kind `other` (a FIFO, a socket, a device)
  std::uint64_t size = 0;
};

struct HostDirEntry {
  std::string name;
  HostFileInfo info;
  std::string link_target;  // symbolic links
};

// The kernel's struct termios (TCGETS/TCSETS: 36 bytes) and struct winsize (8).
inline constexpr std::size_t kTermiosSize = 36;
inline constexpr std::size_t kWinsizeSize = 8;

class HostIo {
 public:
  virtual ~HostIo() = default;

  // --- Granted directories. `root` is what add_root returned; `rel` is a path
  // below that directory built from names gostep listed itself ("" is the root).
  // Implementations must never follow a symbolic link on the host. Errors: -errno.
  virtual int add_root(const std::string& host_dir) = 0;
  virtual int info(int root, const std::string& rel, HostFileInfo& out) = 0;
  virtual int list(int root, const std::string& rel, std::vector<HostDirEntry>& out) = 0;
  virtual std::int64_t pread(int root, const std::string& rel, std::uint64_t offset, void* buf, std::uint64_t n) = 0;
  // Changes, for read-write grants only.
  virtual std::int64_t pwrite(int root, const std::string& rel, std::uint64_t offset, const void* buf,
                              std::uint64_t n) = 0;
  virtual int create(int root, const std::string& rel, std::uint32_t perm) = 0;  // a new, empty file
  virtual int mkdir(int root, const std::string& rel, std::uint32_t perm) = 0;
  virtual int symlink(int root, const std::string& target, const std::string& rel) = 0;
  virtual int link(int root, const std::string& from, const std::string& to) = 0;
  virtual int remove(int root, const std::string& rel, bool dir) = 0;
  virtual int rename(int root, const std::string& from, const std::string& to, bool exchange) = 0;
  virtual int truncate(int root, const std::string& rel, std::uint64_t size) = 0;
  virtual int chmod(int root, const std::string& rel, std::uint32_t perm) = 0;

  // --- gostep's standard streams: 0 stdin, 1 stdout, 2 stderr.
  virtual StreamKind stream_kind(int stream) = 0;
  virtual std::int64_t read_stream(int stream, void* buf, std::uint64_t n) = 0;
  virtual std::int64_t write_stream(int stream, const void* buf, std::uint64_t n) = 0;
  // True when a read of stdin would not block now (data, end of file or an error).
  virtual bool stdin_ready() = 0;
  // Waits in real time until stdin is ready (when `for_stdin`), the host
  // wake-up descriptor is written (a signal for the guest arrived), or
  // `timeout_ns` passes (none: no limit). Returns the real nanoseconds waited.
  virtual std::uint64_t wait(bool for_stdin, std::optional<std::uint64_t> timeout_ns) = 0;
  // TCGETS, TCSETS, TCSETSW, TCSETSF and TIOCGWINSZ on a stream that is a
  // terminal (the buffer holds kTermiosSize or kWinsizeSize bytes); -ENOTTY otherwise.
  virtual int terminal(int stream, std::uint64_t request, std::uint8_t* buf) = 0;
};

}  // namespace gostep
