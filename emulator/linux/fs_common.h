// What the file-system families share: paths from guest memory resolved from
// a directory descriptor, struct stat, the virtual wall clock as a file time,
// and reading and writing an open file description of any kind.
#pragma once

#include <optional>
#include <string>

#include "handlers.h"

namespace gostep::linux_abi {

inline constexpr std::int64_t kAtFdcwd = -100;

vfs::Timespec now_ts(Process& p);

// The soft RLIMIT_NOFILE: descriptors must stay below it (fcntl.cpp).
int fd_limit(Process& p);

// How read and write end: block a blocking descriptor that is not ready
// (io.cpp); a write to a pipe with no reader raises SIGPIPE.
SysResult finish_read(Process& p, Thread& t, const SyscallArgs& a, OpenFile& f, std::int64_t r);
SysResult finish_write(Process& p, Thread& t, const SyscallArgs& a, OpenFile& f, std::int64_t r,
                       std::uint64_t count, int count_arg);

// The directory a relative path starts from: the working directory for
// AT_FDCWD, else the directory open at `dirfd`. 0 or -errno (EBADF, ENOTDIR).
int start_dir(Process& p, std::int64_t dirfd, vfs::Ino& out);

struct PathArg {
  std::string text;     // as the guest wrote it
  vfs::Resolved r;
};

// Reads the path at `addr` and resolves it from `dirfd`. Returns 0, or -errno
// for a bad pointer, descriptor or (unless `empty_ok`, AT_EMPTY_PATH) an empty
// path; a path that does not resolve is reported in `out.r.error`, and when it
// was looked for outside every grant, remembered for the hint at exit.
int path_at(Process& p, std::int64_t dirfd, GuestAddr addr, vfs::ResolveFlags flags, PathArg& out,
            bool empty_ok = false);

// st_mode of a node (S_IFMT and the permission bits).
std::uint32_t mode_of(const vfs::Node& n);
// DT_* of a node, for getdents64.
std::uint8_t dirent_type(const vfs::Node& n);

// struct stat (x86-64, 144 bytes) of a node or of an open description.
struct StatData {
  std::uint64_t dev = 0, ino = 0, nlink = 1, rdev = 0, size = 0, blocks = 0;
  std::uint32_t mode = 0, uid = 0, gid = 0;
  std::uint64_t blksize = 4096;
  vfs::Timespec atime, mtime, ctime;
};
StatData stat_node(Process& p, vfs::Ino ino);
StatData stat_desc(Process& p, OpenFile& f);
bool write_stat(Process& p, GuestAddr addr, const StatData& s);

// Reads and writes an open description at its offset, or at `pos` (pread).
// -EAGAIN means it would block: the caller blocks a blocking descriptor.
std::int64_t read_desc(Process& p, OpenFile& f, std::uint8_t* buf, std::uint64_t n, std::optional<std::uint64_t> pos);
std::int64_t write_desc(Process& p, OpenFile& f, const std::uint8_t* buf, std::uint64_t n,
                        std::optional<std::uint64_t> pos);
// Whether a read of `f` waits for the host's stdin (when it would block).
bool reads_host_stdin(const OpenFile& f);

}  // namespace gostep::linux_abi
