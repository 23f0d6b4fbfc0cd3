// The guest's file system end to end: a program that walks, reads, writes,
// renames and removes files, natively and under gostep on copies of one
// directory (the output and the directories left behind must agree); a
// read-only grant that the guest writes to stays byte for byte as it was;
// escapes from a granted directory; the hint at exit; bad --dir options.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "elf_patch.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

namespace fs = std::filesystem;
const std::string kGoDir = GOSTEP_GO_DIR;

void write_file(const fs::path& p, const std::string& s, fs::perms perms = fs::perms(0644)) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
  fs::permissions(p, perms);
}

// Everything a directory holds that the guest could change: names, types,
// permission bits, bytes, link targets, and modification and change times.
std::map<std::string, std::string> snapshot(const fs::path& root, bool with_times) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& p = it->path();
    struct stat st;
    ::lstat(p.c_str(), &st);
    std::ostringstream s;
    s << std::oct << st.st_mode << std::dec << " ";
    if (S_ISLNK(st.st_mode)) {
      s << "-> " << fs::read_symlink(p).string();
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(p, std::ios::binary);
      s << in.rdbuf();
    }
    if (with_times) s << " mtime " << st.st_mtim.tv_sec << "." << st.st_mtim.tv_nsec << " ctime " << st.st_ctim.tv_sec;
    out[fs::relative(p, root).string()] = s.str();
  }
  return out;
}

// The input of the `files` program.
void make_data(const fs::path& dir) {
  write_file(dir / "data/a.txt", "hello world\nsecond line\n");
  write_file(dir / "data/b.txt", "one two three", fs::perms(0640));
  write_file(dir / "data/remove-me.txt", "bye\n");
  write_file(dir / "data/scratch/inner/f", "x\n");
  write_file(dir / "data/keep/k.txt", "k\n");
  fs::create_directory_symlink("a.txt", dir / "data/alink");
}

struct Umask022 {
  Umask022() { ::umask(022); }  // the native runs' umask: gostep's is 022
};

class Files : public ::testing::Test {
 protected:
  Umask022 mask_;
  TempDir native_dir_, rw_dir_, ro_dir_, pristine_;
  void SetUp() override {
    for (const TempDir* d : {&native_dir_, &rw_dir_, &ro_dir_, &pristine_}) make_data(d->path());
  }
};

TEST_F(Files, TheSameWorkInAGrantedDirectoryAsNatively) {
  RunSpec n;
  n.argv = {kGoDir + "/files"};
  n.env = std::vector<std::string>{};
  n.cwd = native_dir_.path();
  const RunResult native = run_program(n);
  ASSERT_EQ(native.status, 0) << native.out << native.err;
  const RunResult g = run_gostep({"run", "--dir", rw_dir_.path() + ":rw", kGoDir + "/files"});
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, native.out);
  EXPECT_EQ(g.err, native.err);
  EXPECT_NE(g.out.find("through the link: \"8 words\""), std::string::npos) << g.out;
  EXPECT_NE(g.out.find("missing: open data/missing.txt: no such file or directory true"), std::string::npos);
  // The directories left behind: the same names, modes, bytes and links.
  EXPECT_EQ(snapshot(rw_dir_.path(), false), snapshot(native_dir_.path(), false));
  EXPECT_TRUE(fs::exists(fs::path(rw_dir_.path()) / "out/sub/report.txt"));
  EXPECT_FALSE(fs::exists(fs::path(rw_dir_.path()) / "data/remove-me.txt"));
}

TEST_F(Files, AReadOnlyGrantIsLeftByteForByteAsItWas) {
  const auto before = snapshot(ro_dir_.path(), true);
  RunSpec n;
  n.argv = {kGoDir + "/files"};
  n.env = std::vector<std::string>{};
  n.cwd = native_dir_.path();
  const RunResult native = run_program(n);
  // The guest writes, renames, removes: all of it in gostep's overlay, the same output as natively.
  const RunResult g = run_gostep({"run", "--dir", ro_dir_.path(), kGoDir + "/files"});
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, native.out);
  EXPECT_EQ(snapshot(ro_dir_.path(), true), before);
  EXPECT_EQ(snapshot(ro_dir_.path(), false), snapshot(pristine_.path(), false));
}

TEST_F(Files, AGuestDirectoryOtherThanTheHostPath) {
  const RunResult g =
      run_gostep({"run", "--dir", ro_dir_.path() + ":/work/project", kGoDir + "/whoami", "--", "-values"});
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_NE(g.out.find("wd /work/project\n"), std::string::npos) << g.out;
  const RunResult p = run_gostep({"run", "--dir", ro_dir_.path() + ":/work/project", kGoDir + "/probe", "--",
                                  "/work/project/data/a.txt", ro_dir_.path() + "/data/a.txt"});
  EXPECT_NE(p.out.find("/work/project/data/a.txt: \"hello world\\nsecond line\\n\" <nil>"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find(ro_dir_.path() + "/data/a.txt: stat " + ro_dir_.path() + "/data/a.txt: no such file or directory"),
            std::string::npos)
      << p.out;
}

// A project the user grants, next to a secret, with links that try to leave.
class Sandbox : public ::testing::Test {
 protected:
  TempDir t_;
  fs::path proj_;
  void SetUp() override {
    const fs::path home = fs::path(t_.path()) / "home/u";
    proj_ = home / "proj";
    write_file(home / "secret.txt", "SECRET\n");
    write_file(proj_ / "data.txt", "data\n");
    fs::create_directories(proj_ / "sub");
    fs::create_symlink(home / "secret.txt", proj_ / "abs-link");
    fs::create_symlink("../secret.txt", proj_ / "rel-link");
    fs::create_directory_symlink(home, proj_ / "dir-link");
    fs::create_symlink("/etc/passwd", proj_ / "etc-link");
    fs::create_symlink("../../secret.txt", proj_ / "sub/deep-link");
    fs::create_symlink("sub/../data.txt", proj_ / "in-link");
  }
};

TEST_F(Sandbox, NothingOutsideTheGrantCanBeReached) {
  const std::string secret = (fs::path(t_.path()) / "home/u/secret.txt").string();
  const std::vector<std::string> escapes = {
      "../secret.txt", secret, "abs-link", "rel-link", "dir-link/secret.txt", "sub/deep-link",
      "sub/../../secret.txt", "../../../../../../../../" + secret, "/proc/self/root" + secret,
      "/proc/self/cwd/data.txt", "/proc/1/root" + secret, "/proc/1000/root" + secret, "/proc/self/fd/0",
      "./sub/./../.././secret.txt"};
  std::vector<std::string> args = {"run", "--dir", proj_.string(), kGoDir + "/probe", "--"};
  args.insert(args.end(), escapes.begin(), escapes.end());
  args.push_back("in-link");
  const RunResult g = run_gostep(args);
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out.find("SECRET"), std::string::npos) << g.out;
  for (const auto& e : escapes)
    EXPECT_NE(g.out.find(e + ": stat " + e + ": no such file or directory\n"), std::string::npos) << e << "\n" << g.out;
  EXPECT_NE(g.out.find("in-link: \"data\\n\" <nil>"), std::string::npos) << g.out;
  // An absolute link resolves in the guest's tree: /etc/passwd is gostep's own, not the host's.
  const RunResult etc = run_gostep({"run", "--dir", proj_.string(), kGoDir + "/probe", "--", "etc-link"});
  EXPECT_NE(etc.out.find("etc-link: \"gopher:x:1000:1000:Gopher:/home/gopher:/bin/sh\\n\" <nil>"), std::string::npos)
      << etc.out;
}

TEST_F(Sandbox, APathOutsideEveryGrantGivesOneHintAtExit) {
  const RunResult g = run_gostep({"run", kGoDir + "/probe", "--", "data.txt", "other.txt"});
  EXPECT_EQ(g.status, 0);
  EXPECT_EQ(g.err, "gostep: the program looked for data.txt, which is outside the directories it may see: add --dir .\n");
  const RunResult up = run_gostep({"run", "--dir", proj_.string(), kGoDir + "/probe", "--", "../secret.txt"});
  EXPECT_EQ(up.err, "gostep: the program looked for ../secret.txt, which is outside the directories it may see: add --dir " +
                        proj_.parent_path().string() + "\n");
  // Found, or missing inside a grant, or in gostep's own directories: no hint.
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "run", "--dir", proj_.string(), kGoDir + "/probe", "--", "data.txt", "nothere.txt",
            "/etc/localtime", "/dev/x"};
  const RunResult quiet = run_program(s);
  EXPECT_EQ(quiet.err, "");
  EXPECT_NE(quiet.out.find("nothere.txt: stat nothere.txt: no such file or directory"), std::string::npos);
}

TEST(DirOption, BadGrantsAreUsageErrors) {
  TempDir d;
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--dir", d.file("missing")}, {"--dir", d.path() + ":relative"},
        {"--dir", d.path() + ":/proc/x"}, {"--dir", d.path() + ":/"}, {"--dir", d.path() + ":/a:/b:rw"}}) {
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), bad.begin(), bad.end());
    args.push_back(kGoDir + "/hello");
    const RunResult g = run_gostep(args);
    SCOPED_TRACE(bad[1]);
    EXPECT_EQ(g.status, 125);
    EXPECT_EQ(count_lines(g.err), 1) << g.err;
    EXPECT_NE(g.err.find("--dir"), std::string::npos) << g.err;
  }
}

}  // namespace
}  // namespace gostep::test
