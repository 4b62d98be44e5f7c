#include "wavesync/render/render.hpp"

#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/render/directory_source.hpp"
#include "wavesync/render/kustomization_edit.hpp"
#include "wavesync/render/workspace.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace wavesync::render {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_kustomization_names[] = {"kustomization.yaml", "kustomization.yml", "Kustomization"};

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string absolute(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

// The renderer's complaint as one line: its stderr (else stdout) trimmed, lines joined.
std::string complaint(const ProcessOutput& output) {
  std::string text = output.err.empty() ? output.out : output.err;
  std::string line;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part);) {
    while (!part.empty() && (part.back() == '\r' || part.back() == ' ' || part.back() == '\t')) part.pop_back();
    if (part.empty()) continue;
    if (!line.empty()) line += "; ";
    line += part;
  }
  if (line.empty()) line = "no message";
  return line + " (exit code " + std::to_string(output.exit_status) + ")";
}

// Every object of a rendered source points at `file`: the rendered text's own lines mean
// nothing in the repository.
void locate_at(std::vector<Resource>& resources, const std::string& file) {
  for (Resource& r : resources) {
    r.source = SourceLocation{file, 0, 0};
    r.forget_annotation_positions();
  }
}

Result<manifest::LoadResult> run_renderer(const Command& command, const std::string& what, const std::string& dir,
                                          const manifest::LoadOptions& load, ProcessRunner& runner) {
  auto output = runner.run(command);
  if (!output) return output.error().wrap(dir + ": " + what);
  if (output->exit_status != 0) return make_error(dir + ": " + what + " failed: " + complaint(*output));
  return manifest::load_manifest_text(output->out, dir + " (" + what + " output)", load);
}

// The files of a git checkout as a clone would have them (tracked, plus new files git does not
// ignore, so uncommitted work renders too), relative to `root`; nullopt when `root` is not a
// checkout or git is not there: then the whole tree is copied.
std::optional<std::vector<std::string>> checkout_files(const std::string& root, ProcessRunner& runner) {
  std::error_code ec;
  if (!fs::exists(fs::path(root) / ".git", ec)) return std::nullopt;
  auto git = runner.find_program("git");
  if (!git) return std::nullopt;
  auto listed = runner.run(Command{{*git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"}, root});
  if (!listed || listed->exit_status != 0) return std::nullopt;
  std::vector<std::string> files;
  std::size_t start = 0;
  for (std::size_t end; (end = listed->out.find('\0', start)) != std::string::npos; start = end + 1)
    if (end > start) files.push_back(listed->out.substr(start, end - start));
  return files;
}

Result<manifest::LoadResult> render_kustomize(const RenderRequest& request, const manifest::LoadOptions& load,
                                              ProcessRunner& runner) {
  const std::string file = kustomization_file(request.path);
  if (file.empty())
    return make_error(request.path + ": no kustomization.yaml, kustomization.yml or Kustomization in this directory");
  Command command;
  std::string what;
  if (auto kustomize = runner.find_program("kustomize")) {
    command.argv = {*kustomize, "build"};
    what = "kustomize build";
  } else if (auto kubectl = runner.find_program("kubectl")) {
    command.argv = {*kubectl, "kustomize"};
    what = "kubectl kustomize";
  } else {
    return make_error(request.path + ": rendering a kustomization needs kustomize or kubectl on PATH: install one of them");
  }
  // Argo CD builds with the checkout's root as working directory and no extra build options
  // (kustomize.buildOptions is empty by default).
  const std::string repo_root = absolute(request.repo_root.empty() ? request.path : request.repo_root);
  std::string build_path = absolute(request.path);
  std::optional<TempDir> scratch;
  if (request.kustomize.edits()) {
    auto dir = TempDir::create();
    if (!dir) return dir.error();
    scratch.emplace(std::move(*dir));
    const fs::path rel = fs::path(build_path).lexically_relative(repo_root);
    if (rel.empty() || *rel.begin() == "..")
      return make_error(request.path + ": outside the checkout " + repo_root);
    auto copied = copy_checkout(repo_root, scratch->path(), checkout_files(repo_root, runner));
    if (!copied) return copied.error();
    build_path = (fs::path(scratch->path()) / rel).lexically_normal().string();
    const std::string copy_file = join_path(build_path, fs::path(file).filename().string());
    std::ifstream in(copy_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto docs = manifest::read_documents(text.str(), file);
    if (!docs) return docs.error();
    auto edited = edit_kustomization(docs->empty() ? nlohmann::json() : docs->front().root, request.kustomize, file);
    if (!edited) return edited.error();
    // kustomize reads JSON as YAML.
    auto written = write_file(copy_file, edited->dump(2));
    if (!written) return written.error();
    command.dir = scratch->path();
  }
  command.argv.push_back(build_path);
  if (command.dir.empty()) command.dir = repo_root;
  auto loaded = run_renderer(command, what, request.path, load, runner);
  if (!loaded) return loaded;
  locate_at(loaded->resources, file);
  return loaded;
}

Result<manifest::LoadResult> render_helm(const RenderRequest& request, const manifest::LoadOptions& load,
                                         ProcessRunner& runner) {
  auto helm = runner.find_program("helm");
  if (!helm) return make_error(request.path + ": rendering a Helm chart needs helm on PATH: install helm (v3 or v4)");
  const HelmOptions& h = request.helm;
  std::string release = h.release_name;
  if (release.empty()) release = fs::path(absolute(request.path)).filename().string();
  Command command;
  command.dir = request.path;
  // The arguments of Argo CD's util/helm/cmd.go, template.
  command.argv = {*helm, "template", ".", "--name-template", release, "--namespace",
                  h.namespace_name.empty() ? load.default_namespace : h.namespace_name};
  if (!h.kube_version.empty()) command.argv.insert(command.argv.end(), {"--kube-version", h.kube_version});
  for (const auto& [key, value] : h.set) command.argv.insert(command.argv.end(), {"--set", key + "=" + clean_set_value(value)});
  for (const auto& [key, value] : h.set_string)
    command.argv.insert(command.argv.end(), {"--set-string", key + "=" + clean_set_value(value)});
  for (const auto& [key, value] : h.set_file)
    command.argv.insert(command.argv.end(), {"--set-file", key + "=" + clean_set_value(absolute(value))});
  for (const std::string& file : h.value_files) {
    const bool url = file.find("://") != std::string::npos;
    command.argv.insert(command.argv.end(), {"--values", url ? file : absolute(file)});
  }
  std::optional<TempDir> scratch;
  if (!h.values_yaml.empty()) {
    auto dir = TempDir::create();
    if (!dir) return dir.error();
    scratch.emplace(std::move(*dir));
    const std::string values = scratch->path() + "/values.yaml";
    auto written = write_file(values, h.values_yaml);
    if (!written) return written.error();
    command.argv.insert(command.argv.end(), {"--values", values});
  }
  for (const std::string& v : h.api_versions) command.argv.insert(command.argv.end(), {"--api-versions", v});
  if (!h.skip_crds) command.argv.emplace_back("--include-crds");
  if (h.skip_schema_validation) command.argv.emplace_back("--skip-schema-validation");
  if (h.skip_tests) command.argv.emplace_back("--skip-tests");

  auto output = runner.run(command);
  if (!output) return output.error().wrap(request.path + ": helm template");
  if (output->exit_status != 0) {
    std::string message = request.path + ": helm template failed: " + complaint(*output);
    // Argo CD runs `helm dependency build` here; that needs the chart repositories, so it is
    // left to the user.
    if (output->err.find("dependencies") != std::string::npos && output->err.find("missing") != std::string::npos)
      message += ": run `helm dependency build " + request.path + "` first";
    return make_error(message);
  }
  auto loaded = manifest::load_manifest_text(output->out, request.path + " (helm template output)", load);
  if (!loaded) return loaded;
  locate_helm_templates(loaded->resources, output->out, request.path);
  return loaded;
}

}  // namespace

std::string kustomization_file(const std::string& dir) {
  for (const char* name : k_kustomization_names) {
    std::error_code ec;
    const std::string file = join_path(dir, name);
    if (fs::is_regular_file(file, ec)) return file;
  }
  return "";
}

SourceKind detect_kind(const std::string& dir) {
  if (!kustomization_file(dir).empty()) return SourceKind::kustomize;
  std::error_code ec;
  if (fs::is_regular_file(join_path(dir, "Chart.yaml"), ec)) return SourceKind::helm;
  return SourceKind::directory;
}

Result<manifest::LoadResult> render_source(const RenderRequest& request, const manifest::LoadOptions& load,
                                    ProcessRunner& runner) {
  std::error_code ec;
  if (!fs::is_directory(request.path, ec)) return make_error(request.path + ": not a directory");
  switch (request.kind.value_or(detect_kind(request.path))) {
    case SourceKind::kustomize:
      return render_kustomize(request, load, runner);
    case SourceKind::helm:
      return render_helm(request, load, runner);
    case SourceKind::directory:
      break;
  }
  auto files = directory_files(request.path, request.directory);
  if (!files) return files.error();
  std::istringstream no_stdin;
  return manifest::load_manifests(*files, load, no_stdin);
}

Result<manifest::LoadResult> load_inputs(const std::vector<std::string>& paths,
                                         const std::vector<std::string>& kustomize_dirs, const HelmOptions& helm,
                                         const manifest::LoadOptions& load, ProcessRunner& runner,
                                         std::istream& stdin_stream) {
  manifest::LoadResult all;
  auto add = [&all](manifest::LoadResult&& part) {
    all.resources.insert(all.resources.end(), std::make_move_iterator(part.resources.begin()),
                         std::make_move_iterator(part.resources.end()));
    all.warnings.insert(all.warnings.end(), part.warnings.begin(), part.warnings.end());
  };
  for (const std::string& dir : kustomize_dirs) {
    RenderRequest request;
    request.path = dir;
    request.kind = SourceKind::kustomize;
    auto rendered = render_source(request, load, runner);
    if (!rendered) return rendered.error();
    add(std::move(*rendered));
  }
  std::vector<std::string> plain;
  auto flush_plain = [&]() -> Result<void> {
    if (plain.empty()) return {};
    auto loaded = manifest::load_manifests(plain, load, stdin_stream);
    plain.clear();
    if (!loaded) return loaded.error();
    add(std::move(*loaded));
    return {};
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    const SourceKind kind = path != "-" && fs::is_directory(path, ec) ? detect_kind(path) : SourceKind::directory;
    if (kind == SourceKind::directory) {
      plain.push_back(path);
      continue;
    }
    if (auto flushed = flush_plain(); !flushed) return flushed.error();
    RenderRequest request;
    request.path = path;
    request.kind = kind;
    request.helm = helm;
    auto rendered = render_source(request, load, runner);
    if (!rendered) return rendered.error();
    add(std::move(*rendered));
  }
  if (auto flushed = flush_plain(); !flushed) return flushed.error();
  return all;
}

std::string clean_set_value(const std::string& value) {
  if (value.size() >= 2 && value.front() == '{' && value.back() == '}') return value;
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ',' && (i == 0 || value[i - 1] != '\\')) out += '\\';
    out += value[i];
  }
  return out;
}

void locate_helm_templates(std::vector<Resource>& resources, const std::string& rendered,
                           const std::string& chart_dir) {
  // (line, template) for every `# Source: <chart>/<path>` comment, in order.
  std::vector<std::pair<int, std::string>> sources;
  std::istringstream in(rendered);
  int line_no = 0;
  const std::string prefix = "# Source: ";
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.rfind(prefix, 0) != 0) continue;
    std::string path = line.substr(prefix.size());
    while (!path.empty() && (path.back() == '\r' || path.back() == ' ')) path.pop_back();
    // The first component is the chart's name, which need not be its directory's.
    const std::size_t slash = path.find('/');
    sources.emplace_back(line_no, join_path(chart_dir, slash == std::string::npos ? path : path.substr(slash + 1)));
  }
  for (Resource& r : resources) {
    std::string file = join_path(chart_dir, "Chart.yaml");
    for (const auto& [at, template_file] : sources) {
      if (at > r.source.line) break;
      file = template_file;
    }
    r.source = SourceLocation{file, 0, 0};
    r.forget_annotation_positions();
  }
}

}  // namespace wavesync::render
