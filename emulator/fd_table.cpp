#include "fd_table.h"

#include <fcntl.h>

#include <cerrno>

namespace gostep {

FdTable::FdTable() {
  for (int fd = 0; fd < 3; ++fd) {
    OpenFile f;
    f.kind = OpenFile::Kind::host_stdio;
    f.stream = fd;
    f.status_flags = O_RDWR;
    add(std::move(f), false);
  }
}

OpenFile* FdTable::get(int fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : &descs_.at(it->second);
}

std::optional<DescId> FdTable::desc_of(int fd) const {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return std::nullopt;
  return it->second;
}

OpenFile* FdTable::description(DescId id) {
  auto it = descs_.find(id);
  return it == descs_.end() ? nullptr : &it->second;
}

namespace {
int lowest_free(const std::map<int, DescId>& fds, int min_fd) {
  int fd = min_fd;
  for (auto it = fds.lower_bound(min_fd); it != fds.end() && it->first == fd; ++it) ++fd;
  return fd;
}
}  // namespace

int FdTable::add(OpenFile f, bool cloexec, int min_fd, int limit) {
  const int fd = lowest_free(fds_, min_fd);
  if (fd >= limit) return -EMFILE;
  const DescId id = next_desc_++;
  if (f.kind == OpenFile::Kind::pipe_read) ++pipes_.at(f.pipe).readers;
  if (f.kind == OpenFile::Kind::pipe_write) ++pipes_.at(f.pipe).writers;
  descs_[id] = std::move(f);
  refs_[id] = 1;
  fds_[fd] = id;
  cloexec_[fd] = cloexec;
  return fd;
}

int FdTable::dup(int fd, int min_fd, bool cloexec, int limit) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return -EBADF;
  const int nfd = lowest_free(fds_, min_fd);
  if (nfd >= limit) return -EMFILE;
  fds_[nfd] = it->second;
  cloexec_[nfd] = cloexec;
  ++refs_[it->second];
  return nfd;
}

int FdTable::dup_to(int fd, int newfd, bool cloexec, std::vector<OpenFile>& released) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return -EBADF;
  const DescId id = it->second;
  if (fd != newfd) {
    ++refs_[id];  // first, in case newfd held the same description
    close(newfd, released);
    fds_[newfd] = id;
  }
  cloexec_[newfd] = cloexec;
  return newfd;
}

void FdTable::unref(DescId id, std::vector<OpenFile>& released) {
  if (--refs_[id] > 0) return;
  OpenFile& f = descs_.at(id);
  if (f.kind == OpenFile::Kind::pipe_read || f.kind == OpenFile::Kind::pipe_write) {
    Pipe& p = pipes_.at(f.pipe);
    (f.kind == OpenFile::Kind::pipe_read ? p.readers : p.writers)--;
    if (p.readers == 0 && p.writers == 0) pipes_.erase(f.pipe);
  }
  released.push_back(std::move(f));
  descs_.erase(id);
  refs_.erase(id);
}

bool FdTable::close(int fd, std::vector<OpenFile>& released) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return false;
  const DescId id = it->second;
  fds_.erase(it);
  cloexec_.erase(fd);
  unref(id, released);
  return true;
}

bool FdTable::cloexec(int fd) const {
  auto it = cloexec_.find(fd);
  return it != cloexec_.end() && it->second;
}

void FdTable::set_cloexec(int fd, bool on) {
  if (fds_.count(fd)) cloexec_[fd] = on;
}

std::size_t FdTable::refs(DescId id) const {
  auto it = refs_.find(id);
  return it == refs_.end() ? 0 : it->second;
}

PipeId FdTable::new_pipe() {
  const PipeId id = next_pipe_++;
  pipes_[id] = Pipe{};
  return id;
}

Pipe* FdTable::pipe(PipeId id) {
  auto it = pipes_.find(id);
  return it == pipes_.end() ? nullptr : &it->second;
}

}  // namespace gostep
