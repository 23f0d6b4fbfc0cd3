// The file-system handlers called directly on a real Process (guest memory is
// real; the host is a fake): openat2's restrictions, /proc/self, /dev, the
// working directory, umask, F_DUPFD and the descriptors' close-on-exec.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "emulator/elf_image.h"
#include "emulator/linux/handlers.h"
#include "emulator/process.h"
#include "fake_host.h"

namespace gostep {
namespace {

constexpr GuestAddr kScratch = 0x200000000ULL;
constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);
using Handler = SysResult (*)(Process&, Thread&, const SyscallArgs&);

struct Fixture {
  ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/empty");
  std::shared_ptr<test::FakeHost> host = std::make_shared<test::FakeHost>();
  std::unique_ptr<Process> p;
  GuestAddr next = kScratch;
  Fixture() {
    ProcessOptions o;
    o.argv = {"./empty", "one", "two"};
    o.host_io = host;
    p = std::make_unique<Process>(img, o);
    p->memory().map_fixed(kScratch, 16 * kPageSize, kProtRead | kProtWrite, "scratch");
  }
  GuestAddr str(const std::string& s) {
    const GuestAddr a = next;
    EXPECT_TRUE(p->memory().write(a, s.c_str(), s.size() + 1));
    next += (s.size() + 16) & ~std::uint64_t{7};
    return a;
  }
  GuestAddr buf(std::size_t n) {
    const GuestAddr a = next;
    next += (n + 15) & ~std::uint64_t{7};
    return a;
  }
  std::int64_t call(Handler fn, std::uint64_t a0 = 0, std::uint64_t a1 = 0, std::uint64_t a2 = 0, std::uint64_t a3 = 0) {
    SyscallArgs a;
    a.a[0] = a0, a.a[1] = a1, a.a[2] = a2, a.a[3] = a3;
    return fn(*p, p->current(), a).value;
  }
  std::int64_t openat2(const std::string& path, std::uint64_t flags, std::uint64_t resolve, std::uint64_t size = 24) {
    const GuestAddr how = buf(24);
    const std::uint64_t v[3] = {flags, 0, resolve};
    p->memory().write(how, v, sizeof v);
    return call(linux_abi::sys_openat2, kAtFdcwd, str(path), how, size);
  }
  std::string read_all(int fd) {
    std::string out;
    const GuestAddr b = buf(4096);
    for (;;) {
      const std::int64_t n = call(linux_abi::sys_read, static_cast<std::uint64_t>(fd), b, 4096);
      if (n <= 0) break;
      std::string chunk(static_cast<std::size_t>(n), '\0');
      p->memory().read(b, chunk.data(), chunk.size());
      out += chunk;
    }
    return out;
  }
};

TEST(FsSyscalls, Openat2ResolvesWithLinuxsRestrictions) {
  Fixture f;
  constexpr std::uint64_t kNoMagic = 0x02, kNoSymlinks = 0x04, kBeneath = 0x08;
  EXPECT_EQ(f.openat2("/proc/self/root", O_RDONLY, 0), -ENOENT);
  EXPECT_EQ(f.openat2("/proc/self/cwd", O_RDONLY, 0), -ENOENT);
  EXPECT_EQ(f.openat2("../etc/passwd", O_RDONLY, kBeneath), -EXDEV);
  EXPECT_EQ(f.openat2("/etc/passwd", O_RDONLY, kBeneath), -EXDEV);
  EXPECT_EQ(f.openat2("/proc/self/exe", O_RDONLY, kNoMagic), -ELOOP);
  EXPECT_EQ(f.openat2("/proc/self/cmdline", O_RDONLY, kNoSymlinks), -ELOOP);  // /proc/self is a link
  EXPECT_EQ(f.openat2("/etc/passwd", O_RDONLY, 0, 16), -EINVAL);
  EXPECT_EQ(f.openat2("/etc/passwd", O_RDONLY, 0x1000), -EINVAL);
  const std::int64_t fd = f.openat2("/proc/self/exe", O_RDONLY, 0);
  ASSERT_GE(fd, 3);
  EXPECT_EQ(f.read_all(static_cast<int>(fd)).substr(0, 4), "\x7f" "ELF");
}

TEST(FsSyscalls, ProcSelfTellsAboutTheProcess) {
  Fixture f;
  const std::int64_t cmd = f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/proc/self/cmdline"), O_RDONLY);
  ASSERT_GE(cmd, 3);
  EXPECT_EQ(f.read_all(static_cast<int>(cmd)), std::string("./empty\0one\0two\0", 16));
  const std::int64_t maps = f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/proc/self/maps"), O_RDONLY);
  const std::string m = f.read_all(static_cast<int>(maps));
  EXPECT_NE(m.find("[stack]"), std::string::npos) << m;
  EXPECT_NE(m.find("r-xp 00000000 00:00 0"), std::string::npos) << m;
  EXPECT_NE(m.find("./empty\n"), std::string::npos) << m;
  const GuestAddr b = f.buf(64);
  EXPECT_EQ(f.call(linux_abi::sys_readlinkat, kAtFdcwd, f.str("/proc/self/exe"), b, 64), 7);
  EXPECT_EQ(f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/proc/self/cmdline"), O_WRONLY), -EACCES);
}

TEST(FsSyscalls, DevicesReadAsLinuxsDo) {
  Fixture f;
  const GuestAddr st = f.buf(144);
  ASSERT_EQ(f.call(linux_abi::sys_stat, f.str("/dev/null"), st), 0);
  std::uint32_t mode = 0;
  std::uint64_t rdev = 0;
  f.p->memory().read(st + 24, &mode, 4);
  f.p->memory().read(st + 40, &rdev, 8);
  EXPECT_EQ(mode, static_cast<std::uint32_t>(S_IFCHR | 0666));
  EXPECT_EQ(rdev, 0x103u);  // 1:3
  const std::int64_t z = f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/dev/zero"), O_RDONLY);
  const GuestAddr b = f.buf(8);
  f.p->memory().write(b, "xxxxxxxx", 8);
  EXPECT_EQ(f.call(linux_abi::sys_read, static_cast<std::uint64_t>(z), b, 8), 8);
  std::uint64_t v = 1;
  f.p->memory().read(b, &v, 8);
  EXPECT_EQ(v, 0u);
  const std::int64_t n = f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/dev/null"), O_RDWR);
  EXPECT_EQ(f.call(linux_abi::sys_write, static_cast<std::uint64_t>(n), b, 8), 8);
  EXPECT_EQ(f.call(linux_abi::sys_read, static_cast<std::uint64_t>(n), b, 8), 0);
}

TEST(FsSyscalls, WorkingDirectoryUmaskAndDescriptors) {
  Fixture f;
  const GuestAddr b = f.buf(64);
  EXPECT_EQ(f.call(linux_abi::sys_getcwd, b, 64), 2);
  EXPECT_EQ(f.call(linux_abi::sys_chdir, f.str("/tmp")), 0);
  EXPECT_EQ(f.call(linux_abi::sys_getcwd, b, 64), 5);
  EXPECT_EQ(f.call(linux_abi::sys_getcwd, b, 4), -ERANGE);
  EXPECT_EQ(f.call(linux_abi::sys_chdir, f.str("/etc/passwd")), -ENOTDIR);
  EXPECT_EQ(f.call(linux_abi::sys_umask, 077), 022);
  const std::int64_t fd = f.call(linux_abi::sys_openat, kAtFdcwd, f.str("new"), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
  ASSERT_GE(fd, 3);
  const GuestAddr st = f.buf(144);
  ASSERT_EQ(f.call(linux_abi::sys_stat, f.str("/tmp/new"), st), 0);
  std::uint32_t mode = 0;
  f.p->memory().read(st + 24, &mode, 4);
  EXPECT_EQ(mode, static_cast<std::uint32_t>(S_IFREG | 0600));
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, static_cast<std::uint64_t>(fd), F_DUPFD, 40), 40);
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, 40, F_GETFD), 0);
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, static_cast<std::uint64_t>(fd), F_GETFD), FD_CLOEXEC);
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, static_cast<std::uint64_t>(fd), F_DUPFD_CLOEXEC, 40), 41);
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, 41, F_GETFD), FD_CLOEXEC);
  EXPECT_EQ(f.call(linux_abi::sys_dup3, 40, 40, 0), -EINVAL);
  EXPECT_EQ(f.call(linux_abi::sys_dup2, 40, 40), 40);
  EXPECT_EQ(f.call(linux_abi::sys_dup3, 40, 50, O_CLOEXEC), 50);
  EXPECT_EQ(f.call(linux_abi::sys_fcntl, 50, F_GETFD), FD_CLOEXEC);
  // The working directory removed: getcwd says so, as Linux does.
  EXPECT_EQ(f.call(linux_abi::sys_mkdir, f.str("/tmp/d"), 0755), 0);
  EXPECT_EQ(f.call(linux_abi::sys_chdir, f.str("/tmp/d")), 0);
  EXPECT_EQ(f.call(linux_abi::sys_rmdir, f.str("/tmp/d")), 0);
  EXPECT_EQ(f.call(linux_abi::sys_getcwd, b, 64), -ENOENT);
}

TEST(FsSyscalls, TheSystemsOwnFilesAreNotTheGuestsToChange) {
  Fixture f;
  EXPECT_EQ(f.call(linux_abi::sys_openat, kAtFdcwd, f.str("/etc/passwd"), O_WRONLY), -EACCES);
  EXPECT_EQ(f.call(linux_abi::sys_unlink, f.str("/etc/passwd")), -EACCES);
  EXPECT_EQ(f.call(linux_abi::sys_chmod, f.str("/etc/passwd"), 0777), -EPERM);
  EXPECT_EQ(f.call(linux_abi::sys_mkdir, f.str("/proc/x"), 0755), -EACCES);
  // gostep's memory is the guest's to use: / and /tmp.
  EXPECT_EQ(f.call(linux_abi::sys_mkdir, f.str("/mine"), 0755), 0);
  EXPECT_EQ(f.call(linux_abi::sys_mkdir, f.str("/tmp/mine"), 0755), 0);
  EXPECT_EQ(f.host->asked.size(), 0u);  // and nothing of it reached the host
}

}  // namespace
}  // namespace gostep
