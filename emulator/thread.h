// One emulated thread (a Linux task in the guest's thread group).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "guest.h"
#include "unicorn_engine.h"

namespace gostep {

enum class ThreadState { runnable, blocked, exited };

// Why a blocked thread waits, and so what wakes it.
enum class WaitKind { none, futex, sleep, epoll, yield, io };

struct AltStack {
  GuestAddr sp = 0;
  std::uint64_t size = 0;
  bool disabled = true;  // SS_DISABLE
};

struct PendingSignal {
  int sig = 0;
  int code = 0;          // si_code: SI_TKILL (-6), SEGV_MAPERR (1)...
  GuestAddr addr = 0;    // si_addr for faults
  int sender_pid = 0;
  bool from_user = false;  // queued from outside the guest (queue_user_signal): the debugger does not stop for it
};

// A thread's saved CPU state. Only UnicornEngine can copy one
// (copy_context), so copying a Thread (time travel's snapshot,
// process_snapshot.cpp) copies every other field and leaves this one empty
// for the caller to fill: a field added to Thread joins the snapshot by itself.
class SavedContext {
 public:
  SavedContext() = default;
  SavedContext(const SavedContext&) {}
  SavedContext& operator=(const SavedContext&) {
    ptr_.reset();
    return *this;
  }
  SavedContext(SavedContext&&) = default;
  SavedContext& operator=(SavedContext&&) = default;
  SavedContext& operator=(std::unique_ptr<UnicornEngine::Context> p) {
    ptr_ = std::move(p);
    return *this;
  }
  explicit operator bool() const { return ptr_ != nullptr; }
  UnicornEngine::Context& operator*() const { return *ptr_; }

 private:
  std::unique_ptr<UnicornEngine::Context> ptr_;
};

struct Thread {
  int tid = 0;
  ThreadState state = ThreadState::runnable;
  // CPU state while the thread is not on the CPU.
  SavedContext context;
  GuestAddr fs_base = 0;

  // Blocking.
  WaitKind wait = WaitKind::none;
  GuestAddr futex_addr = 0;
  std::optional<std::uint64_t> deadline;  // virtual monotonic ns
  std::int64_t timeout_result = 0;         // RAX when the deadline passes
  int epoll_fd = -1;
  GuestAddr epoll_events = 0;
  int epoll_max = 0;
  std::optional<std::int64_t> resume_result;  // RAX to load when it runs again
  // io: the read or write to make again when a descriptor may be ready.
  std::array<std::uint64_t, 7> retry{};  // number, then the six arguments
  bool retry_on_stdin = false;           // it waits for the host's stdin
  std::uint64_t io_done = 0;             // bytes a blocking write already wrote
  // A signal woke it from a call Linux restarts (ERESTARTSYS): with SA_RESTART
  // the call runs again after the handler, else it returns -EINTR.
  bool restart_pending = false;
  std::uint64_t restart_nr = 0;

  // Signals.
  std::uint64_t sigmask = 0;   // bit (sig-1)
  std::uint64_t pending = 0;   // bit (sig-1)
  PendingSignal pending_info[64];
  AltStack altstack;

  GuestAddr clear_child_tid = 0;
  std::uint64_t insns = 0;  // instructions this thread executed
  // Its last completed instruction transferred control (Process::after_transfer_).
  bool after_transfer = true;
};

}  // namespace gostep
