// Rendering kustomizations, charts and directory sources through a fake process runner.
#include "wavesync/render/directory_source.hpp"
#include "wavesync/render/render.hpp"

#include "fakes/fake_process_runner.hpp"
#include "render/temp_tree.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace wavesync;
using namespace wavesync::render;
using wavesync::fakes::FakeProcessRunner;
using wavesync::test::TempTree;

namespace {

const char* k_config_maps = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
)";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

manifest::LoadOptions in_namespace(const std::string& ns) {
  manifest::LoadOptions load;
  load.default_namespace = ns;
  return load;
}

}  // namespace

TEST_CASE("a kustomization file makes a kustomize source, ahead of Chart.yaml", "[render]") {
  TempTree t;
  t.write("k/kustomization.yaml", "");
  t.write("k2/Kustomization", "");
  t.write("chart/Chart.yaml", "");
  t.write("both/Chart.yaml", "");
  t.write("both/kustomization.yml", "");
  t.write("plain/a.yaml", "");
  CHECK(detect_kind(t / "k") == SourceKind::kustomize);
  CHECK(detect_kind(t / "k2") == SourceKind::kustomize);
  CHECK(detect_kind(t / "chart") == SourceKind::helm);
  CHECK(detect_kind(t / "both") == SourceKind::kustomize);
  CHECK(detect_kind(t / "plain") == SourceKind::directory);
  CHECK(kustomization_file(t / "k2") == t / "k2/Kustomization");
}

TEST_CASE("a kustomization is built with kustomize, its objects located at the kustomization", "[render]") {
  TempTree t;
  t.write("app/kustomization.yaml", "resources: []\n");
  FakeProcessRunner runner;
  runner.programs = {"kustomize", "kubectl"};
  runner.outputs.push_back(ProcessOutput{0, k_config_maps, ""});
  RenderRequest request;
  request.path = t / "app";
  auto rendered = render_source(request, in_namespace("shop"), runner);
  REQUIRE(rendered);
  REQUIRE(runner.commands.size() == 1);
  CHECK(runner.commands[0].argv == std::vector<std::string>{"/bin/kustomize", "build", t / "app"});
  CHECK(runner.commands[0].dir == t / "app");
  REQUIRE(rendered->resources.size() == 2);
  CHECK(rendered->resources[1].name() == "b");
  CHECK(rendered->resources[1].namespace_name() == "shop");
  CHECK(rendered->resources[1].source.str() == t / "app/kustomization.yaml");
}

TEST_CASE("without kustomize, kubectl kustomize builds; without either, one line says what to install", "[render]") {
  TempTree t;
  t.write("app/kustomization.yaml", "");
  RenderRequest request;
  request.path = t / "app";
  FakeProcessRunner runner;
  runner.programs = {"kubectl"};
  REQUIRE(render_source(request, {}, runner));
  CHECK(runner.commands[0].argv == std::vector<std::string>{"/bin/kubectl", "kustomize", t / "app"});

  FakeProcessRunner bare;
  auto none = render_source(request, {}, bare);
  REQUIRE_FALSE(none);
  CHECK(none.error().message == t / "app" + ": rendering a kustomization needs kustomize or kubectl on PATH: install one of them");
  CHECK(none.error().exit_code == 2);
}

TEST_CASE("kustomize's own error is shown with the directory", "[render]") {
  TempTree t;
  t.write("app/kustomization.yaml", "");
  FakeProcessRunner runner;
  runner.programs = {"kustomize"};
  runner.outputs.push_back(ProcessOutput{1, "", "Error: accumulating resources: missing.yaml: no such file\n\n"});
  RenderRequest request;
  request.path = t / "app";
  auto failed = render_source(request, {}, runner);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == t / "app" +
                                      ": kustomize build failed: Error: accumulating resources: missing.yaml: no such "
                                      "file (exit code 1)");
}

TEST_CASE("-k on a directory without a kustomization says so", "[render]") {
  TempTree t;
  t.write("app/a.yaml", "");
  FakeProcessRunner runner;
  runner.programs = {"kustomize"};
  std::istringstream no_stdin;
  auto failed = load_inputs({}, {t / "app"}, {}, {}, runner, no_stdin);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message ==
        t / "app" + ": no kustomization.yaml, kustomization.yml or Kustomization in this directory");
}

TEST_CASE("Application kustomize options edit a copy of the checkout, never the user's files", "[render]") {
  TempTree t;
  const std::string original = "resources:\n  - ../base\nnamePrefix: base-\n";
  t.write("repo/apps/web/kustomization.yaml", original);
  t.write("repo/base/kustomization.yaml", "resources: []\n");
  t.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  FakeProcessRunner runner;
  runner.programs = {"kubectl"};
  std::string edited;
  bool git_copied = true;
  runner.on_run = [&](const Command& c) {
    edited = read(c.argv.back() + "/kustomization.yaml");
    git_copied = std::filesystem::exists(c.dir + "/.git");
    CHECK(std::filesystem::exists(c.dir + "/base/kustomization.yaml"));
  };
  RenderRequest request;
  request.path = t / "repo/apps/web";
  request.repo_root = t / "repo";
  request.kustomize.name_prefix = "prod-";
  request.kustomize.namespace_name = "shop";
  REQUIRE(render_source(request, {}, runner));
  CHECK(runner.commands[0].argv.back() != t / "repo/apps/web");
  CHECK(nlohmann::json::parse(edited) ==
        nlohmann::json{{"resources", {"../base"}}, {"namePrefix", "prod-"}, {"namespace", "shop"}});
  CHECK_FALSE(git_copied);
  CHECK(read(t / "repo/apps/web/kustomization.yaml") == original);
  CHECK_FALSE(std::filesystem::exists(runner.commands[0].dir));  // the copy is gone
}

TEST_CASE("a chart is rendered with Argo CD's helm template arguments", "[render]") {
  TempTree t;
  t.write("chart/Chart.yaml", "name: web\n");
  FakeProcessRunner runner;
  runner.programs = {"helm"};
  RenderRequest request;
  request.path = t / "chart";
  request.helm.release_name = "shop";
  request.helm.value_files = {t / "prod.yaml"};
  request.helm.set = {{"image.tag", "1.2"}, {"hosts", "a,b"}};
  request.helm.set_string = {{"port", "80"}};
  request.helm.skip_tests = true;
  REQUIRE(render_source(request, in_namespace("prod"), runner));
  CHECK(runner.commands[0].dir == t / "chart");
  CHECK(runner.commands[0].argv ==
        std::vector<std::string>{"/bin/helm", "template", ".", "--name-template", "shop", "--namespace", "prod",
                                 "--set", "image.tag=1.2", "--set", "hosts=a\\,b", "--set-string", "port=80",
                                 "--values", t / "prod.yaml", "--include-crds", "--skip-tests"});
}

TEST_CASE("the release name defaults to the chart directory's name; no helm is one line", "[render]") {
  TempTree t;
  t.write("shop-web/Chart.yaml", "name: web\n");
  RenderRequest request;
  request.path = t / "shop-web";
  FakeProcessRunner runner;
  runner.programs = {"helm"};
  REQUIRE(render_source(request, {}, runner));
  CHECK(runner.commands[0].argv[4] == "shop-web");
  FakeProcessRunner bare;
  auto none = render_source(request, {}, bare);
  REQUIRE_FALSE(none);
  CHECK(none.error().message == t / "shop-web" + ": rendering a Helm chart needs helm on PATH: install helm (v3 or v4)");
}

TEST_CASE("helm's error is shown with the chart directory", "[render]") {
  TempTree t;
  t.write("chart/Chart.yaml", "name: web\n");
  FakeProcessRunner runner;
  runner.programs = {"helm"};
  runner.outputs.push_back(
      ProcessOutput{1, "", "Error: parse error at (web/templates/cm.yaml:4): unexpected \"}\" in operand\n"});
  RenderRequest request;
  request.path = t / "chart";
  auto failed = render_source(request, {}, runner);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message ==
        t / "chart" +
            ": helm template failed: Error: parse error at (web/templates/cm.yaml:4): unexpected \"}\" in operand "
            "(exit code 1)");
}

TEST_CASE("each rendered object points at the template helm names in # Source", "[render]") {
  TempTree t;
  t.write("chart/Chart.yaml", "name: web\n");
  FakeProcessRunner runner;
  runner.programs = {"helm"};
  runner.outputs.push_back(ProcessOutput{0, R"(---
# Source: web/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
# Source: web/charts/db/templates/secret.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations:
    argocd.argoproj.io/sync-wave: "x"
)",
                                         ""});
  RenderRequest request;
  request.path = t / "chart";
  auto rendered = render_source(request, {}, runner);
  REQUIRE(rendered);
  REQUIRE(rendered->resources.size() == 2);
  CHECK(rendered->resources[0].source.str() == t / "chart/templates/cm.yaml");
  CHECK(rendered->resources[1].source.str() == t / "chart/charts/db/templates/secret.yaml");
  CHECK(rendered->resources[1].annotation_source("argocd.argoproj.io/sync-wave").str() ==
        t / "chart/charts/db/templates/secret.yaml");
}

TEST_CASE("command-line paths: plain directories are read, kustomizations and charts rendered, in order", "[render]") {
  TempTree t;
  t.write("plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n");
  t.write("k/kustomization.yaml", "");
  t.write("chart/Chart.yaml", "name: c\n");
  FakeProcessRunner runner;
  runner.programs = {"kustomize", "helm"};
  runner.outputs.push_back(ProcessOutput{0, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-k\n", ""});
  runner.outputs.push_back(ProcessOutput{0, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-helm\n", ""});
  HelmOptions helm;
  helm.release_name = "rel";
  std::istringstream no_stdin;
  auto loaded = load_inputs({t / "k", t / "plain", t / "chart"}, {}, helm, {}, runner, no_stdin);
  REQUIRE(loaded);
  REQUIRE(loaded->resources.size() == 3);
  CHECK(loaded->resources[0].name() == "from-k");
  CHECK(loaded->resources[1].name() == "plain");
  CHECK(loaded->resources[2].name() == "from-helm");
  CHECK(runner.commands[1].argv[4] == "rel");
}

TEST_CASE("--set values are escaped as Argo CD escapes them", "[render]") {
  CHECK(clean_set_value("a,b") == "a\\,b");
  CHECK(clean_set_value("a\\,b") == "a\\,b");
  CHECK(clean_set_value("{a,b}") == "{a,b}");
  CHECK(clean_set_value("plain") == "plain");
}

TEST_CASE("a directory source reads the top directory unless recurse, with include and exclude", "[render]") {
  TempTree t;
  t.write("a.yaml", "");
  t.write("b.json", "");
  t.write("notes.txt", "");
  t.write("sub/c.yaml", "");
  t.write(".git/config.yaml", "");
  auto top = directory_files(t.str(), {});
  REQUIRE(top);
  CHECK(*top == std::vector<std::string>{t / "a.yaml", t / "b.json"});
  auto all = directory_files(t.str(), DirectoryOptions{true, "", "b.json"});
  REQUIRE(all);
  CHECK(*all == std::vector<std::string>{t / "a.yaml", t / "sub/c.yaml"});
  auto included = directory_files(t.str(), DirectoryOptions{true, "sub/*", ""});
  REQUIRE(included);
  CHECK(*included == std::vector<std::string>{t / "sub/c.yaml"});
}

TEST_CASE("a Jsonnet file in a directory source is an error, not silently skipped", "[render]") {
  TempTree t;
  t.write("a.yaml", "");
  t.write("app.jsonnet", "{}");
  auto files = directory_files(t.str(), {});
  REQUIRE_FALSE(files);
  CHECK(files.error().message == t / "app.jsonnet" + ": Jsonnet is not supported: render it to YAML first (Argo CD evaluates it)");
}

TEST_CASE("in a git checkout only what git lists is copied for the kustomize edits", "[render]") {
  TempTree t;
  t.write("repo/.git/HEAD", "ref: refs/heads/main\n");
  t.write("repo/apps/web/kustomization.yaml", "resources: []\n");
  t.write("repo/build/huge.o", "ignored by git");
  FakeProcessRunner runner;
  runner.programs = {"kubectl", "git"};
  runner.outputs.push_back(ProcessOutput{0, std::string("apps/web/kustomization.yaml\0gone.yaml\0", 39), ""});
  bool build_copied = true;
  runner.on_run = [&](const Command& c) {
    if (c.argv[0] == "/bin/kubectl") build_copied = std::filesystem::exists(c.dir + "/build/huge.o");
  };
  RenderRequest request;
  request.path = t / "repo/apps/web";
  request.repo_root = t / "repo";
  request.kustomize.name_suffix = "-x";
  REQUIRE(render_source(request, {}, runner));
  REQUIRE(runner.commands.size() == 2);
  CHECK(runner.commands[0].argv ==
        std::vector<std::string>{"/bin/git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"});
  CHECK(runner.commands[0].dir == t / "repo");
  CHECK_FALSE(build_copied);
}
