#include "host_io_replay.h"

#include "host_io_posix.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gostep {

std::shared_ptr<ReplayHostIo> replay_through(ProcessOptions& o) {
  std::shared_ptr<HostIo> host = o.host_io;
  if (!host) host = std::make_shared<PosixHostIo>(o.stdin_fd, o.stdout_fd, o.stderr_fd, o.terminals_visible, o.wake_fd);
  auto replay = std::make_shared<ReplayHostIo>(std::move(host));
  o.host_io = replay;
  return replay;
}

void ReplayHostIo::begin_run(bool replay_output, std::size_t from) {
  pos_ = std::min(from, log_.size());
  replay_output_ = replay_output;
}

const ReplayHostIo::Answer* ReplayHostIo::replayed(const std::string& key) {
  if (pos_ < log_.size()) {
    if (log_[pos_].key == key) return &log_[pos_++];
    log_.resize(pos_);  // a different call: this run's future is a new one
  }
  return nullptr;
}

ReplayHostIo::Answer& ReplayHostIo::record(std::string key, std::int64_t value) {
  if (!logging_) {
    scratch_ = Answer{};
    scratch_.value = value;
    return scratch_;
  }
  Answer& a = log_.emplace_back();
  a.key = std::move(key);
  a.value = value;
  pos_ = log_.size();
  held_ += sizeof(Answer) + a.key.size();
  return a;
}

void ReplayHostIo::keep_bytes(Answer& a, const void* bytes, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(bytes);
  a.bytes.assign(b, b + n);
  if (&a != &scratch_) held_ += n;
}

void ReplayHostIo::stop_logging() {
  clear();
  logging_ = false;
}

// A call whose whole answer is its value: from the log, or from the host and logged.
template <class Live>
std::int64_t ReplayHostIo::answer(std::string key, Live live) {
  if (const Answer* a = replayed(key)) return a->value;
  const std::int64_t v = live();
  return record(std::move(key), v).value;
}

// ------------------------------------------------------------ granted directories

int ReplayHostIo::add_root(const std::string& host_dir) {
  return static_cast<int>(answer("add_root " + host_dir, [&] { return host_->add_root(host_dir); }));
}

int ReplayHostIo::info(int root, const std::string& rel, HostFileInfo& out) {
  const std::string key = fmt::format("info {} {}", root, rel);
  if (const Answer* a = replayed(key)) {
    out = a->info;
    return static_cast<int>(a->value);
  }
  const int r = host_->info(root, rel, out);
  record(key, r).info = out;
  return r;
}

int ReplayHostIo::list(int root, const std::string& rel, std::vector<HostDirEntry>& out) {
  const std::string key = fmt::format("list {} {}", root, rel);
  if (const Answer* a = replayed(key)) {
    out.insert(out.end(), a->entries.begin(), a->entries.end());
    return static_cast<int>(a->value);
  }
  std::vector<HostDirEntry> got;
  const int r = host_->list(root, rel, got);
  out.insert(out.end(), got.begin(), got.end());
  Answer& a = record(key, r);
  if (&a == &scratch_) return r;  // nothing is logged
  for (const HostDirEntry& e : got) held_ += sizeof e + e.name.size();
  a.entries = std::move(got);
  return r;
}

std::int64_t ReplayHostIo::pread(int root, const std::string& rel, std::uint64_t offset, void* buf, std::uint64_t n) {
  const std::string key = fmt::format("pread {} {} {} {}", root, rel, offset, n);
  if (const Answer* a = replayed(key)) {
    if (!a->bytes.empty()) std::memcpy(buf, a->bytes.data(), a->bytes.size());
    return a->value;
  }
  const std::int64_t r = host_->pread(root, rel, offset, buf, n);
  Answer& a = record(key, r);
  if (r > 0) keep_bytes(a, buf, static_cast<std::size_t>(r));
  return r;
}

// Changes through a writable grant: made the first time only.
std::int64_t ReplayHostIo::pwrite(int root, const std::string& rel, std::uint64_t offset, const void* buf,
                                  std::uint64_t n) {
  return answer(fmt::format("pwrite {} {} {} {}", root, rel, offset, n), [&] { return host_->pwrite(root, rel, offset, buf, n); });
}

int ReplayHostIo::create(int root, const std::string& rel, std::uint32_t perm) {
  return static_cast<int>(answer(fmt::format("create {} {} {:o}", root, rel, perm), [&] { return host_->create(root, rel, perm); }));
}

int ReplayHostIo::mkdir(int root, const std::string& rel, std::uint32_t perm) {
  return static_cast<int>(answer(fmt::format("mkdir {} {} {:o}", root, rel, perm), [&] { return host_->mkdir(root, rel, perm); }));
}

int ReplayHostIo::symlink(int root, const std::string& target, const std::string& rel) {
  return static_cast<int>(answer(fmt::format("symlink {} {} {}", root, target, rel), [&] { return host_->symlink(root, target, rel); }));
}

int ReplayHostIo::link(int root, const std::string& from, const std::string& to) {
  return static_cast<int>(answer(fmt::format("link {} {} {}", root, from, to), [&] { return host_->link(root, from, to); }));
}

int ReplayHostIo::remove(int root, const std::string& rel, bool dir) {
  return static_cast<int>(answer(fmt::format("remove {} {} {}", root, rel, dir), [&] { return host_->remove(root, rel, dir); }));
}

int ReplayHostIo::rename(int root, const std::string& from, const std::string& to, bool exchange) {
  return static_cast<int>(answer(fmt::format("rename {} {} {} {}", root, from, to, exchange), [&] { return host_->rename(root, from, to, exchange); }));
}

int ReplayHostIo::truncate(int root, const std::string& rel, std::uint64_t size) {
  return static_cast<int>(answer(fmt::format("truncate {} {} {}", root, rel, size), [&] { return host_->truncate(root, rel, size); }));
}

int ReplayHostIo::chmod(int root, const std::string& rel, std::uint32_t perm) {
  return static_cast<int>(answer(fmt::format("chmod {} {} {:o}", root, rel, perm), [&] { return host_->chmod(root, rel, perm); }));
}

// ------------------------------------------------------------ standard streams

StreamKind ReplayHostIo::stream_kind(int stream) {
  return static_cast<StreamKind>(
      answer(fmt::format("stream_kind {}", stream), [&] { return static_cast<std::int64_t>(host_->stream_kind(stream)); }));
}

std::int64_t ReplayHostIo::read_stream(int stream, void* buf, std::uint64_t n) {
  const std::string key = fmt::format("read_stream {} {}", stream, n);
  if (const Answer* a = replayed(key)) {
    if (!a->bytes.empty()) std::memcpy(buf, a->bytes.data(), a->bytes.size());
    return a->value;
  }
  const std::int64_t r = host_->read_stream(stream, buf, n);
  Answer& a = record(key, r);
  if (r > 0) keep_bytes(a, buf, static_cast<std::size_t>(r));
  return r;
}

// The guest's output: written once, unless this run shows it again (`run`).
std::int64_t ReplayHostIo::write_stream(int stream, const void* buf, std::uint64_t n) {
  const std::string key = fmt::format("write_stream {} {}", stream, n);
  if (const Answer* a = replayed(key)) {
    if (!replay_output_) host_->write_stream(stream, buf, n);
    return a->value;
  }
  return record(key, host_->write_stream(stream, buf, n)).value;
}

bool ReplayHostIo::stdin_ready() {
  return answer("stdin_ready", [&] { return std::int64_t{host_->stdin_ready() ? 1 : 0}; }) != 0;
}

// Waiting for the host: the real time waited moves the virtual clock, so a
// replayed wait takes no time and answers what the first one measured.
std::uint64_t ReplayHostIo::wait(bool for_stdin, std::optional<std::uint64_t> timeout_ns) {
  const std::string key = fmt::format("wait {} {}", for_stdin, timeout_ns ? std::to_string(*timeout_ns) : "-");
  return static_cast<std::uint64_t>(
      answer(key, [&] { return static_cast<std::int64_t>(host_->wait(for_stdin, timeout_ns)); }));
}

int ReplayHostIo::terminal(int stream, std::uint64_t request, std::uint8_t* buf) {
  const std::string key = fmt::format("terminal {} {:#x}", stream, request);
  if (const Answer* a = replayed(key)) {
    if (!a->bytes.empty()) std::memcpy(buf, a->bytes.data(), a->bytes.size());
    return static_cast<int>(a->value);
  }
  const int r = host_->terminal(stream, request, buf);
  Answer& a = record(key, r);
  // TCGETS and TIOCGWINSZ fill the buffer; a TCSETS* reads it (nothing to give back).
  const std::size_t filled = request == 0x5401 ? kTermiosSize : request == 0x5413 ? kWinsizeSize : 0;
  if (r == 0 && filled) keep_bytes(a, buf, filled);
  return r;
}

}  // namespace gostep
