// kubeconfig loading. Mirrors client-go tools/clientcmd: loader.go (file chain, merge,
// ResolveLocalPaths), client_config.go (context selection, namespace) and validation.go.
// This is the one place outside manifest/ that includes yaml-cpp: kubeconfig is YAML and
// parsing it is a kube concern.
#include "wavesync/kube/kubeconfig.hpp"

#include "wavesync/kube/base64.hpp"
#include "wavesync/kube/files.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

namespace wavesync::kube {
namespace {

Error cluster_error(std::string message) {
  return make_error(std::move(message), exit_code::k_cluster);
}

// One named entry and the directory of the file that defined it (LocationOfOrigin), against
// which its relative paths are resolved.
struct Entry {
  YAML::Node payload;
  std::string dir;
  std::string file;
};

struct Merged {
  std::map<std::string, Entry> clusters;
  std::map<std::string, Entry> users;
  std::map<std::string, Entry> contexts;
  std::string current_context;
  std::string origin;
};

std::string scalar(const YAML::Node& map, const char* key) {
  const YAML::Node v = map[key];
  if (!v || !v.IsScalar()) return {};
  return v.Scalar();
}

Result<bool> boolean(const YAML::Node& map, const char* key, const std::string& where) {
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return false;
  try {
    return v.as<bool>();
  } catch (const YAML::Exception&) {
    return cluster_error(where + ": " + key + ": expected true or false");
  }
}

// Adds `list`'s named entries to `into`; the first file defining a name wins as a whole
// (client-go merge.go), and a name twice in one file is an error (conversion.go).
Result<void> merge_list(const YAML::Node& root, const char* list, const char* payload_key,
                        const std::string& file, std::map<std::string, Entry>& into) {
  const YAML::Node items = root[list];
  if (!items || items.IsNull()) return {};
  if (!items.IsSequence()) return cluster_error(file + ": " + list + ": expected a list");
  std::set<std::string> seen;
  const std::string dir = std::filesystem::path(file).parent_path().string();
  for (const YAML::Node& item : items) {
    if (!item.IsMap()) return cluster_error(file + ": " + list + ": expected a list of mappings");
    const std::string name = scalar(item, "name");
    if (name.empty()) return cluster_error(file + ": " + list + ": an entry has no name");
    if (!seen.insert(name).second) {
      return cluster_error(file + ": duplicate name \"" + name + "\" in " + list);
    }
    YAML::Node payload = item[payload_key];
    if (!payload || payload.IsNull()) payload = YAML::Node(YAML::NodeType::Map);
    into.try_emplace(name, Entry{payload, dir, file});
  }
  return {};
}

Result<void> merge_file(const std::string& given_path, Merged& merged) {
  const std::string path = std::filesystem::absolute(given_path).lexically_normal().string();
  auto text = read_file(path);
  if (!text) return text.error().wrap("kubeconfig");
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return cluster_error(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": invalid kubeconfig: " + e.msg);
  }
  if (!root || root.IsNull()) return {};  // an empty file is an empty config
  if (!root.IsMap()) return cluster_error(path + ": invalid kubeconfig: expected a mapping");
  if (auto r = merge_list(root, "clusters", "cluster", path, merged.clusters); !r) return r;
  if (auto r = merge_list(root, "users", "user", path, merged.users); !r) return r;
  if (auto r = merge_list(root, "contexts", "context", path, merged.contexts); !r) return r;
  // Scalars: the first non-empty value wins (kubectl config current-context agrees).
  if (merged.current_context.empty()) merged.current_context = scalar(root, "current-context");
  return {};
}

std::string names_of(const std::map<std::string, Entry>& entries) {
  std::string out;
  for (const auto& [name, entry] : entries) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out.empty() ? "(none)" : out;
}

// Either `*-data` or the file variant. Both is an error, as client-go validation.go's
// ConfirmUsable makes it ("certificate-authority-data and certificate-authority are both
// specified").
Result<std::string> data_or_file(const Entry& entry, const char* data_key, const char* file_key,
                                 const std::string& where) {
  const std::string data = scalar(entry.payload, data_key);
  if (!data.empty() && !scalar(entry.payload, file_key).empty()) {
    return cluster_error(where + ": " + data_key + " and " + file_key +
                         " are both set: keep one of them");
  }
  if (!data.empty()) {
    auto decoded = base64_decode(data);
    if (!decoded) return cluster_error(where + ": " + data_key + " is not valid base64");
    return *decoded;
  }
  const std::string file = resolve_against(scalar(entry.payload, file_key), entry.dir);
  if (file.empty()) return std::string();
  auto content = read_file(file);
  if (!content) return content.error().wrap(where + ": " + file_key);
  return *content;
}

Result<ClusterInfo> cluster_of(const std::string& name, const Entry& entry) {
  const std::string where = "cluster \"" + name + "\" in " + entry.file;
  ClusterInfo c;
  c.name = name;
  c.server = scalar(entry.payload, "server");
  if (c.server.empty()) return cluster_error(where + " has no server: add its https:// URL");
  c.tls_server_name = scalar(entry.payload, "tls-server-name");
  c.proxy_url = scalar(entry.payload, "proxy-url");
  auto insecure = boolean(entry.payload, "insecure-skip-tls-verify", where);
  if (!insecure) return insecure.error();
  c.insecure_skip_tls_verify = *insecure;
  auto no_compression = boolean(entry.payload, "disable-compression", where);
  if (!no_compression) return no_compression.error();
  c.disable_compression = *no_compression;
  auto ca = data_or_file(entry, "certificate-authority-data", "certificate-authority", where);
  if (!ca) return ca.error();
  c.ca_pem = std::move(*ca);
  if (c.insecure_skip_tls_verify && !c.ca_pem.empty()) {
    return cluster_error(where +
                         ": certificate-authority and insecure-skip-tls-verify cannot both be set: "
                         "remove one of them");
  }
  if (!c.proxy_url.empty()) {
    const auto scheme = c.proxy_url.substr(0, c.proxy_url.find("://"));
    if (scheme != "http" && scheme != "https" && scheme != "socks5") {
      return cluster_error(where + ": proxy-url \"" + c.proxy_url +
                           "\": unsupported scheme: use http, https or socks5");
    }
  }
  const YAML::Node extensions = entry.payload["extensions"];
  if (extensions && extensions.IsSequence()) {
    for (const YAML::Node& ext : extensions) {
      if (scalar(ext, "name") == "client.authentication.k8s.io/exec" && ext["extension"]) {
        // Passed through to exec plugins as `spec.cluster.config`; kept as JSON text.
        YAML::Emitter out;
        out << YAML::DoubleQuoted << YAML::Flow << ext["extension"];
        c.exec_extension = nlohmann::json::parse(out.c_str(), nullptr, false);
        if (c.exec_extension.is_discarded()) c.exec_extension = nullptr;
      }
    }
  }
  return c;
}

Result<ExecConfig> exec_of(const YAML::Node& node, const Entry& entry, const std::string& where) {
  ExecConfig e;
  e.command = scalar(node, "command");
  e.api_version = scalar(node, "apiVersion");
  e.install_hint = scalar(node, "installHint");
  e.interactive_mode = scalar(node, "interactiveMode");
  if (e.command.empty()) return cluster_error(where + ": exec: command is required");
  if (e.api_version != "client.authentication.k8s.io/v1" &&
      e.api_version != "client.authentication.k8s.io/v1beta1") {
    return cluster_error(where + ": exec: apiVersion \"" + e.api_version +
                         "\" is not supported: use client.authentication.k8s.io/v1");
  }
  if (e.interactive_mode.empty()) {
    if (e.api_version == "client.authentication.k8s.io/v1") {
      return cluster_error(where + ": exec: interactiveMode is required for " + e.api_version +
                           ": set Never, IfAvailable or Always");
    }
    e.interactive_mode = "IfAvailable";  // v1beta1 default (client-go defaults.go)
  }
  if (e.interactive_mode != "Never" && e.interactive_mode != "IfAvailable" &&
      e.interactive_mode != "Always") {
    return cluster_error(where + ": exec: interactiveMode \"" + e.interactive_mode +
                         "\" is invalid: use Never, IfAvailable or Always");
  }
  // A command with a `/` is a path relative to the kubeconfig; a bare name is looked up in
  // PATH (client-go ResolveLocalPaths).
  if (e.command.find('/') != std::string::npos) e.command = resolve_against(e.command, entry.dir);
  auto pc = boolean(node, "provideClusterInfo", where);
  if (!pc) return pc.error();
  e.provide_cluster_info = *pc;
  if (const YAML::Node args = node["args"]; args && args.IsSequence()) {
    for (const YAML::Node& a : args) e.args.push_back(a.IsScalar() ? a.Scalar() : std::string());
  }
  if (const YAML::Node env = node["env"]; env && env.IsSequence()) {
    for (const YAML::Node& v : env) e.env.emplace_back(scalar(v, "name"), scalar(v, "value"));
  }
  return e;
}

std::vector<std::string> strings_of(const YAML::Node& list) {
  std::vector<std::string> out;
  if (!list || !list.IsSequence()) return out;
  for (const YAML::Node& v : list) {
    if (v.IsScalar()) out.push_back(v.Scalar());
  }
  return out;
}

// `as`, `as-uid`, `as-groups` and `as-user-extra` (clientcmd/api/v1 AuthInfo).
Result<Impersonation> impersonation_of(const YAML::Node& p, const std::string& where) {
  Impersonation i;
  i.user = scalar(p, "as");
  i.uid = scalar(p, "as-uid");
  const YAML::Node groups = p["as-groups"];
  if (groups && !groups.IsNull() && !groups.IsSequence()) {
    return cluster_error(where + ": as-groups: expected a list of group names");
  }
  i.groups = strings_of(groups);
  const YAML::Node extra = p["as-user-extra"];
  if (extra && !extra.IsNull()) {
    if (!extra.IsMap()) return cluster_error(where + ": as-user-extra: expected a mapping of lists");
    for (const auto& kv : extra) {
      if (!kv.second.IsSequence()) {
        return cluster_error(where + ": as-user-extra: " + kv.first.Scalar() +
                             ": expected a list of values");
      }
      i.extra[kv.first.Scalar()] = strings_of(kv.second);
    }
  }
  return i;
}

Result<UserInfo> user_of(const std::string& name, const Entry& entry) {
  const std::string where = "user \"" + name + "\" in " + entry.file;
  UserInfo u;
  u.name = name;
  const YAML::Node& p = entry.payload;
  if (const YAML::Node ap = p["auth-provider"]; ap && !ap.IsNull()) {
    return cluster_error(where + ": auth-provider \"" + scalar(ap, "name") +
                         "\" is not supported: use an exec credential plugin (e.g. kubelogin) "
                         "instead");
  }
  auto cert = data_or_file(entry, "client-certificate-data", "client-certificate", where);
  if (!cert) return cert.error();
  auto key = data_or_file(entry, "client-key-data", "client-key", where);
  if (!key) return key.error();
  u.client_certificate_pem = std::move(*cert);
  u.client_key_pem = std::move(*key);
  if (u.client_certificate_pem.empty() != u.client_key_pem.empty()) {
    return cluster_error(where + ": a client certificate needs a client key and vice versa");
  }
  u.token = scalar(p, "token");
  // With both, client-go sends the file's token and falls back to `token` when the file
  // cannot be read (transport/round_trippers.go, NewBearerAuthWithRefreshRoundTripper).
  u.token_file = resolve_against(scalar(p, "tokenFile"), entry.dir);
  auto impersonation = impersonation_of(p, where);
  if (!impersonation) return impersonation.error();
  u.impersonate = std::move(*impersonation);
  u.username = scalar(p, "username");
  u.password = scalar(p, "password");
  if ((!u.token.empty() || !u.token_file.empty()) && (!u.username.empty() || !u.password.empty())) {
    return cluster_error(where +
                         ": more than one authentication method (token and username/password): "
                         "keep one");
  }
  if (const YAML::Node ex = p["exec"]; ex && !ex.IsNull()) {
    auto e = exec_of(ex, entry, where);
    if (!e) return e.error();
    u.exec = std::move(*e);
  }
  return u;
}

}  // namespace

ConfigSources ConfigSources::from_environment(std::string kubeconfig_flag) {
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  ConfigSources s;
  s.kubeconfig_flag = std::move(kubeconfig_flag);
  s.kubeconfig_env = env("KUBECONFIG");
  s.home = env("HOME").value_or("");
  s.service_host = env("KUBERNETES_SERVICE_HOST");
  s.service_port = env("KUBERNETES_SERVICE_PORT");
  s.pod_namespace = env("POD_NAMESPACE");
  s.proxy = ProxyEnvironment::from_environment();
  s.ssl_cert_file = env("SSL_CERT_FILE").value_or("");
  s.ssl_cert_dir = env("SSL_CERT_DIR").value_or("");
  return s;
}

Result<std::vector<std::string>> kubeconfig_paths(const ConfigSources& sources) {
  if (!sources.kubeconfig_flag.empty()) {
    if (!is_readable_file(sources.kubeconfig_flag)) {
      return cluster_error("--kubeconfig " + sources.kubeconfig_flag +
                           ": no such file: pass the path of an existing kubeconfig");
    }
    return std::vector<std::string>{sources.kubeconfig_flag};
  }
  std::vector<std::string> paths;
  if (sources.kubeconfig_env && !sources.kubeconfig_env->empty()) {
    std::set<std::string> seen;
    std::string_view rest = *sources.kubeconfig_env;
    while (true) {
      const auto colon = rest.find(':');
      const std::string part(rest.substr(0, colon));
      // Empty entries and missing files are skipped, duplicates keep their first position.
      if (!part.empty() && seen.insert(part).second && is_readable_file(part)) paths.push_back(part);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
    return paths;
  }
  if (!sources.home.empty()) {
    const std::string home_config = sources.home + "/.kube/config";
    if (is_readable_file(home_config)) paths.push_back(home_config);
  }
  return paths;
}

namespace {

// --as, --as-uid and --as-group replace the kubeconfig's values; then client-go's
// validation.go rule: uid, groups or extra without a user to impersonate is an error.
Result<void> apply_impersonation(const Selection& selection, const std::string& where,
                                 Impersonation& i) {
  if (!selection.as.empty()) i.user = selection.as;
  if (!selection.as_uid.empty()) i.uid = selection.as_uid;
  if (!selection.as_groups.empty()) i.groups = selection.as_groups;
  if (i.user.empty() && (!i.uid.empty() || !i.groups.empty() || !i.extra.empty())) {
    return cluster_error(where +
                         ": impersonation uid, groups or user-extra without a user to impersonate: "
                         "set `as` in the kubeconfig or pass --as");
  }
  return {};
}

}  // namespace

Result<ClusterAccess> load_cluster_access(const ConfigSources& sources,
                                          const Selection& selection) {
  auto paths = kubeconfig_paths(sources);
  if (!paths) return paths.error();
  Merged merged;
  for (const std::string& path : *paths) {
    if (auto r = merge_file(path, merged); !r) return r.error();
    merged.origin += (merged.origin.empty() ? "" : ":") + path;
  }
  const bool empty = merged.clusters.empty() && merged.users.empty() && merged.contexts.empty() &&
                     merged.current_context.empty();
  if (empty && selection.context.empty() && selection.cluster.empty() && selection.user.empty()) {
    // client-go falls back to in-cluster config only when the kubeconfig chain is empty.
    auto in_cluster = in_cluster_access(sources, selection);
    if (!in_cluster) return in_cluster.error();
    if (*in_cluster) {
      ClusterAccess access = std::move(**in_cluster);
      if (auto r = apply_impersonation(selection, access.origin, access.user.impersonate); !r) {
        return r.error();
      }
      return access;
    }
    if (paths->empty()) {
      return cluster_error("no kubeconfig found: set KUBECONFIG or pass --kubeconfig");
    }
  }
  const std::string origin = "kubeconfig " + merged.origin;
  const std::string context_name =
      selection.context.empty() ? merged.current_context : selection.context;
  // Like kubectl, --cluster (with --user) can stand in for a missing context.
  if (context_name.empty() && selection.cluster.empty()) {
    return cluster_error(origin +
                         " has no current-context: pass --context or run "
                         "'kubectl config use-context NAME'");
  }
  YAML::Node context_payload(YAML::NodeType::Map);
  if (!context_name.empty()) {
    const auto ctx = merged.contexts.find(context_name);
    if (ctx == merged.contexts.end()) {
      return cluster_error("context \"" + context_name + "\" not found in " + origin +
                           ": use one of: " + names_of(merged.contexts));
    }
    context_payload = ctx->second.payload;
  }
  const std::string referrer =
      context_name.empty() ? std::string("--cluster") : "context \"" + context_name + "\"";
  const std::string cluster_name =
      !selection.cluster.empty() ? selection.cluster : scalar(context_payload, "cluster");
  const std::string user_name = !selection.user.empty() ? selection.user : scalar(context_payload, "user");
  const auto cl = merged.clusters.find(cluster_name);
  if (cl == merged.clusters.end()) {
    const std::string by = !selection.cluster.empty() ? std::string("--cluster") : referrer + " refers to";
    return cluster_error(by + " cluster \"" + cluster_name + "\", which is not defined in " + origin +
                         ": use one of: " + names_of(merged.clusters));
  }
  ClusterAccess access;
  auto cluster = cluster_of(cluster_name, cl->second);
  if (!cluster) return cluster.error();
  access.cluster = std::move(*cluster);
  std::string user_where = origin;
  if (!user_name.empty()) {
    const auto us = merged.users.find(user_name);
    if (us == merged.users.end()) {
      const std::string by = !selection.user.empty() ? std::string("--user") : referrer + " refers to";
      return cluster_error(by + " user \"" + user_name + "\", which is not defined in " + origin +
                           ": use one of: " + names_of(merged.users));
    }
    auto user = user_of(user_name, us->second);
    if (!user) return user.error();
    access.user = std::move(*user);
    user_where = "user \"" + user_name + "\" in " + us->second.file;
  }
  if (auto r = apply_impersonation(selection, user_where, access.user.impersonate); !r) return r.error();
  access.context = context_name;
  access.origin = origin;
  access.namespace_name = !selection.namespace_name.empty() ? selection.namespace_name
                          : !scalar(context_payload, "namespace").empty()
                              ? scalar(context_payload, "namespace")
                              : "default";
  return access;
}

Result<KubeconfigNames> kubeconfig_names(const ConfigSources& sources) {
  auto paths = kubeconfig_paths(sources);
  if (!paths) return paths.error();
  Merged merged;
  for (const std::string& path : *paths) {
    if (auto r = merge_file(path, merged); !r) return r.error();
  }
  KubeconfigNames names;
  for (const auto& [name, entry] : merged.contexts) names.contexts.push_back(name);
  for (const auto& [name, entry] : merged.clusters) names.clusters.push_back(name);
  for (const auto& [name, entry] : merged.users) names.users.push_back(name);
  return names;
}

}  // namespace wavesync::kube
