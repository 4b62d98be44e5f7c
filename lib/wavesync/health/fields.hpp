// The health rules read live objects through model/json_fields.hpp's null-safe readers; this
// header names them in health:: and adds the apiVersion helpers the rules share.
#pragma once

#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/resource.hpp"

#include <string>

namespace wavesync::health {

using Json = nlohmann::json;

using wavesync::annotation;
using wavesync::bool_at;
using wavesync::condition;
using wavesync::condition_is;
using wavesync::conditions_of;
using wavesync::field;
using wavesync::find_path;
using wavesync::int_at;
using wavesync::optional_int_at;
using wavesync::string_at;

// The group of the object's apiVersion: `apps/v1` -> `apps`, `v1` -> ``.
inline std::string group_of_object(const Json& object) { return group_of(string_at(object, {"apiVersion"})); }
// The version of the object's apiVersion: `apps/v1` -> `v1`.
inline std::string version_of_object(const Json& object) { return version_of(string_at(object, {"apiVersion"})); }

}  // namespace wavesync::health
