// gostep dump's LOC forms, ordering and errors, from the outside.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
}

class Dump : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0); }
};

TEST_F(Dump, EveryLocFormStopsInExecutionOrder) {
  // Given out of order: the stops come in the order they are reached.
  const RunResult r = run_gostep({"dump", "./hello", "--json", "--at", "milestone:newproc_return", "--at",
                                  "asm_amd64.s:268", "--at", "insn:3", "--at", "runtime.settls", "--at",
                                  "runtime.rt0_go.abi0+0xdf", "--at", "milestone:entry"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = json_lines(r.out);
  ASSERT_EQ(v.size(), 6u) << r.out;
  std::vector<std::uint64_t> insns;
  for (const auto& j : v) {
    EXPECT_EQ(j["schema"], "gostep.dump/1");
    insns.push_back(j["stop"]["insn"].get<std::uint64_t>());
  }
  EXPECT_TRUE(std::is_sorted(insns.begin(), insns.end()));
  EXPECT_EQ(v[0]["stop"]["insn"], 1);  // entry
  EXPECT_EQ(v[1]["stop"]["insn"], 3);  // insn:3
  EXPECT_EQ(v[2]["stop"]["loc"], "runtime.settls.abi0");
  // asm_amd64.s:268 is MOVQ CX, g(BX) at rt0_go+0xdf: both LOCs name the same stop.
  EXPECT_EQ(v[3]["stop"]["loc"], "runtime.rt0_go.abi0+0xdf");
  EXPECT_EQ(v[4]["stop"]["loc"], "runtime.rt0_go.abi0+0xdf");
  EXPECT_EQ(v[3]["stop"]["source"], "asm_amd64.s:268");
  EXPECT_EQ(v[5]["allgs"][0]["status_name"], "_Grunnable");
  EXPECT_EQ(v[5]["allp"][0]["runnext"], v[5]["allgs"][0]["addr"]);
}

TEST_F(Dump, ALocNeverReachedExitsOneAndNamesIt) {
  const RunResult r = run_gostep({"dump", "./empty", "--at", "main.main", "--at", "fmt.Println"});
  EXPECT_EQ(r.status, 125) << r.err;  // empty has no fmt.Println at all: a usage error
  const RunResult never = run_gostep({"dump", "./hello", "--at", "main.main", "--at", "runtime.throw"});
  EXPECT_EQ(never.status, 1) << never.err;
  EXPECT_NE(never.err.find("runtime.throw was never reached (the program exited with status 0 first)"),
            std::string::npos)
      << never.err;
}

TEST_F(Dump, BadLocsAreUsageErrors) {
  for (const char* loc : {"insn:0", "insn:x", "milestone:nope", "asm_amd64.s:99999", "nosuch.func"}) {
    const RunResult r = run_gostep({"dump", "./hello", "--at", loc});
    EXPECT_EQ(r.status, 125) << loc << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(Dump, StrippedBinarySaysWhyThereIsNoModel) {
  const RunResult r = run_gostep({"dump", "./hello-stripped", "--at", "insn:10"});
  EXPECT_EQ(r.status, 126) << r.err;
  EXPECT_NE(r.err.find("no DWARF"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gostep::test
