#pragma once
// What stops a Playground run from learning that its loss alone does not say: every unit of a
// hidden layer dead (its activated output exactly 0 for every training point, as ReLU gets
// after a step too large), or a tanh output saturated at one class for every point (its
// gradient vanishes). TensorFlow Playground shows neither; the page shows this notice.
#include <string>

#include "train/session.hpp"

namespace netlens::train {

// A sentence for the user, or "" when the run can still learn. Runs the training set forward
// (in chunks of Trainer::kEvalChunk rows, in a workspace of its own).
std::string stuck_notice(const Session& session);

}  // namespace netlens::train
