#include "host_io_replay.h"

#include <fmt/format.h>

#include <cstring>

namespace gostep {

void ReplayHostIo::begin_run(bool replay_output) {
  pos_ = 0;
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
  Answer& a = log_.emplace_back();
  a.key = std::move(key);
  a.value = value;
  pos_ = log_.size();
  return a;
}

// ------------------------------------------------------------ granted directories

int ReplayHostIo::add_root(const std::string& host_dir) {
  const std::string key = "add_root " + host_dir;
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->add_root(host_dir)).value);
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
  record(key, r).entries = std::move(got);
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
  if (r > 0) a.bytes.assign(static_cast<const std::uint8_t*>(buf), static_cast<const std::uint8_t*>(buf) + r);
  return r;
}

// Changes through a writable grant: made the first time only.
std::int64_t ReplayHostIo::pwrite(int root, const std::string& rel, std::uint64_t offset, const void* buf,
                                  std::uint64_t n) {
  const std::string key = fmt::format("pwrite {} {} {} {}", root, rel, offset, n);
  if (const Answer* a = replayed(key)) return a->value;
  return record(key, host_->pwrite(root, rel, offset, buf, n)).value;
}

int ReplayHostIo::create(int root, const std::string& rel, std::uint32_t perm) {
  const std::string key = fmt::format("create {} {} {:o}", root, rel, perm);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->create(root, rel, perm)).value);
}

int ReplayHostIo::mkdir(int root, const std::string& rel, std::uint32_t perm) {
  const std::string key = fmt::format("mkdir {} {} {:o}", root, rel, perm);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->mkdir(root, rel, perm)).value);
}

int ReplayHostIo::symlink(int root, const std::string& target, const std::string& rel) {
  const std::string key = fmt::format("symlink {} {} {}", root, target, rel);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->symlink(root, target, rel)).value);
}

int ReplayHostIo::link(int root, const std::string& from, const std::string& to) {
  const std::string key = fmt::format("link {} {} {}", root, from, to);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->link(root, from, to)).value);
}

int ReplayHostIo::remove(int root, const std::string& rel, bool dir) {
  const std::string key = fmt::format("remove {} {} {}", root, rel, dir);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->remove(root, rel, dir)).value);
}

int ReplayHostIo::rename(int root, const std::string& from, const std::string& to, bool exchange) {
  const std::string key = fmt::format("rename {} {} {} {}", root, from, to, exchange);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->rename(root, from, to, exchange)).value);
}

int ReplayHostIo::truncate(int root, const std::string& rel, std::uint64_t size) {
  const std::string key = fmt::format("truncate {} {} {}", root, rel, size);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->truncate(root, rel, size)).value);
}

int ReplayHostIo::chmod(int root, const std::string& rel, std::uint32_t perm) {
  const std::string key = fmt::format("chmod {} {} {:o}", root, rel, perm);
  if (const Answer* a = replayed(key)) return static_cast<int>(a->value);
  return static_cast<int>(record(key, host_->chmod(root, rel, perm)).value);
}

// ------------------------------------------------------------ standard streams

StreamKind ReplayHostIo::stream_kind(int stream) {
  const std::string key = fmt::format("stream_kind {}", stream);
  if (const Answer* a = replayed(key)) return static_cast<StreamKind>(a->value);
  return static_cast<StreamKind>(record(key, static_cast<std::int64_t>(host_->stream_kind(stream))).value);
}

std::int64_t ReplayHostIo::read_stream(int stream, void* buf, std::uint64_t n) {
  const std::string key = fmt::format("read_stream {} {}", stream, n);
  if (const Answer* a = replayed(key)) {
    if (!a->bytes.empty()) std::memcpy(buf, a->bytes.data(), a->bytes.size());
    return a->value;
  }
  const std::int64_t r = host_->read_stream(stream, buf, n);
  Answer& a = record(key, r);
  if (r > 0) a.bytes.assign(static_cast<const std::uint8_t*>(buf), static_cast<const std::uint8_t*>(buf) + r);
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
  if (const Answer* a = replayed("stdin_ready")) return a->value != 0;
  return record("stdin_ready", host_->stdin_ready() ? 1 : 0).value != 0;
}

// Waiting for the host: the real time waited moves the virtual clock, so a
// replayed wait takes no time and answers what the first one measured.
std::uint64_t ReplayHostIo::wait(bool for_stdin, std::optional<std::uint64_t> timeout_ns) {
  const std::string key = fmt::format("wait {} {}", for_stdin, timeout_ns ? std::to_string(*timeout_ns) : "-");
  if (const Answer* a = replayed(key)) return static_cast<std::uint64_t>(a->value);
  return static_cast<std::uint64_t>(record(key, static_cast<std::int64_t>(host_->wait(for_stdin, timeout_ns))).value);
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
  if (r == 0 && filled) a.bytes.assign(buf, buf + filled);
  return r;
}

}  // namespace gostep
