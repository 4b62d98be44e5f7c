// Running renderers as child processes: real processes (/bin/sh), no shell between us and them.
#include "wavesync/render/process.hpp"

#include "render/temp_tree.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::render;

TEST_CASE("a child's stdout, stderr and exit code are captured", "[render][process]") {
  SystemProcessRunner runner;
  auto out = runner.run(Command{{"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, ""});
  REQUIRE(out);
  CHECK(out->out == "out\n");
  CHECK(out->err == "err\n");
  CHECK(out->exit_status == 3);
}

TEST_CASE("arguments reach the child as given, without a shell", "[render][process]") {
  SystemProcessRunner runner;
  auto out = runner.run(Command{{"printf", "%s|", "a b", "$HOME", "'q'"}, ""});
  REQUIRE(out);
  CHECK(out->out == "a b|$HOME|'q'|");
}

TEST_CASE("the child runs in the working directory it is given", "[render][process]") {
  wavesync::test::TempTree dir;
  SystemProcessRunner runner;
  auto out = runner.run(Command{{"pwd", "-P"}, dir.str()});
  REQUIRE(out);
  CHECK(out->out == std::filesystem::canonical(dir.path).string() + "\n");
}

TEST_CASE("a program that does not exist is an error naming it", "[render][process]") {
  SystemProcessRunner runner;
  auto out = runner.run(Command{{"wavesync-no-such-program"}, ""});
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "cannot run wavesync-no-such-program: No such file or directory");
  CHECK_FALSE(runner.find_program("wavesync-no-such-program"));
  CHECK(runner.find_program("sh"));
}

TEST_CASE("a child printing more than the bound is stopped", "[render][process]") {
  SystemProcessRunner runner(ProcessLimits{1000, std::chrono::seconds(30)});
  auto out = runner.run(Command{{"/bin/sh", "-c", "yes"}, ""});
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "/bin/sh -c yes: printed more than 1000 bytes: stopped");
}

TEST_CASE("a child running past the time limit is killed", "[render][process]") {
  SystemProcessRunner runner(ProcessLimits{1000, std::chrono::milliseconds(200)});
  const auto start = std::chrono::steady_clock::now();
  auto out = runner.run(Command{{"sleep", "30"}, ""});
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "sleep 30: still running after 200 ms: stopped");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}
