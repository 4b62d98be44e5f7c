// Loads the user's health scripts: an argocd-cm ConfigMap from a file or from the cluster, and
// directories laid out as Argo CD's resource_customizations/.
#include "health_sources.hpp"

#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/manifest/yaml_documents.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace wavesync::cli {

namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  if (text.size() > manifest::k_max_file_bytes) {
    return make_error(path + ": " + std::to_string(text.size()) + " bytes: expected at most " +
                      std::to_string(manifest::k_max_file_bytes));
  }
  return text;
}

// The ConfigMap's data and its parsed `resource.customizations` block into `scripts`.
Result<void> add_config_map(health::Scripts& scripts, const nlohmann::json& config_map, const std::string& origin) {
  if (!config_map.is_object() || config_map.value("kind", "") != "ConfigMap") {
    return make_error(origin + ": expected a ConfigMap (argocd-cm)");
  }
  nlohmann::json data = config_map.value("data", nlohmann::json::object());
  if (!data.is_object()) return make_error(origin + ": data is not a map");
  nlohmann::json block;
  if (auto it = data.find("resource.customizations"); it != data.end() && it->is_string() && !it->get<std::string>().empty()) {
    // Argo CD reads the block with yaml.Unmarshal: its first YAML document.
    manifest::AliasBudget budget;
    auto document = manifest::parse_first_yaml_document(it->get<std::string>(), origin + " resource.customizations",
                                                        {}, budget);
    if (!document) return document.error();
    block = std::move(document->root);
    if (!block.is_null() && !block.is_object()) {
      return make_error(origin + " resource.customizations: expected a map of group/Kind to customizations");
    }
  }
  return scripts.add_argocd_cm(data, block, origin);
}

constexpr std::size_t k_max_script_bytes = std::size_t{1} << 20;

}  // namespace

Result<void> add_health_script_dir(health::Scripts& scripts, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error(dir + ": not a directory");
  auto add = [&](const fs::path& file, const std::string& key) -> Result<void> {
    auto size = fs::file_size(file, ec);
    if (ec) return make_error(file.string() + ": cannot read: " + ec.message());
    if (size > k_max_script_bytes) {
      return make_error(file.string() + ": " + std::to_string(size) + " bytes: expected at most " +
                        std::to_string(k_max_script_bytes));
    }
    auto text = read_file(file.string());
    if (!text) return text.error();
    scripts.add_file(key, {file.string(), std::move(*text)});
    return {};
  };
  std::vector<fs::path> groups;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->is_directory()) groups.push_back(it->path());
  }
  if (ec) return make_error(dir + ": cannot read: " + ec.message());
  for (const fs::path& group : groups) {
    std::string group_name = group.filename().string();
    if (fs::is_regular_file(group / "health.lua", ec)) {
      if (auto ok = add(group / "health.lua", group_name); !ok) return ok;
    }
    for (auto it = fs::directory_iterator(group, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      fs::path file = it->path() / "health.lua";
      if (!it->is_directory() || !fs::is_regular_file(file, ec)) continue;
      if (auto ok = add(file, group_name + "/" + it->path().filename().string()); !ok) return ok;
    }
  }
  return {};
}

namespace {

Result<nlohmann::json> config_map_from_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  auto documents = manifest::read_documents(*text, path);
  if (!documents) return documents.error();
  for (auto& document : *documents) {
    if (!document.root.is_null()) return std::move(document.root);
  }
  return make_error(path + ": no ConfigMap in the file");
}

}  // namespace

void add_health_source_flags(CLI::App* cmd, HealthSourceFlags* flags) {
  cmd->add_option("--argocd-cm", flags->argocd_cm,
                  "Argo CD health customizations: an argocd-cm ConfigMap file, or NAMESPACE/NAME on the cluster");
  cmd->add_option("--health-scripts", flags->script_dirs,
                  "Directory of health scripts laid out as Argo CD's resource_customizations/ (repeatable)");
}

Result<std::unique_ptr<health::Scripts>> load_health_scripts(const HealthSourceFlags& flags, kube::Client* client) {
  if (flags.argocd_cm.empty() && flags.script_dirs.empty()) return std::unique_ptr<health::Scripts>();
  auto scripts = std::make_unique<health::Scripts>();
  if (!flags.argocd_cm.empty()) {
    const std::string& source = flags.argocd_cm;
    std::error_code ec;
    if (std::filesystem::exists(source, ec)) {
      auto config_map = config_map_from_file(source);
      if (!config_map) return config_map.error().wrap("--argocd-cm");
      if (auto ok = add_config_map(*scripts, *config_map, source); !ok) return ok.error().wrap("--argocd-cm");
    } else {
      auto slash = source.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == source.size() ||
          source.find('/', slash + 1) != std::string::npos) {
        return make_error("--argocd-cm " + source + ": no such file, and not NAMESPACE/NAME");
      }
      if (client == nullptr) {
        return make_error("--argocd-cm " + source + ": no such file (NAMESPACE/NAME needs a cluster: use it with apply or status)");
      }
      std::string origin = "configmap " + source;
      auto live = client->get(kube::ObjectRef{"v1", "ConfigMap", source.substr(0, slash), source.substr(slash + 1)});
      if (!live) return live.error().wrap("--argocd-cm: read " + origin);
      if (!*live) return make_error("--argocd-cm: " + origin + " not found", exit_code::k_cluster);
      if (auto ok = add_config_map(*scripts, **live, origin); !ok) return ok.error().wrap("--argocd-cm");
    }
  }
  for (const std::string& dir : flags.script_dirs) {
    if (auto ok = add_health_script_dir(*scripts, dir); !ok) return ok.error().wrap("--health-scripts");
  }
  return scripts;
}

}  // namespace wavesync::cli
