#include "gru_cell.h"

#include <torch/nn/modules/rnn.h>

namespace lf_nn {
namespace {

class GruCell final : public lf::Node {
  enum In { kX, kH };
  enum Out { kHNext };
 public:
  explicit GruCell(const lf::Params& p) : cell_(p.i("in_dim"), p.i("hidden")) {}
  void run(lf::CallContext& ctx) override { ctx.set(kHNext, cell_->forward(ctx.in(kX), ctx.in(kH))); }
  torch::nn::Module* module() override { return cell_.get(); }

 private:
  torch::nn::GRUCell cell_;
};

}  // namespace

lf::NodeSchema GruCellSchema() {
  return lf::SchemaBuilder("nn.gru_cell")
      .category("nn")
      .doc("One step of a standard GRU cell")
      .input("x", {"B", "in_dim"}, "this step's input")
      .input("h", {"B", "hidden"}, "carried state")
      .output("h_next", {"B", "hidden"}, "next state")
      .param("in_dim", lf::ParamType::Int, nullptr, "input width", 1)
      .param("hidden", lf::ParamType::Int, nullptr, "state width", 1)
      .learns()
      .build();
}

std::unique_ptr<lf::Node> MakeGruCell(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<GruCell>(p);
}

}  // namespace lf_nn
