#include "set_priority.h"

#include <stdexcept>
#include <string>

namespace lf::replay {
namespace {

class SetPriority final : public Node {
  enum In { kIndex, kPriority };

 public:
  explicit SetPriority(Prioritized& sampler) : sampler_(sampler) {}
  void run(CallContext& ctx) override { sampler_.set_priorities(ctx.in(kIndex), ctx.in(kPriority)); }

 private:
  Prioritized& sampler_;
};

}  // namespace

NodeSchema SetPrioritySchema() {
  return SchemaBuilder("replay.set_priority")
      .category("replay")
      .doc("New priorities for the windows a prioritized replay.sample drew (TD-MPC's PER)")
      .input("index", {"B"}, "the sampler's index output", DType::Int64)
      .input("priority", {"B"}, "new priorities, finite and >= 0")
      .param("sampler", ParamType::Block, nullptr, "the replay.sample block that drew the windows")
      .build();
}

std::unique_ptr<Node> MakeSetPriority(const Params& p, BuildContext& ctx) {
  const std::string name = p.s("sampler");
  auto* sampler = dynamic_cast<Prioritized*>(ctx.node_of(name));
  if (!sampler) throw ParamError("sampler", "replay.set_priority: sampler '" + name + "' is not a replay.sample block");
  return std::make_unique<SetPriority>(*sampler);
}

}  // namespace lf::replay
