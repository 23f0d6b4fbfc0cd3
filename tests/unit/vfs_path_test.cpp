// Path resolution (emulator/vfs/path_resolve.cpp) on small trees, and the
// sandbox's escape attempts resolved directly against a granted directory of
// a fake host that records every path it is asked about.
#include <gtest/gtest.h>

#include <cerrno>

#include "emulator/vfs/vfs.h"
#include "fake_host.h"

namespace gostep {
namespace {

using vfs::Ino;
using vfs::Resolved;

const vfs::Timespec kT{1257894000, 0};

struct MemTree {
  vfs::Vfs v{nullptr};
  Ino a, b, file, rel_link, abs_link, root_link, loop1, locked;
  MemTree() {
    const Ino r = v.root();
    a = v.add_dir(r, "a", 0755, vfs::kUserUid, kT);
    b = v.add_dir(a, "b", 0755, vfs::kUserUid, kT);
    file = v.add_file(b, "f.txt", "hello", 0644, kT);
    rel_link = v.add_symlink(a, "rel", "b/f.txt", kT);
    abs_link = v.add_symlink(r, "abs", "/a/b", kT);
    root_link = v.add_symlink(b, "up", "/", kT);
    loop1 = v.add_symlink(r, "loop1", "loop2", kT);
    v.add_symlink(r, "loop2", "loop1", kT);
    locked = v.add_dir(r, "locked", 0600, vfs::kUserUid, kT);
    v.add_file(locked, "inside", "x", 0644, kT);
  }
  Resolved at(const std::string& path, Ino from = 0, bool follow = true) {
    return v.resolve(from ? from : v.root(), path, vfs::ResolveFlags{follow});
  }
};

TEST(VfsPath, NamesResolveAsLinuxWalksThem) {
  MemTree t;
  EXPECT_EQ(t.at("/").ino, t.v.root());
  EXPECT_EQ(t.at("/a/b/f.txt").ino, t.file);
  EXPECT_EQ(t.at("b/f.txt", t.a).ino, t.file);
  EXPECT_EQ(t.at("./b/../b/./f.txt", t.a).ino, t.file);
  EXPECT_EQ(t.at("//a///b//").ino, t.b);
  EXPECT_EQ(t.at("..", t.b).ino, t.a);
  const Resolved f = t.at("/a/b/f.txt");
  EXPECT_EQ(f.parent, t.b);
  EXPECT_EQ(f.name, "f.txt");
}

TEST(VfsPath, ErrorsAreLinuxsErrors) {
  MemTree t;
  EXPECT_EQ(t.at("").error, ENOENT);
  EXPECT_EQ(t.at("/a/b/f.txt/").error, ENOTDIR);
  EXPECT_EQ(t.at("/a/b/f.txt/x").error, ENOTDIR);
  EXPECT_EQ(t.at("/loop1").error, ELOOP);
  EXPECT_EQ(t.at("/locked/inside").error, EACCES);
  EXPECT_EQ(t.at("/" + std::string(256, 'n')).error, ENAMETOOLONG);
  EXPECT_EQ(t.at(std::string(5000, '/') + "a").error, ENAMETOOLONG);
  // A missing last name: O_CREAT may make it there. A missing middle one: no.
  const Resolved last = t.at("/a/b/new.txt");
  EXPECT_EQ(last.error, ENOENT);
  EXPECT_TRUE(last.last_missing);
  EXPECT_EQ(last.parent, t.b);
  EXPECT_EQ(last.name, "new.txt");
  EXPECT_EQ(last.missing_in, t.b);
  const Resolved middle = t.at("/a/nope/new.txt");
  EXPECT_EQ(middle.error, ENOENT);
  EXPECT_FALSE(middle.last_missing);
  EXPECT_EQ(middle.missing_in, t.a);
}

TEST(VfsPath, SymbolicLinksFollowOnlyWhereLinuxFollowsThem) {
  MemTree t;
  EXPECT_EQ(t.at("/a/rel").ino, t.file);                   // relative to the link's directory
  EXPECT_EQ(t.at("/a/rel", 0, false).ino, t.rel_link);     // lstat, O_NOFOLLOW
  EXPECT_EQ(t.at("/abs/f.txt").ino, t.file);
  EXPECT_EQ(t.at("/abs", 0, false).ino, t.abs_link);
  EXPECT_EQ(t.at("/abs/", 0, false).ino, t.b);             // a trailing slash follows the last link
  EXPECT_EQ(t.at("/a/b/up").ino, t.v.root());
  EXPECT_EQ(t.at("/a/b/up/a/b/up/a").ino, t.a);
  EXPECT_EQ(t.at("/abs/..").ino, t.a);                     // ".." after a link is the target's parent
}

TEST(VfsPath, DotDotOfTheRootIsTheRoot) {
  MemTree t;
  EXPECT_EQ(t.at("/..").ino, t.v.root());
  EXPECT_EQ(t.at("../../../../a", t.b).ino, t.a);
  EXPECT_EQ(t.at("/../../a/b/../../../a/b/f.txt").ino, t.file);
}

TEST(VfsPath, MagicLinksLeadToTheirNode) {
  MemTree t;
  vfs::Node hidden;
  hidden.kind = vfs::NodeKind::file;
  const Ino h = t.v.add_node(0, "", hidden);
  const Ino link = t.v.add_symlink(t.a, "exe", "/not/in/the/tree", kT);
  t.v.get(link)->magic = h;
  EXPECT_EQ(t.at("/a/exe").ino, h);
  EXPECT_EQ(t.at("/a/exe", 0, false).ino, link);
}

TEST(VfsPath, Openat2RestrictionsHoldTheWalkIn) {
  MemTree t;
  auto with = [&](const std::string& path, Ino from, auto set) {
    vfs::ResolveFlags f;
    set(f);
    return t.v.resolve(from, path, f);
  };
  auto beneath = [](vfs::ResolveFlags& f) { f.beneath = true; };
  auto in_root = [](vfs::ResolveFlags& f) { f.in_root = true; };
  auto no_links = [](vfs::ResolveFlags& f) { f.no_symlinks = true; };
  EXPECT_EQ(with("b/f.txt", t.a, beneath).ino, t.file);
  EXPECT_EQ(with("b/../b/f.txt", t.a, beneath).ino, t.file);   // down and back up is still beneath
  EXPECT_EQ(with("..", t.a, beneath).error, EXDEV);
  EXPECT_EQ(with("b/../../a", t.a, beneath).error, EXDEV);
  EXPECT_EQ(with("/a", t.a, beneath).error, EXDEV);
  EXPECT_EQ(with("b/up", t.a, beneath).error, EXDEV);          // an absolute link
  EXPECT_EQ(with("rel", t.a, beneath).ino, t.file);            // a relative link that stays below
  EXPECT_EQ(with("/b/f.txt", t.a, in_root).ino, t.file);       // "/" is a
  EXPECT_EQ(with("../../b", t.a, in_root).ino, t.b);           // ".." stops at a
  EXPECT_EQ(with("b/up/b", t.a, in_root).ino, t.b);            // a link to "/" leads to a
  EXPECT_EQ(with("rel", t.a, no_links).error, ELOOP);
  EXPECT_EQ(with("b/f.txt", t.a, no_links).ino, t.file);
}

// The host: a project the user grants, and what must stay out of reach.
struct Sandbox {
  test::FakeHost host;
  vfs::Vfs v{&host};
  Ino proj = 0;
  explicit Sandbox(const std::string& guest_dir = "/home/u/proj", bool rw = false) {
    host.add_dir("/home");
    host.add_dir("/home/u");
    host.add_file("/home/u/secret.txt", "SECRET");
    host.add_dir("/etc");
    host.add_file("/etc/shadow", "root:x");
    host.add_dir("/home/u/proj");
    host.add_dir("/home/u/proj/sub");
    host.add_file("/home/u/proj/data.txt", "data");
    host.add_link("/home/u/proj/abs-link", "/home/u/secret.txt");
    host.add_link("/home/u/proj/rel-link", "../secret.txt");
    host.add_link("/home/u/proj/dir-link", "/home/u");
    host.add_link("/home/u/proj/etc-link", "/etc/shadow");
    host.add_link("/home/u/proj/sub/deep-link", "../../secret.txt");
    host.add_link("/home/u/proj/in-link", "sub/../data.txt");
    EXPECT_EQ(v.grant("/home/u/proj", guest_dir, rw, kT), 0);
    proj = v.resolve(v.root(), guest_dir).ino;
  }
  int error(const std::string& path, bool follow = true) {
    return v.resolve(proj, path, vfs::ResolveFlags{follow}).error;
  }
  bool host_asked_only_below_the_grant() {
    for (const auto& p : host.asked)
      if (p != "/home/u/proj" && p.rfind("/home/u/proj/", 0) != 0) return false;
    return true;
  }
};

TEST(VfsSandbox, NoEscapeReachesTheHost) {
  Sandbox s;
  for (const char* escape : {"../secret.txt", "../../u/secret.txt", "/home/u/secret.txt", "/etc/shadow",
                             "../../../../../../../home/u/secret.txt", "sub/../../secret.txt", "abs-link",
                             "rel-link", "dir-link/secret.txt", "etc-link", "sub/deep-link",
                             "/proc/self/root/home/u/secret.txt", "/proc/self/cwd/data.txt", "/proc/1/root",
                             "./sub/./../.././secret.txt"}) {
    SCOPED_TRACE(escape);
    EXPECT_EQ(s.error(escape), ENOENT);
  }
  // Links that stay inside work; the links themselves can be read.
  EXPECT_EQ(s.error("in-link"), 0);
  EXPECT_EQ(s.error("abs-link", false), 0);
  EXPECT_EQ(s.v.get(s.v.resolve(s.proj, "abs-link", vfs::ResolveFlags{false}).ino)->target, "/home/u/secret.txt");
  EXPECT_TRUE(s.host_asked_only_below_the_grant()) << "the host was asked about something outside the grant";
  EXPECT_FALSE(s.host.asked.empty());
}

TEST(VfsSandbox, Openat2NoXdevStopsAtTheGrant) {
  Sandbox s;
  vfs::ResolveFlags f;
  f.no_xdev = true;
  EXPECT_EQ(s.v.resolve(s.proj, "sub", f).error, 0);
  EXPECT_EQ(s.v.resolve(s.proj, "..", f).error, EXDEV);
  EXPECT_EQ(s.v.resolve(s.v.root(), "/home/u/proj", f).error, EXDEV);
}

TEST(VfsSandbox, AGrantElsewhereInTheGuestHidesTheHostPath) {
  Sandbox s("/work");
  EXPECT_EQ(s.error("data.txt"), 0);
  EXPECT_EQ(s.error("/work/sub"), 0);
  EXPECT_EQ(s.error("/home/u/proj/data.txt"), ENOENT);  // the host's path means nothing inside
  EXPECT_EQ(s.error("abs-link"), ENOENT);
  EXPECT_EQ(s.error("../home/u/secret.txt"), ENOENT);
  EXPECT_TRUE(s.host_asked_only_below_the_grant());
}

TEST(VfsSandbox, AReadOnlyGrantKeepsTheGuestsChangesInMemory) {
  Sandbox s;
  const auto before = s.host.files;
  const Ino data = s.v.resolve(s.proj, "data.txt").ino;
  ASSERT_EQ(s.v.write(data, 4, "+more", 5, kT), 5);
  char buf[16] = {};
  ASSERT_EQ(s.v.read(data, 0, buf, sizeof buf), 9);
  EXPECT_STREQ(buf, "data+more");
  EXPECT_GT(s.v.create_file(s.proj, "new.txt", 0644, kT), 0);
  EXPECT_EQ(s.v.mkdir(s.proj, "newdir", 0755, kT), 0);
  EXPECT_EQ(s.v.rename(s.proj, "sub", s.proj, "moved", 0, kT), 0);
  EXPECT_EQ(s.v.remove(s.proj, "abs-link", false, kT), 0);
  EXPECT_EQ(s.v.chmod(data, 0600, kT), 0);
  EXPECT_EQ(s.v.truncate(data, 2, kT), 0);
  EXPECT_EQ(s.error("moved/deep-link", false), 0);  // the renamed directory still lists the host's entries
  EXPECT_EQ(s.error("sub"), ENOENT);
  EXPECT_EQ(s.host.files.size(), before.size());
  for (const auto& [path, e] : before) {
    ASSERT_TRUE(s.host.files.count(path)) << path;
    EXPECT_EQ(s.host.files.at(path).data, e.data) << path;
    EXPECT_EQ(s.host.files.at(path).perm, e.perm) << path;
  }
}

TEST(VfsSandbox, AReadWriteGrantWritesThrough) {
  Sandbox s("/home/u/proj", true);
  const Ino data = s.v.resolve(s.proj, "data.txt").ino;
  ASSERT_EQ(s.v.write(data, 4, "!", 1, kT), 1);
  EXPECT_EQ(s.host.files.at("/home/u/proj/data.txt").data, "data!");
  EXPECT_GT(s.v.create_file(s.proj, "new.txt", 0640, kT), 0);
  EXPECT_EQ(s.host.files.at("/home/u/proj/new.txt").perm, 0640u);
  EXPECT_EQ(s.v.rename(s.proj, "sub", s.proj, "moved", 0, kT), 0);
  EXPECT_TRUE(s.host.files.count("/home/u/proj/moved/deep-link"));
  // A file in a renamed directory is still found on the host, at its new path.
  const Ino inner = s.v.create_file(s.v.resolve(s.proj, "moved").ino, "inner.txt", 0644, kT);
  ASSERT_GT(static_cast<std::int64_t>(inner), 0);
  EXPECT_EQ(s.v.rename(s.proj, "moved", s.proj, "again", 0, kT), 0);
  EXPECT_EQ(s.v.write(inner, 0, "x", 1, kT), 1);
  EXPECT_EQ(s.host.files.at("/home/u/proj/again/inner.txt").data, "x");
  EXPECT_EQ(s.v.remove(s.proj, "data.txt", false, kT), 0);
  EXPECT_FALSE(s.host.files.count("/home/u/proj/data.txt"));
  EXPECT_TRUE(s.host_asked_only_below_the_grant());
}

TEST(VfsSandbox, TheGrantRootCannotBeRemovedOrMoved) {
  Sandbox s;
  const Ino u = s.v.resolve(s.v.root(), "/home/u").ino;
  EXPECT_EQ(s.v.remove(u, "proj", true, kT), -EBUSY);
  EXPECT_EQ(s.v.rename(u, "proj", u, "other", 0, kT), -EBUSY);
}

TEST(VfsSandbox, TheFileSystemIsAValue) {
  // Time travel (issue 8) snapshots the file system by copying it.
  Sandbox s;
  const Ino data = s.v.resolve(s.proj, "data.txt").ino;
  const vfs::Vfs saved = s.v;
  ASSERT_EQ(s.v.write(data, 0, "DATA", 4, kT), 4);
  EXPECT_FALSE(saved == s.v);
  vfs::Vfs restored = saved;
  char buf[8] = {};
  EXPECT_EQ(restored.read(data, 0, buf, 4), 4);
  EXPECT_STREQ(buf, "data");
}

TEST(VfsSandbox, InodeNumbersAndListingsDependOnlyOnTheContents) {
  Sandbox a, b;
  for (Sandbox* s : {&a, &b}) (void)s->v.entries(s->proj);
  EXPECT_EQ(a.v.resolve(a.proj, "sub/deep-link", vfs::ResolveFlags{false}).ino,
            b.v.resolve(b.proj, "sub/deep-link", vfs::ResolveFlags{false}).ino);
  std::vector<std::string> names;
  for (const auto& [name, ino] : a.v.entries(a.proj)) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"abs-link", "data.txt", "dir-link", "etc-link", "in-link", "rel-link", "sub"}));
}

}  // namespace
}  // namespace gostep
