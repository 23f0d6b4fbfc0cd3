// The guest's file descriptors. Only three reach the host: 0, 1 and 2 are
// gostep's own stdin, stdout and stderr. Everything else (pipes, eventfds,
// epoll instances, the few virtual files the runtime reads) lives here.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gostep {

struct Pipe {
  std::deque<std::uint8_t> data;
  bool read_open = true;
  bool write_open = true;
};

struct EpollInterest {
  int fd = 0;
  std::uint32_t events = 0;
  std::uint64_t data = 0;
  bool armed = true;  // EPOLLET: reported once per new event on the fd
};

struct EpollInstance {
  std::vector<EpollInterest> interests;  // in the order they were added
};

struct OpenFile {
  enum class Kind { host_stdio, pipe_read, pipe_write, eventfd, epoll, virtual_file } kind;
  int host_fd = -1;                     // host_stdio
  std::shared_ptr<Pipe> pipe;           // pipe ends
  std::uint64_t counter = 0;            // eventfd
  std::shared_ptr<EpollInstance> epoll; // epoll
  std::string contents;                 // virtual_file
  std::size_t offset = 0;
  std::uint32_t status_flags = 0;       // O_NONBLOCK etc. (F_GETFL)
  bool cloexec = false;
};

class FdTable {
 public:
  FdTable();
  OpenFile* get(int fd);
  int add(std::shared_ptr<OpenFile> f);  // lowest free descriptor
  bool close(int fd);
  const std::map<int, std::shared_ptr<OpenFile>>& all() const { return files_; }

 private:
  std::map<int, std::shared_ptr<OpenFile>> files_;
};

}  // namespace gostep
