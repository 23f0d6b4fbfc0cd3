// ReplayHostIo: outside effects happen once when a recorded run is executed
// again (time travel re-executes from the entry).
#include "emulator/host_io_replay.h"

#include <gtest/gtest.h>

#include "fake_host.h"

namespace gostep::test {
namespace {

struct Replay : ::testing::Test {
  std::shared_ptr<FakeHost> host = std::make_shared<FakeHost>();
  ReplayHostIo io{host};

  std::string read(std::uint64_t n) {
    std::string s(n, '\0');
    const std::int64_t r = io.read_stream(0, s.data(), n);
    s.resize(r > 0 ? static_cast<std::size_t>(r) : 0);
    return s;
  }
};

TEST_F(Replay, OutputIsWrittenOnceAndAgainOnlyForANewRun) {
  EXPECT_EQ(io.write_stream(1, "hello\n", 6), 6);
  EXPECT_EQ(host->out, "hello\n");
  io.begin_run(true);  // a rewind re-executes the same stretch
  EXPECT_EQ(io.write_stream(1, "hello\n", 6), 6);
  EXPECT_EQ(host->out, "hello\n");
  EXPECT_EQ(io.write_stream(1, "more\n", 5), 5);  // past what was recorded: live
  EXPECT_EQ(host->out, "hello\nmore\n");
  io.begin_run(false);  // `run`: a new run shows its output
  io.write_stream(1, "hello\n", 6);
  EXPECT_EQ(host->out, "hello\nmore\nhello\n");
}

TEST_F(Replay, InputReadOnceReadsTheSameAgain) {
  host->in = "abcdef";
  EXPECT_EQ(read(3), "abc");
  io.begin_run(true);
  EXPECT_EQ(read(3), "abc");  // from the log: the host's stdin has moved on
  EXPECT_EQ(host->in, "def");
  EXPECT_EQ(read(3), "def");  // then live again
  EXPECT_EQ(host->in, "");
}

TEST_F(Replay, AWritableGrantIsChangedOnlyTheFirstTime) {
  host->add_dir("/g");
  host->add_file("/g/log", "");
  const int root = io.add_root("/g");
  ASSERT_EQ(root, 0);
  EXPECT_EQ(io.pwrite(root, "log", 0, "x", 1), 1);
  host->files["/g/log"].data = "changed on the host since";
  io.begin_run(true);
  EXPECT_EQ(io.add_root("/g"), 0);
  EXPECT_EQ(host->roots.size(), 1u);  // not opened twice
  EXPECT_EQ(io.pwrite(root, "log", 0, "x", 1), 1);
  EXPECT_EQ(host->files["/g/log"].data, "changed on the host since");
}

TEST_F(Replay, FileContentsAndListingsReplayAsFirstSeen) {
  host->add_dir("/g");
  host->add_file("/g/a", "first");
  const int root = io.add_root("/g");
  char buf[16] = {};
  EXPECT_EQ(io.pread(root, "a", 0, buf, sizeof buf), 5);
  std::vector<HostDirEntry> ls;
  EXPECT_EQ(io.list(root, "", ls), 0);
  ASSERT_EQ(ls.size(), 1u);
  host->files["/g/a"].data = "SECOND";
  host->add_file("/g/b", "");
  io.begin_run(true);
  io.add_root("/g");
  char again[16] = {};
  EXPECT_EQ(io.pread(root, "a", 0, again, sizeof again), 5);
  EXPECT_STREQ(again, "first");
  std::vector<HostDirEntry> ls2;
  io.list(root, "", ls2);
  EXPECT_EQ(ls2.size(), 1u);
}

TEST_F(Replay, ADifferentCallRewritesTheFuture) {
  io.write_stream(1, "a", 1);
  io.write_stream(1, "b", 1);
  io.begin_run(true);
  io.write_stream(1, "a", 1);
  io.write_stream(2, "oops", 4);  // not what was logged: the run took another way
  EXPECT_EQ(host->out, "aboops");
  EXPECT_EQ(io.logged(), 2u);
  io.write_stream(1, "b", 1);  // live from here on
  EXPECT_EQ(host->out, "aboopsb");
}

}  // namespace
}  // namespace gostep::test
