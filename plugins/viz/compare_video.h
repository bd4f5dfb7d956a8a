// viz.compare_video: true frames beside a model's frames as one video, the way Dreamer shows its
// open-loop predictions: for every time step one picture with three rows (truth, model, error)
// and the first `batch` sequences side by side.
//
//   row 1: truth + offset      row 2: model + offset      row 3: (model - truth + 1) / 2
//
// Named Inputs:
//   truth  [B, T, H, W, 3]   observed frames (centred, as the decoder's targets)
//   model  [B, T, H, W, 3]   the model's frames (reconstructions, then open-loop predictions)
// Named Outputs:
//   video  [T, 3H, b W, 3]   f32 in [0, 1], b = min(B, batch); a "media" statement writes it as a GIF
// Parameters:
//   batch   int >= 1, default 6     sequences shown side by side
//   offset  float, default 0.5      added to truth and model to bring them to [0, 1]
//
// Usage in a graph file (a flow the program writes with {"media": "open_loop"}):
//   "video": { "type": "viz.compare_video",
//              "inputs": { "truth": "image.image", "model": "frames.y" } }
//
// Faithfulness: dreamer.py `_image_summaries` (6 sequences, truth / model / error rows concatenated
// along the height, error = (model - truth + 1) / 2) and tools.py `video_summary` (the batch laid
// side by side along the width). Values are clipped to [0, 1] as the reference's uint8 conversion does.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_viz {

lf::NodeSchema CompareVideoSchema();
std::unique_ptr<lf::Node> MakeCompareVideo(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_viz
