// <dirent.h>: getdents64. A directory's entries are read when its first
// getdents64 asks (after ".", ".."), in name order, and the offset is an index
// into that list; lseek to 0 reads the directory again.
#include <cerrno>
#include <cstring>
#include <vector>

#include "fs_common.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(getdents64) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  vfs::Vfs& v = p.vfs();
  const vfs::Node* dir = f->kind == OpenFile::Kind::node ? v.get(f->ino) : nullptr;
  if (!dir || dir->kind != vfs::NodeKind::dir) return SysResult::ret(-ENOTDIR);
  if (!f->listed) {
    f->listing.clear();
    f->listing.push_back({".", f->ino, 4});
    f->listing.push_back({"..", dir->parent, 4});
    for (const auto& [name, ino] : v.entries(f->ino)) f->listing.push_back({name, ino, dirent_type(*v.get(ino))});
    f->listed = true;
  }
  const std::uint64_t cap = std::min<std::uint64_t>(a.a[2], 1 << 20);
  std::vector<std::uint8_t> out;
  std::uint64_t i = f->offset;
  for (; i < f->listing.size(); ++i) {
    const DirListEntry& e = f->listing[i];
    // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }, 8-aligned.
    const std::size_t reclen = (19 + e.name.size() + 1 + 7) & ~std::size_t{7};
    if (out.size() + reclen > cap) break;
    const std::size_t at = out.size();
    out.resize(at + reclen, 0);
    const std::uint64_t next = i + 1;
    const auto len16 = static_cast<std::uint16_t>(reclen);
    std::memcpy(out.data() + at, &e.ino, 8);
    std::memcpy(out.data() + at + 8, &next, 8);
    std::memcpy(out.data() + at + 16, &len16, 2);
    out[at + 18] = e.type;
    std::memcpy(out.data() + at + 19, e.name.data(), e.name.size());
  }
  if (out.empty() && i < f->listing.size()) return SysResult::ret(-EINVAL);  // the buffer holds not even one
  if (!out.empty() && !p.memory().write(a.a[1], out.data(), out.size())) return SysResult::ret(-EFAULT);
  f->offset = i;
  return SysResult::ret(static_cast<std::int64_t>(out.size()));
}

}  // namespace gostep::linux_abi
