// Human-readable and JSON renderings of a node schema, for `engine describe` and `engine nodes`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "latentflow/schema.h"

namespace lf {

std::string describe_schema(const NodeSchema& s, const std::string& origin);
nlohmann::json schema_json(const NodeSchema& s);
std::string shape_text(const std::vector<std::string>& shape);

}  // namespace lf
