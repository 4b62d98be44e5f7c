#include "wavesync/health/fields.hpp"

#include "wavesync/model/resource.hpp"

namespace wavesync::health {

const Json* find_path(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = &object;
  for (std::string_view key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string string_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  return node != nullptr && node->is_string() ? node->get<std::string>() : std::string();
}

std::optional<std::int64_t> optional_int_at(const Json& object,
                                            std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  if (node == nullptr || !node->is_number_integer()) return std::nullopt;
  return node->get<std::int64_t>();
}

std::int64_t int_at(const Json& object, std::initializer_list<std::string_view> path) {
  return optional_int_at(object, path).value_or(0);
}

bool bool_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  return node != nullptr && node->is_boolean() && node->get<bool>();
}

const std::string* annotation(const Json& object, std::string_view key) {
  const Json* node = find_path(object, {"metadata", "annotations", key});
  return node != nullptr && node->is_string() ? node->get_ptr<const std::string*>() : nullptr;
}

const Json* conditions_of(const Json& object) {
  const Json* conditions = find_path(object, {"status", "conditions"});
  return conditions != nullptr && conditions->is_array() ? conditions : nullptr;
}

const Json* condition(const Json& object, std::string_view type) {
  const Json* conditions = conditions_of(object);
  if (conditions == nullptr) return nullptr;
  for (const Json& c : *conditions) {
    if (c.is_object() && field(c, "type") == type) return &c;
  }
  return nullptr;
}

bool condition_is(const Json& c, std::string_view type, std::string_view status) {
  return field(c, "type") == type && field(c, "status") == status;
}

std::string field(const Json& node, std::string_view key) {
  if (!node.is_object()) return {};
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string group_of_object(const Json& object) {
  return group_of(string_at(object, {"apiVersion"}));
}

std::string version_of_object(const Json& object) {
  return version_of(string_at(object, {"apiVersion"}));
}

}  // namespace wavesync::health
