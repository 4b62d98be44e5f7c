#include "wavesync/model/json_fields.hpp"

namespace wavesync {

using Json = nlohmann::json;

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

const std::string* string_ptr_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  return node != nullptr && node->is_string() ? node->get_ptr<const std::string*>() : nullptr;
}

std::string string_at(const Json& object, std::initializer_list<std::string_view> path) {
  const std::string* s = string_ptr_at(object, path);
  return s != nullptr ? *s : std::string();
}

std::optional<std::string> optional_string_at(const Json& object, std::initializer_list<std::string_view> path) {
  const std::string* s = string_ptr_at(object, path);
  return s != nullptr ? std::optional<std::string>(*s) : std::nullopt;
}

const Json* object_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  return node != nullptr && node->is_object() ? node : nullptr;
}

const Json* array_at(const Json& object, std::initializer_list<std::string_view> path) {
  const Json* node = find_path(object, path);
  return node != nullptr && node->is_array() ? node : nullptr;
}

std::optional<std::int64_t> optional_int_at(const Json& object, std::initializer_list<std::string_view> path) {
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

std::string field(const Json& node, std::string_view key) { return string_at(node, {key}); }

const std::string* annotation(const Json& object, std::string_view key) {
  return string_ptr_at(object, {"metadata", "annotations", key});
}

const Json* conditions_of(const Json& object) { return array_at(object, {"status", "conditions"}); }

const Json* condition(const Json& object, std::string_view type) {
  const Json* conditions = conditions_of(object);
  if (conditions == nullptr) return nullptr;
  for (const Json& c : *conditions) {
    const std::string* t = string_ptr_at(c, {"type"});
    if (t != nullptr && *t == type) return &c;
  }
  return nullptr;
}

bool condition_is(const Json& c, std::string_view type, std::string_view status) {
  return field(c, "type") == type && field(c, "status") == status;
}

bool has_condition(const Json& object, std::string_view type, std::string_view status) {
  const Json* c = condition(object, type);
  return c != nullptr && field(*c, "status") == status;
}

}  // namespace wavesync
