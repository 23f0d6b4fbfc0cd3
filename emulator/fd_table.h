// The guest's file descriptors and open file descriptions, as Linux keeps
// them: a descriptor (with its own close-on-exec flag) refers to an open file
// description (offset, status flags), which dup() shares. Only three
// descriptions reach the host: 0, 1 and 2 are gostep's own stdin, stdout and
// stderr (through HostIo). Everything else (files of the guest's file system,
// pipes, eventfds, epoll instances, /proc files) lives here.
//
// Everything is a plain value keyed by number (descriptions, pipes), so the
// table copies and restores like any value (time travel's snapshot).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vfs/node.h"

namespace gostep {

using DescId = std::uint64_t;
using PipeId = std::uint64_t;

inline constexpr std::size_t kPipeCapacity = 65536;  // Linux's default pipe buffer
inline constexpr std::size_t kPipeBuf = 4096;        // PIPE_BUF: writes up to this size are atomic

struct Pipe {
  std::deque<std::uint8_t> data;
  int readers = 0;  // open descriptions of each end
  int writers = 0;
  bool operator==(const Pipe&) const = default;
};

struct EpollInterest {
  int fd = 0;
  std::uint32_t events = 0;
  std::uint64_t data = 0;
  bool armed = true;  // EPOLLET: reported once per new event on the fd
  bool operator==(const EpollInterest&) const = default;
};

struct EpollInstance {
  std::vector<EpollInterest> interests;  // in the order they were added
  bool operator==(const EpollInstance&) const = default;
};

struct DirListEntry {
  std::string name;
  vfs::Ino ino = 0;
  std::uint8_t type = 0;  // DT_*
  bool operator==(const DirListEntry&) const = default;
};

struct OpenFile {
  enum class Kind { host_stdio, pipe_read, pipe_write, eventfd, epoll, proc_file, node } kind = Kind::node;
  int stream = -1;                // host_stdio: 0, 1 or 2 (gostep's stdin, stdout, stderr)
  PipeId pipe = 0;                // pipe ends
  std::uint64_t counter = 0;      // eventfd
  EpollInstance epoll;            // epoll
  std::string contents;           // proc_file: made when opened
  vfs::Ino ino = 0;               // node and proc_file: a file, directory or device of the guest's file system
  std::uint64_t offset = 0;
  std::uint32_t status_flags = 0; // O_ACCMODE, O_APPEND, O_NONBLOCK... (F_GETFL)
  std::vector<DirListEntry> listing;  // a directory's entries, read at its first getdents64
  bool listed = false;
  bool operator==(const OpenFile&) const = default;
};

class FdTable {
 public:
  FdTable();
  OpenFile* get(int fd);
  std::optional<DescId> desc_of(int fd) const;
  OpenFile* description(DescId id);
  // A new description at the lowest free descriptor >= min_fd, below `limit`
  // (RLIMIT_NOFILE): the descriptor, or -EMFILE.
  int add(OpenFile f, bool cloexec, int min_fd = 0, int limit = 1 << 20);
  // dup/F_DUPFD: another descriptor for fd's description, >= min_fd; -EBADF, -EMFILE.
  int dup(int fd, int min_fd, bool cloexec, int limit);
  // dup2/dup3: `newfd` now refers to fd's description; what newfd had is released.
  int dup_to(int fd, int newfd, bool cloexec, std::vector<OpenFile>& released);
  // Closes `fd`. The description comes back in `released` when this was its
  // last descriptor (the caller releases what it holds: a node, a pipe end).
  bool close(int fd, std::vector<OpenFile>& released);
  bool cloexec(int fd) const;
  void set_cloexec(int fd, bool on);
  std::size_t refs(DescId id) const;

  PipeId new_pipe();
  Pipe* pipe(PipeId id);

  const std::map<int, DescId>& fds() const { return fds_; }
  std::map<DescId, OpenFile>& descriptions() { return descs_; }
  bool operator==(const FdTable&) const = default;

 private:
  void unref(DescId id, std::vector<OpenFile>& released);

  std::map<int, DescId> fds_;
  std::map<int, bool> cloexec_;  // per descriptor (FD_CLOEXEC)
  std::map<DescId, OpenFile> descs_;
  std::map<DescId, std::size_t> refs_;
  std::map<PipeId, Pipe> pipes_;
  DescId next_desc_ = 1;
  PipeId next_pipe_ = 1;
};

}  // namespace gostep
