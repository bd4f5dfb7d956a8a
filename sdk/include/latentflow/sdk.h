// Everything a plugin author needs.
#pragma once

#include "latentflow/node.h"
#include "latentflow/params.h"
#include "latentflow/plugin.h"
#include "latentflow/registry.h"
#include "latentflow/schema.h"
