// A HostIo for a recorded run (time travel, issue 8): the first time the guest
// reaches a moment, every question it asks the host goes to the real host and
// the answer is logged; when the same stretch is executed again (a rewind
// re-executes from the entry), the answers come from the log and the host is
// not touched. So outside effects happen once: output already written is not
// written again, input already read (stdin, files of a grant) reads the same,
// a change through a writable grant is made only the first time, and the time
// spent waiting for the host is the same (the virtual clock depends on it).
//
// Answers are matched by position: the n-th call of a run gets the n-th
// answer. A call that is not the one logged there (the user changed the run:
// `set var`, `queue-signal`) means the past has been rewritten: the log is cut
// there and the run goes on live.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host_io.h"
#include "process_options.h"

namespace gostep {

class ReplayHostIo final : public HostIo {
 public:
  explicit ReplayHostIo(std::shared_ptr<HostIo> host) : host_(std::move(host)) {}

  // A new execution from the entry point: answers are given from the log's
  // start. `replay_output` false (the user's `run`: a new run shows its output)
  // writes the guest's output to the host again; inputs are still replayed.
  // `from`: a run that starts from a checkpoint goes on from the answer the
  // run had reached there (a used() of then).
  void begin_run(bool replay_output, std::size_t from = 0);
  bool replaying_output() const { return replay_output_; }
  // Answers logged so far, and how many of them this run has used.
  std::size_t logged() const { return log_.size(); }
  std::size_t used() const { return pos_; }
  // Forgets the log (the recording is discarded).
  void clear() {
    log_.clear();
    pos_ = 0;
    held_ = 0;
  }
  // Bytes the log holds (answers, their keys and what was read).
  std::size_t held_bytes() const { return held_; }
  // Forgets the log and logs nothing more: every call goes to the host.
  void stop_logging();

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
  // One call and what the host answered.
  struct Answer {
    std::string key;                      // the call and the arguments that decide the answer
    std::int64_t value = 0;
    std::vector<std::uint8_t> bytes;      // what was read into the caller's buffer
    HostFileInfo info;
    std::vector<HostDirEntry> entries;
  };
  // The logged answer for this call, or null when it must go to the host (then
  // the caller logs it with record()).
  const Answer* replayed(const std::string& key);
  Answer& record(std::string key, std::int64_t value);
  void keep_bytes(Answer& a, const void* bytes, std::size_t n);
  template <class Live>
  std::int64_t answer(std::string key, Live live);

  std::shared_ptr<HostIo> host_;
  std::vector<Answer> log_;
  std::size_t pos_ = 0;
  bool replay_output_ = true;
  bool logging_ = true;
  std::size_t held_ = 0;
  Answer scratch_;  // what record() fills when nothing is logged
};

// Puts a ReplayHostIo between the host `o` names (or the real one) and the
// processes made with `o`, and returns it.
std::shared_ptr<ReplayHostIo> replay_through(ProcessOptions& o);

}  // namespace gostep
