#include "milestone_timeline.h"

#include <fcntl.h>
#include <unistd.h>


#include "session/session.h"

namespace gostep::engine {

std::vector<MilestoneTime> milestone_timeline(const std::string& path, ProcessOptions options) {
  // The scratch run writes nowhere and reads nothing: /dev/null for its output.
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  options.stdout_fd = options.stderr_fd = null_fd;
  options.stdin_fd = -1;
  options.track_writes = false;
  std::vector<MilestoneTime> out;
  {
    Session s(path, options);
    std::vector<Location> targets;
    std::vector<std::size_t> index;  // targets[k] is out[index[k]]
    for (const auto& m : s.milestones()) {
      MilestoneTime t{m.name, m.description, m.pc, std::nullopt, std::nullopt, m.why_missing};
      if (m.pc) {
        Location l;
        l.addr = *m.pc;
        l.text = "milestone:" + m.name;
        targets.push_back(l);
        index.push_back(out.size());
      }
      out.push_back(std::move(t));
    }
    std::string ended;
    while (!targets.empty()) {
      std::vector<std::size_t> hit;
      const StopReason r = s.run_to(targets, hit);
      if (hit.empty()) {
        ended = r.kind == StopKind::exited ? "the program exited before reaching it" : "the program stopped before reaching it";
        break;
      }
      const std::uint64_t insn = s.next_insn();
      std::optional<model::RuntimeState> st;
      if (s.model()) st = s.capture();
      for (std::size_t h : hit) {
        out[index[h]].insn = insn;
        out[index[h]].state = st;
      }
      // The ones hit are done (their first time has passed).
      std::vector<Location> left;
      std::vector<std::size_t> left_index;
      for (std::size_t k = 0; k < targets.size(); ++k) {
        bool was_hit = false;
        for (std::size_t h : hit) was_hit |= h == k;
        if (!was_hit) {
          left.push_back(targets[k]);
          left_index.push_back(index[k]);
        }
      }
      targets = std::move(left);
      index = std::move(left_index);
    }
    for (std::size_t k : index) out[k].why_missing = ended;
  }
  if (null_fd >= 0) ::close(null_fd);
  return out;
}

std::optional<std::size_t> milestone_at_or_after(const std::vector<MilestoneTime>& t, std::uint64_t insn) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].insn && *t[i].insn >= insn && (!best || *t[i].insn < *t[*best].insn)) best = i;
  return best;
}

std::optional<std::size_t> milestone_at_or_before(const std::vector<MilestoneTime>& t, std::uint64_t insn) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].insn && *t[i].insn <= insn && (!best || *t[i].insn >= *t[*best].insn)) best = i;
  return best;
}

}  // namespace gostep::engine
