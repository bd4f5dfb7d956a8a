// Checks the params given to a node against its schema and fills in defaults.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "diagnostics.h"
#include "latentflow/schema.h"

namespace lf {

// Keys of a block or flow node that belong to the graph format, not to the node's params.
bool is_reserved_key(std::string_view key);

// `node` is the block or node object of the graph; its non-reserved keys are the params.
// Reports every unknown, missing, mistyped or out-of-range param at `pointer`/<param>; returns
// the complete param object (defaults filled) to hand to the factory.
nlohmann::json resolve_params(const NodeSchema& schema, const nlohmann::json& node,
                              const std::string& pointer, Diagnostics& diags);

}  // namespace lf
