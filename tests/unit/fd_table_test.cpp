// The descriptor table: descriptors share open file descriptions (dup),
// close-on-exec belongs to each descriptor, F_DUPFD's minimum, the limit, and
// the pipe ends' counts that decide EOF and EPIPE.
#include <gtest/gtest.h>

#include <cerrno>

#include "emulator/fd_table.h"

namespace gostep {
namespace {

OpenFile node_file(vfs::Ino ino) {
  OpenFile f;
  f.kind = OpenFile::Kind::node;
  f.ino = ino;
  return f;
}

TEST(FdTable, StartsWithTheThreeStandardStreams) {
  FdTable t;
  for (int fd = 0; fd < 3; ++fd) {
    ASSERT_NE(t.get(fd), nullptr);
    EXPECT_EQ(t.get(fd)->kind, OpenFile::Kind::host_stdio);
    EXPECT_EQ(t.get(fd)->stream, fd);
  }
  EXPECT_EQ(t.add(node_file(7), false), 3);
}

TEST(FdTable, DupSharesTheDescriptionButNotCloseOnExec) {
  FdTable t;
  const int fd = t.add(node_file(7), true);
  const int d = t.dup(fd, 0, false, 1024);
  EXPECT_EQ(d, fd + 1);
  EXPECT_TRUE(t.cloexec(fd));
  EXPECT_FALSE(t.cloexec(d));
  t.get(fd)->offset = 42;
  EXPECT_EQ(t.get(d)->offset, 42u);  // one description, one offset
  EXPECT_EQ(t.refs(*t.desc_of(fd)), 2u);
  std::vector<OpenFile> released;
  EXPECT_TRUE(t.close(fd, released));
  EXPECT_TRUE(released.empty());  // still open through d
  EXPECT_TRUE(t.close(d, released));
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].ino, 7u);
  EXPECT_FALSE(t.close(d, released));
}

TEST(FdTable, DupfdTakesTheLowestFreeAtOrAboveItsMinimum) {
  FdTable t;
  const int fd = t.add(node_file(7), false);     // 3
  EXPECT_EQ(t.dup(fd, 10, true, 1024), 10);
  EXPECT_EQ(t.dup(fd, 10, false, 1024), 11);
  EXPECT_EQ(t.dup(fd, 5, false, 1024), 5);
  EXPECT_TRUE(t.cloexec(10));
  EXPECT_FALSE(t.cloexec(11));
  EXPECT_EQ(t.dup(fd, 20, false, 20), -EMFILE);
  EXPECT_EQ(t.dup(99, 0, false, 1024), -EBADF);
  EXPECT_EQ(t.add(node_file(8), false, 0, 4), -EMFILE);  // 0-3 taken, limit 4
}

TEST(FdTable, Dup2ReplacesAndReleasesWhatTheTargetHeld) {
  FdTable t;
  const int a = t.add(node_file(7), false);
  const int b = t.add(node_file(8), true);
  std::vector<OpenFile> released;
  EXPECT_EQ(t.dup_to(a, b, false, released), b);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].ino, 8u);
  EXPECT_EQ(t.get(b)->ino, 7u);
  EXPECT_FALSE(t.cloexec(b));
  released.clear();
  EXPECT_EQ(t.dup_to(a, 50, true, released), 50);  // a free target
  EXPECT_TRUE(released.empty());
  EXPECT_TRUE(t.cloexec(50));
}

TEST(FdTable, PipeEndsCountTheirDescriptions) {
  FdTable t;
  const PipeId p = t.new_pipe();
  OpenFile r, w;
  r.kind = OpenFile::Kind::pipe_read;
  w.kind = OpenFile::Kind::pipe_write;
  r.pipe = w.pipe = p;
  const int rfd = t.add(r, false), wfd = t.add(w, false);
  const int wdup = t.dup(wfd, 0, false, 1024);
  std::vector<OpenFile> released;
  t.close(wfd, released);
  EXPECT_EQ(t.pipe(p)->writers, 1);  // the dup still writes
  t.close(wdup, released);
  EXPECT_EQ(t.pipe(p)->writers, 0);  // the reader sees the end now
  EXPECT_EQ(t.pipe(p)->readers, 1);
  t.close(rfd, released);
  EXPECT_EQ(t.pipe(p), nullptr);
}

TEST(FdTable, TheTableIsAValue) {
  FdTable t;
  t.add(node_file(7), true);
  const FdTable saved = t;
  std::vector<OpenFile> released;
  t.close(3, released);
  EXPECT_FALSE(saved == t);
  FdTable restored = saved;
  ASSERT_NE(restored.get(3), nullptr);
  EXPECT_TRUE(restored.cloexec(3));
}

}  // namespace
}  // namespace gostep
