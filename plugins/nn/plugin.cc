// The nn plugin: generic network building blocks shared by every paper's graph.
#include "constant.h"
#include "conv_decoder.h"
#include "conv_encoder.h"
#include "gru_cell.h"
#include "latentflow/plugin.h"
#include "linear.h"
#include "mlp.h"
#include "preprocess_image.h"
#include "squeeze.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf_nn::LinearSchema(), lf_nn::MakeLinear);
  r.add(lf_nn::MlpSchema(), lf_nn::MakeMlp);
  r.add(lf_nn::GruCellSchema(), lf_nn::MakeGruCell);
  r.add(lf_nn::ConvEncoderSchema(), lf_nn::MakeConvEncoder);
  r.add(lf_nn::ConvDecoderSchema(), lf_nn::MakeConvDecoder);
  r.add(lf_nn::ConstantSchema(), lf_nn::MakeConstant);
  r.add(lf_nn::SqueezeSchema(), lf_nn::MakeSqueeze);
  r.add(lf_nn::PreprocessImageSchema(), lf_nn::MakePreprocessImage);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
