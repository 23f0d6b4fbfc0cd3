// Where the program's own source files are (engine/sources.h): a -trimpath
// module path through a go.mod at or above the binary, `directory DIR` (gdb's
// order: the most recent first), `set substitute-path FROM TO`, next to the
// binary. Each case builds its own folder tree, so every answer can be wrong.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/sources.h"

namespace gostep::engine {
namespace {

namespace fs = std::filesystem;

class Sources : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gostep_sources_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string file(const std::string& rel, const std::string& text = "package main\n") {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path root_;
};

TEST_F(Sources, ModulePathOfReadsTheModuleLine) {
  EXPECT_EQ(module_path_of(file("a/go.mod", "// c\nmodule example.org/x\n\ngo 1.19\n")), "example.org/x");
  EXPECT_EQ(module_path_of(file("b/go.mod", "module \"example.org/q\"\r\n")), "example.org/q");
  EXPECT_EQ(module_path_of(file("c/go.mod", "go 1.19\n")), "");
  EXPECT_EQ(module_path_of((root_ / "none/go.mod").string()), "");
}

TEST_F(Sources, TrimmedModulePathIsFoundThroughTheGoModAboveTheBinary) {
  file("mod/go.mod", "module example.org/shop\n");
  const std::string src = file("mod/cmd/shop/main.go");
  const std::string bin = file("mod/bin/shop", "ELF");
  SourceLocator loc(bin);
  EXPECT_EQ(loc.find("example.org/shop/cmd/shop/main.go"), src);
  EXPECT_FALSE(loc.find("example.org/other/main.go"));   // another module
  EXPECT_FALSE(loc.find("example.org/shop/cmd/gone.go"));  // no such file
}

TEST_F(Sources, DirectoryIsSearchedMostRecentFirstAndNextToTheBinaryLast) {
  const std::string bin = file("bin/prog", "ELF");
  const std::string beside = file("bin/util.go");
  const std::string first = file("d1/main.go");
  const std::string second = file("d2/main.go");
  SourceLocator loc(bin);
  EXPECT_EQ(loc.find("/nowhere/util.go"), beside);  // by basename, next to the binary
  EXPECT_FALSE(loc.find("/nowhere/main.go"));
  loc.add_directory((root_ / "d1").string());
  EXPECT_EQ(loc.find("/nowhere/main.go"), first);
  loc.add_directory((root_ / "d2").string());
  EXPECT_EQ(loc.find("/nowhere/main.go"), second);  // gdb: `directory` puts the new one first
  ASSERT_EQ(loc.directories().size(), 2U);
  EXPECT_EQ(loc.directories()[0], (root_ / "d2").string());
}

TEST_F(Sources, SubstitutePathRewritesAPrefixAtAPathBoundary) {
  const std::string src = file("new/src/app/main.go");
  SourceLocator loc(file("bin/prog", "ELF"));
  EXPECT_FALSE(loc.find("/build/src/app/main.go"));
  loc.add_substitution("/build", (root_ / "new").string());
  EXPECT_EQ(loc.find("/build/src/app/main.go"), src);
  EXPECT_FALSE(loc.find("/builder/src/app/main.go"));  // "/build" is not a prefix of the folder "/builder"
  loc.add_substitution("/build", "/elsewhere");       // the same FROM again replaces its TO
  ASSERT_EQ(loc.substitutions().size(), 1U);
  EXPECT_FALSE(loc.find("/build/src/app/main.go"));
}

TEST_F(Sources, DirectoryWithAGoModMapsItsModulePath) {
  file("checkout/go.mod", "module example.org/lib\n");
  const std::string src = file("checkout/pkg/a.go");
  SourceLocator loc(file("bin/prog", "ELF"));
  EXPECT_FALSE(loc.find("example.org/lib/pkg/a.go"));
  loc.add_directory((root_ / "checkout").string());
  EXPECT_EQ(loc.find("example.org/lib/pkg/a.go"), src);
}

}  // namespace
}  // namespace gostep::engine
