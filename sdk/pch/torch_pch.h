// The one precompiled header of the torch-using targets (plugins, engine runtime, tests, benches).
// Narrow torch headers rather than <torch/torch.h>: the PCH builds faster and is smaller.
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/functional.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/rnn.h>
#include <torch/optim/adam.h>

#include <nlohmann/json.hpp>

#include "latentflow/sdk.h"
