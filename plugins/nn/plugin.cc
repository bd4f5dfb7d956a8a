// The nn plugin: generic network building blocks shared by every paper's graph.
#include "concat.h"
#include "constant.h"
#include "conv_decoder.h"
#include "conv_encoder.h"
#include "detach.h"
#include "ensemble_mlp.h"
#include "minimum.h"
#include "flatten.h"
#include "gru_cell.h"
#include "latentflow/plugin.h"
#include "linear.h"
#include "mlp.h"
#include "preprocess_image.h"
#include "slice.h"
#include "squeeze.h"
#include "unsqueeze.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf_nn::LinearSchema(), lf_nn::MakeLinear);
  r.add(lf_nn::MlpSchema(), lf_nn::MakeMlp);
  r.add(lf_nn::EnsembleMlpSchema(), lf_nn::MakeEnsembleMlp);
  r.add(lf_nn::GruCellSchema(), lf_nn::MakeGruCell);
  r.add(lf_nn::ConvEncoderSchema(), lf_nn::MakeConvEncoder);
  r.add(lf_nn::ConvDecoderSchema(), lf_nn::MakeConvDecoder);
  r.add(lf_nn::ConstantSchema(), lf_nn::MakeConstant);
  r.add(lf_nn::SqueezeSchema(), lf_nn::MakeSqueeze);
  r.add(lf_nn::UnsqueezeSchema(), lf_nn::MakeUnsqueeze);
  r.add(lf_nn::PreprocessImageSchema(), lf_nn::MakePreprocessImage);
  r.add(lf_nn::SliceSchema(), lf_nn::MakeSlice);
  r.add(lf_nn::DetachSchema(), lf_nn::MakeDetach);
  r.add(lf_nn::MinimumSchema(), lf_nn::MakeMinimum);
  r.add(lf_nn::FlattenSchema(), lf_nn::MakeFlatten);
  r.add(lf_nn::ConcatSchema(), lf_nn::MakeConcat);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
