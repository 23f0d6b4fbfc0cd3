#include "fd_table.h"

#include <fcntl.h>

namespace gostep {

FdTable::FdTable() {
  for (int fd = 0; fd < 3; ++fd) {
    auto f = std::make_shared<OpenFile>();
    f->kind = OpenFile::Kind::host_stdio;
    f->host_fd = fd;
    f->status_flags = O_RDWR;
    files_[fd] = f;
  }
}

OpenFile* FdTable::get(int fd) {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : it->second.get();
}

int FdTable::add(std::shared_ptr<OpenFile> f) {
  int fd = 0;
  for (const auto& [n, file] : files_) {
    if (n != fd) break;
    ++fd;
  }
  files_[fd] = std::move(f);
  return fd;
}

bool FdTable::close(int fd) {
  auto it = files_.find(fd);
  if (it == files_.end()) return false;
  OpenFile& f = *it->second;
  if (it->second.use_count() == 1 && f.pipe) {
    if (f.kind == OpenFile::Kind::pipe_read) f.pipe->read_open = false;
    if (f.kind == OpenFile::Kind::pipe_write) f.pipe->write_open = false;
  }
  files_.erase(it);
  return true;
}

}  // namespace gostep
