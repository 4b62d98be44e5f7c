// Matching follows golang.org/x/net/http/httpproxy config.go (useProxy, domainMatch,
// cidrMatch, ipMatch).
#include "wavesync/kube/proxy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace wavesync::kube {
namespace {

std::string env_any(const char* upper, const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return {};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// An address as 16 bytes (IPv4 mapped into IPv6), or nullopt when `text` is not an IP.
std::optional<std::array<unsigned char, 16>> parse_ip(const std::string& text) {
  std::array<unsigned char, 16> out{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, text.c_str(), v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, v4, 4);
    return out;
  }
  if (inet_pton(AF_INET6, text.c_str(), out.data()) == 1) return out;
  return std::nullopt;
}

bool is_loopback(const std::array<unsigned char, 16>& ip) {
  static constexpr std::array<unsigned char, 16> v6_loopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const bool v4 = std::all_of(ip.begin(), ip.begin() + 10, [](unsigned char b) { return b == 0; }) &&
                  ip[10] == 0xff && ip[11] == 0xff;
  return (v4 && ip[12] == 127) || ip == v6_loopback;
}

bool in_cidr(const std::array<unsigned char, 16>& ip, const std::string& cidr) {
  const auto slash = cidr.find('/');
  auto net = parse_ip(cidr.substr(0, slash));
  if (!net) return false;
  int bits = std::atoi(cidr.c_str() + slash + 1);
  if (cidr.find(':') == std::string::npos) bits += 96;  // IPv4 prefix inside the mapped form
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffU : (0xffU << (8 - bits)) & 0xffU;
    if ((ip[i] & mask) != ((*net)[i] & mask)) return false;
  }
  return true;
}

// Splits `host:port` / `[v6]:port`; no port: port empty.
void split_host_port(const std::string& entry, std::string* host, std::string* port) {
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    *host = entry.substr(1, close - 1);
    *port = close + 1 < entry.size() && entry[close + 1] == ':' ? entry.substr(close + 2) : "";
    return;
  }
  const auto colon = entry.find(':');
  if (colon != std::string::npos && entry.find(':', colon + 1) == std::string::npos) {
    *host = entry.substr(0, colon);
    *port = entry.substr(colon + 1);
    return;
  }
  *host = entry;
  port->clear();
}

bool excluded(const std::string& host, const std::string& port, const std::string& no_proxy) {
  const auto ip = parse_ip(host);
  std::string_view rest = no_proxy;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string entry = lower(trim(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.find('/') != std::string::npos) {
      if (ip && in_cidr(*ip, entry)) return true;
      continue;
    }
    std::string entry_host;
    std::string entry_port;
    split_host_port(entry, &entry_host, &entry_port);
    if (entry_host.empty()) continue;
    if (auto entry_ip = parse_ip(entry_host)) {
      if (ip && *ip == *entry_ip && (entry_port.empty() || entry_port == port)) return true;
      continue;
    }
    if (entry_host.rfind("*.", 0) == 0) entry_host = entry_host.substr(1);
    const bool match_host = entry_host.front() != '.';
    if (match_host) entry_host = "." + entry_host;
    const std::string h = lower(host);
    const bool suffix = h.size() >= entry_host.size() &&
                        h.compare(h.size() - entry_host.size(), entry_host.size(), entry_host) == 0;
    if ((suffix || (match_host && h == entry_host.substr(1))) && (entry_port.empty() || entry_port == port)) {
      return true;
    }
  }
  return false;
}

}  // namespace

ProxyEnvironment ProxyEnvironment::from_environment() {
  ProxyEnvironment e;
  e.https_proxy = env_any("HTTPS_PROXY", "https_proxy");
  e.http_proxy = env_any("HTTP_PROXY", "http_proxy");
  e.no_proxy = env_any("NO_PROXY", "no_proxy");
  e.cgi = std::getenv("REQUEST_METHOD") != nullptr;
  return e;
}

std::string proxy_for(const std::string& scheme, const std::string& host, const std::string& port,
                      const std::string& kubeconfig_proxy_url, const ProxyEnvironment& env) {
  if (!kubeconfig_proxy_url.empty()) return kubeconfig_proxy_url;
  std::string proxy = scheme == "https" ? env.https_proxy : (env.cgi ? std::string() : env.http_proxy);
  if (proxy.empty()) return {};
  if (lower(host) == "localhost") return {};
  if (const auto ip = parse_ip(host); ip && is_loopback(*ip)) return {};
  if (excluded(host, port, env.no_proxy)) return {};
  if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;
  return proxy;
}

}  // namespace wavesync::kube
