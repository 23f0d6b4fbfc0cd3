// HostIo on the real machine. Granted directories are opened once; every
// path below them is walked one name at a time with O_NOFOLLOW, so a host
// symbolic link (even one that appears while the guest runs) is never
// followed. Terminal settings the guest changes are restored when this object
// goes away (gostep's exit).
#pragma once

#include <array>
#include <map>

#include "host_io.h"

namespace gostep {

class PosixHostIo final : public HostIo {
 public:
  // stdin_fd -1: stdin is empty. With `terminals_visible` false, no stream is
  // a terminal for the guest (`gostep debug`). `wake_fd` (or -1) ends a wait().
  PosixHostIo(int stdin_fd, int stdout_fd, int stderr_fd, bool terminals_visible, int wake_fd);
  ~PosixHostIo() override;
  PosixHostIo(const PosixHostIo&) = delete;
  PosixHostIo& operator=(const PosixHostIo&) = delete;

  int add_root(const std::string& host_dir) override;
  int info(int root, const std::string& rel, HostFileInfo& out) override;
  int list(int root, const std::string& rel, std::vector<HostDirEntry>& out) override;
  std::int64_t pread(int root, const std::string& rel, std::uint64_t offset, void* buf, std::uint64_t n) override;
  std::int64_t pwrite(int root, const std::string& rel, std::uint64_t offset, const void* buf,
                      std::uint64_t n) override;
  int create(int root, const std::string& rel, std::uint32_t perm) override;
  int mkdir(int root, const std::string& rel, std::uint32_t perm) override;
  int symlink(int root, const std::string& target, const std::string& rel) override;
  int link(int root, const std::string& from, const std::string& to) override;
  int remove(int root, const std::string& rel, bool dir) override;
  int rename(int root, const std::string& from, const std::string& to, bool exchange) override;
  int truncate(int root, const std::string& rel, std::uint64_t size) override;
  int chmod(int root, const std::string& rel, std::uint32_t perm) override;

  StreamKind stream_kind(int stream) override;
  std::int64_t read_stream(int stream, void* buf, std::uint64_t n) override;
  std::int64_t write_stream(int stream, const void* buf, std::uint64_t n) override;
  bool stdin_ready() override;
  std::uint64_t wait(bool for_stdin, std::optional<std::uint64_t> timeout_ns) override;
  int terminal(int stream, std::uint64_t request, std::uint8_t* buf) override;

 private:
  // An O_PATH descriptor of the directory that holds `rel`'s last name (the
  // root's own for ""), and that name ("" for the root). -errno on failure.
  int walk(int root, const std::string& rel, std::string& last);
  int open_file(int root, const std::string& rel, int flags);

  std::vector<int> roots_;
  std::array<int, 3> streams_;
  bool terminals_visible_;
  int wake_fd_;
  std::map<int, std::array<std::uint8_t, 64>> saved_termios_;  // by host fd, before the guest's first TCSETS
};

}  // namespace gostep
